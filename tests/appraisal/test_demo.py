"""The demo data (issue 2, item 12): every eligibility case shows in the quarter the demo
documents, the command is idempotent, and each role has its own log-in."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from appraisal import demo, roles
from appraisal.models import (
    Employee,
    Organisation,
    Participation,
    PeriodResult,
    Role,
    Schedule,
    ScheduleEntry,
    ScheduleState,
)
from appraisal.services.schedules import generate_schedule

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def lines(schedule: Schedule) -> dict[str, ScheduleEntry]:
    return {e.employee.last_name: e for e in schedule.entries.select_related("employee")}


def counts() -> tuple[int, ...]:
    return (Organisation.objects.count(), Employee.objects.count(), Schedule.objects.count(),
            ScheduleEntry.objects.count(), PeriodResult.objects.count(), get_user_model().objects.count())


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_load_demo_shows_every_eligibility_case():
    output = load()
    organisation = demo.demo_organisation()
    chief = get_user_model().objects.get(username="chief")
    schedules = {(s.period.year, s.period.quarter): s for s in Schedule.objects.filter(organisation=organisation)}
    assert {k: s.state for k, s in schedules.items()} == {
        (2026, 1): ScheduleState.APPROVED, (2026, 2): ScheduleState.APPROVED, (2026, 3): ScheduleState.DRAFT,
        (2026, None): ScheduleState.APPROVED,  # the year: the 360 survey (chapter 4)
        (2022, 3): ScheduleState.APPROVED,  # chapter 6 (R5.3 while in force): legacy_commission.demo
    }

    q2 = lines(schedules[(2026, 2)])  # R22.4: the new head appointed 18.05.2026; R6: the previous head
    assert (q2["Серикбаева"].rule_id, q2["Серикбаева"].participation) == ("R22.4", Participation.NOT_EVALUATED)
    assert (q2["Токтаров"].rule_id, q2["Токтаров"].participation) == ("R6", Participation.WITHOUT)

    q3 = lines(schedules[(2026, 3)])
    assert {name: e.rule_id for name, e in q3.items()} == {
        "Серикбаева": "R21", "Ахметова": "R28", "Нурланова": "R5.2", "Оспанов": "R5.2", "Бекова": "R6",
        "Абдрахманов": "R5.1", "Исмаилова": "R28", "Калиев": "R28", "Тулегенова": "R28", "Жаксылыков": "R28",
    }
    assert "командировка" in q3["Оспанов"].reason_detail
    assert q3["Бекова"].participation == Participation.WITHOUT
    assert q3["Абдрахманов"].participation == Participation.NOT_EVALUATED

    q4 = lines(generate_schedule(organisation=organisation, period=demo.quarter(2026, 4), by=chief))
    assert (q4["Нурланова"].rule_id, q4["Калиев"].rule_id, q4["Абдрахманов"].rule_id) == ("R5.2", "R6", "R28")
    assert "Бекова" not in q4

    q2022 = lines(generate_schedule(organisation=organisation, period=demo.quarter(2022, 4), by=chief))
    assert q2022["Исмаилова"].rule_id == "R28"  # R5.3 lapsed on 31.08.2023 (D2): general order, with the note
    assert "п. 5.3 (глава 6) не применяется: действовал до 31.08.2023" in q2022["Исмаилова"].reason_detail

    # results of the approved quarters reach the employees' home pages
    assert PeriodResult.objects.filter(entry__schedule__organisation=organisation,
                                       entry__schedule__period__year=2026).count() == 18
    # III quarter 2022: the staff ranked, the head's KCI and the chapter-6 result (gradation only, R48)
    assert PeriodResult.objects.filter(entry__schedule__organisation=organisation,
                                       entry__schedule__period__year=2022).count() == 7
    assert PeriodResult.objects.get(entry__schedule__period__year=2022, entry__method="legacy").score is None
    assert not PeriodResult.objects.filter(entry__participation=Participation.NOT_EVALUATED).exists()
    assert "IV квартал 2022 года — п. 5.3" in output


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_load_demo_is_idempotent_and_reset_rebuilds():
    load()
    before = counts()
    assert "уже загружены" in load()
    assert counts() == before
    load("--reset")
    assert counts() == before
    assert Organisation.objects.filter(name=demo.ORG_NAME).count() == 1


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_load_demo_log_ins_hold_their_roles():
    load()
    User = get_user_model()
    organisation = demo.demo_organisation()
    expected = {"chairman": {Role.CHAIRMAN, Role.APPOINTING_OFFICIAL}, "chief": {Role.CHIEF_SPECIALIST},
                "official": {Role.APPOINTING_OFFICIAL},
                "head": set(), "staff1": set()}
    for username, held in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(demo.PASSWORD)
        assert roles.role_map(user).get(organisation.pk, set()) == held
    assert User.objects.get(username="head").employee.appointments.get().position.kind == "head"
    assert User.objects.filter(username__startswith="staff").count() == 8
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(demo.PASSWORD)


@pytest.mark.django_db
def test_bench_eligibility_reports_and_leaves_no_data():
    before = counts()
    out = StringIO()
    call_command("bench_eligibility", "--employees", "60", "--repeat", "1", stdout=out)
    report = out.getvalue()
    assert counts() == before
    build_line = next(line for line in report.splitlines() if line.startswith("build_entries") and " best " in line)
    assert build_line.split()[2] == "61"  # 60 staff and the head
    assert "rolled back" in report


@pytest.mark.django_db
def test_load_demo_results_come_through_the_chapter_workflows():
    """The past quarters' results are what the evaluators' own pages produced: every ranking
    sheet sent by the head of apparatus of that quarter (R29) and the head's KCI sheet scored
    by the chairman (R27) — no result exists without its sheet."""
    from kci.models import KciScoreSheet
    from kci.models import SheetState as KciSheetState
    from ranking.models import RankingSheet
    from ranking.models import SheetState as RankingSheetState

    with time_machine.travel(NOW, tick=False):
        load()
    ranking = RankingSheet.objects.filter(entry__schedule__state=ScheduleState.APPROVED)
    kci = KciScoreSheet.objects.filter(plan__entry__schedule__state=ScheduleState.APPROVED)
    # 2026: I and II quarters; 2022: III quarter (with the chapter-6 case, legacy_commission.demo)
    assert ranking.count() == 21 and set(ranking.values_list("state", flat=True)) == {RankingSheetState.SUBMITTED}
    assert kci.count() == 3 and set(kci.values_list("state", flat=True)) == {KciSheetState.SUBMITTED}
    sheet_entries = set(ranking.values_list("entry_id", flat=True)) | set(kci.values_list("plan__entry_id", flat=True))
    from legacy_commission.models import AgendaItem

    sheet_entries |= set(AgendaItem.objects.filter(meeting__state="approved").values_list("sheet__plan__entry_id",
                                                                                           flat=True))
    assert set(PeriodResult.objects.values_list("entry_id", flat=True)) == sheet_entries
    assert not get_user_model().objects.get(username="toktarov").is_active  # dismissed head: history only


@pytest.mark.django_db
def test_load_demo_opens_the_2026_survey_360_with_valid_circles():
    """R33, R35.1: the demo's 2026 survey is open (before its R4 day), every circle has three
    to seven respondents, and a staff member finds questionnaires on the respondent page."""
    from django.test import Client

    from survey360.models import Campaign, CampaignState
    from survey360.services import circle_problems

    with time_machine.travel(NOW, tick=False):
        load()
        campaign = Campaign.objects.get()
        assert campaign.state == CampaignState.COLLECTING and circle_problems(campaign) == []
        respondent = campaign.subjects.get(employee__user__username="staff7").respondents.select_related(
            "employee__user").first().employee  # someone who is asked about staff7
        client = Client()
        client.force_login(respondent.user)
        page = client.get("/survey360/").content.decode()
        assert "Тулегенова" in page  # staff7 is on the respondent's list


@pytest.mark.django_db
def test_load_demo_approvers_use_the_admin_without_seeing_results():
    """The official approves in the admin too (schedule pages with their buttons), but the
    admin shows no one's results to them (R20)."""
    from django.test import Client

    with time_machine.travel(NOW, tick=False):
        load()
        client = Client()
        client.force_login(get_user_model().objects.get(username="official"))
        draft = Schedule.objects.get(state=ScheduleState.DRAFT)
        assert client.get(f"/admin/appraisal/schedule/{draft.pk}/change/").status_code == 200
        assert client.get("/admin/appraisal/periodresult/").status_code == 403
        assert client.get("/admin/ranking/rankingsheet/").status_code == 403


@pytest.mark.django_db
def test_R27_demo_chief_follows_her_homes_default_links_into_the_admin_and_sees_no_results():
    """Issue 11.5: the chief specialist's home links the default form-4 weights and 360
    texts to the admin pages where she confirms them; those links must open for her, and
    the admin still shows her no one's results (R20)."""
    import re

    from django.test import Client

    with time_machine.travel(NOW, tick=False):
        load()
        client = Client()
        client.force_login(get_user_model().objects.get(username="chief"))
        home = client.get("/").content.decode()
        links = set(re.findall(r'href="(/admin/(?:ranking/rankingparameter|survey360/questionnaire)[^"]*)"', home))
        assert any("rankingparameter" in link for link in links) and any("questionnaire" in link for link in links)
        for link in links:
            assert client.get(link.replace("&amp;", "&")).status_code == 200, link
        for evaluative in ("/admin/appraisal/periodresult/", "/admin/ranking/rankingsheet/",
                           "/admin/survey360/subject/", "/admin/kci/individualplan/"):
            assert client.get(evaluative).status_code in (403, 404), evaluative
