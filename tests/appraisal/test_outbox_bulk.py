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


@pytest.mark.django_db
def test_bulk_rows_are_the_rows_one_by_one_queueing_makes():
    """The bulk path writes plain tuples by raw SQL (issue 12): every column must come out as
    the model's own path makes it, so the sender treats both alike."""
    org = make_org(2)
    first, second = org.staff
    long_body = "д" * 600
    notify_employee(employee=first, key="one", subject="Оценка", body=long_body, rule_id="R30")
    notify_employees([Notice(employee=second, key="bulk", subject="Оценка", body=long_body, rule_id="R30")])
    columns = ["channel", "subject", "body", "rule_id", "state", "attempts", "last_error", "claimed_at", "sent_at"]
    for channel in ("email", "sms"):
        single = OutboxMessage.objects.get(key=f"one:{channel}")
        bulk = OutboxMessage.objects.get(key=f"bulk:{channel}")
        assert [getattr(bulk, c) for c in columns] == [getattr(single, c) for c in columns]
        assert bulk.user_id == second.user_id and bulk.recipient == (second.email if channel == "email" else second.mobile)
        assert bulk.due_at is not None and bulk.created_at is not None
    assert len(OutboxMessage.objects.get(key="bulk:sms").body) == 480


@pytest.mark.django_db
def test_bulk_queueing_leaves_a_sent_row_as_it_was():
    org = make_org(1)
    notify_employees(_notices(org, "sent"))
    OutboxMessage.objects.filter(key__startswith="sent").update(state="sent", body="как отправлено")
    notify_employees([Notice(employee=org.staff[0], key=f"sent:{org.staff[0].pk}", subject="Другая", body="другой")])
    assert set(OutboxMessage.objects.filter(key__startswith="sent").values_list("state", "body")) == {
        ("sent", "как отправлено")}
