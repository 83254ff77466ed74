# Developer shortcuts. Benchmarks run against a throwaway SQLite file (override BENCH_DB,
# e.g. BENCH_DB=postgres://... make bench); their data is rolled back at the end.

PY ?= .venv/bin/python
# Local throwaway databases over plain HTTP: the settings need a key (production sets its own).
export SECRET_KEY ?= make-targets-local-throwaway-databases-only
export PLAIN_HTTP ?= 1
BENCH_DB ?= sqlite:////tmp/bagalau-bench.sqlite3
BENCH_EMPLOYEES ?= 10000
BENCH_REPEAT ?= 3
DEMO_DB ?= sqlite:////tmp/bagalau-demo.sqlite3

.PHONY: bench bench-db bench-eligibility demo

## bench: every benchmark (add yours as a prerequisite: bench: bench-eligibility bench-<yours>)
bench: bench-eligibility

bench-db:
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py migrate --noinput -v 0

## bench-eligibility: schedule generation (R5, R6, R10, R22.4) for BENCH_EMPLOYEES staff
bench-eligibility: bench-db
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py bench_eligibility --employees $(BENCH_EMPLOYEES) --repeat $(BENCH_REPEAT)

## demo: a fresh demo database (log-ins printed at the end; password bagalau2026)
demo:
	rm -f $(patsubst sqlite:///%,%,$(DEMO_DB))
	DATABASE_URL=$(DEMO_DB) $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=$(DEMO_DB) $(PY) manage.py collectstatic --noinput -v 0
	DATABASE_URL=$(DEMO_DB) $(PY) manage.py load_demo
	@echo "Serve with: PLAIN_HTTP=1 SECRET_KEY=$(SECRET_KEY) DATABASE_URL=$(DEMO_DB) $(PY) manage.py runserver"

## bench-survey360: 360 aggregation and one report page (chapter 4), BENCH_EMPLOYEES people x 7 respondents x 12 competencies
.PHONY: bench-survey360
bench: bench-survey360
bench-survey360: bench-db
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py bench_survey360 --people $(BENCH_EMPLOYEES) --respondents 7 --repeat $(BENCH_REPEAT)

## bench-ranking: opening a ranking quarter (R28 sheets through the hook, R30 notices queued) for BENCH_EMPLOYEES staff,
## on PostgreSQL (database bagalau_bench_ranking, created if missing), vs COPY of the same rows (issue 12: at most 5x)
BENCH_RANKING_DB ?= $(BENCH_PG)/bagalau_bench_ranking
.PHONY: bench-ranking
bench: bench-ranking
bench-ranking:
	psql "$(BENCH_PG)/postgres" -qc "CREATE DATABASE bagalau_bench_ranking" 2>/dev/null || true
	DATABASE_URL=$(BENCH_RANKING_DB) $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=$(BENCH_RANKING_DB) $(PY) manage.py bench_ranking --staff $(BENCH_EMPLOYEES)

## bench-pages: every role's main pages served by gunicorn on PostgreSQL (databases bagalau_bench_pages_demo and
## bagalau_bench_pages_<staff>, rebuilt each run): requests/s and p95 as ratios to a one-query floor view, and query counts
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_PAGES_STAFF ?= 300
.PHONY: bench-pages
bench: bench-pages
bench-pages:
	$(PY) manage.py bench_pages --pg $(BENCH_PG) --staff $(BENCH_PAGES_STAFF) --repeat $(BENCH_REPEAT)

## bench-bodies: issue 12.6 — the pages of bench-pages in one installation of BENCH_BODIES bodies x BENCH_BODIES_STAFF
## staff (database bagalau_bench_bodies_<bodies>x<staff>) beside one body of the same staff: the ratios should hold
BENCH_BODIES ?= 50
BENCH_BODIES_STAFF ?= 200
.PHONY: bench-bodies
bench: bench-bodies
bench-bodies:
	$(PY) manage.py bench_bodies --pg $(BENCH_PG) --bodies $(BENCH_BODIES) --staff $(BENCH_BODIES_STAFF) --repeat $(BENCH_REPEAT)

## bench-pdf: each official PDF form at a realistic size vs a blank page with the same CSS (issue 12.4, target ≤ 2.5×); no database
.PHONY: bench-pdf
bench: bench-pdf
bench-pdf:
	$(PY) manage.py bench_pdf --repeat $(BENCH_REPEAT)

## bench-form4-memory: issue 12.5 — peak memory of the quarter's combined form 4, one render vs chunks joined; no database
BENCH_FORM4_SHEETS ?= 300
.PHONY: bench-form4-memory
bench: bench-form4-memory
bench-form4-memory:
	$(PY) manage.py bench_form4_memory --sheets $(BENCH_FORM4_SHEETS)
