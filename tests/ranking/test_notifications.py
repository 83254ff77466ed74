"""R30: each staff member is notified of the evaluation no later than the 10th of the month
after the quarter, through the outbox, exactly once."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from appraisal import hooks
from appraisal.models import OutboxMessage
from appraisal.tasks import tick
from ranking.models import RankingSheet
from tests.factories import quarter
from tests.ranking.conftest import approve_quarter


def at(day: dt.date, hour=9):
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_current_timezone())


def r30_messages():
    return OutboxMessage.objects.filter(rule_id="R30")


def test_R30_ranking_registers_its_tick():
    from ranking.services import queue_r30_notices

    assert queue_r30_notices in hooks._tick


def test_R30_no_notice_while_the_quarter_runs(org):
    with time_machine.travel(at(dt.date(2026, 8, 1)), tick=False):
        approve_quarter(org, quarter(2026, 3))
        tick()
    assert not r30_messages().exists()


def test_R30_each_staff_member_notified_once_after_the_quarter(org):
    with time_machine.travel(at(dt.date(2026, 8, 1)), tick=False):
        approve_quarter(org, quarter(2026, 3))
    with time_machine.travel(at(dt.date(2026, 10, 1)), tick=False):
        tick()
        tick()  # a second beat the same day changes nothing
    with time_machine.travel(at(dt.date(2026, 10, 5)), tick=False):
        tick()
    sheets = list(RankingSheet.objects.select_related("entry__employee"))
    assert len(sheets) == 3
    keys = set(r30_messages().values_list("key", flat=True))
    # e-mail and SMS per person (the factory gives both), one key per schedule line
    assert keys == {f"R30:{s.entry_id}:{channel}" for s in sheets for channel in ("email", "sms")}
    assert r30_messages().count() == 6
    deadline = at(dt.date(2026, 10, 10), 23)
    assert all(m.due_at <= deadline for m in r30_messages())
    assert all(s.notified_at is not None for s in RankingSheet.objects.all())
    email = r30_messages().get(key=f"R30:{sheets[0].entry_id}:email")
    assert "III квартал 2026 года" in email.subject
    assert "10.10.2026" in email.body and "п. 30" in email.body


def test_R30_schedule_approved_after_the_quarter_is_notified_on_the_next_tick(org):
    with time_machine.travel(at(dt.date(2026, 10, 3)), tick=False):
        approve_quarter(org, quarter(2026, 3))
        tick()
    assert r30_messages().count() == 6
    assert OutboxMessage.objects.filter(rule_id="R30").exclude(state="pending").count() == 6  # sent by the tick


def test_R30_schedule_approved_after_the_10th_still_notifies_late_and_says_so(org):
    """An employee must not learn of an evaluation only from its result: a late schedule
    still gets its notices, once, saying they are late."""
    with time_machine.travel(at(dt.date(2026, 10, 11)), tick=False):
        approve_quarter(org, quarter(2026, 3))
        tick()
        tick()
    assert r30_messages().filter(channel="email").count() == 3  # chief + two staff, once each
    body = r30_messages().filter(channel="email").first().body
    assert "после срока п. 30 (10.10.2026)" in body
    assert RankingSheet.objects.filter(notified_at__isnull=True).count() == 0


def test_R30_no_late_notice_for_a_sheet_already_sent(org):
    """Once the sheet is sent the «coming evaluation» notice is moot: acquaintance with the
    result (п. 11) follows instead, and the overview shows who was never notified."""
    with time_machine.travel(at(dt.date(2026, 10, 11)), tick=False):
        approve_quarter(org, quarter(2026, 3))
        RankingSheet.objects.update(state="submitted")
        tick()
    assert not r30_messages().exists()


def test_R30_without_participation_is_said_in_the_notice(org):
    from appraisal.models import Absence, AbsenceKind

    Absence.objects.create(employee=org.staff[0], kind=AbsenceKind.BUSINESS_TRIP, start=dt.date(2026, 9, 25),
                           end=dt.date(2026, 10, 15))
    with time_machine.travel(at(dt.date(2026, 10, 2)), tick=False):
        approve_quarter(org, quarter(2026, 3))
        tick()
    sheet = RankingSheet.objects.get(entry__employee=org.staff[0])
    body = OutboxMessage.objects.get(key=f"R30:{sheet.entry_id}:email").body
    assert "без вашего участия" in body


def test_R30_overview_flags_staff_notified_late_or_not_at_all(client, org):
    # Notified in time for the third quarter; the fourth is approved after its R30 day and
    # notified late; one of its sheets was sent before any notice could go.
    with time_machine.travel(at(dt.date(2026, 10, 2)), tick=False):
        approve_quarter(org, quarter(2026, 3))
        tick()
    with time_machine.travel(at(dt.date(2027, 1, 12)), tick=False):
        approve_quarter(org, quarter(2026, 4))
        RankingSheet.objects.filter(entry__schedule__period=quarter(2026, 4), entry__employee=org.staff[0]).update(
            state="submitted")
        tick()
        client.force_login(org.chief.user)
        late = client.get(reverse("ranking:overview", args=[quarter(2026, 4).pk])).content.decode()
        on_time = client.get(reverse("ranking:overview", args=[quarter(2026, 3).pk])).content.decode()
    assert 'id="r30-missed"' in late and "п. 30: не уведомлены о проведении оценки до 10.01.2027: 1" in late
    assert late.count("не уведомлён в срок") == 1
    assert 'id="r30-late"' in late and "п. 30: уведомлены после 10.01.2027: 2" in late
    assert 'id="r30-missed"' not in on_time and "не уведомлён в срок" not in on_time
    assert 'id="r30-late"' not in on_time
    assert "02.10.2026" in on_time
