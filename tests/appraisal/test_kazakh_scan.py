"""Issue 11.8: the Kazakh interface is Kazakh throughout. Every demo role logs in, chooses
Kazakh (the language cookie, as the switcher in the header sets it) and walks every page it
can reach from its home by following links; every printed form (PDF, text through pypdf), every
workbook (XLSX, cells and sheet names) and the admin are read too. No word of the kept list of
Russian-only words (kazakh_scan_russian_words.txt, see its header for how it was chosen) may
appear.

What people typed is not the interface: names, positions, the organisation, KCI texts,
comments, reasons… are Russian in the demo and stay as typed, so every text value stored in
the database is blanked out of the page before the scan — except the edition data carried in
both languages (a field with a `<name>_kk` twin: questionnaires, competencies, statements,
form-4 parameters, the edition's title), which must show its Kazakh text.
"""

import datetime as dt
import html
import io
import re
from collections import deque
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.template.loader import render_to_string
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from appraisal import demo

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
WORD_LIST = Path(__file__).with_name("kazakh_scan_russian_words.txt")
APPS = {"appraisal", "kci", "ranking", "survey360", "legacy_commission", "calibration", "auth"}
# Pages the walk does not open: they change state on GET, leave the session or the language,
# or are not the application (static files, the admin is walked separately).
SKIP = re.compile(r"^/(logout|i18n|static|media|admin)/|^/__")
# Several links to the same page with another id read the same strings: a few suffice (pages
# per role, prints and workbooks once for all roles: they are the slow part).
PAGES_PER_VIEW, PRINTS_PER_VIEW = 2, 1
# Files people uploaded (scans, evidence) are theirs, not printed forms of the application.
UPLOADED_FILES = {"result_notice_scan", "case_file", "line_evidence", "evidence_file"}
# Stored text the application wrote, not a person: it must read in Kazakh (appraisal.record_text).
GENERATED = {"reason_detail"}
ADMIN_PAGES = ("/admin/survey360/questionnaire/", "/admin/survey360/competency/", "/admin/ranking/rankingparameter/",
               "/admin/appraisal/methodologyedition/", "/admin/appraisal/schedule/")
CYRILLIC_WORD = re.compile(r"[а-яёәғқңөұүһі]+(\.)?", re.IGNORECASE)


def _russian_words() -> tuple[set[str], set[str]]:
    words, abbreviations = set(), set()
    for line in WORD_LIST.read_text(encoding="utf-8").splitlines():
        line = line.strip().lower()
        if line and not line.startswith("#"):
            (abbreviations if line.endswith(".") else words).add(line.rstrip("."))
    return words, abbreviations


def _spaced(text: str) -> str:
    """One space for any run of white space: a printed form wraps a typed text over lines (and
    breaks «интернет-ресурс» after its hyphen)."""
    return " ".join(re.sub(r"-[ \t]*\n\s*", "-", text).split())


def _typed_texts(*, admin: bool = False) -> list[str]:
    """Every text value people typed, longest first (a name inside a longer text goes with it).
    The admin shows stored values as stored: there the Russian side of bilingual edition data
    (edited beside the Kazakh one) and the application's texts of record count as typed too."""
    texts: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        names = {f.name for f in model._meta.concrete_fields}
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices
                  and not f.name.endswith("_kk") and (admin or f"{f.name}_kk" not in names)
                  and (admin or f.name not in GENERATED)]
        for row in model.objects.values_list(*fields) if fields else ():
            for value in row:
                value = str(value or "")
                for part in [value, *value.splitlines()]:
                    part = _spaced(part)
                    if len(part) >= 3:
                        texts.add(part)
    return sorted(texts, key=len, reverse=True)


def _text_of(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in kind:
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheet" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join([ws.title for ws in book.worksheets] + [
            str(cell) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for cell in row if cell])
    page = body.decode(errors="replace")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    # Attribute texts people read or hear: titles, labels, placeholders, alternative texts.
    attributes = " ".join(re.findall(r'\s(?:title|aria-label|placeholder|alt|value)="([^"]*)"', page))
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes)


def _links(response, base: str) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    found = []
    for href in re.findall(r'href="([^"#]+)', response.content.decode(errors="replace")):
        path = urlsplit(urljoin(base, html.unescape(href)))
        if path.netloc in ("", "testserver") and not SKIP.match(path.path):
            found.append(path.path + (f"?{path.query}" if path.query else ""))
    return found


