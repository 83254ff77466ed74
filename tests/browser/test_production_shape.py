"""Issue 12, point 7: the production shape runs as processes — gunicorn (appraisal.wsgi, the
production settings: SECRET_KEY set, DEBUG off; PLAIN_HTTP=1 as there is no TLS here), a
Celery worker and Celery beat, against the real PostgreSQL and Redis, on a fresh database and a
Redis database number of their own. One journey in Chromium: the chief specialist forms the
schedule of the quarter that has just ended and sends it for approval, the appointing official
approves it, and beat's tick has the worker deliver the R30 notices into the file e-mail
backend's folder; the chief specialist also asks for the quarter's combined form 4, which the
worker makes as a background job while the job page's script polls it. Then the processes are
stopped.

CI (.ci/run) runs the suite with DATABASE_URL and REDIS_URL set, so this test runs there; on a
machine without them it is skipped, saying so.
"""

import datetime as dt
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "bagalau2026"  # README «Demo log-ins»
REDIS_DB = 13  # this test's own Redis database number
TICK_SECONDS = 2
R30_WINDOW_DAYS = 70  # ranking.services.queue_r30_notices notifies up to 70 days after the quarter

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgres") and REDIS_URL.startswith("redis")),
    reason="the production shape needs a real PostgreSQL and Redis: set DATABASE_URL=postgres://… and "
           "REDIS_URL=redis://… (CI's .ci/run does)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _last_ended_quarter(today: dt.date) -> tuple[int, int, dt.date]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    end = dt.date(today.year, first_month, 1) - dt.timedelta(days=1)
    return end.year, (end.month - 1) // 3 + 1, end


@pytest.fixture
def fresh_database():
    """A PostgreSQL database of this test's own beside the suite's one, dropped at the end."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(DATABASE_URL)
    name = f"bagalau_shape_{os.getpid()}_{secrets.token_hex(3)}"
    server = {"host": config["HOST"] or "127.0.0.1", "port": config["PORT"] or 5432, "user": config["USER"],
              "password": config["PASSWORD"] or None, "dbname": "postgres"}
    with psycopg.connect(**server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    netloc = DATABASE_URL.split("://", 1)[1].rsplit("/", 1)[0]
    yield f"postgres://{netloc}/{name}"
    with psycopg.connect(**server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def own_redis():
    """REDIS_URL with this test's database number, emptied before and after."""
    import redis

    base = REDIS_URL.rsplit("/", 1)[0] if re.search(r"/\d+$", REDIS_URL) else REDIS_URL.rstrip("/")
    url = f"{base}/{REDIS_DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


