"""The kci panel on the home pages: the period overview for the chief specialist and the
chairman, a link to their own page for the head. A constant number of queries."""

from django import template
from django.utils import timezone

from appraisal.editions import edition_on
from appraisal.models import Method
from appraisal.next_steps import role_holders, schedule_next_actor
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
    # The home lists what is still to be done (issue 11): a quarter scored, or one where the
    # head has no KCIs (п. 22.4), is history, on «Все планы и оценки по КЦИ».
    in_work = [row for row in rows if row["entry"].method == Method.KCI
               and (row["result"] is None or row["result"].score is None)]
    if in_work:  # a schedule not yet approved names who acts next (one query for the page)
        holders = role_holders({row["entry"].schedule.organisation_id for row in in_work}, today)
        for row in in_work:
            row["schedule_next_actor"] = schedule_next_actor(row["entry"].schedule, holders)
    return {"visible": bool(rows) or is_chief, "rows": in_work, "has_history": bool(rows), "is_head": is_head,
            "is_chief": is_chief, "table_is_default": table_is_default}