class Scan:
    def __init__(self, typed: list[str], findings: dict | None = None):
        self.words, self.abbreviations = _russian_words()
        self.typed = typed
        self.findings: dict[str, set[str]] = {} if findings is None else findings
        self.per_view: dict[tuple[str, str], int] = {}
        self.seen: set[str] = set()
        self.role = ""
        self.count = 0

    def check(self, where: str, text: str) -> None:
        text = _spaced(text)
        for value in self.typed:
            if value in text:
                text = text.replace(value, " ")
        self.count += 1
        for match in CYRILLIC_WORD.finditer(text):
            word = match.group(0)
            bare = word.rstrip(".")
            # Abbreviations are lower case («г.», «п.»): «Г.А.» is a person's initials. A
            # one-letter word counts only in lower case for the same reason.
            russian = bare in self.abbreviations if word.endswith(".") else False
            if not russian and (len(bare) > 1 or bare.islower()):
                russian = bare.lower() in self.words
            if russian:
                context = text[max(0, match.start() - 30):match.end() + 30].replace("\n", " ")
                self.findings.setdefault(where, set()).add(f"{word!r} in «{context.strip()}»")

    def walk(self, client: Client, start: str) -> None:
        queue = deque([start])
        while queue:
            path = queue.popleft()
            if path in self.seen:
                continue
            self.seen.add(path)
            try:
                view = resolve(urlsplit(path).path).view_name
            except Resolver404:
                continue
            if view.split(":")[-1] in UPLOADED_FILES:
                continue
            if self.per_view.get((view, self.role), 0) >= PAGES_PER_VIEW or self.per_view.get((view, ""), 0):
                continue  # enough of this page for this role (or this print for everyone)
            response = client.get(path)
            if response.status_code != 200:
                continue
            printed = "html" not in response.get("Content-Type", "")
            key = (view, "") if printed else (view, self.role)
            if self.per_view.get(key, 0) >= (PRINTS_PER_VIEW if printed else PAGES_PER_VIEW):
                continue
            self.per_view[key] = self.per_view.get(key, 0) + 1
            try:
                text = _text_of(response)
            except Exception as error:  # noqa: BLE001 — a print that cannot be read is a finding, not a crash
                self.findings.setdefault(path, set()).add(f"unreadable {response.get('Content-Type')}: {error!r}")
                continue
            self.check(path, text)
            queue.extend(link for link in _links(response, path) if link not in self.seen)


def _kazakh_client(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_every_page_and_form_in_kazakh_has_no_russian_only_word():
    with time_machine.travel(NOW, tick=False):
        call_command("load_demo", stdout=StringIO())
        scan = Scan(_typed_texts())
        users = get_user_model().objects
        anonymous = _kazakh_client()
        scan.check("/login/", _text_of(anonymous.get("/login/")))
        for username in demo.demo_usernames():
            user = users.filter(username=username, is_active=True).first()
            if user is None:
                continue
            client = _kazakh_client(user)
            scan.seen, scan.role = set(), username  # every role walks from its own home
            scan.walk(client, "/")
            # Django's password rules, refused in Kazakh on the password change page.
            refused = client.post("/password/", {"old_password": "x", "new_password1": "123", "new_password2": "123"})
            scan.check(f"/password/ POST ({username})", _text_of(refused))
        admin = _kazakh_client(users.get(username=demo.ADMIN_USERNAME))
        admin_scan = Scan(_typed_texts(admin=True), scan.findings)
        admin_scan.check("/admin/", _text_of(admin.get("/admin/")))
        # The admin's frame and the edition data people edit there (lists and one form each).
        for link in ADMIN_PAGES:
            page = admin.get(link)
            admin_scan.check(link, _text_of(page))
            first = re.search(rf'href="({link}\d+/change/)', page.content.decode())
            if first:
                admin_scan.check(first.group(1), _text_of(admin.get(first.group(1))))
        scan.count += admin_scan.count
        with translation.override("kk"):
            for template in ("404.html", "500.html", "403.html"):
                scan.check(template, render_to_string(template))
    assert scan.count > 60, scan.count  # the walk really reached the pages
    assert scan.findings == {}, "\n".join(
        f"{where}: " + "; ".join(sorted(found)[:8]) for where, found in sorted(scan.findings.items()))
