"""R54, R55, R60, R61 and D2: scheduling the Commission's meeting and opening it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal.models import OutboxMessage
from legacy_commission.models import AgendaItem, CommissionMeeting, LegacyPlan, MeetingAttendance, MeetingState
from legacy_commission.services import commission as svc
from tests.conftest import make_org
from tests.legacy_commission.commission_helpers import make_commission, on, submitted_sheets

SCHEDULED_ON = dt.date(2022, 7, 15)  # the day after the sheets were submitted (R53)


@pytest.fixture
def case(db):
    org = make_org(n_staff=2)
    sheets = submitted_sheets(org, org.staff[:2], achieved=(4, 5))
    board = make_commission(org)
    return org, sheets, board


def _schedule(org, board, sheets, date=None, day=SCHEDULED_ON):
    with on(day):
        date = date or svc.earliest_meeting_date(day)
        return svc.schedule_meeting(commission=board.commission, date=date, place="зал заседаний маслихата",
                                    sheets=sheets, by=org.chief.user)


def test_R54_meeting_on_the_third_working_day_is_scheduled_and_the_evaluators_notified(case):
    org, sheets, board = case
    earliest = svc.earliest_meeting_date(SCHEDULED_ON)
    assert earliest == dt.date(2022, 7, 20)  # Fri 15.07 → Mon, Tue, Wed
    meeting = _schedule(org, board, sheets, date=earliest)
    assert meeting.state == MeetingState.SCHEDULED and meeting.agreed_with == board.chairman.employee
    notified = set(OutboxMessage.objects.filter(rule_id="R54").values_list("recipient", flat=True))
    for person in (org.head, org.chairman, board.chairman.employee, *[m.employee for m in board.members]):
        assert person.email in notified
    bodies = " ".join(OutboxMessage.objects.filter(rule_id="R54").values_list("body", flat=True))
    assert "20.07.2022" in bodies and "эффективно" not in bodies  # date and place, never a result


def test_R54_meeting_the_day_before_the_third_working_day_refused_nothing_saved(case):
    org, sheets, board = case
    with pytest.raises(ValidationError) as exc:
        _schedule(org, board, sheets, date=dt.date(2022, 7, 19))
    assert "п. 54" in str(exc.value) and "20.07.2022" in str(exc.value)
    assert not CommissionMeeting.objects.exists() and not AgendaItem.objects.exists()
    assert not OutboxMessage.objects.filter(rule_id="R54").exists()


def test_R54_only_the_chief_specialist_schedules(case):
    org, sheets, board = case
    with on(SCHEDULED_ON), pytest.raises(PermissionDenied) as exc:
        svc.schedule_meeting(commission=board.commission, date=dt.date(2022, 7, 25), place="зал",
                             sheets=sheets, by=org.official.user)
    assert "п. 54" in str(exc.value)


def test_R61_agenda_holds_each_submitted_sheet_with_its_result_once(case):
    org, sheets, board = case
    meeting = _schedule(org, board, sheets)
    assert sorted(meeting.items.values_list("submitted_gradation", flat=True)) == ["effective", "proper"]
    with pytest.raises(ValidationError) as exc:
        _schedule(org, board, sheets[:1])
    assert "п. 61" in str(exc.value)


def test_R61_a_sheet_not_submitted_to_the_commission_refused(case):
    org, sheets, board = case
    from legacy_commission.models import LegacySheet

    LegacySheet.objects.filter(pk=sheets[0].pk).update(state="signed")
    with pytest.raises(ValidationError) as exc:
        _schedule(org, board, [LegacySheet.objects.get(pk=sheets[0].pk)])
    assert "п. 53" in str(exc.value)
    assert not CommissionMeeting.objects.exists()


def test_R54_place_and_sheets_are_required(case):
    org, sheets, board = case
    with on(SCHEDULED_ON):
        with pytest.raises(ValidationError):
            svc.schedule_meeting(commission=board.commission, date=dt.date(2022, 7, 25), place="  ",
                                 sheets=sheets, by=org.chief.user)
        with pytest.raises(ValidationError) as exc:
            svc.schedule_meeting(commission=board.commission, date=dt.date(2022, 7, 25), place="зал",
                                 sheets=[], by=org.chief.user)
    assert "п. 61" in str(exc.value)
    assert not CommissionMeeting.objects.exists()


def _present(board, n_members):
    return [board.chairman.pk, *[m.pk for m in board.members[:n_members]], board.secretary.pk]


def test_R60_meeting_opened_on_its_date_only(case):
    org, sheets, board = case
    meeting = _schedule(org, board, sheets)
    with on(meeting.date - dt.timedelta(days=1)), pytest.raises(ValidationError) as exc:
        svc.open_meeting(meeting=meeting, present=_present(board, 4), by=org.chief.user)
    assert "п. 60" in str(exc.value)
    with on(meeting.date):
        svc.open_meeting(meeting=CommissionMeeting.objects.get(pk=meeting.pk), present=_present(board, 4),
                         by=org.chief.user)
    assert CommissionMeeting.objects.get(pk=meeting.pk).state == MeetingState.OPEN


def test_R55_two_thirds_present_is_a_quorum_fewer_refused_nothing_saved(case):
    org, sheets, board = case  # composition: the chairman and four members (five votes)
    meeting = _schedule(org, board, sheets)
    with on(meeting.date):
        with pytest.raises(ValidationError) as exc:  # 3 of 5: 9 < 10
            svc.open_meeting(meeting=meeting, present=_present(board, 2), by=org.chief.user)
        assert "п. 55" in str(exc.value) and "3 из 5" in str(exc.value)
        assert not MeetingAttendance.objects.exists()
        assert CommissionMeeting.objects.get(pk=meeting.pk).state == MeetingState.SCHEDULED
        svc.open_meeting(meeting=CommissionMeeting.objects.get(pk=meeting.pk), present=_present(board, 3),
                         by=org.chief.user)  # 4 of 5: 12 >= 10
    assert MeetingAttendance.objects.filter(meeting=meeting, present=True).count() == 5  # with the secretary


def test_R55_quorum_boundaries():
    assert svc.quorum(2, 3) and not svc.quorum(1, 3)
    assert svc.quorum(4, 6) and not svc.quorum(3, 6)
    assert svc.quorum(4, 5) and not svc.quorum(3, 5)
    assert not svc.quorum(0, 0)


def test_R55_absent_chairman_must_be_replaced_first(case):
    org, sheets, board = case
    meeting = _schedule(org, board, sheets)
    with on(meeting.date), pytest.raises(ValidationError) as exc:
        svc.open_meeting(meeting=meeting, present=[m.pk for m in board.members], by=org.chief.user)
    assert "п. 56" in str(exc.value)


def test_D2_meeting_for_a_sheet_submitted_before_the_boundary_is_allowed_after_it(case):
    org, sheets, board = case
    meeting = _schedule(org, board, sheets, day=dt.date(2023, 9, 4))
    assert meeting.items.count() == 2


def test_D2_meeting_for_a_procedure_started_after_31_08_2023_refused_nothing_saved(case):
    org, sheets, board = case
    LegacyPlan.objects.filter(pk=sheets[0].plan_id).update(
        created_at=dt.datetime(2023, 9, 1, 10, tzinfo=dt.UTC))
    with pytest.raises(ValidationError) as exc:
        _schedule(org, board, sheets, day=dt.date(2023, 9, 4))
    assert "п. 2 решения маслихата" in str(exc.value) and "31.08.2023" in str(exc.value)
    assert not CommissionMeeting.objects.exists()


# --- the pages ---------------------------------------------------------------------------


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_R20_meeting_page_for_members_and_the_chief_404_for_others(case):
    from django.urls import reverse

    org, sheets, board = case
    meeting = _schedule(org, board, sheets)
    url = reverse("legacy_commission:meeting_detail", kwargs={"meeting_id": meeting.pk})
    with on(SCHEDULED_ON):
        for user in (org.chief.user, board.members[0].employee.user, board.chairman.employee.user):
            page = _client(user).get(url)
            assert page.status_code == 200 and sheets[0].plan.entry.employee.last_name in page.content.decode()
        for user in (org.staff[0].user, org.head.user):  # the evaluated person, an evaluator: not the Commission
            assert _client(user).get(url).status_code == 404
            assert _client(user).post(reverse("legacy_commission:meeting_vote", kwargs={"meeting_id": meeting.pk}),
                                      {"item": meeting.items.first().pk, "choice": "approve"}).status_code == 404


def test_R20_members_see_the_sheets_of_their_meeting_only(case):
    from appraisal.selectors import schedule_entries_visible_to

    org, sheets, board = case
    member = board.members[0].employee.user
    assert not schedule_entries_visible_to(member).filter(pk=sheets[0].plan.entry_id).exists()
    _schedule(org, board, sheets[:1])
    visible = schedule_entries_visible_to(member)
    assert visible.filter(pk=sheets[0].plan.entry_id).exists()
    assert not visible.filter(pk=sheets[1].plan.entry_id).exists()  # not on their meeting


def test_R57_vote_through_the_page_and_the_secretary_refused_with_the_rule(case):
    from django.urls import reverse

    org, sheets, board = case
    meeting = _schedule(org, board, sheets)
    with on(meeting.date):
        svc.open_meeting(meeting=meeting, present=_present(board, 4), by=org.chief.user)
        url = reverse("legacy_commission:meeting_vote", kwargs={"meeting_id": meeting.pk})
        item = meeting.items.first()
        response = _client(board.members[0].employee.user).post(url, {"item": item.pk, "choice": "revise",
                                                                      "gradation": "satisfactory"}, follow=True)
        assert "Голос учтён" in response.content.decode()
        response = _client(org.chief.user).post(url, {"item": item.pk, "choice": "approve"}, follow=True)
        assert "п. 59" in response.content.decode()
    assert item.votes.count() == 1


def test_R63_protocol_pdf_has_the_correction_column_votes_and_signatures(case):
    from django.urls import reverse

    org, sheets, board = case
    meeting = _schedule(org, board, sheets)
    with on(meeting.date):
        svc.open_meeting(meeting=meeting, present=_present(board, 4), by=org.chief.user)
        for item in meeting.items.all():
            for member in [board.chairman, *board.members]:
                svc.cast_vote(item=item, by=member.employee.user, choice="revise" if member == board.chairman
                              else "approve", gradation="unsatisfactory")
        svc.close_voting(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.chief.user)
        response = _client(org.chief.user).get(
            reverse("legacy_commission:meeting_protocol_pdf", kwargs={"meeting_id": meeting.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Корректировка Комиссией результатов оценки" in text
    assert "20.07.2022" in text and board.chairman.employee.short_name in text
    assert "5 из 5" in text and "кворум есть" in text


def test_R53_submitted_sheets_await_the_commission_until_put_on_a_meeting(case):
    from legacy_commission.models import LegacySheet

    org, sheets, board = case
    LegacySheet.objects.filter(pk=sheets[1].pk).update(state="signed")  # signed, not yet submitted
    assert [s.pk for s in svc.sheets_awaiting(org.organisation)] == [sheets[0].pk]
    _schedule(org, board, [LegacySheet.objects.get(pk=sheets[0].pk)])
    assert svc.sheets_awaiting(org.organisation) == []


def test_R57_a_vote_for_an_item_that_is_no_id_is_a_404_and_nothing_saved(case):
    from django.urls import reverse

    from legacy_commission.models import Vote

    org, sheets, board = case
    meeting = _schedule(org, board, sheets)
    with on(meeting.date):
        svc.open_meeting(meeting=meeting, present=_present(board, 4), by=org.chief.user)
        client = _client(board.members[0].employee.user)
        for item in ("abc", "-1", "", "999999"):
            response = client.post(reverse("legacy_commission:meeting_vote", kwargs={"meeting_id": meeting.pk}),
                                   {"item": item, "choice": "approve"})
            assert response.status_code == 404, item
        response = _client(org.chief.user).post(
            reverse("legacy_commission:member_replace", kwargs={"commission_id": board.commission.pk}),
            {"member": "x1", "replacement": "y"})
        assert response.status_code == 404
    assert not Vote.objects.exists()


def test_R60_a_meeting_not_held_on_its_day_is_moved_with_a_new_notice_three_working_days_ahead(case):
    org, sheets, board = case
    meeting = _schedule(org, board, sheets)  # 20.07.2022, not held
    with on(dt.date(2022, 7, 21)):
        with pytest.raises(ValidationError) as exc:
            svc.reschedule_meeting(meeting=meeting, date=dt.date(2022, 7, 25), place="зал", by=org.chief.user)
        assert "п. 54" in str(exc.value) and "26.07.2022" in str(exc.value)
        assert CommissionMeeting.objects.get(pk=meeting.pk).date == dt.date(2022, 7, 20)
        with pytest.raises(PermissionDenied):
            svc.reschedule_meeting(meeting=meeting, date=dt.date(2022, 7, 26), place="зал", by=org.official.user)
        svc.reschedule_meeting(meeting=meeting, date=dt.date(2022, 7, 26), place="малый зал", by=org.chief.user)
    moved = CommissionMeeting.objects.get(pk=meeting.pk)
    assert (moved.date, moved.place, moved.items.count()) == (dt.date(2022, 7, 26), "малый зал", 2)
    assert OutboxMessage.objects.filter(rule_id="R54", body__contains="26.07.2022").exists()
    with on(dt.date(2022, 7, 26)):
        svc.open_meeting(meeting=moved, present=_present(board, 4), by=org.chief.user)
    with on(dt.date(2022, 7, 26)), pytest.raises(ValidationError) as exc:
        svc.reschedule_meeting(meeting=CommissionMeeting.objects.get(pk=meeting.pk), date=dt.date(2022, 8, 1),
                               place="зал", by=org.chief.user)
    assert "п. 60" in str(exc.value)


def test_R54_a_place_of_100000_characters_is_refused_naming_the_rule_nothing_saved(case):
    org, sheets, board = case
    with on(SCHEDULED_ON), pytest.raises(ValidationError) as exc:
        svc.schedule_meeting(commission=board.commission, date=svc.earliest_meeting_date(SCHEDULED_ON),
                             place="з" * 100_000, sheets=sheets, by=org.chief.user)
    assert "п. 54" in str(exc.value) and "300" in str(exc.value) and "Место заседания" in str(exc.value)
    assert not CommissionMeeting.objects.exists() and not AgendaItem.objects.exists()
