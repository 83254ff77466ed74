"""Issue 10 point 9: notifications survive a killed worker and a restarted Redis, and none
reaches a person twice.

A real Celery worker process sends a batch of outbox rows (half e-mail, half SMS) through
Redis. The SMS gateway double accepts the message that is in flight, then SIGKILLs the whole
worker (so that row was delivered but never marked sent). Redis is killed and restarted
empty, a new worker is started and two beat processes tick at the same time. Every row must
end «sent», every message must reach the provider once as counted by its idempotency key
(the row's unique key), and the row cut after delivery must have been offered again with the
same key — which is what lets the provider drop the repeat.

Runs where REDIS_URL is set (CI) on PostgreSQL (the worker process shares the test
database); Redis itself is a private redis-server started by the test on a free port when
the binary is installed (the shared server is never restarted), otherwise the outage is
simulated on REDIS_URL by killing the worker's client connections."""

import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# 10,000 rows as the issue asks: measured 54 s from the first worker's start to the last row
# sent (62 s for the test) on a 2-core machine with a load average of 9; the e-mails go to
# files (Django's file backend), the SMS over HTTP to the gateway double.
BATCH = 10_000
KILL_AT_SMS = BATCH // 8  # the gateway kills the worker right after accepting this SMS
CLAIM_SECONDS = 3  # the stale-claim timeout of the test's workers (15 minutes in production)
DEADLINE_SECONDS = 150

WORKER = """
import datetime as dt, os
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = os.environ["TEST_EMAIL_DIR"]
settings.SMS_BACKEND = "http"
settings.SMS_GATEWAY_URL = os.environ["TEST_SMS_URL"]
from appraisal.notifications import outbox
outbox.CLAIM_TIMEOUT = dt.timedelta(seconds=float(os.environ["TEST_CLAIM_SECONDS"]))
from appraisal.celery import app
app.worker_main(["worker", "--pool=prefork", "--concurrency=2", "--loglevel=WARNING", "--without-gossip",
                 "--without-mingle", "-n", os.environ["TEST_WORKER_NAME"]])
"""


