"""R11.1 after R13: a re-evaluation completes the result again (the re-sent sheet's
record_result: a new score, or a later completion), and the person acknowledges the NEW
evaluation; the earlier acknowledgement stays in history and goes with the rest under R14.
A calibration adjustment (adjust_result, R41.2) is not a new evaluation: it keeps the
acknowledgement (the posting of the protocol tells the person, tests/calibration)."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisal.models import Acknowledgement, OutboxMessage
from appraisal.services import acknowledgement as ack
from appraisal.services.results import adjust_result, record_result
from appraisal.services.retention import dispose
from tests.appraisal.ack_helpers import PNG, approved_quarter, at, result_for
from tests.conftest import make_org

pytestmark = pytest.mark.django_db
D = dt.date
Q1_DONE = at(2024, 4, 5, 16)  # Friday; due Tue 09.04.2024
REDONE = at(2024, 5, 20, 11)  # Monday; two working days: Tue 21 and Wed 22 May
REDONE_DUE = D(2024, 5, 22)


@pytest.fixture
def q1(org):
    return approved_quarter(org, 2024, 1)


def _acknowledged(org, q1):
    result = result_for(q1, org.staff[0], completed_at=Q1_DONE, score="3.00")
    with time_machine.travel(at(2024, 4, 8, 9), tick=False):
        ack.acknowledge(result=result, user=org.staff[0].user)
    return result


@pytest.mark.parametrize("new_score", ["4.20", "3.00"])  # a new value, or the same value re-assessed
def test_R11_1_R13_reevaluated_result_must_be_acknowledged_again(client, org, q1, new_score):
    result = _acknowledged(org, q1)
    first = Acknowledgement.objects.get(result=result)
    with time_machine.travel(REDONE, tick=False):
        result = record_result(entry=result.entry, score=new_score, completed_at=REDONE)
    result.refresh_from_db()
    assert result.completed_at == REDONE
    assert ack.acknowledgement_of(result) is None and ack.acknowledged_on(result) is None
    # the earlier acknowledgement is kept in history, with why it was removed
    removed = first.history.filter(history_type="-").get()
    assert removed.acknowledged_on == D(2024, 4, 8) and "п. 13" in removed.history_change_reason
    # a new notice, keyed by the new completion, naming the new due day
    notices = ack.result_notices(result)
    assert sorted(n.channel for n in notices) == ["email", "sms"]
    assert all("Повторная оценка" in n.body and "22.05.2024" in n.body for n in notices)
    assert OutboxMessage.objects.filter(key__startswith=f"R11.1:result:{result.pk}:").count() == 4
    assert ack.acknowledgement_due(result) == REDONE_DUE
    # the chief's list: pending on the due day, missing the day after
    on_due = ack.statuses([result], today=REDONE_DUE)[0]
    after = ack.statuses([result], today=REDONE_DUE + dt.timedelta(days=1))[0]
    assert on_due.pending and not on_due.missing and after.missing
    # the person's page offers «Ознакомлен(а)» again, and the click records the new moment
    client.force_login(org.staff[0].user)
    with time_machine.travel(at(2024, 5, 21, 10), tick=False):
        page = client.get(reverse("result_detail", args=[result.pk])).content.decode()
        assert 'id="acknowledge"' in page
        earlier = page[page.index('id="ack-earlier"'):][:400]
        assert "08.04.2024" in earlier and "20.05.2024" in earlier and "п. 13" in earlier
        again = ack.acknowledge(result=result, user=org.staff[0].user)
    assert again.acknowledged_on == D(2024, 5, 21)
    assert not ack.statuses([result], today=REDONE_DUE + dt.timedelta(days=1))[0].late


def test_R11_1_R13_the_same_sheet_recorded_again_keeps_the_acknowledgement(org, q1):
    result = _acknowledged(org, q1)
    record_result(entry=result.entry, score="3.00", completed_at=Q1_DONE)  # a retry
    record_result(entry=result.entry, score="3.00")  # no completion given, same value
    assert ack.acknowledged_on(result) == D(2024, 4, 8)
    assert OutboxMessage.objects.filter(key__startswith=f"R11.1:result:{result.pk}:").count() == 2


def test_R13_calibration_adjustment_is_not_a_new_evaluation_the_acknowledgement_stands(org, q1):
    result = _acknowledged(org, q1)
    adjust_result(result=result, score="4.00", basis="протокол калибровочной сессии от 15.04.2024")
    result.refresh_from_db()
    assert result.score == 4 and result.original_score == 3 and result.completed_at == Q1_DONE
    assert ack.acknowledged_on(result) == D(2024, 4, 8)
    assert OutboxMessage.objects.filter(key__startswith=f"R11.1:result:{result.pk}:").count() == 2


def test_R14_disposal_removes_the_acknowledgement_of_the_superseded_evaluation_and_its_scan(
        settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    org = make_org()
    q1 = approved_quarter(org, 2024, 1)
    result = result_for(q1, org.staff[0], completed_at=Q1_DONE, without=True)
    with time_machine.travel(at(2024, 4, 8), tick=False):
        ack.record_notice(result=result, by=org.chief.user, channel="telephonogram", date=D(2024, 4, 8),
                          scan=SimpleUploadedFile("n.png", PNG, content_type="image/png"))
    with time_machine.travel(REDONE, tick=False):
        record_result(entry=result.entry, score="4.50", completed_at=REDONE)
    history = Acknowledgement.history.model.objects.filter(result_id=result.pk)
    assert history.exists() and not Acknowledgement.objects.filter(result=result).exists()
    assert [p for p in (tmp_path / "private").rglob("*") if p.is_file()]  # the old scan is kept
    with time_machine.travel(at(2027, 5, 21), tick=False), django_capture_on_commit_callbacks(execute=True):
        dispose(entry_ids=[result.entry_id], by=org.chief.user)
    assert not Acknowledgement.history.model.objects.filter(result_id=result.pk).exists()
    assert not [p for p in (tmp_path / "private").rglob("*") if p.is_file()]


def test_R11_2_an_sms_queued_under_the_earlier_key_is_still_proof(org, q1, settings, tmp_path):
    # Results notified before the notice keys named the completion keep their proof.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with time_machine.travel(Q1_DONE, tick=False):
        result = result_for(q1, org.staff[0], completed_at=Q1_DONE, without=True)
    for row in OutboxMessage.objects.filter(key__startswith=f"R11.1:result:{result.pk}:"):
        row.key = f"R11.1:result:{result.pk}:{row.channel}"
        row.state, row.sent_at = "sent", at(2024, 4, 8, 9)
        row.save()
    with time_machine.travel(at(2024, 4, 8, 10), tick=False):
        row = ack.record_notice(result=result, by=org.chief.user, channel="sms", date=D(2024, 4, 8))
    assert [n.channel for n in row.notices.all()] == ["sms"]
    assert len(ack.result_notices(result)) == 2
