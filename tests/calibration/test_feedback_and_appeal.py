"""R42: the feedback meeting; R13: the appeal of the calibration decision and a re-evaluation."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appraisal.models import PeriodResult, ScheduleEntry
from calibration.models import AppealOutcome, FeedbackMeeting, Reevaluation
from calibration.services import appeals, feedback, session
from tests.calibration.conftest import at

pytestmark = pytest.mark.django_db


def _posted(org, case, score="4.00"):
    with time_machine.travel(at(case.session_date, 16), tick=False):
        session.save_argument(case=case, by=org.head.user, text="Аргументы")
        for person in (org.chief, org.staff[1], org.chairman, org.head):
            session.cast_vote(case=case, by=person.user, choice="adjust", score=score)
        session.sign_protocol(case=case, by=org.chief.user, signed_on=case.session_date)
        case.refresh_from_db()
        session.post_protocol(case=case, by=org.chief.user)
    case.refresh_from_db()
    return case


TEXTS = {"achievements": "Подготовлено 14 решений сессии", "skills": "Освоен ЕСЭДО",
         "potential": "Готова к должности главного специалиста"}


def _feedback(org, case, held_on, by=None, **texts):
    with time_machine.travel(at(case.session_date + dt.timedelta(days=3)), tick=False):
        return feedback.record_feedback(case=case, by=(by or org.head).user, held_on=held_on, **{**TEXTS, **texts})


def test_R42_evaluator_records_the_feedback_meeting_and_prints_it(org, held):
    case = _posted(org, held)
    meeting = _feedback(org, case, case.session_date + dt.timedelta(days=3))
    assert meeting.potential.startswith("Готова")
    client = Client()
    with time_machine.travel(at(case.session_date + dt.timedelta(days=3), 12), tick=False):
        client.force_login(org.staff[0].user)
        assert client.get(reverse("calibration:feedback_pdf", args=[case.pk]))["Content-Type"] == "application/pdf"
        client.force_login(org.staff[1].user)  # a participant after posting: no longer
        assert client.get(reverse("calibration:feedback_pdf", args=[case.pk])).status_code == 404


def test_R42_meeting_date_on_the_day_itself_is_accepted_and_the_future_refused(org, held):
    case = _posted(org, held)
    today = case.session_date + dt.timedelta(days=3)
    assert _feedback(org, case, today).held_on == today
    with pytest.raises(ValidationError) as refused:
        _feedback(org, case, today + dt.timedelta(days=1), achievements="иное")
    assert "п. 42" in refused.value.messages[0]
    assert FeedbackMeeting.objects.get().achievements == TEXTS["achievements"]


def test_R42_meeting_before_the_session_is_refused(org, held):
    case = _posted(org, held)
    with pytest.raises(ValidationError) as refused:
        _feedback(org, case, case.session_date - dt.timedelta(days=1))
    assert "п. 42" in refused.value.messages[0]
    assert not FeedbackMeeting.objects.exists()


@pytest.mark.parametrize("field,value", [("achievements", ""), ("skills", "  "), ("potential", "я" * 4001)])
def test_R42_every_subject_is_required_and_not_cut(org, held, field, value):
    case = _posted(org, held)
    with pytest.raises(ValidationError) as refused:
        _feedback(org, case, case.session_date, **{field: value})
    assert "п. 42" in refused.value.messages[0]
    assert not FeedbackMeeting.objects.exists()


def test_R42_only_the_evaluator_records_and_only_after_the_session(org, held):
    with pytest.raises(ValidationError):
        _feedback(org, held, held.session_date)
    case = _posted(org, held)
    with pytest.raises(PermissionDenied):
        _feedback(org, case, case.session_date, by=org.chief)
    assert not FeedbackMeeting.objects.exists()


def _appeal(org, case, filed=None):
    day = filed or case.protocol_signed_on + dt.timedelta(days=5)
    with time_machine.travel(at(day), tick=False):
        return appeals.record_appeal(case=case, by=org.chief.user, filed_on=day,
                                     body="Специализированный межрайонный административный суд")


def _decide(org, appeal, outcome, day=None):
    day = day or appeal.filed_on + dt.timedelta(days=20)
    with time_machine.travel(at(day), tick=False):
        return appeals.decide_appeal(appeal=appeal, by=org.chief.user, outcome=outcome, decided_on=day,
                                     reference="решение № 2-145/2026")


def test_R13_appeal_upheld_changes_nothing(org, held):
    case = _posted(org, held)
    appeal = _decide(org, _appeal(org, case), AppealOutcome.UPHELD)
    assert appeal.outcome == AppealOutcome.UPHELD
    assert PeriodResult.objects.get(pk=case.result_id).score == Decimal("4.00")


def test_R13_appeal_overturned_restores_the_score_before_the_session(org, held):
    case = _posted(org, held)
    _decide(org, _appeal(org, case), AppealOutcome.OVERTURNED)
    result = PeriodResult.objects.get(pk=case.result_id)
    assert result.score == Decimal("3.00") and "№ 2-145/2026" in result.adjustment_basis
    assert result.history.count() >= 3  # recorded, calibrated, restored: every step kept


def test_R13_appeal_dates_and_author_are_checked(org, held):
    case = _posted(org, held)
    with pytest.raises(ValidationError) as refused:
        _appeal(org, case, filed=case.protocol_signed_on - dt.timedelta(days=1))
    assert "п. 13" in refused.value.messages[0]
    with time_machine.travel(at(case.protocol_signed_on + dt.timedelta(days=2)), tick=False), \
            pytest.raises(PermissionDenied):
        appeals.record_appeal(case=case, by=org.official.user, filed_on=case.protocol_signed_on, body="суд")
    appeal = _appeal(org, case)
    with pytest.raises(ValidationError) as refused:
        _decide(org, appeal, AppealOutcome.UPHELD, day=appeal.filed_on - dt.timedelta(days=1))
    assert "п. 13" in refused.value.messages[0]
    appeal.refresh_from_db()
    assert appeal.outcome == AppealOutcome.PENDING


def test_R13_reevaluation_reopens_the_ranking_sheet_and_the_new_result_supersedes(org):
    from ranking.models import RankingSheet, SheetState
    from ranking.services import save_ranking
    from tests.calibration.conftest import acknowledge, compose, evaluate, file, hold

    evaluate(org)  # opens the sheets (R28); the staff member's result is then sent by the head
    sheet = RankingSheet.objects.get(entry__employee=org.staff[0])
    with time_machine.travel(at(dt.date(2026, 10, 5), 16), tick=False):
        save_ranking(sheets=[sheet], raw={sheet.pk: {"quality": "3", "deadlines": "3", "initiative": "3",
                                                      "discipline": "3"}}, by=org.head.user, submit=True)
    result = PeriodResult.objects.get(entry=sheet.entry)
    acknowledge(result)
    case = file(result, at(dt.date(2026, 10, 7)))
    compose(org, case)
    case.refresh_from_db()
    hold(org, case)
    case = _posted(org, case, score="4.00")
    appeal = _decide(org, _appeal(org, case), AppealOutcome.REEVALUATION)
    reevaluation = Reevaluation.objects.get(appeal=appeal)
    assert reevaluation.snapshot["points"]["quality"] == 3 and reevaluation.score_before == Decimal("4.00")
    sheet.refresh_from_db()
    assert sheet.state == SheetState.DRAFT
    with pytest.raises(ValidationError):  # the new sheet has not been sent yet
        with time_machine.travel(at(dt.date(2026, 11, 20)), tick=False):
            appeals.complete_reevaluation(reevaluation=reevaluation, by=org.chief.user)
    with time_machine.travel(at(dt.date(2026, 11, 25)), tick=False):
        save_ranking(sheets=[sheet], raw={sheet.pk: {"quality": "5", "deadlines": "4", "initiative": "4",
                                                      "discipline": "5"}}, by=org.head.user, submit=True)
        appeals.complete_reevaluation(reevaluation=reevaluation, by=org.chief.user)
    result.refresh_from_db()
    assert result.score == Decimal("4.50") and result.original_score == Decimal("3.00")
    assert "повторная оценка" in result.adjustment_basis
    reevaluation.refresh_from_db()
    assert reevaluation.score_after == Decimal("4.50") and reevaluation.completed_at is not None
    # R11.1: the new evaluation is acknowledged again; the first acknowledgement stays in history
    from appraisal.services import acknowledgement as ack

    assert ack.acknowledgement_of(result) is None
    assert timezone.localdate(result.completed_at) == dt.date(2026, 11, 25)
    assert any("Повторная оценка" in n.body for n in ack.result_notices(result))
    acknowledge(result, when=at(dt.date(2026, 11, 26)))
    assert ack.acknowledged_on(PeriodResult.objects.get(pk=result.pk)) == dt.date(2026, 11, 26)


def test_R13_reevaluation_refused_for_360_with_a_clear_message(org, held):
    case = _posted(org, held)
    ScheduleEntry.objects.filter(pk=case.result.entry_id).update(method="survey360")
    appeal = _appeal(org, case)
    with pytest.raises(ValidationError) as refused:
        _decide(org, appeal, AppealOutcome.REEVALUATION)
    assert "п. 13" in refused.value.messages[0] and "360" in refused.value.messages[0]
    appeal.refresh_from_db()
    assert appeal.outcome == AppealOutcome.PENDING and not Reevaluation.objects.exists()
