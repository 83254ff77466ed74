"""Issue 10 point 7: the SQLite demo under simultaneous writes answers as PostgreSQL does —
the write waits for its turn, a stale copy is refused — and never «database is locked».

The test database of pytest is in memory; the threads need a file, as the demo has. So the
test builds its data as usual, copies the database into a file with SQLite's backup API,
and a child Python process, configured by DATABASE_URL with the application's own settings
(appraisal/settings.py: WAL, IMMEDIATE transactions, a busy timeout), starts the threads
together on one write path and reports how each ended."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite demo configuration is what is tested"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8

# The child: N threads released together by a barrier, each running `job(i)` in its own
# connection; prints {"ok": n, "stale": n, "locked": n, "errors": [...]} and the checks.
CHILD = r"""
import json, sys, threading, traceback
import django
django.setup()
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
import time_machine

spec = json.loads(sys.argv[1])
outcomes = []
lock = threading.Lock()

def run(job, n):
    barrier = threading.Barrier(n)
    def worker(i):
        try:
            barrier.wait()
            job(i)
            result = "ok"
        except ValidationError as exc:
            result = "stale" if any(e.code == "stale" for e in exc.error_list) else "refused: " + "; ".join(exc.messages)
        except OperationalError as exc:
            result = "locked" if "locked" in str(exc) else "error: " + repr(exc)
        except Exception as exc:
            result = "error: " + repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads: t.start()
    for t in threads: t.join()

report = {}
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    report["journal_mode"] = cursor.fetchone()[0]
connection.close()

with time_machine.travel(spec["now"], tick=False):
    if spec["path"] == "ranking":
        from django.contrib.auth import get_user_model
        from ranking.models import RankingSheet
        from ranking.selectors import sheets_to_evaluate
        from ranking.services import save_ranking, sheet_version
        from appraisal.models import Period
        head = get_user_model().objects.get(pk=spec["user"])
        period = Period.objects.get(pk=spec["period"])
        page = list(sheets_to_evaluate(head, period))  # one copy of the page, as N windows show it
        tokens = {s.pk: sheet_version(s) for s in page}
        target = spec["sheet"]
        def job(i):
            sheets = list(sheets_to_evaluate(head, period))
            value = str(i % 6)
            save_ranking(sheets=sheets, raw={target: {c: value for c in ("quality", "deadlines", "initiative", "discipline")}},
                         by=head, versions=tokens)
        run(job, spec["threads"])
        sheet = RankingSheet.objects.get(pk=target)
        report["saved_points"] = [sheet.quality, sheet.deadlines, sheet.initiative, sheet.discipline]
    elif spec["path"] == "survey360":
        from django.contrib.auth import get_user_model
        from survey360 import services
        from survey360.models import AnswerTally, Respondent, Subject
        from tests.survey360.conftest import values_for
        pairs = spec["pairs"]  # [subject id, user id]
        def job(i):
            subject = Subject.objects.select_related("campaign", "questionnaire", "employee").get(pk=pairs[i][0])
            user = get_user_model().objects.get(pk=pairs[i][1])
            services.submit_answers(subject=subject, by=user, values=values_for(subject, 1 + i % 5), comment=f"c{i}")
        run(job, len(pairs))
        report["answered"] = Respondent.objects.filter(answered=True).count()
        report["counts"] = sorted(set(AnswerTally.objects.values_list("subject_id", "count")))
    elif spec["path"] == "outbox":
        from django.core import mail
        from django.test.utils import setup_test_environment
        from appraisal.models import OutboxMessage, OutboxState
        from appraisal.notifications.outbox import send_due
        setup_test_environment()  # the locmem mail backend: mail.outbox is the provider's record
        mail.outbox = []
        run(lambda i: send_due(), spec["threads"])
        report["sent_rows"] = OutboxMessage.objects.filter(state=OutboxState.SENT).count()
        report["delivered"] = len(mail.outbox)
        report["distinct_delivered"] = len({m.body for m in mail.outbox})
report["outcomes"] = sorted(outcomes)
print(json.dumps(report))
"""


def _run_child(spec: dict) -> dict:
    """Copy the (committed) test database into a file and run the threads there."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.sqlite3"
        import sqlite3

        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DJANGO_SETTINGS_MODULE": "appraisal.settings",
           "SECRET_KEY": settings.SECRET_KEY}
        done = subprocess.run(  # our own interpreter and code
            [sys.executable, "-c", CHILD, json.dumps(spec)], cwd=settings.BASE_DIR, env=env,
            capture_output=True, text=True, timeout=240, check=False,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["journal_mode"] == "wal"
    assert not [o for o in report["outcomes"] if o == "locked" or o.startswith(("error", "refused"))], report
    return report


def test_sqlite_concurrent_saves_of_one_ranking_draft_one_wins_the_others_are_told():
    import time_machine

    from ranking.models import RankingSheet
    from tests.conftest import make_org
    from tests.factories import quarter
    from tests.ranking.conftest import AFTER_Q3, approve_quarter

    with time_machine.travel(AFTER_Q3, tick=False):
        org = make_org(2)
        approve_quarter(org)
    sheet = RankingSheet.objects.order_by("entry__employee__last_name").first()
    report = _run_child({"path": "ranking", "threads": THREADS, "now": AFTER_Q3.isoformat(),
                         "user": org.head.user.pk, "period": quarter(2026, 3).pk, "sheet": sheet.pk})
    # all started from the same copy of the page: one save, the others refused as stale
    assert report["outcomes"] == ["ok"] + ["stale"] * (THREADS - 1)
    value = report["saved_points"][0]
    assert report["saved_points"] == [value] * 4


def test_sqlite_concurrent_360_answers_are_all_counted():
    import time_machine

    from survey360 import services
    from survey360.models import Respondent
    from tests.conftest import make_org
    from tests.survey360.conftest import IN_COLLECTING, approved_year_schedule

    with time_machine.travel(IN_COLLECTING, tick=False):
        org = make_org(2)
        schedule = approved_year_schedule(org)
        campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
        services.open_campaign(campaign=campaign, by=org.chief.user)
    pairs = [[r.subject_id, r.employee.user_id] for r in Respondent.objects.select_related("employee")]
    assert len(pairs) >= THREADS
    report = _run_child({"path": "survey360", "pairs": pairs, "now": IN_COLLECTING.isoformat()})
    assert report["outcomes"] == ["ok"] * len(pairs)
    assert report["answered"] == len(pairs)
    per_subject = {}
    for subject_id, _employee in pairs:
        per_subject[subject_id] = per_subject.get(subject_id, 0) + 1
    assert report["counts"] == [list(item) for item in sorted(per_subject.items())], "every answer counted once"


def test_sqlite_concurrent_outbox_senders_send_each_row_once():
    from django.utils import timezone

    from appraisal.models import Channel, OutboxMessage

    OutboxMessage.objects.bulk_create([
        OutboxMessage(key=f"sqlite:{i}", channel=Channel.EMAIL, recipient=f"p{i}@example.kz", subject="Оценка",
                      body=f"текст {i}", due_at=timezone.now()) for i in range(200)
    ])
    report = _run_child({"path": "outbox", "threads": THREADS, "now": timezone.now().isoformat()})
    assert all(o == "ok" for o in report["outcomes"])
    assert report["sent_rows"] == report["delivered"] == report["distinct_delivered"] == 200
