"""Input limits checked by the services as the database stores the value (issue 10, point 2).

A form is only one way into a service (the admin, a test, a management command, a second
page are others), so every service cleans its own inputs through these helpers:

* `clean_decimal_for(field, value, …)` — a number that fits the model's DecimalField:
  at most `max_digits - decimal_places` digits before the point and `decimal_places` after
  it. More decimals are refused, not rounded: 0.000000001 would be stored as 0.00, so a
  positive target could become zero without a word. A number that does not fit is refused
  too: SQLite would keep it and every page that reads it back would fail for good;
  PostgreSQL raises a DataError (a server error).
* `clean_text_for(field_or_limit, value, …)` — a text no longer than the CharField's
  `max_length`, or the explicit limit a service gives a TextField (see the *_LIMIT numbers
  of each app). Nothing is cut silently. The NUL character is refused: PostgreSQL cannot
  store it in a text column.
* `clean_date(value, …)` — a date (or ISO text) within the bounds the rule gives.
* `clean_int(value, …)` — a whole number within bounds (counts typed into a page).

Each refusal is a Russian ValidationError that names the rule («п. 24: …») and the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from appraisal.templatetags.rule_words import norm_words

# The widest date any service accepts: the working calendar and the deadline arithmetic
# (adding days, the next quarter) stay far from dt.date.max.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)

_FORBIDDEN_CHARACTERS = ("\x00",)


def _refuse(rule: str, message: str, code: str, **params) -> ValidationError:
    # A rule id of docs/methodology/rules.md (WD, D3, R24) is said in words (issue 11.4).
    return ValidationError(f"{norm_words(rule)}: {message % params}" if rule else message % params, code=code)


def _largest(max_digits: int, decimal_places: int) -> Decimal:
    """The largest value the column stores, e.g. 999999999999.99 for (14, 2)."""
    return Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)


def fits_decimal(value: Decimal, *, max_digits: int, decimal_places: int) -> bool:
    """Whether a computed value (a percent, a mean) fits a column of this shape once rounded."""
    return value.is_finite() and abs(value) <= _largest(max_digits, decimal_places)


def clean_decimal_for(field, value, *, rule: str, label: str, positive: bool = False,
                      min_value: Decimal | None = None, max_value: Decimal | None = None) -> Decimal:
    """The number `value` (a Decimal, an int or text with a comma or a point) if the model
    `field` stores it exactly; a ValidationError otherwise."""
    max_digits, places = field.max_digits, field.decimal_places
    if isinstance(value, float):
        value = str(value)
    text = "" if value is None else str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise _refuse(rule, _("%(label)s — число."), "not_a_number", label=label)
    largest = _largest(max_digits, places)
    # adjusted() is the exponent of the first digit: no arithmetic, so «1E1000000» cannot
    # overflow the decimal context before it is refused.
    if (number and number.adjusted() >= max_digits - places) or abs(number) > largest:
        raise _refuse(rule, _("%(label)s — не больше %(max)s."), "too_large", label=label,
                      max=number_format(largest, places, force_grouping=True))
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise _refuse(rule, _("%(label)s — не более %(n)s знаков после запятой (значение не округляется)."),
                      "too_many_decimals", label=label, n=places)
    if positive and number <= 0:
        raise _refuse(rule, _("%(label)s должно быть больше нуля."), "not_positive", label=label)
    if min_value is not None and number < min_value:
        raise _refuse(rule, _("%(label)s — не меньше %(min)s."), "too_small", label=label, min=min_value)
    if max_value is not None and number > max_value:
        raise _refuse(rule, _("%(label)s — не больше %(max)s."), "too_large", label=label, max=max_value)
    return number.quantize(quantum)


def _limit_of(field_or_limit) -> int:
    if isinstance(field_or_limit, int):
        return field_or_limit
    limit = getattr(field_or_limit, "max_length", None)
    if not limit:
        raise ValueError(f"{field_or_limit!r} has no max_length: pass the service's explicit limit")
    return limit


def clean_text_for(field_or_limit, value, *, rule: str, label: str, required: bool = False,
                   required_message: str = "") -> str:
    """`value` stripped, if it fits the CharField's max_length (or the given limit for a
    TextField); a ValidationError naming the limit otherwise. Never cut."""
    limit = _limit_of(field_or_limit)
    text = "" if value is None else str(value).strip()
    if any(ch in text for ch in _FORBIDDEN_CHARACTERS):
        raise _refuse(rule, _("%(label)s: недопустимый символ (NUL)."), "bad_character", label=label)
    if len(text) > limit:
        raise _refuse(rule, _("%(label)s — не длиннее %(limit)s символов (сейчас %(n)s); текст не сокращается "
                              "автоматически."), "too_long", label=label, limit=limit, n=len(text))
    if required and not text:
        if required_message:
            raise ValidationError(required_message, code="required")
        raise _refuse(rule, _("%(label)s: не заполнено."), "required", label=label)
    return text


def clean_date(value, *, rule: str, label: str, not_before: dt.date | None = None,
               not_after: dt.date | None = None) -> dt.date:
    """A date (or ISO yyyy-mm-dd text) within [not_before, not_after] and within the
    years any service works with (EARLIEST_DATE–LATEST_DATE)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        raise _refuse(rule, _("%(label)s: укажите дату."), "not_a_date", label=label)
    low = max(not_before or EARLIEST_DATE, EARLIEST_DATE)
    high = min(not_after or LATEST_DATE, LATEST_DATE)
    if value < low:
        raise _refuse(rule, _("%(label)s — не раньше %(d)s."), "too_early", label=label, d=low.strftime("%d.%m.%Y"))
    if value > high:
        raise _refuse(rule, _("%(label)s — не позже %(d)s."), "too_late", label=label, d=high.strftime("%d.%m.%Y"))
    return value


def clean_int(value, *, rule: str, label: str, min_value: int, max_value: int) -> int:
    """A whole number from min_value to max_value; text longer than 20 characters is refused
    before it is converted (int() of a huge string is itself slow)."""
    text = "" if value is None else str(value).strip()
    try:
        number = int(text) if len(text) <= 20 else None
    except ValueError:
        number = None
    if number is None:
        raise _refuse(rule, _("%(label)s — целое число."), "not_an_integer", label=label)
    if not min_value <= number <= max_value:
        raise _refuse(rule, _("%(label)s — от %(min)s до %(max)s."), "out_of_range", label=label,
                      min=min_value, max=max_value)
    return number
