"""R41.2: the calibrated value is the result — on the sheet pages and PDFs, the employee's
home panel, the R8 report and its export — with the original beside it."""

import datetime as dt
import io
import subprocess

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.calibration.conftest import at, calibrate, ranked

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_R41_2_sheet_page_pdf_and_home_panel_show_the_value_in_force_with_the_original(org, tmp_path):
    result, sheet = ranked(org)
    calibrate(org, result, "4.50")
    with time_machine.travel(at(dt.date(2026, 10, 26)), tick=False):
        employee = _client(org.staff[0].user)
        page = employee.get(reverse("ranking:sheet", args=[sheet.pk])).content.decode()
        assert 'class="result-in-force"' in page and "4,50" in page and "3,00" in page
        assert "протокол калибровочной сессии от" in page
        home = employee.get(reverse("home")).content.decode()
        assert "4,50" in home and "исходный результат" in home
        pdf = employee.get(reverse("ranking:sheet_pdf", args=[sheet.pk])).content
    (tmp_path / "form4.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "form4.pdf"), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert "Результат в силе" in text and "4,50" in text and "исходный результат" in text


def test_R41_2_decision_report_and_its_export_carry_the_original(org):
    from openpyxl import load_workbook

    result, _sheet = ranked(org)
    calibrate(org, result, "4.50")
    period = result.entry.schedule.period
    with time_machine.travel(at(dt.date(2026, 10, 26)), tick=False):
        chief = _client(org.chief.user)
        page = chief.get(reverse("ranking:report", args=[period.pk])).content.decode()
        workbook = chief.get(reverse("ranking:report", args=[period.pk]) + "?format=xlsx").content
    assert "4,50" in page and "исходная" in page
    sheet = load_workbook(io.BytesIO(workbook)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r and r[0] == "№")
    row = next(r for r in rows if r and r[1] == org.staff[0].full_name)
    assert row[5] == 4.5 and row[header.index("Исходная оценка (до изменения)")] == 3.0
