"""Staff import from CSV/XLSX: preview with every row's errors, all-or-nothing per file."""

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal.models import Appointment, Employee, Position
from appraisal.services.staff_file import MAX_FILE_BYTES
from appraisal.services.staff_import import apply_staff_import, parse_staff_file
from tests.factories import PositionFactory

HEADER = ["Фамилия", "Имя", "Отчество", "Табельный номер", "E-mail", "Мобильный", "Должность",
          "Дата назначения", "Дата освобождения", "Уволен", "Логин"]


def csv_file(rows, *, header=HEADER, sep=";", encoding="utf-8-sig", name="staff.csv"):
    text = "\r\n".join(sep.join(str(c) for c in r) for r in [header, *rows]) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, header=HEADER, name="staff.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def positions(org):
    return [
        PositionFactory(organisation=org.organisation, title="Главный специалист отдела учёта",
                        reports_to=org.head_position),
        PositionFactory(organisation=org.organisation, title="Главный специалист юридического отдела",
                        reports_to=org.head_position),
    ]


def good_rows():
    return [
        ["Нурланов", "Данияр", "Ержанович", "1001", "d.nurlanov@example.kz", "8 701 123 45 67",
         "главный специалист отдела учёта", "01.02.2024", "", "нет", "dnurlanov"],
        ["Омарова", "Сауле", "", "1002", "s.omarova@example.kz", "+77011234568",
         "Главный специалист юридического отдела", "2024-03-15", "", "", ""],
    ]


def import_ok(org, upload):
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=upload)
    assert preview.is_valid, preview.all_errors()
    return apply_staff_import(organisation=org.organisation, preview=preview, by=org.chief.user)


def test_import_creates_employees_appointments_and_users_with_history(org, positions):
    summary = import_ok(org, csv_file(good_rows()))
    assert (summary.employees_created, summary.appointments_created, summary.users_created) == (2, 2, 1)
    employee = Employee.objects.get(organisation=org.organisation, personnel_number="1001")
    assert employee.mobile == "+77011234567"  # 8 701 … normalised
    assert employee.user.username == "dnurlanov" and not employee.user.has_usable_password()
    appointment = employee.appointments.get()
    assert (appointment.position, appointment.start) == (positions[0], dt.date(2024, 2, 1))
    assert Employee.objects.get(personnel_number="1002").appointments.get().start == dt.date(2024, 3, 15)
    record = employee.history.get()
    assert record.history_user == org.chief.user and record.history_change_reason == "импорт штата из файла"
    assert appointment.history.count() == 1


def test_import_unknown_position_names_the_field_and_saves_nothing(org, positions):
    rows = good_rows()
    rows.append(["Беков", "Арман", "", "1003", "", "", "Ведущий специалист по закупкам", "01.01.2024", "", "", ""])
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(rows))
    assert preview.error_count == 1
    messages = preview.all_errors()
    assert messages == ["строка 4, «Должность»: должность «Ведущий специалист по закупкам» не найдена "
                        "в штатном расписании"]
    before = (Employee.objects.count(), Appointment.objects.count(), get_user_model().objects.count())
    with pytest.raises(ValidationError, match="Должность"):
        apply_staff_import(organisation=org.organisation, preview=preview, by=org.chief.user)
    assert (Employee.objects.count(), Appointment.objects.count(), get_user_model().objects.count()) == before


def test_import_is_all_or_nothing_per_file(org, positions):
    """A failure while writing the last appointment rolls back the employees and users already written."""
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(good_rows()))
    assert preview.is_valid
    preview.rows[-1].values["end"] = dt.date(2000, 1, 1)  # the last appointment now fails while writing
    before = (Employee.objects.count(), Appointment.objects.count(), get_user_model().objects.count())
    with pytest.raises(ValidationError):
        apply_staff_import(organisation=org.organisation, preview=preview, by=org.chief.user)
    assert (Employee.objects.count(), Appointment.objects.count(), get_user_model().objects.count()) == before


