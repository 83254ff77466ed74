"""Issue 11, point 3: everyone knows what to do next and who does it.

The demo's situation on 29.11.2026: the Q3 2026 schedule is still a draft although the last
day of its evaluation (R4, 10.10.2026) has passed. The chairman holds the appointing
official's role as well (as in the demo, tests/appraisal/test_demo.py checks the demo itself).
"""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal import roles
from appraisal.models import Role, Schedule
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from tests.conftest import make_org
from tests.factories import RoleAssignmentFactory, quarter
from tests.ranking.test_pdf_and_report import rank

TODAY = dt.datetime(2026, 11, 29, 10, 0)  # seven weeks after Q3 2026's R4 day, 10.10.2026
Q3_LAST_DAY = "10.10.2026"


@pytest.fixture
def now():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def demo_like(db, now):
    org = make_org(2)
    RoleAssignmentFactory(organisation=org.organisation, user=org.chairman.user, role=Role.APPOINTING_OFFICIAL)
    org.q3 = generate_schedule(organisation=org.organisation, period=quarter(2026, 3), by=org.chief.user)
    return org


def page(client, user, url="/") -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, element_id: str) -> str:
    """The text of the <section id=...> (or "" when the page has none)."""
    match = re.search(rf'<section[^>]*id="{element_id}"[^>]*>(.*?)</section>', html, re.S)
    return re.sub(r"\s+", " ", match.group(1)) if match else ""


# --- the overdue Q3 draft, who acts next ------------------------------------------------

def test_R4_R10_chairman_home_lists_overdue_draft_naming_the_chief_who_sends_it(client, demo_like):
    org = demo_like
    overdue = section(page(client, org.chairman.user), "overdue")
    assert "Просрочено" in page(client, org.chairman.user)
    assert "III квартал 2026 года" in overdue and Q3_LAST_DAY in overdue and "просрочено" in overdue
    assert "главный специалист по делопроизводству и кадровым вопросам" in overdue
    assert org.chief.short_name in overdue and "направить график на утверждение" in overdue


def test_R4_R10_chairman_home_lists_overdue_sent_schedule_with_the_approve_action(client, demo_like):
    org = demo_like
    submit_schedule(schedule=org.q3, by=org.chief.user)
    overdue = section(page(client, org.chairman.user), "overdue")
    assert "III квартал 2026 года" in overdue and "просрочено" in overdue
    assert reverse("schedule_detail", args=[org.q3.pk]) in overdue and "Утвердить" in overdue
    # R10: the appointing official's role, and every person who holds it
    assert "должностное лицо, имеющее право назначения" in overdue
    assert org.official.short_name in overdue and org.chairman.short_name in overdue


def test_R4_chief_home_lists_the_overdue_draft_she_has_to_send(client, demo_like):
    org = demo_like
    overdue = section(page(client, org.chief.user), "overdue")
    assert "III квартал 2026 года" in overdue and Q3_LAST_DAY in overdue
    assert org.chief.short_name in overdue and "направить график на утверждение" in overdue


def test_R10_schedule_page_names_who_approves_a_sent_schedule(client, demo_like):
    org = demo_like
    submit_schedule(schedule=org.q3, by=org.chief.user)
    html = page(client, org.chief.user, reverse("schedule_detail", args=[org.q3.pk]))
    next_actor = re.sub(r"\s+", " ", re.search(r'id="next-actor">(.*?)</p>', html, re.S).group(1))
    assert "должностное лицо, имеющее право назначения" in next_actor
    assert org.official.short_name in next_actor and org.chairman.short_name in next_actor


def test_R4_approving_after_the_last_day_warns_on_the_page_and_after_approval(client, demo_like):
    org = demo_like
    submit_schedule(schedule=org.q3, by=org.chief.user)
    url = reverse("schedule_detail", args=[org.q3.pk])
    before = page(client, org.chairman.user, url)
    assert 'id="late-notice"' in before and Q3_LAST_DAY in before and "п. 4" in before
    response = client.post(reverse("schedule_transition", args=[org.q3.pk, "approve"]), follow=True)
    html = response.content.decode()
    assert Schedule.objects.get(pk=org.q3.pk).is_approved
    assert 'class="msg-warning"' in html and "график утверждён позже, на 50 дн." in html


def test_R4_approving_on_the_last_day_does_not_warn(client, db):
    with time_machine.travel(dt.datetime(2026, 10, 10, 10, 0), tick=False):
        org = make_org(1)
        schedule = generate_schedule(organisation=org.organisation, period=quarter(2026, 3), by=org.chief.user)
        submit_schedule(schedule=schedule, by=org.chief.user)
        client.force_login(org.official.user)
        html = client.post(reverse("schedule_transition", args=[schedule.pk, "approve"]), follow=True).content.decode()
    assert "График: утверждён." in html and "msg-warning" not in html


