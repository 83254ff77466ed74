"""R41.2 journey (with R12, R38, R41.1): an employee acknowledges the result and applies for a
calibration session; the chairman, as the appointing official, approves the composition in
the Django admin; the chief specialist opens the session, the evaluator argues, every
participant votes; the protocol is signed and posted; the employee sees the calibrated score
with the original beside it, and the year's mean moves."""

import subprocess
from pathlib import Path

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import PeriodResult, Role, RoleAssignment
from appraisal.services import schedules
from calibration.models import CalibrationCase, CaseState
from ranking.models import PARAMETER_CODES, RankingSheet
from ranking.services import save_ranking
from tests.browser.conftest import SCREENSHOTS, login, logout, shot, url
from tests.factories import quarter


def _evaluated(org):
    """The third quarter of 2026 approved and the staff member's ranking sheet sent (R29)."""
    schedule = schedules.generate_schedule(organisation=org.organisation, period=quarter(2026, 3), by=org.chief.user)
    schedules.submit_schedule(schedule=schedule, by=org.chief.user)
    schedules.approve_schedule(schedule=schedule, by=org.official.user)
    sheet = RankingSheet.objects.get(entry__schedule=schedule, entry__employee=org.staff[0])
    save_ranking(sheets=[sheet], raw={sheet.pk: dict(zip(PARAMETER_CODES, "3333", strict=True))},
                 by=org.head.user, submit=True)
    return PeriodResult.objects.get(entry=sheet.entry)


def _chairman_decides_in_admin(org):
    RoleAssignment.objects.create(organisation=org.organisation, user=org.chairman.user,
                                  role=Role.APPOINTING_OFFICIAL)
    user = org.chairman.user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="calibration", codename__in=["view_calibrationcase", "change_calibrationcase"]))


def _vote(page, live_server, case, username, choice, score=""):
    login(page, live_server, username)
    page.goto(url(live_server, reverse("calibration:case", args=[case.pk])))
    form = page.locator("#vote-form")
    form.locator(f"input[name=choice][value={choice}]").check()
    if score:
        form.locator("input[name=score]").fill(score)
    form.locator("textarea[name=position]").fill("Объём работы учтён не полностью." if score else "Поддерживаю.")
    form.get_by_role("button", name="Проголосовать").click()
    expect(page.locator("#voted")).to_be_visible()
    logout(page)


def test_R41_2_employee_applies_chairman_approves_in_admin_participants_vote_score_calibrated(
        page, live_server, browser_org):
    org = browser_org
    result = _evaluated(org)
    _chairman_decides_in_admin(org)
    employee = org.staff[0]

    # R11.1, R12: the employee acknowledges the result and applies, on the result page.
    login(page, live_server, employee.user.username)
    expect(page.locator("#ranking-panel .annual-mean")).to_contain_text("3,00")  # the year's mean before
    page.goto(url(live_server, reverse("result_detail", args=[result.pk])))
    expect(page.locator("#result-value")).to_contain_text("3,00")
    page.locator("#acknowledge").click()
    expect(page.locator("#calibration-panel")).to_contain_text("не позднее")
    shot(page, "R41_2_01_result_acknowledged_panel")
    page.fill("#calibration-text", "Не согласна с оценкой: в квартале подготовлено 14 проектов решений сессии.")
    page.locator("#calibration-apply button").click()
    expect(page.locator("#case-state")).to_have_text("заявление подано")
    shot(page, "R41_2_02_application_filed")
    case = CalibrationCase.objects.get(result=result)
    logout(page)

    # R38: the chairman approves the composition in the Django admin (the same service).
    login(page, live_server, org.chairman.user.username)
    page.goto(url(live_server, reverse("admin:calibration_calibrationcase_change", args=[case.pk])))
    expect(page.locator("body")).not_to_contain_text("14 проектов")  # no application text, no score
    page.get_by_role("link", name="Провести сессию и утвердить состав").click()
    page.fill("#id_session_date", timezone.localdate().isoformat())
    page.fill("#id_session_time", "15:00")
    page.fill("#id_place", "Зал заседаний маслихата")
    page.get_by_label(org.staff[1].full_name).check()
    page.get_by_label(org.chairman.full_name).check()
    shot(page, "R41_2_03_admin_composition_form")
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.locator(".messagelist")).to_contain_text("Выполнено")
    shot(page, "R41_2_04_admin_composition_approved")
    case.refresh_from_db()
    assert case.state == CaseState.COMPOSITION_APPROVED and case.decided_by == org.chairman.user
    logout(page)

    # R40, R41.1: the chief specialist opens the session; the evaluator argues and votes.
    login(page, live_server, org.chief.user.username)
    page.goto(url(live_server, reverse("calibration:case", args=[case.pk])))
    page.locator("#open-session").click()
    expect(page.locator("#case-state")).to_have_text("сессия проводится (голосование)")
    logout(page)
    login(page, live_server, org.head.user.username)
    page.goto(url(live_server, reverse("calibration:case", args=[case.pk])))
    page.locator("#argument-form textarea").fill("Качество и сроки — надлежащие, инициативы было мало.")
    page.locator("#argument-form button").click()
    expect(page.locator("#argument")).to_contain_text("инициативы было мало")
    logout(page)

    # R41.2: each participant votes; three of four for 4.50 is more than half.
    _vote(page, live_server, case, org.head.user.username, "keep")
    for person in (org.chief, org.staff[1], org.chairman):
        _vote(page, live_server, case, person.user.username, "adjust", "4.50")

    login(page, live_server, org.chief.user.username)
    page.goto(url(live_server, reverse("calibration:case", args=[case.pk])))
    expect(page.locator("#tally")).to_contain_text("Участников: 4")
    page.locator("#sign-form button").click()
    expect(page.locator("#outcome")).to_contain_text("Принята новая оценка 4,50")
    page.locator("#post-protocol").click()
    expect(page.locator("#case-state")).to_have_text("протокол размещён")
    shot(page, "R41_2_05_protocol_posted")
    pdf = page.request.get(url(live_server, reverse("calibration:protocol_pdf", args=[case.pk])))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    protocol = SCREENSHOTS / "R41_2_06_protocol.pdf"
    protocol.write_bytes(pdf.body())
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(protocol), str(Path(SCREENSHOTS / "R41_2_06_protocol"))],
                   check=True)
    logout(page)

    # The employee sees the calibrated score with the original, and the year's mean moved.
    login(page, live_server, employee.user.username)
    expect(page.locator("#ranking-panel .annual-mean")).to_contain_text("4,50")
    shot(page, "R41_2_07_employee_home")
    page.goto(url(live_server, reverse("result_detail", args=[result.pk])))
    expect(page.locator("#result-value")).to_contain_text("4,50")
    expect(page.locator("#result-value")).to_contain_text("исходный результат: 3,00")
    shot(page, "R41_2_08_result_calibrated")
    result.refresh_from_db()
    assert result.score == 4.5 and result.original_score == 3
