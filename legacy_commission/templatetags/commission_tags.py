"""The Commission's panel on the home page (chapter 6, R54–R64): the meetings a user takes
part in — as a member, the secretary or the authorised person — read through
legacy_commission.selectors_commission, so nobody else sees them (R20)."""

from django import template

from appraisal import roles
from appraisal.models import Role
from appraisal.selectors import first_rows
from legacy_commission import selectors_commission as selectors
from legacy_commission.models import LegacySheet, LegacySheetState

register = template.Library()


@register.simple_tag(takes_context=True)
def commission_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"visible": False}
    meetings = list(first_rows(selectors.meetings_for_user(user).order_by("-date", "-pk"), 6))
    commissions = selectors.commissions_for_user(user).exists()
    # The authorised person forms a Commission once sheets are submitted to it (R53) and none exists.
    official_orgs = roles.organisations_with_role(user, Role.APPOINTING_OFFICIAL)
    waiting = bool(official_orgs) and LegacySheet.objects.filter(
        state=LegacySheetState.SUBMITTED, plan__entry__schedule__organisation_id__in=official_orgs).exists()
    return {"visible": bool(meetings or commissions or waiting), "meetings": meetings}
