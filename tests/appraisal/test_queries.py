"""Speed: generating a schedule and rendering the home pages cost the same number of SQL
queries for 5 and for 50 staff."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisal import roles
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from tests.conftest import make_org
from tests.factories import quarter

pytestmark = pytest.mark.django_db


def _generate_queries(org, n_staff, period):
    roles.role_map(org.chief.user)  # the user's roles are looked up once per request and cached on the user
    with CaptureQueriesContext(connection) as ctx:
        schedule = generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    assert schedule.entries.count() == n_staff + 2  # staff, the chief specialist and the head
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def test_schedule_generation_constant_queries():
    org = make_org(5)  # make_org can run once per test: its personas have fixed user names
    small, _small_sql = _generate_queries(org, 5, quarter(2024, 1))
    org.add_staff(45)
    large, large_sql = _generate_queries(org, 50, quarter(2024, 2))
    assert small == large, "\n".join(s[:150] for s in _small_sql) + "\n----\n" + "\n".join(s[:150] for s in large_sql)


def test_schedule_regeneration_constant_queries():
    counts = []
    org = make_org(5)
    for n, q in ((5, 3), (50, 4)):
        org.add_staff(n - len(org.staff))
        period = quarter(2024, q)
        generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
        org.staff[0].appointments.update(start=period.end - dt.timedelta(days=10))  # a changed line (R5.1)
        org.add_staff(1)  # a new line
        with CaptureQueriesContext(connection) as ctx:
            generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def _home_queries(client, org, quarters):
    for q in quarters:
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2024, q), by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
    counts = {}
    for name, user in (("chief", org.chief.user), ("official", org.official.user), ("employee", org.staff[0].user),
                       ("head", org.head.user)):
        client.force_login(user)
        client.get("/")  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/")
        assert response.status_code == 200
        counts[name] = len(ctx.captured_queries)
    client.logout()
    return counts


@time_machine.travel(dt.datetime(2024, 6, 20, 10, 0), tick=False)
def test_home_pages_constant_queries(client):
    small = _home_queries(client, make_org(5), (1, 2))
    # A second, larger organisation with the same history: make_org's personas have fixed user
    # names, so the first organisation's users are renamed out of the way.
    for user in get_user_model().objects.filter(username__in=["chairman", "head", "chief", "official"]):
        user.username += "-small"
        user.save(update_fields=["username"])
    large = _home_queries(client, make_org(50), (1, 2))
    assert small == large


def test_deadlines_and_periods_in_progress_cost_the_same_queries_for_few_and_many_periods():
    """The chief's home and the calendar page list deadlines over every period in a window:
    the editions are read once, not once per period."""
    from appraisal.models import Period
    from appraisal.services.periods import deadlines_ahead, periods_in_progress

    today = dt.date(2026, 1, 5)
    counts = {}
    for days, lead_days in ((1, 1), (400, 400)):
        with CaptureQueriesContext(connection) as ctx:
            found = deadlines_ahead(today, None, days=days)
            in_progress = periods_in_progress(today, None, lead_days=lead_days)
        counts[days] = (len(ctx.captured_queries), len({p.pk for p, _d in found} | {p.pk for p, _d in in_progress}))
    assert counts[1][1] < counts[400][1] <= Period.objects.count()  # more periods in the longer window
    assert counts[1][0] == counts[400][0]
