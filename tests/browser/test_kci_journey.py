"""R22–R27 journey: the chairman drafts the head's plan, the chief specialist agrees it, the
chairman approves it, the chief specialist posts it and enters the actual values, the
chairman scores from the admissible options only, and the head sees the result."""

from decimal import Decimal

from playwright.sync_api import expect

from appraisal.models import PeriodResult
from appraisal.services import schedules
from kci.models import IndividualPlan, KciScoreSheet
from tests.browser.conftest import login, logout, shot
from tests.factories import quarter

KCIS = [  # title, unit, target, actual → percent → admissible score
    ("Разместить решения маслихата в ЭКБ НПА в установленный срок", "%", "100", "100"),  # 100 % → 5
    ("Провести сессии маслихата по плану работы", "сессий", "4", "3"),  # 75 % → 3
    ("Обучить депутатов работе в системе «Е-маслихат»", "чел.", "10", "9"),  # 90 % → 4
]


def _open_plan_from_panel(page):
    panel = page.locator("#kci-panel")
    panel.locator("td:nth-child(3) a").first.click()
    expect(page.locator("#plan-state")).to_be_visible()


def test_R22_R27_kci_plan_to_score_and_head_sees_result(page, live_server, browser_org):
    org = browser_org
    period = quarter(2026, 3)
    schedule = schedules.generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    schedules.submit_schedule(schedule=schedule, by=org.chief.user)
    schedules.approve_schedule(schedule=schedule, by=org.official.user)

    # The chairman (the head's evaluator) drafts the plan from the KCI panel.
    login(page, live_server, org.chairman.user.username)
    panel = page.locator("#kci-panel")
    expect(panel).to_contain_text(str(period))
    panel.get_by_role("button", name="Составить план").click()
    expect(page.locator("#plan-state")).to_have_text("проект")
    for title, unit, target, _actual in KCIS:
        form = page.locator("#kci-add form")
        if not form.is_visible():
            page.locator("#kci-add summary").click()
        form.locator("[name=title]").fill(title)
        form.locator("[name=indicator_kind]").select_option("quantitative")
        form.locator("[name=unit]").fill(unit)
        form.locator("[name=target]").fill(target)
        form.locator("[name=deadline]").fill("2026-09-30")
        form.locator("[name=resources]").fill("штат аппарата и бюджет на 2026 год")
        form.locator("[name=document_kind]").select_option("strategic_goal")
        form.locator("[name=document_name]").fill("Стратегическая цель: открытость маслихата")
        form.locator("#kci-add-submit").click()
        expect(page.locator(".msg-success")).to_contain_text("КЦИ добавлен")
    expect(page.locator("#kci-table tbody tr")).to_have_count(3)
    expect(page.get_by_role("button", name="Согласовать КЦИ")).to_have_count(0)
    shot(page, "kci_01_plan_draft")
    logout(page)

    # The chief specialist agrees (R22.1, R19).
    login(page, live_server, org.chief.user.username)
    expect(page.locator("#kci-panel")).to_contain_text("проект")
    expect(page.locator("#kci-panel .default-note")).to_be_visible()  # appendix 3 not yet confirmed
    shot(page, "kci_00_chief_home")
    _open_plan_from_panel(page)
    page.get_by_role("button", name="Согласовать КЦИ").click()
    expect(page.locator("#plan-state")).to_have_text("согласован главным специалистом")
    logout(page)

    # The chairman approves.
    login(page, live_server, org.chairman.user.username)
    _open_plan_from_panel(page)
    page.get_by_role("button", name="Утвердить КЦИ").click()
    expect(page.locator("#plan-state")).to_have_text("утверждён оценивающим лицом")
    expect(page.locator("#plan-versions")).to_contain_text("Редакция 1")
    logout(page)

    # The chief specialist posts it (R22.3) and makes the preliminary calculation (R22.6).
    login(page, live_server, org.chief.user.username)
    _open_plan_from_panel(page)
    page.get_by_role("button", name="Разместить в системе").click()
    expect(page.locator("#plan-state")).to_have_text("размещён в системе")
    shot(page, "kci_02_plan_posted")
    page.locator("#open-sheet").click()
    expect(page.locator("#sheet-state")).to_have_text("предварительный расчёт")
    for number, (_t, _u, _target, actual) in enumerate(KCIS, start=1):
        row = page.locator(f"#sheet-lines tbody tr[data-kci='{number}']")
        row.locator("[name=actual]").fill(actual)
        row.locator("[name=note]").fill("отчёт отдела за квартал")
        row.get_by_role("button", name="Сохранить").click()
        expect(page.locator(".msg-success")).to_contain_text(f"КЦИ № {number}")
    expect(page.locator("#sheet-lines")).to_contain_text("75,00 %")
    page.get_by_role("button", name="Направить оценивающему лицу").click()
    expect(page.locator("#sheet-state")).to_have_text("направлен оценивающему лицу")
    logout(page)

    # The chairman scores: only the admissible scores are offered (R27).
    login(page, live_server, org.chairman.user.username)
    page.locator("#kci-panel td:nth-child(5) a").first.click()
    expect(page.locator("#sheet-state")).to_have_text("направлен оценивающему лицу")
    options = page.locator("#sheet-lines tbody tr[data-kci='2'] select option")
    expect(options).to_have_count(1)
    expect(options).to_have_text(["3"])
    page.locator("#sheet-lines tbody tr[data-kci='1'] [name^=comment]").fill("выполнено полностью")
    page.locator("#submit-sheet").click()
    expect(page.locator("#sheet-state")).to_have_text("оценка выставлена")
    expect(page.locator("#sheet-score")).to_have_text("4,00")
    expect(page.locator("#sheet-gradation")).to_contain_text("эффективно")
    shot(page, "kci_score_sheet")
    logout(page)

    sheet = KciScoreSheet.objects.get(plan__entry__schedule=schedule)
    assert sheet.score == Decimal("4.00")
    assert PeriodResult.objects.get(entry=sheet.plan.entry).score == Decimal("4.00")
    assert IndividualPlan.objects.get(pk=sheet.plan_id).versions.count() == 1

    # The head sees the result on their own page (quarter and annual mean, R4).
    login(page, live_server, org.head.user.username)
    page.locator("#kci-panel").get_by_role("link", name="Мои КЦИ и результаты").click()
    expect(page.locator("#my-kci")).to_contain_text("4,00")
    expect(page.locator("#annual")).to_contain_text("эффективно")
    shot(page, "kci_03_head_result")
