"""manage.py bench_pages: how fast the main pages of every role are served, as in production.

For each size — the demo (`load_demo`) and one organisation of `--staff` staff
(`load_bench_org`) — the command builds a PostgreSQL database `<prefix>_demo` /
`<prefix>_<staff>` (dropped and rebuilt unless `--reuse`), serves it with gunicorn
(`--workers` sync workers, production settings plus the floor view: appraisal.bench_settings)
and loads every page with appraisal.bench_load, a small client in its own process
(`--connections` connections, `--duration` seconds and at least `--min-requests` answers), `--repeat`
rounds. Each round measures the floor view — one query behind the same middleware — before
and after the pages; a page's figures are printed as ratios to that round's floor, the median
over the rounds. The machine is shared, so absolute numbers are noisy: the ratios are what
counts. Query counts come from one request through Django's test client.

Log-ins: a session is created for each role's user directly in the session engine (the
benchmark organisation's users have no password).
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BASE_DIR = Path(settings.BASE_DIR)
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432"


@dataclass
class Run:
    rps: float
    p95_ms: float
    errors: int


def database_exists(admin_url: str, name: str) -> bool:
    """Whether the PostgreSQL server of `admin_url` has a database `name` (one of our own)."""
    return subprocess.run(["psql", admin_url, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],  # noqa: S603,S607,S608 our own name
                          capture_output=True, text=True, check=True).stdout.strip() == "1"


# --- the plan: which pages, for whom (run inside the benchmark database) -------------------

def _session_cookie(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(24 * 3600)
    store.create()
    return store.session_key


def _pages(usernames: dict[str, str]) -> list[tuple[str, str, str]]:
    """(role, page, url) of every main page, found in the data."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from appraisal.bench_urls import LAYOUT_URL
    from appraisal.models import Employee, PeriodResult, Schedule, ScheduleState
    from kci.models import IndividualPlan
    from ranking.models import RankingSheet
    from survey360.models import Campaign, CampaignState, Respondent

    users = {role: get_user_model().objects.get(username=name) for role, name in usernames.items()}
    organisation_id = Employee.objects.get(user=users["chief"]).organisation_id
    # The layout alone (base.html and the floor's query): the least any page costs.
    pages = [("chief", "(layout only)", LAYOUT_URL)]
    pages += [(role, "home", "/") for role in ("chief", "official", "chairman", "head", "staff")]
    schedule = (Schedule.objects.filter(organisation_id=organisation_id, state=ScheduleState.APPROVED,
                                        period__kind="quarter").order_by("-period__end").first())
    pages.append(("chief", "schedule", reverse("schedule_detail", args=[schedule.pk])))
    pages.append(("chief", "ranking overview", reverse("ranking:overview", args=[schedule.period_id])))
    campaign = Campaign.objects.filter(organisation_id=organisation_id).order_by("-pk").first()
    if campaign:
        pages.append(("chief", "360 campaign", reverse("survey360:campaign", args=[campaign.pk])))
    sheet = (RankingSheet.objects.filter(entry__evaluator__user=users["head"], entry__schedule__state="approved")
             .order_by("-entry__schedule__period__end").first())
    pages.append(("head", "ranking page", reverse("ranking:evaluate", args=[sheet.entry.schedule.period_id])))
    plan = (IndividualPlan.objects.filter(entry__schedule__organisation_id=organisation_id)
            .order_by("-entry__schedule__period__end").first())
    pages.append(("chairman", "KCI plan", reverse("kci:plan_detail", args=[plan.pk])))
    respondent = (Respondent.objects.filter(employee__user=users["staff"], subject__campaign__state=CampaignState.COLLECTING)
                  .order_by("subject__employee__last_name").first())
    if respondent:
        pages.append(("staff", "360 questionnaire", reverse("survey360:assess", args=[respondent.subject_id])))
    result = (PeriodResult.objects.filter(entry__employee__user=users["staff"])
              .order_by("-entry__schedule__period__end").first())
    if result:
        pages.append(("staff", "result", reverse("result_detail", args=[result.pk])))
    return pages


