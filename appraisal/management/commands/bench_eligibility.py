"""manage.py bench_eligibility --employees 10000 [--repeat 3]: how the schedule scales.

Builds a throwaway organisation of N corps-B staff (bulk_create; a share of them dismissed,
appointed late, transferred or absent at evaluation time) inside a transaction that is
rolled back at the end, so the database is left as it was. Then, for one quarter, times

- build_entries: the eligibility of everyone (appraisal.eligibility through the services),
- generate: generate_schedule creating a new draft (entries saved with their history),
- regenerate: generate_schedule again over the unchanged draft it has just made,

each in its own savepoint, reporting wall and CPU time (the process's own, which a busy
machine does not inflate; SQLite works in-process, so its work is included), SQL
statements (an execute wrapper) and, in a separate run of the same step, the peak of
Python allocations (tracemalloc), since tracing slows the timed run down.
"""

import datetime as dt
import time
import tracemalloc
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from appraisal.models import (
    Absence,
    AbsenceKind,
    Appointment,
    Employee,
    Organisation,
    Period,
    PeriodKind,
    Position,
    PositionKind,
    Role,
    RoleAssignment,
    Schedule,
)
from appraisal.services.schedules import build_entries, generate_schedule


class _Rollback(Exception):
    """Raised to roll the whole benchmark back."""


@dataclass
class Measure:
    seconds: float
    queries: int
    cpu: float = 0.0
    peak_mb: float = 0.0
    rows: int = 0


def _case(i: int) -> str:
    """Which case staff number i carries: a few per cent each, as in a real body."""
    if i % 50 == 0:
        return "dismissed"  # R6
    if i % 50 == 1:
        return "late"  # R5.1
    if i % 25 == 3:
        return "transferred"  # two continuous appointments (R5.1 counts them together)
    return "regular"


def build_organisation(n: int, period: Period) -> tuple[Organisation, object]:
    """An organisation with a chairman, a head, a chief specialist and n staff."""
    tag = uuid.uuid4().hex[:8]
    organisation = Organisation.objects.create(name=f"Бенчмарк {tag}", short_name=f"Бенчмарк {tag}")
    chairman_position = Position.objects.create(organisation=organisation, title="Председатель", kind=PositionKind.OTHER)
    head_position = Position.objects.create(organisation=organisation, title="Руководитель аппарата",
                                            kind=PositionKind.HEAD, category="Е-2", reports_to=chairman_position)
    user = get_user_model().objects.create_user(username=f"bench-chief-{tag}")
    RoleAssignment.objects.create(organisation=organisation, user=user, role=Role.CHIEF_SPECIALIST)
    chairman, head = Employee.objects.bulk_create([
        Employee(organisation=organisation, last_name="Председатель", first_name="Б"),
        Employee(organisation=organisation, last_name="Руководитель", first_name="Б"),
    ])
    Appointment.objects.bulk_create([
        Appointment(employee=chairman, position=chairman_position, start=dt.date(2021, 8, 1)),
        Appointment(employee=head, position=head_position, start=dt.date(2019, 1, 1)),
    ])

    positions = Position.objects.bulk_create(
        [Position(organisation=organisation, title=f"Главный специалист № {i}", kind=PositionKind.STAFF,
                  category="Е-4", reports_to=head_position) for i in range(n)],
        batch_size=2000,
    )
    employees = Employee.objects.bulk_create(
        [Employee(organisation=organisation, last_name=f"Служащий{i:06d}", first_name="Айгерим",
                  middle_name="Болатовна", email=f"s{i}@bench.example.kz") for i in range(n)],
        batch_size=2000,
    )
    appointments, absences = [], []
    window = period.end + dt.timedelta(days=3)
    for i, (employee, position) in enumerate(zip(employees, positions)):
        case = _case(i)
        if case == "late":
            appointments.append(Appointment(employee=employee, position=position, start=period.end - dt.timedelta(days=21)))
        elif case == "dismissed":
            appointments.append(Appointment(employee=employee, position=position, start=dt.date(2020, 1, 1),
                                            end=period.start + dt.timedelta(days=44), dismissed=True))
        elif case == "transferred":
            middle = period.start + dt.timedelta(days=10)
            appointments.append(Appointment(employee=employee, position=position, start=dt.date(2020, 1, 1),
                                            end=middle - dt.timedelta(days=1)))
            appointments.append(Appointment(employee=employee, position=position, start=middle))
        else:
            appointments.append(Appointment(employee=employee, position=position, start=dt.date(2020, 1, 1)))
    for i in range(2, n, 20):  # R5.2: on a business trip at evaluation time
        absences.append(Absence(employee=employees[i], kind=AbsenceKind.BUSINESS_TRIP, start=window,
                                end=window + dt.timedelta(days=4)))
    for i in range(4, n, 100):  # a 2022 social leave (R5.3, lapsed): read, decides nothing in 2026
        absences.append(Absence(employee=employees[i], kind=AbsenceKind.SOCIAL_LEAVE, start=dt.date(2022, 3, 1),
                                end=dt.date(2022, 9, 30)))
    for i in range(5, n, 10):  # an ordinary leave inside the period: read, but decides nothing
        absences.append(Absence(employee=employees[i], kind=AbsenceKind.LABOUR_LEAVE, start=period.start + dt.timedelta(days=20),
                                end=period.start + dt.timedelta(days=40)))
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    Absence.objects.bulk_create(absences, batch_size=2000)
    return organisation, user


