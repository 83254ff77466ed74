"""R7: scores on the 0–5 scale and their four gradations, defined once.

Every score in the application is a Decimal with two places, rounded ROUND_HALF_UP, so
that 3.995 becomes 4.00 and no value can fall between two bands.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE_QUANTUM = Decimal("0.01")
MIN_SCORE = Decimal("0")
MAX_SCORE = Decimal("5")


class Gradation(models.TextChoices):
    EFFECTIVE = "effective", _("Выполняет функциональные обязанности эффективно")
    PROPER = "proper", _("Выполняет функциональные обязанности надлежащим образом")
    SATISFACTORY = "satisfactory", _("Выполняет функциональные обязанности удовлетворительно")
    UNSATISFACTORY = "unsatisfactory", _("Выполняет функциональные обязанности не удовлетворительно")


# Lower bound of each band, highest first (R7).
_BANDS = (
    (Decimal("4.00"), Gradation.EFFECTIVE),
    (Decimal("3.00"), Gradation.PROPER),
    (Decimal("2.00"), Gradation.SATISFACTORY),
    (Decimal("0.00"), Gradation.UNSATISFACTORY),
)


def to_decimal(value) -> Decimal:
    if isinstance(value, float):
        # str() keeps what the user typed (2.675 stays 2.675 instead of 2.67499…).
        value = str(value)
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("п. 7: оценка должна быть числом от 0 до 5."), code="not_a_number") from None
    if not result.is_finite():
        raise ValidationError(_("п. 7: оценка должна быть числом от 0 до 5."), code="not_a_number")
    return result


def round_score(value) -> Decimal:
    """The one rounding rule: ROUND_HALF_UP to 0.01."""
    return to_decimal(value).quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)


def validate_score(value) -> None:
    score = to_decimal(value)
    if score < MIN_SCORE or score > MAX_SCORE:
        raise ValidationError(
            _("п. 7: оценка %(value)s вне шкалы от 0 до 5."), code="out_of_range", params={"value": value}
        )


def clean_score(value) -> Decimal:
    """Validate and round a score coming from a user or a calculation."""
    validate_score(value)
    return round_score(value)


def gradation_for(score) -> Gradation:
    score = clean_score(score)
    for lower_bound, gradation in _BANDS:
        if score >= lower_bound:
            return gradation
    raise AssertionError("unreachable: scores below 0 are refused above")


def mean_score(scores: Iterable, weights: Iterable | None = None) -> Decimal:
    """The mean of scores (R4: the final score is the mean of the quarters), rounded once."""
    values = [to_decimal(s) for s in scores]
    if not values:
        raise ValidationError(_("Нет оценок для расчёта среднего."), code="empty")
    if weights is None:
        return clean_score(sum(values) / len(values))
    weight_values = [to_decimal(w) for w in weights]
    total_weight = sum(weight_values)
    if len(weight_values) != len(values) or total_weight <= 0:
        raise ValidationError(_("Веса не соответствуют оценкам."), code="bad_weights")
    return clean_score(sum(v * w for v, w in zip(values, weight_values, strict=True)) / total_weight)


class ScoreField(models.DecimalField):
    """A 0.00–5.00 score (R7)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 3)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_score)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "appraisal.scoring.ScoreField", args, kwargs
