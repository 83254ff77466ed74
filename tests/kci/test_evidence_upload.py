"""Issue 10, point 8: KCI evidence (R22.6) is limited in size and accepted only as the
document kinds the page names — PDF, JPEG, PNG, DOCX, XLSX — read from the bytes, not from
the name; it is kept in private storage and served only by the R20 view, with nosniff, and
as a download unless it is a PDF."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisal.uploads import private_storage
from kci import services
from kci.models import KciScoreLine
from tests.kci.conftest import posted_plan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def line(org, entry, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = posted_plan(org, entry)
    sheet = services.ensure_sheet(plan=plan, by=org.chief.user)
    return sheet.lines.order_by("kci__number").first()


def _state(line):
    return tuple(KciScoreLine.objects.filter(pk=line.pk).values_list("actual", "note", "evidence", "percent").get())


@pytest.mark.parametrize("name, content, message", [
    ("big.pdf", b"%PDF-1.4" + b"\x00" * (6 * 1024 * 1024), "Файл больше 5 МБ"),
    ("page.html", b"<html><script>alert(1)</script></html>", "Файл должен быть PDF, JPEG, PNG, DOCX или XLSX"),
    ("akt.pdf", b"<html><script>alert(1)</script></html>", "Файл должен быть PDF, JPEG, PNG, DOCX или XLSX"),
    ("tool.exe", b"MZ\x90\x00" + b"\x00" * 1000, "Файл должен быть PDF, JPEG, PNG, DOCX или XLSX"),
    ("archive.docx", _office("other/part.xml")[:-1] + b"", "Файл должен быть PDF, JPEG, PNG, DOCX или XLSX"),
    ("empty.pdf", b"", "Файл пуст"),
])
def test_R22_6_evidence_of_a_wrong_kind_or_too_large_is_refused_nothing_saved(org, line, name, content, message):
    before = _state(line)
    with pytest.raises(ValidationError, match=message):
        services.save_actual(line=line, by=org.chief.user, actual="95", note="акт",
                             evidence=SimpleUploadedFile(name, content))
    assert _state(line) == before


def test_R22_6_evidence_through_the_page_refused_with_the_message(client, org, line):
    client.force_login(org.chief.user)
    response = client.post(reverse("kci:line_actual", args=[line.sheet_id, line.pk]),
                           {"actual": "95", "evidence": SimpleUploadedFile("x.html", b"<html></html>")}, follow=True)
    assert "Файл должен быть PDF, JPEG, PNG, DOCX или XLSX" in response.content.decode()
    assert KciScoreLine.objects.get(pk=line.pk).actual is None
    page = client.get(reverse("kci:sheet_detail", args=[line.sheet_id])).content.decode()
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"' in page and "не больше 5 МБ" in page


@pytest.mark.parametrize("name, content, kind, content_type, attachment", [
    ("akt.pdf", PDF, "pdf", "application/pdf", False),
    ("scan.png", PNG, "png", "image/png", True),
    ("report.docx", _office("word/document.xml"), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True),
    ("table.xlsx", _office("xl/workbook.xml"), "xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True),
    ("named-wrongly.html", PDF, "pdf", "application/pdf", False),  # the bytes decide, not the name
])
def test_R22_6_accepted_evidence_is_private_and_served_only_by_the_R20_view(client, org, line, name, content, kind,
                                                                            content_type, attachment):
    services.save_actual(line=line, by=org.chief.user, actual="95", note="",
                         evidence=SimpleUploadedFile(name, content, content_type="text/html"))
    stored = KciScoreLine.objects.get(pk=line.pk)
    assert stored.evidence.name.endswith(f".{'jpg' if kind == 'jpeg' else kind}")
    assert stored.evidence.storage is private_storage and private_storage.exists(stored.evidence.name)
    with pytest.raises(ValueError):
        stored.evidence.url  # no URL: the file is reached only through the view
    url = reverse("kci:line_evidence", args=[line.sheet_id, line.pk])
    client.force_login(org.chief.user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment" if attachment else "inline")
    client.force_login(org.staff[0].user)
    assert client.get(url).status_code == 404


def test_R22_6_evidence_uploaded_before_private_storage_is_moved_there(line, settings):
    """Migration kci 0004 moves files saved under MEDIA_ROOT (before 0003) to private storage."""
    from importlib import import_module
    from pathlib import Path

    from django.apps import apps

    name = f"kci/evidence/{line.sheet_id}/old.pdf"
    old = Path(settings.MEDIA_ROOT) / name
    old.parent.mkdir(parents=True)
    old.write_bytes(PDF)
    KciScoreLine.objects.filter(pk=line.pk).update(evidence=name)
    import_module("kci.migrations.0004_move_evidence_to_private_storage").move_files(apps, None)
    assert not old.exists() and private_storage.exists(name)
    assert KciScoreLine.objects.get(pk=line.pk).evidence.open("rb").read() == PDF
