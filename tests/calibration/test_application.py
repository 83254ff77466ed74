"""R12, R37: the application for a calibration session."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from appraisal.models import Acknowledgement, OutboxMessage
from calibration.models import CalibrationCase, CaseState
from calibration.services import applications
from tests.calibration.conftest import ACKNOWLEDGED, acknowledge, at, file, working_day

pytestmark = pytest.mark.django_db


def test_R12_application_accepted_on_the_fifth_working_day_after_acknowledgement(org, result):
    acknowledge(result)
    due = working_day(ACKNOWLEDGED.date(), 5)
    case = file(result, at(due, 17))
    assert case.state == CaseState.FILED
    assert case.acknowledged_on == ACKNOWLEDGED.date() and case.application_due == due


def test_R12_application_the_day_after_the_fifth_working_day_is_refused_and_nothing_saved(org, result):
    acknowledge(result)
    due = working_day(ACKNOWLEDGED.date(), 5)
    with pytest.raises(ValidationError) as refused:
        file(result, at(due + dt.timedelta(days=1), 9))
    assert "п. 12" in refused.value.messages[0] and due.strftime("%d.%m.%Y") in refused.value.messages[0]
    assert not CalibrationCase.objects.exists()
    assert not OutboxMessage.objects.filter(rule_id="R12").exists()


def test_R12_five_working_days_skip_weekends_and_holidays(org, result):
    # Acknowledged on Tuesday 6.10.2026: the fifth working day is Tuesday 13.10.2026.
    acknowledge(result)
    assert applications.application_due(result) == dt.date(2026, 10, 13)


def test_R12_second_application_for_the_same_result_is_refused(org, result):
    acknowledge(result)
    first = file(result, at(dt.date(2026, 10, 7)))
    with pytest.raises(ValidationError) as refused:
        file(result, at(dt.date(2026, 10, 8)), text="Ещё раз")
    assert "п. 12" in refused.value.messages[0] and "уже подано" in refused.value.messages[0]
    assert list(CalibrationCase.objects.all()) == [first]
    assert CalibrationCase.objects.get().application.startswith("Не согласна")


def test_R12_filing_records_the_acknowledgement_when_it_was_not_recorded(org, result):
    case = file(result, at(dt.date(2026, 10, 9)))
    acknowledgement = Acknowledgement.objects.get(result=result)
    assert acknowledgement.acknowledged_on == dt.date(2026, 10, 9) == case.acknowledged_on


def test_R12_only_the_evaluated_person_applies(org, result):
    acknowledge(result)
    with time_machine.travel(at(dt.date(2026, 10, 7)), tick=False), pytest.raises(PermissionDenied) as refused:
        applications.file_application(result=result, by=org.head.user, text="…")
    assert "п. 12" in str(refused.value)
    assert not CalibrationCase.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "я" * 4001])
def test_R12_application_text_required_and_not_cut(org, result, text):
    acknowledge(result)
    with pytest.raises(ValidationError) as refused:
        file(result, at(dt.date(2026, 10, 7)), text=text)
    assert "п. 12" in refused.value.messages[0]
    assert not CalibrationCase.objects.exists()


def test_R12_appointing_official_is_notified_through_the_outbox(org, result):
    acknowledge(result)
    case = file(result, at(dt.date(2026, 10, 7)))
    messages = OutboxMessage.objects.filter(rule_id="R12")
    assert {m.recipient for m in messages} >= {org.official.email}
    assert all(str(case.result.score) not in m.body for m in messages)  # the notice names no score


def test_R37_the_case_opens_from_the_application_with_its_deadlines(org, result):
    acknowledge(result)
    case = file(result, at(dt.date(2026, 10, 7)))
    assert case.composition_due == working_day(dt.date(2026, 10, 7), 3)
    assert case.session_due == working_day(dt.date(2026, 10, 7), 10)


def test_R12_panel_shows_the_last_day_and_the_page_refuses_late_naming_the_rule(org, result):
    acknowledge(result)
    client = Client()
    client.force_login(org.staff[0].user)
    with time_machine.travel(at(dt.date(2026, 10, 7)), tick=False):
        page = client.get(reverse("result_detail", args=[result.pk])).content.decode()
        assert "13.10.2026" in page and 'id="calibration-apply"' in page
    with time_machine.travel(at(dt.date(2026, 10, 14)), tick=False):
        client.force_login(org.staff[0].user)  # sessions expire (settings): log in on the day
        page = client.get(reverse("result_detail", args=[result.pk])).content.decode()
        assert 'id="calibration-apply"' not in page and "п. 12" in page
        response = client.post(reverse("calibration:apply", args=[result.pk]), {"text": "поздно"}, follow=True)
        assert "п. 12" in response.content.decode()
    assert not CalibrationCase.objects.exists()


def test_R12_page_files_the_application(org, result):
    acknowledge(result)
    client = Client()
    client.force_login(org.staff[0].user)
    with time_machine.travel(at(dt.date(2026, 10, 7)), tick=False):
        response = client.post(reverse("calibration:apply", args=[result.pk]), {"text": "Прошу пересмотреть"})
    case = CalibrationCase.objects.get()
    assert response.url == reverse("calibration:case", args=[case.pk])


def test_R12_another_persons_result_is_404_for_applying(org, result):
    client = Client()
    client.force_login(org.staff[1].user)
    response = client.post(reverse("calibration:apply", args=[result.pk]), {"text": "x"})
    assert response.status_code == 404
    assert not CalibrationCase.objects.exists()
