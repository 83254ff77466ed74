"""Which methodology edition governs a day or a period (D3)."""

import datetime as dt

from django.core.exceptions import ImproperlyConfigured

from appraisal.models import MethodologyEdition, Period


def load_editions() -> list[MethodologyEdition]:
    """Every edition with its rule validities (two queries), for `edition_on(..., editions=)`
    when a page needs the edition of many days or periods."""
    return list(MethodologyEdition.objects.prefetch_related("rule_validities"))


def edition_among(editions: list[MethodologyEdition], day: dt.date) -> MethodologyEdition | None:
    """The edition in force on `day` among `editions`; before the first took effect, the
    first one. None only when `editions` is empty."""
    in_force = [e for e in editions if e.effective_from <= day]
    if in_force:
        return max(in_force, key=lambda e: e.effective_from)
    return min(editions, key=lambda e: e.effective_from, default=None)


def edition_on(day: dt.date, editions: list[MethodologyEdition] | None = None) -> MethodologyEdition:
    """The edition in force on `day`; before the first edition took effect, the first one
    (the application has to say something about a 2023 period entered late)."""
    edition = edition_among(load_editions() if editions is None else editions, day)
    if edition is None:
        raise ImproperlyConfigured("No methodology edition: run the migrations (they seed the 2023 edition).")
    return edition


def edition_for_period(period: Period, editions: list[MethodologyEdition] | None = None) -> MethodologyEdition:
    """A period is evaluated under the edition in force on its last day."""
    return edition_on(period.end, editions)
