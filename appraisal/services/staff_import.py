"""Staff import from a spreadsheet (CSV or XLSX) with a preview, all-or-nothing per file.

Two steps, deliberately separate:

* `parse_staff_file` only reads: it decodes the file, normalises every cell and checks every
  row against the organisation's positions, the employees already on file and the other rows
  of the same file. Each row carries its own list of errors, each naming its column
  («строка 5, «Должность»: должность «…» не найдена в штатном расписании»).
* `apply_staff_import` writes, in one transaction, and refuses a preview that has any error:
  a file is imported whole or not at all.

Matching: an employee is the same person when the табельный номер is the same (within the
organisation); their e-mail and mobile are updated, their name is left as it is. An
appointment is the same when employee, position and start date are the same; re-importing
the same file therefore creates nothing new.

Once and bounded (issue 10, point 3): the page stores the upload (`store_upload`: the file
is read once, streamed, at most MAX_ROWS rows, an XLSX's unpacked size checked first) and
`confirm_upload` imports it exactly once, however many «Сохранить» arrive together; the
табельный номер is unique within an organisation in the database too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from appraisal import roles
from appraisal.languages import is_kazakh
from appraisal.models import Appointment, Employee, Organisation, Position, Role, StaffImport, StaffImportState
from appraisal.services.staff_file import MAX_ROWS, cell_text, read_upload

EARLIEST_DATE = dt.date(1950, 1, 1)  # an appointment or a release date outside these years is a typing error
LATEST_DATE = dt.date(2099, 12, 31)
CHANGE_REASON = "импорт штата из файла"

# field name -> (column header, required column, required value)
COLUMNS: dict[str, tuple[str, bool, bool]] = {
    "last_name": ("Фамилия", True, True),
    "first_name": ("Имя", True, True),
    "middle_name": ("Отчество", True, False),
    "personnel_number": ("Табельный номер", True, True),
    "email": ("E-mail", True, False),
    "mobile": ("Мобильный", True, False),
    "position": ("Должность", True, True),
    "start": ("Дата назначения", True, True),
    "end": ("Дата освобождения", False, False),
    "dismissed": ("Уволен", False, False),
    "username": ("Логин", False, False),
}
# The same columns under their Kazakh headers: a file prepared in Kazakh imports as well, and
# the Kazakh interface names the columns so (column_title).
COLUMNS_KK: dict[str, str] = {
    "last_name": "Тегі",
    "first_name": "Аты",
    "middle_name": "Әкесінің аты",
    "personnel_number": "Табель нөмірі",
    "email": "E-mail",
    "mobile": "Ұялы телефон",
    "position": "Лауазымы",
    "start": "Тағайындалған күні",
    "end": "Босатылған күні",
    "dismissed": "Жұмыстан шығарылды",
    "username": "Логин",
}
_HEADER_TO_FIELD = {header.casefold(): name for name, (header, _req, _val) in COLUMNS.items()} | {
    header.casefold(): name for name, header in COLUMNS_KK.items()}
_HEADER_ALIASES = {"email": "email", "e-mail": "email", "эл. почта": "email", "электронная почта": "email",
                   "электрондық пошта": "email", "әкесінің аты (болған жағдайда)": "middle_name"}

_MOBILE_RE = re.compile(r"^\+7\d{10}$")
_USERNAME_RE = re.compile(r"^[\w.@+-]+$")
_YES = {"да", "д", "иә", "yes", "y", "1", "true", "истина"}
_NO = {"нет", "н", "жоқ", "no", "n", "0", "false", "ложь", ""}


def column_title(field_name: str) -> str:
    """The column's header in the interface language (both are accepted in a file)."""
    return COLUMNS_KK[field_name] if is_kazakh() else COLUMNS[field_name][0]


@dataclass
class RowError:
    field: str  # a key of COLUMNS, or "" for the row as a whole
    message: str

    @property
    def column(self) -> str:
        return column_title(self.field) if self.field else ""


