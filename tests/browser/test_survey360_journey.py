"""R33–R36 journey: the chief specialist opens the year's 360 survey, three colleagues and
the person answer, the survey closes, the person sees their report (means of others, the
self-assessment beside them, the chart) — and nobody's name next to a value."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from survey360.models import Campaign, CampaignState
from tests.browser.conftest import login, logout, shot, url
from tests.survey360.conftest import approved_year_schedule


def _open_year() -> int:
    """The year whose 360 evaluation is still open today (R4: until 10 January after it)."""
    today = timezone.localdate()
    return today.year - 1 if today <= dt.date(today.year, 1, 10) else today.year


def _fill(page, base: int) -> None:
    for i, fieldset in enumerate(page.locator("#survey360-form fieldset").all()):
        value = max(0, min(5, base - (i % 4)))
        for radio in fieldset.locator(f'input[type=radio][value="{value}"]').all():
            radio.check()


def test_R33_R36_survey360_journey(page, live_server, browser_org):
    org = browser_org
    person = org.staff[0]
    schedule = approved_year_schedule(org, year=_open_year())

    # The chief specialist prepares the survey from the approved year schedule.
    login(page, live_server, org.chief.user.username)
    page.locator("#survey360-panel").get_by_role("link", name="Опросы 360").click()
    page.locator("#period").select_option(str(schedule.period_id))
    page.get_by_role("button", name="Подготовить опрос").click()
    expect(page.locator("#campaign-state")).to_have_text("подготовка")
    row = page.locator("#subjects tbody tr", has_text=person.full_name)
    expect(row.locator("li")).to_have_count(3)  # supervisor and two peers (п. 35.1)
    shot(page, "survey360_01_campaign_draft")
    page.get_by_role("button", name="Открыть сбор ответов").click()
    expect(page.locator("#campaign-state")).to_have_text("сбор ответов")
    expect(page.locator("#not-answered")).to_contain_text(org.head.full_name)
    shot(page, "survey360_02_campaign_collecting")
    logout(page)

    # Three colleagues answer about the person from their own page.
    for respondent, base in ((org.head, 5), (org.chief, 4), (org.staff[1], 4)):
        login(page, live_server, respondent.user.username)
        page.locator("#survey360-panel").get_by_role("link", name="Мои анкеты 360").click()
        task = page.locator("#survey360-tasks tbody tr", has_text=person.full_name)
        task.get_by_role("link", name="Оценить").click()
        _fill(page, base)
        if respondent == org.head:
            page.fill("#comment", "Надёжный и доброжелательный коллега")
            shot(page, "survey360_03_questionnaire")
        page.get_by_role("button", name="Отправить анкету").click()
        expect(page.locator(".messages")).to_contain_text("анкета принята анонимно")
        expect(page.locator("#survey360-tasks tbody tr", has_text=person.full_name)).to_have_count(0)
        logout(page)

    # The person fills the self-assessment.
    login(page, live_server, person.user.username)
    page.locator("#survey360-panel").get_by_role("link", name="Мои анкеты 360").click()
    page.get_by_role("link", name="Заполнить самооценку").click()
    _fill(page, 5)
    page.get_by_role("button", name="Отправить анкету").click()
    expect(page.locator(".messages")).to_contain_text("Самооценка сохранена")
    logout(page)

    # The chief specialist closes the survey.
    login(page, live_server, org.chief.user.username)
    campaign = Campaign.objects.get(organisation=org.organisation, period=schedule.period)
    page.goto(url(live_server, f"/survey360/campaigns/{campaign.pk}/"))
    page.get_by_role("button", name="Завершить сбор ответов").click()
    expect(page.locator("#campaign-state")).to_have_text("сбор завершён")
    shot(page, "survey360_04_campaign_closed")
    logout(page)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.CLOSED

    # The person sees the report.
    login(page, live_server, person.user.username)
    page.locator("#survey360-panel").get_by_role("link", name="Мой отчёт 360").click()
    expect(page.locator("#report-overall")).to_contain_text("Общая оценка")
    expect(page.locator("#report-table tbody tr")).to_have_count(8)
    expect(page.locator(".chart svg")).to_be_visible()
    expect(page.locator("#report-comments")).to_contain_text("Надёжный и доброжелательный коллега")
    main = page.locator("main").inner_text()
    for respondent in (org.head, org.chief, org.staff[1]):
        assert respondent.last_name not in main
    shot(page, "survey360_report")
