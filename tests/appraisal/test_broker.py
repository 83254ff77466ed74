"""The production shape: with REDIS_URL set (CI points it at the local Redis), a task sent
through the broker is picked up by a real Celery worker and does its work. Without a broker
the application runs tasks eagerly and this test has nothing to check."""

import os
import time

import pytest
from django.core import mail

from appraisal.celery import app
from appraisal.models import Channel, OutboxMessage, OutboxState
from appraisal.notifications.outbox import enqueue
from appraisal.tasks import send_notifications

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="no REDIS_URL: tasks run eagerly")


@pytest.mark.django_db(transaction=True)
def test_outbox_is_sent_by_a_worker_through_redis(settings):
    from celery.contrib.testing.worker import start_worker

    enqueue(key="broker:roundtrip", channel=Channel.EMAIL, recipient="a@example.kz", subject="Оценка", body="текст")
    app.conf.update(task_always_eager=False, broker_url=os.environ["REDIS_URL"])
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            send_notifications.apply_async()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if OutboxMessage.objects.get(key="broker:roundtrip").state == OutboxState.SENT:
                    break
                time.sleep(0.2)
    finally:
        app.conf.update(task_always_eager=True)
    assert OutboxMessage.objects.get(key="broker:roundtrip").state == OutboxState.SENT
    assert len(mail.outbox) == 1
