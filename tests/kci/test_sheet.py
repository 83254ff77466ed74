"""R22.5, R22.6, R26, R27, R4, R7: preliminary calculation, score sheet, results, notice."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisal.hooks import run_tick
from appraisal.models import OutboxMessage, PeriodResult
from appraisal.services.results import annual_result
from appraisal.tasks import tick
from kci import services
from kci.models import KciScoreSheet, SheetState
from kci.selectors import plan_deadlines
from tests.factories import quarter
from tests.kci.conftest import approved_schedule, head_entry, posted_plan, sent_sheet

D = Decimal


def scores_for(sheet, values):
    return {line.pk: (v, "") for line, v in zip(sheet.lines.order_by("kci__number"), values)}


def test_R27_percent_computed_and_admissible_scores_from_the_table(org, entry):
    plan = posted_plan(org, entry, targets=["100", "40", "8"])
    sheet = sent_sheet(org, plan, ["100", "30", "3"])
    lines = list(sheet.lines.order_by("kci__number"))
    assert [line.percent for line in lines] == [D("100.00"), D("75.00"), D("37.50")]
    assert [line.admissible_list for line in lines] == [[5], [3], [1]]


def test_R27_percent_on_zero_target_refused():
    with pytest.raises(ValidationError, match=r"п. 27: процент не вычисляется при нулевом целевом значении"):
        services.compute_percent(D("0"), D("5"))
    assert services.compute_percent(D("3"), D("1")) == D("33.33")


def test_R27_score_outside_admissible_refused(org, entry):
    plan = posted_plan(org, entry)
    sheet = sent_sheet(org, plan, ["100", "90", "50"])  # 5 / 4 / 2
    with pytest.raises(ValidationError, match=r"п. 27: по КЦИ № 2 при достижении 90.00 % допустимы оценки: 4"):
        services.submit_sheet(sheet=sheet, by=org.chairman.user, scores=scores_for(sheet, [5, 5, 2]))
    with pytest.raises(ValidationError, match=r"п. 7"):
        services.submit_sheet(sheet=sheet, by=org.chairman.user, scores=scores_for(sheet, [6, 4, 2]))
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SENT
    assert not PeriodResult.objects.exists()
    assert list(sheet.lines.values_list("score", flat=True)) == [None, None, None]


def test_R27_only_the_evaluator_scores(org, entry):
    sheet = sent_sheet(org, posted_plan(org, entry), ["100", "100", "100"])
    for user in (org.chief.user, org.head.user):
        with pytest.raises(PermissionDenied, match=r"п. 27"):
            services.submit_sheet(sheet=sheet, by=user, scores=scores_for(sheet, [5, 5, 5]))


def test_R7_quarter_result_is_mean_of_kci_scores_with_gradation(org, entry):
    sheet = sent_sheet(org, posted_plan(org, entry), ["100", "90", "50"])
    services.submit_sheet(sheet=sheet, by=org.chairman.user, scores=scores_for(sheet, [5, 4, 2]))
    result = PeriodResult.objects.get(entry=entry)
    assert result.score == D("3.67") and result.gradation == "proper"
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED and sheet.score == D("3.67")


def test_R4_annual_result_is_mean_of_quarters(org):
    for q, actuals, scores in ((1, ["100"] * 3, [5, 5, 5]), (2, ["50", "50", "50"], [2, 2, 2])):
        schedule = approved_schedule(org, quarter(2025, q))
        entry = head_entry(schedule, org)
        sheet = sent_sheet(org, posted_plan(org, entry), actuals)
        services.submit_sheet(sheet=sheet, by=org.chairman.user, scores=scores_for(sheet, scores))
    score, gradation, n = annual_result(employee_id=org.head.pk, year=2025, method="kci")
    assert (score, gradation, n) == (D("3.50"), "proper", 2)


def test_R22_6_preliminary_calculation_by_chief_with_evidence(org, entry, settings, tmp_path):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path
    plan = posted_plan(org, entry)
    with pytest.raises(PermissionDenied, match=r"п. 22.6"):
        services.ensure_sheet(plan=plan, by=org.chairman.user)
    sheet = services.ensure_sheet(plan=plan, by=org.chief.user)
    line = sheet.lines.first()
    with pytest.raises(ValidationError, match=r"пояснение или файл"):
        services.save_actual(line=line, by=org.chief.user, actual="10")
    with pytest.raises(PermissionDenied):
        services.save_actual(line=line, by=org.chairman.user, actual="10", note="x")
    services.save_actual(line=line, by=org.chief.user, actual="10",
                         evidence=SimpleUploadedFile("akt.pdf", b"%PDF-1.4 test"))
    line.refresh_from_db()
    assert line.evidence.name.endswith(".pdf") and line.actual == D("10")
    with pytest.raises(ValidationError, match=r"п. 22.6: внесите фактические значения всех КЦИ"):
        services.send_sheet(sheet=sheet, by=org.chief.user)


def test_R22_6_deadline_five_working_days_before_R4_flagged(org, entry):
    plan = posted_plan(org, entry)
    statuses = {s.rule_id: s for s in plan_deadlines(plan, dt.date(2025, 7, 2))}
    # R4: 10 July 2025 (Thu); five working days back, Capital Day moved to 7 July: 2 July.
    assert statuses["R22.5"].date == dt.date(2025, 7, 10)
    assert statuses["R22.6"].date == dt.date(2025, 7, 2)
    assert not statuses["R22.6"].overdue
    with time_machine.travel(dt.datetime(2025, 7, 4, 10), tick=False):
        sheet = sent_sheet(org, plan, ["100", "100", "100"])
    assert sheet.state == SheetState.SENT  # late: flagged, not refused
    plan.refresh_from_db()
    statuses = {s.rule_id: s for s in plan_deadlines(plan, dt.date(2025, 7, 5))}
    assert statuses["R22.6"].overdue and statuses["R22.6"].done_on == dt.date(2025, 7, 4)


def test_R22_5_evaluation_after_R4_day_is_flagged_overdue(org, entry):
    plan = posted_plan(org, entry)
    statuses = {s.rule_id: s for s in plan_deadlines(plan, dt.date(2025, 7, 11))}
    assert statuses["R22.5"].overdue


def test_R22_6_no_calculation_before_posting(org, entry):
    from tests.kci.conftest import plan_with_kcis

    plan = plan_with_kcis(org, entry)
    with pytest.raises(ValidationError, match=r"п. 22.3"):
        services.ensure_sheet(plan=plan, by=org.chief.user)


def test_R25_no_amendment_after_calculation_is_sent(org, entry):
    plan = posted_plan(org, entry)
    sent_sheet(org, plan, ["1", "1", "1"])
    with pytest.raises(ValidationError, match=r"п. 25"):
        services.plan_transition(plan=plan, name="amend", by=org.chairman.user, basis="functions", reason="x")


def test_R27_concurrent_submission_one_wins_other_told_nothing_lost(org, entry):
    sheet = sent_sheet(org, posted_plan(org, entry), ["100", "90", "50"])
    first = KciScoreSheet.objects.get(pk=sheet.pk)
    second = KciScoreSheet.objects.get(pk=sheet.pk)
    services.submit_sheet(sheet=first, by=org.chairman.user, scores=scores_for(sheet, [5, 4, 2]))
    with pytest.raises(ValidationError, match=r"уже изменён другим пользователем"):
        services.submit_sheet(sheet=second, by=org.chairman.user,
                              scores={pk: (v, "второй") for pk, (v, _c) in scores_for(sheet, [5, 4, 2]).items()})
    lines = sheet.lines.order_by("kci__number")
    assert list(lines.values_list("score", flat=True)) == [D(5), D(4), D(2)]
    assert set(lines.values_list("comment", flat=True)) == {""}
    assert PeriodResult.objects.get(entry=entry).score == D("3.67")


def test_R26_head_notified_once_by_the_5th(org, entry):
    # quarter not over yet: nothing
    with time_machine.travel(dt.datetime(2025, 6, 30, 12), tick=False):
        run_tick(dt.datetime.now(dt.UTC))
    assert not OutboxMessage.objects.filter(rule_id="R26").exists()
    # from the day after the quarter: queued (e-mail and SMS), once whatever retries
    with time_machine.travel(dt.datetime(2025, 7, 1, 9), tick=False):
        tick()
        tick()
        run_tick(dt.datetime.now(dt.UTC))
    rows = OutboxMessage.objects.filter(rule_id="R26")
    assert sorted(rows.values_list("key", flat=True)) == [f"R26:{entry.pk}:email", f"R26:{entry.pk}:sms"]
    assert all(r.recipient in (org.head.email, org.head.mobile) for r in rows)
    assert rows.filter(state="sent").count() == 2
    sent_at = rows.first().sent_at
    assert sent_at.date() <= dt.date(2025, 7, 5)
    with time_machine.travel(dt.datetime(2025, 7, 5, 9), tick=False):
        tick()
    assert OutboxMessage.objects.filter(rule_id="R26").count() == 2


def test_R26_nothing_for_heads_not_evaluated_by_kci(org):
    org.head.appointments.update(start=dt.date(2025, 4, 20))
    approved_schedule(org, quarter(2025, 2), on=dt.date(2025, 4, 21))
    with time_machine.travel(dt.datetime(2025, 7, 1, 9), tick=False):
        tick()
    assert not OutboxMessage.objects.filter(rule_id="R26").exists()


def test_R26_schedule_approved_after_the_5th_still_notifies_the_head_late_once(org):
    """The head must not learn of the evaluation only from its result: a schedule approved
    on 7 July (after the R26 day, 5 July) still sends the notice, once, saying it is late."""
    approved_schedule(org, quarter(2025, 2), on=dt.date(2025, 7, 7))
    with time_machine.travel(dt.datetime(2025, 7, 7, 12), tick=False):
        tick()
        tick()
    emails = OutboxMessage.objects.filter(rule_id="R26", channel="email")
    assert emails.count() == 1
    assert "после срока п. 26 (05.07.2025)" in emails.get().body


def test_R26_no_late_notice_once_the_sheet_is_scored(org):
    schedule = approved_schedule(org, quarter(2025, 2), on=dt.date(2025, 7, 7))
    plan = services.create_plan(entry=head_entry(schedule, org), by=org.chairman.user)
    KciScoreSheet.objects.create(plan=plan, state=SheetState.SUBMITTED)
    with time_machine.travel(dt.datetime(2025, 7, 8, 12), tick=False):
        tick()
    assert not OutboxMessage.objects.filter(rule_id="R26").exists()
