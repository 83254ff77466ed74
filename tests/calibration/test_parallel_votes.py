"""R41.2 under real concurrency (PostgreSQL): two participants voting at the same moment are
both counted, and one participant's double click at that moment is counted once."""

import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from calibration.models import CalibrationCase, Vote
from calibration.services import session
from tests.calibration.conftest import at


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks need PostgreSQL (SQLite's shared in-memory test database refuses a second "
                           "writer instead of waiting); test_session.py covers the race sequentially everywhere")
@pytest.mark.django_db(transaction=True)
def test_R41_2_votes_at_the_same_moment_in_parallel_all_count_a_double_click_once(org, held):
    voters = [org.chief, org.staff[1], org.chief]
    barrier, outcomes = threading.Barrier(len(voters)), []

    def vote(person):
        try:
            barrier.wait()
            session.cast_vote(case=CalibrationCase.objects.get(pk=held.pk), by=person.user, choice="adjust",
                              score="4.00")
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(str(exc))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            close_old_connections()

    with time_machine.travel(at(held.session_date, 16), tick=False):
        threads = [threading.Thread(target=vote, args=(person,)) for person in voters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(o if o == "ok" else "refused" if "п. 41" in o else o for o in outcomes) == [
        "ok", "ok", "refused"], outcomes
    assert sorted(Vote.objects.filter(participant__case=held).values_list("participant__employee_id", flat=True)) \
        == sorted([org.chief.pk, org.staff[1].pk])
