"""R47, R48 (chapter 6): the KCI score sheet of appendix 10 — achieved or not with the
evidence, the gradation from the count achieved, files kept privately, the draft form."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from appraisal.scoring import Gradation
from legacy_commission.models import LegacyEvidence, LegacySheet, LegacySheetLine, LegacySheetState, gradation_for_count
from legacy_commission.services import plans, sheets
from tests.factories import EmployeeFactory, UserFactory
from tests.legacy_commission.legacy_setup import (
    SHEET_DAY,
    approved_plan,
    filled_sheet,
    fresh,
    legacy_entry,
    on,
    plan_with_kcis,
    sent_sheet,
)

pytestmark = pytest.mark.django_db
D = dt.date
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def entry(org):
    return legacy_entry(org)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(("achieved", "gradation"), [
    (5, Gradation.EFFECTIVE), (4, Gradation.PROPER), (3, Gradation.SATISFACTORY),
    (2, Gradation.UNSATISFACTORY), (1, Gradation.UNSATISFACTORY), (0, Gradation.UNSATISFACTORY),
])
def test_R48_gradation_from_the_count_of_kcis_achieved(org, entry, achieved, gradation):
    sheet = filled_sheet(org, entry, achieved=achieved)
    assert sheet.achieved_count == achieved
    assert sheet.gradation == gradation == gradation_for_count(achieved)


def test_R48_no_gradation_until_every_kci_is_marked(org, entry):
    plan = approved_plan(org, entry)
    with on(SHEET_DAY):
        sheet = sheets.open_sheet(plan=plan, by=org.head.user)
        line = sheet.lines.order_by("kci__number").first()
        sheets.save_line(line=line, by=org.head.user, achieved="yes", evidence="акт")
    sheet = fresh(sheet)
    assert sheet.achieved_count == 1 and sheet.gradation is None


def test_R48_sheet_opens_only_after_the_period_of_the_plan(org, entry):
    plan = approved_plan(org, entry)
    with on(D(2022, 12, 31)), pytest.raises(ValidationError, match=r"п\. 48"):
        sheets.open_sheet(plan=plan, by=org.head.user)
    assert not LegacySheet.objects.exists()
    with on(D(2023, 1, 1)):
        sheet = sheets.open_sheet(plan=plan, by=org.head.user)
    assert sheet.lines.count() == 5 and sheet.state == LegacySheetState.DRAFT


def test_R47_only_the_direct_supervisor_fills_the_sheet_of_an_approved_plan(org, entry):
    plan = plan_with_kcis(org, entry)
    with on(SHEET_DAY), pytest.raises(ValidationError, match=r"п\. 44"):
        sheets.open_sheet(plan=plan, by=org.head.user)
    assert not LegacySheet.objects.exists()
    with on(SHEET_DAY):
        plans.plan_transition(plan=plan, name="submit", by=org.head.user)
        plans.plan_transition(plan=fresh(plan), name="approve", by=org.chairman.user)
        for user in (org.chairman.user, org.chief.user, org.staff[0].user):
            with pytest.raises(PermissionDenied, match=r"п\. 47"):
                sheets.open_sheet(plan=fresh(plan), by=user)
        assert not LegacySheet.objects.exists()
        sheet = sheets.open_sheet(plan=fresh(plan), by=org.head.user)
        line = sheet.lines.order_by("kci__number").first()
        sheets.save_line(line=line, by=org.head.user, achieved="да", evidence="акт")
        for user in (org.chairman.user, org.chief.user, org.staff[0].user):
            with pytest.raises(PermissionDenied, match=r"п\. 47"):
                sheets.save_line(line=line, by=user, achieved="no", evidence="")
    assert fresh(line).achieved is True and fresh(line).evidence == "акт"


@pytest.mark.parametrize("value", ["maybe", "2", "частично"])
def test_R48_achieved_is_fully_met_yes_or_no_anything_else_refused(org, entry, value):
    sheet = filled_sheet(org, entry)
    line = sheet.lines.order_by("kci__number").first()
    with on(SHEET_DAY), pytest.raises(ValidationError, match=r"п\. 48"):
        sheets.save_line(line=line, by=org.head.user, achieved=value, evidence="иное")
    assert fresh(line).achieved is True and fresh(line).evidence == "отчёт по КЦИ 1"


def test_R47_evidence_files_are_checked_by_their_bytes_and_served_only_to_those_who_see_the_sheet(org, entry):
    sheet = filled_sheet(org, entry)
    line = sheet.lines.order_by("kci__number").first()
    with on(SHEET_DAY):
        with pytest.raises(ValidationError, match="PDF"):
            sheets.add_evidence(line=line, by=org.head.user,
                                uploaded=SimpleUploadedFile("akt.pdf", b"MZ\x90\x00not a pdf", "application/pdf"))
        assert not LegacyEvidence.objects.exists()
        evidence = sheets.add_evidence(line=line, by=org.head.user,
                                       uploaded=SimpleUploadedFile("акт выполненных работ.pdf", PDF_BYTES, "text/html"))
    assert evidence.original_name == "акт выполненных работ.pdf" and evidence.file.name.endswith(".pdf")
    url = reverse("legacy_commission:evidence_file", kwargs={"legacy_sheet_id": sheet.pk, "legacy_file_id": evidence.pk})
    served = client_for(org.chairman.user).get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF_BYTES and served["X-Content-Type-Options"] == "nosniff"
    outsider = EmployeeFactory(organisation=org.organisation, user=UserFactory(username="colleague"))
    for user in (outsider.user, org.staff[1].user, org.staff[0].user):  # the person: the sheet is a draft
        assert client_for(user).get(url).status_code == 404
    with pytest.raises(ValueError):
        evidence.file.url  # private storage has no URL


def test_R47_achieved_kci_without_evidence_cannot_be_sent(org, entry):
    sheet = filled_sheet(org, entry, achieved=2)
    line = sheet.lines.order_by("kci__number").first()
    with on(SHEET_DAY):
        sheets.save_line(line=line, by=org.head.user, achieved=True, evidence="")
        with pytest.raises(ValidationError, match=r"п\. 51: .*№ 1"):
            sheets.send_sheet(sheet=fresh(sheet), by=org.head.user)
    assert fresh(sheet).state == LegacySheetState.DRAFT and not fresh(sheet).rounds.exists()


def test_R47_form_10_is_a_draft_for_evaluators_and_hidden_from_the_person_until_signed(org, entry):
    sheet = sent_sheet(org, entry, achieved=4)
    url = reverse("legacy_commission:sheet_pdf", kwargs={"legacy_sheet_id": sheet.pk})
    draft = client_for(org.head.user).get(url)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(draft.content)).pages)
    assert "ПРОЕКТ" in text and "Приложение 10" in text and "4 из 5" in text
    person = client_for(org.staff[0].user)
    assert person.get(url).status_code == 404
    assert person.get(reverse("legacy_commission:sheet_detail", kwargs={"legacy_sheet_id": sheet.pk})).status_code == 404
    with on(SHEET_DAY):
        sheets.sign_sheet(sheet=fresh(sheet), by=org.chairman.user)
    signed = person.get(url)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(signed.content)).pages)
    assert signed.status_code == 200 and "ПРОЕКТ" not in text
    assert "надлежащим" in text  # 4 of 5: proper (R48)


def test_R47_sheet_page_marks_kcis_and_shows_the_count(org, entry):
    plan = approved_plan(org, entry)
    client = client_for(org.head.user)
    with on(SHEET_DAY):
        opened = client.post(reverse("legacy_commission:sheet_open", kwargs={"legacy_plan_id": plan.pk}))
        sheet = LegacySheet.objects.get()
        assert opened.status_code == 302
        for line in sheet.lines.all():
            client.post(reverse("legacy_commission:line_save",
                                kwargs={"legacy_sheet_id": sheet.pk, "legacy_line_id": line.pk}),
                        {"achieved": "yes", "evidence": "отчёт", "file": SimpleUploadedFile("a.pdf", PDF_BYTES)})
        page = client.get(reverse("legacy_commission:sheet_detail", kwargs={"legacy_sheet_id": sheet.pk}))
    html = page.content.decode()
    assert "5 из 5" in html and "эффективно" in html and LegacyEvidence.objects.count() == 5


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(achieved=st.one_of(st.booleans(), st.none(), st.text(max_size=8), st.integers(-3, 3)),
       evidence=st.text(max_size=4100))
def test_R47_any_line_input_is_stored_as_given_or_refused_with_nothing_saved(org, achieved, evidence):
    if not LegacySheet.objects.exists():
        filled_sheet(org, legacy_entry(org))
    line = LegacySheetLine.objects.order_by("kci__number").first()
    before = (line.achieved, line.evidence)
    with on(SHEET_DAY):
        try:
            sheets.save_line(line=line, by=org.head.user, achieved=achieved, evidence=evidence)
        except ValidationError as exc:
            assert all("п. 4" in m for m in exc.messages), exc.messages
            stored = LegacySheetLine.objects.get(pk=line.pk)
            assert (stored.achieved, stored.evidence) == before
            return
    stored = LegacySheetLine.objects.get(pk=line.pk)
    assert stored.evidence == evidence.strip() and stored.achieved in (True, False, None)


def test_R47_a_refused_file_leaves_the_line_as_it_was(org, entry):
    sheet = filled_sheet(org, entry)
    line = sheet.lines.order_by("kci__number").first()
    client = client_for(org.head.user)
    with on(SHEET_DAY):
        client.post(reverse("legacy_commission:line_save", kwargs={"legacy_sheet_id": sheet.pk, "legacy_line_id": line.pk}),
                    {"achieved": "no", "evidence": "иное", "file": SimpleUploadedFile("x.pdf", b"<html>not a pdf")})
    stored = fresh(line)
    assert (stored.achieved, stored.evidence) == (True, "отчёт по КЦИ 1") and not LegacyEvidence.objects.exists()


def test_R48_the_result_page_shows_the_sheet_and_its_gradation_to_the_person(org, entry):
    from appraisal.services.results import record_gradation

    sheet = sent_sheet(org, entry, achieved=3)
    with on(SHEET_DAY):
        sheets.sign_sheet(sheet=fresh(sheet), by=org.chairman.user)
        sheets.submit_to_commission(sheet=fresh(sheet), by=org.chief.user)
        # The Commission approves (legacy_commission.services.commission) and records it so:
        result = record_gradation(entry=entry, gradation=fresh(sheet).gradation)
    page = client_for(org.staff[0].user).get(reverse("result_detail", kwargs={"result_id": result.pk}))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="legacy-result-panel"' in html
    assert "3 из 5" in html and "удовлетворительно" in html
    assert reverse("legacy_commission:sheet_detail", kwargs={"legacy_sheet_id": sheet.pk}) in html
