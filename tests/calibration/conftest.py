"""Calibration personas on the shared organisation (tests/conftest.make_org): the Q3 2026
quarter approved, one staff member's result recorded on Monday 5 October 2026, evaluated by
the head of apparatus; the appointing official decides; the chief specialist organises."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from appraisal.models import ScheduleEntry
from appraisal.services import acknowledgement, schedules
from appraisal.services.results import record_result
from appraisal.workdays import WorkingCalendar
from calibration.services import applications, composition, session
from tests.factories import quarter

TZ = ZoneInfo("Asia/Almaty")
COMPLETED = dt.datetime(2026, 10, 5, 16, 0, tzinfo=TZ)
ACKNOWLEDGED = dt.datetime(2026, 10, 6, 9, 0, tzinfo=TZ)


def at(day: dt.date, hour: int = 11) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def working_day(event: dt.date, n: int) -> dt.date:
    return WorkingCalendar.load().add_working_days(event, n)


def evaluate(org, *, score="3.00", employee=None):
    """R10 + R4: the quarter approved, the person's result recorded."""
    with time_machine.travel(dt.datetime(2026, 10, 2, 10, 0, tzinfo=TZ), tick=False):
        schedule = schedules.generate_schedule(organisation=org.organisation, period=quarter(2026, 3),
                                               by=org.chief.user)
        schedules.submit_schedule(schedule=schedule, by=org.chief.user)
        schedules.approve_schedule(schedule=schedule, by=org.official.user)
    entry = ScheduleEntry.objects.get(schedule=schedule, employee=employee or org.staff[0])
    with time_machine.travel(COMPLETED, tick=False):
        return record_result(entry=entry, score=score, completed_at=COMPLETED)


def acknowledge(result, when=ACKNOWLEDGED):
    with time_machine.travel(when, tick=False):
        return acknowledgement.acknowledge(result=result, user=result.entry.employee.user, at=when)


def file(result, when: dt.datetime, text="Не согласна с оценкой: объём работы не учтён."):
    with time_machine.travel(when, tick=False):
        return applications.file_application(result=result, by=result.entry.employee.user, text=text)


def compose(org, case, when: dt.datetime | None = None, session_date=None, members=None):
    when = when or at(dt.date(2026, 10, 8))
    with time_machine.travel(when, tick=False):
        return composition.approve_composition(
            case=case, by=org.official.user, session_date=session_date or when.date(), session_time="15:00",
            place="Малый зал, каб. 12", members=members if members is not None else [org.staff[1], org.chairman])


def hold(org, case, when: dt.datetime | None = None):
    when = when or at(case.session_date, 15)
    with time_machine.travel(when, tick=False):
        return session.open_session(case=case, by=org.chief.user)


@pytest.fixture
def result(org):
    return evaluate(org)


@pytest.fixture
def case(org, result):
    acknowledge(result)
    return file(result, at(dt.date(2026, 10, 7)))


@pytest.fixture
def held(org, case):
    compose(org, case)
    case.refresh_from_db()
    hold(org, case)
    case.refresh_from_db()
    return case


def ranked(org, points=("3", "3", "3", "3")):
    """The result through the ranking sheet (R29), so that the sheet pages exist."""
    from appraisal.models import PeriodResult
    from ranking.models import PARAMETER_CODES, RankingSheet
    from ranking.services import save_ranking

    evaluate(org)
    sheet = RankingSheet.objects.get(entry__employee=org.staff[0])
    with time_machine.travel(COMPLETED, tick=False):
        save_ranking(sheets=[sheet], raw={sheet.pk: dict(zip(PARAMETER_CODES, points, strict=True))},
                     by=org.head.user, submit=True)
    return PeriodResult.objects.get(entry=sheet.entry), sheet


def calibrate(org, result, score="4.50"):
    """Acknowledged, applied, composed, held, voted unanimously, signed and posted."""
    acknowledge(result)
    case = file(result, at(dt.date(2026, 10, 7)))
    compose(org, case)
    case.refresh_from_db()
    hold(org, case)
    case.refresh_from_db()
    with time_machine.travel(at(case.session_date, 16), tick=False):
        session.save_argument(case=case, by=org.head.user, text="Аргументы")
        for person in (org.chief, org.staff[1], org.chairman, org.head):
            session.cast_vote(case=case, by=person.user, choice="adjust", score=score)
        session.sign_protocol(case=case, by=org.chief.user, signed_on=case.session_date)
        case.refresh_from_db()
        session.post_protocol(case=case, by=org.chief.user)
    case.refresh_from_db()
    return case
