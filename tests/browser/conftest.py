"""Browser-test harness: headless Debian Chromium driven by Playwright's sync API against
pytest-django's live_server.

Every test under tests/browser is marked `browser` and runs on a transactional database
(the live server answers from another thread, so data must be committed) with
serialized_rollback, so the periods and edition seeded by migrations are there for each
journey and are restored for the tests that run after it.

Helpers for journeys: login(page, live_server, username), logout(page), shot(page, name).
A failing test leaves test-artifacts/failures/<test name>.png behind.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls made from the test body ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.conftest import Org, make_org

BROWSER_DIR = Path(__file__).resolve().parent
ARTIFACTS = BROWSER_DIR.parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
FAILURES = ARTIFACTS / "failures"
PASSWORD = "pass12345"  # tests.factories.UserFactory
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _in_browser_dir(item: pytest.Item) -> bool:
    try:
        Path(str(item.path)).resolve().relative_to(BROWSER_DIR)
    except ValueError:
        return False
    return True


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _in_browser_dir(item):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# --- fixtures ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Browser tests need Debian's chromium on PATH (apt-get install chromium); none found in CI.")
        pytest.skip("chromium is not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(request, browser, live_server):
    """A fresh browser context (no cookies) per test, Russian locale, 1280×900."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    # The favicon (static/root/, tested in tests/appraisal/test_setup.py) is not what a journey is about: answered here.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
    page = context.new_page()
    page.live_server_url = live_server.url
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        try:
            FAILURES.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(FAILURES / f"{_safe(request.node.name)}.png"), full_page=True)
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the test failure
            print(f"failure screenshot not saved: {exc!r}")
    context.close()


@pytest.fixture
def browser_org(transactional_db) -> Org:
    """The persona organisation (tests.conftest.make_org), committed so the live server sees it."""
    return make_org()


# --- helpers ----------------------------------------------------------------------------

def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name)[:150]


def url(live_server, path: str) -> str:
    return live_server.url.rstrip("/") + path


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form and wait for the page it redirects to."""
    page.goto(url(live_server, "/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form:has(#id_username) [type=submit]").click()
    if page.url.rstrip("/").endswith("/login"):
        raise AssertionError(f"login as {username!r} failed: still on {page.url}")


def logout(page) -> None:
    """Sign out with the «Выйти» button in the top bar (a POST form)."""
    with page.expect_navigation():
        page.locator("header form[action$='/logout/'] button").click()


def shot(page, name: str) -> Path:
    """Full-page screenshot to test-artifacts/screenshots/<name>.png; returns the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_safe(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
