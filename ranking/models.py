"""Chapter 3 (R28–R32): the ranking score sheet of a corps-B staff member (form 4).

One sheet per ranking line of an approved quarter schedule. The four parameters of R32 are
fields of the sheet (they are the Методика's own list); their weights and titles as printed
are data of the methodology edition (`RankingParameter`, form 4 of the Типовая методика),
equal by default and marked as a default to confirm.

Scores are whole numbers 0–5 (R31: «от 0 до 5» on form 4); the result is their weighted
mean as a two-place Decimal rounded by appraisal.scoring (R7).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from appraisal.choices import cached_choice_display
from appraisal.languages import localized
from appraisal.models import MethodologyEdition, ScheduleEntry

MIN_POINTS, MAX_POINTS = 0, 5


class Parameter(models.TextChoices):
    """R32, in the order of the Методика."""

    QUALITY = "quality", _("Качество выполнения функциональных обязанностей")
    DEADLINES = "deadlines", _("Соблюдение сроков исполнения")
    INITIATIVE = "initiative", _("Самостоятельность и инициативность")
    DISCIPLINE = "discipline", _("Трудовая дисциплина")


PARAMETER_CODES: tuple[str, ...] = tuple(Parameter.values)


class RankingParameter(models.Model):
    """Form 4 data of a methodology edition: the printed title and the weight of a parameter."""

    edition = models.ForeignKey(MethodologyEdition, on_delete=models.CASCADE, related_name="ranking_parameters")
    code = models.CharField(_("параметр (п. 32)"), max_length=12, choices=Parameter.choices)
    title = models.CharField(_("наименование в форме 4"), max_length=300)
    title_kk = models.CharField(_("наименование в форме 4 на казахском языке"), max_length=300, blank=True)
    weight = models.DecimalField(_("вес"), max_digits=5, decimal_places=2, default=Decimal("1.00"),
                                 validators=[MinValueValidator(Decimal("0.01"))])
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    confirmed = models.BooleanField(
        _("сверено с утверждённой методикой"), default=False,
        help_text=_("Пока отметки нет, вес показывается как значение по умолчанию."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("параметр ранжирования (форма 4)")
        verbose_name_plural = _("параметры ранжирования (форма 4)")
        ordering = ["edition", "order"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="ranking_parameter_unique")]

    def __str__(self) -> str:
        return f"{localized(self, 'title')} ({self.weight})"


class SheetState(models.TextChoices):
    DRAFT = "draft", _("черновик")
    SUBMITTED = "submitted", _("отправлен")


def can_evaluate(instance: "RankingSheet", user) -> bool:
    """R29: only the evaluator of the line (the head of apparatus) fills and sends the sheet."""
    evaluator = instance.entry.evaluator
    return bool(evaluator and evaluator.user_id and evaluator.user_id == getattr(user, "pk", None))


def points_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(MIN_POINTS), MaxValueValidator(MAX_POINTS)]
    )


class RankingSheet(ConcurrentTransitionMixin, models.Model):
    _get_FIELD_display = cached_choice_display  # the state of each row of the ranking page (issue 12)
    entry = models.OneToOneField(ScheduleEntry, on_delete=models.PROTECT, related_name="ranking_sheet")
    state = FSMField(_("состояние"), default=SheetState.DRAFT, choices=SheetState.choices, protected=True)
    # R5.2, R6: mirrored from the schedule line so the sheet and form 4 say it.
    without_participation = models.BooleanField(_("без участия (п. 5.2, п. 6)"), default=False)

    quality = points_field(Parameter.QUALITY.label)
    quality_comment = models.TextField(_("комментарий"), blank=True, default="")
    deadlines = points_field(Parameter.DEADLINES.label)
    deadlines_comment = models.TextField(_("комментарий"), blank=True, default="")
    initiative = points_field(Parameter.INITIATIVE.label)
    initiative_comment = models.TextField(_("комментарий"), blank=True, default="")
    discipline = points_field(Parameter.DISCIPLINE.label)
    discipline_comment = models.TextField(_("комментарий"), blank=True, default="")

    submitted_at = models.DateTimeField(_("отправлен"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    notified_at = models.DateTimeField(_("п. 30: уведомление поставлено в очередь"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("оценочный лист (ранжирование)")
        verbose_name_plural = _("оценочные листы (ранжирование)")

    def __str__(self) -> str:
        return _("Оценочный лист: %(who)s") % {"who": self.entry.employee}

    @property
    def evaluator(self):
        """R29: derived from the schedule line (the head of apparatus), never typed twice."""
        return self.entry.evaluator

    @property
    def is_submitted(self) -> bool:
        return self.state == SheetState.SUBMITTED

    def points(self) -> dict[str, int | None]:
        return {code: getattr(self, code) for code in PARAMETER_CODES}

    def comments(self) -> dict[str, str]:
        return {code: getattr(self, f"{code}_comment") for code in PARAMETER_CODES}

    def all_scored(self) -> bool:
        return all(value is not None for value in self.points().values())

    @transition(field=state, source=SheetState.DRAFT, target=SheetState.SUBMITTED,
                permission=can_evaluate, conditions=[all_scored], custom={"label": _("Отправить")})
    def submit(self, *, by, at):
        self.submitted_by = by
        self.submitted_at = at
