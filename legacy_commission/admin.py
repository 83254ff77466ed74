"""Admin: the chapter-6 plan and sheet with their history, headers only (whose, which period,
state, dates). Their content — the KCIs, achievements, evidence, return reasons — is
evaluative (R20) and is read on the process pages; nothing is edited here, and the
transition buttons go through the same services as the pages."""

from functools import partial

from django.contrib import admin

from appraisal.admin_readonly import EvaluativeAdmin
from appraisal.admin_transitions import ReasonForm, ServiceTransitionsAdmin
from legacy_commission import models as m
from legacy_commission.services import plans as plan_services
from legacy_commission.services import sheets as sheet_services


def _plan_transition(plan, user, *, name: str, reason: str = ""):
    return plan_services.plan_transition(plan=plan, name=name, by=user, reason=reason)


@admin.register(m.LegacyPlan)
class LegacyPlanAdmin(ServiceTransitionsAdmin, EvaluativeAdmin):
    list_display = ["entry", "state", "first_submitted_at", "approved_at"]
    list_filter = ["state"]
    fsm_fields = ["state"]
    fsm_forms = {"return_to_draft": ReasonForm}
    evaluative_fields = ("return_reason",)
    transition_services = {name: partial(_plan_transition, name=name)
                           for name in ("submit", "approve", "return_to_draft")}


@admin.register(m.LegacySheet)
class LegacySheetAdmin(ServiceTransitionsAdmin, EvaluativeAdmin):
    list_display = ["plan", "state", "sent_at", "signed_at", "submitted_at"]
    list_filter = ["state"]
    fsm_fields = ["state"]
    evaluative_fields = ("return_reason_kind", "return_reason")
    # The return for rework needs its R51 basis and is made on the sheet page.
    transition_services = {
        "sign": lambda sheet, user: sheet_services.sign_sheet(sheet=sheet, by=user),
        "submit_to_commission": lambda sheet, user: sheet_services.submit_to_commission(sheet=sheet, by=user),
    }


@admin.register(m.ReviewRound)
class ReviewRoundAdmin(EvaluativeAdmin):
    list_display = ["sheet", "number", "sent_at", "due_on", "late", "decision", "decided_at"]
    evaluative_fields = ("lines", "achieved_count", "reason_kind", "reason")


# --- the Commission (R54–R68) — helper legb ----------------------------------------------
# The composition, the meetings' headers and the appeals' dates; never a vote, a decision or
# a result: the agenda items and votes are not registered at all (read on the meeting page,
# through the R20 selector). Decisions and approval go through the same services as the page.

from legacy_commission.services import commission as commission_services  # noqa: E402


@admin.register(m.Commission)
class CommissionAdmin(EvaluativeAdmin):
    list_display = ["name", "organisation", "order_reference", "created_at"]


@admin.register(m.CommissionMember)
class CommissionMemberAdmin(EvaluativeAdmin):
    list_display = ["commission", "employee", "role", "active", "added_at", "removed_at"]
    list_filter = ["role", "active"]


@admin.register(m.CommissionAmendment)
class CommissionAmendmentAdmin(EvaluativeAdmin):
    list_display = ["commission", "decided_on", "decided_by", "basis", "recorded_at"]


@admin.register(m.CommissionMeeting)
class CommissionMeetingAdmin(ServiceTransitionsAdmin, EvaluativeAdmin):
    list_display = ["commission", "date", "place", "state", "approved_at"]
    list_filter = ["state"]
    fsm_fields = ["state"]
    # Opening needs the attendance (R55) and is done on the meeting page.
    transition_services = {
        "close_voting": lambda meeting, user: commission_services.close_voting(meeting=meeting, by=user),
        "approve": lambda meeting, user: commission_services.approve_results(meeting=meeting, by=user),
    }


@admin.register(m.Appeal)
class AppealAdmin(EvaluativeAdmin):
    list_display = ["item", "body", "filed_on", "outcome_on"]
    evaluative_fields = ("outcome", "outcome_reference")
