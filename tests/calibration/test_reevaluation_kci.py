"""R13: a re-evaluation ordered on appeal reopens the head's KCI sheet through the core hook
(kci/reevaluation.py); the old scores are kept as a snapshot, history keeps every step, and
the new submission supersedes the result."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from appraisal import hooks
from appraisal.models import PeriodResult
from kci import services
from kci.models import KciScoreSheet, SheetState
from tests.factories import quarter
from tests.kci.conftest import approved_schedule, head_entry, posted_plan, sent_sheet

pytestmark = pytest.mark.django_db


def _scores(sheet, values):
    return {line.pk: (value, "") for line, value in zip(sheet.lines.order_by("kci__number"), values, strict=True)}


def test_R13_reevaluation_reopens_the_kci_sheet_and_the_new_result_supersedes(org):
    entry = head_entry(approved_schedule(org, quarter(2025, 2)), org)
    sheet = sent_sheet(org, posted_plan(org, entry), ["100", "90", "50"])
    services.submit_sheet(sheet=sheet, by=org.chairman.user, scores=_scores(sheet, [5, 4, 2]))
    assert PeriodResult.objects.get(entry=entry).score == Decimal("3.67")

    snapshot = hooks.run_reevaluation(entry=entry, by=org.chief.user)
    assert snapshot["sheet"]["model"] == "kci.kciscoresheet" and snapshot["score"] == "3.67"
    assert [line["score"] for line in snapshot["lines"]] == ["5.00", "4.00", "2.00"]
    sheet = KciScoreSheet.objects.get(pk=sheet.pk)
    assert sheet.state == SheetState.SENT and sheet.score is None
    assert sheet.history.first().history_change_reason.startswith("п. 13")

    # The evaluator may have the calculation corrected (the appeal found the third KCI achieved).
    services.return_sheet(sheet=sheet, by=org.chairman.user, reason="п. 13: повторная оценка, уточнить КЦИ № 3")
    line = sheet.lines.order_by("kci__number").last()
    services.save_actual(line=line, by=org.chief.user, actual="100", note="акт сверки по решению суда")
    services.send_sheet(sheet=KciScoreSheet.objects.get(pk=sheet.pk), by=org.chief.user)
    sheet = KciScoreSheet.objects.get(pk=sheet.pk)
    services.submit_sheet(sheet=sheet, by=org.chairman.user, scores=_scores(sheet, [5, 4, 5]))
    result = PeriodResult.objects.get(entry=entry)
    assert result.score == Decimal("4.67")
    assert [h.score for h in result.history.order_by("history_date")] == [Decimal("3.67"), Decimal("4.67")]


def test_R13_reevaluation_of_a_kci_sheet_not_yet_scored_is_refused(org):
    entry = head_entry(approved_schedule(org, quarter(2025, 2)), org)
    sheet = sent_sheet(org, posted_plan(org, entry), ["100", "90", "50"])
    with pytest.raises(ValidationError) as refused:
        hooks.run_reevaluation(entry=entry, by=org.chief.user)
    assert "п. 13" in refused.value.messages[0]
    assert KciScoreSheet.objects.get(pk=sheet.pk).state == SheetState.SENT
