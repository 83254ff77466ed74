import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("квартал")
    YEAR = "year", _("год")


class Period(models.Model):
    """An evaluated period: a quarter for KCI and ranking, a year for 360 (R4)."""

    kind = models.CharField(_("вид"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("год"))
    quarter = models.PositiveSmallIntegerField(_("квартал"), null=True, blank=True)
    start = models.DateField(_("начало"))
    end = models.DateField(_("окончание"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("оцениваемый период")
        verbose_name_plural = _("оцениваемые периоды")
        ordering = ["year", "kind", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "quarter"], name="period_unique"),
            models.UniqueConstraint(
                fields=["kind", "year"], condition=models.Q(quarter__isnull=True), name="year_period_unique"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="quarter", quarter__gte=1, quarter__lte=4))
                | models.Q(kind="year", quarter__isnull=True),
                name="period_quarter_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("%(q)s квартал %(y)s года") % {"q": QUARTER_NAMES[self.quarter], "y": self.year}
        return _("%(y)s год") % {"y": self.year}

    @classmethod
    def bounds(cls, kind: str, year: int, quarter: int | None = None) -> tuple[dt.date, dt.date]:
        if kind == PeriodKind.YEAR:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        first_month = 3 * (quarter - 1) + 1
        start = dt.date(year, first_month, 1)
        next_start = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, first_month + 3, 1)
        return start, next_start - dt.timedelta(days=1)

    @property
    def is_quarter(self) -> bool:
        return self.kind == PeriodKind.QUARTER

    @property
    def month_after(self) -> tuple[int, int]:
        """(year, month) of the month after the period: R4, R26 and R30 count from it."""
        following = self.end + dt.timedelta(days=1)
        return following.year, following.month
