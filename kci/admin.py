"""Admin: every chapter-2 record with its history (read the versions there too)."""

from functools import partial

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from appraisal.admin_transitions import ReasonForm, ServiceTransitionsAdmin
from kci import models as m
from kci import services


class RowInline(admin.TabularInline):
    model = m.AdmissibleScoreRow
    extra = 0


@admin.register(m.AdmissibleScoreTable)
class AdmissibleScoreTableAdmin(SimpleHistoryAdmin):
    list_display = ["edition", "is_default", "confirmed_at"]
    inlines = [RowInline]


class KciInline(admin.StackedInline):
    model = m.Kci
    extra = 0


def _plan_transition(plan, user, *, name: str, reason: str = ""):
    return services.plan_transition(plan=plan, name=name, by=user, reason=reason)


@admin.register(m.IndividualPlan)
class IndividualPlanAdmin(ServiceTransitionsAdmin, SimpleHistoryAdmin):
    list_display = ["entry", "state", "version", "approved_at", "posted_at"]
    list_filter = ["state"]
    readonly_fields = ["state"]
    fsm_fields = ["state"]
    fsm_forms = {"return_to_draft": ReasonForm}
    # Amendments (R25) need their basis and reason and are made on the plan page.
    transition_services = {
        name: partial(_plan_transition, name=name) for name in ("agree", "approve", "post", "return_to_draft")
    }
    inlines = [KciInline]


@admin.register(m.PlanVersion)
class PlanVersionAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "number", "approved_at", "approved_by_name"]


class LineInline(admin.TabularInline):
    model = m.KciScoreLine
    extra = 0


@admin.register(m.KciScoreSheet)
class KciScoreSheetAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "state", "sent_at", "submitted_at", "score"]
    readonly_fields = ["state"]
    inlines = [LineInline]
