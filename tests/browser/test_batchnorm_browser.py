"""Batch normalisation in the Playground, in real headless Chromium (issue 16): the toggle in
"More settings" marks the diagram's hidden layers "BN" (a second line of each title), goes into
the link and trains; a link asking for batch normalisation with a batch of one gets a
sentence, and the batch it can use."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_playground_browser import GRAPH, METRICS, open_playground, press_play
from tests.browser.test_schedules_browser import open_more_settings

APP = "app.py"
pytestmark = pytest.mark.browser


def marked(layer: int) -> re.Pattern:
    """A hidden layer's title with its BN line (Plotly draws the lines as two tspans)."""
    return re.compile(rf"^layer {layer}\s*BN$")


def test_the_toggle_marks_the_diagram_trains_and_a_batch_of_one_is_refused(page, streamlit_url):
    open_playground(page, lambda _: streamlit_url(APP), "?hidden=4,4&batch=25&stop_epoch=20")
    graph = page.locator(GRAPH).first
    expect(graph.get_by_text("layer 1", exact=True)).to_be_visible()
    open_more_settings(page)  # (clicked again if the click was lost to a rerun in flight)
    toggle = page.get_by_text("Batch normalisation", exact=True).first
    # Timeout: opening the expander reruns the script (~0.3 s); 15 s for a loaded machine.
    toggle.wait_for(timeout=15_000)
    toggle.click()
    # Timeout: a new network and a new figure (one rerun, ~0.5 s); 15 s for a loaded machine.
    expect(graph.get_by_text(marked(2))).to_be_visible(timeout=15_000)
    expect(graph.get_by_text(marked(1))).to_be_visible()
    assert re.search(r"batchnorm=true", page.url)
    press_play(page)
    # Timeout: 20 epochs of a 2-4-4-1 network take well under a second; 60 s under load.
    page.wait_for_function(
        f"document.querySelector('{METRICS}')?.getAttribute('data-epoch') === '20'",
        timeout=60_000,
    )
    expect(page.locator(METRICS).first).not_to_contain_text("NaN")
    # A link with batch normalisation and a batch of one: the sentence, and batch 10.
    open_playground(page, lambda _: streamlit_url(APP), "?hidden=4,4&batchnorm=on&batch=1")
    expect(
        page.get_by_text("Batch normalisation needs at least 2 points per mini-batch", exact=False)
    ).to_be_visible()
    expect(graph.get_by_text(marked(1))).to_be_visible()
    assert re.search(r"batch=10", page.url) and re.search(r"batchnorm=true", page.url)
    assert not page.errors