def test_R4_approving_late_in_the_admin_warns(client, demo_like):
    org = demo_like
    submit_schedule(schedule=org.q3, by=org.chief.user)
    admin_user = get_user_model().objects.create_superuser("root", password="x")
    RoleAssignmentFactory(organisation=org.organisation, user=admin_user, role=Role.APPOINTING_OFFICIAL)
    client.force_login(admin_user)
    url = reverse("admin:appraisal_schedule_transition", kwargs={"object_id": org.q3.pk, "transition_name": "approve"})
    html = client.post(url, {}, follow=True).content.decode()
    assert Schedule.objects.get(pk=org.q3.pk).is_approved, html[:2000]
    assert "с нарушением срока п. 4" in html


# --- only what the role can act on ------------------------------------------------------

@pytest.fixture
def ranked_q2_open_q3(demo_like):
    """Q2 2026 approved and every sheet sent; Q3 2026 approved, nothing sent yet."""
    org = demo_like
    q2 = generate_schedule(organisation=org.organisation, period=quarter(2026, 2), by=org.chief.user)
    for schedule in (q2, org.q3):
        submit_schedule(schedule=schedule, by=org.chief.user)
        approve_schedule(schedule=schedule, by=org.official.user)
    rank(org, quarter(2026, 2), [(5, 4, 4, 4), (3, 3, 4, 3), (2, 2, 2, 1)])
    return org


def test_R29_employee_home_lists_only_the_sheet_in_work_naming_the_evaluator(client, ranked_q2_open_q3):
    org = ranked_q2_open_q3
    ranking = section(page(client, org.staff[0].user), "ranking-panel")
    assert ">II квартал 2026 года<" not in ranking  # sent: a result now, under «Мои оценки»
    assert ">III квартал 2026 года<" in ranking and org.head.short_name in ranking
    assert "оценивающее лицо (п. 29)" in ranking


def test_R29_evaluator_home_lists_only_quarters_with_sheets_to_send_overdue_marked(client, ranked_q2_open_q3):
    org = ranked_q2_open_q3
    ranking = section(page(client, org.head.user), "ranking-panel")
    assert ">II квартал 2026 года<" not in ranking  # all sent: nothing to do
    assert ">III квартал 2026 года<" in ranking and "отправлено 0 из 3" in ranking
    assert Q3_LAST_DAY in ranking and "просрочено" in ranking


def test_R5_2_R6_ranking_page_says_lines_without_participation_are_scored_too(client, ranked_q2_open_q3):
    org = ranked_q2_open_q3
    html = page(client, org.head.user, reverse("ranking:evaluate", args=[quarter(2026, 3).pk]))
    assert 'id="without-participation-rule"' in html and "«без участия»" in html and "п. 5.2, п. 6" in html


def test_R1_chairman_home_does_not_suggest_he_is_evaluated(client, demo_like):
    org = demo_like
    html = page(client, org.chairman.user)
    assert "Мои оценки" not in html and "вас пока не оценивали" not in html
    assert "Мои оценочные листы" not in html and "Мой отчёт 360" not in html
    # …while a member of staff still finds hers
    assert "Мои оценки" in page(client, org.staff[0].user)


# --- the same number of queries whatever the head count -----------------------------------

def _home_counts(client, org):
    counts = {}
    for name, user in (("chief", org.chief.user), ("chairman", org.chairman.user), ("head", org.head.user),
                       ("employee", org.staff[0].user)):
        roles.role_map(user)
        client.force_login(user)
        client.get("/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        counts[name] = len(ctx.captured_queries)
    return counts


def test_homes_with_pending_schedules_cost_the_same_queries_for_few_and_many_staff(client, db, now):
    results = []
    for n_staff in (2, 12):
        org = make_org(n_staff)
        RoleAssignmentFactory(organisation=org.organisation, user=org.chairman.user, role=Role.APPOINTING_OFFICIAL)
        for q in (2, 3):
            schedule = generate_schedule(organisation=org.organisation, period=quarter(2026, q), by=org.chief.user)
            submit_schedule(schedule=schedule, by=org.chief.user)
        results.append(_home_counts(client, org))
        for user in get_user_model().objects.filter(username__in=["chairman", "head", "chief", "official"]):
            user.username += f"-{n_staff}"
            user.save(update_fields=["username"])
    assert results[0] == results[1]


def test_R22_kci_panel_lists_the_quarters_in_work_not_the_scored_ones(client, db):
    from decimal import Decimal

    from appraisal.services.results import record_result
    from tests.kci.conftest import approved_schedule, head_entry, posted_plan

    org = make_org(1)
    scored = approved_schedule(org, quarter(2025, 2))
    record_result(entry=head_entry(scored, org), score=Decimal("4.00"))
    in_work = approved_schedule(org, quarter(2025, 3))
    posted_plan(org, head_entry(in_work, org))
    for who in (org.chairman, org.chief):
        panel = section(page(client, who.user), "kci-panel")
        assert "III квартал 2025 года" in panel and ">II квартал 2025 года<" not in panel
        assert reverse("kci:index") in panel  # the scored quarter is one click away


def test_R10_kci_row_of_an_unapproved_schedule_names_who_acts_next(client, demo_like):
    org = demo_like
    panel = section(page(client, org.head.user), "kci-panel")
    assert "график оценки не утверждён" in panel
    assert "главный специалист по делопроизводству и кадровым вопросам" in panel and org.chief.short_name in panel
