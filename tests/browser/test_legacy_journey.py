"""R43–R65 journey of chapter 6, in the browser.

Chapter 6 lapsed on 31.08.2023 (D2): a new plan can no longer be started, so the schedule line
and the plan's five KCIs are created through the services on days of 2022 (as they were
then). Everything after that — a procedure started before D2 may be finished — goes through
the pages today: the direct supervisor submits the plan, the higher supervisor approves it;
the sheet is filled, returned for rework (R51), resubmitted (R52), signed (R50) and submitted
to the Commission (R53); the authorised person forms the Commission; the chief specialist
schedules the meeting three working days ahead (R54); on that day the quorum is recorded
(R55), the members vote openly (R57) and the majority revises the result (R58, R63); the
protocol (form 11) is printed; the authorised person approves (R64); the employee
acknowledges (R65).
"""

import datetime as dt
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from playwright.sync_api import expect

from appraisal.models import AbsenceKind, PeriodResult
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from legacy_commission.models import CommissionMeeting, LegacyPlan
from legacy_commission.services import commission as commission_services
from legacy_commission.services import plans
from tests.browser.conftest import SCREENSHOTS, login, logout, shot, url
from tests.factories import AbsenceFactory
from tests.legacy_commission.commission_helpers import KCI, on, quarter_2022

ALMATY = ZoneInfo("Asia/Almaty")


