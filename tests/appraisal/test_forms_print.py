"""Issue 11.6, R3: the official forms print like documents, at 1 table row and at 300.

Every form of templates/pdf is rendered from its sample context (appraisal.pdf_samples) and
read back page by page (pypdfium2):
- no table row is split across pages (each row's first and last markers on one page);
- the table's header is repeated on every page the table runs over;
- the signatures stay on the page of the table's last row (no page of signatures alone);
- every signature line carries a name;
- the draft mark «ПРОЕКТ» is still on every page of a draft (issue 11.1).

Rendering 300 rows of each form takes a while: each PDF is made once per module.
"""

import functools
import re

import pypdfium2 as pdfium
import pytest

from appraisal.pdf import render_pdf
from appraisal.pdf_samples import BY_KEY, CHIEF, SAMPLES, marker, text

# The header word found on every page of the main table, and the first words of what follows
# the table (notes and signatures), which must share the page of the table's last row.
LAYOUT = {
    "form1": ("Достижимость", "КЦИ: от 3 до 5"),
    "form2": ("Комментарий", "Градация (п. 7): 4,00"),
    "form3": ("Допустимая", "Процент достижения ="),
    "form4": ("Параметр", "Параметры оцениваются"),
    "report": ("Градация", "эффективно:"),  # the counts by gradation under the table
    "form7": ("Компетенция", "Конфиденциально"),
    "form8": (None, "Главный специалист"),
    "training": ("Наименее", "Главный специалист"),
    "calibration": ("Позиция", "Участников:"),
    "calibration_feedback": (None, "Оценивающее лицо"),
    "form9": ("Критерий", "Количество КЦИ — 5"),
    "form10": ("Факты", "п. 48: все 5 КЦИ"),
    "form11": ("Голосование", "Результат по п. 48"),
}
SIZES = (1, 300)


@functools.cache
def pages_of(key: str, rows: int, draft: bool = False) -> tuple[str, ...]:
    sample = BY_KEY[key]
    data = render_pdf(sample.template, {**sample.context(rows), "draft": draft})
    document = pdfium.PdfDocument(data)
    try:
        return tuple(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def page_index(pages, text: str) -> list[int]:
    return [i for i, page in enumerate(pages) if text in page]


def test_every_form_has_a_layout_entry():
    assert set(LAYOUT) == {s.key for s in SAMPLES}


@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize("key", [s.key for s in SAMPLES if s.markers])
def test_R3_no_table_row_is_split_across_pages(key, rows):
    pages = pages_of(key, rows)
    split = []
    for n in range(1, rows + 1):
        first, last = page_index(pages, marker(n, "a")), page_index(pages, marker(n, "z"))
        assert len(first) == 1 and len(last) == 1, (n, first, last)
        if first != last:
            split.append(n)
    assert not split, f"{key}: rows split across pages: {split[:10]}"


@pytest.mark.parametrize("key", [s.key for s in SAMPLES if s.markers and LAYOUT[s.key][0]])
def test_R3_table_header_repeats_on_every_page_of_the_table(key):
    pages = pages_of(key, 300)
    header = LAYOUT[key][0]
    first, last = page_index(pages, marker(1, "a"))[0], page_index(pages, marker(300, "z"))[0]
    assert last > first, "300 rows should run over several pages"
    missing = [i + 1 for i in range(first, last + 1) if header not in pages[i]]
    assert not missing, f"{key}: header «{header}» missing on pages {missing[:10]}"


@pytest.mark.parametrize("rows", SIZES)
@pytest.mark.parametrize("key", [s.key for s in SAMPLES])
def test_R3_signatures_stay_with_the_tables_last_row(key, rows):
    pages = pages_of(key, rows)
    end = LAYOUT[key][1]
    end_pages = page_index(pages, end)
    assert end_pages, (key, end)
    end_page = end_pages[-1]
    if key == "form7":
        # the 360 report: the chart, the least expressed competencies and the comments follow
        # the table; the form's end stays with the last comment
        assert page_index(pages, text(2, 12)) == [end_page]
    elif BY_KEY[key].markers:
        last_row = page_index(pages, marker(rows, "z"))
        assert last_row == [end_page], f"{key}: last row on page {last_row}, the form's end on page {end_page}"
    # nothing but the form's end after the table: its page is the last one — except in a
    # calibration protocol, where every participant signs: 300 signature lines run on
    if key != "calibration":
        assert end_page == len(pages) - 1, f"{key}: the form's end on page {end_page + 1} of {len(pages)}"


@pytest.mark.parametrize("key", [s.key for s in SAMPLES])
def test_R3_every_signature_line_has_a_name(key):
    pages = pages_of(key, 1)
    text = " ".join(pages)
    missing = [name for name in BY_KEY[key].signers if name not in text]
    assert not missing, f"{key}: signature lines without {missing}"


@pytest.mark.parametrize("key", ["form4", "report", "form3", "form7", "form8", "training"])
def test_R3_chief_specialists_signature_line_names_her(key):
    """The line printed for the chief specialist carries her name (it was blank)."""
    last_page = pages_of(key, 1)[-1]
    assert re.search(r"Главный специалист.{0,160}" + re.escape(CHIEF.short_name), last_page), last_page


@pytest.mark.parametrize("key", ["form2", "form4", "form11"])
def test_R20_draft_mark_still_on_every_page(key):
    pages = pages_of(key, 40, draft=True)
    assert len(pages) > 1 and all("ПРОЕКТ" in page.replace(" ", "") for page in pages)  # letter-spaced


def test_R3_form2_quarter_total_prints_once_under_the_last_row():
    """The quarter's score and gradation close the table: printed once, on the page of the
    last KCI (as a table footer they were repeated at the foot of every page)."""
    pages = pages_of("form2", 300)
    total = page_index(pages, "Оценка за квартал")
    assert total == page_index(pages, marker(300, "z")), total
