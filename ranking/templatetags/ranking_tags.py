"""The ranking panel of the home pages: a constant number of queries per page."""

import datetime as dt

from django import template

from appraisal import roles
from appraisal.deadlines import evaluation_deadline
from appraisal.editions import edition_for_period, edition_on, load_editions
from appraisal.models import Method, Period, PeriodKind, Role, ScheduleState
from appraisal.selectors import first_rows
from appraisal.services.results import annual_result, annual_title
from ranking.models import RankingParameter, RankingSheet
from ranking.selectors import periods_to_evaluate

register = template.Library()


@register.inclusion_tag("ranking/_panel.html", takes_context=True)
def ranking_panel(context):
    user = context.get("user")
    today = context.get("today") or dt.date.today()
    data = {"today": today, "to_evaluate": [], "own_sheets": [], "annual": [], "chief_periods": []}
    if not getattr(user, "is_authenticated", False):
        return data
    organisation_id = roles.home_organisation_id(user)
    editions = load_editions(organisation_id)
    # R29: the quarters where this user still has sheets to send (issue 11: the home lists
    # what its user can act on), each with its R4 last day; quarters all sent are gone.
    for period, total, done in periods_to_evaluate(user):
        if done < total:
            last_day = evaluation_deadline(period, edition_for_period(period, organisation_id, editions))
            data["to_evaluate"].append({"period": period, "total": total, "done": done, "last_day": last_day,
                                        "overdue": today > last_day})
    # The user's own sheets (R20: their own) and their R4 annual means. Only the sheets still
    # to be scored are listed, naming the evaluator who acts next (R29); sent ones are results.
    own = list(first_rows(
        RankingSheet.objects.filter(entry__employee__user=user, entry__schedule__state=ScheduleState.APPROVED)
        .select_related("entry__schedule__period", "entry__employee", "entry__evaluator")
        .order_by("-entry__schedule__period__end"), 8))
    data["own_sheets"] = [s for s in own if not s.is_submitted]
    data["has_own"] = bool(own)
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
        # Form 4's weights not yet checked against the body's approved Методика: the chief's task.
        data["weights_unconfirmed"] = RankingParameter.objects.filter(
            edition=edition_on(today, sorted(org_ids)[0]), confirmed=False).exists()
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
