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
    # Null only for a chapter-6 result (R48), which is a gradation from a count of KCIs
    # achieved and has no 0–5 score; every other method stores a score.
    score = ScoreField(_("оценка"), null=True, blank=True)
    gradation = models.CharField(_("градация"), max_length=16, choices=Gradation.choices, editable=False)
    completed_at = models.DateTimeField(_("оценка завершена"), default=timezone.now)
    # R41.2, R13, R62–R63: when a calibration session, an appeal or the Commission changes
    # the result, the value that stood before is kept here, and `score`/`gradation` hold the
    # result in force everywhere (means, reports, exports). History keeps every step.
    original_score = ScoreField(_("исходная оценка"), null=True, blank=True, editable=False)
    original_gradation = models.CharField(_("исходная градация"), max_length=16, choices=Gradation.choices,
                                          blank=True, editable=False)
    adjusted_at = models.DateTimeField(_("оценка изменена"), null=True, blank=True, editable=False)
    adjustment_basis = models.CharField(_("основание изменения"), max_length=300, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("результат оценки")
        verbose_name_plural = _("результаты оценки")

    def __str__(self) -> str:
        # No score here: a result reaches a person only through a page that asks the R20
        # selector, and __str__ ends up in admin lists, logs and error pages.
        return str(_("Результат оценки: %(employee)s") % {"employee": self.entry.employee})

    def save(self, *args, **kwargs):
        if self.score is not None:
            self.score = clean_score(self.score)
            self.gradation = gradation_for(self.score)
        elif self.gradation not in Gradation.values:
            raise ValueError("a result without a score (R48) needs its gradation")
        super().save(*args, **kwargs)

    @property
    def is_adjusted(self) -> bool:
        return self.adjusted_at is not None
