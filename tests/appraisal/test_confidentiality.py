"""R15, R20: results are strictly confidential — a colleague's score and gradation never
reach another staff member's pages."""

import pytest

from appraisal.services.results import record_result
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from tests.factories import quarter


@pytest.mark.django_db
def test_R15_a_colleagues_result_never_appears_on_a_staff_members_pages(org, client):
    schedule = generate_schedule(organisation=org.organisation, period=quarter(2024, 2), by=org.chief.user)
    submit_schedule(schedule=schedule, by=org.chief.user)
    approve_schedule(schedule=schedule, by=org.official.user)
    mine, theirs = (schedule.entries.get(employee=e) for e in org.staff[:2])
    record_result(entry=mine, score="4.37")
    record_result(entry=theirs, score="2.13")

    client.force_login(org.staff[0].user)
    pages = [client.get(url) for url in ("/", "/methodology/")]
    text = "".join(p.content.decode() for p in pages)
    assert all(p.status_code == 200 for p in pages)
    assert "4,37" in text or "4.37" in text  # one's own result is shown
    assert "2,13" not in text and "2.13" not in text
    assert org.staff[1].last_name not in text

    client.force_login(org.chief.user)  # the chief specialist does see both (R20)
    assert client.get("/").status_code == 200
