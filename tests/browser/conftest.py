"""Fixtures for browser tests: a Streamlit server per app script and headless Debian Chromium.

* ``streamlit_url(script)``: starts ``streamlit run <script>`` (from the venv, repository root as
  working directory) on a free port once per test session and returns its URL. Every server is
  terminated at the end of the session.
* ``browser``: one headless Chromium for the session (/usr/bin/chromium; Playwright cannot
  download its own browsers here). Tests are skipped when it is missing.
* ``page``: a fresh 1400x900 page per test; page errors are collected in ``page.errors`` and a
  screenshot goes to ``test-artifacts/<test name>.png`` when the test fails.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, stop

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


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


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()


def pytest_itemcollected(item: pytest.Item) -> None:
    """Every test here is a browser test (the ``browser`` mark: ``-m "not browser"`` leaves
    them out).

    Each gets one second try (pytest-rerunfailures), reported as "R" in the log: on the
    2-core CI machine a real Chromium under the suite's load occasionally misses a timeout
    that it meets alone. A test that fails twice fails the run."""
    if Path(__file__).parent in Path(item.fspath).parents:
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))
