"""Uploaded evidence files (scans of a notice, KCI evidence): checked by their bytes, stored
privately, served only by a view that has already asked the R20 selector.

The kind of a file is read from its first bytes (magic numbers), never from its name or the
Content-Type the browser sent: both are chosen by the sender. Private files live under
settings.PRIVATE_MEDIA_ROOT, which has no URL — `private_storage.url()` raises — so the only
way to a file is a view that checks who asks and then calls `private_file_response`.
"""

import os
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.translation import gettext as _

# kind → (leading bytes, content type, extension)
_SIGNATURES: dict[str, tuple[tuple[bytes, ...], str, str]] = {
    "pdf": ((b"%PDF-",), "application/pdf", "pdf"),
    "jpeg": ((b"\xff\xd8\xff",), "image/jpeg", "jpg"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png", "png"),
}
# Office documents are zip archives: the kind is read from the archive's own parts
# (kind → (the part that names it, content type, extension)).
_ZIP_KINDS: dict[str, tuple[str, str, str]] = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
_KIND_NAMES = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "docx": "DOCX", "xlsx": "XLSX"}
_HEAD = 16


def _kinds_in_words(kinds: tuple[str, ...]) -> str:
    names = [_KIND_NAMES[kind] for kind in kinds]
    if len(names) == 1:
        return names[0]
    return _("%(first)s или %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def detect_kind(head: bytes) -> str | None:
    """The kind named by the file's first bytes, or None."""
    for kind, (signatures, _type, _ext) in _SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


def detect_file_kind(fileobj) -> str | None:
    """The kind of a whole (seekable) file: its first bytes, and for a zip archive the parts
    an office document must have. The position is put back at 0."""
    fileobj.seek(0)
    head = fileobj.read(_HEAD)
    fileobj.seek(0)
    kind = detect_kind(head)
    if kind is None and head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            names = set()
        fileobj.seek(0)
        if "[Content_Types].xml" in names:
            kind = next((k for k, (part, _type, _ext) in _ZIP_KINDS.items() if part in names), None)
    return kind


def validate_upload(uploaded_file, *, kinds: tuple[str, ...] = ("pdf", "jpeg", "png"), max_bytes: int) -> str:
    """Return the detected kind ("pdf", "jpeg", "png", "docx", "xlsx") or raise a Russian ValidationError.

    The size is checked before anything is read; the file position is put back at 0 so the
    caller can save it."""
    unknown = set(kinds) - set(_SIGNATURES) - set(_ZIP_KINDS)
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, 2)
        size = uploaded_file.tell()
    if size > max_bytes:
        megabytes = max_bytes / (1024 * 1024)
        shown = f"{megabytes:g}" if megabytes >= 1 else f"{megabytes:.2g}"
        raise ValidationError(_("Файл больше %(mb)s МБ.") % {"mb": shown}, code="too_large")
    if size == 0:
        raise ValidationError(_("Файл пуст."), code="empty")
    kind = detect_file_kind(uploaded_file)
    if kind not in kinds:
        raise ValidationError(_("Файл должен быть %(kinds)s.") % {"kinds": _kinds_in_words(kinds)},
                              code="bad_kind")
    return kind


def extension_for(kind: str) -> str:
    return (_SIGNATURES.get(kind) or _ZIP_KINDS[kind])[2]


def content_type_for(kind: str) -> str:
    return (_SIGNATURES.get(kind) or _ZIP_KINDS[kind])[1]


class PrivateStorage(FileSystemStorage):
    """A file system storage with no public URL: files are reached only through a view.

    The location is read from settings on every use (not cached), so a test that points
    PRIVATE_MEDIA_ROOT at a temporary folder is honoured."""

    def __init__(self, **kwargs):
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL; serve them through a view that checks R20")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """For FileField(storage=...): a callable keeps the path out of migrations."""
    return private_storage


def private_file_response(field_file, *, download_name: str = "", as_attachment: bool = False) -> FileResponse:
    """Serve a private file that the caller has already authorised (R20 selector).

    The content type comes from the file's bytes, as on upload; `nosniff` keeps the browser
    from guessing another; `inline` lets a PDF or an image open in the browser."""
    field_file.open("rb")
    kind = detect_file_kind(field_file)
    content_type = content_type_for(kind) if kind else "application/octet-stream"
    name = download_name or PurePath(field_file.name).name
    response = FileResponse(field_file, content_type=content_type, as_attachment=as_attachment, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
