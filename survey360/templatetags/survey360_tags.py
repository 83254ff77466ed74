from django import template

from appraisal import roles
from appraisal.models import Role
from survey360 import selectors
from survey360.models import Questionnaire, Subject

register = template.Library()


@register.filter
def getitem(posted, statement_id):
    """The value posted for a statement (re-shown after a refusal)."""
    return posted.get(f"s{statement_id}", "") if posted else ""


@register.filter
def report_of(reports, subject_id):
    return reports.get(subject_id) if reports else None


@register.simple_tag
def survey360_panel(user) -> dict:
    """The home panel's data in a constant number of queries."""
    if not getattr(user, "is_authenticated", False):
        return {}
    data = {
        "pending": selectors.respondent_tasks(user).count(),
        "self_pending": selectors.self_tasks(user).count(),
        "reports": list(Subject.objects.filter(employee__user=user, campaign__state__in=("closed", "reported"))
                        .select_related("campaign__period").order_by("-campaign__period__year")[:3]),
        "is_chief": bool(roles.organisations_with_role(user, Role.CHIEF_SPECIALIST)),
    }
    if data["is_chief"]:
        data["campaigns"] = list(selectors.campaigns_for_chief(user)[:3])
        # The questionnaires' texts not yet checked against the approved Методика: the chief's task.
        # Her body's own forms (each body has its edition's questionnaires).
        data["default_questionnaires"] = list(Questionnaire.objects.filter(
            is_default=True, edition__organisation_id__in=roles.organisations_with_role(user, Role.CHIEF_SPECIALIST),
        ).only("pk", "title"))
    return data
