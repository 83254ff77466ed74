"""Celery tasks: thin, they call services."""

from celery import shared_task
from django.utils import timezone

from appraisal import hooks
from appraisal.notifications import send_due


@shared_task
def send_notifications() -> int:
    return send_due()


@shared_task
def tick() -> int:
    """The one periodic tick: each app queues what its deadlines make due, then the outbox
    is sent. Safe to run twice: queueing is idempotent by key, sending claims each row."""
    hooks.run_tick(timezone.now())
    return send_due()
