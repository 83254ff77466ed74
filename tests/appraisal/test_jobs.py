"""Issue 12, point 5: long jobs run in the background (appraisal.jobs) with a progress bar, and
their file reaches only the person who asked, while they still pass R20 for its content.

The tests run the task eagerly (tests/settings.py), as the demo does without a broker; the
production shape with a real worker is tests/browser/test_production_shape.py.
"""

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from appraisal import jobs, pdf, pdf_join
from appraisal.import_jobs import STAFF_IMPORT
from appraisal.jobs import JobKind, JobOutput, expire_job_files, start_job
from appraisal.models import BackgroundJob, Employee, JobState, Role, RoleAssignment, ScheduleEntry
from appraisal.tasks import tick
from ranking import jobs as ranking_jobs
from ranking.selectors import sheets_to_evaluate
from ranking.services import save_ranking
from tests.factories import PositionFactory, quarter
from tests.job_client import job_file, started_job
from tests.ranking.conftest import after_q3, opened  # noqa: F401 - fixtures of chapter 3

TEST_KIND = "tests.counting"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def counting_kind(tmp_path):
    """A job kind of three steps that records the progress the database showed at each step."""
    seen = []

    def run(job, progress):
        for step in (1, 2, 3):
            progress(step, 3)
            row = BackgroundJob.objects.get(pk=job.pk)
            seen.append((row.state, row.done, row.total, row.percent))
        path = tmp_path / "out.pdf"
        writer = PdfWriter()
        writer.add_blank_page(100, 100)
        with open(path, "wb") as handle:
            writer.write(handle)
        return JobOutput(path=path, filename="counted.pdf", message="три шага")

    jobs.register(JobKind(name=TEST_KIND, title=lambda job: "Счёт", run=run, may_see=lambda user, job: True,
                          back_url=lambda job: "/"))
    yield seen
    jobs._kinds.pop(TEST_KIND)


def test_a_job_runs_in_process_without_a_broker_and_its_progress_moves(org, counting_kind):
    job = start_job(kind=TEST_KIND, user=org.chief.user, organisation=org.organisation, params={})
    assert counting_kind == [("running", 1, 3, 33), ("running", 2, 3, 66), ("running", 3, 3, 100)]
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.percent, job.message) == (JobState.DONE, 3, 3, 100, "три шага")
    assert job.result and Path(job.result.path).is_file() and job.result_name == "counted.pdf"
    assert job.finished_at is not None


def test_the_status_page_polls_json_and_offers_the_file_to_the_requester(client, org, counting_kind):
    job = start_job(kind=TEST_KIND, user=org.chief.user, organisation=org.organisation, params={})
    client.force_login(org.chief.user)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert f'data-status-url="{reverse("job_status", args=[job.pk])}"' in page
    assert "js/job-progress.js" in page and "<progress" in page
    assert reverse("job_download", args=[job.pk]) in page
    status = json.loads(client.get(reverse("job_status", args=[job.pk])).content)
    assert status == {"state": "done", "state_label": "готово", "done": 3, "total": 3, "percent": 100,
                      "finished": True, "download_url": reverse("job_download", args=[job.pk])}
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert len(PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages) == 1


def test_a_queued_job_shows_a_progress_bar_that_the_script_moves(client, org, counting_kind):
    job = BackgroundJob.objects.create(kind=TEST_KIND, requested_by=org.chief.user, organisation=org.organisation,
                                       state=JobState.RUNNING, done=2, total=5)
    client.force_login(org.chief.user)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert '<progress id="job-progress" max="5" value="2">' in page
    assert reverse("job_download", args=[job.pk]) not in page
    status = json.loads(client.get(reverse("job_status", args=[job.pk])).content)
    assert (status["done"], status["total"], status["percent"], status["finished"], status["download_url"]) == (
        2, 5, 40, False, "")
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404  # nothing to give yet


def test_R20_a_job_and_its_file_are_404_for_anyone_but_the_requester(client, org, counting_kind):
    job = start_job(kind=TEST_KIND, user=org.chief.user, organisation=org.organisation, params={})
    # the chairman and the official hold roles in the same body; the head evaluates; none asked
    for other in (org.head, org.official, org.chairman, org.staff[0]):
        client.force_login(other.user)
        for name in ("job_detail", "job_status", "job_download"):
            url = reverse(name, args=[job.pk])
            assert client.get(url).status_code == 404, (other, name)
            assert client.post(url).status_code in (404, 405), (other, name)


