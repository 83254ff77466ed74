"""Benchmark: opening a quarter's ranking for N staff (R28 sheets through the schedule hook,
R30 notices queued), against writing the same rows (sheets, their history, outbox rows) by
COPY, the fastest way PostgreSQL has (issue 12: the opening within 5× that).

Everything runs inside one transaction that is rolled back, so the database is left as it
was. Not a test: it prints figures for the record.

    manage.py bench_ranking --staff 10000
"""

import cProfile
import datetime as dt
import io
import pstats
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
from ranking.models import RankingSheet
from ranking.services import queue_r30_notices


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time opening a ranking quarter (sheets + R30 notices) for N staff against COPY; rolls back."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=10000)
        parser.add_argument("--profile", action="store_true", help="print a cProfile of the R30 queueing")

    def handle(self, *args, staff: int, profile: bool, **options):
        figures = {}
        try:
            with transaction.atomic():
                figures = self._run(staff, profile)
                raise Rollback
        except Rollback:
            pass
        self.stdout.write("")
        for label, value in figures.items():
            self.stdout.write(f"{label:<58} {value}")

    def _run(self, n: int, profile: bool) -> dict:
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

        # The opening itself: approving the schedule opens every sheet through the hook
        # (R28), then the tick after the quarter queues one R30 notice per person and channel.
        after_quarter = timezone.make_aware(dt.datetime(2026, 10, 1, 9, 0))
        outbox_before = OutboxMessage.objects.filter(rule_id="R30").count()
        profiler = cProfile.Profile() if profile else None
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as approve_queries:
            schedules.approve_schedule(schedule=schedule, by=users["official"])
        approve_time = time.perf_counter() - t0
        if profiler:
            profiler.enable()
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as notice_queries:
            notified = queue_r30_notices(after_quarter)
        notify_time = time.perf_counter() - t0
        if profiler:
            profiler.disable()
            report = io.StringIO()
            pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(30)
            self.stdout.write(report.getvalue())
        messages = OutboxMessage.objects.filter(rule_id="R30").count() - outbox_before

        # The floor: the same rows written by the fastest path the database has (COPY on
        # PostgreSQL, one multi-row INSERT elsewhere), timed in the same transaction.
        tables = [
            RankingSheet.objects.filter(entry__schedule=schedule),
            RankingSheet.history.filter(entry__schedule=schedule),
            OutboxMessage.objects.filter(rule_id="R30", key__in=[
                f"R30:{pk}:{channel}" for pk in ScheduleEntry.objects.filter(schedule=schedule).values_list("pk", flat=True)
                for channel in ("email", "sms")]),
        ]
        copied_rows, copy_time = _rewrite_rows(tables)

        opening = approve_time + notify_time
        return {
            "database": connection.vendor,
            "staff": n,
            "setup (not timed in the figures below), s": f"{setup:.2f}",
            "sheets created by the hook": RankingSheet.objects.filter(entry__schedule=schedule).count(),
            "approve_schedule incl. hook (sheets + history), s": f"{approve_time:.3f}",
            "  SQL statements during approval": len(approve_queries.captured_queries),
            "R30 notices queued for people / outbox rows": f"{notified} / {messages}",
            "R30 queueing (tick), s": f"{notify_time:.3f}",
            "  SQL statements during R30 queueing": len(notice_queries.captured_queries),
            "opening total (hook + R30), s": f"{opening:.3f}",
            f"rows written (sheets, history, outbox) by {_floor_name()}": copied_rows,
            f"{_floor_name()} of the same rows, s": f"{copy_time:.3f}",
            f"ratio opening / {_floor_name()} (goal <= 5)": f"{opening / copy_time:.2f}",
        }


def _floor_name() -> str:
    return "COPY" if connection.vendor == "postgresql" else "one INSERT per table"


def _rewrite_rows(querysets) -> tuple[int, float]:
    """Read the rows the opening wrote, delete them, and write them back by the database's
    fastest path, timing only the writing; the savepoint then puts everything back."""
    saved = []
    for queryset in querysets:
        fields = queryset.model._meta.concrete_fields
        rows = list(queryset.values_list(*[f.attname for f in fields]))
        saved.append((queryset.model, [f.column for f in fields], rows))
    sid = transaction.savepoint()
    for model, _columns, rows in saved:
        model._base_manager.filter(pk__in=[row[0] for row in rows])._raw_delete(connection.alias)
    quote = connection.ops.quote_name
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for model, columns, rows in saved:
            table = model._meta.db_table
            names = ", ".join(quote(c) for c in columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608  identifiers from _meta
    elapsed = time.perf_counter() - t0
    transaction.savepoint_rollback(sid)
    return sum(len(rows) for _, _, rows in saved), elapsed
