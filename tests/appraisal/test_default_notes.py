"""Issue 11, point 5: the «значение по умолчанию — сверьте с утверждённой методикой» notes
(R27 appendix 3, form 4's weights, the 360 questionnaire texts) are a task of the chief
specialist. They are never printed on a form (forms 3 and 4, the 360 report)."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from ranking.models import RankingSheet
from survey360 import services as survey_services
from tests.conftest import make_org
from tests.factories import quarter
from tests.ranking.conftest import AFTER_Q3, approve_quarter
from tests.ranking.test_pdf_and_report import rank
from tests.survey360.conftest import answer, approved_year_schedule, subject_of, values_for

NOTE = "сверьте с утверждённой"
DEFAULT = "значение по умолчанию"


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


def _assert_no_note(text: str) -> None:
    assert NOTE not in text and DEFAULT not in text


# --- printed forms ----------------------------------------------------------------------

def test_R27_form_3_pdf_never_carries_the_default_note(client, org):
    client.force_login(org.chief.user)
    text = pdf_text(client.get(reverse("kci:score_table_pdf")))
    assert "100 % и более" in text  # the default table itself is printed
    _assert_no_note(text)


def test_R3_form_4_pdf_never_carries_the_default_note(client, org):
    with time_machine.travel(AFTER_Q3, tick=False):
        _form_4_pdfs_without_note(client, org)


def _form_4_pdfs_without_note(client, org):
    approve_quarter(org)
    rank(org, quarter(2026, 3), [(5, 4, 4, 4), (3, 3, 4, 3), (2, 2, 2, 1)])
    sheet = RankingSheet.objects.get(entry__employee=org.staff[0])
    for who in (org.staff[0], org.chief):
        client.force_login(who.user)
        text = pdf_text(client.get(reverse("ranking:sheet_pdf", args=[sheet.pk])))
        assert "Форма 4" in text
        _assert_no_note(text)


@pytest.fixture
def finished_survey(db):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 0), tick=False):
        org = make_org(2)
        schedule = approved_year_schedule(org)
        campaign = survey_services.create_campaign(organisation=org.organisation, period=schedule.period,
                                                   by=org.chief.user)
        survey_services.open_campaign(campaign=campaign, by=org.chief.user)
        subject = subject_of(campaign, org.staff[0])
        assert subject.questionnaire.is_default
        survey_services.submit_self_assessment(subject=subject, by=org.staff[0].user, values=values_for(subject, 5))
        for value, r in zip([2, 3, 4], subject.respondents.select_related("employee")):
            answer(subject, r.employee, value)
        survey_services.close_campaign(campaign=campaign, by=org.chief.user)
        org.campaign, org.subject = campaign, subject
        yield org


def test_R36_360_report_pdf_never_carries_the_default_note(client, finished_survey):
    org = finished_survey
    for who in (org.staff[0], org.chief):
        client.force_login(who.user)
        text = pdf_text(client.get(reverse("survey360:report_pdf", args=[org.subject.pk])))
        assert "Приложение 7" in text
        _assert_no_note(text)
