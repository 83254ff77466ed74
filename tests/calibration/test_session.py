"""R41.1, R41.2: the evaluator's argument, positions and votes, the protocol, its posting,
and the calibrated value becoming the result."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from appraisal.models import PeriodResult
from appraisal.services.results import annual_result
from calibration.models import CaseState, Participant, Vote
from calibration.services import session
from tests.calibration.conftest import at, working_day

pytestmark = pytest.mark.django_db


def _on(case):
    return time_machine.travel(at(case.session_date, 16), tick=False)


def _vote(case, employee, choice, score=None, position=""):
    with _on(case):
        return session.cast_vote(case=case, by=employee.user, choice=choice, score=score, position=position)


def _argue(org, case):
    with _on(case):
        session.save_argument(case=case, by=org.head.user, text="Работа выполнена в срок, но инициативы мало.")


def _sign(org, case, day=None):
    with time_machine.travel(at(day or case.session_date, 17), tick=False):
        return session.sign_protocol(case=case, by=org.chief.user, signed_on=day or case.session_date)


def _post(org, case, day):
    with time_machine.travel(at(day, 10), tick=False):
        return session.post_protocol(case=case, by=org.chief.user)


def test_R41_1_evaluator_argues_and_participants_state_positions(org, held):
    _argue(org, held)
    _vote(held, org.chief, "keep", position="Поддерживаю оценку")
    held.refresh_from_db()
    assert held.evaluator_argument.startswith("Работа выполнена")
    assert Participant.objects.get(case=held, employee=org.chief).position == "Поддерживаю оценку"


def test_R41_1_only_the_evaluator_argues(org, held):
    with _on(held), pytest.raises(PermissionDenied) as refused:
        session.save_argument(case=held, by=org.chief.user, text="…")
    assert "п. 41" in str(refused.value)


@pytest.mark.parametrize("new", ["4.50", "2.00"])
def test_R41_1_correction_goes_up_or_down_by_majority(org, held, new):
    _argue(org, held)
    for person in (org.chief, org.staff[1], org.chairman):
        _vote(held, person, "adjust", new)
    _vote(held, org.head, "keep")
    case = _sign(org, held)
    assert case.adopted_score == Decimal(new) and case.original_score == Decimal("3.00")


def test_R41_2_more_than_half_of_all_participants_adopt_a_new_value(org, held):
    # Four participants: three for 4.00 adopt it.
    _argue(org, held)
    for person in (org.chief, org.staff[1], org.chairman):
        _vote(held, person, "adjust", "4")
    _vote(held, org.head, "keep")
    case = _sign(org, held)
    assert case.adopted_score == Decimal("4.00")


def test_R41_2_half_is_not_a_majority_the_original_stands(org, held):
    # Two of four for 4.00, one abstains, the evaluator keeps: not more than half.
    _argue(org, held)
    _vote(held, org.chief, "adjust", "4")
    _vote(held, org.staff[1], "adjust", "4.00")
    _vote(held, org.chairman, "abstain")
    _vote(held, org.head, "keep")
    case = _sign(org, held)
    assert case.adopted_score is None and case.original_score == Decimal("3.00")


def test_R41_2_split_corrections_do_not_add_up(org, held):
    _argue(org, held)
    _vote(held, org.chief, "adjust", "4")
    _vote(held, org.staff[1], "adjust", "3.5")
    _vote(held, org.chairman, "adjust", "4.5")
    _vote(held, org.head, "keep")
    assert _sign(org, held).adopted_score is None


@pytest.mark.parametrize("score", ["6", "-1", "5.01", "abc", "NaN", "", "Infinity"])
def test_R41_2_vote_outside_0_to_5_is_refused(org, held, score):
    with pytest.raises(ValidationError) as refused:
        _vote(held, org.chief, "adjust", score)
    assert "п. 41" in refused.value.messages[0]
    assert not Vote.objects.exists()


def test_R41_2_vote_by_a_non_participant_is_refused(org, held):
    with pytest.raises(PermissionDenied) as refused:
        _vote(held, org.official, "keep")
    assert "п. 41" in str(refused.value)
    with pytest.raises(PermissionDenied):
        _vote(held, org.staff[0], "adjust", "5")  # the evaluated person is not a participant
    assert not Vote.objects.exists()


def test_R41_2_second_vote_of_the_same_participant_counts_once(org, held):
    _vote(held, org.chief, "adjust", "4")
    with pytest.raises(ValidationError) as refused:
        _vote(held, org.chief, "keep")
    assert "п. 41" in refused.value.messages[0]
    vote = Vote.objects.get()
    assert vote.choice == "adjust" and vote.score == Decimal("4.00")


def test_R41_2_no_vote_before_the_session_is_opened(org, case):
    from tests.calibration.conftest import compose
    compose(org, case)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _vote(case, org.chief, "keep")
    assert "п. 41" in refused.value.messages[0]


def test_R41_2_protocol_before_every_participant_voted_is_refused(org, held):
    _argue(org, held)
    _vote(held, org.chief, "adjust", "4")
    _vote(held, org.staff[1], "adjust", "4")
    _vote(held, org.chairman, "adjust", "4")
    with pytest.raises(ValidationError) as refused:
        _sign(org, held)
    assert "п. 41" in refused.value.messages[0] and org.head.short_name in refused.value.messages[0]
    held.refresh_from_db()
    assert held.state == CaseState.HELD and held.protocol_signed_on is None


def _unanimous(org, case, score="4.00"):
    _argue(org, case)
    for person in (org.chief, org.staff[1], org.chairman, org.head):
        _vote(case, person, "adjust", score)


def test_R41_2_posting_on_the_third_working_day_is_in_time_and_adjusts_the_result(org, held):
    _unanimous(org, held)
    case = _sign(org, held)
    due = working_day(case.protocol_signed_on, 3)
    assert case.posting_due == due
    case = _post(org, case, due)
    assert case.state == CaseState.POSTED and not case.posting_late
    result = PeriodResult.objects.get(pk=held.result_id)
    assert result.score == Decimal("4.00") and result.original_score == Decimal("3.00")
    assert result.adjustment_basis == f"протокол калибровочной сессии от {case.protocol_signed_on:%d.%m.%Y}"


def test_R41_2_posting_the_day_after_is_flagged_late(org, held):
    _unanimous(org, held)
    case = _sign(org, held)
    case = _post(org, case, case.posting_due + dt.timedelta(days=1))
    assert case.posting_late


def test_R41_2_posting_only_by_the_chief_specialist(org, held):
    _unanimous(org, held)
    case = _sign(org, held)
    with time_machine.travel(at(case.posting_due), tick=False), pytest.raises(PermissionDenied):
        session.post_protocol(case=case, by=org.official.user)
    assert PeriodResult.objects.get(pk=held.result_id).score == Decimal("3.00")


def test_R41_2_the_calibrated_value_moves_the_annual_mean(org, held):
    before = annual_result(employee_id=org.staff[0].pk, year=2026, method="ranking")
    _unanimous(org, held, "5")
    case = _sign(org, held)
    _post(org, case, case.posting_due)
    after = annual_result(employee_id=org.staff[0].pk, year=2026, method="ranking")
    assert before[0] == Decimal("3.00") and after[0] == Decimal("5.00")


def test_R41_2_nothing_changes_in_the_result_until_the_protocol_is_posted(org, held):
    _unanimous(org, held)
    _sign(org, held)
    assert PeriodResult.objects.get(pk=held.result_id).score == Decimal("3.00")


def test_R41_2_two_participants_voting_at_once_both_count_once(org, held, monkeypatch):
    """Two participants at the same moment: both votes stored. The same participant twice at
    the same moment: the second passed the «already voted?» check before the first was saved
    (simulated by hiding the first vote from that check), and the one-to-one constraint
    refuses it — one vote, no server error."""
    _vote(held, org.chief, "keep")
    _vote(held, org.staff[1], "adjust", "4")
    assert Vote.objects.count() == 2

    real_filter = Vote.objects.filter

    class Stale:
        def exists(self):
            return False

    monkeypatch.setattr(Vote.objects, "filter", lambda *a, **kw: Stale())
    with pytest.raises(ValidationError) as refused:
        _vote(held, org.chief, "adjust", "5")
    monkeypatch.setattr(Vote.objects, "filter", real_filter)
    assert "п. 41" in refused.value.messages[0]
    assert Vote.objects.count() == 2
    assert Vote.objects.get(participant__employee=org.chief).choice == "keep"


def test_R41_2_protocol_pdf_names_participants_votes_and_outcome(org, held, tmp_path):
    _unanimous(org, held)
    _sign(org, held)
    client = Client()
    with time_machine.travel(at(held.session_date, 18), tick=False):
        client.force_login(org.chief.user)
        response = client.get(reverse("calibration:protocol_pdf", args=[held.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "protocol.pdf"
    pdf.write_bytes(response.content)
    (tmp_path.parent / "calibration-protocol.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for needle in ("ПРОТОКОЛ", "Малый зал", org.head.short_name, org.chairman.short_name, "4,00", "3,00"):
        assert needle in text, needle
