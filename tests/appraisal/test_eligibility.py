"""R5.1, R5.2, R5.3, R6, R22.4 and D2: who is evaluated in a period, how, and why."""

import datetime as dt

import pytest
import time_machine

from appraisal.editions import edition_for_period
from appraisal.eligibility import PersonFacts, assess
from appraisal.models import AbsenceKind, EligibilityReason, Method, Participation, PositionKind
from appraisal.services.schedules import generate_schedule
from tests.factories import AbsenceFactory, AppointmentFactory, EmployeeFactory, PositionFactory, quarter, year_period

pytestmark = pytest.mark.django_db
D = dt.date


def _person(org, *spans, kind=PositionKind.STAFF, position=None, dismissed_last=False):
    employee = EmployeeFactory(organisation=org.organisation)
    position = position or PositionFactory(organisation=org.organisation, kind=kind,
                                           reports_to=org.head_position if kind == PositionKind.STAFF
                                           else org.chairman_position)
    for i, (start, end) in enumerate(spans):
        AppointmentFactory(employee=employee, position=position, start=start, end=end,
                           dismissed=dismissed_last and i == len(spans) - 1)
    return employee


def _assess(employee, period, today=D(2026, 1, 1)):
    facts = PersonFacts(list(employee.appointments.select_related("position")), list(employee.absences.all()))
    return assess(facts, period, edition_for_period(period, employee.organisation_id), today)


def test_R5_1_under_one_month_not_evaluated(org):
    q1 = quarter(2024, 1)
    employee = _person(org, (D(2024, 3, 2), None))
    result = _assess(employee, q1)
    assert (result.participation, result.reason, result.rule_id, result.method) == (
        Participation.NOT_EVALUATED, EligibilityReason.SHORT_TENURE, "R5.1", Method.NONE)


def test_R5_1_exactly_one_month_is_evaluated(org):
    q1 = quarter(2024, 1)
    result = _assess(_person(org, (D(2024, 3, 1), None)), q1)
    assert (result.participation, result.method, result.rule_id) == (Participation.WITH, Method.RANKING, "R28")
    # Leaving a position: 1 to 31 January is one month, 1 to 30 January is not.
    assert _assess(_person(org, (D(2023, 6, 1), D(2024, 1, 31))), q1).reason == EligibilityReason.REGULAR
    assert _assess(_person(org, (D(2023, 6, 1), D(2024, 1, 30))), q1).rule_id == "R5.1"


def test_R5_1_continuous_reappointments_add_up(org):
    q1 = quarter(2024, 1)
    # 1–10 March then 11–31 March in the same position: one unbroken month.
    employee = _person(org, (D(2024, 3, 1), D(2024, 3, 10)), (D(2024, 3, 11), None))
    assert _assess(employee, q1).participation == Participation.WITH


def test_R5_1_a_gap_breaks_continuity(org):
    q1 = quarter(2024, 1)
    employee = _person(org, (D(2024, 2, 1), D(2024, 3, 10)), (D(2024, 3, 12), None))
    result = _assess(employee, q1)
    assert result.rule_id == "R5.1"
    assert "12.03.2024" in result.detail


@pytest.mark.parametrize("kind", list(AbsenceKind))
def test_R5_2_absence_at_evaluation_time_means_without_participation(org, kind):
    q1 = quarter(2024, 1)
    employee = org.staff[0]
    # Evaluation window of Q1 2024: 1–10 April 2024.
    AbsenceFactory(employee=employee, kind=kind, start=D(2024, 3, 25), end=D(2024, 4, 2))
    result = _assess(employee, q1)
    assert (result.participation, result.reason, result.rule_id) == (
        Participation.WITHOUT, EligibilityReason.ABSENT, "R5.2")
    assert result.method == Method.RANKING  # still evaluated, within the R4 deadline


def test_R5_2_absence_ended_before_period_end_keeps_participation(org):
    q1 = quarter(2024, 1)
    employee = org.staff[0]
    AbsenceFactory(employee=employee, kind=AbsenceKind.LABOUR_LEAVE, start=D(2024, 3, 1), end=D(2024, 3, 30))
    AbsenceFactory(employee=employee, kind=AbsenceKind.BUSINESS_TRIP, start=D(2024, 4, 11), end=D(2024, 4, 20))
    assert _assess(employee, q1).participation == Participation.WITH


