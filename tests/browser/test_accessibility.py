"""Accessibility (issue 11, point 9): axe-core, vendored in tests/browser/vendor (no CDN), on every
page each demo role reaches by following links from its home page (and, for the people who
use it, from the admin index): no serious or critical violation of WCAG 2.0/2.1 A and AA.

The crawl is GET only and stays on the live server. It skips what is not a page (PDF, XLSX,
uploaded files), the log-out and the language switch. A role opens one address per URL pattern
(the tenth schedule is the same template as the first), and a pattern is audited for at most
ROLES_PER_ROUTE roles (the home page and the admin index for each): the pages each role sees
are covered while the run stays short on a shared machine. At most MAX_PAGES_PER_ROLE pages
per role. Axe is injected as an init script of the role's browser
context: it runs whatever the page's Content-Security-Policy says, and the pages keep theirs.
"""

from collections import deque
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from appraisal import demo
from tests.browser.conftest import url

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
MAX_PAGES_PER_ROLE = 60
ROLES_PER_ROUTE = 3
EVERY_ROLE = {"home", "admin:index"}

# Every demo log-in that sees different pages (README «Demo log-ins»): the chief specialist,
# the appointing official and the chairman (both also in the admin), the head of apparatus
# (evaluator of the ranking), staff2 (calibrated in Q2, chairman of the chapter-6 Commission),
# staff5 (evaluated by chapter 6), staff7 (ordinary staff, 360 respondent) and the superuser.
ROLES = ("chief", "official", "chairman", "head", "staff2", "staff5", "staff7", "admin")

# URL names that answer with a file, not a page, or that only take POST.
NOT_PAGES = ("pdf", "xlsx", "file", "scan", "logout", "set_language", "transition", "jsi18n")
ADMIN_NOT_PAGES = ("logout", "password_change", "delete", "autocomplete", "view_on_site", "jsi18n")


def _route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _is_page(view_name: str) -> bool:
    if view_name.startswith("admin:"):
        return not any(word in view_name for word in ADMIN_NOT_PAGES)
    return not any(word in view_name for word in NOT_PAGES)


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        absolute, _fragment = urldefrag(urljoin(page.url, href))
        if absolute.startswith(base):
            found.append(absolute)
    return found


def _axe(page) -> list[dict]:
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def _login(page, live_server, username: str) -> None:
    page.goto(url(live_server, "/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", demo.PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#id_username) [type=submit]").click()
    assert not page.url.rstrip("/").endswith("/login"), f"login as {username!r} failed"


def _route_key(view_name: str) -> str:
    """The admin's pages of one kind share a template: «admin:appraisal_schedule_change» → «admin:change»."""
    if view_name.startswith("admin:") and "_" in view_name:
        return "admin:" + view_name.rsplit("_", 1)[1]
    return view_name


def crawl(page, live_server, start_paths: list[str], audited: dict[str, int]) -> tuple[list[str], list[str]]:
    """Breadth-first over the links of the pages; returns (visited paths, violation lines).
    `audited` counts, across roles, how many roles have audited each route."""
    base = live_server.url.rstrip("/")
    queue = deque(base + path for path in start_paths)
    seen, mine, visited, problems = set(queue), set(), [], []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        address = queue.popleft()
        parts = urlsplit(address)
        view_name = _route_name(parts.path)
        if view_name is None or not _is_page(view_name):
            continue
        if view_name.startswith("admin:") and parts.query:
            continue  # sorting and filtering the same changelist
        key = _route_key(view_name)
        if key in mine or (audited.get(key, 0) >= ROLES_PER_ROUTE and view_name not in EVERY_ROLE):
            continue
        response = page.goto(address)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        mine.add(key)
        audited[key] = audited.get(key, 0) + 1
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        visited.append(f"{response.status} {path}")
        if response.status >= 500:
            problems.append(f"{path}: HTTP {response.status}")
        for violation in _axe(page):
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            problems.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
        for link in _links(page, base):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return visited, problems


@pytest.fixture
def demo_site(transactional_db):
    call_command("load_demo", stdout=StringIO())


def test_every_page_of_every_demo_role_has_no_serious_axe_violation(browser, live_server, demo_site):
    from django.contrib.auth import get_user_model

    staff = set(get_user_model().objects.filter(is_staff=True).values_list("username", flat=True))
    report, problems, audited = [], [], {}
    for username in ROLES:
        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        try:
            _login(page, live_server, username)
            start = ["/"] + ([reverse("admin:index")] if username in staff else [])
            visited, found = crawl(page, live_server, start, audited)
        finally:
            context.close()
        report.append(f"{username}: {len(visited)} pages")
        problems += [f"[{username}] {line}" for line in found]
        assert visited and visited[0] == "200 /", f"{username} did not reach the home page: {visited}"
    print("\n".join(report))
    assert not problems, "serious/critical axe violations:\n" + "\n".join(dict.fromkeys(problems))
