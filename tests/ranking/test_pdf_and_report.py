"""R3 (form 4 on paper) and R8 (the decision report)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from appraisal.models import Method, PeriodResult
from appraisal.services.results import annual_result, record_result
from ranking.models import RankingSheet
from ranking.selectors import sheets_to_evaluate
from ranking.services import save_ranking
from tests.factories import quarter, year_period
from tests.job_client import job_file
from tests.ranking.conftest import approve_quarter

CODES = ("quality", "deadlines", "initiative", "discipline")


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def rank(org, period, points):
    sheets = list(sheets_to_evaluate(org.head.user, period))
    raw = {s.pk: dict(zip(CODES, map(str, p), strict=True)) for s, p in zip(sheets, points, strict=True)}
    return save_ranking(sheets=sheets, raw=raw, by=org.head.user, submit=True)


@pytest.fixture
def submitted(org, opened):
    rank(org, quarter(2026, 3), [(5, 4, 4, 4), (3, 3, 4, 3), (2, 2, 2, 1)])
    return opened


def test_R3_form4_pdf_of_one_sheet_has_people_scores_gradation(client, org, submitted):
    sheet = RankingSheet.objects.get(entry__employee=org.staff[0])
    client.force_login(org.staff[0].user)
    text, pages = pdf_text(client.get(reverse("ranking:sheet_pdf", args=[sheet.pk])))
    assert pages == 1
    flat = " ".join(text.split())
    for expected in ("Форма 4", str(org.organisation.name), "III квартал 2026 года", org.staff[0].full_name,
                     org.head.full_name, "Трудовая дисциплина", "3,25",
                     "Выполняет функциональные обязанности надлежащим образом", "С результатами ознакомлен",
                     "Напечатано"):
        assert expected in flat, expected
    assert "значение по умолчанию" not in flat  # a note for the chief specialist, not for the form (issue 11)


def test_R3_combined_quarter_pdf_has_one_page_per_sheet(client, org, submitted):
    client.force_login(org.chief.user)
    text, pages = pdf_text(job_file(client, reverse("ranking:quarter_pdf", args=[quarter(2026, 3).pk])))
    assert pages == 3
    for employee in [org.chief, *org.staff]:
        assert employee.full_name in " ".join(text.split())


def test_R20_combined_pdf_for_an_employee_holds_only_their_sheet(client, org, submitted):
    client.force_login(org.staff[1].user)
    text, pages = pdf_text(job_file(client, reverse("ranking:quarter_pdf", args=[quarter(2026, 3).pk])))
    assert pages == 1
    assert org.staff[0].full_name not in " ".join(text.split())


def test_R8_report_lists_each_result_with_gradation_for_the_chief(client, org, submitted):
    # the head's KCI result lives in the same shared PeriodResult
    head_entry = submitted.entries.get(employee=org.head)
    record_result(entry=head_entry, score=Decimal("3.8"))
    client.force_login(org.chief.user)
    html = client.get(reverse("ranking:report", args=[quarter(2026, 3).pk])).content.decode()
    for name in (org.head.full_name, org.chief.full_name, *(e.full_name for e in org.staff)):
        assert name in html
    assert "3,80" in html and "4,25" in html
    assert "Выполняет функциональные обязанности не удовлетворительно" in html  # 1.75


def test_R8_report_is_for_the_chief_specialist_only(client, org, submitted):
    for employee in (org.head, org.staff[0], org.official):
        client.force_login(employee.user)
        assert client.get(reverse("ranking:report", args=[quarter(2026, 3).pk])).status_code == 404


def test_R8_report_exports_to_xlsx(client, org, submitted):
    client.force_login(org.chief.user)
    response = client.get(reverse("ranking:report", args=[quarter(2026, 3).pk]), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    data = {r[1]: r for r in rows if r and isinstance(r[0], int)}
    assert data[org.staff[0].full_name][5] == pytest.approx(3.25)
    assert data[org.staff[0].full_name][6] == "Выполняет функциональные обязанности надлежащим образом"
    assert data[org.head.full_name][6] == "оценка не завершена"
    assert "п. 8" in rows[2][0]
    assert rows[0][0] == org.organisation.name  # the full name, as on the PDF, not the short one


def test_R8_report_exports_to_pdf(client, org, submitted):
    client.force_login(org.chief.user)
    text, _pages = pdf_text(job_file(client, reverse("ranking:report", args=[quarter(2026, 3).pk]), {"format": "pdf"}))
    flat = " ".join(text.split())
    assert org.staff[1].full_name in flat and "1,75" in flat and "п. 8" in flat


def test_R8_R4_year_report_gives_the_annual_mean_of_quarters(client, org, after_q3):
    approve_quarter(org, quarter(2026, 2))
    rank(org, quarter(2026, 2), [(4, 4, 4, 4), (2, 2, 2, 2), (5, 5, 5, 5)])
    approve_quarter(org, quarter(2026, 3))
    rank(org, quarter(2026, 3), [(5, 5, 5, 5), (3, 3, 3, 3), (4, 4, 4, 4)])
    client.force_login(org.chief.user)
    html = client.get(reverse("ranking:report", args=[year_period(2026).pk])).content.decode()
    assert "среднее за год (п. 4)" in html
    assert "4,50" in html and "2,50" in html
    expected = annual_result(employee_id=org.staff[0].pk, year=2026, method=Method.RANKING)
    assert expected[0] == Decimal("2.50")
    assert PeriodResult.objects.count() == 6


def test_R4_employee_home_shows_own_annual_mean(client, org, after_q3):
    approve_quarter(org, quarter(2026, 2))
    rank(org, quarter(2026, 2), [(4, 4, 4, 4), (2, 2, 2, 3), (5, 5, 5, 5)])
    approve_quarter(org, quarter(2026, 3))
    rank(org, quarter(2026, 3), [(5, 5, 5, 5), (3, 3, 3, 3), (4, 4, 4, 4)])
    client.force_login(org.staff[0].user)
    html = client.get("/").content.decode()
    # (2.25 + 3.00) / 2 = 2.625 → 2.63 (R7 ROUND_HALF_UP)
    assert ("Среднее за 2026 год (за 2 из 4 кварталов, год не завершён) — среднее квартальных оценок (п. 4): "
            "<b>2,63</b>") in html
    assert "Итог 2026 года" not in html
    assert "Выполняет функциональные обязанности удовлетворительно" in html
