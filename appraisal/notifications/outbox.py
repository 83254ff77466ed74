"""The outbox: notifications are rows first, sent later by one task, each exactly once.

`enqueue` is idempotent on its key, so the code that decides a notice is due can run on
every tick. `send_due` claims each row with an update-if-unchanged before sending, so two
workers, or a beat firing twice, never send the same row twice.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from appraisal.models import Channel, Employee, OutboxMessage, OutboxState
from appraisal.notifications.channels import deliver

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
CLAIM_TIMEOUT = dt.timedelta(minutes=15)


def enqueue(*, key: str, channel: str, recipient: str, body: str, subject: str = "", user=None,
            rule_id: str = "", due_at=None) -> tuple[OutboxMessage, bool]:
    """Queue a notification once per key; returns (row, created)."""
    defaults = {
        "channel": channel, "recipient": recipient, "body": body, "subject": subject, "user": user,
        "rule_id": rule_id, "due_at": due_at or timezone.now(),
    }
    return OutboxMessage.objects.get_or_create(key=key, defaults=defaults)


def notify_employee(*, employee: Employee, key: str, subject: str, body: str, rule_id: str = "") -> list[OutboxMessage]:
    """E-mail and, where a mobile number is known, SMS; each channel gets its own key (the
    rows are those of `notify_employees`, queued one by one)."""
    rows = _rows_for(Notice(employee, key, subject, body, rule_id), timezone.now())
    return [
        enqueue(key=row.key, channel=row.channel, recipient=row.recipient, subject=row.subject, body=row.body,
                user=employee.user, rule_id=row.rule_id, due_at=row.due_at)[0]
        for row in rows
    ]


@dataclass(frozen=True)
class Notice:
    """One notice to one employee, for `notify_employees` (bulk)."""

    employee: Employee
    key: str
    subject: str
    body: str
    rule_id: str = ""


def _rows_for(notice: Notice, due_at) -> list[OutboxMessage]:
    employee, rows = notice.employee, []
    if employee.email:
        rows.append(OutboxMessage(key=f"{notice.key}:email", channel=Channel.EMAIL, recipient=employee.email,
                                  subject=notice.subject, body=notice.body, user_id=employee.user_id,
                                  rule_id=notice.rule_id, due_at=due_at))
    if employee.mobile:
        rows.append(OutboxMessage(key=f"{notice.key}:sms", channel=Channel.SMS, recipient=employee.mobile,
                                  body=f"{notice.subject}. {notice.body}"[:480], user_id=employee.user_id,
                                  rule_id=notice.rule_id, due_at=due_at))
    return rows


def notify_employees(notices: list[Notice], batch_size: int = 2000) -> int:
    """The bulk form of notify_employee: same keys, same channels, a few queries for any
    number of notices. Keys already queued are skipped by the unique constraint
    (ON CONFLICT DO NOTHING), so it is as idempotent as `enqueue`. Returns the rows offered."""
    now = timezone.now()
    rows = [row for notice in notices for row in _rows_for(notice, now)]
    OutboxMessage.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
    return len(rows)


def _claim(message_id: int, now) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=message_id, state=OutboxState.PENDING).update(
            state=OutboxState.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
    )


def release_stale_claims(now=None) -> int:
    """A worker that died between claiming a row and marking it sent leaves it «sending»;
    after CLAIM_TIMEOUT it goes back to pending. Whether the message went out before the
    crash cannot be known: sending it again is the lesser harm than never sending a notice
    that a deadline depends on."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(state=OutboxState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        state=OutboxState.PENDING
    )


def send_due(now=None, limit: int = 500) -> int:
    """Send what is due; returns how many were sent."""
    now = now or timezone.now()
    release_stale_claims(now)
    due_ids = list(
        OutboxMessage.objects.filter(state=OutboxState.PENDING, due_at__lte=now)
        .order_by("due_at", "pk").values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in due_ids:
        if not _claim(message_id, now):
            continue  # another worker has it
        message = OutboxMessage.objects.get(pk=message_id)
        try:
            deliver(message)
        except Exception as exc:  # noqa: BLE001 — any channel failure is retried later
            logger.warning("notification %s failed: %s", message.key, exc)
            state = OutboxState.FAILED if message.attempts >= MAX_ATTEMPTS else OutboxState.PENDING
            OutboxMessage.objects.filter(pk=message_id).update(state=state, last_error=str(exc)[:2000])
            continue
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=message_id).update(state=OutboxState.SENT, sent_at=timezone.now(),
                                                               last_error="")
        sent += 1
    return sent
