"""R14 for the chapters that keep documents beside the result: a calibration case (chapter 5)
and a chapter-6 evaluation with its Commission rows are disposed of with the person's
result after three years — rows, history and files — and refused on the third anniversary
itself; colleagues' documents, the Commission and its meeting stay.

Recorded choice (docs/conformance.md, R14): of a Commission meeting, the person's documents
are the agenda item of their sheet (their row of the protocol), the votes on it and their
appeals; the Commission, its composition and the meeting with its attendance are the
organisation's and are kept."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisal import hooks
from appraisal.models import Disposal, OutboxMessage, PeriodResult, ScheduleEntry
from appraisal.services import retention
from appraisal.services.results import record_result
from calibration import models as cal
from calibration.services import appeals as cal_appeals
from calibration.services import feedback, session
from legacy_commission import models as leg
from legacy_commission.services import appeals as leg_appeals
from legacy_commission.services import commission as board_services
from legacy_commission.services import plans, sheets
from tests.calibration.conftest import COMPLETED, acknowledge, at, compose, file, hold, ranked
from tests.conftest import make_org
from tests.legacy_commission.commission_helpers import KCI, make_commission, on, quarter_2022

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _counts(models) -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in models}


def _history_ids(model, rows) -> set[int]:
    return set(model.history.filter(id__in=[row.pk for row in rows]).values_list("id", flat=True))


# --- chapter 5: a calibrated line -------------------------------------------------------

CAL_MODELS = (cal.CalibrationCase, cal.Participant, cal.Vote, cal.FeedbackMeeting, cal.Appeal, cal.Reevaluation,
              PeriodResult)
CAL_ANNIVERSARY = dt.date(2029, 10, 5)  # completed 05.10.2026: kept through this day


def _calibrated(org, result, *, members, score):
    """Acknowledged, applied, composed with `members`, held, every participant voted, protocol
    signed and posted."""
    acknowledge(result)
    case = file(result, at(dt.date(2026, 10, 7)))
    compose(org, case, members=members)
    case.refresh_from_db()
    hold(org, case)
    case.refresh_from_db()
    with time_machine.travel(at(case.session_date, 16), tick=False):
        session.save_argument(case=case, by=org.head.user, text="Аргументы оценивающего лица")
        for participant in case.participants.select_related("employee__user"):
            session.cast_vote(case=case, by=participant.employee.user, choice="adjust", score=score)
        session.sign_protocol(case=case, by=org.chief.user, signed_on=case.session_date)
        case.refresh_from_db()
        session.post_protocol(case=case, by=org.chief.user)
    case.refresh_from_db()
    return case


@pytest.fixture
def calibrated(db):
    """Q3 2026: staff[0]'s result calibrated (with the feedback meeting and an appeal that
    ordered a re-evaluation), and a colleague's (staff[1]) calibrated too, staff[0] sitting
    in the colleague's session and voting there."""
    org = make_org(2)
    result, _sheet = ranked(org)  # through the ranking sheet, which R13's re-evaluation reopens
    colleague_entry = ScheduleEntry.objects.get(schedule=result.entry.schedule, employee=org.staff[1])
    with time_machine.travel(COMPLETED, tick=False):
        colleague_result = record_result(entry=colleague_entry, score="3.00", completed_at=COMPLETED)
    case = _calibrated(org, result, members=[org.staff[1], org.chairman], score="4.50")
    colleague_case = _calibrated(org, colleague_result, members=[org.staff[0], org.chairman], score="3.50")
    later = case.session_date + dt.timedelta(days=3)
    with time_machine.travel(at(later), tick=False):
        feedback.record_feedback(case=case, by=org.head.user, held_on=later, achievements="Подготовлено 14 решений",
                                 skills="Освоен ЕСЭДО", potential="Готова к повышению")
        appeal = cal_appeals.record_appeal(case=case, by=org.chief.user, filed_on=later, body="суд")
    with time_machine.travel(at(later + dt.timedelta(days=20)), tick=False):
        cal_appeals.decide_appeal(appeal=appeal, by=org.chief.user, outcome=cal.AppealOutcome.REEVALUATION,
                                  decided_on=later + dt.timedelta(days=20), reference="решение № 2-145/2026")
    org.entry, org.case, org.colleague_case = result.entry, case, colleague_case
    return org


