"""Every page the app serves opens in real Chromium with no exception on it.

The list is the app's own (``ui/navigation.py``, what app.py's ``st.navigation`` serves): a new
file in ``app_pages/`` is opened here with no edit. What each page does is tested in
test_playground_browser.py and test_teaching_pages_browser.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.steady import steady
from ui.navigation import teaching_pages

APP = "app.py"  # what scripts/run.sh serves
URL_PATHS = ["", *(page.url_path for page in teaching_pages())]  # "": the Playground
MAIN = '[data-testid="stMain"]'
# Streamlit's app root says whether a script run is in progress ("running") or over.
RUN_OVER = '[data-testid="stApp"][data-test-script-state="notRunning"]'

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("url_path", URL_PATHS, ids=lambda path: path or "Playground")
def test_the_page_opens_without_an_exception(page, streamlit_url, url_path):
    page.goto(streamlit_url(APP) + url_path)
    main = page.locator(MAIN)
    # Timeout: the first elements come with the page's first script run; a fresh server loads
    # the Numba cache first (a few s here), 60 s on a loaded 2-core box. (":visible": some
    # elements draw nothing, e.g. the Playground's Plotly.js preload.)
    main.locator('[data-testid="stElementContainer"]:visible').first.wait_for(timeout=60_000)
    # Timeout: then the run ends; a lesson trains its networks first (< 10 s here), 90 s on a
    # loaded box. An exception would be drawn by then.
    page.locator(RUN_OVER).wait_for(state="attached", timeout=90_000)
    # The browser mounts the run's last elements a moment after it ends (seen on the Sweep
    # page: 7 of 9 pictures at the first look): look when the page's element count holds.
    # Timeout: three equal counts 0.25 s apart; up to 5 s when busy.
    steady(page, main.locator('[data-testid="stElementContainer"]').count, every_ms=250, seconds=5)
    assert urlsplit(page.url).path == "/" + url_path  # served here, not sent elsewhere
    assert main.locator('[data-testid="stException"]').count() == 0, main.inner_text()[:2000]
    assert "Traceback" not in main.inner_text()
    assert page.errors == []
