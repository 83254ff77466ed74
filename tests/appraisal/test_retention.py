"""R14: evaluation documents are kept three years from the evaluation's completion, then
listed for the chief specialist, who disposes of them on confirmation; a record remains.

Recorded choice: completed on day C, the documents are kept through C + 3 years (the same
date; 29.02 → 28.02) and disposal is possible from the next day."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from appraisal import hooks
from appraisal.models import Disposal, PeriodResult, ScheduleEntry
from appraisal.models.acknowledgement import Acknowledgement
from appraisal.services import retention
from appraisal.services.results import record_result
from kci import services as kci_services
from kci.models import IndividualPlan, Kci, KciScoreLine, KciScoreSheet, PlanVersion
from ranking.models import RankingSheet
from tests.conftest import make_org
from tests.factories import UserFactory, quarter
from tests.kci.conftest import approved_schedule, posted_plan
from tests.survey360.conftest import at_collecting, open_survey, survey  # noqa: F401 (fixtures)

ALMATY = ZoneInfo("Asia/Almaty")
COMPLETED = dt.datetime(2023, 7, 5, 12, 0, tzinfo=ALMATY)
ANNIVERSARY = dt.date(2026, 7, 5)  # kept through this day
PDF = b"%PDF-1.4\n% evidence\n"


def at(day: dt.date, hour=10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=ALMATY), tick=False)


@pytest.fixture
def completed(db, settings, tmp_path):
    """Q2 2023, completed on 05.07.2023: the head's KCI plan and sheet with an evidence file,
    a staff member's ranking sheet and result acknowledged with a scan."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    org = make_org()
    schedule = approved_schedule(org, quarter(2023, 2), on=dt.date(2023, 4, 3))
    head = schedule.entries.get(employee=org.head)
    staff = schedule.entries.get(employee=org.staff[0])
    with at(dt.date(2023, 4, 5)):
        plan = posted_plan(org, head)
    with at(dt.date(2023, 7, 3)):
        sheet = kci_services.ensure_sheet(plan=plan, by=org.chief.user)
        line = sheet.lines.order_by("kci__number").first()
        kci_services.save_actual(line=line, by=org.chief.user, actual="100",
                                 evidence=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"))
        # A second file replaces the first: the first stays on disk, named by history only.
        kci_services.save_actual(line=line, by=org.chief.user, actual="100",
                                 evidence=SimpleUploadedFile("scan2.pdf", PDF + b"2", content_type="application/pdf"))
    with time_machine.travel(COMPLETED, tick=False):
        head_result = record_result(entry=head, score="4.50")
        staff_result = record_result(entry=staff, score="3.50")
        ack = Acknowledgement(result=staff_result, channel="registered_letter", acknowledged_on=dt.date(2023, 7, 6),
                              reference="№ 123", recorded_by=org.chief.user)
        ack.scan.save("notice.pdf", ContentFile(PDF), save=False)
        ack.save()
    org.schedule, org.head_entry, org.staff_entry = schedule, head, staff
    org.files = [Path(tmp_path, name) for name in
                 (KciScoreLine.history.filter(id=line.pk).exclude(evidence="").values_list("evidence", flat=True))]
    org.files += [Path(ack.scan.path)]
    org.result_ids = [head_result.pk, staff_result.pk]
    return org


def _counts():
    return {model.__name__: model.objects.count() for model in
            (IndividualPlan, Kci, PlanVersion, KciScoreSheet, KciScoreLine, RankingSheet, PeriodResult, Acknowledgement)}


def test_R14_kept_through_the_third_anniversary_disposal_possible_the_day_after():
    assert retention.disposal_allowed_from(COMPLETED) == dt.date(2026, 7, 6)
    # A result completed late in the evening (UTC already the next day) counts by its local day.
    assert retention.disposal_allowed_from(dt.datetime(2023, 7, 5, 18, 30, tzinfo=dt.UTC)) == dt.date(2026, 7, 7)
    assert retention.disposal_allowed_from(dt.datetime(2024, 2, 29, 10, tzinfo=ALMATY)) == dt.date(2027, 3, 1)


def test_R14_the_chief_specialists_home_flags_documents_due_for_disposal_from_the_day_after(completed):
    for day, shown in ((ANNIVERSARY, False), (ANNIVERSARY + dt.timedelta(days=1), True)):
        with at(day):
            home = _client(completed.chief.user).get(reverse("home")).content.decode()
        assert reverse("retention_list") in home
        assert ("к уничтожению: 2" in home) is shown, day


@pytest.mark.parametrize("day", [ANNIVERSARY - dt.timedelta(days=1), ANNIVERSARY])
def test_R14_before_and_on_the_third_anniversary_nothing_is_listed_or_destroyed(completed, day):
    before = _counts()
    with at(day, hour=23):
        assert retention.lines_due(organisation=completed.organisation) == []
        with pytest.raises(ValidationError, match=r"п\. 14: .* уничтожение возможно с 06\.07\.2026"):
            retention.dispose(entry_ids=[completed.staff_entry.pk], by=completed.chief.user)
        page = _client(completed.chief.user).post(reverse("retention_dispose"), {
            "entry": completed.staff_entry.pk, "confirm": "yes"})
        assert page.status_code == 302
    assert _counts() == before and not Disposal.objects.exists()
    assert all(path.exists() for path in completed.files)


def test_R14_the_day_after_the_documents_are_listed_with_kinds_and_counts(completed):
    with at(ANNIVERSARY + dt.timedelta(days=1), hour=0):
        due = {line.entry.pk: line for line in retention.lines_due(organisation=completed.organisation)}
    assert set(due) == {completed.head_entry.pk, completed.staff_entry.pk}
    head_docs = dict(due[completed.head_entry.pk].documents)
    assert head_docs["Индивидуальные планы работы"] == 1 and head_docs["КЦИ индивидуального плана"] == 3
    assert head_docs["Листы оценки КЦИ"] == 1 and head_docs["Результат оценки"] == 1
    staff_docs = dict(due[completed.staff_entry.pk].documents)
    assert staff_docs == {"Листы оценки методом ранжирования": 1, "Ознакомления с результатом": 1,
                          "Результат оценки": 1}


def test_R14_confirmed_disposal_destroys_rows_history_and_files_and_keeps_a_record(
        completed, django_capture_on_commit_callbacks):
    client = _client(completed.chief.user)
    entries = [completed.head_entry.pk, completed.staff_entry.pk]
    with at(ANNIVERSARY + dt.timedelta(days=1), hour=9):
        listing = client.get(reverse("retention_list")).content.decode()
        assert completed.head.full_name in listing and "4.50" not in listing  # kinds and counts, no score
        confirm = client.post(reverse("retention_dispose"), {"entry": entries})
        assert confirm.status_code == 200 and "Подтвердите уничтожение" in confirm.content.decode()
        assert PeriodResult.objects.count() == 2  # the first POST only asks
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(reverse("retention_dispose"), {"entry": entries, "confirm": "yes"})
        assert done.status_code == 302
    # Only the ranking sheets of the lines not completed (the chief's, the other staff member's) remain.
    assert {name: n for name, n in _counts().items() if n} == {"RankingSheet": 2}
    assert not RankingSheet.objects.filter(entry__in=entries).exists()
    assert not PeriodResult.history.filter(id__in=completed.result_ids).exists()
    for model in (IndividualPlan, Kci, PlanVersion, KciScoreSheet, KciScoreLine, Acknowledgement):
        assert not model.history.exists(), model
    assert not RankingSheet.history.filter(entry_id__in=entries).exists()
    assert not any(path.exists() for path in completed.files)
    # The schedule is an organisational document: its lines stay, and the record points at them.
    assert ScheduleEntry.objects.filter(pk__in=entries).count() == 2
    record = Disposal.objects.get(entry=completed.staff_entry)
    assert record.person_name == completed.staff[0].full_name and record.period_label == str(quarter(2023, 2))
    assert record.completed_at == COMPLETED and record.disposed_by == completed.chief.user
    assert record.disposed_at.astimezone(ALMATY).date() == dt.date(2026, 7, 6)
    assert record.documents == [["Листы оценки методом ранжирования", 1], ["Ознакомления с результатом", 1],
                                ["Результат оценки", 1]]
    head_record = Disposal.objects.get(entry=completed.head_entry)
    assert ["Строки листа оценки КЦИ (с подтверждающими документами)", 3] in head_record.documents
    with at(ANNIVERSARY + dt.timedelta(days=2)):
        page = _client(completed.chief.user).get(reverse("retention_list")).content.decode()
    assert "Акты уничтожения" in page and completed.staff[0].full_name in page and "06.07.2026" in page


def test_R14_a_failure_during_disposal_leaves_everything_in_place(completed, django_capture_on_commit_callbacks):
    def broken(entries):
        return [("сломано", _Exploding())]

    before = _counts()
    hooks.on_retention(broken)
    try:
        with at(ANNIVERSARY + dt.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError):
                retention.dispose(entry_ids=[completed.head_entry.pk, completed.staff_entry.pk],
                                  by=completed.chief.user)
    finally:
        hooks._retention.remove(broken)
    assert _counts() == before and not Disposal.objects.exists()
    assert all(path.exists() for path in completed.files)
    assert PeriodResult.history.filter(id__in=completed.result_ids).exists()


def test_R14_rows_of_an_app_that_lists_no_documents_block_the_disposal_with_a_reason(
        completed, monkeypatch, django_capture_on_commit_callbacks):
    from calibration.models import CalibrationCase

    # Calibration's own provider (if registered) is left out: its case then PROTECTs the result.
    from kci import retention as kci_retention
    from ranking import retention as ranking_retention
    monkeypatch.setattr(hooks, "_retention", [kci_retention.documents, ranking_retention.documents])
    staff_result = PeriodResult.objects.get(entry=completed.staff_entry)
    day = dt.date(2023, 7, 10)
    CalibrationCase.objects.create(result=staff_result, application="Не согласен", filed_at=COMPLETED,
                                   filed_by=completed.staff[0].user, acknowledged_on=day, application_due=day,
                                   composition_due=day, session_due=day)
    before = _counts()
    with at(ANNIVERSARY + dt.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError, match=r"п\. 14: документы оценки .* связаны с записями"):
            retention.dispose(entry_ids=[completed.head_entry.pk, completed.staff_entry.pk], by=completed.chief.user)
    assert _counts() == before and not Disposal.objects.exists()
    assert all(path.exists() for path in completed.files)


class _Exploding:
    """A queryset stand-in that fails once the chapters' rows are already deleted."""

    model = PeriodResult

    def count(self):
        return 1

    def __iter__(self):
        raise RuntimeError("disk full")


def test_R14_an_incomplete_evaluation_is_never_disposed_of(completed):
    other = completed.schedule.entries.get(employee=completed.staff[1])
    with at(dt.date(2030, 1, 1)):
        assert other.pk not in {line.entry.pk for line in retention.lines_due(organisation=completed.organisation)}
        with pytest.raises(ValidationError, match=r"п\. 14: оценка .* не завершена"):
            retention.dispose(entry_ids=[other.pk], by=completed.chief.user)
    assert RankingSheet.objects.filter(entry=other).exists()


def test_R14_only_the_chief_specialist_disposes_others_get_404(completed):
    before = _counts()
    with at(ANNIVERSARY + dt.timedelta(days=1)):
        for user in (completed.official.user, completed.chairman.user, completed.head.user, completed.staff[0].user):
            with pytest.raises(PermissionDenied, match=r"п\. 14"):
                retention.dispose(entry_ids=[completed.staff_entry.pk], by=user)
            client = _client(user)
            assert client.get(reverse("retention_list")).status_code == 404
            assert client.post(reverse("retention_list")).status_code == 404
            assert client.get(reverse("retention_dispose")).status_code == 404
            assert client.post(reverse("retention_dispose"), {
                "entry": completed.staff_entry.pk, "confirm": "yes"}).status_code == 404
    assert _counts() == before and not Disposal.objects.exists()


def test_R14_the_admin_offers_no_delete_of_evaluative_records(completed):
    from survey360.models import FeedbackMeeting

    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = superuser
    client = _client(superuser)
    for model in (PeriodResult, Acknowledgement, IndividualPlan, KciScoreSheet, PlanVersion, RankingSheet,
                  FeedbackMeeting):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_delete_permission(request, model.objects.first()), model
        assert "delete_selected" not in model_admin.get_actions(request), model
        obj = model.objects.first()
        if obj is not None:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])
            assert client.post(url, {"post": "yes"}).status_code == 403, model
            assert model.objects.filter(pk=obj.pk).exists()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_R14_a_360_evaluation_is_disposed_of_for_that_person_only(open_survey):  # noqa: F811
    from survey360 import services as survey360_services
    from survey360.models import AnonymousComment, AnswerTally, Campaign, Respondent, SelfAnswer, Subject
    from tests.survey360.conftest import answer, subject_of, values_for

    org = open_survey
    subject, other = subject_of(org.campaign, org.staff[0]), subject_of(org.campaign, org.staff[1])
    answer(subject, org.head, comment="Хорошо ведёт протоколы")
    answer(other, org.head)
    survey360_services.submit_self_assessment(subject=subject, by=org.staff[0].user, values=values_for(subject))
    record_result(entry=subject.entry, score="4.00", completed_at=dt.datetime(2026, 1, 9, 12, tzinfo=ALMATY))
    kept = {model: model.objects.exclude(subject=subject).count() for model in (AnswerTally, Respondent)}
    with at(dt.date(2029, 1, 9)):
        with pytest.raises(ValidationError, match=r"п\. 14"):
            retention.dispose(entry_ids=[subject.entry_id], by=org.chief.user)
    with at(dt.date(2029, 1, 10)):
        [line] = retention.lines_due(organisation=org.organisation)
        documents = dict(line.documents)
        assert documents["Оцениваемое лицо опроса 360"] == 1 and documents["Комментарии респондентов (360)"] == 1
        assert documents["Ответы самооценки (360)"] == len(values_for(subject))
        retention.dispose(entry_ids=[subject.entry_id], by=org.chief.user)
    assert not Subject.objects.filter(pk=subject.pk).exists()
    for model in (AnswerTally, Respondent, SelfAnswer, AnonymousComment):
        assert not model.objects.filter(subject_id=subject.pk).exists(), model
    assert {model: model.objects.count() for model in kept} == kept  # the colleague's survey is untouched
    assert Subject.objects.filter(pk=other.pk).exists() and Campaign.objects.filter(pk=org.campaign.pk).exists()
    assert ScheduleEntry.objects.filter(pk=subject.entry_id).exists()
