"""Benchmark: opening a quarter's ranking for N staff (R28 sheets through the schedule hook,
R30 notices queued), against a plain bulk_create of the same sheet rows.

Everything runs inside one transaction that is rolled back, so the database is left as it
was. Not a test: it prints figures for the record.

    manage.py bench_ranking --staff 10000
"""

import datetime as dt
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appraisal.models import (
    Appointment,
    Employee,
    Organisation,
    OutboxMessage,
    Period,
    Position,
    PositionKind,
    Role,
    RoleAssignment,
    ScheduleEntry,
)
from appraisal.services import schedules
from ranking.models import RankingSheet, SheetState
from ranking.services import queue_r30_notices


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time opening a ranking quarter (sheets + R30 notices) for N staff; rolls everything back."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=10000)

    def handle(self, *args, staff: int, **options):
        figures = {}
        try:
            with transaction.atomic():
                figures = self._run(staff)
                raise Rollback
        except Rollback:
            pass
        self.stdout.write("")
        for label, value in figures.items():
            self.stdout.write(f"{label:<58} {value}")

    def _run(self, n: int) -> dict:
        start_setup = time.perf_counter()
        User = get_user_model()
        organisation = Organisation.objects.create(name="Бенчмарк: аппарат маслихата", short_name="Бенчмарк")
        chairman_pos = Position.objects.create(organisation=organisation, title="Председатель", kind=PositionKind.OTHER)
        head_pos = Position.objects.create(organisation=organisation, title="Руководитель аппарата",
                                           kind=PositionKind.HEAD, reports_to=chairman_pos)
        stamp = int(time.time())
        users = {name: User.objects.create(username=f"bench-{name}-{stamp}") for name in ("head", "chief", "official")}
        head = Employee.objects.create(organisation=organisation, last_name="Руководитель", first_name="Бенч",
                                       user=users["head"])
        Appointment.objects.create(employee=head, position=head_pos, start=dt.date(2019, 1, 1))
        RoleAssignment.objects.create(organisation=organisation, user=users["chief"], role=Role.CHIEF_SPECIALIST)
        RoleAssignment.objects.create(organisation=organisation, user=users["official"], role=Role.APPOINTING_OFFICIAL)
        positions = Position.objects.bulk_create(
            Position(organisation=organisation, title=f"Специалист {i}", kind=PositionKind.STAFF, reports_to=head_pos)
            for i in range(n)
        )
        employees = Employee.objects.bulk_create(
            Employee(organisation=organisation, last_name=f"Служащий{i:05d}", first_name="Бенч",
                     email=f"bench{i}@example.kz", mobile="+77010000000")
            for i in range(n)
        )
        Appointment.objects.bulk_create(
            Appointment(employee=e, position=p, start=dt.date(2020, 1, 1)) for e, p in zip(employees, positions)
        )
        period = Period.objects.get(kind="quarter", year=2026, quarter=3)
        schedule = schedules.generate_schedule(organisation=organisation, period=period, by=users["chief"])
        schedules.submit_schedule(schedule=schedule, by=users["chief"])
        setup = time.perf_counter() - start_setup

        # 1. The hook: approving the schedule opens every sheet (R28).
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as approve_queries:
            schedules.approve_schedule(schedule=schedule, by=users["official"])
        approve_time = time.perf_counter() - t0
        sheets = RankingSheet.objects.filter(entry__schedule=schedule).count()

        # 2. R30: the tick after the quarter queues one notice per person and channel.
        after_quarter = timezone.make_aware(dt.datetime(2026, 10, 1, 9, 0))
        before = OutboxMessage.objects.filter(rule_id="R30").count()
        t0 = time.perf_counter()
        notified = queue_r30_notices(after_quarter)
        notify_time = time.perf_counter() - t0
        messages = OutboxMessage.objects.filter(rule_id="R30").count() - before

        # 3. The baseline: a plain bulk_create of the same sheet rows (no history).
        rows = list(ScheduleEntry.objects.filter(schedule=schedule, method="ranking").values_list("pk", "participation"))
        sid = transaction.savepoint()
        RankingSheet.objects.filter(entry__schedule=schedule).update(notified_at=None)
        RankingSheet.history.filter(entry__schedule=schedule).delete()
        RankingSheet.objects.filter(entry__schedule=schedule).delete()
        t0 = time.perf_counter()
        RankingSheet.objects.bulk_create(
            RankingSheet(entry_id=pk, state=SheetState.DRAFT, without_participation=(p == "without")) for pk, p in rows
        )
        bulk_time = time.perf_counter() - t0
        transaction.savepoint_rollback(sid)

        hook_time = approve_time
        return {
            "database": connection.vendor,
            "staff": n,
            "setup (not timed in the figures below), s": f"{setup:.2f}",
            "sheets created by the hook": sheets,
            "approve_schedule incl. hook (sheets + history), s": f"{hook_time:.3f}",
            "  SQL statements during approval": len(approve_queries.captured_queries),
            "R30 notices queued for people / outbox rows": f"{notified} / {messages}",
            "R30 queueing (tick), s": f"{notify_time:.3f}",
            "opening total (hook + R30), s": f"{hook_time + notify_time:.3f}",
            "plain bulk_create of the same sheet rows, s": f"{bulk_time:.3f}",
            "ratio hook / plain bulk_create": f"{hook_time / bulk_time:.2f}",
            "ratio opening total / plain bulk_create": f"{(hook_time + notify_time) / bulk_time:.2f}",
        }
