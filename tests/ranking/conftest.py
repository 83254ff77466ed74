import datetime as dt

import pytest
import time_machine

from appraisal.services import schedules
from tests.factories import quarter

# The third quarter of 2026 is over; its evaluation runs until 10 October 2026 (R4, R30).
AFTER_Q3 = dt.datetime(2026, 10, 2, 10, 0, tzinfo=dt.UTC)


def approve_quarter(org, period=None):
    """The chief specialist forms the schedule, the appointing official approves it (R10)."""
    period = period or quarter(2026, 3)
    schedule = schedules.generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    schedules.submit_schedule(schedule=schedule, by=org.chief.user)
    schedules.approve_schedule(schedule=schedule, by=org.official.user)
    return schedule


@pytest.fixture
def after_q3():
    with time_machine.travel(AFTER_Q3, tick=False) as traveller:
        yield traveller


@pytest.fixture
def opened(org, after_q3):
    """The persona organisation with its Q3 2026 schedule approved: sheets for the chief
    specialist and the two staff members, evaluated by the head of apparatus."""
    return approve_quarter(org)
