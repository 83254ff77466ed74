from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class WorkingDayOverride(models.Model):
    """WD: a decree the `holidays` package does not know yet: a day off or a working day."""

    date = models.DateField(_("дата"), unique=True)
    is_working = models.BooleanField(_("рабочий день"), help_text=_("Снимите отметку, если день объявлен выходным."))
    reason = models.CharField(_("основание (постановление, приказ)"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("исключение производственного календаря")
        verbose_name_plural = _("исключения производственного календаря")
        ordering = ["-date"]

    def __str__(self) -> str:
        kind = _("рабочий") if self.is_working else _("выходной")
        return f"{self.date:%d.%m.%Y}: {kind} ({self.reason})"
