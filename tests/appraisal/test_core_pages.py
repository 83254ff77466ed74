"""Core pages as an HR office uses them: the chief specialist's periods, the methodology
edition's publication date (D3), working-day overrides (WD), the schedule's reasons in the
language of record (R10), and R20 on the new forms."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from appraisal.models import MethodologyEdition, ScheduleEntry, WorkingDayOverride
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from tests.factories import installation_admin, quarter

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- R10: the schedule --------------------------------------------------------------------

def test_R10_reason_details_are_stored_in_the_language_of_record_whatever_the_ui_language(org):
    appointment = org.staff[0].appointments.get()
    appointment.end, appointment.dismissed = dt.date(2024, 2, 20), True
    appointment.save()
    with translation.override("kk"):
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2024, 1), by=org.chief.user)
    entry = schedule.entries.get(employee=org.staff[0])
    assert entry.rule_id == "R6"
    assert entry.reason_detail == "дата увольнения 20.02.2024"
    assert settings.LANGUAGE_CODE == "ru"


def test_R10_refusals_of_the_schedule_transitions_name_the_rule(client, org):
    schedule = generate_schedule(organisation=org.organisation, period=quarter(2024, 1), by=org.chief.user)
    client.force_login(org.official.user)
    response = client.post(reverse("schedule_transition", args=[schedule.pk, "approve"]))
    assert any(m.startswith("п. 10:") for m in _messages(response))
    submit_schedule(schedule=schedule, by=org.chief.user)
    response = client.post(reverse("schedule_transition", args=[schedule.pk, "return_for_rework"]), {"reason": " "})
    assert _messages(response)[-1] == "п. 10: укажите причину возврата графика на доработку."
    schedule.refresh_from_db()
    assert schedule.state == "on_approval"


def test_R10_unknown_transition_is_404_not_403(client, org):
    schedule = generate_schedule(organisation=org.organisation, period=quarter(2024, 1), by=org.chief.user)
    client.force_login(org.chief.user)
    assert client.post(reverse("schedule_transition", args=[schedule.pk, "delete"])).status_code == 404


def test_R10_period_with_an_approved_schedule_offers_no_regeneration(client, org):
    period = quarter(2024, 1)
    schedule = generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    client.force_login(org.chief.user)
    assert 'id="generate-schedule"' in client.get(reverse("period_detail", args=[period.pk])).content.decode()
    submit_schedule(schedule=schedule, by=org.chief.user)
    approve_schedule(schedule=schedule, by=org.official.user)
    page = client.get(reverse("period_detail", args=[period.pk])).content.decode()
    assert 'id="generate-schedule"' not in page and 'id="schedule-approved-note"' in page


@time_machine.travel(dt.datetime(2024, 11, 25, 10, 0), tick=False)
def test_R10_chief_home_shows_the_periods_in_progress_and_which_have_no_schedule(client, org):
    q4 = quarter(2024, 4)
    q3 = quarter(2024, 3)
    generate_schedule(organisation=org.organisation, period=q3, by=org.chief.user)  # its R4 day (10.10) is past
    client.force_login(org.chief.user)
    page = client.get("/").content.decode()
    section = page.split('id="current-periods"')[1].split("</section>")[0]
    assert "IV квартал 2024 года" in section and "2024 год" in section
    assert "10.01.2025" in section  # R4 last day of Q4 and of the year
    assert "не сформирован" in section
    assert "III квартал 2024 года" not in section
    generate_schedule(organisation=org.organisation, period=q4, by=org.chief.user)
    section = client.get("/").content.decode().split('id="current-periods"')[1].split("</section>")[0]
    assert "черновик" in section


# --- D3: the publication date -------------------------------------------------------------

def test_D3_chief_specialist_enters_the_publication_date_and_the_date_of_force_follows(client, org):
    edition = MethodologyEdition.objects.get(organisation=org.organisation)
    client.force_login(org.chief.user)
    page = client.get(reverse("edition")).content.decode()
    assert f'id="publication-form-{edition.pk}"' in page
    response = client.post(reverse("edition"), {"edition": edition.pk, "published_on": "2023-07-12"})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.published_on == dt.date(2023, 7, 12)
    assert edition.effective_from == dt.date(2023, 7, 22)
    assert edition.history.first().history_user == org.chief.user
    page = client.get(reverse("edition")).content.decode()
    assert "22.07.2023" in page and "12.07.2023" in page


def test_D3_publication_before_the_decision_refused_nothing_saved(client, org):
    edition = MethodologyEdition.objects.get(organisation=org.organisation)
    client.force_login(org.chief.user)
    response = client.post(reverse("edition"), {"edition": edition.pk, "published_on": "2023-07-01"})
    assert _messages(response) == [
        "п. 3 решения: дата первого официального опубликования (01.07.2023) не может быть раньше даты решения (05.07.2023)."]
    edition.refresh_from_db()
    assert edition.published_on is None


def test_R20_only_the_chief_specialist_may_enter_the_publication_date(client, org):
    edition = MethodologyEdition.objects.get(organisation=org.organisation)
    for user in (org.staff[0].user, org.official.user, org.head.user):
        client.force_login(user)
        assert "publication-form" not in client.get(reverse("edition")).content.decode()
        response = client.post(reverse("edition"), {"edition": edition.pk, "published_on": "2023-07-12"})
        assert response.status_code == 404
    edition.refresh_from_db()
    assert edition.published_on is None


# --- WD: overrides --------------------------------------------------------------------------

@time_machine.travel(dt.datetime(2026, 11, 25, 10, 0), tick=False)
def test_WD_decree_day_off_moves_the_deadline_shown_on_the_calendar_page(client, org):
    quarter(2026, 4)
    client.force_login(org.chief.user)
    section = client.get(reverse("calendar_overrides")).content.decode().split('id="calendar-deadlines"')[1]
    assert "30.12.2026" in section  # R22.6 of Q4 2026: five working days before 10.01.2027
    keeper = installation_admin()  # WD: the national calendar is kept for every body
    client.force_login(keeper)
    client.post(reverse("calendar_overrides"), {"date": "2026-12-31", "reason": "Постановление № 1"})
    client.force_login(org.chief.user)
    page = client.get(reverse("calendar_overrides")).content.decode()
    section = page.split('id="calendar-deadlines"')[1]
    assert "29.12.2026" in section and "30.12.2026" not in section
    assert "Постановление № 1" in page.split("Ближайшие 45 дней")[1]  # the decree named in the upcoming days
    assert WorkingDayOverride.objects.get().history.first().history_user == keeper


def test_WD_second_override_of_a_day_refused_naming_WD_nothing_changed(client, org):
    WorkingDayOverride.objects.create(date=dt.date(2026, 12, 31), is_working=False, reason="Постановление № 1")
    client.force_login(installation_admin())
    response = client.post(reverse("calendar_overrides"),
                           {"date": "2026-12-31", "is_working": "on", "reason": "Другое"})
    assert response.status_code == 200
    assert "рабочие дни: на 31.12.2026 исключение уже внесено («Постановление № 1»)" in response.content.decode()
    override = WorkingDayOverride.objects.get()
    assert override.reason == "Постановление № 1" and not override.is_working


def test_WD_holiday_names_in_the_interface_language():
    from appraisal.workdays import WorkingCalendar

    calendar = WorkingCalendar()
    with translation.override("ru"):
        assert calendar.holiday_name(dt.date(2024, 12, 16)) == "День Независимости"
        assert calendar.holiday_name(dt.date(2024, 5, 8)) == "Выходной день (перенесён с 04.05.2024)"
        assert calendar.holiday_name(dt.date(2024, 3, 25)) == "Наурыз мейрамы (перенесённый выходной)"
    with translation.override("kk"):
        assert calendar.holiday_name(dt.date(2024, 12, 16)) == "Тәуелсіздік күні"


def test_R20_staff_cannot_add_or_delete_overrides(client, org):
    override = WorkingDayOverride.objects.create(date=dt.date(2026, 12, 31), is_working=False, reason="П № 1")
    client.force_login(org.staff[0].user)
    assert client.post(reverse("calendar_overrides"), {"delete": override.pk}).status_code == 404
    assert client.post(reverse("calendar_overrides"),
                       {"date": "2026-12-30", "reason": "x"}).status_code == 404
    assert list(WorkingDayOverride.objects.values_list("pk", flat=True)) == [override.pk]
    assert ScheduleEntry.objects.count() == 0


def test_WD_override_services_recheck_the_role_nothing_changes(org):
    """The page refuses to save for anyone but the installation-level role; the services refuse on their own too."""
    from django.core.exceptions import PermissionDenied

    from appraisal.services.calendar import add_override, delete_override

    override = WorkingDayOverride.objects.create(date=dt.date(2026, 12, 31), is_working=False, reason="П № 1")
    with pytest.raises(PermissionDenied, match="рабочие дни: "):
        add_override(day=dt.date(2026, 12, 30), is_working=False, reason="x", by=org.official.user)
    with pytest.raises(PermissionDenied, match="рабочие дни: "):
        delete_override(pk=override.pk, by=org.staff[0].user)
    assert list(WorkingDayOverride.objects.values_list("pk", flat=True)) == [override.pk]


@time_machine.travel(dt.datetime(2024, 12, 5, 10, 0), tick=False)
def test_R10_chief_home_lists_the_next_quarter_but_not_next_years_360(client, org):
    quarter(2025, 1)
    from tests.factories import year_period

    year_period(2025)
    client.force_login(org.chief.user)
    section = client.get("/").content.decode().split('id="current-periods"')[1].split("</section>")[0]
    assert "I квартал 2025 года" in section
    assert "2025 год<" not in section
