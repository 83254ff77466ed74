"""Period overview for the chief specialist: deadlines ahead across open periods."""

import datetime as dt

from appraisal.deadlines import Deadline, period_deadlines
from appraisal.editions import edition_for_period, load_editions
from appraisal.models import Period
from appraisal.workdays import WorkingCalendar


def deadlines_ahead(today: dt.date, organisation, days: int = 60,
                    calendar: WorkingCalendar | None = None) -> list[tuple[Period, Deadline]]:
    """Dated deadlines from today to `days` ahead, for every period they belong to, by the
    organisation's editions (appraisal.editions)."""
    calendar = calendar or WorkingCalendar.load()
    horizon = today + dt.timedelta(days=days)
    periods = Period.objects.filter(end__gte=today - dt.timedelta(days=70), start__lte=horizon)
    editions, found = load_editions(organisation), []
    for period in periods:
        edition = edition_for_period(period, organisation, editions)
        for deadline in period_deadlines(period, edition, calendar):
            if deadline.date and today <= deadline.date <= horizon:
                found.append((period, deadline))
    return sorted(found, key=lambda pair: pair[1].date)


def periods_in_progress(today: dt.date, organisation, lead_days: int = 45) -> list[tuple[Period, dt.date]]:
    """The periods the chief specialist works on today, each with its R4 last day: those
    whose evaluation is not over yet (R4) and the quarters starting within `lead_days` (their
    schedule and the head's KCI plan, R22.1, are prepared at the start). Newest first."""
    from appraisal.deadlines import evaluation_deadline

    periods = Period.objects.filter(start__lte=today + dt.timedelta(days=lead_days),
                                    end__gte=today - dt.timedelta(days=70))
    editions, found = load_editions(organisation), []
    for period in periods:
        if period.start > today and not period.is_quarter:
            continue  # a year's 360 is prepared once the year has begun
        last_day = evaluation_deadline(period, edition_for_period(period, organisation, editions))
        if last_day >= today:
            found.append((period, last_day))
    return sorted(found, key=lambda pair: (pair[0].start, pair[0].kind != "year"), reverse=True)
