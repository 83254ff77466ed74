"""The ranking panel of the home pages: a constant number of queries per page."""

import datetime as dt

from django import template

from appraisal import roles
from appraisal.models import Method, Period, PeriodKind, Role, ScheduleState
from appraisal.services.results import annual_result, annual_title
from ranking.models import RankingSheet
from ranking.selectors import periods_to_evaluate

register = template.Library()


@register.inclusion_tag("ranking/_panel.html", takes_context=True)
def ranking_panel(context):
    user = context.get("user")
    today = context.get("today") or dt.date.today()
    data = {"today": today, "to_evaluate": [], "own_sheets": [], "annual": [], "chief_periods": []}
    if not getattr(user, "is_authenticated", False):
        return data
    # R29: the quarters where this user ranks staff, with progress.
    data["to_evaluate"] = [
        {"period": period, "total": total, "done": done} for period, total, done in periods_to_evaluate(user)
    ]
    # The user's own sheets (R20: their own) and their R4 annual means.
    own = list(
        RankingSheet.objects.filter(entry__employee__user=user, entry__schedule__state=ScheduleState.APPROVED)
        .select_related("entry__schedule__period", "entry__employee").order_by("-entry__schedule__period__end")[:8]
    )
    data["own_sheets"] = own
    if own:
        employee_id = own[0].entry.employee_id
        years = sorted({s.entry.schedule.period.year for s in own if s.is_submitted}, reverse=True)[:2]
        for year in years:
            result = annual_result(employee_id=employee_id, year=year, method=Method.RANKING)
            if result:
                score, gradation, quarters = result
                data["annual"].append({"year": year, "score": score, "gradation": gradation.label,
                                       "quarters": quarters,
                                       "title": annual_title(year=year, quarters=quarters, today=today)})
    # The chief specialist: recent quarters with an approved schedule.
    org_ids = roles.organisations_with_role(user, Role.CHIEF_SPECIALIST)
    if org_ids:
        data["chief_periods"] = list(
            Period.objects.filter(schedules__organisation_id__in=org_ids, schedules__state=ScheduleState.APPROVED,
                                  kind=PeriodKind.QUARTER, start__lte=today)
            .distinct().order_by("-end")[:4]
        )
        data["chief_years"] = sorted({p.year for p in data["chief_periods"]}, reverse=True)
        if data["chief_years"]:
            data["chief_year_periods"] = list(Period.objects.filter(kind=PeriodKind.YEAR,
                                                                    year__in=data["chief_years"]))
    return data
