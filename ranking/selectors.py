"""Reads of chapter 3: querysets for a user, with their joins in place (R20)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db.models import Q, QuerySet
from django.utils import timezone

from appraisal.editions import edition_for_period
from appraisal.languages import localized
from appraisal.models import MethodologyEdition, Period, ScheduleState
from appraisal.scoring import Gradation, gradation_for
from appraisal.selectors import schedule_entries_visible_to
from ranking.models import PARAMETER_CODES, Parameter, RankingParameter, RankingSheet, SheetState

SHEET_RELATED = (
    "entry__employee", "entry__position", "entry__evaluator", "entry__result",
    "entry__schedule__period", "entry__schedule__organisation",
)


@dataclass(frozen=True)
class ParameterSpec:
    code: str
    title: str
    weight: Decimal
    confirmed: bool


def parameters_for_edition(edition: MethodologyEdition) -> list[ParameterSpec]:
    """Form 4 data of the edition; equal weights (unconfirmed) where the edition has none."""
    rows = {p.code: p for p in RankingParameter.objects.filter(edition=edition)}
    return [
        ParameterSpec(code, localized(rows[code], "title"), rows[code].weight, rows[code].confirmed) if code in rows
        else ParameterSpec(code, str(Parameter(code).label), Decimal("1.00"), False)
        for code in PARAMETER_CODES
    ]


def parameters_for_period(period: Period, organisation) -> list[ParameterSpec]:
    """Form 4 of the organisation's edition for the period (each body has its own)."""
    return parameters_for_edition(edition_for_period(period, organisation))


@lru_cache(maxsize=1)
def gradation_bands() -> tuple[tuple[str, str, str], ...]:
    """(lower bound, code, label) of each R7 band, read from appraisal.scoring itself (so the
    live mean in the browser never holds its own copy of the bounds)."""
    bands: list[tuple[str, str, str]] = []
    previous = None
    for hundredths in range(0, 501):
        score = Decimal(hundredths) / 100
        gradation = gradation_for(score)
        if gradation != previous:
            bands.append((f"{score:.2f}", gradation.value, str(Gradation(gradation).label)))
            previous = gradation
    return tuple(reversed(bands))


def sheets_visible_to(user) -> QuerySet[RankingSheet]:
    """R20: the evaluated person, their evaluator and the chief specialist."""
    return RankingSheet.objects.filter(entry__in=schedule_entries_visible_to(user).values("pk")).select_related(
        *SHEET_RELATED)


def sheets_printable_for(user) -> QuerySet[RankingSheet]:
    """R20: form 4 as a PDF. The evaluated person reaches only her own sent sheet (a draft is
    never shown to her in any form); her evaluator and the chief specialist print drafts too,
    marked «ПРОЕКТ» (see `is_draft_print`)."""
    if not getattr(user, "is_authenticated", False):
        return RankingSheet.objects.none()
    own_draft = Q(entry__employee__user=user) & ~Q(state=SheetState.SUBMITTED)
    return sheets_visible_to(user).exclude(own_draft)


def is_draft_print(sheets) -> bool:
    """A print holding any sheet not yet sent is a draft."""
    return any(sheet.state != SheetState.SUBMITTED for sheet in sheets)


def sheets_to_evaluate(user, period: Period) -> QuerySet[RankingSheet]:
    """R29: the sheets of the quarter whose evaluator is this user."""
    if not getattr(user, "is_authenticated", False):
        return RankingSheet.objects.none()
    return RankingSheet.objects.filter(
        entry__evaluator__user=user, entry__schedule__period=period,
        entry__schedule__state=ScheduleState.APPROVED,
    ).select_related(*SHEET_RELATED).order_by("entry__employee__last_name", "entry__employee__first_name", "pk")


def sheets_of_organisation(organisation_id: int, period: Period) -> QuerySet[RankingSheet]:
    return RankingSheet.objects.filter(
        entry__schedule__organisation_id=organisation_id, entry__schedule__period=period,
        entry__schedule__state=ScheduleState.APPROVED,
    ).select_related(*SHEET_RELATED).order_by("entry__employee__last_name", "entry__employee__first_name", "pk")


def periods_to_evaluate(user) -> list[tuple[Period, int, int]]:
    """(period, sheets, submitted) for each quarter where the user evaluates someone: one query."""
    from django.db.models import Count, Q

    if not getattr(user, "is_authenticated", False):
        return []
    rows = (
        RankingSheet.objects.filter(entry__evaluator__user=user, entry__schedule__state=ScheduleState.APPROVED)
        .values("entry__schedule__period").annotate(total=Count("pk"), done=Count("pk", filter=Q(state="submitted")))
        .order_by("-entry__schedule__period")
    )
    rows = list(rows)
    periods = Period.objects.in_bulk([r["entry__schedule__period"] for r in rows]) if rows else {}
    return sorted(
        ((periods[r["entry__schedule__period"]], r["total"], r["done"]) for r in rows),
        key=lambda item: item[0].end, reverse=True,
    )


def status_of(sheet: RankingSheet, deadline: dt.date, today: dt.date) -> str:
    """Progress of a sheet against the R4 day: submitted, pending, overdue."""
    if sheet.is_submitted:
        return "submitted"
    return "overdue" if today > deadline else "pending"


def r30_missed(sheet: RankingSheet, notice_day: dt.date, today: dt.date) -> bool:
    """R30: no notice by its day. Until the sheet is sent the tick still sends it (late); a
    sheet sent without any notice leaves the chief specialist to acquaint the employee."""
    return sheet.notified_at is None and today > notice_day


def r30_late(sheet: RankingSheet, notice_day: dt.date) -> bool:
    """R30: notified, but after the day (the schedule was approved late)."""
    return sheet.notified_at is not None and timezone.localdate(sheet.notified_at) > notice_day