def test_import_preview_shows_every_row_error(org, positions):
    rows = [
        ["", "Данияр", "", "2001", "не-почта", "12345", "Главный специалист отдела учёта", "31.02.2024", "", "", ""],
        ["Омарова", "Сауле", "", "2002", "", "", "Главный специалист юридического отдела", "01.03.2024", "",
         "да", ""],
        ["Омарова", "Айгуль", "", "2002", "", "", "Нет такой", "01.03.2024", "", "может быть", "bad login!"],
    ]
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(rows))
    assert preview.error_count == 3 and not preview.is_valid
    assert {(r.number, e.column) for r in preview.rows for e in r.errors} == {
        (2, "Фамилия"), (2, "E-mail"), (2, "Мобильный"), (2, "Дата назначения"),
        (3, "Дата освобождения"),
        (4, "Табельный номер"), (4, "Должность"), (4, "Уволен"), (4, "Логин"),
    }
    assert "строка 3, «Дата освобождения»: п. 6: для уволенного укажите дату освобождения" in preview.all_errors()
    assert "строка 4, «Табельный номер»: табельный номер 2002 повторяет строку 3" in preview.all_errors()


def test_import_missing_columns_is_a_file_error(org, positions):
    preview = parse_staff_file(organisation=org.organisation,
                               uploaded_file=csv_file([["Иванов", "Иван"]], header=["Фамилия", "Имя"]))
    assert not preview.is_valid and not preview.rows
    assert preview.file_errors[0].startswith("Не найдены столбцы: «Отчество», «Табельный номер»")


def test_import_end_before_start_refused(org, positions):
    rows = [["Беков", "Арман", "", "3001", "", "", "Главный специалист отдела учёта", "10.05.2024", "09.05.2024",
             "", ""]]
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(rows))
    assert preview.all_errors() == [
        "строка 2, «Дата освобождения»: дата освобождения 09.05.2024 раньше даты назначения 10.05.2024"]
    with pytest.raises(ValidationError):
        apply_staff_import(organisation=org.organisation, preview=preview, by=org.chief.user)
    assert not Employee.objects.filter(personnel_number="3001").exists()


def test_import_duplicate_person_and_position_in_file_refused(org, positions):
    again = ["нурланов", "Данияр", "Ержанович", "1009", "", "", "Главный специалист отдела учёта", "01.06.2024", "", "", ""]
    rows = [*good_rows(), again]
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(rows))
    messages = preview.all_errors()
    assert "строка 4: повторяет строку 2 (те же ФИО и должность)" in messages


def test_import_xlsx_with_excel_dates(org, positions):
    rows = [
        ["Нурланов", "Данияр", "Ержанович", 1001, "d@example.kz", 87011234567, "Главный специалист отдела учёта",
         dt.datetime(2024, 2, 1), dt.datetime(2024, 9, 30), "да", None],
        ["Омарова", "Сауле", None, "1002", None, None, "Главный специалист юридического отдела",
         "15.03.2024", None, None, None],
    ]
    summary = import_ok(org, xlsx_file(rows))
    assert summary.employees_created == 2
    first = Employee.objects.get(personnel_number="1001")
    assert first.mobile == "+77011234567"
    appointment = first.appointments.get()
    assert (appointment.start, appointment.end, appointment.dismissed) == (dt.date(2024, 2, 1), dt.date(2024, 9, 30), True)
    assert Employee.objects.get(personnel_number="1002").appointments.get().start == dt.date(2024, 3, 15)


def test_import_cp1251_csv_with_comma_delimiter(org, positions):
    upload = csv_file(good_rows(), sep=",", encoding="cp1251")
    summary = import_ok(org, upload)
    assert summary.employees_created == 2
    assert Employee.objects.filter(last_name="Нурланов").exists()


def test_import_reimport_is_idempotent(org, positions):
    import_ok(org, csv_file(good_rows()))
    counts = (Employee.objects.count(), Appointment.objects.count(), get_user_model().objects.count(),
              Employee.history.count(), Appointment.history.count())
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(good_rows()))
    assert {row.action for row in preview.rows} == {"служащий найден, без изменений; назначение уже есть"}
    summary = apply_staff_import(organisation=org.organisation, preview=preview, by=org.chief.user)
    assert (summary.employees_created, summary.employees_updated, summary.appointments_created,
            summary.appointments_updated, summary.users_created) == (0, 0, 0, 0, 0)
    assert (Employee.objects.count(), Appointment.objects.count(), get_user_model().objects.count(),
            Employee.history.count(), Appointment.history.count()) == counts


