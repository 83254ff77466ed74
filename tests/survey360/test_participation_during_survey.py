"""R5.2 during an open 360 survey: an absence entered (or removed) while the survey collects
re-judges the line, and the self-assessment of R35.2 follows it through
appraisal.hooks.on_participation_changed — withdrawn, or asked again; a self-assessment
already submitted stays. The hook runs inside the re-judging transaction: all or nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from appraisal import hooks
from appraisal.models import Absence, AbsenceKind, Participation, ScheduleEntry
from appraisal.services.absences import record_absence
from survey360 import selectors
from survey360 import services as survey
from survey360.models import SelfAnswer, Subject
from tests.conftest import make_org
from tests.factories import AbsenceFactory, UserFactory
from tests.survey360.conftest import approved_year_schedule, values_for

OPENED = dt.date(2025, 12, 15)  # the 2025 survey opens in December; its R4 day is 10.01.2026
DURING = dt.date(2025, 12, 20)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False)


def _open_survey(org):
    with at(dt.date(2025, 12, 1)):
        schedule = approved_year_schedule(org, 2025)
        campaign = survey.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
    with at(OPENED):
        survey.open_campaign(campaign=campaign, by=org.chief.user)
    return campaign


def _subject(campaign, employee) -> Subject:
    return Subject.objects.select_related("campaign", "questionnaire", "employee").get(
        campaign=campaign, employee=employee)


def _asked(employee) -> bool:
    """The person's own list of 360 tasks (home page) holds their self-assessment."""
    with at(DURING):
        return selectors.self_tasks(employee.user).exists()


def _trip(org, person):
    return record_absence(employee=person, kind=AbsenceKind.BUSINESS_TRIP, start=dt.date(2025, 12, 22),
                          end=dt.date(2025, 12, 26), by=org.chief.user, note="приказ № 71-к")


@pytest.fixture
def collecting(db):
    org = make_org(2)
    org.campaign = _open_survey(org)
    return org


def test_R5_2_absence_entered_during_the_survey_withdraws_the_self_assessment(collecting):
    org = collecting
    person, colleague = org.staff
    assert _subject(org.campaign, person).with_participation and _asked(person)
    with at(DURING):
        _trip(org, person)
    line = ScheduleEntry.objects.get(survey360_subject__campaign=org.campaign, employee=person)
    assert (line.participation, line.rule_id) == (Participation.WITHOUT, "R5.2")
    subject = _subject(org.campaign, person)
    assert not subject.with_participation and not _asked(person)
    with at(DURING), pytest.raises(ValidationError, match=r"п\. 5\.2: оценка проводится без участия"):
        survey.submit_self_assessment(subject=subject, by=person.user, values=values_for(subject))
    assert not SelfAnswer.objects.filter(subject=subject).exists()
    # The colleague is still asked.
    assert _subject(org.campaign, colleague).with_participation and _asked(colleague)


def test_R5_2_absence_removed_during_the_survey_asks_for_the_self_assessment_again(db):
    org = make_org(2)
    person = org.staff[0]
    # Known at the opening: on leave through the end of the year, so not asked at first.
    absence = AbsenceFactory(employee=person, kind=AbsenceKind.LABOUR_LEAVE, start=dt.date(2025, 12, 10),
                             end=dt.date(2025, 12, 31))
    campaign = _open_survey(org)
    assert not _subject(campaign, person).with_participation and not _asked(person)
    # The leave was cancelled: the chief specialist removes it in the admin (which re-judges).
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    with at(DURING):
        response = client.post(reverse("admin:appraisal_absence_delete", args=[absence.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Absence.objects.filter(pk=absence.pk).exists()
    line = ScheduleEntry.objects.get(survey360_subject__campaign=campaign, employee=person)
    assert line.participation == Participation.WITH
    subject = _subject(campaign, person)
    assert subject.with_participation and _asked(person)
    with at(DURING):
        survey.submit_self_assessment(subject=subject, by=person.user, values=values_for(subject))
    assert SelfAnswer.objects.filter(subject=subject).count() == len(values_for(subject))


def test_R5_2_a_submitted_self_assessment_stays_when_an_absence_is_entered_later(collecting):
    org = collecting
    person = org.staff[0]
    subject = _subject(org.campaign, person)
    with at(OPENED + dt.timedelta(days=1)):
        survey.submit_self_assessment(subject=subject, by=person.user, values=values_for(subject, 3))
    answers = set(SelfAnswer.objects.filter(subject=subject).values_list("statement_id", "value"))
    with at(DURING):
        _trip(org, person)
    assert ScheduleEntry.objects.get(pk=subject.entry_id).participation == Participation.WITHOUT
    subject.refresh_from_db()
    assert subject.with_participation and subject.self_submitted
    assert set(SelfAnswer.objects.filter(subject=subject).values_list("statement_id", "value")) == answers


def test_R5_2_a_failing_participation_hook_leaves_the_absence_and_the_line_as_they_were(collecting, monkeypatch):
    org = collecting
    person = org.staff[0]

    def broken(entries):
        raise RuntimeError("chapter failed")

    monkeypatch.setattr(hooks, "_participation_changed", [*hooks._participation_changed, broken])
    with at(DURING), pytest.raises(RuntimeError):
        _trip(org, person)
    assert not Absence.objects.filter(employee=person).exists()
    line = ScheduleEntry.objects.get(survey360_subject__campaign=org.campaign, employee=person)
    assert line.participation == Participation.WITH
    assert _subject(org.campaign, person).with_participation


def test_R5_2_after_the_survey_closed_an_absence_no_longer_changes_the_self_assessment(collecting):
    org = collecting
    person = org.staff[0]
    with at(DURING):
        survey.close_campaign(campaign=org.campaign, by=org.chief.user)
    with at(DURING + dt.timedelta(days=1)):
        _trip(org, person)
    # The line is still open (results come with the reports) and is re-judged; the survey is not.
    assert ScheduleEntry.objects.get(survey360_subject__campaign=org.campaign,
                                     employee=person).participation == Participation.WITHOUT
    assert _subject(org.campaign, person).with_participation


def test_R5_2_a_self_assessment_read_before_the_absence_was_entered_is_refused_under_the_lock(collecting):
    """The page was read (subject in memory, still asked) and the absence entered before the
    form was posted: the service checks participation again on the locked row."""
    org = collecting
    person = org.staff[0]
    stale = _subject(org.campaign, person)
    assert stale.with_participation
    with at(DURING):
        _trip(org, person)
    with at(DURING), pytest.raises(ValidationError, match=r"п\. 5\.2: оценка проводится без участия"):
        survey.submit_self_assessment(subject=stale, by=person.user, values=values_for(stale))
    assert not SelfAnswer.objects.filter(subject=stale).exists()
