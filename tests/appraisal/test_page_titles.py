"""Issue 11.4: most pages shared one tab title («Бағалау — оценка деятельности»), so a person
with five tabs open could not tell them apart. Every main page of every role — the home page,
the menu and the links of the home page — has a title of its own."""

import re

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule
from tests.factories import quarter

DEFAULT_TITLE = "Бағалау — оценка деятельности"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HREF = re.compile(r'href="(/[^"#?]*)')
SKIP = ("/admin", "/static", "/media", "/logout", "/i18n")


def _title(response) -> str:
    return " ".join(TITLE.search(response.content.decode())[1].split())


def _main_pages(client) -> dict[str, tuple[str, str]]:
    """{url name: (path, title)}: the home page and every HTML page it links to, one per view."""
    home = client.get("/")
    pages = {"home": ("/", _title(home))}
    for path in dict.fromkeys(HREF.findall(home.content.decode())):
        if path.startswith(SKIP):
            continue
        try:
            name = resolve(path).view_name
        except Resolver404:
            continue
        if name in pages:
            continue
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[name] = (path, _title(response))
    return pages


@pytest.fixture
def process(org):
    schedule = generate_schedule(organisation=org.organisation, period=quarter(2024, 2), by=org.chief.user)
    submit_schedule(schedule=schedule, by=org.chief.user)
    approve_schedule(schedule=schedule, by=org.official.user)
    return org


@pytest.mark.parametrize("persona", ["chief", "official", "chairman", "head", "staff"])
def test_main_pages_of_every_role_have_distinct_titles(process, persona):
    employee = process.staff[0] if persona == "staff" else getattr(process, persona)
    client = Client()
    client.force_login(employee.user)
    pages = _main_pages(client)
    assert len(pages) >= 2, pages  # the home page and at least the methodology page
    defaults = [name for name, (_path, title) in pages.items() if title == DEFAULT_TITLE]
    assert defaults == [], f"pages with the shared default title: {defaults}"
    by_title: dict[str, list[str]] = {}
    for name, (path, title) in pages.items():
        by_title.setdefault(title, []).append(path)
    assert {t: p for t, p in by_title.items() if len(p) > 1} == {}
