"""What an HR office reads on the chapter 2 pages (review of issue 3): a deadline met late is
not «просрочено»; no «Составить план» before the schedule is approved; the second of two
people submitting the same sheet is told, nothing lost; no amendment form once the
calculation is sent; earlier versions read like the current one; R22.4 on the head's page."""

import datetime as dt
from decimal import Decimal

import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from appraisal.models import Method, PeriodResult
from appraisal.services import schedules
from kci import services
from kci.models import KciScoreSheet
from tests.factories import quarter
from tests.kci.conftest import approved_schedule, plan_with_kcis, posted_plan, sent_sheet


def _home(client, user, when):
    client.force_login(user)
    with time_machine.travel(when, tick=False):
        return client.get(reverse("home")).content.decode()


def test_R22_1_plan_approved_late_shows_done_late_not_overdue(client, org, entry):
    plan = plan_with_kcis(org, entry)
    with time_machine.travel(dt.datetime(2025, 4, 25, 10), tick=False):  # R22.1 due 15.04.2025
        services.plan_transition(plan=plan, name="agree", by=org.chief.user)
        services.plan_transition(plan=plan, name="approve", by=org.chairman.user)
        services.plan_transition(plan=plan, name="post", by=org.chief.user)
    page = _home(client, org.chief.user, dt.datetime(2025, 4, 28, 10))
    assert "п. 22.1: просрочено" not in page
    assert "п. 22.1: с опозданием (25.04.2025; срок 15.04.2025)" in page
    assert 'class="row-overdue"' not in page


def test_R10_no_plan_button_before_the_schedule_is_approved(client, org):
    period = quarter(2025, 3)
    with time_machine.travel(dt.datetime(2025, 7, 1, 10), tick=False):
        schedule = schedules.generate_schedule(organisation=org.organisation, period=period, by=org.chief.user)
    assert schedule.entries.get(employee=org.head).method == Method.KCI
    page = _home(client, org.chairman.user, dt.datetime(2025, 7, 2, 10))
    assert "график оценки не утверждён" in page
    assert reverse("kci:plan_create", args=[schedule.entries.get(employee=org.head).pk]) not in page


def test_R27_second_submission_through_the_page_is_told_and_nothing_lost(client, org, entry):
    sheet = sent_sheet(org, posted_plan(org, entry), ["100", "90", "50"])
    lines = list(sheet.lines.order_by("kci__number"))
    client.force_login(org.chairman.user)
    url = reverse("kci:sheet_transition", args=[sheet.pk, "submit"])
    first = {f"score_{line.pk}": s for line, s in zip(lines, ["5", "4", "2"])}
    assert client.post(url, first).status_code == 302
    # the same form, submitted a second time from another tab with other comments
    second = {**first, **{f"comment_{line.pk}": "второй" for line in lines}}
    r = client.post(url, second)
    told = [str(m) for m in get_messages(r.wsgi_request)]
    assert any("уже изменён другим пользователем" in m and "не сохранены" in m for m in told), told
    assert list(KciScoreSheet.objects.get(pk=sheet.pk).lines.values_list("comment", flat=True)) == ["", "", ""]
    assert PeriodResult.objects.get(entry=entry).score == Decimal("3.67")


def test_R25_no_amendment_form_once_the_calculation_is_sent(client, org, entry):
    plan = posted_plan(org, entry)
    client.force_login(org.chairman.user)
    url = reverse("kci:plan_detail", args=[plan.pk])
    assert reverse("kci:plan_transition", args=[plan.pk, "amend"]) in client.get(url).content.decode()
    sent_sheet(org, plan, ["1", "1", "1"])
    page = client.get(url).content.decode()
    assert reverse("kci:plan_transition", args=[plan.pk, "amend"]) not in page
    assert "оценивающее лицо выставляет оценку" in page


def test_R25_earlier_version_reads_like_the_current_one(client, org, entry):
    plan = posted_plan(org, entry)
    services.plan_transition(plan=plan, name="amend", by=org.chairman.user, basis="structure", reason="реорганизация")
    client.force_login(org.chairman.user)
    page = client.get(reverse("kci:plan_detail", args=[plan.pk])).content.decode()
    section = page.split('id="plan-versions"', 1)[1]
    assert "30.06.2025" in section and "2025-06-30" not in section
    assert "100,00" in section and "100.00" not in section


def test_R22_4_head_page_says_no_kci_not_pending(client, org):
    org.head.appointments.update(start=dt.date(2025, 4, 20))
    approved_schedule(org, quarter(2025, 2), on=dt.date(2025, 4, 21))
    client.force_login(org.head.user)
    page = client.get(reverse("kci:my")).content.decode()
    assert "КЦИ не устанавливаются" in page
    assert "оценка ещё не завершена" not in page
