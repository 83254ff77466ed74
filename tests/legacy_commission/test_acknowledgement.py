"""R65, R66: the employee is acquainted with the chapter-6 result (a gradation, no score)
within two working days of its approval, in the application or by the R11.2 channels — through
the core acknowledgement services, not a copy."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from appraisal.models import AcknowledgementChannel, OutboxMessage, PeriodResult
from appraisal.services.acknowledgement import (
    acknowledge,
    acknowledged_on,
    acknowledgement_due,
    record_notice,
    status_of,
)
from appraisal.workdays import WorkingCalendar
from legacy_commission.models import CommissionMeeting
from legacy_commission.services import commission as svc
from tests.conftest import make_org
from tests.legacy_commission.commission_helpers import ALMATY, make_commission, on, submitted_sheets

MEETING_DAY = dt.date(2022, 7, 20)  # Wednesday; approved the same day


@pytest.fixture
def result(db):
    org = make_org(n_staff=1)
    sheets = submitted_sheets(org, org.staff[:1], achieved=(4,))
    board = make_commission(org, n_members=2)
    with on(dt.date(2022, 7, 15)):
        meeting = svc.schedule_meeting(commission=board.commission, date=MEETING_DAY, place="зал", sheets=sheets,
                                       by=org.chief.user)
    with on(MEETING_DAY):
        svc.open_meeting(meeting=meeting, present=[board.chairman.pk, *[m.pk for m in board.members]],
                         by=org.chief.user)
        item = meeting.items.get()
        for member in [board.chairman, *board.members]:
            svc.cast_vote(item=item, by=member.employee.user, choice="approve")
        svc.close_voting(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.chief.user)
    with on(MEETING_DAY, hour=16):
        svc.approve_results(meeting=CommissionMeeting.objects.get(pk=meeting.pk), by=org.official.user)
    result = PeriodResult.objects.get()
    assert result.score is None and result.gradation == "proper"
    return org, result


def test_R65_due_two_working_days_after_the_approval(result):
    _org, result = result
    assert acknowledgement_due(result) == dt.date(2022, 7, 22)  # Thu, Fri


def test_R65_the_employee_is_told_on_approval_without_the_result_in_the_notice(result):
    org, result = result
    notices = OutboxMessage.objects.filter(user=org.staff[0].user, rule_id="R65")
    assert notices.exists()
    assert all("надлежащим" not in m.body and "п. 65" in m.body for m in notices)


def test_R65_acknowledged_in_the_app_on_the_due_day_is_on_time(result):
    org, result = result
    at = dt.datetime(2022, 7, 22, 17, tzinfo=ALMATY)
    with on(dt.date(2022, 7, 22), hour=17):
        acknowledge(result=result, user=org.staff[0].user, at=at)
        status = status_of(PeriodResult.objects.get(pk=result.pk), calendar=WorkingCalendar.load(),
                           today=dt.date(2022, 7, 22))
    assert acknowledged_on(result) == dt.date(2022, 7, 22) and not status.late


def test_R65_acknowledged_the_day_after_the_due_day_is_late(result):
    org, result = result
    with on(dt.date(2022, 7, 25)):
        acknowledge(result=result, user=org.staff[0].user)
        status = status_of(PeriodResult.objects.get(pk=result.pk), calendar=WorkingCalendar.load(),
                           today=dt.date(2022, 7, 25))
    assert status.late and acknowledged_on(result) == dt.date(2022, 7, 25)


def test_R66_notice_by_telephonogram_with_its_number_is_the_proof(result):
    org, result = result
    with on(dt.date(2022, 7, 21)):
        acknowledgement = record_notice(result=result, by=org.chief.user, channel=AcknowledgementChannel.TELEPHONOGRAM,
                                        date=dt.date(2022, 7, 21), reference="телефонограмма № 17")
    assert acknowledgement.channel == "telephonogram" and acknowledged_on(result) == dt.date(2022, 7, 21)


def test_R66_notice_without_proof_refused_naming_the_rule_nothing_saved(result):
    org, result = result
    with on(dt.date(2022, 7, 21)), pytest.raises(ValidationError) as exc:
        record_notice(result=result, by=org.chief.user, channel=AcknowledgementChannel.REGISTERED_LETTER,
                      date=dt.date(2022, 7, 21))
    assert "п. 66" in str(exc.value)
    assert acknowledged_on(result) is None


# --- R8: the chapter-6 result joins the rest ------------------------------------------


def test_R8_report_and_its_exports_show_the_chapter6_gradation_without_a_score(result):
    import io

    from django.test import Client
    from django.urls import reverse
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from tests.job_client import job_file

    org, result = result
    client = Client()
    client.force_login(org.chief.user)
    url = reverse("ranking:report", kwargs={"period_id": result.entry.schedule.period_id})
    page = client.get(url).content.decode()
    assert org.staff[0].full_name in page and "надлежащим образом" in page
    workbook = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    rows = [row for row in workbook.active.iter_rows(values_only=True) if row and row[1] == org.staff[0].full_name]
    assert rows and rows[0][5] is None and "надлежащим образом" in rows[0][6]
    pdf = job_file(client, url, {"format": "pdf"})  # the PDF is made by a background job (issue 12.5)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "надлежащим образом" in text


def test_R20_the_employee_sees_the_chapter6_result_on_their_result_page(result):
    from django.test import Client
    from django.urls import reverse

    org, result = result
    client = Client()
    client.force_login(org.staff[0].user)
    page = client.get(reverse("result_detail", kwargs={"result_id": result.pk}))
    assert page.status_code == 200 and "надлежащим образом" in page.content.decode()
    outsider = Client()
    outsider.force_login(org.staff[0].user.__class__.objects.create(username="colleague"))
    assert outsider.get(reverse("result_detail", kwargs={"result_id": result.pk})).status_code == 404