def test_import_updates_contacts_of_existing_employee_and_adds_only_new_appointment(org, positions):
    import_ok(org, csv_file(good_rows()))
    rows = good_rows()
    rows[0][4], rows[0][5] = "new@example.kz", "+77770000001"
    rows[1][8], rows[1][9] = "31.12.2024", "да"  # Омарова dismissed: her appointment gets its end
    summary = import_ok(org, csv_file(rows))
    assert (summary.employees_created, summary.employees_updated, summary.appointments_created,
            summary.appointments_updated) == (0, 1, 0, 1)
    employee = Employee.objects.get(personnel_number="1001")
    assert (employee.email, employee.mobile, employee.last_name) == ("new@example.kz", "+77770000001", "Нурланов")
    omarova = Employee.objects.get(personnel_number="1002").appointments.get()
    assert (omarova.end, omarova.dismissed) == (dt.date(2024, 12, 31), True)


def test_import_matches_hand_entered_employee_without_number_by_full_name(org):
    chief = org.chief
    rows = [[chief.last_name, chief.first_name, chief.middle_name, "77", "chief@example.kz", "",
             "Главный специалист по кадрам", "01.01.2019", "", "", ""]]
    summary = import_ok(org, csv_file(rows))
    assert (summary.employees_created, summary.employees_updated, summary.appointments_created) == (0, 1, 0)
    chief.refresh_from_db()
    assert chief.personnel_number == "77"


def test_import_refuses_appointment_to_occupied_position(org):
    occupied = org.staff[0].appointments.get().position
    rows = [["Беков", "Арман", "", "4001", "", "", occupied.title, "01.01.2024", "", "", ""]]
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(rows))
    [message] = preview.all_errors()
    assert message.startswith("строка 2, «Должность»: должность в эти даты занята")


def test_import_position_of_another_organisation_is_unknown(org, positions):
    other = PositionFactory(title="Специалист чужого органа")
    rows = [["Беков", "Арман", "", "4002", "", "", other.title, "01.01.2024", "", "", ""]]
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(rows))
    assert preview.all_errors() == [
        "строка 2, «Должность»: должность «Специалист чужого органа» не найдена в штатном расписании"]


def test_import_queries_do_not_grow_with_rows(org):
    titles = [f"Специалист {i}" for i in range(42)]
    for title in titles:
        PositionFactory(organisation=org.organisation, title=title)

    def rows(first, n):
        return [[f"Фамилия{i}", "Имя", "", str(5000 + i), "", "", titles[i], "01.01.2024", "", "", f"login{i}"]
                for i in range(first, first + n)]

    def count(first, n):
        upload = csv_file(rows(first, n))
        with CaptureQueriesContext(connection) as parsing:
            preview = parse_staff_file(organisation=org.organisation, uploaded_file=upload)
        chief = type(org.chief.user).objects.get(pk=org.chief.user.pk)  # a fresh request's user: roles not cached
        with CaptureQueriesContext(connection) as applying:
            apply_staff_import(organisation=org.organisation, preview=preview, by=chief)
        return len(parsing.captured_queries), len(applying.captured_queries)

    small, large = count(0, 2), count(2, 40)
    assert small == large
    assert Employee.objects.filter(personnel_number__startswith="50").count() == 42


# --- the pages ------------------------------------------------------------------------------------


def test_import_forbidden_to_non_chief_is_404(client, org, positions):
    url = reverse("staff_import")
    for user in (org.official.user, org.head.user, org.staff[0].user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"file": csv_file(good_rows())}).status_code == 404
        assert client.post(url, {"action": "confirm"}).status_code == 404
    assert not Employee.objects.filter(personnel_number="1001").exists()


