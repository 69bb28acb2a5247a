"""Browser tests: Playwright driving Debian's chromium (``/usr/bin/chromium``) against a live server.

Skipped locally when chromium or playwright is missing, failing in CI (``CI=true``). On failure
each test's page is saved as a screenshot under ``test-artifacts/`` (path printed).
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import require

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in the test's thread; Django's ORM then refuses to
# run "from an async context" although each ORM call here is plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def browser():
    """Chromium for one test, stopped before the test's database teardown.

    Playwright's sync API runs an event loop in this thread; while it runs, Django's connection
    for the context is a fresh one without the serialized test data marker, so the flush after
    a ``serialized_rollback`` test would re-create content types and the next such test would
    fail to restore its data (duplicate content types, then "no home page"). A function-scoped
    browser is torn down before the database fixture, on the original connection.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        require(False, "the playwright package is not installed")
    require(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, f"chromium not found at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, request):
    """A phone-sized page (390×844, touch, Vietnamese locale); screenshot saved if the test fails."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failure: {path}")
    context.close()


@pytest.fixture
def desktop(browser, request):
    """A function opening a desktop-sized page in a new browser context, one per user (their own
    session, as on their own computers); screenshots kept on failure or with ``E2E_SCREENSHOTS=1``."""
    contexts = []

    def open_page(name: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        contexts.append((name, context, page))
        return page

    yield open_page
    report = getattr(request.node, "report_call", None)
    for name, context, page in contexts:
        if (report is not None and report.failed) or os.environ.get("E2E_SCREENSHOTS"):
            ARTIFACTS.mkdir(exist_ok=True)
            path = ARTIFACTS / f"{request.node.name}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"screenshot: {path}")
        context.close()


#: The password the test builders give every user (``workflow_builders.officer``, ``rollout.builders``).
PASSWORD = "x"


def log_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Signs ``username`` in to the Wagtail admin on ``page``."""
    page.goto(f"{base_url}/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
