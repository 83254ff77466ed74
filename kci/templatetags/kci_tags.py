"""The kci panel on the home pages: the period overview for the chief specialist and the
chairman, a link to their own page for the head. A constant number of queries."""

from django import template
from django.utils import timezone

from appraisal.editions import edition_on
from appraisal.selectors import organisations_administered
from kci import selectors, services
from kci.models import AdmissibleScoreTable

register = template.Library()


@register.simple_tag(takes_context=True)
def kci_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"visible": False}
    today = context.get("today") or timezone.localdate()
    rows = selectors.overview_rows(user, today, limit=8)
    is_head = any(row["entry"].employee.user_id == user.pk for row in rows)
    is_chief = services.is_chief_of_any(user)
    table_is_default = False
    if is_chief:
        organisation_id = sorted(organisations_administered(user))[0]  # her body's own edition
        table_is_default = AdmissibleScoreTable.objects.filter(edition=edition_on(today, organisation_id),
                                                               is_default=True).exists()
    return {"visible": bool(rows) or is_chief, "rows": rows, "is_head": is_head, "is_chief": is_chief,
            "table_is_default": table_is_default}
