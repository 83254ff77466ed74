"""Issue 11: a draft is never shown as a result (R20), and a printed draft says so (R3).

A sheet or plan that is not final does not reach the evaluated person in any form — the PDF
URLs answer 404 to her on GET and POST alike — while her evaluator and the chief specialist may
print it, with «ПРОЕКТ» across every page. Once final, she gets the form without the mark.

Forms 1, 2 and 4 have drafts that evaluators print marked. The 360 report PDF and the calibration
protocol have no printable draft at all: the report exists only once the campaign's results are
published, the protocol only once signed (and to the person only once posted). Forms 9–11 of
chapter 6 use the same `draft` flag of templates/pdf/base.html (tests/legacy_commission).
"""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from calibration.models import CaseState
from calibration.services import session
from kci import services as kci_services
from kci.models import PlanState, SheetState
from ranking.models import RankingSheet
from ranking.models import SheetState as RankingState
from ranking.selectors import sheets_to_evaluate
from ranking.services import save_ranking
from survey360 import services as survey_services
from tests.calibration.conftest import at, case, held, result  # noqa: F401 — fixtures of chapter 5
from tests.factories import quarter
from tests.job_client import job_file
from tests.kci.conftest import approved_schedule, head_entry, plan_with_kcis, posted_plan, sent_sheet
from tests.ranking.conftest import AFTER_Q3, approve_quarter
from tests.survey360.conftest import answer, at_collecting, open_survey, subject_of, survey, values_for  # noqa: F401 — fixtures of chapter 4

CODES = ("quality", "deadlines", "initiative", "discipline")
MARK = "ПРОЕКТ"


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]


def assert_404_get_and_post(client, user, url):
    client.force_login(user)
    assert client.get(url).status_code == 404, url
    assert client.post(url).status_code == 404, url


def _pdf(client, url):
    """The PDF at `url`; a combined PDF is made by a background job (answers GET with 405)."""
    response = client.get(url)
    return job_file(client, url) if response.status_code == 405 else response


def assert_marked_on_every_page(client, user, url) -> list[str]:
    client.force_login(user)
    pages = pdf_pages(_pdf(client, url))
    assert pages and all(MARK in page for page in pages), url
    return pages


def assert_unmarked(client, user, url) -> list[str]:
    client.force_login(user)
    pages = pdf_pages(_pdf(client, url))
    assert all(MARK not in page for page in pages), url
    return pages


# --- chapter 3: form 4 (ranking) ----------------------------------------------------------


@pytest.fixture
def ranking_q3(org):
    with time_machine.travel(AFTER_Q3, tick=False):
        approve_quarter(org)
        yield quarter(2026, 3)


def _rank(org, period, points, submit):
    sheets = list(sheets_to_evaluate(org.head.user, period))
    raw = {s.pk: dict(zip(CODES, map(str, p), strict=True)) for s, p in zip(sheets, points, strict=True)}
    save_ranking(sheets=sheets, raw=raw, by=org.head.user, submit=submit)


POINTS = [(5, 4, 4, 4), (3, 3, 4, 3), (2, 2, 2, 1)]


def test_R20_ranking_draft_sheet_pdf_is_404_for_the_evaluated_person(client, org, ranking_q3):
    """The case of the issue: the head saved a draft; the employee's own form 4 and the
    quarter's combined form 4 are 404 for her (GET and POST), not a finished-looking form."""
    _rank(org, ranking_q3, POINTS, submit=False)
    sheet = RankingSheet.objects.get(entry__employee=org.staff[0])
    assert sheet.state == RankingState.DRAFT
    assert_404_get_and_post(client, org.staff[0].user, reverse("ranking:sheet_pdf", args=[sheet.pk]))
    assert_404_get_and_post(client, org.staff[0].user, reverse("ranking:quarter_pdf", args=[ranking_q3.pk]))


