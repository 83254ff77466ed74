"""The bulk outbox path used when a quarter opens for the whole staff at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisal.models import OutboxMessage
from appraisal.notifications.outbox import Notice, notify_employee, notify_employees
from tests.conftest import make_org


def _notices(org, key_prefix="R30:test"):
    return [Notice(employee=e, key=f"{key_prefix}:{e.pk}", subject="Оценка", body="текст", rule_id="R30")
            for e in org.staff]


@pytest.mark.django_db
def test_R30_bulk_notices_are_queued_once_per_key_and_channel():
    org = make_org(3)
    notify_employees(_notices(org))
    notify_employees(_notices(org))  # a second tick, a retry: nothing new
    rows = OutboxMessage.objects.filter(key__startswith="R30:test")
    assert rows.count() == 6  # e-mail and SMS for each of the three
    assert set(rows.values_list("channel", flat=True)) == {"email", "sms"}


@pytest.mark.django_db
def test_bulk_and_single_notice_share_keys():
    org = make_org(1)
    employee = org.staff[0]
    notify_employee(employee=employee, key=f"R30:test:{employee.pk}", subject="Оценка", body="текст")
    notify_employees(_notices(org))
    assert OutboxMessage.objects.filter(key__startswith=f"R30:test:{employee.pk}").count() == 2


@pytest.mark.django_db
def test_bulk_notices_constant_queries():
    # 30 people make 60 rows: within one INSERT even under SQLite's 999-parameter limit
    # (Django splits larger inserts there; PostgreSQL takes batch_size rows at a time).
    org = make_org(3)
    with CaptureQueriesContext(connection) as few:
        notify_employees(_notices(org, "a"))
    org.add_staff(27)
    with CaptureQueriesContext(connection) as many:
        notify_employees(_notices(org, "b"))
    assert len(many) == len(few)