def plan(usernames: dict[str, str]) -> dict:
    """Pages with a session cookie per role and each page's query count and size."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from appraisal.bench_urls import FLOOR_URL

    cookies = {role: _session_cookie(get_user_model().objects.get(username=name))
               for role, name in usernames.items()}
    rows = []
    for role, page, url in [("chief", "floor", FLOOR_URL), *_pages(usernames)]:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = cookies[role]
        client.get(url)  # warm: content types, translations
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{role} {url}: HTTP {response.status_code}")
        rows.append({"role": role, "page": page, "url": url, "cookie": cookies[role],
                     "queries": len(ctx.captured_queries), "bytes": len(response.content)})
    return {"rows": rows}


# --- the run ---------------------------------------------------------------------------

class Command(BaseCommand):
    help = "Замер страниц под gunicorn на PostgreSQL: запросов/с и p95 относительно «пола» (make bench-pages)."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=300)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--duration", type=int, default=5, help="секунд на страницу в каждом круге")
        parser.add_argument("--min-requests", type=int, default=20, help="ответов не меньше, чем столько")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--port", type=int, default=8763)
        parser.add_argument("--pg", default=os.environ.get("BENCH_PG", PG_DEFAULT), help="postgres://user@host:port")
        parser.add_argument("--prefix", default="bagalau_bench_pages")
        parser.add_argument("--reuse", action="store_true", help="не пересоздавать базы, если они уже есть")
        parser.add_argument("--sizes", default="demo,staff", help="demo,staff")
        parser.add_argument("--out", default="", help="файл для таблицы (кроме вывода)")
        parser.add_argument("--plan", default="", help=argparse_hidden())

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if options["plan"]:  # internal: run inside the benchmark database
            self.stdout.write(json.dumps(plan(json.loads(options["plan"]))))
            return
        started = time.perf_counter()
        results = {}
        for size in options["sizes"].split(","):
            label = "demo" if size == "demo" else f"{options['staff']} staff"
            results[label] = self._size(size, options)
        table = self._table(results, options)
        table += f"\n(total {time.perf_counter() - started:.0f} s)\n"
        self.stdout.write(table)
        if options["out"]:
            Path(options["out"]).write_text(table, encoding="utf-8")

    # each size: database, plan, gunicorn, load ------------------------------------------

    def _env(self, database_url: str) -> dict:
        env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="appraisal.bench_settings")
        env.setdefault("SECRET_KEY", "bench-pages-throwaway-database-only")
        env.setdefault("PLAIN_HTTP", "1")
        env["DEBUG"] = "0"
        return env

    def _manage(self, env: dict, *argv: str, capture: bool = False) -> str:
        result = subprocess.run([sys.executable, "manage.py", *argv], cwd=BASE_DIR, env=env, check=True,  # noqa: S603
                                capture_output=capture, text=True)
        return result.stdout if capture else ""

    def _database(self, size: str, options) -> tuple[str, dict]:
        name = f"{options['prefix']}_{'demo' if size == 'demo' else options['staff']}"
        url = f"{options['pg'].rstrip('/')}/{name}"
        env = self._env(url)
        admin_url = f"{options['pg'].rstrip('/')}/postgres"
        if options["reuse"] and database_exists(admin_url, name):
            self.stderr.write(f"{name}: reused (migrated to this checkout)")
            self._manage(env, "migrate", "--noinput", "-v", "0")
            self._analyze(url)
            return url, env
        self.stderr.write(f"{name}: building …")
        subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)  # noqa: S603,S607
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)  # noqa: S603,S607
        self._manage(env, "migrate", "--noinput", "-v", "0")
        if size == "demo":
            self._manage(env, "load_demo", capture=True)
        else:
            self._manage(env, "load_bench_org", "--staff", str(options["staff"]), "--tag", "bench", capture=True)
        self._analyze(url)
        return url, env

    @staticmethod
    def _analyze(url: str) -> None:
        """Planner statistics of the data just loaded, as autovacuum would gather them in
        production: where autovacuum is off (this machine), a freshly loaded database keeps
        the estimates of its empty tables and the planner reads whole tables to find a few rows."""
        subprocess.run(["psql", url, "-qc", "ANALYZE"], check=True)  # noqa: S603,S607

    def _size(self, size: str, options) -> dict:
        _url, env = self._database(size, options)
        if size == "demo":
            usernames = {"chief": "chief", "official": "official", "chairman": "chairman", "head": "head",
                         "staff": "staff8"}
        else:
            usernames = {role: f"bench1-{role}" for role in ("chief", "official", "chairman", "head")}
            usernames["staff"] = "bench1-s00001"
        rows = json.loads(self._manage(env, "bench_pages", "--plan", json.dumps(usernames), capture=True))["rows"]
        port = options["port"]
        server = subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).with_name("gunicorn")), "appraisal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(options["workers"]), "--worker-class", "sync", "--timeout", "120"],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self._wait(port, rows[0])
            for row in rows:  # warm every worker on every page
                self._load(port, row, duration=0, connections=options["workers"], min_requests=options["workers"])
            floors, runs = [], {i: [] for i in range(1, len(rows))}
            for round_no in range(options["repeat"]):
                self.stderr.write(f"  round {round_no + 1}/{options['repeat']}")
                before = self._load(port, rows[0], options["duration"], options["connections"],
                                    options["min_requests"])
                measured = {i: self._load(port, rows[i], options["duration"], options["connections"],
                                    options["min_requests"])
                            for i in runs}
                after = self._load(port, rows[0], options["duration"], options["connections"],
                                    options["min_requests"])
                floor = Run((before.rps + after.rps) / 2, (before.p95_ms + after.p95_ms) / 2, 0)
                floors.append(floor)
                for i, run in measured.items():
                    runs[i].append((run, floor))
        finally:
            server.terminate()
            server.wait(timeout=30)
        return {"rows": rows, "floors": floors, "runs": runs}

    def _wait(self, port: int, floor_row: dict) -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{floor_row['url']}",
                                         headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={floor_row['cookie']}"})
        for _ in range(120):
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise CommandError("gunicorn did not answer")

    def _load(self, port: int, row: dict, duration: int, connections: int, min_requests: int = 20) -> Run:
        """One measurement by appraisal.bench_load in its own process (the load generator
        must not share the interpreter, or the GIL, with anything it measures)."""
        output = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "appraisal.bench_load", f"http://127.0.0.1:{port}{row['url']}",
             f"{settings.SESSION_COOKIE_NAME}={row['cookie']}", str(connections), str(duration), str(min_requests)],
            cwd=BASE_DIR, capture_output=True, text=True, check=True).stdout
        measured = json.loads(output)
        if measured["errors"]:
            self.stderr.write(f"  {row['url']}: {measured['errors']} errors")
        if self.verbosity > 1:
            self.stderr.write(f"  {row['page']:<18} {measured['requests']:>5} requests in {measured['seconds']:.1f} s, "
                              f"p95 {measured['p95_ms']:.0f} ms")
        return Run(measured["requests"] / measured["seconds"], measured["p95_ms"], measured["errors"])

    # the table ----------------------------------------------------------------------------

    def _table(self, results: dict, options) -> str:
        lines = [f"bench-pages: gunicorn {options['workers']} sync workers, {options['connections']} connections, "
                 f"{options['duration']} s per page, median of {options['repeat']} rounds; PostgreSQL; "
                 "rps and p95 as ratios to the floor view of the same round (goal: rps/floor >= 0.5, "
                 "p95/floor <= 3 at demo size; >= 0.25 and <= 6 at the large size)"]
        for label, data in results.items():
            floor_rps = statistics.median(f.rps for f in data["floors"])
            floor_p95 = statistics.median(f.p95_ms for f in data["floors"])
            lines.append("")
            lines.append(f"== {label}: floor {floor_rps:.0f} req/s, p95 {floor_p95:.1f} ms "
                         f"({data['rows'][0]['queries']} queries)")
            lines.append(f"{'role':<9} {'page':<18} {'rps/floor':>9} {'p95/floor':>9} {'rps':>7} {'p95 ms':>8} "
                         f"{'queries':>7} {'KB':>6}  url")
            for i, runs in data["runs"].items():
                row = data["rows"][i]
                rps_ratio = statistics.median(r.rps / f.rps for r, f in runs)
                p95_ratio = statistics.median(r.p95_ms / f.p95_ms for r, f in runs)
                lines.append(
                    f"{row['role']:<9} {row['page']:<18} {rps_ratio:>9.2f} {p95_ratio:>9.1f} "
                    f"{statistics.median(r.rps for r, _f in runs):>7.1f} "
                    f"{statistics.median(r.p95_ms for r, _f in runs):>8.0f} {row['queries']:>7} "
                    f"{row['bytes'] / 1024:>6.0f}  {row['url']}")
        return "\n".join(lines) + "\n"


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
