"""Admin: the chapter-2 reference table editable; plans, versions and score sheets by their headers only
(appraisal.admin_readonly: no KCI content, no score), with the plan's approval buttons."""

from functools import partial

from django.contrib import admin

from appraisal.admin_readonly import EvaluativeAdmin, HistoryAdmin
from appraisal.admin_transitions import ReasonForm, ServiceTransitionsAdmin
from kci import models as m
from kci import services


class RowInline(admin.TabularInline):
    model = m.AdmissibleScoreRow
    extra = 0


@admin.register(m.AdmissibleScoreTable)
class AdmissibleScoreTableAdmin(HistoryAdmin):
    list_display = ["edition", "is_default", "confirmed_at"]
    inlines = [RowInline]


def _plan_transition(plan, user, *, name: str, reason: str = ""):
    return services.plan_transition(plan=plan, name=name, by=user, reason=reason)


@admin.register(m.IndividualPlan)
class IndividualPlanAdmin(ServiceTransitionsAdmin, EvaluativeAdmin):
    """The plan's header and its approval buttons; its KCIs (the content) only on the plan
    page, through the R20 selector — a new head must not read the former head's plan here."""
    list_display = ["entry", "state", "version", "approved_at", "posted_at"]
    list_filter = ["state"]
    evaluative_fields = ("amendment_basis", "amendment_reason", "return_reason")
    fsm_fields = ["state"]
    fsm_forms = {"return_to_draft": ReasonForm}
    # Amendments (R25) need their basis and reason and are made on the plan page.
    transition_services = {
        name: partial(_plan_transition, name=name) for name in ("agree", "approve", "post", "return_to_draft")
    }


@admin.register(m.PlanVersion)
class PlanVersionAdmin(EvaluativeAdmin):
    list_display = ["plan", "number", "approved_at", "approved_by_name"]
    evaluative_fields = ("kcis", "amendment_basis", "amendment_reason")


@admin.register(m.KciScoreSheet)
class KciScoreSheetAdmin(EvaluativeAdmin):
    # Its lines (actual values, percents, scores) are not shown at all: no inline.
    list_display = ["plan", "state", "sent_at", "submitted_at"]
    evaluative_fields = ("score",)
