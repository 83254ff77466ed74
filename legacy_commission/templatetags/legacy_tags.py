"""The chapter-6 panels on the core pages: the home page (every user) and the result page
(one schedule line). Both read through legacy_commission.selectors, so a person sees only
what R20 lets them see, and their own plan and sheet only once they are not drafts."""

from django import template
from django.utils import timezone

from legacy_commission import selectors, selectors_commission
from legacy_commission.models import AppealBody
from legacy_commission.services.appeals import appeal_deadline

register = template.Library()


def _user(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def legacy_panel(context):
    user = _user(context)
    if user is None:
        return {"visible": False}
    rows = selectors.overview_rows(user, context.get("today") or timezone.localdate(), limit=8)
    return {"visible": bool(rows), "rows": rows}


@register.simple_tag(takes_context=True)
def legacy_result_panel(context, entry):
    """The plan and sheet of one chapter-6 line, as the user may see them."""
    user = _user(context)
    if user is None or entry is None or getattr(entry, "method", None) != "legacy":
        return {"visible": False}
    plan = selectors.plans_for_user(user).filter(entry_id=entry.pk).first()
    sheet = selectors.sheets_for_user(user).filter(plan__entry_id=entry.pk).first()
    decision = selectors_commission.own_decision(entry.pk, user)
    return {"visible": bool(plan or sheet), "plan": plan, "sheet": sheet, "decision": decision,
            "appeal_deadline": appeal_deadline(decision) if decision else None,
            "appeal_bodies": AppealBody.choices, "today": timezone.localdate()}