class Gateway(ThreadingHTTPServer):
    """The SMS provider double: honours the idempotency key as a real gateway should (a
    repeated key is answered «accepted» and not delivered again) and records every request."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), GatewayHandler)
        self.lock = threading.Lock()
        self.requests: list[str] = []  # the idempotency key of each request ("" when none)
        self.delivered: dict[str, int] = {}  # per key (or per text without a key): deliveries
        self.kill_group: int | None = None
        self.killed_key = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sms"


class GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        gateway: Gateway = self.server
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = payload.get("idempotency_key") or self.headers.get("Idempotency-Key") or ""
        with gateway.lock:
            gateway.requests.append(key)
            identity = key or payload["text"]
            if identity not in gateway.delivered or not key:
                gateway.delivered[identity] = gateway.delivered.get(identity, 0) + 1
            sms_accepted = len(gateway.delivered)
            if gateway.kill_group and sms_accepted == KILL_AT_SMS and not gateway.killed_key:
                # accepted, then the worker dies before it can mark the row sent
                gateway.killed_key = identity
                os.killpg(gateway.kill_group, signal.SIGKILL)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"accepted": true}')

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, on a free port, without persistence."""

    def __init__(self):
        self.port = _free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # the installed redis-server
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def crash_and_restart(self):
        self.process.kill()
        self.process.wait(timeout=10)
        self.start()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class SharedRedisOutage:
    """Without a redis-server binary: the shared server stays up (other processes use it);
    the outage the worker sees is its connections to our database number being killed."""

    def __init__(self):
        self.url = os.environ["REDIS_URL"]

    def start(self):
        pass

    def crash_and_restart(self):
        import redis

        client = redis.Redis.from_url(self.url)
        db = client.connection_pool.connection_kwargs.get("db", 0)
        client.delete("celery", "unacked", "unacked_index")
        for entry in client.client_list():
            if int(entry.get("db", -1)) == db and int(entry["id"]) != client.client_id():
                client.client_kill_filter(_id=entry["id"])

    def stop(self):
        pass


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _spawn(args, env, log: Path) -> subprocess.Popen:
    # a session of its own: SIGKILL of the group kills the worker and its pool children
    with log.open("ab") as out:
        return subprocess.Popen(args, cwd=settings.BASE_DIR, env=env, start_new_session=True,  # our own code
                                stdout=out, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def _emails(folder: Path) -> list[tuple[str, str]]:
    """(Message-ID, X-Bagalau-Key) of every message the file backend wrote."""
    found = []
    for path in folder.glob("*.log"):
        for message in path.read_text(encoding="utf-8").split("-" * 79):
            mid = re.search(r"^Message-ID: (.+)$", message, re.M)
            key = re.search(r"^X-Bagalau-Key: (.+)$", message, re.M)
            if mid or key:
                found.append((mid.group(1).strip() if mid else "", key.group(1).strip() if key else ""))
    return found


def _wait(predicate, seconds, what, logs: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    tails = {p.name: p.read_text(errors="replace")[-1500:] for p in logs.glob("*.log")}
    raise AssertionError(f"timed out waiting for {what}: {tails}")


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="no REDIS_URL: tasks run eagerly (CI sets it)")
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the worker processes must share the test database: PostgreSQL (CI)")
@pytest.mark.django_db(transaction=True)
def test_outbox_batch_survives_a_killed_worker_and_a_restarted_redis_each_message_once():
    from django.utils import timezone

    from appraisal.celery import app
    from appraisal.models import Channel, OutboxMessage, OutboxState
    from appraisal.notifications.channels import message_id

    now = timezone.now() - dt.timedelta(seconds=1)
    OutboxMessage.objects.bulk_create([
        OutboxMessage(key=f"batch:{i}:{'email' if i % 2 else 'sms'}", channel=Channel.EMAIL if i % 2 else Channel.SMS,
                      recipient=f"p{i}@example.kz" if i % 2 else f"+7701{i:07d}", subject="Оценка",
                      body=f"уведомление {i}", due_at=now) for i in range(BATCH)
    ], batch_size=2000)
    sms_keys = set(OutboxMessage.objects.filter(channel=Channel.SMS).values_list("key", flat=True))
    email_keys = set(OutboxMessage.objects.filter(channel=Channel.EMAIL).values_list("key", flat=True))

    gateway = Gateway()
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    redis_server = PrivateRedis() if shutil.which("redis-server") else SharedRedisOutage()
    redis_server.start()
    folder = Path(tempfile.mkdtemp(prefix="outbox-test-"))
    (folder / "mail").mkdir()
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": redis_server.url,
           "DJANGO_SETTINGS_MODULE": "appraisal.settings",
           "SECRET_KEY": settings.SECRET_KEY, "TEST_EMAIL_DIR": str(folder / "mail"),
           "TEST_SMS_URL": gateway.url, "TEST_CLAIM_SECONDS": str(CLAIM_SECONDS), "TICK_SECONDS": "2"}
    processes = []
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # the test sends through the broker
    started = time.monotonic()
    try:
        # 1. a worker starts on the batch and is SIGKILLed by the gateway mid-batch
        first = _spawn([sys.executable, "-c", WORKER], {**env, "TEST_WORKER_NAME": "first@%h"}, folder / "first.log")
        processes.append(first)
        gateway.kill_group = first.pid
        # an explicit connection: the app's pool may still hold another test's broker
        with app.connection_for_write(redis_server.url) as broker:
            app.send_task("appraisal.tasks.send_notifications", connection=broker)
        first.wait(timeout=DEADLINE_SECONDS)
        assert first.returncode == -signal.SIGKILL, (folder / "first.log").read_text()[-2000:]
        assert gateway.killed_key
        half_way = OutboxMessage.objects.filter(state=OutboxState.SENT).count()
        killed_after = time.monotonic() - started
        assert 0 < half_way < BATCH
        assert OutboxMessage.objects.get(key=gateway.killed_key).state == OutboxState.SENDING

        # 2. Redis goes down and comes back empty
        redis_server.crash_and_restart()

        # 3. a new worker, and two beats ticking at the same time
        second = _spawn([sys.executable, "-c", WORKER], {**env, "TEST_WORKER_NAME": "second@%h"}, folder / "second.log")
        processes.append(second)
        for n in (1, 2):
            processes.append(_spawn([sys.executable, "-m", "celery", "-A", "appraisal", "beat", "--loglevel=WARNING",
                                     "-s", str(folder / f"beat{n}")], env, folder / f"beat{n}.log"))
        _wait(lambda: OutboxMessage.objects.exclude(state=OutboxState.SENT).count() == 0,
              DEADLINE_SECONDS - (time.monotonic() - started), "every row to be sent",
              logs=folder)
    finally:
        app.conf.task_always_eager = eager
        for process in reversed(processes):
            _stop(process)
        redis_server.stop()
        gateway.shutdown()
    elapsed = time.monotonic() - started

    # every row sent …
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == BATCH
    # … every SMS delivered once by its key, including the one cut after delivery, which was
    # offered again with the same key and dropped by the gateway as a repeat
    assert set(gateway.delivered) == sms_keys
    assert set(gateway.delivered.values()) == {1}
    repeats = len(gateway.requests) - len(set(gateway.requests))
    assert gateway.requests.count(gateway.killed_key) == 2
    # … every e-mail written once, with the Message-ID made from its row's key
    emails = _emails(folder / "mail")
    assert {key for _mid, key in emails} == email_keys
    assert all(mid == message_id(key) for mid, key in emails)
    assert len(emails) == len(email_keys), "no e-mail written twice"
    shutil.rmtree(folder, ignore_errors=True)
    print(f"\noutbox batch {BATCH}: {half_way} sent before the kill ({killed_after:.1f} s), SMS requests "
          f"repeated {repeats} (delivered twice: 0), e-mails {len(emails)}, all sent in {elapsed:.1f} s")


