"""Shared set-up for the R11 tests: an approved quarter and a result recorded on a given day."""

import datetime as dt
from zoneinfo import ZoneInfo

from appraisal.models import Participation, ScheduleEntry
from appraisal.services.results import record_result
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from tests.factories import quarter

TZ = ZoneInfo("Asia/Almaty")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def approved_quarter(org, year: int = 2024, q: int = 1):
    schedule = generate_schedule(organisation=org.organisation, period=quarter(year, q), by=org.chief.user)
    submit_schedule(schedule=schedule, by=org.chief.user)
    approve_schedule(schedule=schedule, by=org.official.user)
    return schedule


def result_for(schedule, employee, *, completed_at, without: bool = False, score="4.00"):
    entry = schedule.entries.get(employee=employee)
    if without:  # R5.2: evaluated without participation (the eligibility rules are tested elsewhere)
        ScheduleEntry.objects.filter(pk=entry.pk).update(participation=Participation.WITHOUT, reason="absent",
                                                         rule_id="R5.2")
        entry.refresh_from_db()
    return record_result(entry=entry, score=score, completed_at=completed_at)
