"""R33, issue 10 point 4: a 360 answer is all or nothing.

A Python process submitting an answer is SIGKILLed between the statement that sets the
respondent's «answered» flag and the one that adds to the tallies. Before, the flag had
already been committed in a transaction of its own: the person stayed «answered» with
nothing counted and could never answer again. Now both are one transaction, which the
server rolls back when the connection drops: the person has not answered and answers again.
PostgreSQL only: the child process needs a database it shares with the test (SQLite's test
database is in memory)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from survey360.models import AnswerTally, Respondent
from tests.survey360.conftest import IN_COLLECTING, approved_year_schedule, subject_of, values_for

ROOT = Path(settings.BASE_DIR)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: a killed child process must share the test database"),
    # serialized_rollback: the flush after a transactional test must restore the seeded
    # edition and questionnaires for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The child: submits one questionnaire and stops for good just before the tally UPDATE
# (the flag UPDATE has been executed, and committed if it is in a transaction of its own).
CHILD = """
import sys, time
import django
django.setup()
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from survey360 import services
from survey360.models import AnswerTally, Subject
from tests.survey360.conftest import values_for

subject = Subject.objects.select_related("campaign", "questionnaire", "employee").get(pk=int(sys.argv[1]))
user = get_user_model().objects.get(pk=int(sys.argv[2]))

def pause_before_tallies(execute, sql, params, many, context):
    if sql.startswith("UPDATE") and AnswerTally._meta.db_table in sql:
        print("PAUSED", flush=True)
        time.sleep(600)
    return execute(sql, params, many, context)

with time_machine.travel(sys.argv[3], tick=False), connection.execute_wrapper(pause_before_tallies):
    services.submit_answers(subject=subject, by=user, values=values_for(subject, 5))
print("FINISHED", flush=True)
"""


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _kill_between_flag_and_tallies(subject_id: int, user_id: int) -> None:
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "appraisal.settings",
           "SECRET_KEY": settings.SECRET_KEY}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(subject_id), str(user_id), IN_COLLECTING.isoformat()],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "PAUSED", (line, child.stderr.read() if child.poll() is not None else "")
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # the server notices the closed socket and rolls back; wait until the backend is gone
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND state LIKE 'idle in transaction%%'")
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)


def test_R33_answer_killed_between_flag_and_tallies_is_not_half_saved_and_can_be_given_again():
    import time_machine

    from survey360 import services
    from tests.conftest import make_org

    with time_machine.travel(IN_COLLECTING, tick=False):
        org = make_org(2)
        schedule = approved_year_schedule(org)
        campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
        services.open_campaign(campaign=campaign, by=org.chief.user)
        staff0 = subject_of(campaign, org.staff[0])

    _kill_between_flag_and_tallies(staff0.pk, org.head.user.pk)

    # nothing of the killed answer remains: not the flag, not a point in the tallies
    assert not Respondent.objects.get(subject=staff0, employee=org.head).answered
    assert set(AnswerTally.objects.filter(subject=staff0).values_list("total", "count")) == {(0, 0)}

    # and the person answers again, counted once
    with time_machine.travel(IN_COLLECTING, tick=False):
        services.submit_answers(subject=staff0, by=org.head.user, values=values_for(staff0, 5))
    assert Respondent.objects.get(subject=staff0, employee=org.head).answered
    assert set(AnswerTally.objects.filter(subject=staff0).values_list("total", "count")) == {(5, 1)}
