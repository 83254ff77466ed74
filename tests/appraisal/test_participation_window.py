"""R5.2: participation is judged on the days the evaluation is actually conducted — for a
360 survey from the day it opens to its R4 day — and an absence entered later changes the
lines not yet completed (with history and the reason shown), never a completed one."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from appraisal.models import (
    Absence,
    AbsenceKind,
    EligibilityReason,
    OutboxMessage,
    Participation,
    ScheduleEntry,
)
from appraisal.services.absences import record_absence
from appraisal.services.results import record_result
from survey360 import services as survey
from survey360.models import Subject
from tests.conftest import make_org
from tests.factories import AbsenceFactory, quarter
from tests.ranking.conftest import approve_quarter
from tests.survey360.conftest import approved_year_schedule, values_for


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False)


def _survey(org, *, opened: dt.date):
    """The 2025 schedule approved and the 360 survey created on 01.12.2025, opened on `opened`
    (the R4 day of the year is 10.01.2026)."""
    with at(dt.date(2025, 12, 1)):
        schedule = approved_year_schedule(org, 2025)
        campaign = survey.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
    with at(opened):
        survey.open_campaign(campaign=campaign, by=org.chief.user)
    return schedule, campaign


def _line(schedule, employee) -> ScheduleEntry:
    return ScheduleEntry.objects.get(schedule=schedule, employee=employee)


def _asked_for_self_assessment(campaign, employee) -> bool:
    message = OutboxMessage.objects.filter(key__startswith=f"survey360:{campaign.pk}:invite:{employee.pk}").first()
    return message is not None and "самооценку" in message.body


def test_R5_2_leave_through_the_whole_december_survey_means_without_participation_and_no_self_assessment(db):
    org = make_org(2)
    person = org.staff[0]
    # On leave from before the opening to the end of the year: the old window (after the
    # year, 01.01–10.01.2026) would not see it at all.
    AbsenceFactory(employee=person, kind=AbsenceKind.LABOUR_LEAVE, start=dt.date(2025, 12, 10),
                   end=dt.date(2025, 12, 31))
    schedule, campaign = _survey(org, opened=dt.date(2025, 12, 15))
    line = _line(schedule, person)
    assert (line.participation, line.reason, line.rule_id) == (Participation.WITHOUT, EligibilityReason.ABSENT, "R5.2")
    assert line.conducted_from == dt.date(2025, 12, 15)
    assert "трудовой отпуск 10.12.2025–31.12.2025" in line.reason_detail
    assert "оценка проводится с 15.12.2025 по 10.01.2026" in line.reason_detail
    assert line.history.first().history_change_reason == "п. 5.2: участие определено на день открытия опроса 360"
    subject = Subject.objects.get(entry=line)
    assert not subject.with_participation
    assert not _asked_for_self_assessment(campaign, person)
    assert _asked_for_self_assessment(campaign, org.staff[1])  # a colleague present is asked
    with at(dt.date(2025, 12, 20)), pytest.raises(ValidationError):
        survey.submit_self_assessment(subject=subject, by=person.user, values=values_for(subject))


def test_R5_2_leave_ending_before_the_survey_opens_means_with_participation(db):
    org = make_org(2)
    person = org.staff[0]
    # Known when the schedule was generated, overlapping the old window (01.01–10.01.2026):
    AbsenceFactory(employee=person, kind=AbsenceKind.LABOUR_LEAVE, start=dt.date(2025, 12, 1),
                   end=dt.date(2026, 1, 4))
    with at(dt.date(2025, 12, 1)):
        schedule = approved_year_schedule(org, 2025)
    assert _line(schedule, person).participation == Participation.WITHOUT  # the forecast
    with at(dt.date(2025, 12, 1)):
        campaign = survey.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
    with at(dt.date(2026, 1, 5)):  # back from leave the day the survey opens
        survey.open_campaign(campaign=campaign, by=org.chief.user)
    line = _line(schedule, person)
    assert (line.participation, line.reason, line.rule_id, line.reason_detail) == (
        Participation.WITH, EligibilityReason.REGULAR, "R33", "")
    assert Subject.objects.get(entry=line).with_participation
    assert _asked_for_self_assessment(campaign, person)
    # History keeps the forecast and the change.
    assert list(line.history.order_by("history_date").values_list("participation", flat=True))[-2:] == [
        Participation.WITHOUT, Participation.WITH]


def test_R5_2_leave_ending_the_day_before_the_opening_and_ending_on_it(db):
    org = make_org(2)
    AbsenceFactory(employee=org.staff[0], kind=AbsenceKind.TRAINING, start=dt.date(2025, 12, 1),
                   end=dt.date(2025, 12, 14))
    AbsenceFactory(employee=org.staff[1], kind=AbsenceKind.TRAINING, start=dt.date(2025, 12, 1),
                   end=dt.date(2025, 12, 15))
    schedule, _campaign = _survey(org, opened=dt.date(2025, 12, 15))
    assert _line(schedule, org.staff[0]).participation == Participation.WITH
    assert _line(schedule, org.staff[1]).participation == Participation.WITHOUT


@pytest.fixture
def quarter_lines(db):
    """Q3 2026 approved; the chief specialist's line completed, the two staff lines open."""
    org = make_org(2)
    with at(dt.date(2026, 10, 2)):
        schedule = approve_quarter(org, quarter(2026, 3))
        record_result(entry=_line(schedule, org.chief), score="4.00")
    org.schedule = schedule
    return org


