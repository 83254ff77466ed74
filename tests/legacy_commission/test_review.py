"""R49–R53 (chapter 6): the sheet goes to the higher supervisor, who agrees or returns it
for rework (only for insufficient or unreliable evidence); the reworked sheet is due back
within two working days; the signed sheet goes to the Commission within two working days."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.models import OutboxMessage
from legacy_commission import selectors
from legacy_commission.models import LegacySheetState, ReturnReason, ReviewDecision, ReviewRound
from legacy_commission.services import sheets
from tests.legacy_commission.legacy_setup import SHEET_DAY, filled_sheet, fresh, legacy_entry, on, sent_sheet

pytestmark = pytest.mark.django_db
D = dt.date
RETURN_DAY = D(2023, 1, 9)  # Monday: the resubmission is due on Wednesday 11.01.2023
SIGN_DAY = D(2023, 1, 12)  # Thursday: the Commission is due by Monday 16.01.2023


@pytest.fixture
def entry(org):
    return legacy_entry(org)


def returned(org, sheet, day=RETURN_DAY):
    with on(day):
        return sheets.return_sheet(sheet=fresh(sheet), by=org.chairman.user, reason_kind=ReturnReason.INSUFFICIENT,
                                   reason="Нет подтверждения по КЦИ 2: приложите акт")


def test_R49_the_signed_sheet_goes_to_the_higher_supervisor(org, entry):
    sheet = filled_sheet(org, entry)
    for user in (org.chairman.user, org.chief.user, org.staff[0].user):
        with on(SHEET_DAY), pytest.raises(PermissionDenied, match=r"п\. 49"):
            sheets.send_sheet(sheet=fresh(sheet), by=user)
    assert fresh(sheet).state == LegacySheetState.DRAFT
    with on(SHEET_DAY):
        sheets.send_sheet(sheet=fresh(sheet), by=org.head.user)
    sheet = fresh(sheet)
    assert sheet.state == LegacySheetState.ON_REVIEW and sheet.sent_by == org.head.user
    first = sheet.rounds.get()
    assert (first.number, first.decision, first.achieved_count, len(first.lines)) == (1, ReviewDecision.PENDING, 4, 5)
    assert OutboxMessage.objects.filter(key__startswith=f"R49:legacy:{sheet.pk}:1", recipient=org.chairman.email).exists()


def test_R50_the_higher_supervisor_agrees_and_signs_nobody_else(org, entry):
    sheet = sent_sheet(org, entry)
    for user in (org.head.user, org.chief.user, org.staff[0].user):
        with on(SHEET_DAY), pytest.raises(PermissionDenied, match=r"п\. 50"):
            sheets.sign_sheet(sheet=fresh(sheet), by=user)
    assert fresh(sheet).state == LegacySheetState.ON_REVIEW
    with on(SHEET_DAY):
        sheets.sign_sheet(sheet=fresh(sheet), by=org.chairman.user)
    sheet = fresh(sheet)
    assert sheet.state == LegacySheetState.SIGNED and sheet.signed_by == org.chairman.user
    assert sheet.rounds.get().decision == ReviewDecision.AGREED
    with on(SHEET_DAY), pytest.raises(ValidationError, match=r"п\. 47"):
        sheets.save_line(line=sheet.lines.first(), by=org.head.user, achieved="no")


@pytest.mark.parametrize(("kind", "text"), [("", "Нет акта"), ("quality", "Нет акта"), ("insufficient", "   ")])
def test_R51_a_return_needs_the_reason_of_p51_and_words(org, entry, kind, text):
    sheet = sent_sheet(org, entry)
    with on(RETURN_DAY), pytest.raises(ValidationError, match=r"п\. 51"):
        sheets.return_sheet(sheet=fresh(sheet), by=org.chairman.user, reason_kind=kind, reason=text)
    sheet = fresh(sheet)
    assert sheet.state == LegacySheetState.ON_REVIEW and not sheet.return_reason
    assert sheet.rounds.get().decision == ReviewDecision.PENDING


def test_R51_only_the_higher_supervisor_returns_and_the_reason_is_kept(org, entry):
    sheet = sent_sheet(org, entry)
    with on(RETURN_DAY), pytest.raises(PermissionDenied, match=r"п\. 50"):
        sheets.return_sheet(sheet=fresh(sheet), by=org.chief.user, reason_kind="unreliable", reason="x")
    returned(org, sheet)
    sheet = fresh(sheet)
    assert sheet.state == LegacySheetState.RETURNED and sheet.return_reason_kind == ReturnReason.INSUFFICIENT
    first = sheet.rounds.get()
    assert first.decision == ReviewDecision.RETURNED and "КЦИ 2" in first.reason
    assert OutboxMessage.objects.filter(key__startswith=f"R52:legacy:{sheet.pk}:1", body__contains="11.01.2023").exists()


def test_R52_resubmitted_on_the_second_working_day_is_on_time(org, entry):
    sheet = sent_sheet(org, entry)
    returned(org, sheet)
    assert sheets.resubmission_due(fresh(sheet)) == D(2023, 1, 11)
    with on(D(2023, 1, 11)):
        sheets.send_sheet(sheet=fresh(sheet), by=org.head.user)
    second = fresh(sheet).rounds.get(number=2)
    assert second.due_on == D(2023, 1, 11) and not second.late


def test_R52_resubmitted_the_day_after_is_flagged_late_and_every_round_is_kept(org, entry):
    sheet = sent_sheet(org, entry)
    returned(org, sheet)
    assert next(d for d in selectors.deadlines(fresh(sheet).plan, D(2023, 1, 12)) if d.rule_id == "R52").overdue
    with on(D(2023, 1, 12)):
        line = fresh(sheet).lines.order_by("kci__number")[1]
        sheets.save_line(line=line, by=org.head.user, achieved="yes", evidence="акт № 7 от 20.12.2022")
        sheets.send_sheet(sheet=fresh(sheet), by=org.head.user)
    sheet = fresh(sheet)
    assert sheet.state == LegacySheetState.ON_REVIEW
    first, second = sheet.rounds.order_by("number")
    assert first.decision == ReviewDecision.RETURNED and first.lines[1]["evidence"] == "отчёт по КЦИ 2"
    assert second.late and second.due_on == D(2023, 1, 11) and second.lines[1]["evidence"].startswith("акт № 7")
    late = [d for d in selectors.deadlines(sheet.plan, D(2023, 1, 13)) if d.rule_id == "R52"]
    assert late and late[0].late and late[0].done_on == D(2023, 1, 12)
    assert sheet.history.filter(state=LegacySheetState.RETURNED).exists()


def test_R53_the_chief_specialist_submits_the_signed_sheet_within_two_working_days(org, entry):
    sheet = sent_sheet(org, entry)
    with on(SIGN_DAY):
        sheets.sign_sheet(sheet=fresh(sheet), by=org.chairman.user)
    assert sheets.commission_due(fresh(sheet)) == D(2023, 1, 16)
    for user in (org.head.user, org.chairman.user, org.staff[0].user):
        with on(D(2023, 1, 16)), pytest.raises(PermissionDenied, match=r"п\. 53"):
            sheets.submit_to_commission(sheet=fresh(sheet), by=user)
    due = next(d for d in selectors.deadlines(fresh(sheet).plan, D(2023, 1, 16)) if d.rule_id == "R53")
    assert due.date == D(2023, 1, 16) and not due.late
    assert next(d for d in selectors.deadlines(fresh(sheet).plan, D(2023, 1, 17)) if d.rule_id == "R53").overdue
    with on(D(2023, 1, 16)):
        sheets.submit_to_commission(sheet=fresh(sheet), by=org.chief.user)
    sheet = fresh(sheet)
    assert sheet.state == LegacySheetState.SUBMITTED and sheet.submitted_by == org.chief.user
    done = next(d for d in selectors.deadlines(sheet.plan, D(2023, 2, 1)) if d.rule_id == "R53")
    assert done.done_on == D(2023, 1, 16) and not done.late


def test_R53_submitted_the_day_after_is_late_but_submitted(org, entry):
    sheet = sent_sheet(org, entry)
    with on(SIGN_DAY):
        sheets.sign_sheet(sheet=fresh(sheet), by=org.chairman.user)
    with on(D(2023, 1, 17)):
        sheets.submit_to_commission(sheet=fresh(sheet), by=org.chief.user)
    sheet = fresh(sheet)
    assert sheet.state == LegacySheetState.SUBMITTED
    assert next(d for d in selectors.deadlines(sheet.plan, D(2023, 2, 1)) if d.rule_id == "R53").late


def test_R53_an_unsigned_sheet_is_not_submitted(org, entry):
    sheet = sent_sheet(org, entry)
    with on(SIGN_DAY), pytest.raises(ValidationError, match="недоступно"):
        sheets.submit_to_commission(sheet=fresh(sheet), by=org.chief.user)
    assert fresh(sheet).state == LegacySheetState.ON_REVIEW


def test_R51_return_page_refuses_a_return_without_reason_in_russian(org, entry):
    sheet = sent_sheet(org, entry)
    client = Client()
    client.force_login(org.chairman.user)
    url = reverse("legacy_commission:sheet_transition",
                  kwargs={"legacy_sheet_id": sheet.pk, "name": "return_for_rework"})
    with on(RETURN_DAY):
        page = client.post(url, {"reason_kind": "", "reason": "нет"}, follow=True)
    assert "п. 51" in page.content.decode() and fresh(sheet).state == LegacySheetState.ON_REVIEW
    with on(RETURN_DAY):
        client.post(url, {"reason_kind": "unreliable", "reason": "Акт не подписан"})
    assert fresh(sheet).state == LegacySheetState.RETURNED
    assert ReviewRound.objects.get().reason_kind == ReturnReason.UNRELIABLE


def _lines_with_sheets(org, count):
    """`count` chapter-6 lines of IV quarter 2022, each with an approved plan and a sent sheet."""
    from appraisal.models import AbsenceKind
    from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
    from legacy_commission.services import plans
    from tests.factories import AbsenceFactory, quarter
    from tests.legacy_commission.legacy_setup import kci_data

    people = org.add_staff(count, prefix="Отпуск")
    for person in people:
        AbsenceFactory(employee=person, kind=AbsenceKind.SOCIAL_LEAVE, start=D(2022, 6, 1), end=D(2022, 11, 30))
    with on(D(2022, 10, 3)):
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2022, 4), by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
    for person in people:
        entry = schedule.entries.get(employee=person)
        with on(D(2022, 10, 5)):
            plan = plans.create_plan(entry=entry, by=org.head.user)
            for n in range(1, 6):
                plans.save_kci(plan=plan, by=org.head.user, data=kci_data(n))
            plans.plan_transition(plan=plan, name="submit", by=org.head.user)
            plans.plan_transition(plan=fresh(plan), name="approve", by=org.chairman.user)
        with on(SHEET_DAY):
            sheet = sheets.open_sheet(plan=fresh(plan), by=org.head.user)
            for line in sheet.lines.all():
                sheets.save_line(line=line, by=org.head.user, achieved="no")
            sheets.send_sheet(sheet=fresh(sheet), by=org.head.user)
        returned(org, sheet)


@pytest.mark.parametrize("count", [1, 4])
def test_R52_R53_overview_costs_the_same_queries_for_one_line_or_many(org, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _lines_with_sheets(org, count)
    org.chief.user.refresh_from_db()
    with on(D(2023, 1, 20)), CaptureQueriesContext(connection) as queries:
        rows = selectors.overview_rows(org.chief.user, D(2023, 1, 20))
    assert len(rows) == count and all(any(d.overdue for d in row["late"]) for row in rows)
    # roles, lines (with plan and sheet), rounds, calendar overrides, editions, and the R20
    # selector's own lookups (the user's employee ids, the lines each chapter grants: issue
    # 12 replaced its 18-relation join by these id lists): the same for 1 line or 4
    assert len(queries) <= 9, [q["sql"][:120] for q in queries]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.one_of(st.sampled_from(["insufficient", "unreliable", "", "other"]), st.text(max_size=15), st.none()),
       reason=st.one_of(st.text(max_size=2100), st.none()))
def test_R51_any_return_input_returns_the_sheet_or_is_refused_with_nothing_changed(org, kind, reason):
    from legacy_commission.models import LegacySheet

    if not LegacySheet.objects.exists():
        sent_sheet(org, legacy_entry(org))
    sheet = LegacySheet.objects.get()
    if sheet.state != LegacySheetState.ON_REVIEW:
        with on(D(2023, 1, 10)):
            sheets.send_sheet(sheet=sheet, by=org.head.user)
        sheet = fresh(sheet)
    rounds = list(ReviewRound.objects.values_list("pk", "decision"))
    with on(D(2023, 1, 10)):
        try:
            sheets.return_sheet(sheet=sheet, by=org.chairman.user, reason_kind=kind, reason=reason)
        except ValidationError as exc:
            assert all("п. 51" in m for m in exc.messages), exc.messages
            assert fresh(sheet).state == LegacySheetState.ON_REVIEW
            assert list(ReviewRound.objects.values_list("pk", "decision")) == rounds
            return
    returned_sheet = fresh(sheet)
    assert returned_sheet.state == LegacySheetState.RETURNED and returned_sheet.return_reason == reason.strip()
    assert returned_sheet.return_reason_kind == kind and 0 < len(returned_sheet.return_reason) <= 2000