class Processes:
    """The started processes, each logging to its own file; stopped (and logs shown on failure)."""

    def __init__(self, folder: Path, environment: dict):
        self.folder, self.environment, self.started = folder, environment, []

    def run(self, *command: str, timeout: int = 1800) -> None:
        result = subprocess.run(command, cwd=ROOT, env=self.environment, capture_output=True, text=True,
                                timeout=timeout)
        assert result.returncode == 0, f"{command}: {result.stdout[-2000:]}\n{result.stderr[-4000:]}"

    def start(self, name: str, *command: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")
        process = subprocess.Popen(command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.started.append((name, process, log))
        return process

    def check_alive(self) -> None:
        for name, process, _log in self.started:
            assert process.poll() is None, f"{name} exited with {process.returncode}:\n{self.log_tail(name)}"

    def log_tail(self, name: str, size: int = 3000) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-size:]

    def stop(self) -> None:
        for _name, process, _log in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process, log in reversed(self.started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            log.close()


def _wait_for(condition, *, seconds: float, what: str, processes: Processes):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        processes.check_alive()
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _health(base_url: str) -> dict | None:
    import json

    try:
        with urllib.request.urlopen(f"{base_url}/health/", timeout=3) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#id_username) [type=submit]").click()
    assert not page.url.rstrip("/").endswith("/login"), f"log-in as {username} failed"


def _logout(page) -> None:
    with page.expect_navigation():
        page.locator("header form[action$='/logout/'] button").click()


def test_production_shape_web_worker_and_beat_deliver_a_notice_after_an_approval(browser, tmp_path, fresh_database,
                                                                               own_redis):
    today = dt.datetime.now(ZoneInfo("Asia/Almaty")).date()
    year, quarter, end = _last_ended_quarter(today)
    if (today - end).days > R30_WINDOW_DAYS:
        pytest.skip(f"{today}: more than {R30_WINDOW_DAYS} days after the end of Q{quarter} {year}, the tick sends "
                    "no R30 notice for it (ranking.services.queue_r30_notices); the journey has no notice to wait for")
    mail = tmp_path / "mail"
    mail.mkdir()
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("DJANGO_", "PYTEST")) and k not in {"DEBUG", "ADMIN_PATH"}}
    environment.update({
        "DJANGO_SETTINGS_MODULE": "appraisal.settings", "DEBUG": "0", "PLAIN_HTTP": "1",
        "SECRET_KEY": secrets.token_urlsafe(50), "DATABASE_URL": fresh_database, "REDIS_URL": own_redis,
        "EMAIL_FILE_PATH": str(mail), "SMS_BACKEND": "file", "SMS_FILE_PATH": str(tmp_path / "sms.log"),
        "MEDIA_ROOT": str(tmp_path / "media"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "TICK_SECONDS": str(TICK_SECONDS), "LOG_LEVEL": "INFO",
    })
    processes = Processes(tmp_path, environment)
    processes.run(sys.executable, "manage.py", "migrate", "--noinput", "-v0")
    processes.run(sys.executable, "manage.py", "load_demo")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    try:
        processes.start("web", str(BIN / "gunicorn"), "appraisal.wsgi", "--bind", f"127.0.0.1:{port}",
                        "--workers", "2", "--access-logfile", "-")
        processes.start("worker", str(BIN / "celery"), "-A", "appraisal", "worker", "--pool", "solo",
                        "--loglevel", "INFO")
        # beat's schedule file in this test's folder, never a shared path
        processes.start("beat", str(BIN / "celery"), "-A", "appraisal", "beat", "--loglevel", "INFO",
                        "--schedule", str(tmp_path / "celerybeat-schedule"))
        health = _wait_for(lambda: _health(base_url), seconds=180, what="GET /health/", processes=processes)
        assert health == {"status": "ok", "database": "ok", "broker": "ok"}

        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        page = context.new_page()
        try:
            # The chief specialist forms the schedule of the quarter just ended, sends it on.
            _login(page, base_url, "chief")
            page.get_by_role("link", name="Периоды и графики").click()
            roman = ['I', 'II', 'III', 'IV'][quarter - 1]
            page.get_by_role("link", name=re.compile(rf"^{roman} квартал {year}")).first.click()
            period_id = int(re.search(r"/periods/(\d+)/", page.url).group(1))
            page.locator("#generate-schedule").click()
            expect(page.locator("#schedule-state")).to_have_text("черновик")
            schedule_path = page.url.removeprefix(base_url)
            page.get_by_role("button", name="Направить на утверждение").click()
            expect(page.locator("#schedule-state")).to_have_text("на утверждении")
            shot(page, "production_shape_01_submitted")
            _logout(page)

            # The appointing official approves it.
            _login(page, base_url, "official")
            page.goto(base_url + schedule_path)
            page.get_by_role("button", name="Утвердить").click()
            expect(page.locator("#schedule-state")).to_have_text("утверждён")
            shot(page, "production_shape_02_approved")
            _logout(page)

            # A long job through the worker: the quarter's form 4 in one PDF; the job page's
            # script polls its status and shows the file once the worker has made it.
            _login(page, base_url, "chief")
            page.goto(f"{base_url}/ranking/quarters/{period_id}/overview/")
            page.locator("#quarter-pdf").click()
            expect(page.locator("#job")).to_be_visible()
            expect(page.locator("#job-download")).to_be_visible(timeout=180_000)
            shot(page, "production_shape_03_job_done")
            pdf = page.request.get(base_url + page.locator("#job-download").get_attribute("href"))  # her cookies
            assert pdf.ok and pdf.body().startswith(b"%PDF-")
        finally:
            context.close()

        # Beat's tick → the worker queues the R30 notices and delivers them by e-mail.
        def delivered():
            texts = [path.read_text(errors="replace") for path in mail.glob("*.log")]
            return [text for text in texts if re.search(r"^X-Bagalau-Key: R30:\d+:email", text, re.M)]

        notices = _wait_for(delivered, seconds=120, what="the worker's R30 e-mail in the file backend",
                            processes=processes)
        assert "@" in notices[0] and re.search(r"^To: .+@", notices[0], re.M)
        assert re.search(r"Task appraisal\.tasks\.tick\[[^\]]+\] received", processes.log_tail("worker", 200_000))
        processes.check_alive()
    except BaseException:
        for name in ("web", "worker", "beat"):
            if (tmp_path / f"{name}.log").exists():
                print(f"--- {name} log (tail) ---\n{processes.log_tail(name)}")
        raise
    finally:
        processes.stop()
    for name, process, _log in processes.started:
        assert process.returncode is not None, name
