"""A staff file uploaded for import (issue 10, point 3): read once, confirmed once.

The upload keeps the rows as they were read from the file (`table`, JSON: text, numbers and
dates as dd.mm.yyyy), so the preview page never parses the file again, and a `state` that
the confirmation claims with an update-if-unchanged: two or three simultaneous «Сохранить»
of one upload import it exactly once. After the import or a cancel the rows are dropped —
the personal data they hold is in the employees now, or was never wanted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models.organisation import Organisation


class StaffImportState(models.TextChoices):
    PENDING = "pending", _("проверен, не сохранён")
    APPLIED = "applied", _("импортирован")
    CANCELLED = "cancelled", _("отменён")


class StaffImport(models.Model):
    organisation = models.ForeignKey(Organisation, verbose_name=_("государственный орган"), on_delete=models.CASCADE,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("загрузил"), on_delete=models.CASCADE,
                                   related_name="+")
    created_at = models.DateTimeField(_("загружен"), default=timezone.now)
    filename = models.CharField(_("файл"), max_length=255)
    state = models.CharField(_("состояние"), max_length=10, choices=StaffImportState.choices,
                             default=StaffImportState.PENDING)
    table = models.JSONField(_("строки файла"), default=list, blank=True)
    file_errors = models.JSONField(_("ошибки файла"), default=list, blank=True)
    applied_at = models.DateTimeField(_("импортирован"), null=True, blank=True)
    summary = models.JSONField(_("итог"), default=dict, blank=True)

    class Meta:
        verbose_name = _("загрузка штата")
        verbose_name_plural = _("загрузки штата")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"