def test_R14_a_calibrated_line_is_kept_on_the_third_anniversary(calibrated):
    org = calibrated
    before = _counts(CAL_MODELS)
    with time_machine.travel(at(CAL_ANNIVERSARY, 23), tick=False):
        assert retention.lines_due(organisation=org.organisation) == []
        with pytest.raises(ValidationError, match=r"п\. 14: .* уничтожение возможно с 06\.10\.2029"):
            retention.dispose(entry_ids=[org.entry.pk], by=org.chief.user)
    assert _counts(CAL_MODELS) == before and not Disposal.objects.exists()
    assert cal.CalibrationCase.objects.filter(pk=org.case.pk).exists()


def test_R14_a_calibrated_line_is_disposed_of_the_day_after_with_its_case_and_colleagues_rows_stay(
        calibrated, django_capture_on_commit_callbacks):
    org = calibrated
    case, colleague_case = org.case, org.colleague_case
    participants = list(case.participants.all())
    votes = list(cal.Vote.objects.filter(participant__case=case))
    assert len(participants) == len(votes) == 4  # evaluator, organiser and two members
    invitation = OutboxMessage.objects.get(key=f"R39:case:{case.pk}:invite:{participants[0].pk}:email")
    assert [name for name, *_rest in hooks.email_attachments(invitation)] == ["calibration.ics"]
    colleague_before = {
        "participants": set(colleague_case.participants.values_list("pk", "employee_id")),
        "votes": set(cal.Vote.objects.filter(participant__case=colleague_case).values_list("pk", "score")),
    }
    staff0_seat = colleague_case.participants.get(employee=org.staff[0])
    assert staff0_seat.vote  # staff[0] voted in the colleague's session

    with time_machine.travel(at(CAL_ANNIVERSARY + dt.timedelta(days=1), 9), tick=False):
        due = {line.entry.pk: dict(line.documents) for line in retention.lines_due(organisation=org.organisation)}
        assert due[org.entry.pk]["Калибровочные сессии (заявление, протокол)"] == 1
        assert due[org.entry.pk]["Голоса участников калибровочной сессии"] == 4
        with django_capture_on_commit_callbacks(execute=True):
            [disposal] = retention.dispose(entry_ids=[org.entry.pk], by=org.chief.user)

    assert dict(disposal.documents) == {
        "Голоса участников калибровочной сессии": 4, "Участники калибровочной сессии (позиции)": 4,
        "Встречи обратной связи после калибровки": 1, "Повторные оценки по жалобе": 1,
        "Обжалования решений калибровочных сессий": 1, "Калибровочные сессии (заявление, протокол)": 1,
        "Листы оценки методом ранжирования": 1, "Ознакомления с результатом": 1, "Результат оценки": 1,
    }
    # The case with its application, protocol scores, votes, positions and every history row.
    assert not cal.CalibrationCase.objects.filter(pk=case.pk).exists()
    assert not cal.CalibrationCase.history.filter(id=case.pk).exists()
    assert not _history_ids(cal.Participant, participants) and not _history_ids(cal.Vote, votes)
    for model in (cal.FeedbackMeeting, cal.Appeal, cal.Reevaluation):
        assert not model.objects.exists() and not model.history.exists()
    assert not PeriodResult.objects.filter(entry=org.entry).exists()
    # The .ics is computed from the case when sent: nothing of the session is left to attach.
    assert hooks.email_attachments(invitation) == []
    # The colleague's case is whole, with staff[0]'s seat and vote in it.
    colleague_case.refresh_from_db()
    assert colleague_case.adopted_score is not None and colleague_case.history.exists()
    assert set(colleague_case.participants.values_list("pk", "employee_id")) == colleague_before["participants"]
    assert set(cal.Vote.objects.filter(participant__case=colleague_case).values_list(
        "pk", "score")) == colleague_before["votes"]
    assert cal.Vote.history.filter(id=staff0_seat.vote.pk).exists()
    assert PeriodResult.objects.filter(pk=colleague_case.result_id).exists()
    colleague_invitation = OutboxMessage.objects.get(key=f"R39:case:{colleague_case.pk}:invite:{staff0_seat.pk}:email")
    assert len(hooks.email_attachments(colleague_invitation)) == 1


