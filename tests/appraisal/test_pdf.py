"""R3: forms print as PDF with the bundled fonts; the Kazakh letters survive."""

import io

import pytest
from pypdf import PdfReader

from appraisal.pdf import pdf_response, render_pdf

KAZAKH = "Бағалау — әділ, қоғамдық, ұлттық, үміт, һ, і; теңдік, өмір"


def _context():
    return {"form_title": "Оценочный лист", "organisation": "Аппарат маслихата", "kazakh": KAZAKH}


def test_R3_pdf_keeps_russian_and_kazakh_text():
    data = render_pdf("pdf/sample_check.html", _context())
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    for letter in "әғқңөұүһі":
        assert letter in text, letter
    for word in ("Бағалау", "әділ", "қоғамдық", "ұлттық", "үміт", "Оценочный лист", "Аппарат маслихата"):
        assert word in text, (word, text)
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()
             for f in [f.get_object()["/BaseFont"]]}
    assert any("DejaVu" in f for f in fonts), fonts


@pytest.mark.django_db
def test_R3_pdf_response_is_inline_pdf():
    response = pdf_response("pdf/sample_check.html", _context(), "form.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="form.pdf"'
    assert response.content.startswith(b"%PDF")
