"""A long job run in the background (issue 12, point 5): a combined PDF of a quarter, a
decision report, a large staff import.

One generic row for every kind: the chapter apps register what a kind does
(appraisal.jobs); the row only says who asked, how far it got and where its file is. The
file lives in private storage (no URL) and is served only to the person who asked, and only
while they still pass the R20 selector for its content (appraisal.views.jobs); the tick
deletes it after JOB_FILE_HOURS (appraisal.jobs.expire_job_files).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models.organisation import Organisation
from appraisal.uploads import get_private_storage


class JobState(models.TextChoices):
    QUEUED = "queued", _("в очереди")
    RUNNING = "running", _("выполняется")
    DONE = "done", _("готово")
    FAILED = "failed", _("ошибка")


class BackgroundJob(models.Model):
    kind = models.CharField(_("вид задания"), max_length=64)
    params = models.JSONField(_("параметры"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("запросил"), on_delete=models.CASCADE,
                                     related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("государственный орган"), on_delete=models.CASCADE,
                                     related_name="+")
    state = models.CharField(_("состояние"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("выполнено"), default=0)
    total = models.PositiveIntegerField(_("всего"), default=0)
    result = models.FileField(_("файл"), storage=get_private_storage, upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("имя файла"), max_length=200, blank=True)
    message = models.TextField(_("итог"), blank=True)
    error = models.TextField(_("текст ошибки"), blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    started_at = models.DateTimeField(_("начато"), null=True, blank=True)
    # Touched at the start and at every step of progress: a running job whose last sign of
    # life is older than JOB_STALL_MINUTES lost its worker (appraisal.jobs.abandon_stalled_jobs).
    heartbeat_at = models.DateTimeField(_("последний ход"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    file_deleted_at = models.DateTimeField(_("файл удалён"), null=True, blank=True)

    class Meta:
        verbose_name = _("фоновое задание")
        verbose_name_plural = _("фоновые задания")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "finished_at"], name="job_state_finished")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
