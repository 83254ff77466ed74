"""Fixtures for chapter 2: an approved Q2 2025 schedule with the head's KCI line, and
helpers that walk a plan and a sheet through their states."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from appraisal.models import Method
from appraisal.services import schedules
from kci import services
from tests.factories import quarter

KCI_DATA = {
    "title": "Обеспечить размещение решений маслихата в эталонном контрольном банке НПА",
    "indicator_kind": "quantitative",
    "unit": "%",
    "target": "100",
    "deadline": "2025-06-20",
    "resources": "штат аппарата, доступ к ЭКБ НПА",
    "document_kind": "strategic_goal",
    "document_name": "Стратегическая цель 1: открытость деятельности маслихата",
}


def approved_schedule(org, period, on=None):
    on = on or period.start
    with time_machine.travel(dt.datetime.combine(on, dt.time(10)), tick=False):
        schedule = schedules.generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
        schedules.submit_schedule(schedule=schedule, by=org.chief.user)
        schedules.approve_schedule(schedule=schedule, by=org.official.user)
    return schedule


def head_entry(schedule, org):
    return schedule.entries.get(employee=org.head)


def kci_data(**overrides):
    return {**KCI_DATA, **overrides}


def plan_with_kcis(org, entry, n=3, targets=None):
    plan = services.create_plan(entry=entry, by=org.chairman.user)
    for i in range(n):
        target = (targets or [])[i] if targets and i < len(targets) else "100"
        services.save_kci(plan=plan, by=org.chairman.user, data=kci_data(title=f"КЦИ {i + 1}", target=target,
                                                                      deadline=entry.schedule.period.end.isoformat()))
    return plan


def posted_plan(org, entry, n=3, targets=None):
    plan = plan_with_kcis(org, entry, n, targets)
    services.plan_transition(plan=plan, name="agree", by=org.chief.user)
    services.plan_transition(plan=plan, name="approve", by=org.chairman.user)
    services.plan_transition(plan=plan, name="post", by=org.chief.user)
    return plan


def sent_sheet(org, plan, actuals):
    sheet = services.ensure_sheet(plan=plan, by=org.chief.user)
    for line, actual in zip(sheet.lines.order_by("kci__number"), actuals):
        services.save_actual(line=line, by=org.chief.user, actual=actual, note="отчёт за квартал")
    services.send_sheet(sheet=sheet, by=org.chief.user)
    return sheet


@pytest.fixture
def q2():
    return quarter(2025, 2)


@pytest.fixture
def schedule(org, q2):
    return approved_schedule(org, q2)


@pytest.fixture
def entry(schedule, org):
    e = head_entry(schedule, org)
    assert e.method == Method.KCI
    return e


D = Decimal