def test_import_page_flow_upload_preview_confirm(client, org, positions):
    client.force_login(org.chief.user)
    url = reverse("staff_import")
    assert "Шаг 1" in client.get(url).content.decode()
    response = client.post(url, {"action": "upload", "file": csv_file(good_rows())})
    assert response.status_code == 302 and not Employee.objects.filter(personnel_number="1001").exists()
    page = client.get(url).content.decode()
    assert "2 строк, из них с ошибками: 0" in page and 'value="confirm"' in page
    response = client.post(url, {"action": "confirm"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "новых служащих — 2" in response.content.decode()
    assert Employee.objects.filter(personnel_number__in=["1001", "1002"]).count() == 2
    # The file is gone from the session: a second confirm saves nothing again.
    client.post(url, {"action": "confirm"})
    assert Appointment.objects.filter(employee__personnel_number="1001").count() == 1


def test_import_page_with_errors_has_no_save_button_and_confirm_saves_nothing(client, org, positions):
    client.force_login(org.chief.user)
    url = reverse("staff_import")
    rows = [*good_rows(), ["Беков", "Арман", "", "1003", "", "", "Нет такой", "01.01.2024", "", "", ""]]
    client.post(url, {"action": "upload", "file": csv_file(rows)})
    page = client.get(url).content.decode()
    assert "3 строк, из них с ошибками: 1" in page
    assert "должность «Нет такой» не найдена в штатном расписании" in page
    assert 'value="confirm"' not in page
    response = client.post(url, {"action": "confirm"}, follow=True)
    assert "ничего не сохранено" in response.content.decode()
    assert not Employee.objects.filter(personnel_number__in=["1001", "1002", "1003"]).exists()
    assert Position.objects.filter(title="Нет такой").count() == 0


def test_import_service_rechecks_the_role_nothing_saved(org, positions):
    """The page checks the role; the service checks it again, so no other caller skips it."""
    from django.core.exceptions import PermissionDenied

    before = Employee.objects.count()
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(good_rows()))
    assert preview.is_valid
    with pytest.raises(PermissionDenied, match=r"п\. 19"):
        apply_staff_import(organisation=org.organisation, preview=preview, by=org.staff[0].user)
    assert Employee.objects.count() == before


# --- issue 10, point 3: once and bounded -------------------------------------------------------------

import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import IntegrityError  # noqa: E402

from appraisal.models import StaffImport, StaffImportState  # noqa: E402
from appraisal.services import staff_file  # noqa: E402
from appraisal.services.staff_file import MAX_ROWS, read_table  # noqa: E402
from appraisal.services.staff_import import confirm_upload, store_upload  # noqa: E402

CONFIRMERS = 3


def confirm_in_threads(upload_id: int, user_id: int, n: int) -> list[str]:
    """n threads released together, each confirming the same upload in its own connection."""
    from django.db import connection

    barrier, outcomes, lock = threading.Barrier(n), [], threading.Lock()
    user = get_user_model().objects.get(pk=user_id)

    def worker():
        try:
            upload = StaffImport.objects.select_related("organisation").get(pk=upload_id)
            barrier.wait()
            confirm_upload(upload=upload, by=user)
            result = "ok"
        except ValidationError as exc:
            result = "refused: " + exc.error_list[0].code
        except Exception as exc:  # noqa: BLE001 — reported, the test fails on it
            result = "error: " + repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


CHILD = """
import json, sys
import django
django.setup()
from tests.appraisal.test_staff_import import confirm_in_threads
print(json.dumps(confirm_in_threads(*json.loads(sys.argv[1]))))
"""


def _confirm_simultaneously(upload, user, n=CONFIRMERS) -> list[str]:
    if connection.vendor != "sqlite":
        return confirm_in_threads(upload.pk, user.pk, n)
    # The test database of SQLite is in memory: the threads need a file, as the demo has
    # (the application's settings: WAL, IMMEDIATE transactions, a busy timeout).
    import sqlite3

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DJANGO_SETTINGS_MODULE": "appraisal.settings"}
        done = subprocess.run([sys.executable, "-c", CHILD, json.dumps([upload.pk, user.pk, n])],
                              cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=240, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        outcomes = json.loads(done.stdout.strip().splitlines()[-1])
        check = sqlite3.connect(path)
        counts = check.execute("SELECT count(*) FROM appraisal_employee WHERE personnel_number IN ('1001', '1002')")
        created = counts.fetchone()[0]
        appointments = check.execute(
            "SELECT count(*) FROM appraisal_appointment a JOIN appraisal_employee e ON e.id = a.employee_id "
            "WHERE e.personnel_number IN ('1001', '1002')").fetchone()[0]
        check.close()
    return [*outcomes, f"employees={created}", f"appointments={appointments}"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_three_simultaneous_confirms_of_one_upload_import_once():
    from tests.conftest import make_org

    org = make_org()
    for title in ("Главный специалист отдела учёта", "Главный специалист юридического отдела"):
        PositionFactory(organisation=org.organisation, title=title, reports_to=org.head_position)
    upload = store_upload(organisation=org.organisation, uploaded_file=csv_file(good_rows()), by=org.chief.user)
    outcomes = _confirm_simultaneously(upload, org.chief.user)
    assert outcomes[:CONFIRMERS] == ["ok"] + ["refused: already_applied"] * (CONFIRMERS - 1), outcomes
    if connection.vendor == "sqlite":
        assert outcomes[CONFIRMERS:] == ["employees=2", "appointments=2"]
    else:
        assert Employee.objects.filter(personnel_number__in=["1001", "1002"]).count() == 2
        assert Appointment.objects.filter(employee__personnel_number__in=["1001", "1002"]).count() == 2
        stored = StaffImport.objects.get(pk=upload.pk)
        assert stored.state == StaffImportState.APPLIED and stored.table == [] and stored.summary["employees_created"] == 2


def test_import_confirm_twice_in_a_row_refused_the_second_time(org, positions):
    upload = store_upload(organisation=org.organisation, uploaded_file=csv_file(good_rows()), by=org.chief.user)
    confirm_upload(upload=upload, by=org.chief.user)
    with pytest.raises(ValidationError, match="уже импортирован"):
        confirm_upload(upload=upload, by=org.chief.user)
    assert Employee.objects.filter(personnel_number__in=["1001", "1002"]).count() == 2


def test_import_a_refused_confirm_leaves_the_upload_pending_and_nothing_saved(org, positions):
    rows = [*good_rows(), ["Беков", "Арман", "", "1003", "", "", "Нет такой", "01.01.2024", "", "", ""]]
    upload = store_upload(organisation=org.organisation, uploaded_file=csv_file(rows), by=org.chief.user)
    with pytest.raises(ValidationError, match="ничего не сохранено"):
        confirm_upload(upload=upload, by=org.chief.user)
    assert StaffImport.objects.get(pk=upload.pk).state == StaffImportState.PENDING
    assert not Employee.objects.filter(personnel_number__in=["1001", "1002", "1003"]).exists()


def test_import_personnel_number_unique_within_an_organisation(org):
    from tests.factories import EmployeeFactory, OrganisationFactory

    EmployeeFactory(organisation=org.organisation, personnel_number="7001")
    EmployeeFactory(organisation=OrganisationFactory(), personnel_number="7001")  # another organisation: fine
    EmployeeFactory(organisation=org.organisation, personnel_number="")  # hand-entered, no number: fine
    EmployeeFactory(organisation=org.organisation, personnel_number="")
    with pytest.raises(IntegrityError):
        EmployeeFactory(organisation=org.organisation, personnel_number="7001")


def test_import_preview_page_does_not_parse_the_file_again(client, org, positions, monkeypatch):
    client.force_login(org.chief.user)
    url = reverse("staff_import")
    calls = []
    original = staff_file.read_table
    monkeypatch.setattr(staff_file, "read_table", lambda *a, **k: calls.append(1) or original(*a, **k))
    client.post(url, {"action": "upload", "file": csv_file(good_rows())})
    assert len(calls) == 1
    for _ in range(3):
        assert "2 строк, из них с ошибками: 0" in client.get(url).content.decode()
    response = client.post(url, {"action": "confirm"}, follow=True)
    assert "новых служащих — 2" in response.content.decode()
    assert len(calls) == 1


def test_import_more_than_the_row_limit_refused_in_russian(org, positions):
    rows = [[f"Ф{i}", "И", "", str(10000 + i), "", "", "Нет", "01.01.2024", "", "", ""] for i in range(MAX_ROWS + 1)]
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(rows))
    assert preview.file_errors == [f"В файле больше {MAX_ROWS} строк: разделите его на части."]
    assert len(read_table("ok.csv", csv_file(rows[:MAX_ROWS]).read())) == MAX_ROWS + 1


def _xlsx_with_sheet_xml(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet is replaced by the given XML (rows written by hand)."""
    source = xlsx_file([]).read()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else zin.read(item.filename)
            zout.writestr(item.filename, data)
    return out.getvalue()


def _sheet_of(n_rows: int) -> bytes:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, n_rows + 1))
    return _xlsx_with_sheet_xml(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
                                b'.org/spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>")


@pytest.mark.parametrize("n_rows, message", [
    (MAX_ROWS + 500, f"В файле больше {MAX_ROWS} строк"),
    (200_000, f"В листе больше {staff_file.MAX_LINES} строк"),
])
def test_import_xlsx_of_many_rows_stops_at_the_limit_quickly(n_rows, message):
    """A sheet without <dimension> (openpyxl would read it all before the first row): the
    rows are counted as they start and reading stops at the limit."""
    data = _sheet_of(n_rows)
    assert len(data) < staff_file.MAX_FILE_BYTES
    started = time.monotonic()
    with pytest.raises(ValidationError, match=message):
        read_table("big.xlsx", data)
    assert time.monotonic() - started < 3


def test_import_xlsx_zip_bomb_refused_before_it_is_opened(monkeypatch):
    """A million rows that unpack to ~50 MB from a file of a few hundred KB: refused from the
    sizes the archive declares, openpyxl never opens it."""
    import openpyxl

    rows = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1_000_000
    data = _xlsx_with_sheet_xml(b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>")
    assert len(data) < staff_file.MAX_FILE_BYTES
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened a zip bomb"))
    with pytest.raises(ValidationError, match="в распакованном виде больше"):
        read_table("bomb.xlsx", data)


def test_import_texts_longer_than_their_columns_and_nul_are_row_errors(org, positions):
    rows = good_rows()
    rows[0][10] = "l" * 151  # User.username: 150
    rows[1][0] = "Омарова\x00"
    rows[1][7] = "31.12.9999"
    preview = parse_staff_file(organisation=org.organisation, uploaded_file=csv_file(rows))
    assert preview.rows[0].error_for("username") == ["длиннее 150 символов"]
    assert preview.rows[1].error_for("last_name") == ["недопустимый символ (NUL)"]
    assert preview.rows[1].error_for("start") == ["31.12.9999 — дата вне 1950–2099"]
    with pytest.raises(ValidationError):
        apply_staff_import(organisation=org.organisation, preview=preview, by=org.chief.user)
    assert not Employee.objects.filter(personnel_number__in=["1001", "1002"]).exists()


@pytest.mark.parametrize("refused_file", [
    SimpleUploadedFile("staff.txt", b"last_name\n"),
    SimpleUploadedFile("staff.csv", b"x" * (MAX_FILE_BYTES + 1)),
])
def test_import_a_refused_new_upload_does_not_leave_the_previous_file_under_the_save_button(
        client, org, positions, refused_file):
    """A careless user uploads a file, then a corrected one that the form refuses (too large,
    not .csv/.xlsx): the page must not go on offering «Сохранить» for the first file, which
    she meant to replace — one click would import what she no longer wants."""
    client.force_login(org.chief.user)
    url = reverse("staff_import")
    client.post(url, {"action": "upload", "file": csv_file(good_rows())})
    assert 'value="confirm"' in client.get(url).content.decode()
    page = client.post(url, {"action": "upload", "file": refused_file}).content.decode()
    assert 'value="confirm"' not in page and "2 строк, из них с ошибками: 0" not in page
    client.post(url, {"action": "confirm"})
    assert not Employee.objects.filter(personnel_number__in=["1001", "1002"]).exists()
