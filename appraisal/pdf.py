"""The one way to make an official form (a Django template rendered to PDF by WeasyPrint), and
the download response of the spreadsheet exports beside it.

The DejaVu fonts (Cyrillic and the Kazakh letters ә ғ қ ң ө ұ ү һ і) are bundled in
static/fonts, so a form prints the same on a machine with no fonts installed.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

FONT_DIR = settings.BASE_DIR / "static" / "fonts"


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML  # imported here: loading pango is slow and only forms need it

    context = {"printed_at": timezone.localtime(), "font_dir": FONT_DIR.as_uri(), **context}
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


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
