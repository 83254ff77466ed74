"""R67, R68: appealing the Commission's decision, and what each outcome does."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.models import PeriodResult
from appraisal.scoring import Gradation
from appraisal.workdays import WorkingCalendar
from legacy_commission.models import (
    AgendaItem,
    Appeal,
    AppealBody,
    AppealOutcome,
    CommissionMeeting,
    LegacySheet,
    LegacySheetState,
    ReviewRound,
)
from legacy_commission.services import appeals
from legacy_commission.services import commission as svc
from legacy_commission.services import sheets as sheet_services
from tests.conftest import make_org
from tests.legacy_commission.commission_helpers import make_commission, on, submitted_sheets

MEETING_DAY = dt.date(2022, 7, 20)
TENTH_WORKING_DAY = dt.date(2022, 8, 3)


def _hold(org, board, sheets, day, votes):
    """Schedule (three working days ahead), open with everyone, vote, close, approve."""
    with on(day):
        date = svc.earliest_meeting_date(day)
        meeting = svc.schedule_meeting(commission=board.commission, date=date, place="зал", sheets=sheets,
                                       by=org.chief.user)
    with on(date):
        present = [board.chairman.pk, *[m.pk for m in board.members], board.secretary.pk]
        svc.open_meeting(meeting=meeting, present=present, by=org.chief.user)
        for item in meeting.items.all():
            for member in [board.chairman, *board.members]:
                choice, gradation = votes
                svc.cast_vote(item=item, by=member.employee.user, choice=choice, gradation=gradation)
        svc.close_voting(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.chief.user)
        svc.approve_results(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.official.user)
    return CommissionMeeting.objects.get(pk=meeting.pk)


@pytest.fixture
def case(db):
    org = make_org(n_staff=1)
    sheets = submitted_sheets(org, org.staff[:1], achieved=(3,))  # satisfactory
    board = make_commission(org, n_members=2)
    meeting = _hold(org, board, sheets, dt.date(2022, 7, 15), ("approve", None))
    assert meeting.date == MEETING_DAY
    return org, board, meeting, meeting.items.get()


def _file(item, by, filed_on, body=AppealBody.AGENCY):
    with on(filed_on):
        return appeals.file_appeal(item=item, body=body, filed_on=filed_on, by=by,
                                   body_name="Департамент Агентства по делам государственной службы по СКО",
                                   reference="вх. № 15")


def test_R67_the_last_day_is_the_tenth_working_day_after_the_decision(case):
    _org, _board, _meeting, item = case
    assert appeals.appeal_deadline(item) == TENTH_WORKING_DAY


def test_R67_appeal_on_the_tenth_working_day_is_recorded(case):
    org, _board, _meeting, item = case
    appeal = _file(item, org.staff[0].user, TENTH_WORKING_DAY)  # the employee records their own appeal
    assert appeal.outcome == "" and appeal.recorded_by == org.staff[0].user


def test_R67_appeal_on_the_eleventh_working_day_refused_nothing_saved(case):
    org, _board, _meeting, item = case
    with pytest.raises(ValidationError) as exc:
        _file(item, org.chief.user, dt.date(2022, 8, 4))
    assert "п. 67" in str(exc.value) and "03.08.2022" in str(exc.value)
    assert not Appeal.objects.exists()


def test_R67_a_colleague_cannot_record_an_appeal(case):
    _org, board, _meeting, item = case
    with pytest.raises(PermissionDenied):
        _file(item, board.members[0].employee.user, MEETING_DAY + dt.timedelta(days=1))
    assert not Appeal.objects.exists()


def test_R67_result_stands(case):
    org, _board, _meeting, item = case
    appeal = _file(item, org.chief.user, dt.date(2022, 7, 25))
    with on(dt.date(2022, 8, 20)):
        appeals.record_outcome(appeal=appeal, outcome=AppealOutcome.STANDS, outcome_on=dt.date(2022, 8, 19),
                               outcome_reference="письмо № 3-12/455 от 19.08.2022", by=org.chief.user)
    appeal.refresh_from_db()
    assert appeal.outcome == AppealOutcome.STANDS
    assert LegacySheet.objects.get(pk=item.sheet_id).state == LegacySheetState.SUBMITTED
    with on(dt.date(2022, 8, 21)), pytest.raises(ValidationError):  # an outcome is recorded once
        appeals.record_outcome(appeal=appeal, outcome=AppealOutcome.REEVALUATE, outcome_on=dt.date(2022, 8, 19),
                               outcome_reference="x", by=org.chief.user)


def test_R67_recommended_reevaluation_reopens_the_case_old_round_and_result_kept(case):
    org, board, _meeting, item = case
    appeal = _file(item, org.chief.user, dt.date(2022, 7, 25))
    with on(dt.date(2022, 8, 20)):
        appeals.record_outcome(appeal=appeal, outcome=AppealOutcome.REEVALUATE, outcome_on=dt.date(2022, 8, 19),
                               outcome_reference="рекомендация № 3-12/456 от 19.08.2022", by=org.chief.user)
    sheet = LegacySheet.objects.get(pk=item.sheet_id)
    assert sheet.state == LegacySheetState.RETURNED and "п. 67" in sheet.return_reason
    assert ReviewRound.objects.filter(sheet=sheet).count() == 1  # the earlier round stays
    result = PeriodResult.objects.get(entry=sheet.plan.entry)
    assert result.gradation == Gradation.SATISFACTORY  # stands until the new decision is approved
    # the new round: the supervisor finds a fourth KCI achieved, the chain signs and submits again
    with on(dt.date(2022, 8, 22)):
        line = sheet.lines.order_by("kci__number").last()
        sheet_services.save_line(line=line, by=org.head.user, achieved=True, evidence="акт выполнения")
        sheet_services.send_sheet(sheet=sheet, by=org.head.user)
        sheet_services.sign_sheet(sheet=LegacySheet.objects.get(pk=sheet.pk), by=org.chairman.user)
        sheet_services.submit_to_commission(sheet=LegacySheet.objects.get(pk=sheet.pk), by=org.chief.user)
    assert ReviewRound.objects.filter(sheet=sheet).count() == 2
    second = _hold(org, board, [LegacySheet.objects.get(pk=sheet.pk)], dt.date(2022, 8, 23), ("approve", None))
    result.refresh_from_db()
    assert result.gradation == Gradation.PROPER and result.original_gradation == Gradation.SATISFACTORY
    assert result.adjustment_basis == f"протокол заседания Комиссии от {second.date:%d.%m.%Y}"
    assert AgendaItem.objects.get(pk=item.pk).submitted_gradation == Gradation.SATISFACTORY  # old protocol intact


def test_R68_court_appeal_recorded_with_its_outcome(case):
    org, _board, _meeting, item = case
    appeal = _file(item, org.chief.user, dt.date(2022, 9, 15), body=AppealBody.COURT)  # no R67 limit
    with on(dt.date(2022, 11, 1)):
        appeals.record_outcome(appeal=appeal, outcome=AppealOutcome.STANDS, outcome_on=dt.date(2022, 10, 28),
                               outcome_reference="решение суда № 2-1234/2022", by=org.chief.user)
    appeal.refresh_from_db()
    assert appeal.body == AppealBody.COURT and appeal.outcome == AppealOutcome.STANDS
    assert appeal.history.count() == 2


def test_R67_appeal_before_the_commission_decided_refused(db):
    org = make_org(n_staff=1)
    sheets = submitted_sheets(org, org.staff[:1], achieved=(3,))
    board = make_commission(org, n_members=2)
    with on(dt.date(2022, 7, 15)):
        meeting = svc.schedule_meeting(commission=board.commission, date=MEETING_DAY, place="зал", sheets=sheets,
                                       by=org.chief.user)
    with pytest.raises(ValidationError) as exc:
        _file(meeting.items.get(), org.chief.user, MEETING_DAY)
    assert "п. 67" in str(exc.value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.sampled_from(AppealBody.values), st.text(max_size=12)),
       offset=st.integers(min_value=-5, max_value=30),
       reference=st.text(max_size=150))
def test_R67_any_appeal_input_is_stored_as_given_or_refused_with_nothing_saved(case, body, offset, reference):
    org, _board, _meeting, item = case
    Appeal.objects.all().delete()
    filed_on = MEETING_DAY + dt.timedelta(days=offset)
    try:
        with on(max(filed_on, MEETING_DAY)):
            appeal = appeals.file_appeal(item=item, body=body, filed_on=filed_on, by=org.chief.user,
                                         reference=reference)
    except ValidationError as exc:
        assert any(word in str(exc) for word in ("п. 67", "знаков", "символ")), exc
        assert not Appeal.objects.exists()
    else:
        assert appeal.body in AppealBody.values and appeal.reference == reference.strip()
        assert MEETING_DAY <= appeal.filed_on
        assert body == AppealBody.COURT or appeal.filed_on <= TENTH_WORKING_DAY


def test_R67_reopening_is_the_sheets_reopen_transition_recorded_in_history(case):
    org, _board, _meeting, item = case
    sheet = LegacySheet.objects.get(pk=item.sheet_id)
    # no recommendation yet: the chief specialist cannot reopen a sheet the Commission decided
    with on(dt.date(2022, 7, 25)), pytest.raises(ValidationError) as exc:
        appeals.reopen_sheet(sheet=sheet, by=org.chief.user, basis=Appeal(outcome_reference="x",
                                                                            outcome_on=dt.date(2022, 7, 25)))
    assert "п. 67" in str(exc.value)
    assert LegacySheet.objects.get(pk=sheet.pk).state == LegacySheetState.SUBMITTED
    appeal = _file(item, org.chief.user, dt.date(2022, 7, 25))
    with on(dt.date(2022, 8, 20)):
        appeals.record_outcome(appeal=appeal, outcome=AppealOutcome.REEVALUATE, outcome_on=dt.date(2022, 8, 19),
                               outcome_reference="рекомендация № 7", by=org.chief.user)
    sheet.refresh_from_db()
    assert sheet.state == LegacySheetState.RETURNED and sheet.submitted_at is None and sheet.signed_at is None
    latest = sheet.history.order_by("-history_id").first()
    assert latest.state == LegacySheetState.RETURNED and latest.history_user == org.chief.user
    assert "рекомендация № 7" in latest.history_change_reason
    before = sheet.history.order_by("-history_id")[1]
    assert before.state == LegacySheetState.SUBMITTED and before.submitted_at is not None  # the old state kept
    # only the chief specialist, only once per recommendation
    assert not any(t.name == "reopen" for t in sheet.get_available_user_state_transitions(org.chief.user))


def test_R67_only_the_chief_specialist_reopens(case):
    org, _board, _meeting, item = case
    appeal = _file(item, org.chief.user, dt.date(2022, 7, 25))
    Appeal.objects.filter(pk=appeal.pk).update(outcome=AppealOutcome.REEVALUATE, outcome_on=dt.date(2022, 8, 19),
                                               outcome_reference="рек. № 8")
    sheet = LegacySheet.objects.get(pk=item.sheet_id)
    assert [t.name for t in sheet.get_available_user_state_transitions(org.chief.user)] == ["reopen"]
    with on(dt.date(2022, 8, 20)), pytest.raises(PermissionDenied):
        appeals.reopen_sheet(sheet=sheet, by=org.head.user, basis=Appeal.objects.get(pk=appeal.pk))
    assert LegacySheet.objects.get(pk=sheet.pk).state == LegacySheetState.SUBMITTED


def test_R67_the_person_sees_the_decision_and_appeals_from_the_result_page(case, client):
    org, board, meeting, item = case
    from django.urls import reverse

    item = AgendaItem.objects.get(pk=item.pk)
    client.force_login(org.staff[0].user)
    with on(dt.date(2022, 7, 25)):
        page = client.get(reverse("result_detail", args=[item.result_id])).content.decode()
        assert "Решение Комиссии" in page and "03.08.2022" in page  # the R67 last day
        assert f'href="{reverse("legacy_commission:meeting_detail", args=[meeting.pk])}"' not in page
        assert client.get(reverse("legacy_commission:meeting_detail", args=[meeting.pk])).status_code == 404
        url = reverse("legacy_commission:appeal_file", args=[meeting.pk])
        response = client.post(url, {"item": item.pk, "body": AppealBody.AGENCY, "filed_on": "2022-07-25",
                                     "reference": "вх. № 1"})
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "legacy_commission:appeal_detail", args=[appeal.pk])
    assert appeal.recorded_by == org.staff[0].user
    # a colleague of the Commission gets a 404 on the same form; nothing saved
    colleague, = org.add_staff(1, prefix="Коллега")
    client.force_login(colleague.user)
    with on(dt.date(2022, 7, 26)):
        assert client.post(url, {"item": item.pk, "body": AppealBody.COURT, "filed_on": "2022-07-26"}).status_code == 404
    assert Appeal.objects.count() == 1
    # a member of the Commission sees the meeting but may not appeal for the person (п. 67)
    client.force_login(board.members[0].employee.user)
    with on(dt.date(2022, 7, 26)):
        response = client.post(url, {"item": item.pk, "body": AppealBody.COURT, "filed_on": "2022-07-26"},
                                follow=True)
    assert "п. 67" in response.content.decode() and Appeal.objects.count() == 1


def test_R67_a_late_appeal_from_the_result_page_is_refused_naming_the_rule(case, client):
    org, _board, meeting, item = case
    from django.urls import reverse

    item = AgendaItem.objects.get(pk=item.pk)
    client.force_login(org.staff[0].user)
    with on(dt.date(2022, 8, 4)):
        response = client.post(reverse("legacy_commission:appeal_file", args=[meeting.pk]),
                               {"item": item.pk, "body": AppealBody.AGENCY, "filed_on": "2022-08-04"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("result_detail", args=[item.result_id])
    assert "п. 67" in response.content.decode() and not Appeal.objects.exists()


def test_R67_a_reference_of_100000_characters_is_refused_naming_the_rule_nothing_saved(case):
    org, _board, _meeting, item = case
    with on(dt.date(2022, 7, 25)), pytest.raises(ValidationError) as exc:
        appeals.file_appeal(item=item, body=AppealBody.AGENCY, filed_on=dt.date(2022, 7, 25), by=org.chief.user,
                            reference="1" * 100_000)
    assert "п. 67" in str(exc.value) and "100" in str(exc.value) and "номер" in str(exc.value)
    assert not Appeal.objects.exists()


def test_R65_after_a_reevaluation_the_new_result_is_acknowledged_again(case):
    from appraisal.models import Acknowledgement, OutboxMessage
    from appraisal.services.acknowledgement import acknowledge, acknowledgement_due, acknowledgement_of

    org, board, _meeting, item = case
    result = PeriodResult.objects.get(entry=item.sheet.plan.entry)
    with on(dt.date(2022, 7, 21)):
        first = acknowledge(result=result, user=org.staff[0].user)
    appeal = _file(item, org.staff[0].user, dt.date(2022, 7, 25))
    with on(dt.date(2022, 8, 20)):
        appeals.record_outcome(appeal=appeal, outcome=AppealOutcome.REEVALUATE, outcome_on=dt.date(2022, 8, 19),
                               outcome_reference="рекомендация № 9", by=org.chief.user)
    sheet = LegacySheet.objects.get(pk=item.sheet_id)
    with on(dt.date(2022, 8, 22)):
        sheet_services.send_sheet(sheet=sheet, by=org.head.user)
        sheet_services.sign_sheet(sheet=LegacySheet.objects.get(pk=sheet.pk), by=org.chairman.user)
        sheet_services.submit_to_commission(sheet=LegacySheet.objects.get(pk=sheet.pk), by=org.chief.user)
    second = _hold(org, board, [LegacySheet.objects.get(pk=sheet.pk)], dt.date(2022, 8, 23),
                   ("revise", Gradation.PROPER))
    result.refresh_from_db()
    assert result.gradation == Gradation.PROPER and result.original_gradation == Gradation.SATISFACTORY
    assert timezone.localdate(result.completed_at) == second.date
    assert acknowledgement_of(result) is None  # the earlier acknowledgement is not of this result
    assert Acknowledgement.history.filter(id=first.pk, history_type="-").exists()  # kept in history
    assert acknowledgement_due(result) == WorkingCalendar.load().add_working_days(second.date, 2)
    again = OutboxMessage.objects.filter(user=org.staff[0].user, rule_id="R65", body__contains="Повторная оценка")
    assert again.exists() and all("надлежащим" not in m.body for m in again)


def test_R67_the_reopened_sheet_tells_the_direct_supervisor_why(case, client):
    from django.urls import reverse

    org, _board, _meeting, item = case
    appeal = _file(item, org.chief.user, dt.date(2022, 7, 25))
    with on(dt.date(2022, 8, 20)):
        appeals.record_outcome(appeal=appeal, outcome=AppealOutcome.REEVALUATE, outcome_on=dt.date(2022, 8, 19),
                               outcome_reference="рекомендация № 10", by=org.chief.user)
    client.force_login(org.head.user)
    with on(dt.date(2022, 8, 20)):
        page = client.get(reverse("legacy_commission:sheet_detail", args=[item.sheet_id])).content.decode()
    assert "повторную оценку" in page and "рекомендация № 10" in page and "п. 67" in page
    assert "Направлен на доработку: ." not in page
    from appraisal.models import OutboxMessage

    told = OutboxMessage.objects.filter(user=org.head.user, rule_id="R67")
    assert told.exists() and all("рекомендация № 10" in m.body for m in told)


def test_R20_a_member_who_joins_later_does_not_see_the_sheets_decided_before(case, client):
    from django.urls import reverse

    from appraisal.selectors import schedule_entries_visible_to

    org, board, meeting, item = case
    substitute = org.add_staff(1, prefix="Замена")[0]
    with on(dt.date(2022, 7, 25)):
        svc.replace_member(member=board.members[0], replacement=substitute, decided_on=dt.date(2022, 7, 25),
                           basis="распоряжение № 20 от 25.07.2022", by=org.official.user)
    entry_id = item.sheet.plan.entry_id
    assert not schedule_entries_visible_to(substitute.user).filter(pk=entry_id).exists()
    client.force_login(substitute.user)
    assert client.get(reverse("legacy_commission:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("legacy_commission:sheet_detail", args=[item.sheet_id])).status_code == 404
    # the member who was replaced attended that meeting and still sees what they decided
    assert schedule_entries_visible_to(board.members[0].employee.user).filter(pk=entry_id).exists()


def test_R20_the_meeting_page_links_an_appeal_only_for_those_who_may_open_it(case):
    """The authorised person sees the meeting (R64) but not its appeals: no link that 404s."""
    from django.test import Client
    from django.urls import reverse

    org, _board, meeting, item = case
    appeal = _file(item, org.staff[0].user, TENTH_WORKING_DAY)
    link = reverse("legacy_commission:appeal_detail", args=[appeal.pk])
    page = reverse("legacy_commission:meeting_detail", args=[meeting.pk])
    with on(TENTH_WORKING_DAY):
        official, chief = Client(), Client()
        official.force_login(org.official.user)
        chief.force_login(org.chief.user)
        seen_by_official = official.get(page)
        assert seen_by_official.status_code == 200
        assert official.get(link).status_code == 404
        assert link not in seen_by_official.content.decode()
        assert "Жалоба" in seen_by_official.content.decode()
        assert link in chief.get(page).content.decode()
