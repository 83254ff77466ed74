"""Hypothesis over the inputs of the application and vote services (R12, R41.2): whatever
is typed or posted, no server error; a refusal names the rule and stores nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from appraisal.models import Acknowledgement
from calibration.models import CalibrationCase, Participant, Vote
from calibration.services import applications, composition, session
from tests.calibration.conftest import acknowledge, at
from tests.input_strategies import any_text, any_value, limits_settings

pytestmark = pytest.mark.django_db


def _votes():
    return list(Vote.objects.order_by("pk").values_list("participant_id", "choice", "score"))


def _positions():
    return list(Participant.objects.order_by("pk").values_list("position", flat=True))


@limits_settings
@given(choice=st.one_of(st.sampled_from(["keep", "adjust", "abstain"]), any_value()), score=any_value(),
       position=st.one_of(any_text(), st.none()))
def test_R41_2_vote_with_arbitrary_input_never_fails_and_refusal_stores_nothing(org, held, choice, score, position):
    before = (_votes(), _positions())
    with time_machine.travel(at(held.session_date, 16), tick=False):
        try:
            vote = session.cast_vote(case=held, by=org.chief.user, choice=choice, score=score, position=position)
        except ValidationError as exc:
            assert all(m.startswith("п. ") for m in exc.messages), exc.messages
            assert (_votes(), _positions()) == before
            return
    assert 0 <= (vote.score if vote.score is not None else 0) <= 5
    Vote.objects.filter(pk=vote.pk).delete()  # the next example votes afresh


@limits_settings
@given(text=any_value())
def test_R12_application_with_arbitrary_text_never_fails_and_refusal_stores_nothing(org, result, text):
    acknowledge(result)
    with time_machine.travel(at(dt.date(2026, 10, 7)), tick=False):
        try:
            case = applications.file_application(result=result, by=org.staff[0].user, text=text)
        except ValidationError as exc:
            assert all(m.startswith("п. 12") for m in exc.messages), exc.messages
            assert not CalibrationCase.objects.exists()
            return
    assert case.application == str(text).strip() and 0 < len(case.application) <= 4000
    case.delete()
    assert Acknowledgement.objects.filter(result=result).count() == 1


class _Undo(Exception):
    """Raised to roll back an accepted example, so the next one starts from the same case."""


@limits_settings
@given(session_date=any_value(), session_time=any_value(), place=any_value())
def test_R39_composition_with_arbitrary_input_never_fails_and_refusal_stores_nothing(
        org, case, session_date, session_time, place):
    before = (CalibrationCase.objects.get(pk=case.pk).state, Participant.objects.count())
    with time_machine.travel(at(dt.date(2026, 10, 8)), tick=False):
        try:
            with transaction.atomic():
                composition.approve_composition(case=case, by=org.official.user, session_date=session_date,
                                                session_time=session_time, place=place, members=[org.staff[1]])
                raise _Undo
        except ValidationError as exc:
            assert all(m.startswith("п. ") for m in exc.messages), exc.messages
        except _Undo:
            pass
    assert (CalibrationCase.objects.get(pk=case.pk).state, Participant.objects.count()) == before