class _QueryCounter:
    """Counts every statement. CaptureQueriesContext keeps only the last 9000 (and warns),
    which a regeneration over 10,000 people exceeds, so the count comes from a wrapper."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed(step) -> Measure:
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        started, cpu_started = time.perf_counter(), time.process_time()
        rows = step()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return Measure(seconds, counter.count, cpu=cpu, rows=rows)


def _peak_mb(step) -> float:
    tracemalloc.start()
    try:
        step()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def _in_savepoint(func):
    """Run func in a savepoint that is rolled back, so each repeat starts from the same data."""
    def run():
        sid = transaction.savepoint()
        try:
            return func()
        finally:
            transaction.savepoint_rollback(sid)
    return run


class Command(BaseCommand):
    help = "Замер формирования графика оценки (п. 5, 6, 10, 22.4) на N служащих; данные откатываются."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=10000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--quarter", type=int, default=3, choices=(1, 2, 3, 4))

    def handle(self, *args, employees, repeat, year, quarter, **options):
        if employees < 1 or repeat < 1:
            raise CommandError("--employees и --repeat должны быть не меньше 1.")
        start, end = Period.bounds(PeriodKind.QUARTER, year, quarter)
        out = self.stdout.write
        try:
            with transaction.atomic():
                period = Period.objects.get_or_create(kind=PeriodKind.QUARTER, year=year, quarter=quarter,
                                                      defaults={"start": start, "end": end})[0]
                started = time.perf_counter()
                organisation, chief = build_organisation(employees, period)
                out(f"Setup: {employees} staff, {connection.vendor}, {time.perf_counter() - started:.1f} s "
                    f"(bulk_create, rolled back at the end); period {period}")

                def build():
                    return len(build_entries(Schedule(organisation=organisation, period=period)))

                def generate():
                    return generate_schedule(organisation=organisation, period=period, by=chief).entries.count()

                def timed_regenerate():
                    generate()  # the draft to regenerate; only the second call is measured
                    return _timed(generate)

                def regenerate():
                    generate()
                    tracemalloc.reset_peak()  # the peak of the second call only
                    return generate()

                steps = {"build_entries": build, "generate": generate}
                results: dict[str, list[Measure]] = {name: [] for name in (*steps, "regenerate")}
                for _i in range(repeat):
                    for name, step in steps.items():
                        measure = _in_savepoint(lambda step=step: _timed(step))()
                        measure.peak_mb = _peak_mb(_in_savepoint(step))
                        results[name].append(measure)
                    measure = _in_savepoint(timed_regenerate)()
                    measure.peak_mb = _peak_mb(_in_savepoint(regenerate))
                    results["regenerate"].append(measure)
                self._report(results, employees)
                raise _Rollback
        except _Rollback:
            out("All benchmark data rolled back.")

    def _report(self, results: dict[str, list[Measure]], n: int) -> None:
        out = self.stdout.write
        out(f"{'step':<14} {'run':>4} {'rows':>7} {'wall s':>8} {'cpu s':>7} {'queries':>8} {'peak MiB':>9}")
        for name, measures in results.items():
            for i, m in enumerate(measures, start=1):
                out(f"{name:<14} {i:>4} {m.rows:>7} {m.seconds:>8.3f} {m.cpu:>7.3f} {m.queries:>8} {m.peak_mb:>9.1f}")
            best = min(measures, key=lambda m: m.seconds)
            out(self.style.SUCCESS(
                f"{name:<14} {'best':>4} {best.rows:>7} {best.seconds:>8.3f} {best.cpu:>7.3f} {best.queries:>8} "
                f"{min(m.peak_mb for m in measures):>9.1f}   ({best.seconds / n * 1e6:.0f} µs per employee)"))
