"""manage.py bench_bodies [--bodies 50] [--staff 200]: issue 12.6 — do the pages keep their
ratios when one installation serves many bodies?

The measuring is bench_pages' (gunicorn on PostgreSQL, every role's main pages, requests/s
and p95 as ratios to the one-query floor view of the same round, query counts). This command
only adds a size: `--bodies` bodies of `--staff` staff each in one database
(`<prefix>_<bodies>x<staff>`, built with `load_bench_org --organisations`; every body has its
own copies of the editions), measured with the first body's people, beside one body of the
same staff alone (`<prefix>_<staff>`). The two tables side by side say whether the other
bodies' rows cost anything: each page's ratios should be about the same.
"""

import subprocess
import time
from pathlib import Path

from appraisal.management.commands.bench_pages import Command as PagesCommand
from appraisal.management.commands.bench_pages import database_exists


class Command(PagesCommand):
    help = "Замер страниц при многих государственных органах в одной установке (make bench-bodies)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--bodies", type=int, default=50, help="число государственных органов в базе")
        parser.set_defaults(staff=200, sizes="staff,bodies", prefix="bagalau_bench_bodies")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if options["plan"]:
            return super().handle(*args, **options)
        started = time.perf_counter()
        results = {}
        for size in options["sizes"].split(","):
            label = {"demo": "demo", "bodies": f"{options['bodies']} bodies x {options['staff']} staff"}.get(
                size, f"1 body x {options['staff']} staff")
            results[label] = self._size(size, options)
        table = self._table(results, options)
        table += f"\n(total {time.perf_counter() - started:.0f} s)\n"
        self.stdout.write(table)
        if options["out"]:
            Path(options["out"]).write_text(table, encoding="utf-8")
        return None

    def _database(self, size: str, options) -> tuple[str, dict]:
        if size != "bodies":
            return super()._database(size, options)
        name = f"{options['prefix']}_{options['bodies']}x{options['staff']}"
        url = f"{options['pg'].rstrip('/')}/{name}"
        env = self._env(url)
        admin_url = f"{options['pg'].rstrip('/')}/postgres"
        if options["reuse"] and database_exists(admin_url, name):
            self.stderr.write(f"{name}: reused")
            self._analyze(url)
            return url, env
        self.stderr.write(f"{name}: building {options['bodies']} bodies …")
        subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)  # noqa: S603,S607
        single = f"{options['prefix']}_{options['staff']}"
        if database_exists(admin_url, single):
            # The one-body database already built (and measured) is copied, and the other
            # bodies are added beside it: body 1 is then the same in both, and the migrations
            # do not run twice.
            subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}" TEMPLATE "{single}"'], check=True)  # noqa: S603,S607
            self._manage(env, "load_bench_org", "--organisations", str(options["bodies"] - 1),
                         "--staff", str(options["staff"]), "--tag", "other", capture=True)
            self._analyze(url)
            return url, env
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)  # noqa: S603,S607
        self._manage(env, "migrate", "--noinput", "-v", "0")
        self._manage(env, "load_bench_org", "--organisations", str(options["bodies"]), "--staff", str(options["staff"]),
                     "--tag", "bench", capture=True)
        self._analyze(url)
        return url, env