def _plan_started_in_2022(org):
    """The schedule line (R5.3 while in force) and the plan with its five KCIs, in 2022."""
    person = org.staff[0]
    AbsenceFactory(employee=person, kind=AbsenceKind.SOCIAL_LEAVE, start=dt.date(2022, 4, 10),
                   end=dt.date(2022, 6, 20))
    with on(dt.date(2022, 4, 1)):
        schedule = generate_schedule(organisation=org.organisation, period=quarter_2022(), by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
    with on(dt.date(2022, 4, 5)):
        plan = plans.create_plan(entry=schedule.entries.get(employee=person), by=org.head.user)
        for n in range(5):
            plans.save_kci(plan=plan, by=org.head.user,
                           data={**KCI, "title": f"КЦИ {n + 1}: документ подготовлен", "deadline": dt.date(2022, 6, 30)})
    return plan


def _sheet_step(page, live_server, username, button, plan):
    login(page, live_server, username)
    sheet = LegacyPlan.objects.get(pk=plan.pk).sheet
    page.goto(url(live_server, f"/legacy/sheets/{sheet.pk}/"))
    page.get_by_role("button", name=button).click()
    return sheet


def test_R58_chapter6_journey_plan_sheet_return_commission_vote_protocol_acknowledgement(page, live_server,
                                                                                        browser_org):
    org = browser_org
    evaluated = org.staff[0]
    plan = _plan_started_in_2022(org)
    chairman, *members = org.add_staff(4, prefix="Член")

    # R43, R44: the direct supervisor submits the plan, the higher supervisor approves it.
    login(page, live_server, org.head.user.username)
    page.goto(url(live_server, f"/legacy/plans/{plan.pk}/"))
    page.locator("#plan-submit").click()
    expect(page.locator("#plan-state")).to_contain_text("на утверждении")
    logout(page)
    login(page, live_server, org.chairman.user.username)
    page.goto(url(live_server, f"/legacy/plans/{plan.pk}/"))
    page.locator("#plan-approve").click()
    expect(page.locator("#plan-state")).to_have_text("утверждён")
    logout(page)

    # R47–R49: the sheet, four of five KCIs achieved, signed and sent to the higher supervisor.
    login(page, live_server, org.head.user.username)
    page.goto(url(live_server, f"/legacy/plans/{plan.pk}/"))
    page.locator("#open-sheet").click()
    for number in range(1, 6):
        form = page.locator(f"#sheet-lines tr[data-kci='{number}'] form.line-form")
        form.locator(f"input[name=achieved][value={'yes' if number < 5 else 'no'}]").check()
        form.locator("textarea[name=evidence]").fill(f"отчёт № {number} о выполнении")
        form.get_by_role("button", name="Сохранить").click()
        expect(page.locator(f"#sheet-lines tr[data-kci='{number}'] td:nth-child(3)")).to_have_text(
            "да" if number < 5 else "нет")
    expect(page.locator("#legacy-result")).to_contain_text("надлежащим образом")
    page.locator("#sheet-send").click()
    expect(page.locator("#sheet-state")).to_contain_text("на рассмотрении")
    logout(page)

    # R50, R51: returned for rework for insufficient evidence.
    login(page, live_server, org.chairman.user.username)
    sheet = LegacyPlan.objects.get(pk=plan.pk).sheet
    page.goto(url(live_server, f"/legacy/sheets/{sheet.pk}/"))
    page.locator("#return-card select[name=reason_kind]").select_option("insufficient")
    page.locator("#return-card textarea[name=reason]").fill("К КЦИ 3 не приложен отчёт")
    page.locator("#sheet-return").click()
    expect(page.locator("#sheet-state")).to_contain_text("на доработку")
    logout(page)

    # R52: reworked and resubmitted; R50: signed; R53: submitted to the Commission.
    login(page, live_server, org.head.user.username)
    page.goto(url(live_server, f"/legacy/sheets/{sheet.pk}/"))
    form = page.locator("#sheet-lines tr[data-kci='3'] form.line-form")
    form.locator("textarea[name=evidence]").fill("отчёт № 3 о выполнении, приложение: акт от 30.06.2022")
    form.get_by_role("button", name="Сохранить").click()
    page.locator("#sheet-send").click()
    expect(page.locator("#sheet-state")).to_contain_text("на рассмотрении")
    logout(page)
    _sheet_step(page, live_server, org.chairman.user.username, "Согласиться с оценкой и подписать", plan)
    expect(page.locator("#sheet-state")).to_contain_text("подписан")
    logout(page)
    _sheet_step(page, live_server, org.chief.user.username, "Вынести на рассмотрение Комиссии", plan)
    expect(page.locator("#sheet-state")).to_contain_text("Комиссии")
    shot(page, "legacy_01_sheet_submitted")
    logout(page)

    # R56, R59: the authorised person forms the Commission, the chief specialist its secretary.
    login(page, live_server, org.official.user.username)
    page.locator("#commission-list-link").click()
    form = page.locator("#commission-create")
    form.locator("[name=order_reference]").fill("распоряжение № 12 от сегодняшнего дня")
    form.locator("[name=chairman]").select_option(str(chairman.pk))
    for member in members:
        form.locator(f"input[name=members][value='{member.pk}']").check()
    form.locator("[name=secretary]").select_option(str(org.chief.pk))
    form.get_by_role("button", name="Создать Комиссию").click()
    expect(page.locator("#composition")).to_contain_text("секретарь Комиссии")
    logout(page)

    # R54, R61: the chief specialist schedules the meeting with the submitted sheet.
    login(page, live_server, org.chief.user.username)
    page.locator("#commission-list-link").click()
    page.locator("#commissions a").first.click()
    earliest = page.locator("#earliest").inner_text()
    schedule_form = page.locator("#schedule-form")
    # the page offers no earlier day (min); the server refuses one all the same
    schedule_form.locator("[name=date]").evaluate("input => input.removeAttribute('min')")
    schedule_form.locator("[name=date]").fill(
        (dt.datetime.strptime(earliest, "%d.%m.%Y").date() - dt.timedelta(days=1)).isoformat())
    schedule_form.locator("[name=place]").fill("зал заседаний маслихата")
    schedule_form.get_by_role("button", name="Назначить заседание").click()
    expect(page.locator(".msg-error")).to_contain_text("п. 54")  # a day too close
    schedule_form = page.locator("#schedule-form")
    schedule_form.locator("[name=place]").fill("зал заседаний маслихата")
    schedule_form.get_by_role("button", name="Назначить заседание").click()
    expect(page.locator("#meeting-state")).to_have_text("назначено")
    shot(page, "legacy_02_meeting_scheduled")
    logout(page)
    meeting = CommissionMeeting.objects.get()

    with time_machine.travel(dt.datetime.combine(meeting.date, dt.time(10), tzinfo=ALMATY), tick=True):
        # R55: the quorum — the chairman and two of three members (3 of 4).
        login(page, live_server, org.chief.user.username)
        page.goto(url(live_server, f"/legacy/meetings/{meeting.pk}/"))
        page.locator(f"#attendance-form input[value='{commission_services.voter_for(meeting, members[2].user).pk}']") \
            .uncheck()
        page.get_by_role("button", name="Открыть заседание").click()
        expect(page.locator("#meeting-state")).to_contain_text("проводится")
        logout(page)

        # R57: the open vote; two of three for a revision to «effective».
        for member, choice in ((chairman, "revise"), (members[0], "approve"), (members[1], "revise")):
            login(page, live_server, member.user.username)
            page.goto(url(live_server, f"/legacy/meetings/{meeting.pk}/"))
            vote = page.locator(".vote-form").first
            vote.locator(f"input[name=choice][value={choice}]").check()
            if choice == "revise":
                vote.locator("select[name=gradation]").select_option("effective")
            vote.get_by_role("button", name="Проголосовать").click()
            expect(page.locator(".msg-success")).to_contain_text("Голос учтён")
            if member == chairman:
                shot(page, "legacy_03_member_votes")
            logout(page)

        # R58: the secretary closes the vote; R63: the revision in its column; form 11.
        login(page, live_server, org.chief.user.username)
        page.goto(url(live_server, f"/legacy/meetings/{meeting.pk}/"))
        expect(page.locator("#attendance-form")).to_have_count(0)
        expect(page.locator(".vote-form")).to_have_count(0)  # the secretary does not vote (R59)
        page.locator("#do-close_voting").click()
        expect(page.locator("#meeting-state")).to_have_text("решения приняты")
        expect(page.locator("#agenda .correction")).to_have_text("Выполняет функциональные обязанности эффективно")
        shot(page, "legacy_04_decided")
        pdf = page.request.get(url(live_server, f"/legacy/meetings/{meeting.pk}/form11.pdf"))
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pdf_path = SCREENSHOTS / "legacy_05_protocol.pdf"
        pdf_path.write_bytes(pdf.body())
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf_path), str(Path(SCREENSHOTS / "legacy_05_protocol"))],
                       check=False)
        logout(page)

        # R64: the authorised person approves; the result is recorded, the original kept.
        login(page, live_server, org.official.user.username)
        page.goto(url(live_server, f"/legacy/meetings/{meeting.pk}/"))
        page.locator("#do-approve").click()
        expect(page.locator("#meeting-state")).to_have_text("результаты утверждены")
        logout(page)
        result = PeriodResult.objects.get(entry__employee=evaluated)
        assert result.score is None and result.gradation == "effective" and result.original_gradation == "proper"

        # R65: the employee sees the result and acknowledges it in the application.
        login(page, live_server, evaluated.user.username)
        page.goto(url(live_server, f"/results/{result.pk}/"))
        expect(page.locator("#result-value")).to_contain_text("эффективно")
        page.locator("#acknowledge").click()
        expect(page.locator("#ack-done")).to_be_visible()
        shot(page, "legacy_06_acknowledged")
