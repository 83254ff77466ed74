"""The Django admin: every model's pages open, and the transition buttons go through the
services — same rules, same hooks, no way around them for a superuser."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from appraisal.models import ScheduleState
from appraisal.services.schedules import generate_schedule, submit_schedule
from ranking.models import RankingSheet
from tests.factories import quarter


def _schedule_on_approval(org):
    schedule = generate_schedule(organisation=org.organisation, period=quarter(2024, 2), by=org.chief.user)
    return submit_schedule(schedule=schedule, by=org.chief.user)


def _press(client, schedule, transition):
    """The button on the change page leads to the transition's confirmation page; confirm it."""
    url = reverse("admin:appraisal_schedule_transition", kwargs={"object_id": schedule.pk, "transition_name": transition})
    return client.get(url), client.post(url, {}, follow=True)


@pytest.mark.django_db
def test_R10_admin_approval_runs_the_service_and_opens_the_ranking_sheets(org, client):
    schedule = _schedule_on_approval(org)
    official = org.official.user
    official.is_staff = official.is_superuser = True
    official.save()
    client.force_login(official)
    change_page = client.get(reverse("admin:appraisal_schedule_change", args=[schedule.pk])).content.decode()
    assert "Утвердить" in change_page and "Направить на утверждение" not in change_page  # the official's buttons
    confirmation, _done = _press(client, schedule, "approve")
    assert confirmation.status_code == 200
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.APPROVED
    assert RankingSheet.objects.filter(entry__schedule=schedule).count() == 3  # chief + two staff (R28)


@pytest.mark.django_db
def test_R10_superuser_without_the_role_cannot_approve_in_the_admin(org, client):
    schedule = _schedule_on_approval(org)
    root = get_user_model().objects.create_superuser("root", "root@example.kz", "pass12345")
    client.force_login(root)
    _confirmation, response = _press(client, schedule, "approve")
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.ON_APPROVAL
    assert "недоступно для вашей роли" in response.content.decode()
    assert not RankingSheet.objects.exists()


@pytest.mark.django_db
def test_every_admin_changelist_opens(org, client):
    root = get_user_model().objects.create_superuser("root", "root@example.kz", "pass12345")
    client.force_login(root)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
