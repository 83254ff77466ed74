"""The one way to make an official form (a Django template rendered to PDF by WeasyPrint), and
the download response of the spreadsheet exports beside it.

The DejaVu fonts (Cyrillic and the Kazakh letters ә ғ қ ң ө ұ ү һ і) are bundled in
static/fonts, so a form prints the same on a machine with no fonts installed.

Public API (also used by the background jobs that print long PDFs):
- `render_pdf(template_name, context, request=None) -> bytes`
- `pdf_response(template_name, context, filename, request=None) -> HttpResponse`
- `chief_specialist_name(organisation) -> str`, the name under the chief specialist's signature line.

Speed (`make bench-pdf`): the shared print CSS (static/css/pdf.css, with the @font-face rules)
is parsed once per thread together with the FontConfiguration that holds the fonts, and reused
by every render: a form then pays only for its own content.
"""

import atexit
import threading

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

FONT_DIR = settings.BASE_DIR / "static" / "fonts"
PRINT_CSS = settings.BASE_DIR / "static" / "css" / "pdf.css"

# One parsed stylesheet and font configuration per thread: WeasyPrint's FontConfiguration
# wraps a Pango font map, which is not meant to be shared between threads (runserver and
# threaded workers); a sync worker or a Celery process has one thread, hence one of each.
_local = threading.local()


@atexit.register
def _drop_stylesheet() -> None:
    """Free the fonts before the interpreter tears WeasyPrint's C bindings down (their
    finaliser fails once those are gone)."""
    _local.__dict__.pop("stylesheet", None)


def print_stylesheet():
    """(CSS, FontConfiguration) of static/css/pdf.css, parsed on first use in this thread."""
    cached = getattr(_local, "stylesheet", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        cached = (CSS(filename=str(PRINT_CSS), font_config=font_config), font_config)
        _local.stylesheet = cached
    return cached


def form_html(template_name: str, context: dict, request=None) -> str:
    """The form's HTML as WeasyPrint receives it (the shared CSS comes separately)."""
    context = {"printed_at": timezone.localtime(), **context}
    return render_to_string(template_name, context, request=request)


def _laid_out(html: str):
    """The WeasyPrint document of `html` with the shared stylesheet and fonts."""
    from weasyprint import HTML  # imported here: loading pango is slow and only forms need it

    stylesheet, font_config = print_stylesheet()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=[stylesheet], font_config=font_config)


def html_to_pdf(html: str) -> bytes:
    return _laid_out(html).write_pdf()


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    return html_to_pdf(form_html(template_name, context, request))


def render_forms(template_name: str, contexts: list[dict]) -> bytes:
    """Several forms in one PDF, each laid out as a document of its own, so that each footer
    counts its own form's pages («стр. 1 из 2» of that sheet, not of the whole file); the
    pages are then written together, as WeasyPrint documents for combining documents."""
    documents = [_laid_out(form_html(template_name, context)) for context in contexts]
    return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()


def chief_specialist_name(organisation) -> str:
    """The short name of whoever holds the chief specialist's role (R10) in `organisation`
    today: forms print it under that signature line. Empty when nobody holds it, or when
    `organisation` is not a saved organisation (a name only)."""
    from django.db.models import Q

    from appraisal.models import Role, RoleAssignment

    organisation_id = getattr(organisation, "pk", organisation)
    if not isinstance(organisation_id, int):
        return ""
    today = timezone.localdate()
    holder = (
        RoleAssignment.objects.filter(organisation_id=organisation_id, role=Role.CHIEF_SPECIALIST,
                                      user__employee__isnull=False)
        .filter(Q(start__isnull=True) | Q(start__lte=today), Q(end__isnull=True) | Q(end__gte=today))
        .select_related("user__employee").order_by("user__employee__last_name", "pk").first()
    )
    return holder.user.employee.short_name if holder else ""


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_STARTS = frozenset("=+-@")


def workbook_bytes(workbook) -> bytes:
    """The one way an export's workbook becomes bytes: every text cell is written as text.

    openpyxl stores a string that starts with «=» as a formula, so a last name like
    «=HYPERLINK(…)» typed into the staff list would run in the reader's spreadsheet; a string
    starting with «+», «-» or «@» may be taken for one when the cell is edited. Numbers stay
    numbers; every `str` value is stored with the string type, and one that starts like a
    formula also carries Excel's quote prefix (the hidden leading apostrophe), so that editing
    the cell in Excel keeps it text."""
    import io

    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value[:1] in FORMULA_STARTS:
                        cell.quotePrefix = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A spreadsheet export (R8, R9) as a download; the same shape as `pdf_response`."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_response(template_name: str, context: dict, filename: str, request=None) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
