"""The outbox: notifications are rows first, sent later by one task, each exactly once.

`enqueue` is idempotent on its key, so the code that decides a notice is due can run on
every tick. `send_due` claims rows before sending them, so two workers, or a beat firing
twice, never send the same row twice.

A worker killed after the provider accepted a message but before the row was marked sent
leaves the row «sending»; after CLAIM_TIMEOUT it is sent again. So every delivery carries
the row's unique key as an idempotency key (e-mail: the Message-ID and an X-Bagalau-Key
header; SMS: an `idempotency_key` field and header), and the provider recognises the repeat
instead of delivering it twice (tests/appraisal/test_outbox_survives_failures.py).
"""

import datetime as dt
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
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
    return [
        enqueue(key=row.key, channel=row.channel, recipient=row.recipient, subject=row.subject, body=row.body,
                user=employee.user, rule_id=row.rule_id)[0]
        for row in _rows_for(Notice(employee, key, subject, body, rule_id))
    ]


def _send_now() -> None:
    from appraisal.tasks import send_notifications

    send_notifications.delay()


def send_after_commit() -> None:
    """Send the outbox right after the current transaction commits, instead of waiting for
    the periodic tick: the one way a service asks that its notices go out at once (the R11
    result notice, the calibration notices). One send per transaction however many notices
    it queues; robust: a failing send is logged and left to the tick, the change stays."""
    pending = getattr(transaction.get_connection(), "run_on_commit", [])
    if any(callback[1] is _send_now for callback in pending):
        return
    transaction.on_commit(_send_now, robust=True)


class Addressee(NamedTuple):
    """Where an employee's notices go: what `Notice` needs of an Employee, so bulk callers
    can pass plain values instead of model instances (issue 12: opening a quarter)."""

    email: str
    mobile: str
    user_id: int | None


@dataclass(frozen=True)
class Notice:
    """One notice to one employee (an Employee or an Addressee), for `notify_employees`."""

    employee: "Employee | Addressee"
    key: str
    subject: str
    body: str
    rule_id: str = ""


class _Row(NamedTuple):
    key: str
    channel: str
    recipient: str
    subject: str
    body: str
    user_id: int | None
    rule_id: str


def _rows_for(notice: Notice) -> list[_Row]:
    employee, rows = notice.employee, []
    if employee.email:
        rows.append(_Row(f"{notice.key}:email", Channel.EMAIL, employee.email, notice.subject, notice.body,
                         employee.user_id, notice.rule_id))
    if employee.mobile:
        rows.append(_Row(f"{notice.key}:sms", Channel.SMS, employee.mobile, "",
                         f"{notice.subject}. {notice.body}"[:480], employee.user_id, notice.rule_id))
    return rows


def notify_employees(notices: list[Notice]) -> int:
    """The bulk form of notify_employee: same keys, same channels, a few statements for any
    number of notices. Keys already queued are skipped (ON CONFLICT DO NOTHING on the unique
    key), so it is as idempotent as `enqueue`. Returns the rows offered.

    The rows go in as plain tuples, by one INSERT … SELECT FROM unnest(arrays) on PostgreSQL
    (executemany elsewhere): `bulk_create` built a model instance
    per row and prepared every value of every field through it, which was most of the time
    of opening a quarter for 10,000 staff (issue 12). The columns every new row shares
    (state, attempts, times) are prepared once, by the fields themselves."""
    rows = [row for notice in notices for row in _rows_for(notice)]
    if not rows:
        return 0
    now = timezone.now()
    shared = {"due_at": now, "created_at": now, "state": OutboxState.PENDING, "attempts": 0, "last_error": "",
              "claimed_at": None, "sent_at": None}
    fields = {f.attname: f for f in OutboxMessage._meta.concrete_fields if not f.primary_key}
    varying = list(_Row._fields)
    if set(fields) != set(varying) | set(shared):  # a new column must be given a value here
        raise ImproperlyConfigured(f"outbox columns changed: {sorted(set(fields) ^ (set(varying) | set(shared)))}")
    constants = tuple(fields[name].get_db_prep_save(value, connection) for name, value in shared.items())
    quote = connection.ops.quote_name
    names = ", ".join(quote(fields[name].column) for name in [*varying, *shared])
    table = quote(OutboxMessage._meta.db_table)
    insert = f"INSERT INTO {table} ({names}) "
    on_conflict = f" ON CONFLICT ({quote('key')}) DO NOTHING"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement whatever the number of rows: each varying column travels as one
            # array parameter and UNNEST turns the arrays back into rows.
            arrays = ", ".join(f"%s::{fields[name].cast_db_type(connection)}[]" for name in varying)
            constant_marks = ", ".join(f"%s::{fields[name].cast_db_type(connection)}" for name in shared)
            cursor.execute(
                f"{insert}SELECT *, {constant_marks} FROM unnest({arrays}){on_conflict}",  # noqa: S608  identifiers and casts from _meta, values as parameters
                [*constants, *(list(column) for column in zip(*rows))],
            )
        else:
            marks = ", ".join(["%s"] * (len(varying) + len(shared)))
            cursor.executemany(f"{insert}VALUES ({marks}){on_conflict}",
                               [(*row, *constants) for row in rows])
    return len(rows)


