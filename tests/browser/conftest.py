"""Fixtures for browser tests: a Streamlit server per app script and headless Debian Chromium.

* ``streamlit_url(script)``: starts ``streamlit run <script>`` (from the venv, repository root as
  working directory) on a free port once per test session and returns its URL. Every server is
  terminated at the end of the session.
* ``browser``: one headless Chromium for the session (/usr/bin/chromium; Playwright cannot
  download its own browsers here). Tests are skipped when it is missing.
* ``browser_context``: one browser context for the whole session, so a page load finds
  Plotly.js (4.8 MB) and Streamlit's code in the context's HTTP cache and V8 code cache: a
  Playground load took a median 5.8 s in a new context against 4.5 s in one that loaded it
  before (docs/benchmarks.md, "Test time"). Tests that need a browser of their own (a colour
  scheme for the whole context, "a new browser opens the link") still call
  ``browser.new_context``.
* ``page``: a new 1400x900 page per test in that context; page errors are collected in
  ``page.errors`` and a screenshot goes to ``test-artifacts/<test name>.png`` when the test
  fails. Afterwards every page the test opened is closed and what the context keeps of the
  sites it visited is cleared (``forget``), so each test starts as in a new browser but for
  the cache. Viewport, emulated media and sessionStorage belong to a page and go with it.
* ``--reverse``: run the tests in reverse order (checks that no test needs another's leftovers).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, stop

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
VIEWPORT = {"width": 1400, "height": 900}
# Every kind of storage a site keeps in the browser, but not the HTTP cache (the point of
# sharing the context): Chromium's DevTools names (Storage.clearDataForOrigin).
SITE_STORAGE = ",".join(
    [
        "cookies",
        "local_storage",  # Streamlit keeps the chosen theme here
        "indexeddb",
        "websql",
        "service_workers",
        "cache_storage",
        "file_systems",
        "shared_storage",
        "storage_buckets",
    ]
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reverse",
        action="store_true",
        help="run the tests in reverse order (no test may need another's leftovers)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--reverse"):
        items.reverse()


@pytest.fixture(scope="session")
def streamlit_url() -> Iterator[Callable[[str | Path], str]]:
    servers: dict[Path, tuple[subprocess.Popen, str]] = {}

    def start(script: str | Path) -> str:
        path = (ROOT / script).resolve()
        if path not in servers:
            port = free_port()
            servers[path] = (start_streamlit(path, port), f"http://127.0.0.1:{port}/")
        return servers[path][1]

    try:
        yield start
    finally:
        for proc, _ in servers.values():
            stop(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/setup.sh --with-browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


@pytest.fixture(scope="session")
def browser_context(browser):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    # Every site any page of the context opened: what ``forget`` clears.
    context.visited = set()

    def track(frame) -> None:
        if (site := origin(frame.url)) is not None:
            context.visited.add(site)

    context.on("page", lambda opened: opened.on("framenavigated", track))
    # DevTools needs a page: a blank one kept for the session (a new one per test took 0.3-1 s).
    context.devtools_page = context.new_page()
    context.devtools = context.new_cdp_session(context.devtools_page)
    try:
        yield context
    finally:
        context.close()


def forget(context) -> None:
    """Close every page of ``context`` (the test's, and the tabs and popups it opened), then
    clear what the context keeps of every site it visited (cookies, local storage, IndexedDB,
    ...; not the HTTP cache) and the permissions granted. Pages are closed first: an open
    Streamlit page wrote local storage again between a clear and a check (measured). The
    blank page the session keeps for DevTools stays."""
    for opened in context.pages:
        if opened is not context.devtools_page:
            opened.close()
    for site in context.visited:
        clear = {"origin": site, "storageTypes": SITE_STORAGE}
        context.devtools.send("Storage.clearDataForOrigin", clear)
    context.clear_cookies()
    context.clear_permissions()
    assert not context.cookies(), context.cookies()


@pytest.fixture
def page(browser_context, request):
    page = browser_context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        try:
            if report is not None and report.failed and not page.is_closed():
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        finally:
            forget(browser_context)


def pytest_itemcollected(item: pytest.Item) -> None:
    """Every test here is a browser test (the ``browser`` mark: ``-m "not browser"`` leaves
    them out).

    Each gets one second try (pytest-rerunfailures), reported as "R" in the log: on the
    2-core CI machine a real Chromium under the suite's load occasionally misses a timeout
    that it meets alone. A test that fails twice fails the run."""
    if Path(__file__).parent in Path(item.fspath).parents:
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))
