"""Issue 16's chapters in real Chromium, on one page: the Back-prop page's mini-batch mode
draws its matrices (KaTeX, visible ink), and the weights-over-time lesson draws its bands and
its sparsity chart with the measured share of zero weights."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from teach.lessons import LESSONS
from tests.browser.test_teaching_pages_browser import (
    APP,
    MARKDOWN,
    RERUN,
    markdown_with,
    metric,
    open_page,
    readout_text,
)

pytestmark = pytest.mark.browser


def inked_share(png: bytes) -> float:
    """Share of a screenshot's pixels that are clearly darker than the background."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)
    return float(np.mean(grey < 128))


def test_batch_backprop_shows_matrices_and_the_weights_lesson_its_bands(page, streamlit_url):
    open_page(page, streamlit_url, "Backprop", "Step 1 of 8")
    page.get_by_text("A mini-batch, in matrix form").click()
    expect(page.get_by_text("Step 1 of 8: The batch and the network")).to_be_visible(timeout=RERUN)
    # Each matrix is a KaTeX table: X and Y, then W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾.
    matrices = page.locator(".katex .mtable")
    expect(matrices).to_have_count(6, timeout=RERUN)
    # The block holding X and Y: as tall as four rows of numbers, with visible ink.
    block = page.locator(MARKDOWN, has=page.locator(".mtable")).first
    box = block.bounding_box()
    assert box["width"] > 150 and box["height"] > 60
    assert inked_share(block.screenshot()) > 0.02  # drawn glyphs, not an empty box
    next_button = page.get_by_role("button", name="Next ▶")
    for step in range(2, 8):
        next_button.click()
        expect(page.get_by_text(f"Step {step} of 8")).to_be_visible(timeout=RERUN)
    expect(markdown_with(page, "X^\\top\\Delta^{(1)}")).to_have_count(1, timeout=RERUN)
    expect(page.get_by_text("Entry (1, 1) by hand").first).to_be_visible()

    lesson = LESSONS["weights"]
    page.goto(streamlit_url(APP) + "Lessons?lesson=weights")
    heading = f"{lesson.number}. {lesson.title}"
    # Timeout: the page trains the lesson's three networks first (~1 s; 60 s on a busy box).
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=60_000)
    expect(metric(page, "Weights exactly 0, L1")).to_have_text(
        readout_text("weights", "zero_share_l1"), timeout=RERUN
    )
    charts = page.locator(".stPlotlyChart")
    expect(charts).to_have_count(len(lesson.figures), timeout=RERUN)
    bands = charts.first
    bands.scroll_into_view_if_needed()
    expect(bands.locator(".gtitle, .annotation-text").first).to_be_attached(timeout=RERUN)
    assert bands.locator(".annotation-text", has_text="L1 0.003: hidden 1").count() == 1
    assert page.errors == []
