"""Keyboard alone (issue 11, point 9): the ranking page and a 360 questionnaire are filled and
sent with Tab, Shift+Tab, Space, the arrow keys and Enter only — no click, no fill — and what
the server saved is what was chosen. The element that has the focus shows an outline
(:focus-visible in static/css/bagalau.css)."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from appraisal.services import schedules
from ranking.models import RankingSheet, SheetState
from survey360 import services as survey
from survey360.models import AnswerTally, Respondent, Statement
from tests.browser.conftest import login, shot, url
from tests.factories import quarter
from tests.survey360.conftest import approved_year_schedule

MAX_TABS = 400

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), type: el.type || "", id: el.id, name: el.getAttribute("name") || "",
          value: el.value, checked: !!el.checked, outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth)};
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page, predicate, *, backwards=False) -> dict:
    """Press Tab (Shift+Tab) until the focused element satisfies predicate; returns it."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        element = focused(page)
        if element and predicate(element):
            return element
    raise AssertionError("the keyboard never reached the element")


def assert_focus_visible(element: dict) -> None:
    assert element["outline"] != "none" and element["outlineWidth"] >= 2, f"no visible focus on {element}"


def _ranking_quarter(org):
    period = quarter(2026, 3)
    schedule = schedules.generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    schedules.submit_schedule(schedule=schedule, by=org.chief.user)
    schedules.approve_schedule(schedule=schedule, by=org.official.user)
    return period


def test_R31_the_ranking_page_is_scored_and_sent_by_keyboard_alone(page, live_server, browser_org):
    period = _ranking_quarter(browser_org)
    login(page, live_server, browser_org.head.user.username)
    page.goto(url(live_server, f"/ranking/evaluate/{period.pk}/"))
    sheets = list(RankingSheet.objects.filter(entry__schedule__period=period))
    chosen = {}

    # Every select of the table, in tab order: ArrowDown from «—» to the points wanted
    # (1 press = 0 points … 6 presses = 5), varied by sheet and parameter.
    page.keyboard.press("Tab")
    assert_focus_visible(focused(page))
    selects = page.locator("#ranking-table select").count()
    assert selects == 4 * len(sheets)
    for index in range(selects):
        # the table's selects only (s<sheet>-<parameter>), not the top bar's language switch
        element = tab_to(page, lambda e: e["tag"] == "select" and e["name"].startswith("s"))
        assert_focus_visible(element)
        points = 5 - (index % 3)
        for _ in range(points + 1):
            page.keyboard.press("ArrowDown")
        chosen[element["name"]] = str(points)
        assert focused(page)["value"] == str(points)
    shot(page, "keyboard_ranking_filled")

    # «Отправить», Enter; the page asks to confirm; Tab to «Да, отправить», Enter.
    assert_focus_visible(tab_to(page, lambda e: e["id"] == "submit-ranking"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#confirm-send")).to_be_visible()
    tab_to(page, lambda e: e["id"] == "confirm-ranking")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(f"Оценочные листы отправлены: {len(sheets)}")

    for sheet in RankingSheet.objects.filter(pk__in=[s.pk for s in sheets]):
        assert sheet.state == SheetState.SUBMITTED
        for code in ("quality", "deadlines", "initiative", "discipline"):
            assert str(getattr(sheet, code)) == chosen[f"s{sheet.pk}-{code}"], (sheet, code)


def _open_year() -> int:
    today = timezone.localdate()
    return today.year - 1 if today <= dt.date(today.year, 1, 10) else today.year


def test_R33_a_360_questionnaire_is_answered_and_sent_by_keyboard_alone(page, live_server, browser_org):
    org = browser_org
    schedule = approved_year_schedule(org, year=_open_year())
    campaign = survey.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
    survey.open_campaign(campaign=campaign, by=org.chief.user)
    respondent = Respondent.objects.select_related("subject").filter(
        subject__campaign=campaign, employee=org.head).exclude(subject__employee=org.head).first()
    subject = respondent.subject
    statements = Statement.objects.filter(competency__questionnaire=subject.questionnaire_id).count()
    lowest = subject.questionnaire.scale_min

    login(page, live_server, org.head.user.username)
    page.goto(url(live_server, f"/survey360/assess/{subject.pk}/"))
    chosen = {}
    # Each statement is a radio group: Tab enters it on its first radio (the lowest point),
    # Space checks it, ArrowRight moves the choice up the scale.
    for index in range(statements):
        element = tab_to(page, lambda e: e["type"] == "radio" and e["name"] not in chosen)
        assert_focus_visible(element)
        assert element["value"] == str(lowest)
        page.keyboard.press("Space")
        steps = 1 + index % 4
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
        value = lowest + steps
        now = focused(page)
        assert now["checked"] and now["value"] == str(value), now
        chosen[now["name"]] = value
    # Shift+Tab goes back into the last group and Tab returns: the choice stays.
    back = tab_to(page, lambda e: e["type"] == "radio", backwards=True)
    assert back["checked"]
    shot(page, "keyboard_survey360_filled")
    assert_focus_visible(tab_to(page, lambda e: e["tag"] == "button" and e["type"] == "submit"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("анкета принята анонимно")

    respondent.refresh_from_db()
    assert respondent.answered
    tallies = {f"s{t.statement_id}": (t.total, t.count) for t in AnswerTally.objects.filter(subject=subject)}
    assert tallies == {name: (value, 1) for name, value in chosen.items()}
