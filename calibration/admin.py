"""The calibration case in the admin: its header and the decision on the composition only
(R20: no application text, argument, position, vote or score), and the appointing
official's button «Провести сессию и утвердить состав», which calls the same service as the
page (calibration.services.composition.approve_composition)."""

from contextvars import ContextVar

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from appraisal import roles
from appraisal.admin_readonly import EvaluativeAdmin
from appraisal.admin_transitions import ServiceTransitionsAdmin
from appraisal.models import Role
from calibration.forms import CompositionForm
from calibration.models import CalibrationCase
from calibration.services.composition import approve_composition

# The case whose transition page is being served: the composition form then offers only the
# staff of its organisation, without the evaluated person and the evaluator (a ContextVar,
# because one ModelAdmin instance serves every request).
_serving: ContextVar[CalibrationCase | None] = ContextVar("calibration_case_served", default=None)


def _approve(obj, user, *, session_date, place, members, session_time=None):
    return approve_composition(case=obj, by=user, session_date=session_date, session_time=session_time,
                               place=place, members=list(members))


@admin.register(CalibrationCase)
class CalibrationCaseAdmin(ServiceTransitionsAdmin, EvaluativeAdmin):
    list_display = ["__str__", "period", "state", "filed_at", "composition_due", "decided_at", "session_date"]
    list_filter = ["state"]
    list_select_related = ["result__entry__employee", "result__entry__schedule__period"]
    evaluative_fields = ("result", "application", "evaluator_argument", "original_score", "adopted_score")
    fsm_fields = ["state"]
    fsm_forms = {"approve_composition": CompositionForm}
    transition_services = {"approve_composition": _approve}

    def fsm_transition_view(self, request, object_id, transition_name, **kwargs):
        token = _serving.set(self.get_queryset(request).filter(pk=object_id).select_related(
            "result__entry__schedule").first())
        try:
            return super().fsm_transition_view(request, object_id, transition_name, **kwargs)
        finally:
            _serving.reset(token)

    def get_fsm_transition_form(self, transition):
        form = super().get_fsm_transition_form(transition)
        case = _serving.get()
        if form is not CompositionForm or case is None:
            return form
        entry = case.result.entry

        class CaseCompositionForm(CompositionForm):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, organisation_id=entry.schedule.organisation_id,
                                 exclude_ids=[entry.employee_id, entry.evaluator_id], **kwargs)

        return CaseCompositionForm

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        org_ids = roles.organisations_with_role(request.user, Role.APPOINTING_OFFICIAL, Role.CHIEF_SPECIALIST)
        return queryset.filter(result__entry__schedule__organisation_id__in=org_ids)

    def get_fields(self, request, obj=None):
        return ["employee", "period", *super().get_fields(request, obj), "composition"]

    @admin.display(description=_("служащий"))
    def employee(self, obj):
        return obj.result.entry.employee

    @admin.display(description=_("период"))
    def period(self, obj):
        return obj.result.entry.schedule.period

    @admin.display(description=_("состав"))
    def composition(self, obj):
        return "; ".join(f"{p.employee.short_name} ({p.get_role_display()})"
                         for p in obj.participants.select_related("employee")) or "—"
