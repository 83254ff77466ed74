from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from appraisal.models.schedule import ScheduleEntry
from appraisal.scoring import Gradation, ScoreField, clean_score, gradation_for


class PeriodResult(models.Model):
    """R7: the one way every chapter stores a person's result for a period.

    The score is the rounded Decimal of appraisal.scoring; the gradation is derived from it
    on every save, so the two cannot disagree.
    """

    entry = models.OneToOneField(ScheduleEntry, verbose_name=_("строка графика"), on_delete=models.PROTECT,
                                 related_name="result")
    score = ScoreField(_("оценка"))
    gradation = models.CharField(_("градация"), max_length=16, choices=Gradation.choices, editable=False)
    completed_at = models.DateTimeField(_("оценка завершена"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("результат оценки")
        verbose_name_plural = _("результаты оценки")

    def __str__(self) -> str:
        return f"{self.entry.employee}: {self.score} — {self.get_gradation_display()}"

    def save(self, *args, **kwargs):
        self.score = clean_score(self.score)
        self.gradation = gradation_for(self.score)
        super().save(*args, **kwargs)
