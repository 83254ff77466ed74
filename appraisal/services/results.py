"""R4, R7: recording a period's result and the annual result as the mean of the quarters.

Every chapter records its result here, so there is one place where a score is rounded and
graded (appraisal.scoring) and one history of results.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import Method, PeriodResult, ScheduleEntry, ScheduleState
from appraisal.scoring import clean_score, gradation_for, mean_score


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
    if not created and result.score != score:
        result.score = score
        result.completed_at = completed_at or timezone.now()
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