@dataclass
class ImportRow:
    number: int  # the line of the spreadsheet (the header is line 1)
    raw: dict[str, str]  # what the file said, per field, as text
    values: dict[str, object] = field(default_factory=dict)  # normalised
    errors: list[RowError] = field(default_factory=list)
    position: Position | None = None
    employee: Employee | None = None  # the existing employee with this табельный номер
    existing_appointment: Appointment | None = None

    def add_error(self, field_name: str, message: str) -> None:
        self.errors.append(RowError(field_name, message))

    def error_for(self, field_name: str) -> list[str]:
        return [e.message for e in self.errors if e.field == field_name]

    def cells(self) -> list[tuple[str, str, list[str]]]:
        """(field, what the file said, errors of that column) in the order of COLUMNS."""
        return [(name, self.raw.get(name, ""), self.error_for(name)) for name in COLUMNS]

    @property
    def row_errors(self) -> list[str]:
        return self.error_for("")

    def error_messages(self) -> list[str]:
        """The full messages, each naming the line and the column."""
        out = []
        for e in self.errors:
            if e.field:
                out.append(_("строка %(n)s, «%(col)s»: %(msg)s") % {"n": self.number, "col": e.column, "msg": e.message})
            else:
                out.append(_("строка %(n)s: %(msg)s") % {"n": self.number, "msg": e.message})
        return out

    @property
    def action(self) -> str:
        if self.errors:
            return _("ошибка")
        if self.employee is None:
            parts = [_("новый служащий")]
        elif self.employee_changes():
            parts = [_("служащий найден, контакты обновляются")]
        else:
            parts = [_("служащий найден, без изменений")]
        if self.existing_appointment is None:
            parts.append(_("назначение добавляется"))
        elif self._appointment_changes():
            parts.append(_("дата освобождения обновляется"))
        else:
            parts.append(_("назначение уже есть"))
        return "; ".join(parts)

    def employee_changes(self) -> bool:
        """Whether the existing employee's e-mail, mobile, табельный номер or log-in change."""
        e, v = self.employee, self.values
        return e is not None and (
            (e.email, e.mobile, e.personnel_number) != (v["email"], v["mobile"], v["personnel_number"])
            or bool(v["username"] and not e.user_id)
        )

    def _appointment_changes(self) -> bool:
        a = self.existing_appointment
        return a is not None and (a.end != self.values.get("end") or a.dismissed != self.values.get("dismissed"))


@dataclass
class ImportPreview:
    filename: str
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def error_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def error_count(self) -> int:
        return len(self.error_rows)

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.error_rows and bool(self.rows)

    def all_errors(self) -> list[str]:
        return list(self.file_errors) + [m for r in self.rows for m in r.error_messages()]


@dataclass
class ImportSummary:
    employees_created: int = 0
    employees_updated: int = 0
    appointments_created: int = 0
    appointments_updated: int = 0
    users_created: int = 0


# --- normalising cells ------------------------------------------------------------------


