"""Celery tasks: thin, they call services."""

import logging

from celery import shared_task
from django.utils import timezone

from appraisal import hooks
from appraisal.jobs import abandon_stalled_jobs, expire_job_files, run_job
from appraisal.notifications import send_due

logger = logging.getLogger(__name__)


@shared_task
def send_notifications() -> int:
    return send_due()


@shared_task
def tick() -> int:
    """The one periodic tick: each app queues what its deadlines make due, then the outbox
    is sent. Safe to run twice: queueing is idempotent by key, sending claims each row.

    A failing hook does not hold back the notices already queued: the outbox is sent anyway
    and the hook's error is raised afterwards (so the task shows as failed and is logged)."""
    now = timezone.now()
    try:
        hooks.run_tick(now)
        expire_job_files(now)  # background jobs' result files past JOB_FILE_HOURS
        abandon_stalled_jobs(now)  # jobs whose worker died, or that no worker took
    except Exception:
        logger.exception("a tick hook failed; sending the outbox anyway")
        send_due()
        raise
    return send_due()


@shared_task
def run_background_job(job_id: int) -> None:
    """One long job (appraisal.jobs): a combined PDF, a report, a large staff import."""
    run_job(job_id)
