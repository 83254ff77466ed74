import datetime as dt

import pytest
import time_machine

from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from survey360 import services
from survey360.models import Statement, Subject
from tests.conftest import make_org
from tests.factories import year_period

YEAR = 2025
IN_COLLECTING = dt.datetime(2026, 1, 5, 10, 0)  # before the R4 day, 10.01.2026


def approved_year_schedule(org, year=YEAR):
    period = year_period(year)
    schedule = generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    submit_schedule(schedule=schedule, by=org.chief.user)
    approve_schedule(schedule=schedule, by=org.official.user)
    return schedule


def values_for(subject: Subject, value=4) -> dict[str, int]:
    ids = Statement.objects.filter(competency__questionnaire=subject.questionnaire_id).values_list("pk", flat=True)
    return {str(pk): value for pk in ids}


def answer(subject: Subject, employee, value=4, comment=""):
    services.submit_answers(subject=subject, by=employee.user, values=values_for(subject, value), comment=comment)


@pytest.fixture
def at_collecting():
    with time_machine.travel(IN_COLLECTING, tick=False):
        yield


@pytest.fixture
def survey(db, at_collecting):
    """An organisation of the head, the chief specialist and two staff, its approved 2025
    schedule and a draft 360 campaign with the proposed circles."""
    org = make_org(2)
    schedule = approved_year_schedule(org)
    campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
    org.campaign = campaign
    return org


@pytest.fixture
def open_survey(survey):
    services.open_campaign(campaign=survey.campaign, by=survey.chief.user)
    survey.campaign.refresh_from_db()
    return survey


def subject_of(campaign, employee) -> Subject:
    return Subject.objects.select_related("campaign", "questionnaire", "employee", "entry").get(
        campaign=campaign, employee=employee)
