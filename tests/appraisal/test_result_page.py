"""The core result page results/<id>/: the person's result through the R20 selector, with the
acknowledgement (R11.1) and, for the chief specialist, the R11.2 notice form."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisal.models import Acknowledgement, Method, ScheduleEntry
from appraisal.services import acknowledgement as ack
from appraisal.services.results import adjust_result, record_gradation
from tests.appraisal.ack_helpers import GIF, PDF, approved_quarter, at, result_for

pytestmark = pytest.mark.django_db
D = dt.date
DONE = at(2024, 4, 5, 16)


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def result(org):
    return result_for(approved_quarter(org), org.staff[0], completed_at=DONE, score="3.47")


def test_R20_result_page_for_the_person_the_evaluator_and_the_chief_only(client, org, result):
    url = reverse("result_detail", args=[result.pk])
    for user in (org.staff[0].user, org.head.user, org.chief.user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert "3,47" in response.content.decode()
    for user in (org.staff[1].user, org.official.user, org.chairman.user):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        for path in (url, reverse("result_acknowledge", args=[result.pk]), reverse("result_notice", args=[result.pk])):
            assert client.post(path, {"channel": "telegram", "date": "2024-04-08", "reference": "1"}).status_code == 404
    assert not Acknowledgement.objects.exists()
    client.logout()
    assert client.get(url).status_code == 302


def test_R20_result_page_shows_period_method_participation_evaluator_value_and_completion(client, org, result):
    adjust_result(result=result, basis="протокол калибровочной сессии № 1 от 20.04.2024", score="4.10")
    client.force_login(org.staff[0].user)
    html = client.get(reverse("result_detail", args=[result.pk])).content.decode()
    for text in ("I квартал 2024 года", "методом ранжирования", "с участием", org.head.full_name, "4,10",
                 "3,47", "протокол калибровочной сессии", "05.04.2024", "09.04.2024"):
        assert text in html, text


def test_R20_result_page_of_a_chapter6_result_shows_the_gradation_without_a_score(client, org):
    schedule = approved_quarter(org)
    entry = schedule.entries.get(employee=org.staff[0])
    ScheduleEntry.objects.filter(pk=entry.pk).update(method=Method.LEGACY)
    entry.refresh_from_db()
    result = record_gradation(entry=entry, gradation="proper", completed_at=DONE)
    client.force_login(org.staff[0].user)
    response = client.get(reverse("result_detail", args=[result.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "надлежащим образом" in html and "пп. 65, 66" in html and 'class="score"' not in html


def test_R11_1_result_page_button_for_the_person_once_with_its_moment(client, org, result):
    url, post = reverse("result_detail", args=[result.pk]), reverse("result_acknowledge", args=[result.pk])
    client.force_login(org.staff[0].user)
    with time_machine.travel(at(2024, 4, 8, 9, 41), tick=False):
        assert 'id="acknowledge"' in client.get(url).content.decode()
        assert client.post(post).status_code == 302
    with time_machine.travel(at(2024, 4, 9, 15), tick=False):
        client.force_login(org.staff[0].user)  # a day later: a new session (sessions end when idle)
        client.post(post)
        html = client.get(url).content.decode()
    assert 'id="acknowledge"' not in html and "08.04.2024 09:41" in html
    assert Acknowledgement.objects.get().acknowledged_at == at(2024, 4, 8, 9, 41)


def test_R11_1_the_evaluator_and_the_chief_see_no_button_and_cannot_acknowledge(client, org, result):
    for user in (org.head.user, org.chief.user):
        client.force_login(user)
        with time_machine.travel(at(2024, 4, 8), tick=False):
            assert 'id="acknowledge"' not in client.get(reverse("result_detail", args=[result.pk])).content.decode()
            response = client.post(reverse("result_acknowledge", args=[result.pk]), follow=True)
        assert "п. 11.1: ознакомление с результатом отмечает сам оцениваемый служащий" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_R11_1_own_entries_link_to_the_result_page_and_show_the_acknowledgement(client, org, result):
    client.force_login(org.staff[0].user)
    html = client.get("/").content.decode()
    assert reverse("result_detail", args=[result.pk]) in html and "Ознакомиться" in html
    with time_machine.travel(at(2024, 4, 8, 9), tick=False):
        ack.acknowledge(result=result, user=org.staff[0].user)
    html = client.get("/").content.decode()
    assert "Ознакомиться" not in html and "08.04.2024" in html


def test_R11_2_result_page_notice_form_for_the_chief_on_a_line_without_participation(client, org, private_root):
    schedule = approved_quarter(org)
    without = result_for(schedule, org.staff[0], completed_at=DONE, without=True)
    with_participation = result_for(schedule, org.staff[1], completed_at=DONE)
    client.force_login(org.chief.user)
    assert 'id="notice-form"' in client.get(reverse("result_detail", args=[without.pk])).content.decode()
    assert 'id="notice-form"' not in client.get(reverse("result_detail", args=[with_participation.pk])).content.decode()
    client.force_login(org.head.user)  # the evaluator sees the result, not the form
    assert 'id="notice-form"' not in client.get(reverse("result_detail", args=[without.pk])).content.decode()


def test_R11_2_result_page_refuses_a_disguised_scan_and_saves_nothing_then_records_a_real_one(client, org,
                                                                                             private_root):
    result = result_for(approved_quarter(org), org.staff[0], completed_at=DONE, without=True)
    client.force_login(org.chief.user)
    url = reverse("result_notice", args=[result.pk])
    with time_machine.travel(at(2024, 4, 10), tick=False):
        response = client.post(url, {"channel": "registered_letter", "date": "2024-04-09", "reference": "",
                                     "scan": SimpleUploadedFile("scan.pdf", GIF, content_type="application/pdf")})
        assert response.status_code == 400
        assert "п. 11.2: Файл должен быть PDF, JPEG или PNG" in response.content.decode()
        assert not Acknowledgement.objects.exists()
        assert not private_root.exists() or not [p for p in private_root.rglob("*") if p.is_file()]
        response = client.post(url, {"channel": "registered_letter", "date": "2024-04-09",
                                     "reference": "уведомление № KZ 1234",
                                     "scan": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")})
        assert response.status_code == 302
        html = client.get(reverse("result_detail", args=[result.pk])).content.decode()
    assert "уведомление № KZ 1234" in html and reverse("result_notice_scan", args=[result.pk]) in html
    assert ack.acknowledged_on(result) == D(2024, 4, 9)
    assert 'id="notice-form"' not in html  # recorded once
