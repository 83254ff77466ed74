"""Which methodology edition governs a day or a period (D3)."""

import datetime as dt

from django.core.exceptions import ImproperlyConfigured

from appraisal.models import MethodologyEdition, Period


def edition_on(day: dt.date) -> MethodologyEdition:
    """The edition in force on `day`; before the first edition took effect, the first one
    (the application has to say something about a 2023 period entered late)."""
    editions = MethodologyEdition.objects.prefetch_related("rule_validities")
    edition = editions.in_force_on(day)
    if edition is None:
        edition = min(editions, key=lambda e: e.effective_from, default=None)
    if edition is None:
        raise ImproperlyConfigured("No methodology edition: run the migrations (they seed the 2023 edition).")
    return edition


def edition_for_period(period: Period) -> MethodologyEdition:
    """A period is evaluated under the edition in force on its last day."""
    return edition_on(period.end)