def test_R3_ranking_draft_pdf_says_project_on_every_page_for_evaluator_and_chief(client, org, ranking_q3):
    _rank(org, ranking_q3, POINTS, submit=False)
    sheet = RankingSheet.objects.get(entry__employee=org.staff[0])
    quarter_url = reverse("ranking:quarter_pdf", args=[ranking_q3.pk])
    for user in (org.head.user, org.chief.user):
        assert_marked_on_every_page(client, user, reverse("ranking:sheet_pdf", args=[sheet.pk]))
    assert len(assert_marked_on_every_page(client, org.head.user, quarter_url)) == 3
    # The chief specialist is evaluated too: her own draft is left out of her print.
    pages = assert_marked_on_every_page(client, org.chief.user, quarter_url)
    assert len(pages) == 2 and all(org.chief.full_name not in page for page in pages)
    own = RankingSheet.objects.get(entry__employee=org.chief)
    assert_404_get_and_post(client, org.chief.user, reverse("ranking:sheet_pdf", args=[own.pk]))


def test_R3_ranking_sent_sheet_pdf_reaches_the_person_without_the_mark(client, org, ranking_q3):
    _rank(org, ranking_q3, POINTS, submit=True)
    sheet = RankingSheet.objects.get(entry__employee=org.staff[0])
    assert sheet.state == RankingState.SUBMITTED
    pages = assert_unmarked(client, org.staff[0].user, reverse("ranking:sheet_pdf", args=[sheet.pk]))
    assert org.staff[0].full_name in pages[0]
    pages = assert_unmarked(client, org.staff[0].user, reverse("ranking:quarter_pdf", args=[ranking_q3.pk]))
    assert len(pages) == 1  # her own sheet only
    assert_unmarked(client, org.head.user, reverse("ranking:quarter_pdf", args=[ranking_q3.pk]))


# --- chapter 2: forms 1 and 2 (KCI) -------------------------------------------------------


@pytest.fixture
def kci_entry(org):
    return head_entry(approved_schedule(org, quarter(2025, 2)), org)


def test_R20_kci_draft_plan_pdf_is_404_for_the_evaluated_head(client, org, kci_entry):
    plan = plan_with_kcis(org, kci_entry)
    url = reverse("kci:plan_pdf", args=[plan.pk])
    assert_404_get_and_post(client, org.head.user, url)
    kci_services.plan_transition(plan=plan, name="agree", by=org.chief.user)
    plan.refresh_from_db()
    assert plan.state == PlanState.AGREED
    assert_404_get_and_post(client, org.head.user, url)


def test_R3_kci_draft_plan_pdf_says_project_on_every_page(client, org, kci_entry):
    plan = plan_with_kcis(org, kci_entry, n=5)
    url = reverse("kci:plan_pdf", args=[plan.pk])
    for user in (org.chairman.user, org.chief.user):
        assert_marked_on_every_page(client, user, url)


def test_R3_kci_approved_plan_pdf_reaches_the_head_without_the_mark(client, org, kci_entry):
    plan = posted_plan(org, kci_entry)
    url = reverse("kci:plan_pdf", args=[plan.pk])
    for user in (org.head.user, org.chairman.user, org.chief.user):
        pages = assert_unmarked(client, user, url)
        assert "КЦИ 1" in " ".join(pages)


def test_R20_kci_sheet_not_scored_is_404_for_the_head_and_marked_for_evaluators(client, org, kci_entry):
    plan = posted_plan(org, kci_entry)
    preliminary = kci_services.ensure_sheet(plan=plan, by=org.chief.user)
    url = reverse("kci:sheet_pdf", args=[preliminary.pk])
    assert_404_get_and_post(client, org.head.user, url)
    assert_marked_on_every_page(client, org.chief.user, url)
    sheet = sent_sheet(org, plan, ["100", "50", "0"])
    assert sheet.state == SheetState.SENT
    assert_404_get_and_post(client, org.head.user, url)
    for user in (org.chairman.user, org.chief.user):
        assert_marked_on_every_page(client, user, url)


def test_R3_kci_submitted_sheet_pdf_reaches_the_head_without_the_mark(client, org, kci_entry):
    sheet = sent_sheet(org, posted_plan(org, kci_entry), ["100", "50", "0"])
    kci_services.submit_sheet(sheet=sheet, by=org.chairman.user, scores={
        line.pk: (s, "") for line, s in zip(sheet.lines.order_by("kci__number"), [5, 2, 0], strict=True)})
    url = reverse("kci:sheet_pdf", args=[sheet.pk])
    for user in (org.head.user, org.chairman.user, org.chief.user):
        pages = assert_unmarked(client, user, url)
        assert "2,33" in " ".join(pages)