# --- chapter 6: a line decided by the Commission -----------------------------------------

LEG_MODELS = (leg.LegacyPlan, leg.LegacyKci, leg.LegacySheet, leg.LegacySheetLine, leg.LegacyEvidence,
              leg.ReviewRound, leg.AgendaItem, leg.Vote, leg.Appeal, leg.CommissionMeeting, leg.MeetingAttendance,
              leg.Commission, leg.CommissionMember, PeriodResult)
MEETING_DAY = dt.date(2022, 7, 20)
LEG_ANNIVERSARY = dt.date(2025, 7, 20)  # results approved on the meeting day 20.07.2022


def _submitted_sheet(org, entry, *, achieved: int, with_file: bool) -> leg.LegacySheet:
    """Plan approved, sheet filled (with an evidence file on KCI 1), agreed and submitted."""
    with on(dt.date(2022, 4, 5)):
        plan = plans.create_plan(entry=entry, by=org.head.user)
        for n in range(5):
            plans.save_kci(plan=plan, by=org.head.user, data={**KCI, "title": f"КЦИ {n + 1}",
                                                               "deadline": dt.date(2022, 6, 30)})
        plans.plan_transition(plan=plan, name="submit", by=org.head.user)
        plans.plan_transition(plan=plan, name="approve", by=org.chairman.user)
    with on(dt.date(2022, 7, 5)):
        sheet = sheets.open_sheet(plan=plan, by=org.head.user)
        for i, line in enumerate(sheet.lines.order_by("kci__number")):
            upload = SimpleUploadedFile("акт.pdf", PDF, "application/pdf") if with_file and i == 0 else None
            sheets.save_line(line=line, by=org.head.user, achieved=i < achieved, evidence="отчёт", uploaded=upload)
        sheets.send_sheet(sheet=sheet, by=org.head.user)
        sheets.sign_sheet(sheet=leg.LegacySheet.objects.get(pk=sheet.pk), by=org.chairman.user)
    with on(dt.date(2022, 7, 14)):
        sheets.submit_to_commission(sheet=leg.LegacySheet.objects.get(pk=sheet.pk), by=org.chief.user)
    return leg.LegacySheet.objects.get(pk=sheet.pk)


