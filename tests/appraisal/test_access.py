"""R20: a result is known only to the evaluated person, the evaluator and the chief
specialist; everything a user may not see is a 404 on GET and POST alike."""

import pytest
from django.urls import reverse

from appraisal.models import ScheduleState
from appraisal.selectors import results_visible_to, schedule_entries_visible_to
from appraisal.services.results import record_result
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from tests.factories import quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(org):
    schedule = generate_schedule(organisation=org.organisation, period=quarter(2024, 1), by=org.chief.user)
    submit_schedule(schedule=schedule, by=org.chief.user)
    approve_schedule(schedule=schedule, by=org.official.user)
    for employee, score in ((org.staff[0], "4.50"), (org.staff[1], "2.10")):
        record_result(entry=schedule.entries.get(employee=employee), score=score)
    return schedule


def test_R20_result_visible_only_to_the_person_the_evaluator_and_the_chief(org, approved):
    alice, bob = org.staff
    alice_result = results_visible_to(alice.user).get()
    assert alice_result.entry.employee == alice
    assert not results_visible_to(alice.user).filter(entry__employee=bob).exists()
    assert results_visible_to(org.head.user).filter(entry__employee=bob).exists()  # evaluator
    assert results_visible_to(org.chief.user).count() == 2  # chief specialist
    assert not results_visible_to(org.official.user).exists()
    assert not results_visible_to(org.chairman.user).filter(entry__employee__in=org.staff).exists()
    assert set(schedule_entries_visible_to(alice.user).values_list("employee", flat=True)) == {alice.pk}


def test_R20_staff_member_cannot_see_another_result_on_the_home_page(client, org, approved):
    client.force_login(org.staff[0].user)
    page = client.get("/").content.decode()
    assert "4,50" in page  # localised (ru)
    assert "2,10" not in page and "2.10" not in page
    assert org.staff[1].last_name not in page


def test_R20_staff_member_gets_404_for_the_schedule_on_get_and_post(client, org, approved):
    client.force_login(org.staff[0].user)
    assert client.get(reverse("schedule_detail", args=[approved.pk])).status_code == 404
    for transition in ("approve", "submit", "return_for_rework"):
        response = client.post(reverse("schedule_transition", args=[approved.pk, transition]))
        assert response.status_code == 404
    response = client.post(reverse("schedule_generate", args=[approved.period_id]))
    assert response.status_code == 404
    approved.refresh_from_db()
    assert approved.state == ScheduleState.APPROVED


def test_R20_chief_and_official_see_the_schedule(client, org, approved):
    for user in (org.chief.user, org.official.user):
        client.force_login(user)
        response = client.get(reverse("schedule_detail", args=[approved.pk]))
        assert response.status_code == 200
        assert org.staff[1].full_name in response.content.decode()


@pytest.mark.parametrize("url", ["/periods/", "/calendar/", "/periods/{period}/"])
def test_R20_role_pages_are_404_for_plain_staff(client, org, url):
    client.force_login(org.staff[0].user)
    target = url.format(period=quarter(2024, 1).pk)
    assert client.get(target).status_code == 404
    assert client.post(target, {"date": "2024-10-12", "is_working": "on", "reason": "x"}).status_code == 404


def test_R20_anonymous_is_sent_to_login(client, approved):
    response = client.get(reverse("schedule_detail", args=[approved.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_R20_get_for_user_finds_by_key_only_within_the_selector_and_asks_without_a_limit(org, approved):
    from django.db import connection
    from django.http import Http404
    from django.test.utils import CaptureQueriesContext

    from appraisal.access import get_for_user

    alice, bob = org.staff
    bob_result = results_visible_to(bob.user).get()
    with CaptureQueriesContext(connection) as queries:
        own = get_for_user(results_visible_to(alice.user), pk=results_visible_to(alice.user).get().pk)
    assert own.entry.employee == alice
    assert "LIMIT" not in queries.captured_queries[-1]["sql"].upper()  # a key names one row: no fast-start plans
    with pytest.raises(Http404):
        get_for_user(results_visible_to(alice.user), pk=bob_result.pk)  # Bob's result exists, not for Alice
    with pytest.raises(Http404):
        get_for_user(results_visible_to(alice.user), id=10**9)
    # Any other lookup goes through get_object_or_404 as before.
    assert get_for_user(results_visible_to(org.chief.user), entry__employee=bob) == bob_result
