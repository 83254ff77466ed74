"""R4, R22.1, R22.2, R22.6, R26, R30: the deadlines of a concrete quarter, computed by hand
from the real 2024 calendar of Kazakhstan."""

import datetime as dt

import pytest

from appraisal.deadlines import evaluation_deadline, kci_plan_deadline, period_deadlines, preliminary_calculation_deadline
from appraisal.editions import edition_for_period
from appraisal.models import WorkingDayOverride
from appraisal.workdays import WorkingCalendar
from tests.factories import quarter, year_period

pytestmark = pytest.mark.django_db
D = dt.date


def _by_rule(period):
    edition = edition_for_period(period, None)
    return {d.rule_id: d.date for d in period_deadlines(period, edition, WorkingCalendar.load())}


def test_R4_evaluation_deadline_is_the_10th_of_the_month_after():
    q4 = quarter(2024, 4)
    edition = edition_for_period(q4, None)
    assert evaluation_deadline(quarter(2024, 1), edition) == D(2024, 4, 10)
    assert evaluation_deadline(quarter(2024, 2), edition) == D(2024, 7, 10)
    assert evaluation_deadline(q4, edition) == D(2025, 1, 10)
    assert evaluation_deadline(year_period(2024), edition) == D(2025, 1, 10)
    assert _by_rule(year_period(2024))["R4"] == D(2025, 1, 10)


def test_R22_1_kci_plan_q1_2024_is_16_january():
    # Period starts Mon 1 Jan; 2 Jan is a holiday; day one is Wed 3 Jan; the tenth is Tue 16 Jan.
    deadlines = _by_rule(quarter(2024, 1))
    assert deadlines["R22.1"] == D(2024, 1, 16)


def test_R22_2_kci_plan_counts_from_the_appointment():
    period = quarter(2024, 2)
    edition = edition_for_period(period, None)
    calendar = WorkingCalendar.load()
    # Appointed Thu 2 May 2024: 3 May (1), Sat 4 May worked (2), 6 (3), 10 (4), 13–17 (5–9), 20 May (10);
    # 7, 8, 9 May are days off.
    assert kci_plan_deadline(period, edition, calendar, appointed_on=D(2024, 5, 2)) == D(2024, 5, 20)
    # An appointment before the period started counts from the period's start.
    assert kci_plan_deadline(period, edition, calendar, appointed_on=D(2023, 1, 1)) == kci_plan_deadline(
        period, edition, calendar)


def test_R22_6_preliminary_calculation_q2_2024_around_capital_day():
    # R4 day: Wed 10 July 2024. Back from it: 9 July (1); 8 July is Capital Day (observed), 6–7 the
    # weekend; 5 July (2), 4 (3), 3 (4), 2 July (5).
    period = quarter(2024, 2)
    assert preliminary_calculation_deadline(period, edition_for_period(period, None), WorkingCalendar.load()) == D(2024, 7, 2)
    assert _by_rule(period)["R22.6"] == D(2024, 7, 2)


def test_R22_6_q1_2024():
    # R4 day Wed 10 April 2024: 9, 8, 5, 4, 3 April.
    assert _by_rule(quarter(2024, 1))["R22.6"] == D(2024, 4, 3)


def test_R26_R30_calendar_dates_stay_put_on_days_off():
    q1 = _by_rule(quarter(2024, 1))
    assert q1["R26"] == D(2024, 4, 5)
    assert q1["R30"] == D(2024, 4, 10)
    assert q1["R4"] == D(2024, 4, 10)
    # Q4 2023: 5 January 2024 is a Friday; Q2 2024: Sat 6 July would be... not moved either.
    q3_2024 = _by_rule(quarter(2024, 3))
    assert q3_2024["R26"] == D(2024, 10, 5)  # a Saturday: stays on the 5th (WD choice)
    assert q3_2024["R4"] == D(2024, 10, 10)


def test_WD_override_moves_working_day_deadlines_only():
    period = quarter(2024, 1)
    # Declare Tue 16 January 2024 a day off: R22.1 moves to Wed 17 January, R4 stays.
    WorkingDayOverride.objects.create(date=D(2024, 1, 16), is_working=False, reason="постановление")
    deadlines = _by_rule(period)
    assert deadlines["R22.1"] == D(2024, 1, 17)
    assert deadlines["R4"] == D(2024, 4, 10)


def test_deadlines_are_sorted_and_event_based_ones_last():
    deadlines = period_deadlines(quarter(2024, 1), edition_for_period(quarter(2024, 1), None), WorkingCalendar.load())
    dated = [d.date for d in deadlines if d.date]
    assert dated == sorted(dated)
    assert all(d.date is None for d in deadlines[len(dated):])
    assert {d.rule_label for d in deadlines} >= {"п. 22.1", "п. 22.6", "п. 26", "п. 30", "п. 4"}