def parse_date(value: object) -> dt.date:
    """dd.mm.yyyy, ISO yyyy-mm-dd, or a real Excel date; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        converted = from_excel(value)
        if isinstance(converted, dt.datetime):
            return converted.date()
        raise ValueError(value)
    text = cell_text(value)
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def normalise_mobile(text: str) -> str:
    """+7XXXXXXXXXX; 8XXXXXXXXXX and 7XXXXXXXXXX are brought to it; ValueError otherwise."""
    digits = re.sub(r"[\s()\-]", "", text)
    if re.fullmatch(r"8\d{10}", digits) or re.fullmatch(r"7\d{10}", digits):
        digits = "+7" + digits[1:]
    if not _MOBILE_RE.fullmatch(digits):
        raise ValueError(text)
    return digits


def _field_for_header(header: str) -> str | None:
    key = " ".join(header.split()).casefold()
    return _HEADER_TO_FIELD.get(key) or _HEADER_ALIASES.get(key)


# --- the preview ----------------------------------------------------------------------------


def parse_staff_file(*, organisation: Organisation, uploaded_file) -> ImportPreview:
    """Read and check the whole file without writing anything."""
    filename, table, file_errors = read_upload(uploaded_file)
    return build_preview(organisation=organisation, filename=filename, table=table, file_errors=file_errors)


def build_preview(*, organisation: Organisation, filename: str, table: list, file_errors: list[str] = ()) -> ImportPreview:
    """Check rows already read (`read_table`) against the organisation: no file parsing."""
    preview = ImportPreview(filename=filename)
    if file_errors:
        preview.file_errors.extend(file_errors)
        return preview
    if not table:
        preview.file_errors.append(_("Файл пуст: нет строки заголовков."))
        return preview

    header_cells = table[0][1]
    positions_of_field: dict[str, int] = {}
    unknown = []
    for index, cell in enumerate(header_cells):
        header = cell_text(cell)
        if not header:
            continue
        name = _field_for_header(header)
        if name is None:
            unknown.append(header)
        elif name in positions_of_field:
            preview.file_errors.append(_("Столбец «%(col)s» указан дважды.") % {"col": column_title(name)})
        else:
            positions_of_field[name] = index
    missing = [column_title(n) for n, (_h, required, _v) in COLUMNS.items() if required and n not in positions_of_field]
    if missing:
        preview.file_errors.append(_("Не найдены столбцы: %(cols)s.") % {"cols": ", ".join(f"«{c}»" for c in missing)})
    if unknown:
        preview.warnings.append(_("Столбцы не распознаны и не загружаются: %(cols)s.")
                                % {"cols": ", ".join(f"«{c}»" for c in unknown)})
    if preview.file_errors:
        return preview
    body = table[1:]
    if not body:
        preview.file_errors.append(_("В файле нет строк со служащими."))
        return preview
    if len(body) > MAX_ROWS:
        preview.file_errors.append(_("В файле больше %(n)s строк.") % {"n": MAX_ROWS})
        return preview

    raw_rows = []
    for number, cells in body:
        cells = list(cells) + [None] * (len(header_cells) - len(cells))
        raw_rows.append((number, {name: cells[i] for name, i in positions_of_field.items()}))
    preview.rows = [_normalise_row(number, cells) for number, cells in raw_rows]
    _check_against_database(organisation, preview.rows)
    _check_within_file(preview.rows)
    return preview


def _normalise_row(number: int, cells: dict[str, object]) -> ImportRow:
    row = ImportRow(number=number, raw={name: cell_text(value) for name, value in cells.items()})
    v = row.values
    for name, (_header, _col_required, value_required) in COLUMNS.items():
        text = row.raw.get(name, "")
        if value_required and not text:
            row.add_error(name, _("не заполнено"))
        v[name] = text
    if row.raw.get("email"):
        try:
            validate_email(row.raw["email"])
        except ValidationError:
            row.add_error("email", _("«%(v)s» — не адрес электронной почты") % {"v": row.raw["email"]})
        v["email"] = row.raw["email"].lower()
    if row.raw.get("mobile"):
        try:
            v["mobile"] = normalise_mobile(row.raw["mobile"])
        except ValueError:
            row.add_error("mobile", _("«%(v)s» — номер должен иметь вид +7XXXXXXXXXX") % {"v": row.raw["mobile"]})
    for name in ("start", "end"):
        v[name] = None
        if row.raw.get(name):
            try:
                v[name] = parse_date(cells[name])
            except (ValueError, TypeError, OverflowError):
                row.add_error(name, _("«%(v)s» — не дата (ожидается ДД.ММ.ГГГГ)") % {"v": row.raw[name]})
            else:
                if not EARLIEST_DATE <= v[name] <= LATEST_DATE:
                    row.add_error(name, _("%(d)s — дата вне %(a)s–%(b)s") % {
                        "d": f"{v[name]:%d.%m.%Y}", "a": EARLIEST_DATE.year, "b": LATEST_DATE.year})
                    v[name] = None
    if v["start"] and v["end"] and v["end"] < v["start"]:
        row.add_error("end", _("дата освобождения %(end)s раньше даты назначения %(start)s")
                      % {"end": f"{v['end']:%d.%m.%Y}", "start": f"{v['start']:%d.%m.%Y}"})
    dismissed_text = row.raw.get("dismissed", "").casefold()
    v["dismissed"] = False
    if dismissed_text in _YES:
        v["dismissed"] = True
        if not row.raw.get("end"):
            row.add_error("end", _("п. 6: для уволенного укажите дату освобождения"))
    elif dismissed_text not in _NO:
        row.add_error("dismissed", _("«%(v)s» — укажите «да» или «нет»") % {"v": row.raw["dismissed"]})
    if row.raw.get("username") and not _USERNAME_RE.fullmatch(row.raw["username"]):
        row.add_error("username", _("«%(v)s» — допустимы латинские буквы, цифры и символы @ . + - _")
                      % {"v": row.raw["username"]})
    for name, limit in _LENGTH_LIMITS.items():
        if "\x00" in row.raw.get(name, ""):
            row.add_error(name, _("недопустимый символ (NUL)"))
        elif len(row.raw.get(name, "")) > limit:
            row.add_error(name, _("длиннее %(n)s символов") % {"n": limit})
    return row


# Every text written to the database, limited as its column stores it.
_LENGTH_LIMITS = {
    **{name: Employee._meta.get_field(name).max_length
       for name in ("last_name", "first_name", "middle_name", "personnel_number", "email", "mobile")},
    "username": get_user_model()._meta.get_field("username").max_length,
    "position": Position._meta.get_field("title").max_length,
}


def _check_against_database(organisation: Organisation, rows: list[ImportRow]) -> None:
    """Positions, existing employees, their appointments and logins: four queries for any file."""
    positions = {p.title.strip().casefold(): p for p in Position.objects.filter(organisation=organisation)}
    numbers = {r.values["personnel_number"] for r in rows if r.values["personnel_number"]}
    employees = {
        e.personnel_number: e
        for e in Employee.objects.filter(organisation=organisation, personnel_number__in=numbers)
        .select_related("user")
    }
    # People entered by hand before any import have no табельный номер: the same full name is
    # the same person (only when the name is unique among them), and gets the number.
    unnumbered: dict[tuple, Employee | None] = {}
    for e in Employee.objects.filter(organisation=organisation, personnel_number="").select_related("user"):
        key = _person_key({"last_name": e.last_name, "first_name": e.first_name, "middle_name": e.middle_name})
        unnumbered[key] = None if key in unnumbered else e
    position_ids = set()
    for row in rows:
        title = row.values["position"]
        if title:
            row.position = positions.get(title.strip().casefold())
            if row.position is None:
                row.add_error("position", _("должность «%(t)s» не найдена в штатном расписании") % {"t": title})
            else:
                position_ids.add(row.position.pk)
        row.employee = employees.get(row.values["personnel_number"])
        if row.employee is None:
            row.employee = unnumbered.get(_person_key(row.values))
    appointments = list(
        Appointment.objects.filter(Q(position_id__in=position_ids) | Q(employee__in={r.employee.pk for r in rows if r.employee}))
        .select_related("employee", "position")
    )
    logins = {r.values["username"] for r in rows if r.values["username"]}
    taken = {
        u.username.casefold(): u
        for u in get_user_model().objects.filter(username__in=logins).select_related("employee")
    } if logins else {}

    for row in rows:
        start, end, position, employee = row.values["start"], row.values["end"], row.position, row.employee
        if employee is not None and position is not None and start:
            row.existing_appointment = next(
                (a for a in appointments
                 if a.employee_id == employee.pk and a.position_id == position.pk and a.start == start), None)
        if position is not None and start and not (end and end < start):
            for a in appointments:
                if a == row.existing_appointment or not _overlap(a.start, a.end, start, end):
                    continue
                if employee is not None and a.employee_id == employee.pk:
                    row.add_error("start", _("пересекается с назначением служащего на должность «%(p)s» с %(s)s; "
                                             "сначала укажите дату освобождения в прежней должности")
                                  % {"p": a.position.title, "s": f"{a.start:%d.%m.%Y}"})
                    break
                if a.position_id == position.pk:
                    row.add_error("position", _("должность в эти даты занята: %(who)s с %(s)s")
                                  % {"who": a.employee.full_name, "s": f"{a.start:%d.%m.%Y}"})
                    break
        login = row.values["username"]
        if login:
            holder = taken.get(login.casefold())
            if holder is not None and (employee is None or getattr(holder, "employee", None) != employee):
                row.add_error("username", _("логин «%(l)s» уже занят") % {"l": login})
            elif employee is not None and employee.user_id and employee.user.username.casefold() != login.casefold():
                row.add_error("username", _("у служащего уже есть учётная запись «%(l)s»")
                              % {"l": employee.user.username})


def _person_key(values) -> tuple:
    return tuple(" ".join(str(values[k]).split()).casefold() for k in ("last_name", "first_name", "middle_name"))


def _overlap(start_a, end_a, start_b, end_b) -> bool:
    return start_a <= (end_b or dt.date.max) and start_b <= (end_a or dt.date.max)


def _check_within_file(rows: list[ImportRow]) -> None:
    by_number: dict[str, int] = {}
    by_person: dict[tuple, int] = {}
    by_login: dict[str, int] = {}
    for row in rows:
        v = row.values
        number = v["personnel_number"]
        if number:
            if number in by_number:
                row.add_error("personnel_number", _("табельный номер %(num)s повторяет строку %(n)s")
                              % {"num": number, "n": by_number[number]})
            else:
                by_number[number] = row.number
        person = tuple(str(v[k]).casefold() for k in ("last_name", "first_name", "middle_name", "position"))
        if v["last_name"] and v["position"]:
            if person in by_person:
                row.add_error("", _("повторяет строку %(n)s (те же ФИО и должность)") % {"n": by_person[person]})
            else:
                by_person[person] = row.number
        login = str(v["username"]).casefold()
        if login:
            if login in by_login:
                row.add_error("username", _("логин повторяет строку %(n)s") % {"n": by_login[login]})
            else:
                by_login[login] = row.number
    # Two rows for one position with overlapping dates.
    placed = [r for r in rows if r.position is not None and r.values["start"]]
    for i, row in enumerate(placed):
        for other in placed[:i]:
            if other.position.pk == row.position.pk and _overlap(
                other.values["start"], other.values["end"], row.values["start"], row.values["end"]
            ):
                row.add_error("position", _("должность в эти даты уже назначена в строке %(n)s") % {"n": other.number})
                break


# --- writing -----------------------------------------------------------------------------


@transaction.atomic
def apply_staff_import(*, organisation: Organisation, preview: ImportPreview, by) -> ImportSummary:
    """Write a checked preview: every row or none."""
    _require_chief(organisation, by)
    if preview.file_errors or preview.error_rows:
        errors = preview.all_errors()
        raise ValidationError(
            _("Импорт не выполнен: в файле есть ошибки (%(n)s), ничего не сохранено. %(first)s")
            % {"n": len(errors), "first": "; ".join(errors[:5])}
        )
    if not preview.rows:
        raise ValidationError(_("Импорт не выполнен: в файле нет строк со служащими."))
    summary = ImportSummary()
    User = get_user_model()

    new_users = []
    for row in preview.rows:
        login = row.values["username"]
        if login and (row.employee is None or not row.employee.user_id):
            user = User(username=login, email=row.values["email"], first_name=row.values["first_name"],
                        last_name=row.values["last_name"])
            user.set_unusable_password()
            new_users.append((row, user))
    if new_users:
        User.objects.bulk_create([u for _r, u in new_users])
        created = {u.username: u for u in User.objects.filter(username__in=[u.username for _r, u in new_users])}
        for row, user in new_users:
            row.values["user"] = created[user.username]
        summary.users_created = len(new_users)

    to_create, to_update = [], []
    for row in preview.rows:
        v = row.values
        if row.employee is None:
            to_create.append(Employee(
                organisation=organisation, last_name=v["last_name"], first_name=v["first_name"],
                middle_name=v["middle_name"], personnel_number=v["personnel_number"], email=v["email"],
                mobile=v["mobile"], user=v.get("user"),
            ))
        else:
            employee = row.employee
            if row.employee_changes():
                employee.email, employee.mobile = v["email"], v["mobile"]
                employee.personnel_number = v["personnel_number"]
                if v.get("user") is not None:
                    employee.user = v["user"]
                to_update.append(employee)
    if to_create:
        bulk_create_with_history(to_create, Employee, default_user=by, default_change_reason=CHANGE_REASON)
        fresh = {
            e.personnel_number: e
            for e in Employee.objects.filter(
                organisation=organisation, personnel_number__in=[e.personnel_number for e in to_create])
        }
        for row in preview.rows:
            if row.employee is None:
                row.employee = fresh[row.values["personnel_number"]]
    if to_update:
        bulk_update_with_history(to_update, Employee, ["email", "mobile", "personnel_number", "user"], default_user=by,
                                 default_change_reason=CHANGE_REASON)
    summary.employees_created, summary.employees_updated = len(to_create), len(to_update)

    new_appointments, changed_appointments = [], []
    for row in preview.rows:
        v = row.values
        if row.existing_appointment is None:
            new_appointments.append(Appointment(employee=row.employee, position=row.position, start=v["start"],
                                                end=v["end"], dismissed=v["dismissed"]))
        elif row._appointment_changes():
            row.existing_appointment.end, row.existing_appointment.dismissed = v["end"], v["dismissed"]
            changed_appointments.append(row.existing_appointment)
    for appointment in new_appointments + changed_appointments:
        appointment.clean()
    if new_appointments:
        bulk_create_with_history(new_appointments, Appointment, default_user=by, default_change_reason=CHANGE_REASON)
    if changed_appointments:
        bulk_update_with_history(changed_appointments, Appointment, ["end", "dismissed"], default_user=by,
                                 default_change_reason=CHANGE_REASON)
    summary.appointments_created, summary.appointments_updated = len(new_appointments), len(changed_appointments)
    return summary


# --- the upload: read once, confirmed once ------------------------------------------------------


def _require_chief(organisation: Organisation, by) -> None:
    if not roles.has_role(by, organisation.pk, Role.CHIEF_SPECIALIST):
        raise PermissionDenied(_("п. 19: штат импортирует главный специалист."))


def store_upload(*, organisation: Organisation, uploaded_file, by) -> StaffImport:
    """Read the file once (bounded: MAX_FILE_BYTES, MAX_ROWS, the XLSX's unpacked size) and
    keep its rows with the upload; the preview and the confirmation work from those rows."""
    _require_chief(organisation, by)
    filename, table, file_errors = read_upload(uploaded_file)
    return StaffImport.objects.create(organisation=organisation, created_by=by, filename=filename,
                                      table=[[number, cells] for number, cells in table], file_errors=file_errors)


def upload_preview(upload: StaffImport) -> ImportPreview:
    """The preview of a stored upload, checked against today's data; the file is not read."""
    return build_preview(organisation=upload.organisation, filename=upload.filename,
                         table=[(number, cells) for number, cells in upload.table], file_errors=upload.file_errors)


def confirm_upload(*, upload: StaffImport, by) -> ImportSummary:
    """Import a stored upload exactly once.

    The first statement of the transaction claims the upload (pending → applied, an
    update-if-unchanged): a second or third «Сохранить» of the same upload, sent at the same
    moment, waits for the first and then finds nothing to claim. The rows are checked again
    inside the transaction; any refusal rolls the claim back with everything else."""
    organisation = upload.organisation
    _require_chief(organisation, by)
    try:
        with transaction.atomic():
            claimed = StaffImport.objects.filter(pk=upload.pk, organisation=organisation,
                                                 state=StaffImportState.PENDING).update(
                state=StaffImportState.APPLIED, applied_at=timezone.now())
            if not claimed:
                raise ValidationError(_("Этот файл уже импортирован или отменён: повторно он не сохраняется."),
                                      code="already_applied")
            upload = StaffImport.objects.get(pk=upload.pk)
            summary = apply_staff_import(organisation=organisation, preview=upload_preview(upload), by=by)
            StaffImport.objects.filter(pk=upload.pk).update(table=[], summary=asdict(summary))
    except IntegrityError:
        # Another import saved one of these табельные номера a moment ago.
        raise ValidationError(_("Импорт не выполнен: служащие с этими табельными номерами только что добавлены "
                                "другим импортом. Загрузите файл снова, чтобы проверить его заново."),
                              code="conflict") from None
    return summary


def cancel_upload(*, upload: StaffImport, by) -> None:
    _require_chief(upload.organisation, by)
    StaffImport.objects.filter(pk=upload.pk, state=StaffImportState.PENDING).update(
        state=StaffImportState.CANCELLED, table=[])
