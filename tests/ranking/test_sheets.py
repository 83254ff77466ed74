"""R28, R29, R5.2/R6: sheets for the whole quarter at once, when the schedule is approved."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisal.models import Absence, AbsenceKind, Method, Participation
from ranking.models import RankingSheet, SheetState
from ranking.services import open_quarter_sheets
from tests.conftest import make_org
from tests.factories import AppointmentFactory, EmployeeFactory, PositionFactory, quarter, year_period
from tests.ranking.conftest import approve_quarter


def test_R28_each_staff_member_gets_one_draft_sheet_on_approval(org, opened):
    sheets = RankingSheet.objects.select_related("entry__employee")
    assert sorted(s.entry.employee_id for s in sheets) == sorted([org.chief.pk, *(e.pk for e in org.staff)])
    assert {s.state for s in sheets} == {SheetState.DRAFT}
    assert all(s.entry.method == Method.RANKING for s in sheets)
    # the head of apparatus is evaluated by KCI (chapter 2), not ranked
    assert not RankingSheet.objects.filter(entry__employee=org.head).exists()
    # every sheet has its creation in its history, by the appointing official who approved
    for sheet in sheets:
        first = sheet.history.earliest()
        assert first.history_type == "+"
        assert first.history_user_id == org.official.user.pk


def test_R29_evaluator_is_the_head_of_apparatus(org, opened):
    for sheet in RankingSheet.objects.select_related("entry__evaluator"):
        assert sheet.evaluator == org.head


def test_R28_opening_twice_creates_nothing_more(org, opened):
    assert open_quarter_sheets(opened) == 0
    assert RankingSheet.objects.count() == 3


def test_R28_year_schedule_opens_no_ranking_sheets(org, after_q3):
    with_schedule = approve_quarter(org, year_period(2025))
    assert with_schedule.period.kind == "year"
    assert not RankingSheet.objects.exists()


def test_R5_2_absent_staff_sheet_is_marked_without_participation(org, after_q3):
    away = org.staff[0]
    Absence.objects.create(employee=away, kind=AbsenceKind.LABOUR_LEAVE, start=dt.date(2026, 9, 28),
                           end=dt.date(2026, 10, 20))
    approve_quarter(org)
    sheet = RankingSheet.objects.get(entry__employee=away)
    assert sheet.entry.participation == Participation.WITHOUT
    assert sheet.without_participation is True
    assert RankingSheet.objects.get(entry__employee=org.staff[1]).without_participation is False


def test_R5_1_not_evaluated_staff_get_no_sheet(org, after_q3):
    newcomer = EmployeeFactory(organisation=org.organisation, last_name="Новичок")
    AppointmentFactory(employee=newcomer, position=PositionFactory(organisation=org.organisation,
                                                                   reports_to=org.head_position),
                       start=dt.date(2026, 9, 20))
    schedule = approve_quarter(org)
    assert schedule.entries.get(employee=newcomer).participation == Participation.NOT_EVALUATED
    assert not RankingSheet.objects.filter(entry__employee=newcomer).exists()
    assert RankingSheet.objects.count() == 3


def _queries_to_open(org, period) -> tuple[int, int]:
    schedule = approve_quarter(org, period)
    RankingSheet.history.all().delete()
    RankingSheet.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        created = open_quarter_sheets(schedule)
    return len(ctx.captured_queries), created


def test_R28_opening_a_quarter_takes_the_same_queries_for_3_and_300_staff(db, after_q3):
    org = make_org(3)
    small, created_small = _queries_to_open(org, quarter(2026, 1))
    org.add_staff(297)
    large, created_large = _queries_to_open(org, quarter(2026, 2))
    assert (created_small, created_large) == (4, 301)  # the chief specialist is staff too
    assert small == large
    assert RankingSheet.history.filter(history_type="+").count() == 301