# --- the idempotency key on every channel (run everywhere) ------------------------------------

def _row(key, channel=None, minutes_ago=0):
    from django.utils import timezone

    from appraisal.models import Channel
    from appraisal.notifications.outbox import enqueue

    channel = channel or Channel.EMAIL
    recipient = "a@example.kz" if channel == Channel.EMAIL else "+77010000001"
    return enqueue(key=key, channel=channel, recipient=recipient, subject="Оценка", body="текст",
                   due_at=timezone.now() - dt.timedelta(minutes=minutes_ago))[0]


@pytest.mark.django_db
def test_outbox_email_carries_the_row_key_as_message_id_and_header(mailoutbox):
    from appraisal.notifications.channels import message_id
    from appraisal.notifications.outbox import send_due

    _row("R30:1:email")
    assert send_due() == 1
    sent = mailoutbox[0].message()
    assert sent["Message-ID"] == message_id("R30:1:email") and sent["X-Bagalau-Key"] == "R30:1:email"
    assert message_id("R30:1:email") != message_id("R30:2:email")


@pytest.mark.django_db
def test_outbox_sms_file_and_gateway_receive_the_row_key(settings, tmp_path):
    from appraisal.models import Channel
    from appraisal.notifications.outbox import send_due

    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", str(tmp_path / "sms.log")
    _row("R30:1:sms", Channel.SMS)
    assert send_due() == 1
    assert json.loads((tmp_path / "sms.log").read_text(encoding="utf-8"))["key"] == "R30:1:sms"

    gateway = Gateway()
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    try:
        settings.SMS_BACKEND, settings.SMS_GATEWAY_URL = "http", gateway.url
        _row("R30:2:sms", Channel.SMS)
        assert send_due() == 1
    finally:
        gateway.shutdown()
    assert gateway.requests == ["R30:2:sms"]


@pytest.mark.django_db
def test_outbox_message_cut_after_delivery_goes_again_with_the_same_key(mailoutbox):
    """The worker delivered, then died before marking: after the claim timeout the row is
    sent again — under the same Message-ID, so the repeat is recognisable."""
    from django.utils import timezone

    from appraisal.models import OutboxMessage, OutboxState
    from appraisal.notifications import outbox

    row = _row("R30:3:email")
    assert outbox.send_due() == 1
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=OutboxState.SENDING, claimed_at=timezone.now() - outbox.CLAIM_TIMEOUT - dt.timedelta(seconds=1))
    assert outbox.send_due() == 1
    assert [m.message()["Message-ID"] for m in mailoutbox] == [outbox_id := mailoutbox[0].message()["Message-ID"]] * 2
    assert outbox_id.startswith("<outbox.")


@pytest.mark.django_db
def test_outbox_claims_are_stamped_when_made_not_when_the_run_started(monkeypatch):
    """A long run (a batch of thousands) must not leave claims that look stale to another
    worker while it is still sending them: each claim carries its own time."""
    from django.utils import timezone

    from appraisal.models import OutboxMessage
    from appraisal.notifications import outbox

    rows = [_row(f"R30:{i}:email", minutes_ago=60) for i in range(3)]
    stamps = []
    monkeypatch.setattr(outbox, "deliver", lambda message: stamps.append(
        OutboxMessage.objects.get(pk=message.pk).claimed_at))
    run_started = timezone.now() - outbox.CLAIM_TIMEOUT - dt.timedelta(minutes=1)
    before = timezone.now()
    assert outbox.send_due(now=run_started) == len(rows)
    assert all(stamp >= before for stamp in stamps)
