"""Issue 12: the editions and the working-day calendar are read once per request — and never
kept beyond it, nor past a change made during it."""

import datetime as dt

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from appraisal.editions import load_editions
from appraisal.models import WorkingDayOverride
from appraisal.request_memo import memoised
from appraisal.workdays import WorkingCalendar

pytestmark = pytest.mark.django_db


def test_outside_a_request_every_call_reads_again():
    calls = []
    memoised(("k",), lambda: calls.append(1))
    memoised(("k",), lambda: calls.append(1))
    assert len(calls) == 2


def test_D3_WD_within_a_request_editions_and_calendar_are_read_once_and_a_change_is_seen(org):
    # Django closes the database connection at the end of a request; the test's transaction
    # must survive the signal, as it does under Django's test client.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        with CaptureQueriesContext(connection) as ctx:
            for _ in range(3):
                load_editions(org.organisation)
                WorkingCalendar.load()
        assert len(ctx.captured_queries) == 3  # editions, their rule validities, the overrides
        day = dt.date(2026, 12, 7)
        assert WorkingCalendar.load().is_working_day(day)
        WorkingDayOverride.objects.create(date=day, is_working=False, reason="постановление")
        assert not WorkingCalendar.load().is_working_day(day)  # the save emptied the memo
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    with CaptureQueriesContext(connection) as ctx:
        load_editions(org.organisation)
    assert len(ctx.captured_queries) == 2  # after the request: read again


def test_R20_within_a_request_the_visible_lines_are_read_once_and_any_write_reads_them_again(org):
    """The R20 selector's id lists (the user's employee records, the chapters' grants) are
    read once per request, since a home page asks the selector four times; they are volatile:
    any save in the request reads them again, so a page never shows by a stale list."""
    from django.contrib.auth import get_user_model

    from appraisal.selectors import schedule_entries_visible_to
    from appraisal.services.schedules import generate_schedule
    from tests.factories import quarter

    generate_schedule(organisation=org.organisation, period=quarter(2026, 1), by=org.chief.user)
    newcomer = get_user_model().objects.create_user("newcomer", password=None)
    staff = org.staff[1]

    def visible():
        return set(schedule_entries_visible_to(newcomer).values_list("employee_id", flat=True))

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.send(sender=None)
    try:
        with CaptureQueriesContext(connection) as first:
            assert visible() == set()
        with CaptureQueriesContext(connection) as again:
            assert visible() == set()
        def reads_employees(ctx):
            return any('"appraisal_employee"' in q["sql"] for q in ctx.captured_queries)

        assert reads_employees(first) and not reads_employees(again)  # the id lists were kept
        assert len(again) < len(first)
        staff.user = newcomer  # the newcomer takes over the staff member's record (a write)
        staff.save()
        assert visible() == {staff.pk}  # the write dropped the kept lists
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
