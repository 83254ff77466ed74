"""Period overview for the chief specialist: deadlines ahead across open periods."""

import datetime as dt

from appraisal.deadlines import Deadline, period_deadlines
from appraisal.editions import edition_for_period
from appraisal.models import Period
from appraisal.workdays import WorkingCalendar


def deadlines_ahead(today: dt.date, days: int = 60, calendar: WorkingCalendar | None = None) -> list[tuple[Period, Deadline]]:
    """Dated deadlines from today to `days` ahead, for every period they belong to."""
    calendar = calendar or WorkingCalendar.load()
    horizon = today + dt.timedelta(days=days)
    periods = Period.objects.filter(end__gte=today - dt.timedelta(days=70), start__lte=horizon)
    found = []
    for period in periods:
        edition = edition_for_period(period)
        for deadline in period_deadlines(period, edition, calendar):
            if deadline.date and today <= deadline.date <= horizon:
                found.append((period, deadline))
    return sorted(found, key=lambda pair: pair[1].date)
