"""A chapter-6 case for the plan and sheet tests: a staff member on social leave in 2022,
a schedule for IV quarter 2022 generated while chapter 6 was in force, and helpers that
walk the plan and the sheet through the services on the days they would have happened."""

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine

from appraisal.models import AbsenceKind
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from legacy_commission.models import LegacyPlan, LegacySheet
from legacy_commission.services import plans, sheets
from tests.factories import AbsenceFactory, quarter

ALMATY = ZoneInfo("Asia/Almaty")
D = dt.date
# IV quarter 2022 starts on Saturday 01.10.2022: the tenth working day after it is 14.10.2022.
PLAN_DAY = D(2022, 10, 5)
SHEET_DAY = D(2023, 1, 9)

KCI_DATA = {
    "criterion": "решения размещены в ЭКБ НПА в установленный срок; подтверждается реестром",
    "resources": "штат отдела, доступ к ЭКБ НПА",
    "deadline": "2022-12-20",
    "aim_kind": "strategic_goal",
    "aim_name": "Стратегическая цель 1: открытость деятельности маслихата",
}


@contextmanager
def on(day: dt.date, hour: int = 10):
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=ALMATY), tick=False):
        yield


def kci_data(n: int = 1, **overrides) -> dict:
    return {**KCI_DATA, "title": f"Обеспечить размещение решений маслихата, КЦИ {n}", **overrides}


def legacy_entry(org, generated_on: dt.date = D(2022, 10, 3)):
    """The staff member's chapter-6 line of an approved IV quarter 2022 schedule."""
    person = org.staff[0]
    AbsenceFactory(employee=person, kind=AbsenceKind.SOCIAL_LEAVE, start=D(2022, 6, 1), end=D(2022, 11, 30))
    with on(generated_on):
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2022, 4), by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
    entry = schedule.entries.get(employee=person)
    assert entry.method == "legacy", (entry.method, entry.rule_id)
    return entry


def plan_with_kcis(org, entry, n: int = 5, day: dt.date = PLAN_DAY) -> LegacyPlan:
    with on(day):
        plan = plans.create_plan(entry=entry, by=org.head.user)
        for i in range(n):
            plans.save_kci(plan=plan, by=org.head.user,
                           data=kci_data(i + 1, deadline=min(entry.schedule.period.end, D(2022, 12, 20))))
    return plan


def approved_plan(org, entry, day: dt.date = PLAN_DAY) -> LegacyPlan:
    plan = plan_with_kcis(org, entry, day=day)
    with on(day):
        plans.plan_transition(plan=plan, name="submit", by=org.head.user)
        plans.plan_transition(plan=LegacyPlan.objects.get(pk=plan.pk), name="approve", by=org.chairman.user)
    return LegacyPlan.objects.get(pk=plan.pk)


def filled_sheet(org, entry, achieved: int = 4, day: dt.date = SHEET_DAY) -> LegacySheet:
    plan = approved_plan(org, entry)
    with on(day):
        sheet = sheets.open_sheet(plan=plan, by=org.head.user)
        for i, line in enumerate(sheet.lines.order_by("kci__number")):
            sheets.save_line(line=line, by=org.head.user, achieved=i < achieved, evidence=f"отчёт по КЦИ {i + 1}")
    return LegacySheet.objects.get(pk=sheet.pk)


def sent_sheet(org, entry, achieved: int = 4, day: dt.date = SHEET_DAY) -> LegacySheet:
    sheet = filled_sheet(org, entry, achieved, day)
    with on(day):
        sheets.send_sheet(sheet=sheet, by=org.head.user)
    return LegacySheet.objects.get(pk=sheet.pk)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)
