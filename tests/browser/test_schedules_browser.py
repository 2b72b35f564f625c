"""Learning-rate schedules and AdaDelta in real headless Chromium: a link with a step decay
opens with its controls (only the ones that schedule uses), the caption shows the rate falling
while the network trains, and the optimisers lesson draws its rules and the paths."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from teach.optimizer_paths import UPDATE_RULES
from tests.browser.clicking import click_until
from tests.browser.test_playground_browser import METRICS, open_playground, press_play
from ui.playground_page import MORE_SETTINGS

APP = "app.py"
pytestmark = pytest.mark.browser

STEP_DECAY = "?optimizer=adadelta&lr=1&schedule=step&decay_epochs=10&decay_rate=0.5&stop_epoch=20"


def open_more_settings(page) -> None:
    """Open the More settings expander. A click that lands while the first frames' reruns are
    in flight can be lost (the expander is redrawn closed): then click again."""
    summary = page.locator(f".st-key-{MORE_SETTINGS} details summary")
    opened = page.locator(f".st-key-{MORE_SETTINGS} details[open]")
    # Timeout: the <details> opens at the click itself; 5 s for a loaded machine.
    click_until(summary, opened, timeout=5_000)


def test_a_step_decay_link_trains_with_the_rate_halving_and_the_lesson_draws_the_rules(
    page, streamlit_url
):
    open_playground(page, lambda _: streamlit_url(APP), STEP_DECAY)
    metrics = page.locator(METRICS).first
    expect(page.get_by_label("Optimiser", exact=True).first).to_have_value("AdaDelta")
    expect(metrics).to_contain_text("learning rate 1")  # epoch 0: the full rate
    open_more_settings(page)
    # Timeout: opening the expander is a rerun that builds its widgets; 30 s on a loaded box.
    expect(page.get_by_text("Decay rate", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Decay epochs", exact=True)).to_be_visible()
    expect(page.get_by_text("Final fraction of the rate", exact=True)).to_have_count(0)
    press_play(page)
    # Timeout: 20 epochs of the default network take well under a second; 60 s under load.
    page.wait_for_function(
        f"document.querySelector('{METRICS}')?.getAttribute('data-epoch') === '20'",
        timeout=60_000,
    )
    expect(metrics).to_contain_text("learning rate 0.25")  # epoch 20: halved twice

    page.goto(streamlit_url(APP).rstrip("/") + "/Lessons?lesson=optimizers")
    # Timeout: the lesson's four networks train once per server (a few seconds); 90 s under load.
    page.locator(".katex").first.wait_for(timeout=90_000)
    expect(page.locator(".katex-display")).to_have_count(len(UPDATE_RULES))
    # Timeout: Plotly.js draws the two figures once loaded; 30 s under load.
    page.get_by_text("steps of each optimiser on a long, tilted bowl").wait_for(timeout=30_000)
    # (SVG text has no innerText: read its textContent)
    legend = page.eval_on_selector_all(".legendtext", "els => els.map(e => e.textContent)")
    assert {name for name, _ in UPDATE_RULES} <= {text.split(" (")[0] for text in legend}, legend
    assert not page.errors
