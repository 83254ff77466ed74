"""Reading a staff file (CSV or XLSX) into rows, once and within bounds (issue 10, point 3).

Only reads: the rows come out JSON-ready (text, numbers, dates as dd.mm.yyyy) so they can be
kept with the upload; checking them against the organisation is
`appraisal.services.staff_import`. Every limit is checked while the file streams, before
the next step costs anything: the size of the upload, the unpacked size and the number of
parts of an XLSX (a zip bomb is refused unread), the <row> elements of each sheet, and the
rows that are not blank.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000  # rows of employees (the header not counted); a file with more is refused
# Reading stops here even when the rows are blank, so a sheet of a million empty rows costs
# no more than a few thousand.
MAX_LINES = 4 * MAX_ROWS
MAX_COLUMNS = 40
# An XLSX is a zip: its parts' declared uncompressed sizes are summed before openpyxl opens
# it, so a small file that unpacks to gigabytes (a zip bomb) is refused unread.
MAX_XLSX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_XLSX_PARTS = 200


def cell_text(value: object) -> str:
    """What a cell says, as one line of text (whole numbers without «.0», dates dd.mm.yyyy)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y") if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def read_upload(uploaded_file) -> tuple[str, list, list[str]]:
    """(file name, the rows read, the file's errors): the only place the bytes are parsed."""
    filename = (getattr(uploaded_file, "name", "") or "").replace("\x00", "")[:255]
    if getattr(uploaded_file, "size", None) and uploaded_file.size > MAX_FILE_BYTES:
        return filename, [], [_("Файл больше 2 МБ.")]
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return filename, [], [_("Файл больше 2 МБ.")]
    try:
        return filename, read_table(filename, data), []
    except ValidationError as exc:
        return filename, [], list(exc.messages)


def read_table(filename: str, data: bytes) -> list[tuple[int, list[object]]]:
    """[(line number, [cells])] of the non-blank lines, the header first, at most MAX_ROWS
    lines after it; each cell JSON-ready (text, a number, a bool, or a date as dd.mm.yyyy),
    so the rows can be kept with the upload. Raises ValidationError for a file that cannot
    be read or is too large."""
    name = filename.lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        lines = _read_xlsx(data)
    elif name.endswith(".xls"):
        raise ValidationError(_("Формат .xls не поддерживается: сохраните файл как .xlsx или .csv."))
    else:
        lines = _read_csv(data)
    table = []
    for number, cells in lines:
        if number > MAX_LINES:
            raise ValidationError(_("В листе больше %(n)s строк (с пустыми): оставьте в файле только строки со "
                                    "штатом (не больше %(rows)s).") % {"n": MAX_LINES, "rows": MAX_ROWS})
        cells = [_json_cell(c) for c in cells[:MAX_COLUMNS]]
        if not any(cell_text(c) for c in cells):
            continue
        if len(table) > MAX_ROWS:  # the header and MAX_ROWS rows are already there
            raise ValidationError(_("В файле больше %(n)s строк: разделите его на части.") % {"n": MAX_ROWS})
        table.append((number, cells))
    return table



def _json_cell(value: object) -> object:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d.%m.%Y")  # the time of a date cell is noise
    return cell_text(value)


def _check_zip_sizes(data: bytes) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(_("Файл XLSX не читается: %(err)s") % {"err": exc}) from exc
    if len(parts) > MAX_XLSX_PARTS or sum(p.file_size for p in parts) > MAX_XLSX_UNCOMPRESSED:
        raise ValidationError(_("Файл XLSX в распакованном виде больше %(mb)s МБ: сохраните в нём только лист со "
                                "штатом или загрузите CSV.") % {"mb": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in parts:
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                with archive.open(part) as stream:
                    _count_rows(stream)


class _TooManyLines(Exception):
    pass


def _count_rows(stream) -> None:
    """Refuse a sheet with more than MAX_LINES <row> elements, counting them as they start.

    openpyxl, opening a sheet in read_only mode, looks for its <dimension>; when the sheet
    has none it reads the whole sheet first (its scan waits for the end of <sheetData>), so
    a long sheet would cost seconds before the first row. This count stops at the limit."""
    from xml.parsers import expat

    count = 0

    def start(name, _attributes):
        nonlocal count
        if name == "row" or name.endswith((":row", "}row")):
            count += 1
            if count > MAX_LINES:
                raise _TooManyLines

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    try:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _TooManyLines:
        raise ValidationError(_("В листе больше %(n)s строк (с пустыми): оставьте в файле только строки со "
                                "штатом (не больше %(rows)s).") % {"n": MAX_LINES, "rows": MAX_ROWS}) from None
    except expat.ExpatError as exc:
        raise ValidationError(_("Файл XLSX не читается: %(err)s") % {"err": exc}) from None


def _read_xlsx(data: bytes):
    """Lines of the first sheet, read as a stream (openpyxl read_only): the rows are never
    all in memory, and the caller stops at its limit."""
    import openpyxl

    _check_zip_sizes(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(_("Файл XLSX не читается: %(err)s") % {"err": exc}) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            yield number, list(row)
    except Exception as exc:  # a damaged part is found only while reading
        raise ValidationError(_("Файл XLSX не читается: %(err)s") % {"err": exc}) from exc
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Кодировка файла не распознана: сохраните CSV в UTF-8 или Windows-1251.")) from exc


def _read_csv(data: bytes):
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=";,").delimiter
    except csv.Error:
        pass
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, list(cells)
    except csv.Error as exc:
        raise ValidationError(_("Файл CSV не читается: %(err)s") % {"err": exc}) from exc
