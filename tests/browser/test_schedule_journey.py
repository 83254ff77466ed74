"""R10 journey: the chief specialist forms the evaluation schedule of a quarter and sends it
for approval; the appointing official approves it; a staff member cannot open it."""

import re

from playwright.sync_api import expect

from appraisal.models import Schedule, ScheduleState
from tests.browser.conftest import login, logout, shot, url
from tests.factories import quarter


def test_R10_chief_generates_schedule_and_official_approves(page, live_server, browser_org):
    org = browser_org
    # Today the third quarter of 2026 is over and its evaluation is due; the persona staff
    # have held their positions since 2020, so everyone is evaluated with participation.
    period = quarter(2026, 3)
    evaluated = [org.head, org.chief, *org.staff]  # the chairman's and official's posts are not corps-B

    # The chief specialist lands on their home page.
    login(page, live_server, org.chief.user.username)
    expect(page.locator("h1")).to_have_text("Главный специалист: организация оценки")
    shot(page, "R10_01_chief_home")

    # «Периоды и графики» → the quarter.
    page.get_by_role("link", name="Периоды и графики").click()
    expect(page.locator("h1")).to_contain_text("Оцениваемые периоды")
    shot(page, "R10_02_period_list")
    page.get_by_role("link", name=str(period), exact=True).click()
    expect(page.locator("h1")).to_contain_text(str(period))
    shot(page, "R10_03_period_detail")

    # Form the schedule: every person with the rule and reason for their line.
    page.locator("#generate-schedule").click()
    expect(page.locator("#schedule-state")).to_have_text("черновик")
    rows = page.locator("#schedule-entries tbody tr")
    expect(rows).to_have_count(len(evaluated))
    for employee in evaluated:
        row = rows.filter(has=page.locator("td:first-child", has_text=employee.full_name))
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(4)).to_have_text("с участием")
        expect(row.locator("td").nth(5)).to_contain_text(re.compile(r"п\. \d+"))
    # Nobody else has a line: the chairman appears only as the head's evaluator (KCI, п. 21).
    expect(page.locator("#schedule-entries tbody td:first-child")).to_have_text(
        sorted((e.full_name for e in evaluated), key=lambda name: (name != org.head.full_name, name)))
    head_row = rows.filter(has=page.locator("td:first-child", has_text=org.head.full_name))
    expect(head_row.locator("td").nth(3)).to_have_text(org.chairman.full_name)
    shot(page, "R10_04_schedule_draft")
    schedule_path = page.url.removeprefix(live_server.url)
    schedule = Schedule.objects.get(organisation=org.organisation, period=period)

    # The chief cannot approve, only send for approval.
    expect(page.get_by_role("button", name="Утвердить")).to_have_count(0)
    page.get_by_role("button", name="Направить на утверждение").click()
    expect(page.locator("#schedule-state")).to_have_text("на утверждении")
    expect(page.get_by_role("button", name="Направить на утверждение")).to_have_count(0)
    shot(page, "R10_05_schedule_submitted")
    logout(page)
    expect(page.locator("#id_username")).to_be_visible()

    # The appointing official sees it waiting on their home page and approves it.
    login(page, live_server, org.official.user.username)
    # «Ожидают утверждения», or «Просрочено» once the quarter's R4 day has passed (issue 11)
    awaiting = page.locator("#awaiting, #overdue").get_by_role("link", name=re.compile("^График оценки"))
    expect(awaiting).to_have_count(1)
    shot(page, "R10_06_official_home")
    awaiting.click()
    expect(page.locator("#schedule-state")).to_have_text("на утверждении")
    expect(page.locator("#schedule-entries tbody tr")).to_have_count(len(evaluated))
    page.get_by_role("button", name="Утвердить").click()
    expect(page.locator("#schedule-state")).to_have_text("утверждён")
    expect(page.get_by_role("button", name="Утвердить")).to_have_count(0)
    shot(page, "R10_07_schedule_approved")
    schedule.refresh_from_db()
    assert schedule.state == ScheduleState.APPROVED
    assert schedule.approved_at is not None
    logout(page)

    # R20: a staff member has no access to the organisation's schedule: the page does not exist.
    login(page, live_server, org.staff[0].user.username)
    expect(page.get_by_role("link", name="Периоды и графики")).to_have_count(0)
    shot(page, "R10_08_staff_home")
    response = page.goto(url(live_server, schedule_path))
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(org.staff[1].full_name)
    shot(page, "R10_09_staff_404")
