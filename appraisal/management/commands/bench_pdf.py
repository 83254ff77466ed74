"""manage.py bench_pdf [--repeat 5] [--form form2 …] [--rows 300] [--profile form2]: what a
printed form costs next to a blank page with the same CSS (issue 12.4: at most 2.5×).

Every official form of templates/pdf (forms 1–4, 7–11 of the Типовая методика, the R8
decision report, the 360 training needs, the calibration protocol and feedback) is rendered
from its sample context (appraisal.pdf_samples) at a realistic size — the rows a real form
has — through the same path as the pages (appraisal.pdf: the shared stylesheet and fonts
parsed once per process). The blank page is the same form's HTML with an empty body: the same
<style> blocks, the same shared CSS and fonts, one page with its footer.

For each, the median of `repeat` renders after one warm-up: CPU time of this process (what a
busy machine does not inflate) and wall time, pages, size, and the ratio form ÷ blank on CPU
time, for the whole form and per page (÷ a blank document of as many pages).

The column «text ÷ blank» is the least any layout of that form could cost: the form's own text
(every character it prints, tags stripped) as one paragraph with the same CSS, no table, no
columns, no page-break rules. When it is already over 2.5×, the goal cannot be met by shaping
the form's HTML or CSS: WeasyPrint shapes every line through Pango, and the text is what the
form must print. No database is used.
"""

import cProfile
import io
import logging
import pstats
import re
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from appraisal.pdf import form_html, html_to_pdf
from appraisal.pdf_samples import BY_KEY, SAMPLES

TARGET = 2.5  # issue 12.4: a form costs at most 2.5 blank pages of the same CSS

# Rows of a real form: 3–5 KCIs (R23), five in chapter 6 (R46), the four R32 parameters, the
# six rows of appendix 3, twelve 360 competencies, a body of ~30 staff, a five-member Commission.
REALISTIC_ROWS = {
    "form1": 5, "form2": 5, "form3": 6, "form4": 4, "report": 30, "form7": 12, "form8": 8, "training": 30,
    "calibration": 5, "calibration_feedback": 8, "form9": 5, "form10": 5, "form11": 8,
}

BODY = re.compile(r"<body>.*</body>", re.S)
TAG = re.compile(r"<[^>]+>")


def blank_of(html: str, pages: int = 1) -> str:
    """The form's HTML with an empty body, or with `pages` empty pages."""
    breaks = '<div style="break-before: page"></div>' * (pages - 1)
    return BODY.sub(lambda _: f"<body>{breaks}</body>", html)


def text_only(html: str) -> str:
    """The form's printed text as one paragraph in the same document: what no layout of this
    form can go below (the text must be shaped and written whatever the HTML around it)."""
    body = BODY.search(html).group(0)
    text = " ".join(TAG.sub(" ", body).split())
    return BODY.sub(lambda _: f"<body><p>{text}</p></body>", html)


def measure(html: str, repeat: int) -> tuple[float, float, bytes]:
    """Median (CPU seconds, wall seconds) of `repeat` renders, and the last PDF."""
    data = html_to_pdf(html)  # warm-up: the first render in a process also parses the shared CSS
    cpu, wall = [], []
    for _ in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        data = html_to_pdf(html)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall), data


def page_count(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


class Command(BaseCommand):
    help = "Times each official PDF form against a blank page with the same CSS (issue 12.4)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--form", action="append", choices=[s.key for s in SAMPLES],
                            help="only these forms (repeatable); all by default")
        parser.add_argument("--rows", type=int, default=None, help="rows of every form instead of the realistic count")
        parser.add_argument("--profile", choices=[s.key for s in SAMPLES],
                            help="print where one render of this form spends its time (cProfile)")

    def handle(self, *args, **options):
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1")
        translation.activate("ru")
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per page otherwise
        if options["profile"]:
            return self.profile(options["profile"], options["rows"])
        keys = options["form"] or [s.key for s in SAMPLES]
        self.stdout.write(f"{'form':<22}{'rows':>5}{'pages':>6}{'KB':>6}{'form ms':>9}{'blank ms':>9}"
                          f"{'ratio':>7}{'per page':>9}{'text ÷ blank':>13}{'wall ms':>9}"
                          f"  (CPU medians of {options['repeat']}; target ≤ {TARGET}×)")
        worst = worst_per_page = 0.0
        cold = time.process_time()
        for key in keys:
            sample = BY_KEY[key]
            rows = options["rows"] or REALISTIC_ROWS[key]
            html = form_html(sample.template, sample.context(rows))
            form_cpu, form_wall, data = measure(html, options["repeat"])
            pages = page_count(data)
            blank_cpu = measure(blank_of(html), options["repeat"])[0]
            blank_pages_cpu = blank_cpu if pages == 1 else measure(blank_of(html, pages), options["repeat"])[0]
            text_cpu = measure(text_only(html), options["repeat"])[0]
            ratio, per_page = form_cpu / blank_cpu, form_cpu / blank_pages_cpu
            worst, worst_per_page = max(worst, ratio), max(worst_per_page, per_page)
            self.stdout.write(f"{key:<22}{rows:>5}{pages:>6}{len(data) // 1024:>6}{form_cpu * 1000:>9.0f}"
                              f"{blank_cpu * 1000:>9.0f}{ratio:>6.1f}×{per_page:>8.1f}×{text_cpu / blank_cpu:>12.1f}×"
                              f"{form_wall * 1000:>9.0f}{'' if per_page <= TARGET else '  over the target'}")
        self.stdout.write(f"worst ratio {worst:.1f}×, per page {worst_per_page:.1f}× (target ≤ {TARGET}×); "
                          f"all renders took {time.process_time() - cold:.1f} s of CPU")

    def profile(self, key: str, rows: int | None):
        sample = BY_KEY[key]
        html = form_html(sample.template, sample.context(rows or REALISTIC_ROWS[key]))
        html_to_pdf(html)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        html_to_pdf(html)
        profiler.disable()
        report = io.StringIO()
        pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(40)
        self.stdout.write(report.getvalue())
