"""R29, R31, R32 journey: the head of apparatus ranks the quarter's staff on one page and
sends the sheets; a staff member then sees their result on their home page."""

from playwright.sync_api import expect

from appraisal.models import PeriodResult
from appraisal.services import schedules
from ranking.models import RankingSheet, SheetState
from tests.browser.conftest import login, logout, shot
from tests.factories import quarter

SCORES = {  # quality, deadlines, initiative, discipline
    0: ("5", "4", "4", "5"),  # → 4.50 effective
    1: ("3", "4", "3", "3"),  # → 3.25 proper
    2: ("2", "3", "2", "2"),  # → 2.25 satisfactory
}


def test_R29_head_ranks_staff_and_employee_sees_result(page, live_server, browser_org):
    org = browser_org
    period = quarter(2026, 3)
    schedule = schedules.generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    schedules.submit_schedule(schedule=schedule, by=org.chief.user)
    schedules.approve_schedule(schedule=schedule, by=org.official.user)
    ranked = sorted([org.chief, *org.staff], key=lambda e: (e.last_name, e.first_name))
    assert RankingSheet.objects.filter(entry__schedule=schedule).count() == len(ranked)

    # The head finds the quarter in the ranking panel of their home page.
    login(page, live_server, org.head.user.username)
    panel = page.locator("#ranking-panel")
    expect(panel).to_contain_text("отправлено 0 из 3")
    panel.get_by_role("link", name=str(period)).click()
    expect(page.locator("h1")).to_contain_text(str(period))
    rows = page.locator("#ranking-table tbody tr")
    expect(rows).to_have_count(len(ranked))

    # Scores 0–5 per parameter; the mean and the gradation follow live in the browser.
    for index, employee in enumerate(ranked):
        row = rows.filter(has_text=employee.full_name)
        for code, value in zip(("quality", "deadlines", "initiative", "discipline"), SCORES[index]):
            row.locator(f"select[name$='-{code}']").select_option(value)
        row.locator("textarea[name$='-quality_comment']").fill("Работа выполнена в полном объёме")
    first = rows.filter(has_text=ranked[0].full_name)
    expect(first.locator(".mean")).to_have_text("4,50")
    expect(first.locator(".gradation")).to_have_text("Выполняет функциональные обязанности эффективно")

    # Sorting by mean puts the best first.
    page.locator("#sortbar [data-sort=mean]").click()
    expect(rows.first).to_contain_text(ranked[0].full_name)
    expect(rows.last).to_contain_text(ranked[2].full_name)
    shot(page, "ranking_page")

    # Submitting: the page comes back read-only with the server's figures.
    page.locator("#submit-ranking").click()
    # the send locks the sheets: the page asks first and says how many (п. 29, п. 41)
    expect(page.locator("#confirm-send")).to_contain_text("Отправить 3 оценочных листа")
    assert not RankingSheet.objects.filter(state=SheetState.SUBMITTED).exists()
    page.locator("#confirm-ranking").click()
    expect(page.locator(".messages")).to_contain_text("Оценочные листы отправлены: 3")
    expect(page.locator("#all-submitted")).to_be_visible()
    expect(page.locator("#ranking-table select")).to_have_count(0)
    shot(page, "ranking_page_submitted")
    assert set(RankingSheet.objects.values_list("state", flat=True)) == {SheetState.SUBMITTED}
    assert PeriodResult.objects.count() == 3
    logout(page)

    # The staff member sees their own result, and nobody else's.
    employee = ranked[1]
    login(page, live_server, employee.user.username)
    own = page.locator("table").filter(has_text="Мои оценки")
    expect(page.locator("main")).to_contain_text("3,25")
    expect(page.locator("main")).to_contain_text("Выполняет функциональные обязанности надлежащим образом")
    expect(page.locator("#ranking-panel")).to_contain_text("Среднее за 2026 год (за 1 из 4 кварталов, год не завершён)")
    expect(page.locator("main")).not_to_contain_text(ranked[0].full_name)
    assert own is not None
    shot(page, "ranking_employee_home")