@pytest.fixture
def decided(db, settings, tmp_path):
    """Q2 2022 (chapter 6): staff[0] and a colleague (staff[1]) on social leave; both sheets
    decided at one Commission meeting on 20.07.2022, the results approved that day; staff[0]
    appealed."""
    from appraisal.models import AbsenceKind
    from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
    from tests.factories import AbsenceFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    org = make_org(2)
    for person in org.staff:
        AbsenceFactory(employee=person, kind=AbsenceKind.SOCIAL_LEAVE, start=dt.date(2022, 4, 10),
                       end=dt.date(2022, 6, 20))
    with on(dt.date(2022, 4, 1)):
        schedule = generate_schedule(organisation=org.organisation, period=quarter_2022(), by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
    entries = [schedule.entries.get(employee=person) for person in org.staff]
    assert [e.method for e in entries] == ["legacy", "legacy"]
    own = _submitted_sheet(org, entries[0], achieved=4, with_file=True)
    colleague = _submitted_sheet(org, entries[1], achieved=3, with_file=True)
    board = make_commission(org, n_members=2)
    with on(dt.date(2022, 7, 15)):
        meeting = board_services.schedule_meeting(commission=board.commission, date=MEETING_DAY, place="зал",
                                                  sheets=[own, colleague], by=org.chief.user)
    with on(MEETING_DAY):
        board_services.open_meeting(meeting=meeting, by=org.chief.user, present=[
            board.chairman.pk, *[m.pk for m in board.members], board.secretary.pk])
        for item in meeting.items.all():
            for member in [board.chairman, *board.members]:
                board_services.cast_vote(item=item, by=member.employee.user, choice="approve")
        board_services.close_voting(meeting=leg.CommissionMeeting.objects.get(pk=meeting.pk), by=org.chief.user)
        board_services.approve_results(meeting=leg.CommissionMeeting.objects.get(pk=meeting.pk), by=org.official.user)
    with on(MEETING_DAY + dt.timedelta(days=2)):
        leg_appeals.file_appeal(item=meeting.items.get(sheet=own), body="agency", filed_on=MEETING_DAY,
                                by=org.staff[0].user, body_name="Департамент Агентства", reference="вх. № 15")
    org.entry, org.sheet, org.colleague_sheet, org.meeting, org.board = entries[0], own, colleague, meeting, board
    org.files = {sheet.pk: [Path(tmp_path, e.file.name) for e in leg.LegacyEvidence.objects.filter(line__sheet=sheet)]
                 for sheet in (own, colleague)}
    return org


def test_R14_a_chapter_6_line_is_kept_on_the_third_anniversary(decided):
    org = decided
    before = _counts(LEG_MODELS)
    with on(LEG_ANNIVERSARY, 23):
        with pytest.raises(ValidationError, match=r"п\. 14: .* уничтожение возможно с 21\.07\.2025"):
            retention.dispose(entry_ids=[org.entry.pk], by=org.chief.user)
    assert _counts(LEG_MODELS) == before and not Disposal.objects.exists()
    assert all(path.exists() for paths in org.files.values() for path in paths)


def test_R14_a_chapter_6_line_is_disposed_of_with_its_commission_rows_the_meeting_and_colleagues_stay(
        decided, django_capture_on_commit_callbacks):
    org = decided
    own_item = org.meeting.items.get(sheet=org.sheet)
    own_votes = list(own_item.votes.all())
    own_lines = list(org.sheet.lines.all())
    colleague_item = org.meeting.items.get(sheet=org.colleague_sheet)
    colleague_votes = set(colleague_item.votes.values_list("pk", "choice"))
    attendance = set(org.meeting.attendance.values_list("pk", "present"))
    assert len(own_votes) == 3 and org.files[org.sheet.pk][0].exists()

    with on(LEG_ANNIVERSARY + dt.timedelta(days=1), 9), django_capture_on_commit_callbacks(execute=True):
        [disposal] = retention.dispose(entry_ids=[org.entry.pk], by=org.chief.user)

    assert dict(disposal.documents) == {
        "Голоса членов Комиссии по листу оценки (глава 6)": 3, "Обжалования решений Комиссии": 1,
        "Вопросы повестки заседаний Комиссии (строки протокола)": 1, "Подтверждающие файлы (глава 6)": 1,
        "Строки листа оценки (глава 6)": 5, "Рассмотрения листа оценки (глава 6)": 1,
        "Листы оценки по КЦИ (глава 6)": 1, "КЦИ индивидуального плана (глава 6)": 5,
        "Индивидуальные планы работы (глава 6)": 1, "Результат оценки": 1,
    }
    # The person's chapter-6 documents, their history and the evidence file on disk.
    assert not leg.LegacyPlan.objects.filter(entry=org.entry).exists()
    assert not leg.LegacyPlan.history.filter(entry_id=org.entry.pk).exists()
    assert not leg.LegacySheet.history.filter(id=org.sheet.pk).exists()
    assert not _history_ids(leg.LegacySheetLine, own_lines) and not _history_ids(leg.Vote, own_votes)
    assert not leg.AgendaItem.history.filter(id=own_item.pk).exists()
    assert not leg.Appeal.objects.exists() and not leg.Appeal.history.exists()
    assert not leg.ReviewRound.objects.filter(sheet_id=org.sheet.pk).exists()
    assert not any(path.exists() for path in org.files[org.sheet.pk])
    # The organisation's: the Commission, its composition, the meeting and its attendance.
    meeting = leg.CommissionMeeting.objects.get(pk=org.meeting.pk)
    assert meeting.state == leg.MeetingState.APPROVED and meeting.history.exists()
    assert set(meeting.attendance.values_list("pk", "present")) == attendance
    assert leg.CommissionMember.objects.filter(commission=org.board.commission).count() == 4
    # The colleague's sheet, row of the protocol, votes, file and result.
    assert set(meeting.items.values_list("pk", flat=True)) == {colleague_item.pk}
    assert set(leg.AgendaItem.objects.get(pk=colleague_item.pk).votes.values_list("pk", "choice")) == colleague_votes
    assert leg.LegacySheet.objects.get(pk=org.colleague_sheet.pk).lines.count() == 5
    assert all(path.exists() for path in org.files[org.colleague_sheet.pk])
    assert PeriodResult.objects.filter(entry__employee=org.staff[1]).exists()
