"""Long jobs in the background (issue 12, point 5): the registry of job kinds, starting a job,
running it, and deleting old result files.

The core knows no chapter: each app registers its kinds in its AppConfig.ready() with
`register(JobKind(...))`, like the hooks of appraisal/hooks.py. A kind says

- `run(job, progress) -> JobOutput`: does the work. It calls `progress(done, total)` as it
  goes (each call is one UPDATE, seen at once by the status page when a worker runs the job)
  and returns the file to keep (a path to a finished temporary file, moved into private
  storage) and/or a message for the page. A ValidationError's words are shown to the person;
  any other exception is logged and shown as a generic failure.
- `may_see(user, job) -> bool`: asked on every status poll and download, so a person who
  lost their role (or the R20 right to one of the sheets) since asking gets a 404: the file
  holds evaluative data.
- `back_url(job)`: where the status page's «назад» leads.

With a broker (REDIS_URL) the job goes to the Celery worker once the row is committed; without
one (the demo, the tests) the same task runs in-process before the page answers.
"""

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import BackgroundJob, JobState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutput:
    path: Path | None = None  # a temporary file, moved into private storage and then removed
    filename: str = ""  # the name the person downloads it under
    message: str = ""


@dataclass(frozen=True)
class JobKind:
    name: str
    title: Callable[[BackgroundJob], str]
    run: Callable[[BackgroundJob, Callable[[int, int], None]], JobOutput]
    may_see: Callable[[object, BackgroundJob], bool]
    back_url: Callable[[BackgroundJob], str]


_kinds: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    _kinds[kind.name] = kind
    return kind


def kind_of(job: BackgroundJob) -> JobKind:
    return _kinds[job.kind]


def start_job(*, kind: str, user, organisation, params: dict, total: int = 0) -> BackgroundJob:
    """Create the row and hand it to the task runner; returns the row (for its status page)."""
    from appraisal.tasks import run_background_job

    if kind not in _kinds:
        raise ValueError(f"unknown job kind {kind!r}")
    job = BackgroundJob.objects.create(kind=kind, requested_by=user, organisation=organisation, params=params,
                                       total=total)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # In-process there is no other process to race the commit: run now, so the page the
        # person is sent to already shows the result.
        run_background_job.delay(job.pk)
    else:
        # A worker must not look for the row before it is committed.
        transaction.on_commit(lambda: run_background_job.delay(job.pk))
    return job


def _progress_for(job_id: int) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        BackgroundJob.objects.filter(pk=job_id).update(done=done, total=total, heartbeat_at=timezone.now())
    return progress


def run_job(job_id: int) -> None:
    """Run one queued job (the Celery task's body). A job already taken is left alone, so a
    task delivered twice runs the work once."""
    now = timezone.now()
    claimed = BackgroundJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now)
    if not claimed:
        return
    job = BackgroundJob.objects.get(pk=job_id)
    try:
        output = kind_of(job).run(job, _progress_for(job.pk))
    except ValidationError as refusal:
        _fail(job, " ".join(refusal.messages))
        return
    except Exception:
        logger.exception("background job %s (%s) failed", job.pk, job.kind)
        _fail(job, _("Задание не выполнено из-за внутренней ошибки. Попробуйте ещё раз или сообщите администратору."))
        return
    job.refresh_from_db()
    if output.path is not None:
        try:
            with open(output.path, "rb") as handle:
                job.result.save(output.filename or Path(output.path).name, File(handle), save=False)
        finally:
            os.unlink(output.path)
    job.result_name = output.filename
    job.message = output.message
    job.state = JobState.DONE
    job.done = job.total = max(job.total, job.done)
    job.finished_at = timezone.now()
    job.save()


def _fail(job: BackgroundJob, text: str) -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.FAILED, error=text, finished_at=timezone.now())


def abandon_stalled_jobs(now: dt.datetime) -> int:
    """The tick ends jobs nobody is working on any more, so their page stops showing
    «выполняется» for ever and offers to start again: a running job with no progress for
    JOB_STALL_MINUTES (its worker was killed or the machine restarted: a redelivered task
    finds the row taken and leaves it), and a queued job that no worker took for
    JOB_QUEUE_MINUTES (the broker lost it). Nothing is lost but the unfinished file. Returns
    the number of jobs ended."""
    stall = getattr(settings, "JOB_STALL_MINUTES", 15)
    queue = getattr(settings, "JOB_QUEUE_MINUTES", 60)
    silent_since = now - dt.timedelta(minutes=stall)
    stalled = BackgroundJob.objects.filter(Q(heartbeat_at__lt=silent_since)  # started before heartbeats:
                                           | Q(heartbeat_at__isnull=True, started_at__lt=silent_since),
                                           state=JobState.RUNNING)
    ended = stalled.update(state=JobState.FAILED, finished_at=now, error=_(
        "Задание прервано: фоновый процесс остановился (нет хода дольше %(n)d мин). Запустите его заново.")
        % {"n": stall})
    lost = BackgroundJob.objects.filter(state=JobState.QUEUED, created_at__lt=now - dt.timedelta(minutes=queue))
    ended += lost.update(state=JobState.FAILED, finished_at=now, error=_(
        "Задание не начато: очередь фоновых заданий не взяла его за %(n)d мин. Запустите его заново.") % {"n": queue})
    if ended:
        logger.warning("%d background job(s) ended as stalled or lost", ended)
    return ended


def expire_job_files(now: dt.datetime) -> int:
    """The tick deletes result files JOB_FILE_HOURS after their job finished (the row stays,
    saying the file is gone). Returns the number of files deleted."""
    hours = getattr(settings, "JOB_FILE_HOURS", 24)
    expired = BackgroundJob.objects.filter(finished_at__lt=now - dt.timedelta(hours=hours),
                                           file_deleted_at__isnull=True).exclude(result="")
    deleted = 0
    for job in expired:
        job.result.delete(save=False)
        BackgroundJob.objects.filter(pk=job.pk).update(result="", file_deleted_at=now)
        deleted += 1
    return deleted