CLAIM_CHUNK = 50


def _claim_chunk(now, skip: set[int], size: int) -> tuple[bool, list[OutboxMessage]]:
    """Claim up to `size` due rows for this worker; returns (anything was due, the rows).
    On PostgreSQL the rows another worker is claiming at the same moment are skipped
    (SKIP LOCKED), so two senders share
    the work instead of waiting on each other; on SQLite the transaction holds the write
    lock from its start (settings: IMMEDIATE), which serialises the claims."""
    with transaction.atomic():
        due = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(state=OutboxState.PENDING, due_at__lte=now).exclude(pk__in=skip)
                   .order_by("due_at", "pk").values_list("pk", flat=True)[:size])
        if not due:
            return False, []
        # stamped with the time of the claim, not of the run: a long run's later claims must
        # not look stale to another worker
        mine = _claim(due, timezone.now())
        return True, list(OutboxMessage.objects.filter(pk__in=mine).order_by("due_at", "pk"))


def _claim(message_ids: list[int], claimed_at) -> list[int]:
    """Update-if-unchanged of the rows still pending, in one statement; returns the ids this
    worker turned from pending to sending (RETURNING: PostgreSQL, SQLite 3.35+)."""
    quote = connection.ops.quote_name
    table = quote(OutboxMessage._meta.db_table)
    marks = ", ".join(["%s"] * len(message_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {quote('state')} = %s, {quote('attempts')} = {quote('attempts')} + 1, "  # noqa: S608  quoted identifiers from _meta and constants, no user input
            f"{quote('claimed_at')} = %s WHERE {quote('id')} IN ({marks}) AND {quote('state')} = %s RETURNING {quote('id')}",
            [OutboxState.SENDING, connection.ops.adapt_datetimefield_value(claimed_at), *message_ids,
             OutboxState.PENDING],
        )
        return [row[0] for row in cursor.fetchall()]


def release_stale_claims(now=None) -> int:
    """A worker that died between claiming a row and marking it sent leaves it «sending»;
    after CLAIM_TIMEOUT it goes back to pending. Whether the message went out before the
    crash cannot be known: sending it again is the lesser harm than never sending a notice
    that a deadline depends on."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(state=OutboxState.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        state=OutboxState.PENDING
    )


@contextmanager
def _marks_without_flush_wait():
    """While sending, PostgreSQL commits the «sent» marks without waiting for the WAL flush
    (synchronous_commit off for this connection, reset afterwards). A worker crash loses
    nothing by it; a database crash could lose the last few marks, whose messages then go
    again under the same idempotency key. A flush per message would make a large batch
    several times slower."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def send_due(now=None, limit: int | None = None) -> int:
    """Send everything due (or at most `limit` rows); returns how many were sent. A row that
    fails goes back to pending and waits for the next run."""
    now = now or timezone.now()
    release_stale_claims(now)
    sent = 0
    failed: set[int] = set()
    with _marks_without_flush_wait():
        while limit is None or sent + len(failed) < limit:
            size = CLAIM_CHUNK if limit is None else min(CLAIM_CHUNK, limit - sent - len(failed))
            anything_due, chunk = _claim_chunk(now, failed, size)
            if not anything_due:
                break
            for message in chunk:
                try:
                    deliver(message)
                except Exception as exc:  # noqa: BLE001 — any channel failure is retried later
                    logger.warning("notification %s failed: %s", message.key, exc)
                    state = OutboxState.FAILED if message.attempts >= MAX_ATTEMPTS else OutboxState.PENDING
                    OutboxMessage.objects.filter(pk=message.pk).update(state=state, last_error=str(exc)[:2000])
                    failed.add(message.pk)
                    continue
                # marked at once, row by row: a crashed worker repeats at most the one message in flight
                OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxState.SENT, sent_at=timezone.now(),
                                                                   last_error="")
                sent += 1
    return sent
