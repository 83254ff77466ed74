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


# --- pages: the chief specialist only, with a link to confirm -----------------------------

def _html(client, user, url="/") -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_R27_default_notes_absent_from_every_home_but_the_chiefs(client, org):
    for who in (org.chairman, org.official, org.head, org.staff[0]):
        assert NOTE not in _html(client, who.user), who


def test_R27_chief_home_and_table_page_carry_the_note_with_a_link_to_confirm(client, org):
    home = _html(client, org.chief.user)
    assert 'id="kci-table-default"' in home and reverse("kci:score_table") + "#confirm-table" in home
    assert 'id="ranking-weights-default"' in home
    assert reverse("admin:ranking_rankingparameter_changelist") in home  # form 4's weights are confirmed there
    table = _html(client, org.chief.user, reverse("kci:score_table"))
    assert NOTE in table and 'href="#confirm-table"' in table and 'id="confirm-table"' in table


def test_R27_table_page_shows_no_note_to_others(client, org):
    client.force_login(org.chairman.user)
    response = client.get(reverse("kci:score_table"))
    assert response.status_code in (200, 404)
    assert NOTE not in response.content.decode()


def test_R31_ranking_page_of_the_evaluator_has_no_default_note(client, org):
    with time_machine.travel(AFTER_Q3, tick=False):
        approve_quarter(org)
        html = _html(client, org.head.user, reverse("ranking:evaluate", args=[quarter(2026, 3).pk]))
    assert NOTE not in html and DEFAULT not in html


def test_R33_questionnaire_and_report_pages_have_no_default_note(client, finished_survey):
    org = finished_survey
    assert org.subject.questionnaire.is_default
    report = _html(client, org.staff[0].user, reverse("survey360:report", args=[org.subject.pk]))
    assert NOTE not in report


def test_R33_open_questionnaire_has_no_default_note_and_chief_home_links_the_questionnaires(client, db):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 0), tick=False):
        org = make_org(2)
        schedule = approved_year_schedule(org)
        campaign = survey_services.create_campaign(organisation=org.organisation, period=schedule.period,
                                                   by=org.chief.user)
        survey_services.open_campaign(campaign=campaign, by=org.chief.user)
        subject = subject_of(campaign, org.staff[0])
        assert subject.questionnaire.is_default
        respondent = subject.respondents.select_related("employee__user").first().employee
        html = _html(client, respondent.user, reverse("survey360:assess", args=[subject.pk]))
        assert "survey360-form" in html and NOTE not in html
        own = _html(client, org.staff[0].user, reverse("survey360:self", args=[subject.pk]))
        assert NOTE not in own
        home = _html(client, org.chief.user)
    assert "survey360-default" in home and "/admin/survey360/questionnaire/" in home
