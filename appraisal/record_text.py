"""The explanation of a schedule line in the interface language.

`ScheduleEntry.reason_detail` is text of record: the schedule services write it in the language
of record (LANGUAGE_CODE) whatever language the chief specialist works in, and it is kept as
written. It is not typed by a person, though: it is made of the messages of appraisal.eligibility
(DETAIL_MESSAGES) and of absence kinds with their dates. `detail_for_display` reads it back
against those messages and writes it again in the interface language; a part it does not
recognise (an older wording) is shown as stored.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from appraisal.eligibility import DETAIL_MESSAGES
from appraisal.models import AbsenceKind

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    with translation.override(settings.LANGUAGE_CODE):
        return tuple(
            (msgid, re.compile("".join(
                f"(?P<{piece}>.+?)" if i % 2 else re.escape(piece)
                for i, piece in enumerate(_PLACEHOLDER.split(_(msgid))))))
            for msgid in DETAIL_MESSAGES)


@lru_cache(maxsize=1)
def _absence_kinds() -> tuple[tuple[str, AbsenceKind], ...]:
    with translation.override(settings.LANGUAGE_CODE):
        return tuple(sorted(((str(kind.label), kind) for kind in AbsenceKind), key=lambda p: -len(p[0])))


def _absences(text: str) -> str:
    """«социальный отпуск 01.10.2026–31.03.2027, командировка …» with the kinds translated."""
    items = []
    for item in text.split(", "):
        for label, kind in _absence_kinds():
            if item.startswith(label + " "):
                item = f"{kind.label}{item[len(label):]}"
                break
        items.append(item)
    return ", ".join(items)


def _part(text: str) -> str:
    for msgid, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            if "absence" in values:
                values["absence"] = _absences(values["absence"])
            return _(msgid) % values
    return _absences(text)


def detail_for_display(detail: str) -> str:
    if not detail or (translation.get_language() or "") == settings.LANGUAGE_CODE:
        return detail
    return "; ".join(_part(part) for part in detail.split("; "))
