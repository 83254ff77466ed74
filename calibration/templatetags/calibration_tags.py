from django import template

from appraisal.access import refusal_text
from appraisal.models import Method
from calibration import selectors
from calibration.services import applications

register = template.Library()


@register.simple_tag
def calibration_panel(result, user) -> dict:
    """R12: what the result page's panel shows to this user."""
    if result is None or not getattr(user, "is_authenticated", False):
        return {"show": False}
    # One case per result (a one-to-one): read without .first()'s LIMIT (see first_rows).
    case = next(iter(selectors.cases_visible_to(user).filter(result=result)), None)
    if case is not None:
        return {"show": True, "case": case}
    own = result.entry.employee.user_id == user.pk
    if not own or result.entry.method == Method.LEGACY or result.score is None:
        return {"show": False}
    refusal = applications.refusal_for(result, user)
    return {
        "show": True, "refusal": refusal_text(refusal) if refusal else "", "may_apply": refusal is None,
        "due": applications.application_due(result), "days": applications.application_working_days(result),
    }


@register.simple_tag
def calibration_home(user) -> list:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(selectors.cases_for_home(user))
