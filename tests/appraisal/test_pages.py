"""Every page of the core answers the right role and shows what the rules need (rule labels with dates)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from appraisal.models import WorkingDayOverride
from appraisal.services.schedules import generate_schedule, submit_schedule
from tests.factories import installation_admin, quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief_client(client, org):
    client.force_login(org.chief.user)
    return client


@time_machine.travel(dt.datetime(2024, 3, 20, 10, 0), tick=False)
def test_home_pages_for_each_role(client, org):
    client.force_login(org.chief.user)
    page = client.get("/").content.decode()
    assert "Главный специалист: организация оценки" in page
    # Upcoming deadlines from 20.03.2024: R26 of Q1 on 05.04.2024, R22.1 of Q2 on 15.04.2024.
    assert "05.04.2024" in page and "п. 26" in page
    assert "п. 22.1" in page
    client.force_login(org.official.user)
    assert "Утверждение и контроль оценки" in client.get("/").content.decode()
    client.force_login(org.staff[0].user)
    assert "Мои оценки" in client.get("/").content.decode()


def test_period_list_and_detail_show_deadlines(chief_client):
    period = quarter(2024, 1)
    page = chief_client.get(reverse("period_list")).content.decode()
    assert "I квартал 2024 года" in page
    page = chief_client.get(reverse("period_detail", args=[period.pk])).content.decode()
    for label, date in (("п. 22.1", "16.01.2024"), ("п. 22.6", "03.04.2024"), ("п. 26", "05.04.2024"),
                        ("п. 30", "10.04.2024"), ("п. 4", "10.04.2024")):
        assert label in page and date in page
    assert 'id="generate-schedule"' in page


def test_period_detail_for_official_has_no_generate_button(client, org):
    client.force_login(org.official.user)
    page = client.get(reverse("period_detail", args=[quarter(2024, 1).pk])).content.decode()
    assert "п. 22.1" in page
    assert 'id="generate-schedule"' not in page


def test_generate_via_the_page(chief_client, org):
    period = quarter(2024, 2)
    response = chief_client.post(reverse("schedule_generate", args=[period.pk]))
    schedule = period.schedules.get()
    assert response.status_code == 302 and response["Location"] == reverse("schedule_detail", args=[schedule.pk])
    page = chief_client.get(response["Location"]).content.decode()
    assert "II квартал 2024 года" in page
    assert "Направить на утверждение" in page
    assert org.head.full_name in page and "п. 21" in page and "п. 28" in page


def test_generate_refused_shows_the_message(chief_client, org):
    period = quarter(2024, 2)
    schedule = generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    submit_schedule(schedule=schedule, by=org.chief.user)
    response = chief_client.post(reverse("schedule_generate", args=[period.pk]), follow=True)
    assert "на утверждении" in response.content.decode()


def test_methodology_page_shows_expiring_rules(chief_client):
    page = chief_client.get(reverse("edition")).content.decode()
    # D2 in words (issue 11.4): «п. 5.3», «глава 6», not the ids R5.3 and CH6 of rules.md
    assert "п. 5.3" in page and "глава 6" in page and "31.08.2023" in page
    assert "R5.3" not in page and "CH6" not in page
    assert "утратила силу" in page
    assert "05.07.2023" in page  # D3: effective date (decision date until publication is entered)


def test_calendar_page_and_override_post(chief_client, client):
    response = chief_client.get(reverse("calendar_overrides"))
    assert response.status_code == 200
    # WD: the calendar is national: the installation-level role enters the decrees.
    chief_client.force_login(installation_admin())
    response = chief_client.post(reverse("calendar_overrides"),
                                 {"date": "2024-10-12", "is_working": "on", "reason": "Постановление № 1"})
    assert response.status_code == 302
    override = WorkingDayOverride.objects.get()
    assert override.date == dt.date(2024, 10, 12) and override.is_working
    page = chief_client.get(reverse("calendar_overrides")).content.decode()
    assert "12.10.2024" in page and "Постановление № 1" in page
    chief_client.post(reverse("calendar_overrides"), {"delete": override.pk})
    assert not WorkingDayOverride.objects.exists()


def test_calendar_bad_delete_is_not_a_server_error(chief_client):
    chief_client.force_login(installation_admin())
    response = chief_client.post(reverse("calendar_overrides"), {"delete": "abc"})
    assert response.status_code in (302, 400)


def test_calendar_upcoming_shows_holidays(chief_client):
    with time_machine.travel(dt.datetime(2024, 4, 25, 10, 0), tick=False):
        page = chief_client.get(reverse("calendar_overrides")).content.decode()
    assert "04.05.2024" in page  # the worked Saturday
    assert "08.05.2024" in page  # the day off it was moved to
    assert "Выходной день (перенесён с 04.05.2024)" in page  # holiday names in Russian, not the package's English
    assert "Day off" not in page and "Victory Day" not in page
