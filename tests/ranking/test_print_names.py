"""Issue 11.6 on real data: the chief specialist's signature line carries her name (form 4, the
R8 report), and the year report's ranking rows say how the person took part (R4: the mean of
the quarters, each with its own participation)."""

import io
import re

import pypdfium2 as pdfium
from django.urls import reverse

from appraisal.models import Participation, ScheduleEntry
from appraisal.pdf import chief_specialist_name, render_pdf
from ranking import reports
from ranking.models import RankingSheet
from tests.factories import quarter, year_period
from tests.ranking.conftest import approve_quarter
from tests.ranking.test_pdf_and_report import rank


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(io.BytesIO(content))
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    finally:
        document.close()


def two_quarters(org):
    approve_quarter(org, quarter(2026, 2))
    rank(org, quarter(2026, 2), [(4, 4, 4, 4), (2, 2, 2, 2), (5, 5, 5, 5)])
    approve_quarter(org, quarter(2026, 3))
    rank(org, quarter(2026, 3), [(5, 5, 5, 5), (3, 3, 3, 3), (4, 4, 4, 4)])


def test_chief_specialist_name_is_whoever_holds_the_role(org):
    assert chief_specialist_name(org.organisation) == org.chief.short_name
    assert chief_specialist_name(org.organisation.name) == ""  # a name only: nothing to look up


def test_R3_form4_prints_the_chief_specialists_name_on_her_line(client, org, opened):
    rank(org, quarter(2026, 3), [(5, 4, 4, 4), (3, 3, 4, 3), (2, 2, 2, 1)])
    sheet = RankingSheet.objects.get(entry__employee=org.staff[0])
    client.force_login(org.staff[0].user)
    response = client.get(reverse("ranking:sheet_pdf", args=[sheet.pk]))
    text = pdf_text(response.content)
    assert re.search(r"Главный специалист по делопроизводству и кадровым вопросам.{0,80}"
                     + re.escape(org.chief.short_name), text), text


def test_R8_R4_year_report_fills_participation_of_the_annual_rows(org, after_q3):
    two_quarters(org)
    report = reports.decision_report(organisation=org.organisation, period=year_period(2026))
    annual = [row for row in report.rows if row.quarters]
    assert annual and all(row.participation == "с участием" for row in annual)


def test_R8_R4_year_report_names_quarters_of_each_participation(org, after_q3):
    two_quarters(org)
    ScheduleEntry.objects.filter(employee=org.staff[0], schedule__period=quarter(2026, 3)).update(
        participation=Participation.WITHOUT)
    report = reports.decision_report(organisation=org.organisation, period=year_period(2026))
    row = next(r for r in report.rows if r.quarters and r.employee == org.staff[0].full_name)
    assert row.participation == "с участием (II кв.); без участия (III кв.)"


def test_R8_year_report_pdf_has_participation_and_the_chiefs_name(org, after_q3):
    two_quarters(org)
    report = reports.decision_report(organisation=org.organisation, period=year_period(2026))
    text = pdf_text(render_pdf("pdf/decision_report.html", {
        "report": report, "organisation": org.organisation.name, "form_title": report.title, "appendix": "п. 8"}))
    assert text.count("с участием") >= len([r for r in report.rows if r.quarters])
    assert re.search(r"Главный специалист по делопроизводству и кадровым вопросам.{0,80}"
                     + re.escape(org.chief.short_name), text), text
