"""manage.py bench_form4_memory [--sheets 300] [--chunk 50]: the peak memory of the quarter's
combined form 4 (issue 12.5), rendered in one WeasyPrint call as the page did before, in
chunks joined with pypdf, and in chunks whose sheets are each laid out as a document of their
own (so each numbers its own pages) as the background job does (appraisal.pdf_join).

Each way runs in a fresh child process (this command with --child), which reports its peak
resident memory (ru_maxrss) after importing WeasyPrint and after rendering, so the figures are
not mixed with the parent's. The sheets are form 4's sample context (appraisal.pdf_samples, four
parameters with comments) repeated; no database is used. A benchmark, not a test: run it by
hand or with `make bench-form4-memory`.
"""

import json
import resource
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from appraisal.pdf_join import DEFAULT_CHUNK


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _child(way: str, sheets: int, chunk: int) -> dict:
    from pathlib import Path

    import weasyprint  # noqa: F401 - loaded before the baseline, as in a warm worker

    from appraisal import pdf, pdf_join
    from appraisal.pdf_samples import BY_KEY

    pdf.render_pdf("pdf/ranking_sheet.html", BY_KEY["form4"].context(4))  # warm-up: fonts, shared CSS
    baseline = _peak_mb()
    context = BY_KEY["form4"].context(4)
    rows = context["rows"] * sheets
    started = time.perf_counter()
    if way == "whole":
        size = len(pdf.render_pdf("pdf/ranking_sheet.html", {**context, "rows": rows}))
    else:
        path = pdf_join.render_in_chunks("pdf/ranking_sheet.html", rows, lambda part: {**context, "rows": part},
                                         chunk_size=chunk, separate=way == "separate")
        size = Path(path).stat().st_size
        path.unlink()
    return {"way": way, "sheets": sheets, "baseline_mb": round(baseline), "peak_mb": round(_peak_mb()),
            "seconds": round(time.perf_counter() - started, 1), "bytes": size}


class Command(BaseCommand):
    help = "Peak memory of the combined form 4: one render vs chunks joined vs sheets apart (issue 12.5)."

    def add_arguments(self, parser):
        parser.add_argument("--sheets", type=int, default=300)
        parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
        parser.add_argument("--child", choices=["whole", "chunked", "separate"], help="internal: one measurement")

    def handle(self, *args, sheets, chunk, child, **options):
        if child:
            self.stdout.write(json.dumps(_child(child, sheets, chunk)))
            return
        self.stdout.write(f"Form 4 of {sheets} sheets; chunks of {chunk}; peak resident memory of a fresh process")
        for way in ("whole", "chunked", "separate"):
            result = subprocess.run(  # noqa: S603 - this same command, with fixed arguments
                [sys.executable, "manage.py", "bench_form4_memory", "--child", way, "--sheets", str(sheets),
                 "--chunk", str(chunk)], capture_output=True, text=True, check=True)
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            self.stdout.write(
                f"  {way:8} peak {figures['peak_mb']:5} MB (after warm-up {figures['baseline_mb']} MB, "
                f"+{figures['peak_mb'] - figures['baseline_mb']} MB), {figures['seconds']} s, "
                f"{figures['bytes'] // 1024} KB")
