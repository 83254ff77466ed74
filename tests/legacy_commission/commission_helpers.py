"""Building a chapter-6 case up to the Commission through the services, on the days it would
have happened (2022–2023, while chapter 6 was in force), for the Commission's tests."""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine

from appraisal.models import AbsenceKind, Employee, Period, PeriodKind
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from legacy_commission.models import Commission, CommissionMember, LegacySheet, MemberRole
from legacy_commission.services import commission as svc
from legacy_commission.services import plans, sheets
from tests.conftest import Org
from tests.factories import AbsenceFactory

ALMATY = ZoneInfo("Asia/Almaty")


@contextmanager
def on(day: dt.date, hour: int = 10):
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=ALMATY), tick=False):
        yield


def quarter_2022(q: int = 2) -> Period:
    start, end = Period.bounds(PeriodKind.QUARTER, 2022, q)
    return Period.objects.get_or_create(kind=PeriodKind.QUARTER, year=2022, quarter=q,
                                        defaults={"start": start, "end": end})[0]


KCI = {"criterion": "выполнено в срок, подтверждено отчётом", "resources": "штат аппарата",
       "aim_kind": "strategic_goal", "aim_name": "Стратегическая цель маслихата"}


def submitted_sheets(org: Org, people: list[Employee], achieved=(4,), submit_day=dt.date(2022, 7, 14)) -> list[LegacySheet]:
    """One submitted sheet (R53) per person of `people` (staff on social leave in Q2 2022),
    with `achieved[i]` KCIs of five achieved."""
    period = quarter_2022()
    for person in people:
        AbsenceFactory(employee=person, kind=AbsenceKind.SOCIAL_LEAVE, start=dt.date(2022, 4, 10),
                       end=dt.date(2022, 6, 20))
    with on(dt.date(2022, 4, 1)):
        schedule = generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
    result = []
    for index, person in enumerate(people):
        entry = schedule.entries.get(employee=person)
        assert entry.method == "legacy", entry.rule_id
        with on(dt.date(2022, 4, 5)):
            plan = plans.create_plan(entry=entry, by=org.head.user)
            for n in range(5):
                plans.save_kci(plan=plan, by=org.head.user, data={**KCI, "title": f"КЦИ {n + 1}",
                                                                   "deadline": dt.date(2022, 6, 30)})
            plans.plan_transition(plan=plan, name="submit", by=org.head.user)
            plans.plan_transition(plan=plan, name="approve", by=org.chairman.user)
        count = achieved[index % len(achieved)]
        with on(dt.date(2022, 7, 5)):
            sheet = sheets.open_sheet(plan=plan, by=org.head.user)
            for i, line in enumerate(sheet.lines.order_by("kci__number")):
                sheets.save_line(line=line, by=org.head.user, achieved=i < count, evidence="отчёт")
            sheets.send_sheet(sheet=sheet, by=org.head.user)
            sheets.sign_sheet(sheet=LegacySheet.objects.get(pk=sheet.pk), by=org.chairman.user)
        with on(submit_day):
            sheets.submit_to_commission(sheet=LegacySheet.objects.get(pk=sheet.pk), by=org.chief.user)
        result.append(LegacySheet.objects.get(pk=sheet.pk))
    return result


@dataclass
class Board:
    commission: Commission
    chairman: CommissionMember
    members: list[CommissionMember]
    secretary: CommissionMember


def make_commission(org: Org, n_members: int = 4, day=dt.date(2022, 7, 1)) -> Board:
    """The Commission: a chairman and `n_members` members from the staff, the chief
    specialist as secretary."""
    chairman, *extra = org.add_staff(n_members + 1, prefix="Член")
    with on(day):
        commission = svc.create_commission(
            organisation=org.organisation, name="Комиссия по оценке (глава 6)",
            order_reference="распоряжение № 12 от 01.07.2022", chairman=chairman, members=extra,
            secretary=org.chief, by=org.official.user)
    members = {m.employee_id: m for m in commission.members.all()}
    return Board(commission, members[chairman.pk], [members[e.pk] for e in extra], members[org.chief.pk])


def board_roles(board: Board) -> dict:
    return {m.pk: m.role for m in [board.chairman, *board.members, board.secretary]}


__all__ = ["Board", "MemberRole", "board_roles", "make_commission", "on", "quarter_2022", "submitted_sheets"]