def test_a_refusal_in_the_rule_s_words_is_shown_and_an_error_is_not_leaked(client, org):
    def refuse(job, progress):
        raise ValidationError("п. 20: отказано")

    def crash(job, progress):
        raise RuntimeError("secret internals")

    jobs.register(JobKind(name="tests.refuse", title=lambda j: "x", run=refuse, may_see=lambda u, j: True,
                          back_url=lambda j: "/"))
    jobs.register(JobKind(name="tests.crash", title=lambda j: "x", run=crash, may_see=lambda u, j: True,
                          back_url=lambda j: "/"))
    try:
        refused = start_job(kind="tests.refuse", user=org.chief.user, organisation=org.organisation, params={})
        crashed = start_job(kind="tests.crash", user=org.chief.user, organisation=org.organisation, params={})
    finally:
        jobs._kinds.pop("tests.refuse")
        jobs._kinds.pop("tests.crash")
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.state, refused.error) == (JobState.FAILED, "п. 20: отказано")
    assert crashed.state == JobState.FAILED and "secret" not in crashed.error and "внутренней ошибки" in crashed.error


def test_a_job_runs_once_when_its_task_is_delivered_twice(org, counting_kind):
    job = start_job(kind=TEST_KIND, user=org.chief.user, organisation=org.organisation, params={})
    jobs.run_job(job.pk)
    assert len(counting_kind) == 3


def test_the_tick_deletes_a_job_s_file_after_a_day(client, org, counting_kind):
    job = start_job(kind=TEST_KIND, user=org.chief.user, organisation=org.organisation, params={})
    job.refresh_from_db()
    path = Path(job.result.path)
    assert expire_job_files(timezone.now()) == 0 and path.exists()  # fresh: kept
    BackgroundJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(hours=25))
    tick()
    assert not path.exists()
    job.refresh_from_db()
    assert not job.result and job.file_deleted_at is not None
    client.force_login(org.chief.user)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
    assert "Срок хранения файла истёк" in client.get(reverse("job_detail", args=[job.pk])).content.decode()


# --- the chunked PDF renderer -------------------------------------------------------------


def _blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_the_chunked_renderer_renders_each_chunk_apart_and_joins_them(monkeypatch):
    """Memory stays at one chunk's layout: WeasyPrint is called once per chunk, never with all
    items, and the chunk files are joined page by page."""
    calls = []

    def fake_render(template_name, context, request=None):
        calls.append(list(context["items"]))
        return _blank_pdf(len(context["items"]))

    monkeypatch.setattr(pdf, "render_pdf", fake_render)
    progress = []
    # Only this call's chunk folder counts: a process killed mid-render elsewhere on the
    # machine may have left its own behind.
    before = set(Path(tempfile.gettempdir()).glob("bagalau-pdf-*"))
    path = pdf_join.render_in_chunks("pdf/any.html", list(range(7)), lambda chunk: {"items": chunk}, chunk_size=3,
                                     progress=lambda done, total: progress.append((done, total)))
    try:
        assert calls == [[0, 1, 2], [3, 4, 5], [6]]
        assert progress == [(3, 7), (6, 7), (7, 7)]
        assert len(PdfReader(path).pages) == 7
    finally:
        path.unlink()
    assert set(Path(tempfile.gettempdir()).glob("bagalau-pdf-*")) <= before  # the chunk folder is gone


# --- the real jobs: form 4 of a quarter, the R8 report, a large staff import -------------


@pytest.fixture
def ranked(org, opened):  # noqa: F811 - the fixture imported above
    sheets = list(sheets_to_evaluate(org.head.user, quarter(2026, 3)))
    points = [(5, 4, 4, 4), (3, 3, 4, 3), (2, 2, 2, 1)]
    raw = {s.pk: dict(zip(("quality", "deadlines", "initiative", "discipline"), map(str, p), strict=True))
           for s, p in zip(sheets, points, strict=True)}
    save_ranking(sheets=sheets, raw=raw, by=org.head.user, submit=True)
    return opened