def test_R5_2_absence_entered_later_flips_an_open_line_and_leaves_a_completed_one(quarter_lines):
    org = quarter_lines
    open_line, done_line = _line(org.schedule, org.staff[0]), _line(org.schedule, org.chief)
    assert open_line.participation == done_line.participation == Participation.WITH
    with at(dt.date(2026, 10, 5)):
        for person in (org.staff[0], org.chief):
            record_absence(employee=person, kind=AbsenceKind.BUSINESS_TRIP, start=dt.date(2026, 10, 6),
                           end=dt.date(2026, 10, 8), by=org.chief.user, note="приказ № 45-к")
    open_line.refresh_from_db()
    done_line.refresh_from_db()
    assert (open_line.participation, open_line.rule_id) == (Participation.WITHOUT, "R5.2")
    assert "командировка 06.10.2026–08.10.2026" in open_line.reason_detail
    latest = open_line.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        org.chief.user, "п. 5.2: изменены сведения об отсутствии")
    assert (done_line.participation, done_line.reason_detail) == (Participation.WITH, "")
    assert done_line.history.count() == 1
    # An absence outside the evaluation's days (R4 day of Q3 2026: 10.10.2026) changes nothing.
    with at(dt.date(2026, 10, 5)):
        record_absence(employee=org.staff[1], kind=AbsenceKind.LABOUR_LEAVE, start=dt.date(2026, 10, 12),
                       end=dt.date(2026, 10, 30), by=org.chief.user)
    assert _line(org.schedule, org.staff[1]).participation == Participation.WITH


def test_R5_2_absence_on_the_R4_day_itself_counts_the_day_after_does_not(quarter_lines):
    org = quarter_lines
    with at(dt.date(2026, 10, 5)):
        record_absence(employee=org.staff[0], kind=AbsenceKind.DISABILITY, start=dt.date(2026, 10, 10),
                       end=dt.date(2026, 10, 20), by=org.chief.user)
        record_absence(employee=org.staff[1], kind=AbsenceKind.DISABILITY, start=dt.date(2026, 10, 11),
                       end=dt.date(2026, 10, 20), by=org.chief.user)
    assert _line(org.schedule, org.staff[0]).participation == Participation.WITHOUT
    assert _line(org.schedule, org.staff[1]).participation == Participation.WITH


def test_R5_2_the_reason_is_shown_on_the_schedule_page(quarter_lines):
    org = quarter_lines
    with at(dt.date(2026, 10, 5)):
        record_absence(employee=org.staff[0], kind=AbsenceKind.BUSINESS_TRIP, start=dt.date(2026, 10, 6),
                       end=dt.date(2026, 10, 8), by=org.chief.user)
        client = Client()
        client.force_login(org.chief.user)
        page = client.get(reverse("schedule_detail", args=[org.schedule.pk])).content.decode()
    assert "командировка 06.10.2026–08.10.2026" in page


@pytest.mark.parametrize("start, end, kind, note, message", [
    (dt.date(2026, 10, 8), dt.date(2026, 10, 6), AbsenceKind.BUSINESS_TRIP, "", "раньше даты начала"),
    (dt.date(2026, 10, 6), dt.date(2026, 10, 8), "holiday", "", "неизвестный вид"),
    (dt.date(2026, 10, 6), dt.date(2026, 10, 8), AbsenceKind.BUSINESS_TRIP, "п" * 301, "не более 300 знаков"),
    (None, dt.date(2026, 10, 8), AbsenceKind.BUSINESS_TRIP, "", "укажите даты"),
])
def test_R5_2_record_absence_refuses_bad_input_and_changes_nothing(quarter_lines, start, end, kind, note, message):
    org = quarter_lines
    with at(dt.date(2026, 10, 5)), pytest.raises(ValidationError, match=rf"п\. 5\.2: .*{message}"):
        record_absence(employee=org.staff[0], kind=kind, start=start, end=end, note=note, by=org.chief.user)
    assert not Absence.objects.filter(employee=org.staff[0]).exists()
    assert _line(org.schedule, org.staff[0]).participation == Participation.WITH


def test_R5_2_only_the_chief_specialist_records_absences(quarter_lines):
    org = quarter_lines
    with at(dt.date(2026, 10, 5)), pytest.raises(PermissionDenied, match=r"п\. 5\.2"):
        record_absence(employee=org.staff[0], kind=AbsenceKind.BUSINESS_TRIP, start=dt.date(2026, 10, 6),
                       end=dt.date(2026, 10, 8), by=org.head.user)
    assert not Absence.objects.exists()


def test_R5_2_absence_entered_in_the_admin_flips_the_open_line_and_removing_it_flips_it_back(quarter_lines):
    from tests.factories import UserFactory

    org = quarter_lines
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    with at(dt.date(2026, 10, 5)):
        response = client.post(reverse("admin:appraisal_absence_add"), {
            "employee": org.staff[0].pk, "kind": AbsenceKind.RETRAINING, "start": "2026-10-06",
            "end": "2026-10-09", "note": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
        line = _line(org.schedule, org.staff[0])
        assert (line.participation, line.rule_id) == (Participation.WITHOUT, "R5.2")
        assert "переподготовка 06.10.2026–09.10.2026" in line.reason_detail
        absence = Absence.objects.get(employee=org.staff[0])
        client.post(reverse("admin:appraisal_absence_delete", args=[absence.pk]), {"post": "yes"})
    line.refresh_from_db()
    assert (line.participation, line.rule_id, line.reason_detail) == (Participation.WITH, "R28", "")
