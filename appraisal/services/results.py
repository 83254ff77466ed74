"""R4, R7: recording a period's result and the annual result as the mean of the quarters.

Every chapter records its result here, so there is one place where a score is rounded and
graded (appraisal.scoring) and one history of results.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import Method, PeriodResult, ScheduleEntry, ScheduleState
from appraisal.scoring import Gradation, clean_score, gradation_for, mean_score
from appraisal.services.acknowledgement import queue_result_notice, start_again_after_reevaluation


@transaction.atomic
def record_result(*, entry: ScheduleEntry, score, completed_at=None) -> PeriodResult:
    score = clean_score(score)
    if entry.schedule.state != ScheduleState.APPROVED:
        raise ValidationError(_("п. 10: результат записывается только по утверждённому графику оценки."),
                              code="schedule_not_approved")
    if not entry.is_evaluated:
        raise ValidationError(
            _("п. %(rule)s: за этот период служащий не оценивается; результат не записывается.")
            % {"rule": entry.rule_id.removeprefix("R")}, code="not_evaluated")
    result, created = PeriodResult.objects.select_for_update().get_or_create(
        entry=entry, defaults={"score": score, "completed_at": completed_at or timezone.now()}
    )
    if created:
        queue_result_notice(result)  # R11.1
    elif result.score != score or _later(completed_at, result):
        # A sheet is sent once; sent again only after a re-evaluation ordered on appeal
        # (R13): a new evaluation, which the person acknowledges again (R11.1).
        result.score = score
        result.completed_at = completed_at or timezone.now()
        result.save()
        start_again_after_reevaluation(result)
    return result


def _later(completed_at, result: PeriodResult) -> bool:
    return completed_at is not None and completed_at > result.completed_at


@transaction.atomic
def record_gradation(*, entry: ScheduleEntry, gradation: str, completed_at=None) -> PeriodResult:
    """R48: a chapter-6 result is a gradation from the count of KCIs achieved, with no 0–5
    score. Stored in the same table so that pages, reports and R20 treat it like any result."""
    if gradation not in Gradation.values:
        raise ValidationError(_("п. 48: неизвестная градация результата."), code="bad_gradation")
    if entry.method != Method.LEGACY:
        raise ValidationError(_("п. 48: результат без оценки записывается только в порядке главы 6."),
                              code="not_legacy")
    if entry.schedule.state != ScheduleState.APPROVED:
        raise ValidationError(_("п. 10: результат записывается только по утверждённому графику оценки."),
                              code="schedule_not_approved")
    result, created = PeriodResult.objects.select_for_update().get_or_create(
        entry=entry, defaults={"score": None, "gradation": gradation, "completed_at": completed_at or timezone.now()}
    )
    if created:
        queue_result_notice(result)  # R65
    elif result.gradation != gradation or _later(completed_at, result):
        result.gradation = gradation
        result.completed_at = completed_at or timezone.now()
        result.save()
        start_again_after_reevaluation(result)  # a new evaluation is acknowledged again (R65)
    return result


@transaction.atomic
def adjust_result(*, result: PeriodResult, basis: str, score=None, gradation: str | None = None,
                  at=None) -> PeriodResult:
    """R41.2 (a calibration session), R13 (an appeal), R62–R63 (the Commission's revision):
    the adjusted value becomes the result everywhere; the value before the first adjustment
    stays in `original_score`/`original_gradation`, and history keeps every step.

    `basis` names the decision in words (for example «протокол калибровочной сессии от
    12.02.2026»); a chapter-6 result is adjusted by `gradation`, any other by `score`."""
    basis = (basis or "").strip()
    if not basis:
        raise ValidationError(_("Изменение результата требует основания (номер и дата решения)."), code="no_basis")
    if len(basis) > PeriodResult._meta.get_field("adjustment_basis").max_length:
        raise ValidationError(_("Основание изменения длиннее 300 знаков."), code="basis_too_long")
    result = PeriodResult.objects.select_for_update().get(pk=result.pk)
    if result.score is None:
        if gradation not in Gradation.values:
            raise ValidationError(_("п. 63: укажите градацию результата."), code="bad_gradation")
        new_score, new_gradation = None, gradation
    else:
        new_score = clean_score(score)
        new_gradation = gradation_for(new_score)
    if not result.is_adjusted:
        result.original_score, result.original_gradation = result.score, result.gradation
    result.score, result.gradation = new_score, new_gradation
    result.adjusted_at = at or timezone.now()
    result.adjustment_basis = basis
    result.save()
    return result


def annual_result(*, employee_id: int, year: int, method: str) -> tuple[Decimal, str, int] | None:
    """R4: the final KCI or ranking score is the mean of the quarterly scores of the year's
    reported quarters. Returns (score, gradation, number of quarters) or None."""
    if method not in (Method.KCI, Method.RANKING):
        raise ValueError("R4 annual means apply to KCI and ranking only")
    scores = list(
        PeriodResult.objects.filter(
            entry__employee_id=employee_id, entry__method=method, entry__schedule__state=ScheduleState.APPROVED,
            entry__schedule__period__kind="quarter", entry__schedule__period__year=year,
        ).values_list("score", flat=True)
    )
    if not scores:
        return None
    score = mean_score(scores)
    return score, gradation_for(score), len(scores)


def partial_year_note(*, year: int, quarters: int, today: dt.date | None = None) -> str:
    """R4: the annual mean is final only once the year is over and its four quarters are
    scored; before that it must not read as the year's result. "" when it is final."""
    today = today or timezone.localdate()
    if quarters >= 4 and today > dt.date(year, 12, 31):
        return ""
    if today <= dt.date(year, 12, 31):
        return _("за %(n)s из 4 кварталов, год не завершён") % {"n": quarters}
    return _("за %(n)s из 4 кварталов") % {"n": quarters}


def annual_title(*, year: int, quarters: int, today: dt.date | None = None) -> str:
    """The heading of an R4 annual mean: «Итог 2026 года» only when it is final."""
    note = partial_year_note(year=year, quarters=quarters, today=today)
    if not note:
        return _("Итог %(y)s года") % {"y": year}
    return _("Среднее за %(y)s год (%(note)s)") % {"y": year, "note": note}