def test_R3_the_quarter_s_form4_is_rendered_per_chunk_and_joined(client, org, ranked, monkeypatch):
    renders = []
    real = pdf.render_forms

    def counting(template_name, contexts):
        renders.append([[row["employee"].full_name for row in context["rows"]] for context in contexts])
        return real(template_name, contexts)

    monkeypatch.setattr(pdf, "render_forms", counting)
    monkeypatch.setattr(ranking_jobs, "FORM4_CHUNK", 2)
    client.force_login(org.chief.user)
    response = job_file(client, reverse("ranking:quarter_pdf", args=[quarter(2026, 3).pk]))
    # three sheets in chunks of two, each sheet laid out on its own within its chunk
    assert [[len(form) for form in chunk] for chunk in renders] == [[1, 1], [1]]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 3
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    for employee in (org.chief, *org.staff):
        assert employee.full_name in " ".join(pages)
    # each sheet numbers its own pages, as when printed alone — not «стр. 2 из 2» of a chunk
    assert all("стр. 1 из 1" in page for page in pages), pages


def test_R3_the_combined_pdf_is_asked_for_by_post_and_get_is_404_for_an_outsider(client, org, ranked):
    url = reverse("ranking:quarter_pdf", args=[quarter(2026, 3).pk])
    client.force_login(org.chief.user)
    assert client.get(url).status_code == 405  # a job is started by POST only
    client.force_login(org.official.user)  # holds no sheet of the quarter
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    assert not BackgroundJob.objects.filter(requested_by=org.official.user).exists()


def test_R20_the_combined_pdf_is_404_once_a_sheet_in_it_is_no_longer_the_requester_s(client, org, ranked):
    client.force_login(org.head.user)
    job = started_job(client.post(reverse("ranking:quarter_pdf", args=[quarter(2026, 3).pk])))
    download = reverse("job_download", args=[job.pk])
    assert client.get(download).status_code == 200
    # the head of apparatus is no longer the evaluator of one of the sheets in the file
    sheet_entry = ScheduleEntry.objects.get(employee=org.staff[0], schedule__period=quarter(2026, 3))
    sheet_entry.evaluator = None
    sheet_entry.save(update_fields=["evaluator"])
    assert client.get(download).status_code == 404
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404


