"""Production settings are safe by default: `check --deploy` has nothing to say with DEBUG off,
the process refuses to start without SECRET_KEY, every page carries a Content-Security-Policy
without 'unsafe-inline', the HTML templates hold no inline script or style, and the admin's
address comes from ADMIN_PATH."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _run(command: list[str], **env):
    # A fresh process as production starts it: none of the test run's own variables (the
    # browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses).
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("DJANGO_")
                   and k not in {"SECRET_KEY", "DEBUG", "PLAIN_HTTP", "ADMIN_PATH", "DB_CONN_MAX_AGE",
                                 "DB_RANDOM_PAGE_COST", "PGOPTIONS"}}
    environment.update(env)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def _manage(*args, **env):
    return _run([sys.executable, "manage.py", *args], **env)


def test_check_deploy_reports_nothing_with_the_production_defaults():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     DEBUG="0", SECRET_KEY="k" * 20 + "-production-like-secret-0123456789-abcdefghij")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_is_an_explicit_choice_that_check_deploy_names():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", PLAIN_HTTP="1",
                     SECRET_KEY="k" * 20 + "-production-like-secret-0123456789-abcdefghij")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout  # the HTTPS redirect is off


def test_the_process_refuses_to_start_without_secret_key(tmp_path):
    """gunicorn (appraisal.wsgi), the Celery worker and beat refuse; the settings still load,
    so a fresh checkout's tools run without a key."""
    celery = str(Path(sys.executable).with_name("celery"))
    starts = {
        "web": [sys.executable, "-c", "import appraisal.wsgi"],
        "worker": [celery, "-A", "appraisal", "-b", "memory://", "worker", "--pool", "solo"],
        # beat opens (and may replace) its schedule file before it refuses: never a shared path
        "beat": [celery, "-A", "appraisal", "-b", "memory://", "beat", "-s", str(tmp_path / "celerybeat-schedule")],
    }
    for name, command in starts.items():
        result = _run(command, DEBUG="0")
        assert result.returncode != 0, name
        assert "SECRET_KEY is not set" in result.stderr, name
    assert _run(starts["web"], DEBUG="1").returncode == 0  # development only
    assert _manage("makemigrations", "--check", "--dry-run", DEBUG="0").returncode == 0


def test_the_admin_path_comes_from_admin_path():
    result = _manage("shell", "-c", "from django.urls import reverse; print(reverse('admin:index'))",
                     DEBUG="1", ADMIN_PATH="kadry-admin-7f3/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "/kadry-admin-7f3/"


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy_without_inline(org):
    client = Client()
    client.force_login(org.chief.user)
    for url in (reverse("home"), reverse("login"), reverse("password_change"), reverse("admin:login")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.I)


def test_html_templates_hold_no_inline_script_or_style():
    """PDF templates (templates/pdf/) are rendered by WeasyPrint, not a browser: they keep their <style>."""
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "pdf" in path.relative_to(ROOT / "templates").parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize(("database_url", "max_age", "expected"), [
    ("postgres://u@db:5432/bagalau", None, "60 True"),  # production keeps connections (issue 12)
    ("postgres://u@db:5432/bagalau", "0", "0 True"),  # unless told otherwise
    ("sqlite:////tmp/demo.sqlite3", None, "0 False"),  # the demo opens one per request
])
def test_postgresql_connections_are_kept_and_health_checked_unless_said_otherwise(database_url, max_age, expected):
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "k" * 50, "DJANGO_SETTINGS_MODULE": "appraisal.settings"}
    if max_age is not None:
        env["DB_CONN_MAX_AGE"] = max_age
    probe = ("import django; django.setup(); from django.conf import settings as s; "
             "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])")
    result = _run([sys.executable, "-c", probe], **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


PG = "postgres://u@db:5432/bagalau"


@pytest.mark.parametrize(("database_url", "env", "expected"), [
    (PG, {}, "-c random_page_cost=1.1"),  # SSD pricing unless told otherwise
    (PG, {"DB_RANDOM_PAGE_COST": " 2 "}, "-c random_page_cost=2"),
    (PG, {"DB_RANDOM_PAGE_COST": ""}, "None"),  # the server's (or the role's) own setting
    (PG, {"PGOPTIONS": "-c statement_timeout=5000"}, "-c statement_timeout=5000 -c random_page_cost=1.1"),  # kept
    (PG, {"PGOPTIONS": "-c random_page_cost=3"}, "-c random_page_cost=3"),  # the operator's value wins
    (PG + "?options=-c%20random_page_cost%3D4", {}, "-c random_page_cost=4"),
    ("sqlite:////tmp/demo.sqlite3", {}, "None"),
])
def test_postgresql_connections_price_random_reads_as_on_ssd_unless_said_otherwise(database_url, env, expected):
    probe = ("import django; django.setup(); from django.conf import settings as s; "
             "print(s.DATABASES['default'].get('OPTIONS', {}).get('options'))")
    result = _run([sys.executable, "-c", probe], DATABASE_URL=database_url, SECRET_KEY="k" * 50,
                  DJANGO_SETTINGS_MODULE="appraisal.settings", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("value", ["fast", "nan", "inf", "-1"])
def test_a_random_page_cost_postgresql_would_refuse_stops_the_process_and_names_the_variable(value):
    result = _run([sys.executable, "-c", "import django; django.setup()"], DATABASE_URL=PG,
                  SECRET_KEY="k" * 50, DJANGO_SETTINGS_MODULE="appraisal.settings", DB_RANDOM_PAGE_COST=value)
    assert result.returncode != 0
    assert f"DB_RANDOM_PAGE_COST must be a number ≥ 0, not {value!r}" in result.stderr


@pytest.mark.django_db
def test_the_application_connection_carries_the_setting_to_postgresql(settings):
    import re

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: CI runs the suite on it (DATABASE_URL)")
    wanted = re.search(r"random_page_cost=(\S+)", settings.DATABASES["default"].get("OPTIONS", {}).get("options", ""))
    if wanted is None:
        pytest.skip("DB_RANDOM_PAGE_COST is empty here: the server's own value applies")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == wanted.group(1)
