"""Set-up that does not give up (issue 11, point 10): ./bagalau waits for another apt/dpkg
instead of stopping at «Could not get lock /var/lib/dpkg/lock-frontend»; the README stands on
its own in a clone (no ../shared path) and names every person of the demo; the demo's log has
no favicon 404 and no WeasyPrint step-by-step lines."""

import fcntl
import logging
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from appraisal import demo

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bagalau"


# --- ./bagalau's apt_install with a stub apt-get ----------------------------------------

def _apt_install_snippet() -> str:
    """The script's helpers up to apt_install (the rest of ./bagalau runs a command)."""
    text = SCRIPT.read_text()
    start, end = text.index("say() {"), text.index("system_packages() {")
    return text[start:end]


def _run_apt_install(tmp_path: Path, lock_file: Path) -> tuple[subprocess.CompletedProcess, str]:
    stubs = tmp_path / "bin"
    stubs.mkdir()
    calls = tmp_path / "apt-calls"
    for name, body in {
        "apt-get": f'echo "$*" >>{calls}',
        "id": "echo 0",  # the root branch, whoever runs the test
        "dpkg-query": "exit 0",
    }.items():
        stub = stubs / name
        stub.write_text(f"#!/bin/sh\n{body}\n")
        stub.chmod(0o755)
    script = f"set -euo pipefail\nPYTHON={sys.executable}\n{_apt_install_snippet()}\napt_install libfoo libbar\n"
    env = {"PATH": f"{stubs}:/usr/bin:/bin", "DPKG_LOCKS": f"{tmp_path / 'missing-lock'} {lock_file}"}
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    return done, calls.read_text() if calls.exists() else ""


def test_apt_install_says_it_waits_for_a_held_dpkg_lock_and_lets_apt_get_wait(tmp_path):
    lock_file = tmp_path / "lock-frontend"
    lock_file.write_text("")
    # dpkg's locks are fcntl locks held by another process: hold one the same way.
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys; f = open(sys.argv[1], 'rb+'); fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True); "
         "sys.stdin.read()", str(lock_file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        done, calls = _run_apt_install(tmp_path, lock_file)
    finally:
        holder.communicate("", timeout=10)
    assert done.returncode == 0, done.stderr
    assert "waiting for another apt/dpkg to finish…" in done.stderr
    assert calls.splitlines() == [
        "-o DPkg::Lock::Timeout=600 update -qq",
        "-o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends libfoo libbar",
    ]


def test_apt_install_without_a_held_lock_installs_without_the_waiting_message(tmp_path):
    lock_file = tmp_path / "lock-frontend"
    lock_file.write_text("")
    done, calls = _run_apt_install(tmp_path, lock_file)
    assert done.returncode == 0, done.stderr
    assert "waiting" not in done.stderr
    assert "Installing system packages: libfoo libbar" in done.stderr
    assert "DPkg::Lock::Timeout=600 install" in calls
    with open(lock_file, "rb+") as lock:  # the probe let the lock go
        fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)


# --- README and docs stand on their own ---------------------------------------------------

def test_readme_docs_and_scripts_do_not_point_outside_the_clone():
    offenders = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), *sorted((ROOT / "scripts").rglob("*.py"))]:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if "../shared" in line or "shared/methodology" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def _readme_demo_table() -> list[tuple[str, str]]:
    """(log-in cell, person cell) of every row of the README's «Demo log-ins» table."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Demo log-ins", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 3 and not set(cells[0]) <= set("-") and cells[0] != "Log-in":
            rows.append((cells[0], cells[1]))
    return rows


@pytest.mark.django_db
def test_readme_demo_table_names_every_person_and_log_in_the_demo_creates():
    from django.contrib.auth import get_user_model

    from appraisal.models import Employee

    call_command("load_demo", stdout=StringIO())
    rows = _readme_demo_table()
    logins = {name for cell, _ in rows for name in re.findall(r"`([^`]+)`", cell)}
    people = " ".join(person for _, person in rows).replace(" ", "")  # «Ахметова А. Б.» or «Ахметова А.Б.»
    organisation = demo.demo_organisation()
    missing = [f"{e.short_name} ({e.user.username if e.user else 'no log-in'})"
               for e in Employee.objects.filter(organisation=organisation).select_related("user")
               if e.short_name.replace(" ", "") not in people]
    missing += [f"log-in {u}" for u in get_user_model().objects.values_list("username", flat=True) if u not in logins]
    assert not missing, f"README «Demo log-ins» does not name: {missing}"


# --- the demo's log: no favicon 404, no WeasyPrint steps ------------------------------------

def test_favicon_ico_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:4] == b"\x00\x00\x01\x00"


@pytest.mark.django_db
def test_pages_name_their_icon_so_browsers_do_not_guess(client):
    response = client.get("/login/")
    assert re.search(r'<link rel="icon" href="/static/root/favicon\.ico', response.content.decode())


def test_rendering_a_pdf_logs_nothing_from_weasyprint_or_fonttools_at_info(caplog):
    from appraisal.pdf import render_pdf

    with caplog.at_level(logging.DEBUG):
        data = render_pdf("pdf/sample_check.html", {"form_title": "Лист", "organisation": "Аппарат", "kazakh": "әділ"})
    assert data.startswith(b"%PDF")
    chatter = [f"{r.name}: {r.getMessage()}" for r in caplog.records
               if r.name.split(".")[0] in {"weasyprint", "fontTools"} and r.levelno < logging.WARNING]
    assert not chatter, chatter[:5]
