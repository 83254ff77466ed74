"""The outbox: one row per key, each row sent exactly once, failures retried; the tick."""

import datetime as dt
import json

import pytest
from django.core import mail
from django.utils import timezone

from appraisal import hooks
from appraisal.models import Channel, OutboxMessage, OutboxState
from appraisal.notifications import outbox
from appraisal.notifications.outbox import enqueue, notify_employee, send_due
from appraisal.tasks import tick

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    return tmp_path / "sms.log"


def _email(key="R30:2024Q1:1"):
    return enqueue(key=key, channel=Channel.EMAIL, recipient="a@example.kz", subject="Оценка",
                   body="Уведомление о проведении оценки (п. 30)", rule_id="R30")


def test_enqueue_twice_with_one_key_gives_one_row():
    first, created = _email()
    again, created_again = _email()
    assert created and not created_again
    assert first.pk == again.pk
    assert OutboxMessage.objects.count() == 1


def test_email_goes_through_django_mail_once_even_when_sent_twice():
    _email()
    assert send_due() == 1
    assert send_due() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.kz"] and "п. 30" in mail.outbox[0].body
    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts, row.sent_at is not None) == (OutboxState.SENT, 1, True)


def test_a_row_claimed_by_another_worker_is_not_sent(monkeypatch):
    _email()
    real_claim = outbox._claim

    def other_worker_claims_first(message_id, now):
        assert real_claim(message_id, now)  # the other worker wins the race
        return real_claim(message_id, now)

    monkeypatch.setattr(outbox, "_claim", other_worker_claims_first)
    assert send_due() == 0
    assert mail.outbox == []
    assert OutboxMessage.objects.get().state == OutboxState.SENDING


def test_a_claim_left_by_a_dead_worker_is_sent_after_the_timeout():
    _email()
    claimed_at = timezone.now() - outbox.CLAIM_TIMEOUT - dt.timedelta(minutes=1)
    OutboxMessage.objects.update(state=OutboxState.SENDING, attempts=1, claimed_at=claimed_at)
    assert send_due() == 1
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().state == OutboxState.SENT


def test_a_fresh_claim_is_left_to_its_worker():
    _email()
    OutboxMessage.objects.update(state=OutboxState.SENDING, attempts=1, claimed_at=timezone.now())
    assert send_due() == 0
    assert mail.outbox == []


def test_failing_channel_leaves_the_row_pending_with_the_error(monkeypatch):
    _email()

    def broken(message):
        raise ConnectionError("SMTP недоступен")

    monkeypatch.setitem(outbox.deliver.__globals__["DELIVER"], Channel.EMAIL, broken)
    assert send_due() == 0
    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts) == (OutboxState.PENDING, 1)
    assert "SMTP недоступен" in row.last_error
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        send_due()
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxState.FAILED, outbox.MAX_ATTEMPTS)
    monkeypatch.undo()
    assert send_due() == 0  # a failed row is not retried by itself


def test_retry_after_failure_sends_and_clears_the_error(monkeypatch):
    _email()
    monkeypatch.setitem(outbox.deliver.__globals__["DELIVER"], Channel.EMAIL,
                        lambda message: (_ for _ in ()).throw(OSError("временная ошибка")))
    send_due()
    monkeypatch.undo()
    assert send_due() == 1
    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts, row.last_error) == (OutboxState.SENT, 2, "")


def test_sms_file_backend_writes_a_json_line(sms_file):
    enqueue(key="k:sms", channel=Channel.SMS, recipient="+77010000001", body="Ознакомьтесь с результатом (п. 11)")
    assert send_due() == 1
    lines = sms_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["to"] == "+77010000001" and record["text"] == "Ознакомьтесь с результатом (п. 11)"


def test_notify_employee_uses_email_and_sms_with_their_own_keys(org, sms_file):
    employee = org.staff[0]
    rows = notify_employee(employee=employee, key="R30:2024Q1", subject="Оценка", body="текст", rule_id="R30")
    assert {r.channel for r in rows} == {Channel.EMAIL, Channel.SMS}
    notify_employee(employee=employee, key="R30:2024Q1", subject="Оценка", body="текст", rule_id="R30")
    assert OutboxMessage.objects.count() == 2
    assert send_due() == 2
    assert len(mail.outbox) == 1 and len(sms_file.read_text(encoding="utf-8").splitlines()) == 1


def test_not_due_yet_is_not_sent():
    from django.utils import timezone

    enqueue(key="later", channel=Channel.EMAIL, recipient="b@example.kz", body="x",
            due_at=timezone.now() + timezone.timedelta(days=1))
    assert send_due() == 0


def test_tick_runs_the_hooks_then_sends():
    calls = []

    def queue_something(now):
        calls.append(now)
        enqueue(key=f"tick:{now.date()}", channel=Channel.EMAIL, recipient="c@example.kz", body="срок")

    hooks.on_tick(queue_something)
    try:
        tick.delay()
        tick.delay()
    finally:
        hooks._tick.remove(queue_something)
    assert len(calls) == 2
    assert OutboxMessage.objects.filter(key__startswith="tick:").count() == 1
    assert [m.to for m in mail.outbox].count(["c@example.kz"]) == 1


def test_a_failing_tick_hook_does_not_hold_back_queued_notices():
    _email()

    def broken(now):
        raise RuntimeError("ошибка в приложении главы")

    hooks.on_tick(broken)
    try:
        with pytest.raises(RuntimeError):
            tick()
    finally:
        hooks._tick.remove(broken)
    assert OutboxMessage.objects.get().state == OutboxState.SENT
    assert len(mail.outbox) == 1