def test_R6_dismissed_before_period_end_without_participation(org):
    q1 = quarter(2024, 1)
    employee = _person(org, (D(2023, 1, 1), D(2024, 3, 15)), dismissed_last=True)
    result = _assess(employee, q1)
    assert (result.participation, result.reason, result.rule_id) == (
        Participation.WITHOUT, EligibilityReason.DISMISSED, "R6")
    # Dismissed on the period's last day: not "before the end".
    assert _assess(_person(org, (D(2023, 1, 1), D(2024, 3, 31)), dismissed_last=True), q1).participation == (
        Participation.WITH)


def test_R22_4_head_with_under_three_months_left_not_evaluated(org):
    q2 = quarter(2024, 2)
    head = _person(org, (D(2024, 4, 2), None), kind=PositionKind.HEAD)
    result = _assess(head, q2)
    assert (result.participation, result.reason, result.rule_id, result.method) == (
        Participation.NOT_EVALUATED, EligibilityReason.KCI_LATE_APPOINTMENT, "R22.4", Method.NONE)
    # A staff member appointed the same day is evaluated by ranking (R22.4 is about KCI only).
    assert _assess(_person(org, (D(2024, 4, 2), None)), q2).method == Method.RANKING


def test_R22_4_exactly_three_months_is_evaluated(org):
    q2 = quarter(2024, 2)
    head = _person(org, (D(2024, 4, 1), None), kind=PositionKind.HEAD)
    result = _assess(head, q2)
    assert (result.participation, result.method, result.rule_id) == (Participation.WITH, Method.KCI, "R21")


def _legacy_case(org):
    employee = org.staff[0]
    AbsenceFactory(employee=employee, kind=AbsenceKind.SOCIAL_LEAVE, start=D(2022, 10, 1), end=D(2022, 12, 31))
    return employee


def test_R5_3_social_leave_in_2022_gives_legacy_method_while_in_force(org):
    employee = _legacy_case(org)
    with time_machine.travel(D(2023, 8, 1)):
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2022, 4), by=org.chief.user)
    entry = schedule.entries.get(employee=employee)
    assert (entry.method, entry.reason, entry.rule_id) == (Method.LEGACY, EligibilityReason.LEGACY, "R5.3")
    assert "социальный отпуск" in entry.reason_detail
    # Colleagues without such an absence are ranked as usual.
    assert schedule.entries.get(employee=org.staff[1]).method == Method.RANKING


def test_R5_3_last_day_of_force_is_31_august_2023(org):
    employee = _legacy_case(org)
    assert _assess(employee, quarter(2022, 4), today=D(2023, 8, 31)).method == Method.LEGACY


def test_D2_legacy_not_opened_after_31_08_2023(org):
    employee = _legacy_case(org)
    with time_machine.travel(D(2023, 9, 1)):
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2022, 4), by=org.chief.user)
    entry = schedule.entries.get(employee=employee)
    assert entry.method == Method.RANKING
    assert "п. 5.3 (глава 6) не применяется: действовал до 31.08.2023" in entry.reason_detail


def test_R5_3_disability_outside_the_window_is_not_legacy(org):
    employee = org.staff[0]
    AbsenceFactory(employee=employee, kind=AbsenceKind.DISABILITY, start=D(2023, 1, 5), end=D(2023, 1, 20))
    assert _assess(employee, quarter(2023, 1), today=D(2023, 8, 1)).method == Method.RANKING
    # A labour leave inside the window is not one of the R5.3 absences.
    other = org.staff[1]
    AbsenceFactory(employee=other, kind=AbsenceKind.LABOUR_LEAVE, start=D(2022, 10, 1), end=D(2022, 10, 20))
    assert _assess(other, quarter(2022, 4), today=D(2023, 8, 1)).method == Method.RANKING


def test_R5_3_year_period_is_survey360(org):
    employee = _legacy_case(org)
    result = _assess(employee, year_period(2022), today=D(2023, 8, 1))
    assert result.method == Method.SURVEY360
    assert _assess(org.head, year_period(2024)).method == Method.SURVEY360


def test_R1_schedule_lists_head_and_staff_but_not_the_chairman(org):
    schedule = generate_schedule(organisation=org.organisation, period=quarter(2024, 1), by=org.chief.user)
    methods = {e.employee_id: e.method for e in schedule.entries.all()}
    assert methods[org.head.pk] == Method.KCI
    assert methods[org.staff[0].pk] == Method.RANKING
    assert methods[org.chief.pk] == Method.RANKING
    assert org.chairman.pk not in methods
    entry = schedule.entries.get(employee=org.staff[0])
    assert entry.evaluator == org.head  # the head supervises the staff (R29)
    assert schedule.entries.get(employee=org.head).evaluator == org.chairman
