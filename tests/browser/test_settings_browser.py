"""View choices that are settings: they go into the address bar and a reload shows them again,
in real headless Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_playground_browser import GRAPH, METRICS, open_playground

pytestmark = pytest.mark.browser

# The loss chart's y-axis tick labels as drawn (Plotly's SVG text of axis y3).
LOSS_TICKS = (
    f"() => [...document.querySelectorAll('{GRAPH} g.y3tick text')].map(t => t.textContent)"
)
LOG_TICKS = ["0.01", "0.1", "1"]  # decades, Plotly's 2 and 5 between them


def decades_shown(page) -> bool:
    return all(tick in page.evaluate(LOSS_TICKS) for tick in LOG_TICKS)


def test_the_log_scale_loss_axis_goes_into_the_address_and_survives_a_reload(page, streamlit_url):
    open_playground(page, streamlit_url, "?dataset=xor")  # a link from before the setting
    switch = page.get_by_role("switch", name="Log-scale loss axis")
    expect(switch).not_to_be_checked()
    assert page.evaluate(LOSS_TICKS) == ["0", "0.5", "1"]  # linear, 0 to 1
    assert re.search(r"[?&]log_loss=false(&|$)", page.url)
    page.get_by_text("Log-scale loss axis", exact=True).click()  # the switch's label, as a user
    # Timeout: the switch's rerun writes the address (one rerun; 15 s on a busy machine).
    page.wait_for_url(re.compile(r"[?&]log_loss=true(&|$)"), timeout=15_000)
    # Timeout: the new figure is sent and drawn on the same rerun.
    page.wait_for_function(f"({LOSS_TICKS})().includes('0.01')", timeout=15_000)
    assert decades_shown(page)
    url = page.url
    page.reload()
    page.locator(METRICS).first.wait_for(timeout=60_000)  # Timeout: a fresh session loads.
    assert page.url == url
    # Timeout: the graph is drawn once Plotly.js is loaded (~2 s here; 30 s on a busy machine).
    page.wait_for_function(f"({LOSS_TICKS})().includes('0.01')", timeout=30_000)
    assert decades_shown(page) and "0.5" not in page.evaluate(LOSS_TICKS)
    expect(page.get_by_role("switch", name="Log-scale loss axis")).to_be_checked()
    assert not page.errors
