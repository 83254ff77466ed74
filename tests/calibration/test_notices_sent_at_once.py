"""R12, R39, R41.2: the calibration notices go out right after the commit (the same helper as
the R11.1 result notice, appraisal.notifications.outbox.send_after_commit), not at the next
periodic tick: the appointing official has three working days (R38), the participants need
the date and place, the person the outcome."""

import datetime as dt

import time_machine
from django.db import connection

from appraisal.models import OutboxMessage, OutboxState
from calibration.services import session
from tests.calibration.conftest import acknowledge, at, compose, file, hold


def _committed() -> None:
    """As if the set-up's own transactions had committed: run their pending callbacks (the
    test runs inside one transaction, where the set-up's send would absorb the next one)."""
    callbacks, connection.run_on_commit[:] = list(connection.run_on_commit), []
    for _savepoints, func, _robust in callbacks:
        func()


def _sent(rule_id: str) -> set[str]:
    rows = OutboxMessage.objects.filter(rule_id=rule_id)
    assert rows.exists(), rule_id
    return set(rows.values_list("state", flat=True))


def test_R12_official_notice_is_sent_on_commit(org, result, django_capture_on_commit_callbacks):
    acknowledge(result)
    _committed()
    with django_capture_on_commit_callbacks(execute=True):
        file(result, at(dt.date(2026, 10, 7)))
    assert _sent("R12") == {OutboxState.SENT}


def test_R39_invitations_are_sent_on_commit(org, case, django_capture_on_commit_callbacks):
    _committed()
    with django_capture_on_commit_callbacks(execute=True):
        compose(org, case)
    assert _sent("R39") == {OutboxState.SENT}
    assert _sent("R38") == {OutboxState.SENT}


def test_R41_2_posting_notice_is_sent_on_commit(org, case, django_capture_on_commit_callbacks):
    compose(org, case)
    case.refresh_from_db()
    hold(org, case)
    case.refresh_from_db()
    with time_machine.travel(at(case.session_date, 16), tick=False):
        session.save_argument(case=case, by=org.head.user, text="Аргументы")
        for person in (org.chief, org.staff[1], org.chairman, org.head):
            session.cast_vote(case=case, by=person.user, choice="keep")
        session.sign_protocol(case=case, by=org.chief.user, signed_on=case.session_date)
        case.refresh_from_db()
        _committed()
        with django_capture_on_commit_callbacks(execute=True):
            session.post_protocol(case=case, by=org.chief.user)
    assert _sent("R41.2") == {OutboxState.SENT}
