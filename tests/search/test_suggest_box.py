"""Suggestions under the header search box: the ARIA combobox markup, and the script in a browser.

The markup tests read the HTML from the Django test client. The browser test drives Debian's
Chromium with Playwright (skipped locally when either is missing, failing in CI); every request
the browser makes (page, static files, ``/api/search/suggest``) is answered by the Django test
client, so the browser sees the test database without a live server.
"""

import shutil
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from tests.conftest import require
from tests.search.catalogue import DI_DOI, GIAY_PHEP_XAY_DUNG, LAI_XE

pytestmark = pytest.mark.django_db

CHROMIUM = "/usr/bin/chromium"
ORIGIN = "http://testserver"


class Elements(HTMLParser):
    """Start tags of a page: ``by_id[id] -> (tag, attributes)``, and every ``<script>``'s attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.by_id, self.scripts = {}, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = (tag, attrs)
        if tag == "script":
            self.scripts.append(attrs)


def test_header_search_box_is_a_combobox_controlling_a_hidden_listbox(database_catalogue, client):
    """Markup: on a procedure page (it has the header search box), the box is an ARIA combobox (collapsed, list
    autocomplete) that controls an empty, hidden listbox, with a polite status region, the
    suggestion URL, and the script loaded with ``defer``; the form is still a plain GET form to
    /tim-kiem/ (what a browser without JavaScript uses)."""
    response = client.get(database_catalogue["1.000800"].url)
    assert response.status_code == 200
    page = Elements(response.content.decode())
    tag, box = page.by_id["header-search-q"]
    assert tag == "input"
    assert {k: box.get(k) for k in ("role", "aria-autocomplete", "aria-expanded", "aria-controls", "name")} == {
        "role": "combobox",
        "aria-autocomplete": "list",
        "aria-expanded": "false",
        "aria-controls": "header-search-suggestions",
        "name": "q",
    }
    assert box["data-suggest-url"] == "/api/search/suggest"
    tag, listbox = page.by_id["header-search-suggestions"]
    assert (tag, listbox["role"], "hidden" in listbox) == ("ul", "listbox", True)
    assert listbox["aria-label"] == "Thủ tục gợi ý"
    tag, status = page.by_id["header-search-suggestions-status"]
    assert (tag, status["role"], status["aria-live"]) == ("p", "status", "polite")
    assert {"src": "/static/search/suggest.js", "defer": None} in page.scripts
    html = response.content.decode()
    assert '<form class="search-form search-form--compact" role="search" action="/tim-kiem/" method="get">' in html


def test_suggestion_script_is_served(db, client):
    """The script is a static file of the search app, served at the URL the pages load."""
    response = client.get("/static/search/suggest.js")
    assert response.status_code == 200
    script = b"".join(response.streaming_content).decode()
    assert "aria-activedescendant" in script
    assert "/api/search/suggest" in script  # documented in its header; the URL itself comes from the markup


# -- in a browser --------------------------------------------------------------------------------


@pytest.fixture
def browser_page(client, monkeypatch):
    """A phone-sized Chromium page whose requests to http://testserver are answered by ``client``;
    ``page.suggest_requests`` lists the text (``q``) of each suggestion request."""
    # Playwright's sync API runs an event loop in this thread and calls the route handler from
    # it. Django refuses database calls from there unless told so, and would open another
    # connection (another context): the handler uses the test's own connection instead, with
    # its transaction, as Django's LiveServerThread does for an in-memory SQLite database.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    test_connection = connections[DEFAULT_DB_ALIAS]
    require(shutil.which(CHROMIUM) is not None, f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None, "the playwright package is not installed (requirements-dev.txt)")

    suggest_requests = []

    def through_django(route, request):
        connections[DEFAULT_DB_ALIAS] = test_connection
        url = urlsplit(request.url)
        if url.path == "/api/search/suggest":
            suggest_requests.append(parse_qs(url.query).get("q", [""])[0])
        response = client.get(f"{url.path}?{url.query}" if url.query else url.path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        route.fulfill(status=response.status_code, headers={"Content-Type": response["Content-Type"]}, body=body)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.route(f"{ORIGIN}/**", through_django)
        page.suggest_requests = suggest_requests
        try:
            yield page
        finally:
            browser.close()


def test_suggestions_in_a_browser_keyboard_and_touch(database_catalogue, browser_page):
    """Browser (phone-sized, touch), on a procedure page: typing "giay phep" asks once (debounced) and lists the 3
    procedures whose name words start so — shorter names first, then alphabetically: "Cấp giấy
    phép xây dựng", "Đổi giấy phép lái xe" (5 words), "Cấp giấy phép di dời công trình" (7).
    Down, Down chooses the second; Escape closes; Down then Enter opens the first; a tap on an
    option opens it; Enter with none chosen searches; one letter shows nothing."""
    page = browser_page
    box, listbox = page.locator("#header-search-q"), page.locator("#header-search-suggestions")
    page.goto(f"{ORIGIN}{database_catalogue['1.000800'].url}")

    box.press_sequentially("giay phep", delay=40)
    options = listbox.locator("[role=option]")
    options.nth(2).wait_for()
    assert page.suggest_requests == ["giay phep"]
    assert box.get_attribute("aria-expanded") == "true"
    assert [name.inner_text() for name in listbox.locator(".search-suggest__name").all()] == [
        GIAY_PHEP_XAY_DUNG,
        LAI_XE,
        DI_DOI,
    ]
    assert listbox.locator(".search-suggest__code").all_inner_texts() == ["1.000948", "1.000400", "1.000949"]
    assert "3 thủ tục gợi ý" in page.locator("#header-search-suggestions-status").inner_text()

    box.press("ArrowDown")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "header-search-suggestions-1"
    assert options.nth(1).get_attribute("aria-selected") == "true"
    assert options.nth(0).get_attribute("aria-selected") == "false"

    box.press("Escape")
    assert listbox.is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "giay phep"

    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "header-search-suggestions-0"
    with page.expect_navigation():
        box.press("Enter")
    assert page.url == f"{ORIGIN}{database_catalogue['1.000948'].url}"

    page.locator("#header-search-q").press_sequentially("giay phep", delay=40)
    page.locator("#header-search-suggestions [role=option]").nth(2).wait_for()
    with page.expect_navigation():
        page.locator("#header-search-suggestions [role=option]").nth(2).tap()
    assert page.url == f"{ORIGIN}{database_catalogue['1.000949'].url}"

    page.locator("#header-search-q").fill("g")
    page.wait_for_timeout(600)  # longer than the pause the script waits for
    assert page.locator("#header-search-suggestions").is_hidden()
    with page.expect_navigation():
        page.locator("#header-search-q").press("Enter")
    assert page.url == f"{ORIGIN}/tim-kiem/?q=g"
