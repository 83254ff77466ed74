"""WD: the working-day calendar of Kazakhstan (holidays.KZ plus the chief specialist's overrides)."""

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.models import WorkingDayOverride
from appraisal.workdays import WorkingCalendar

D = dt.date


def test_WD_known_holidays_and_transfers_2024():
    calendar = WorkingCalendar()
    # 4 May 2024 (Saturday) was worked; its day off moved to Wednesday 8 May.
    assert D(2024, 5, 4) in holidays.country_holidays("KZ", years=2024).weekend_workdays
    assert calendar.is_working_day(D(2024, 5, 4))
    assert not calendar.is_working_day(D(2024, 5, 8))
    for day in (D(2024, 1, 1), D(2024, 1, 2), D(2024, 3, 8), D(2024, 3, 21), D(2024, 3, 22), D(2024, 3, 25),
                D(2024, 5, 1), D(2024, 5, 7), D(2024, 5, 9), D(2024, 7, 8), D(2024, 8, 30), D(2024, 10, 25),
                D(2024, 12, 16)):
        assert not calendar.is_working_day(day), day
    assert not calendar.is_working_day(D(2024, 7, 6))  # an ordinary Saturday
    assert calendar.is_working_day(D(2024, 7, 9))
    # 5 January 2025 (Sunday) was worked for 3 January.
    assert calendar.is_working_day(D(2025, 1, 5))
    assert not calendar.is_working_day(D(2025, 1, 3))


def test_WD_counting_starts_the_day_after_the_event():
    calendar = WorkingCalendar()
    # Friday 5 July 2024: day one is Tuesday 9 July (6–8 July: Capital Day and the weekend).
    assert calendar.add_working_days(D(2024, 7, 5), 1) == D(2024, 7, 9)
    # An event on a working day does not count itself: Tuesday 9 July + 1 = Wednesday 10 July.
    assert calendar.add_working_days(D(2024, 7, 9), 1) == D(2024, 7, 10)
    # Across the May holidays: Tue 30 April + 3 → 2 May (Thu), 3 May (Fri), 4 May (worked Saturday).
    assert calendar.add_working_days(D(2024, 4, 30), 3) == D(2024, 5, 4)
    assert calendar.add_working_days(D(2024, 4, 30), 4) == D(2024, 5, 6)
    assert calendar.working_days_before(D(2024, 7, 10), 1) == D(2024, 7, 9)
    assert calendar.working_days_before(D(2024, 7, 10), 2) == D(2024, 7, 5)
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2024, 7, 5), 0)


def test_WD_is_within_working_days():
    calendar = WorkingCalendar()
    assert calendar.is_within_working_days(D(2024, 7, 5), 2, D(2024, 7, 10))
    assert not calendar.is_within_working_days(D(2024, 7, 5), 2, D(2024, 7, 11))


@pytest.mark.django_db
def test_WD_override_changes_add_working_days():
    before = WorkingCalendar.load()
    # Friday 11 October 2024 + 1 working day is Monday 14 October.
    assert before.add_working_days(D(2024, 10, 11), 1) == D(2024, 10, 14)
    WorkingDayOverride.objects.create(date=D(2024, 10, 12), is_working=True, reason="постановление (перенос)")
    WorkingDayOverride.objects.create(date=D(2024, 10, 14), is_working=False, reason="постановление (выходной)")
    after = WorkingCalendar.load()
    assert after.is_working_day(D(2024, 10, 12))
    assert not after.is_working_day(D(2024, 10, 14))
    assert after.add_working_days(D(2024, 10, 11), 1) == D(2024, 10, 12)
    assert after.add_working_days(D(2024, 10, 11), 2) == D(2024, 10, 15)
    assert after.working_days_before(D(2024, 10, 15), 1) == D(2024, 10, 12)
    # The override wins over the package, too: a holiday declared a working day.
    WorkingDayOverride.objects.create(date=D(2024, 12, 16), is_working=True, reason="проверка")
    assert WorkingCalendar.load().is_working_day(D(2024, 12, 16))


_dates = st.dates(min_value=D(2023, 1, 1), max_value=D(2027, 12, 31))
_counts = st.integers(min_value=1, max_value=30)
_calendar = WorkingCalendar()


@settings(max_examples=200, deadline=None)
@given(_dates, _counts)
def test_WD_add_working_days_properties(day, n):
    result = _calendar.add_working_days(day, n)
    assert _calendar.is_working_day(result)
    assert result > day
    assert result >= day + dt.timedelta(days=n)
    assert _calendar.count_working_days(day + dt.timedelta(days=1), result) == n


@settings(max_examples=200, deadline=None)
@given(_dates, _counts)
def test_WD_working_days_before_properties(day, n):
    result = _calendar.working_days_before(day, n)
    assert _calendar.is_working_day(result)
    assert result < day
    assert _calendar.count_working_days(result, day - dt.timedelta(days=1)) == n