# --- chapter 4: the 360 report (appendix 7) ------------------------------------------------


def test_R20_360_report_pdf_exists_only_once_the_results_are_published(open_survey):  # noqa: F811
    """While answers are collected there is no report to print, draft or not — for anyone."""
    from django.test import Client

    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    survey_services.submit_self_assessment(subject=staff0, by=org.staff[0].user, values=values_for(staff0, 5))
    for value, r in zip([2, 3, 4], staff0.respondents.select_related("employee"), strict=False):
        answer(staff0, r.employee, value)
    url = reverse("survey360:report_pdf", args=[staff0.pk])
    client = Client()
    for user in (org.staff[0].user, org.chief.user, org.head.user):
        assert_404_get_and_post(client, user, url)
    survey_services.close_campaign(campaign=org.campaign, by=org.chief.user)
    pages = assert_unmarked(client, org.staff[0].user, url)
    assert "Приложение 7" in pages[0]


# --- chapter 5: the calibration protocol --------------------------------------------------


def test_R20_calibration_protocol_reaches_the_person_only_once_posted(client, org, held):  # noqa: F811
    url = reverse("calibration:protocol_pdf", args=[held.pk])
    with time_machine.travel(at(held.session_date, 16), tick=False):
        session.save_argument(case=held, by=org.head.user, text="Аргументы")
        for person in (org.chief, org.staff[1], org.chairman, org.head):
            session.cast_vote(case=held, by=person.user, choice="keep")
        # Not drawn up yet: nobody prints it, so no draft of it exists.
        assert_404_get_and_post(client, org.chief.user, url)
        session.sign_protocol(case=held, by=org.chief.user, signed_on=held.session_date)
        held.refresh_from_db()
        assert held.state == CaseState.PROTOCOL_SIGNED
        assert_404_get_and_post(client, org.staff[0].user, url)
        assert_unmarked(client, org.chief.user, url)
        session.post_protocol(case=held, by=org.chief.user)
    with time_machine.travel(at(dt.date(2026, 10, 20), 12), tick=False):
        assert_unmarked(client, org.staff[0].user, url)


# --- chapter 6: the commission's protocol (appendix 11) -------------------------------------


def test_R3_legacy_draft_protocol_says_project_on_every_page_until_the_vote_is_closed(client, org):
    from legacy_commission.models import CommissionMeeting
    from legacy_commission.services import commission as svc
    from tests.legacy_commission.commission_helpers import make_commission, on, submitted_sheets

    sheets = submitted_sheets(org, org.staff[:2], achieved=(4, 5))
    board = make_commission(org)
    with on(dt.date(2022, 7, 15)):
        meeting = svc.schedule_meeting(commission=board.commission, date=svc.earliest_meeting_date(dt.date(2022, 7, 15)),
                                       place="зал заседаний маслихата", sheets=sheets, by=org.chief.user)
    url = reverse("legacy_commission:meeting_protocol_pdf", kwargs={"meeting_id": meeting.pk})
    assert_marked_on_every_page(client, org.chief.user, url)
    with on(meeting.date):
        present = [board.chairman.pk, *[m.pk for m in board.members[:4]], board.secretary.pk]
        svc.open_meeting(meeting=meeting, present=present, by=org.chief.user)
        assert_marked_on_every_page(client, org.chief.user, url)
        for item in meeting.items.all():
            for member in [board.chairman, *board.members]:
                svc.cast_vote(item=item, by=member.employee.user, choice="approve", gradation="")
        svc.close_voting(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.chief.user)
        assert_unmarked(client, org.chief.user, url)


def test_R3_the_mark_comes_from_the_one_base_template():
    """Every form extends templates/pdf/base.html; the mark lives there once, not per form."""
    from django.conf import settings

    pdf_dir = settings.BASE_DIR / "templates" / "pdf"
    base = (pdf_dir / "base.html").read_text()
    assert "{% if draft %}" in base and "draft-mark" in base
    for template in pdf_dir.glob("*.html"):
        if template.name != "base.html":
            text = template.read_text()
            assert '{% extends "pdf/base.html" %}' in text, template.name
            assert "draft-mark" not in text, template.name