def test_R8_the_report_pdf_is_a_job_for_the_chief_only_while_she_is_chief(client, org, ranked):
    client.force_login(org.chief.user)
    url = reverse("ranking:report", args=[quarter(2026, 3).pk])
    response = job_file(client, url, {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="results-2026-q3.pdf"' in response["Content-Disposition"]
    job = BackgroundJob.objects.get(requested_by=org.chief.user)
    RoleAssignment.objects.filter(user=org.chief.user, role=Role.CHIEF_SPECIALIST).delete()
    client.force_login(org.chief.user)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_a_staff_import_of_many_rows_is_applied_by_a_job_after_the_preview(client, org, monkeypatch):
    from appraisal import import_jobs

    monkeypatch.setattr(import_jobs, "JOB_ROWS", 1)  # «many» = more than one row for this test
    PositionFactory(organisation=org.organisation, title="Главный специалист отдела учёта", reports_to=org.head_position)
    PositionFactory(organisation=org.organisation, title="Главный специалист юридического отдела",
                    reports_to=org.head_position)
    header = ["Фамилия", "Имя", "Отчество", "Табельный номер", "E-mail", "Мобильный", "Должность",
              "Дата назначения", "Дата освобождения", "Уволен", "Логин"]
    rows = [["Нурланов", "Данияр", "", "1001", "", "", "Главный специалист отдела учёта", "01.02.2024", "", "", ""],
            ["Омарова", "Сауле", "", "1002", "", "", "Главный специалист юридического отдела", "15.03.2024", "", "", ""]]
    text = "\r\n".join(";".join(r) for r in [header, *rows]) + "\r\n"
    client.force_login(org.chief.user)
    url = reverse("staff_import")
    client.post(url, {"action": "upload", "file": SimpleUploadedFile("staff.csv", text.encode("utf-8-sig"))})
    assert "Сохранить" in client.get(url).content.decode()  # the preview step is unchanged
    job = started_job(client.post(url, {"action": "confirm"}))
    job.refresh_from_db()
    assert (job.kind, job.state, job.done, job.total) == (STAFF_IMPORT, JobState.DONE, 2, 2)
    assert Employee.objects.filter(organisation=org.organisation, personnel_number__in=["1001", "1002"]).count() == 2
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Импорт штата выполнен: новых служащих — 2" in page
    assert not job.result


def test_a_job_whose_worker_died_or_that_no_worker_took_ends_on_the_tick_and_says_so(client, org, counting_kind,
                                                                                      settings):
    """A worker killed mid-job leaves the row «выполняется», and a redelivered task finds it
    taken: the tick ends it after JOB_STALL_MINUTES without progress (on the limit it still
    runs, a second past it is ended); a job no worker took ends after JOB_QUEUE_MINUTES."""
    settings.JOB_STALL_MINUTES, settings.JOB_QUEUE_MINUTES = 15, 60
    now = timezone.now()

    def job(state, **times):
        return BackgroundJob.objects.create(kind=TEST_KIND, requested_by=org.chief.user,
                                            organisation=org.organisation, state=state, done=1, total=3, **times)

    on_the_limit = job(JobState.RUNNING, started_at=now - dt.timedelta(hours=2),
                       heartbeat_at=now - dt.timedelta(minutes=15))
    stalled = job(JobState.RUNNING, started_at=now - dt.timedelta(hours=2),
                  heartbeat_at=now - dt.timedelta(minutes=15, seconds=1))
    from_before_heartbeats = job(JobState.RUNNING, started_at=now - dt.timedelta(minutes=16))
    queued_on_the_limit = job(JobState.QUEUED, created_at=now - dt.timedelta(minutes=60))
    lost = job(JobState.QUEUED, created_at=now - dt.timedelta(minutes=60, seconds=1))
    finished = job(JobState.DONE, started_at=now - dt.timedelta(days=1), heartbeat_at=now - dt.timedelta(days=1),
                   finished_at=now - dt.timedelta(days=1))

    assert jobs.abandon_stalled_jobs(now) == 3
    states = {j.pk: BackgroundJob.objects.get(pk=j.pk).state
              for j in (on_the_limit, stalled, from_before_heartbeats, queued_on_the_limit, lost, finished)}
    assert states == {on_the_limit.pk: JobState.RUNNING, stalled.pk: JobState.FAILED,
                      from_before_heartbeats.pk: JobState.FAILED, queued_on_the_limit.pk: JobState.QUEUED,
                      lost.pk: JobState.FAILED, finished.pk: JobState.DONE}
    client.force_login(org.chief.user)
    page = client.get(reverse("job_detail", args=[stalled.pk])).content.decode()
    assert "Задание прервано: фоновый процесс остановился (нет хода дольше 15 мин). Запустите его заново." in page
    assert "<progress" not in page
    assert "очередь фоновых заданий не взяла его за 60 мин" in client.get(
        reverse("job_detail", args=[lost.pk])).content.decode()


def test_progress_is_a_sign_of_life_so_a_long_job_that_moves_is_never_ended(org, counting_kind):
    job = start_job(kind=TEST_KIND, user=org.chief.user, organisation=org.organisation, params={})
    job.refresh_from_db()
    assert job.heartbeat_at is not None and job.heartbeat_at >= job.started_at  # touched by each step
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, finished_at=None)
    assert jobs.abandon_stalled_jobs(job.heartbeat_at + dt.timedelta(minutes=15)) == 0


def test_the_tick_ends_stalled_jobs(org, counting_kind):
    job = BackgroundJob.objects.create(kind=TEST_KIND, requested_by=org.chief.user, organisation=org.organisation,
                                       state=JobState.RUNNING, heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    tick()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at is not None


def test_the_chunked_renderer_can_lay_out_each_item_as_a_form_of_its_own(monkeypatch):
    """separate=True: within each chunk, every item is its own document (its footer counts its
    own pages); the chunks are still rendered apart and joined."""
    calls = []

    def fake_forms(template_name, contexts):
        calls.append([list(context["items"]) for context in contexts])
        return _blank_pdf(len(contexts))

    monkeypatch.setattr(pdf, "render_forms", fake_forms)
    path = pdf_join.render_in_chunks("pdf/any.html", list(range(5)), lambda chunk: {"items": chunk}, chunk_size=3,
                                     separate=True)
    try:
        assert calls == [[[0], [1], [2]], [[3], [4]]]
        assert len(PdfReader(path).pages) == 5
    finally:
        path.unlink()
