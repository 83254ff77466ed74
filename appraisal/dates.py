"""Calendar arithmetic the rules need and the standard library lacks."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def day_of_month(year: int, month: int, day: int) -> dt.date:
    """The `day`-th of a month, or its last day when the month is shorter."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def lasts_at_least_months(first: dt.date, last: dt.date, months: int) -> bool:
    """Whether the span first..last (both included) lasts at least `months` whole months:
    1 March to 31 March is one month, 15 March to 14 April is one month."""
    return last + dt.timedelta(days=1) >= add_months(first, months)


def fmt_date(day: dt.date) -> str:
    """The date as the forms and messages print it: 05.07.2023."""
    return day.strftime("%d.%m.%Y")
