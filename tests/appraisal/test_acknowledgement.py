"""R11.1, R11.2 (the core of R65, R66): the person is told when an evaluation completes,
acknowledges the result once on the result page within two working days; the chief
specialist records the notice for someone evaluated without participation, with its proof."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraisal.models import Acknowledgement, AcknowledgementChannel, OutboxMessage, OutboxState
from appraisal.notifications import send_due
from appraisal.services import acknowledgement as ack
from appraisal.services.results import record_result
from tests.appraisal.ack_helpers import GIF, PDF, PNG, approved_quarter, at, result_for
from tests.conftest import make_org

pytestmark = pytest.mark.django_db
D = dt.date
# Q1 2024 completed on Friday 05.04.2024: the two working days are Mon 8 and Tue 9 April.
Q1_DONE, Q1_DUE = at(2024, 4, 5, 16), D(2024, 4, 9)
# Q2 2024 completed on Friday 05.07.2024: Sat 6 July is the Capital's Day, moved to Mon 8 July,
# so the two working days are Tue 9 and Wed 10 July.
Q2_DONE, Q2_DUE = at(2024, 7, 5, 16), D(2024, 7, 10)


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def q1(org):
    return approved_quarter(org, 2024, 1)


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- R11.1: the notice on completion ------------------------------------------------------


def test_R11_1_notice_queued_once_on_completion_by_email_and_sms_without_the_score(org, q1, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = result_for(q1, org.staff[0], completed_at=Q1_DONE, score="3.47")
    rows = OutboxMessage.objects.filter(key__startswith=f"R11.1:result:{result.pk}:")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms"]
    assert all(r.user_id == org.staff[0].user_id and r.rule_id == "R11.1" for r in rows)
    for row in rows:
        assert "3.47" not in row.body and "3,47" not in row.body  # the value only behind R20
        assert "09.04.2024" in row.body  # the due day is named
    assert callbacks, "the outbox is sent after the commit"
    # A second recording (the same sheet sent again, a retry) queues nothing new; a new
    # evaluation (R13) is tests/appraisal/test_acknowledgement_reevaluation.py's.
    record_result(entry=result.entry, score="3.47", completed_at=Q1_DONE)
    record_result(entry=result.entry, score="3.47")
    assert OutboxMessage.objects.filter(key__startswith=f"R11.1:result:{result.pk}:").count() == 2
    assert send_due() == 2  # queued when recorded (now), sent by the callback or the next tick
    assert set(rows.values_list("state", flat=True)) == {OutboxState.SENT}


def test_R11_1_a_rolled_back_result_queues_no_notice(org, q1):
    with pytest.raises(RuntimeError), transaction.atomic():
        result_for(q1, org.staff[0], completed_at=Q1_DONE)
        raise RuntimeError
    assert not OutboxMessage.objects.filter(key__startswith="R11.1:").exists()


def test_R11_1_each_chapter_records_its_result_through_the_service_that_queues_the_notice():
    # KCI (sheet scored), ranking (sheet sent), 360 (report published) call record_result at
    # that moment; this pins the calls so that a chapter cannot bypass the notice.
    import inspect

    from kci import services as kci
    from ranking import services as ranking
    from survey360 import services as survey360

    assert "record_result(" in inspect.getsource(kci.submit_sheet)
    assert "record_result(" in inspect.getsource(ranking.save_ranking)
    assert "record_result(" in inspect.getsource(survey360.publish_reports)


# --- R11.1: the person's acknowledgement ----------------------------------------------


def test_R11_1_acknowledged_once_with_its_moment_a_second_click_changes_nothing(org, q1):
    result = result_for(q1, org.staff[0], completed_at=Q1_DONE)
    with time_machine.travel(at(2024, 4, 8, 9, 15), tick=False):
        first = ack.acknowledge(result=result, user=org.staff[0].user)
    assert first.channel == AcknowledgementChannel.IN_APP
    assert first.acknowledged_at == at(2024, 4, 8, 9, 15) and first.acknowledged_on == D(2024, 4, 8)
    with time_machine.travel(at(2024, 4, 9, 11), tick=False):
        second = ack.acknowledge(result=result, user=org.staff[0].user)
    assert second.pk == first.pk and second.acknowledged_at == at(2024, 4, 8, 9, 15)
    assert Acknowledgement.objects.count() == 1 and first.history.count() == 1
    assert ack.acknowledged_on(result) == D(2024, 4, 8)


def test_R11_1_only_the_evaluated_person_acknowledges(org, q1):
    result = result_for(q1, org.staff[0], completed_at=Q1_DONE)
    for user in (org.staff[1].user, org.head.user, org.chief.user, org.official.user):
        with time_machine.travel(at(2024, 4, 8), tick=False), pytest.raises(PermissionDenied) as exc:
            ack.acknowledge(result=result, user=user)
        assert "п. 11.1:" in str(exc.value)
    assert not Acknowledgement.objects.exists()


def test_R11_1_moment_before_completion_or_in_the_future_is_refused(org, q1):
    result = result_for(q1, org.staff[0], completed_at=Q1_DONE)
    with time_machine.travel(at(2024, 4, 8), tick=False):
        for moment in (at(2024, 4, 5, 15), at(2024, 4, 10)):
            with pytest.raises(ValidationError) as exc:
                ack.acknowledge(result=result, user=org.staff[0].user, at=moment)
            assert exc.value.messages[0].startswith("п. 11.1:")
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize(("done", "due"), [(Q1_DONE, Q1_DUE), (Q2_DONE, Q2_DUE)], ids=["weekend", "holiday"])
def test_R11_1_due_two_working_days_from_completion_on_the_day_not_late_the_day_after_late(org, done, due):
    schedule = approved_quarter(org, done.year, 1 if done.month == 4 else 2)
    on_time = result_for(schedule, org.staff[0], completed_at=done)
    late = result_for(schedule, org.staff[1], completed_at=done)
    assert ack.acknowledgement_due(on_time) == due
    with time_machine.travel(at(due.year, due.month, due.day, 17, 59), tick=False):
        ack.acknowledge(result=on_time, user=org.staff[0].user)
        # On the due day nothing is missing yet.
        assert not ack.statuses([late], today=due)[0].missing
    next_day = due + dt.timedelta(days=1)
    with time_machine.travel(at(next_day.year, next_day.month, next_day.day, 9), tick=False):
        assert ack.statuses([late])[0].missing
        ack.acknowledge(result=late, user=org.staff[1].user)
    rows = {s.result.pk: s for s in ack.statuses(
        type(on_time).objects.filter(pk__in=[on_time.pk, late.pk]).select_related("acknowledgement"),
        today=next_day)}
    assert not rows[on_time.pk].late and not rows[on_time.pk].missing
    assert rows[late.pk].late and not rows[late.pk].missing


def test_R11_1_a_working_day_override_moves_the_due_day(org, q1):
    from appraisal.models import WorkingDayOverride

    result = result_for(q1, org.staff[0], completed_at=Q1_DONE)
    WorkingDayOverride.objects.create(date=D(2024, 4, 8), is_working=False, reason="постановление")
    assert ack.acknowledgement_due(result) == D(2024, 4, 10)


def test_R11_1_chapter6_result_without_a_score_has_the_same_due_day(org, q1):
    from appraisal.models import Method, ScheduleEntry
    from appraisal.services.results import record_gradation

    entry = q1.entries.get(employee=org.staff[0])
    ScheduleEntry.objects.filter(pk=entry.pk).update(method=Method.LEGACY)
    entry.refresh_from_db()
    result = record_gradation(entry=entry, gradation="effective", completed_at=Q1_DONE)
    assert result.score is None and ack.acknowledgement_due(result) == Q1_DUE
    assert OutboxMessage.objects.filter(key__startswith=f"R11.1:result:{result.pk}:", rule_id="R65").count() == 2
    with time_machine.travel(at(2024, 4, 8), tick=False):
        assert ack.acknowledge(result=result, user=org.staff[0].user).acknowledged_on == D(2024, 4, 8)


# --- R11.1: the chief specialist's home and the period page -----------------------------


def _three_results(org):
    schedule = approved_quarter(org, 2024, 1)
    done = result_for(schedule, org.staff[0], completed_at=Q1_DONE)
    late = result_for(schedule, org.staff[1], completed_at=Q1_DONE)
    missing = result_for(schedule, org.chief, completed_at=Q1_DONE)
    with time_machine.travel(at(2024, 4, 8, 9, 30), tick=False):
        ack.acknowledge(result=done, user=org.staff[0].user)
    with time_machine.travel(at(2024, 4, 11, 14), tick=False):
        ack.acknowledge(result=late, user=org.staff[1].user)
    return schedule, done, late, missing


def test_R11_1_chief_home_and_period_page_show_completed_due_acknowledged_late_missing(client, org):
    schedule, done, late, missing = _three_results(org)
    client.force_login(org.chief.user)
    with time_machine.travel(at(2024, 4, 12), tick=False):
        pages = [client.get("/"), client.get(reverse("period_detail", args=[schedule.period_id]))]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        section = html[html.index('id="acknowledgements"'):]
        for result in (done, late, missing):
            row = section[section.index(f'id="ack-row-{result.pk}"'):]
            row = row[:row.index("</tr>")]
            assert "05.04.2024" in row and "09.04.2024" in row
            assert reverse("result_detail", args=[result.pk]) in row
            assert "4,00" not in row and "4.00" not in row  # no value in the list
        row_of = {r.pk: section[section.index(f'id="ack-row-{r.pk}"'):] for r in (done, late, missing)}
        assert "08.04.2024" in row_of[done.pk][:600] and "в срок" in row_of[done.pk][:900]
        assert "11.04.2024" in row_of[late.pk][:600] and "позже срока" in row_of[late.pk][:900]
        assert "срок истёк" in row_of[missing.pk][:900]


def test_R11_1_others_do_not_get_the_acknowledgement_lists(client, org):
    schedule, *_ = _three_results(org)
    for user in (org.official.user, org.staff[0].user):
        client.force_login(user)
        with time_machine.travel(at(2024, 4, 12), tick=False):
            home = client.get("/").content.decode()
            period = client.get(reverse("period_detail", args=[schedule.period_id]))
        assert 'id="acknowledgements"' not in home
        assert period.status_code == 404 or 'id="acknowledgements"' not in period.content.decode()


def _chief_pages_queries(client, org, n_staff):
    org.add_staff(n_staff - len(org.staff))
    schedule = approved_quarter(org, 2024, 1)
    for i, employee in enumerate(org.staff):
        result = result_for(schedule, employee, completed_at=Q1_DONE)
        if i % 2:
            with time_machine.travel(at(2024, 4, 8), tick=False):
                ack.acknowledge(result=result, user=employee.user)
    OutboxMessage.objects.filter(key__startswith="R11.1:").update(state=OutboxState.SENT)
    counts = []
    client.force_login(org.chief.user)
    with time_machine.travel(at(2024, 4, 20), tick=False):
        for path in ("/", reverse("period_detail", args=[schedule.period_id])):
            client.get(path)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200
            counts.append(len(ctx.captured_queries))
    return counts


def test_R11_1_chief_lists_cost_the_same_queries_for_5_and_for_40_staff(client):
    from django.contrib.auth import get_user_model

    small = _chief_pages_queries(client, make_org(5), 5)
    for user in get_user_model().objects.filter(username__in=["chairman", "head", "chief", "official"]):
        user.username += "-small"
        user.save(update_fields=["username"])
    large = _chief_pages_queries(client, make_org(40), 40)
    assert small == large


# --- R11.2: a notice by another channel -----------------------------------------------


@pytest.mark.parametrize("channel", ["registered_letter", "telephonogram", "telegram", "sms", "email", "other"])
def test_R11_2_each_channel_is_recorded_with_its_reference(org, q1, channel, private_root):
    result = result_for(q1, org.staff[0], completed_at=Q1_DONE, without=True)
    with time_machine.travel(at(2024, 4, 10), tick=False):
        row = ack.record_notice(result=result, by=org.chief.user, channel=channel, date=D(2024, 4, 8),
                                reference="  № 123-45  ")
    assert (row.channel, row.acknowledged_on, row.reference, row.acknowledged_at) == (channel, D(2024, 4, 8),
                                                                                      "№ 123-45", None)
    assert ack.acknowledged_on(result) == D(2024, 4, 8)
    with pytest.raises(ValidationError) as exc, time_machine.travel(at(2024, 4, 10), tick=False):
        ack.record_notice(result=result, by=org.chief.user, channel="telegram", date=D(2024, 4, 9), reference="x")
    assert "п. 11.2" in exc.value.messages[0]
    assert Acknowledgement.objects.get().channel == channel


def test_R11_2_only_for_a_line_without_participation_and_only_by_the_chief_specialist(org, q1, private_root):
    with_participation = result_for(q1, org.staff[0], completed_at=Q1_DONE)
    without = result_for(q1, org.staff[1], completed_at=Q1_DONE, without=True)
    with time_machine.travel(at(2024, 4, 10), tick=False):
        with pytest.raises(ValidationError) as exc:
            ack.record_notice(result=with_participation, by=org.chief.user, channel="telegram", date=D(2024, 4, 8),
                              reference="№ 1")
        assert "п. 11.2" in exc.value.messages[0]
        for user in (org.head.user, org.official.user, org.staff[1].user):
            with pytest.raises(PermissionDenied):
                ack.record_notice(result=without, by=user, channel="telegram", date=D(2024, 4, 8), reference="№ 1")
    assert not Acknowledgement.objects.exists()


def test_R11_2_date_in_the_future_or_before_completion_and_no_proof_are_refused(org, q1, private_root):
    result = result_for(q1, org.staff[0], completed_at=Q1_DONE, without=True)
    with time_machine.travel(at(2024, 4, 10), tick=False):
        for day, words in ((D(2024, 4, 11), "будущем"), (D(2024, 4, 4), "раньше завершения")):
            with pytest.raises(ValidationError) as exc:
                ack.record_notice(result=result, by=org.chief.user, channel="telegram", date=day, reference="№ 1")
            assert exc.value.messages[0].startswith("п. 11.2:") and words in exc.value.messages[0]
        with pytest.raises(ValidationError) as exc:
            ack.record_notice(result=result, by=org.chief.user, channel="registered_letter", date=D(2024, 4, 10))
        assert "подтверждение" in exc.value.messages[0]
        with pytest.raises(ValidationError):
            ack.record_notice(result=result, by=org.chief.user, channel="pigeon", date=D(2024, 4, 10), reference="1")
        # The day of completion and today are both accepted.
        assert ack.record_notice(result=result, by=org.chief.user, channel="telegram", date=D(2024, 4, 10),
                                 reference="№ 7").acknowledged_on == D(2024, 4, 10)


@pytest.mark.parametrize(("name", "content", "content_type", "words"), [
    ("scan.pdf", GIF, "application/pdf", "PDF, JPEG или PNG"),
    ("scan.pdf", b"<html><script>alert(1)</script></html>", "application/pdf", "PDF, JPEG или PNG"),
    ("scan.png", b"%PDF" + b"\x00" * 10, "image/png", "PDF, JPEG или PNG"),  # almost a PDF
    ("big.pdf", PDF + b"\x00" * (5 * 1024 * 1024), "application/pdf", "больше 5 МБ"),
])
def test_R11_2_scan_refused_by_its_bytes_or_size_nothing_saved(org, q1, private_root, name, content, content_type,
                                                               words):
    result = result_for(q1, org.staff[0], completed_at=Q1_DONE, without=True)
    with time_machine.travel(at(2024, 4, 10), tick=False), pytest.raises(ValidationError) as exc:
        ack.record_notice(result=result, by=org.chief.user, channel="registered_letter", date=D(2024, 4, 8),
                          reference="№ 1", scan=SimpleUploadedFile(name, content, content_type=content_type))
    assert exc.value.messages[0].startswith("п. 11.2:") and words in exc.value.messages[0]
    assert not Acknowledgement.objects.exists() and _files(private_root) == []


def _with_scan(org, q1, content=PDF):
    result = result_for(q1, org.staff[0], completed_at=Q1_DONE, without=True)
    with time_machine.travel(at(2024, 4, 10), tick=False):
        ack.record_notice(result=result, by=org.chief.user, channel="registered_letter", date=D(2024, 4, 9),
                          scan=SimpleUploadedFile("Иванов уведомление.pdf", content, content_type="text/plain"))
    return result


def test_R11_2_scan_stored_privately_under_a_random_name(org, q1, private_root, settings):
    result = _with_scan(org, q1)
    row = Acknowledgement.objects.get(result=result)
    stored = _files(private_root)
    assert len(stored) == 1 and stored[0].read_bytes() == PDF and stored[0].suffix == ".pdf"
    assert "Иванов" not in row.scan.name and row.scan_kind == "pdf"
    assert not str(stored[0]).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        row.scan.url  # private files have no URL


def test_R11_2_scan_served_only_to_the_person_the_evaluator_and_the_chief(client, org, q1, private_root):
    result = _with_scan(org, q1, content=PNG)
    url = reverse("result_notice_scan", args=[result.pk])
    for user in (org.staff[0].user, org.head.user, org.chief.user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PNG
    for user in (org.staff[1].user, org.official.user, org.chairman.user):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url).status_code in (404, 405)
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page


def test_R11_2_sms_and_email_sent_by_the_outbox_are_proof_by_themselves(client, org, q1, private_root):
    with time_machine.travel(Q1_DONE, tick=False):
        result = result_for(q1, org.staff[0], completed_at=Q1_DONE, without=True)
    with time_machine.travel(at(2024, 4, 8), tick=False):
        with pytest.raises(ValidationError) as exc:  # not sent yet: no proof
            ack.record_notice(result=result, by=org.chief.user, channel="sms", date=D(2024, 4, 8))
        assert "подтверждение" in exc.value.messages[0]
    with time_machine.travel(at(2024, 4, 8, 9), tick=False):
        send_due()
    with time_machine.travel(at(2024, 4, 8, 10), tick=False):
        row = ack.record_notice(result=result, by=org.chief.user, channel="sms", date=D(2024, 4, 8))
    sms = OutboxMessage.objects.get(key=f"{ack.notice_key(result)}:sms")
    assert list(row.notices.all()) == [sms] and row.reference == "" and sms.sent_at == at(2024, 4, 8, 9)
    client.force_login(org.chief.user)
    with time_machine.travel(at(2024, 4, 12), tick=False):
        page = client.get(reverse("result_detail", args=[result.pk])).content.decode()
        home = client.get("/").content.decode()
    assert "08.04.2024 09:00" in page[page.index('id="ack-proof"'):]
    assert "08.04.2024 09:00" in home[home.index(f'id="ack-row-{result.pk}"'):][:1200]


texts = st.text(max_size=260)
days = st.one_of(st.dates(min_value=D(2023, 1, 1), max_value=D(2025, 1, 1)), st.none(), st.text(max_size=10),
                 st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2024, 12, 31)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reference=st.one_of(texts, st.integers(), st.none()), day=days,
       channel=st.sampled_from(["registered_letter", "telegram", "sms", "email", "other", "in_app", "", "x" * 30]),
       scan=st.sampled_from([None, PDF, GIF, b""]))
def test_R11_2_any_input_is_stored_as_given_or_refused_with_nothing_saved(org, private_root, reference, day,
                                                                         channel, scan):
    from appraisal.models import PeriodResult

    result = PeriodResult.objects.first()
    if result is None:
        result = result_for(approved_quarter(org, 2024, 1), org.staff[0], completed_at=Q1_DONE, without=True)
    upload = SimpleUploadedFile("scan.pdf", scan, content_type="application/pdf") if scan is not None else None
    with time_machine.travel(at(2024, 4, 10), tick=False):
        try:
            row = ack.record_notice(result=result, by=org.chief.user, channel=channel, date=day,
                                    reference=reference, scan=upload)
        except ValidationError as exc:
            assert all(m.startswith("п. 11.2:") for m in exc.messages), exc.messages
            assert not Acknowledgement.objects.exists() and _files(private_root) == []
            return
    assert row.channel == channel and D(2024, 4, 5) <= row.acknowledged_on <= D(2024, 4, 10)
    assert row.reference == reference.strip() and len(row.reference) <= 200
    assert bool(row.scan) == (scan == PDF)
    row.refresh_from_db()
    if row.scan:
        row.scan.delete(save=False)
    row.delete()


def test_R11_1_many_results_in_one_transaction_send_the_outbox_once_after_the_commit(
        org, q1, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for employee in (org.staff[0], org.staff[1], org.chief):
            result_for(q1, employee, completed_at=Q1_DONE)
    assert len(callbacks) == 1
    rows = OutboxMessage.objects.filter(key__startswith="R11.1:")
    assert rows.count() == 6 and set(rows.values_list("state", flat=True)) == {OutboxState.SENT}


def test_R11_demo_has_acknowledgements_in_time_one_late_one_missing_and_one_registered_letter():
    from io import StringIO
    from zoneinfo import ZoneInfo

    from django.core.management import call_command

    from appraisal.models import PeriodResult

    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("Asia/Almaty")), tick=False):
        call_command("load_demo", stdout=StringIO())
        rows = ack.statuses(PeriodResult.objects.filter(entry__schedule__period__year=2026,
                                                        entry__schedule__period__kind="quarter")
                            .select_related("acknowledgement", "entry__employee"))
    in_app = [r for r in rows if r.acknowledgement and r.acknowledgement.is_in_app]
    assert len(in_app) >= len(rows) - 3
    assert [r.result.entry.employee.last_name for r in rows if r.late] == ["Калиев"]
    assert [r.result.entry.employee.last_name for r in rows if r.missing] == ["Бекова"]
    letters = [r for r in rows if r.acknowledgement and r.acknowledgement.channel == "registered_letter"]
    assert len(letters) == 1 and letters[0].acknowledgement.reference
    assert letters[0].result.entry.participation == "without" and not letters[0].late
    for row in in_app:  # acknowledged after the notice went out, on a realistic day
        assert row.completed_on < row.acknowledgement.acknowledged_on
        assert OutboxMessage.objects.filter(key__startswith=f"R11.1:result:{row.result.pk}:",
                                            sent_at__lt=row.acknowledgement.acknowledged_at).count() == 2
