"""Which methodology edition governs a day or a period in an organisation (D3).

Each body of an installation has its own editions (MethodologyEdition.organisation). This
module is the one lookup of the edition in force: every caller names the organisation.
`organisation` is an Organisation, its id, or None for the installation's template editions.
A body with no edition of its own yet is governed by the templates.
"""

import datetime as dt

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from appraisal.models import MethodologyEdition, Organisation, Period
from appraisal.request_memo import memoised


def _organisation_id(organisation: Organisation | int | None) -> int | None:
    return getattr(organisation, "pk", organisation)


def load_editions(organisation: Organisation | int | None) -> list[MethodologyEdition]:
    """The editions governing `organisation`, with their rule validities (two queries), for
    `edition_on(..., editions=)` when a page needs the edition of many days or periods: the
    body's own editions, or the templates while it has none."""
    organisation_id = _organisation_id(organisation)
    # Read once per request and organisation (a home page asks three or four times).
    return list(memoised(("editions", organisation_id), lambda: _load_editions(organisation_id)))


def _load_editions(organisation_id: int | None) -> list[MethodologyEdition]:
    wanted = Q(organisation__isnull=True)
    if organisation_id is not None:
        wanted |= Q(organisation_id=organisation_id)
    candidates = list(MethodologyEdition.objects.filter(wanted).prefetch_related("rule_validities"))
    own = [e for e in candidates if organisation_id is not None and e.organisation_id == organisation_id]
    return own or [e for e in candidates if e.organisation_id is None]


def edition_among(editions: list[MethodologyEdition], day: dt.date) -> MethodologyEdition | None:
    """The edition in force on `day` among `editions`; before the first took effect, the
    first one. None only when `editions` is empty."""
    in_force = [e for e in editions if e.effective_from <= day]
    if in_force:
        return max(in_force, key=lambda e: e.effective_from)
    return min(editions, key=lambda e: e.effective_from, default=None)


def edition_on(day: dt.date, organisation: Organisation | int | None,
               editions: list[MethodologyEdition] | None = None) -> MethodologyEdition:
    """The edition in force on `day` in `organisation`; before the first edition took effect,
    the first one (the application has to say something about a 2023 period entered late).
    `editions` (from load_editions of the same organisation) saves the queries."""
    edition = edition_among(load_editions(organisation) if editions is None else editions, day)
    if edition is None:
        raise ImproperlyConfigured("No methodology edition: run the migrations (they seed the 2023 edition).")
    return edition


def edition_for_period(period: Period, organisation: Organisation | int | None,
                       editions: list[MethodologyEdition] | None = None) -> MethodologyEdition:
    """A period is evaluated under the edition in force on its last day in the organisation."""
    return edition_on(period.end, organisation, editions)


def edition_for_entry(entry, editions: list[MethodologyEdition] | None = None) -> MethodologyEdition:
    """The edition of a schedule line: its organisation's, for its period."""
    schedule = entry.schedule
    return edition_for_period(schedule.period, schedule.organisation_id, editions)
