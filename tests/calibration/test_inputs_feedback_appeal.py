"""Hypothesis over the R42 feedback meeting and the R13 appeal services (issue 10, point 2):
whatever is typed or posted — any text, NUL, 100,000 characters, 9999-12-31, a number where a
date goes — no server error; a refusal names the rule and stores nothing; what is accepted is
stored as typed (trimmed), never cut."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from calibration.models import Appeal, FeedbackMeeting
from calibration.services import appeals, feedback
from tests.calibration.conftest import at
from tests.calibration.test_feedback_and_appeal import _posted
from tests.input_strategies import any_date, any_text, any_value, limits_settings

pytestmark = pytest.mark.django_db


def _refused_with_rule(exc: ValidationError, rule: str) -> None:
    assert all(m.startswith(f"п. {rule}") for m in exc.messages), exc.messages


@limits_settings
@given(held_on=st.one_of(any_date(), any_value()), achievements=any_value(), skills=any_text(), potential=any_text())
def test_R42_feedback_with_arbitrary_input_never_fails_and_refusal_stores_nothing(org, held, held_on, achievements,
                                                                                  skills, potential):
    case = held if held.protocol_signed_on else _posted(org, held)
    with time_machine.travel(at(case.session_date + dt.timedelta(days=3)), tick=False), transaction.atomic():
        try:
            meeting = feedback.record_feedback(case=case, by=org.head.user, held_on=held_on,
                                               achievements=achievements, skills=skills, potential=potential)
        except ValidationError as exc:
            _refused_with_rule(exc, "42")
            assert not FeedbackMeeting.objects.exists()
        else:
            meeting.refresh_from_db()
            assert meeting.achievements == str(achievements).strip() and meeting.potential == potential.strip()
            assert case.session_date <= meeting.held_on <= case.session_date + dt.timedelta(days=3)
        transaction.set_rollback(True)  # every example starts from the posted case without a meeting


@limits_settings
@given(filed_on=st.one_of(any_date(), any_value()), body=any_value())
def test_R13_appeal_with_arbitrary_input_never_fails_and_refusal_stores_nothing(org, held, filed_on, body):
    case = held if held.protocol_signed_on else _posted(org, held)
    with time_machine.travel(at(case.session_date + dt.timedelta(days=5)), tick=False), transaction.atomic():
        try:
            appeal = appeals.record_appeal(case=case, by=org.chief.user, filed_on=filed_on, body=body)
        except ValidationError as exc:
            _refused_with_rule(exc, "13")
            assert not Appeal.objects.exists()
        else:
            appeal.refresh_from_db()
            assert appeal.body == str(body).strip()
            assert case.protocol_signed_on <= appeal.filed_on <= case.session_date + dt.timedelta(days=5)
        transaction.set_rollback(True)
