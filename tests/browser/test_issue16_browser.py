"""Issue 16 in the Playground, in real headless Chromium: the caption counts dead ReLU units
(the number the server computes), and the new choices (constant initialisation, decoupled
weight decay) open from a link and show by their names."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from playground.frames import dead_units
from playground.run import build_run, train_chunk
from playground.settings import PlaygroundSettings
from tests.browser.test_playground_browser import METRICS, open_playground, press_play

APP = "app.py"
pytestmark = pytest.mark.browser

DYING = "?dataset=spiral&hidden=8,8&activation=relu&lr=1&stop_epoch=60"


def test_the_caption_counts_dead_relu_units_as_the_server_does(page, streamlit_url):
    settings, problems = PlaygroundSettings.from_query_params(
        dict(part.split("=") for part in DYING[1:].split("&"))
    )
    assert problems == []
    run = build_run(settings)
    train_chunk(run, 60)
    dead, dying = dead_units(run)
    assert dead > 0  # the link kills some units: the caption has something to show
    open_playground(page, lambda _: streamlit_url(APP), DYING)
    expect(page.locator(METRICS).first).to_contain_text(f"dead units 0/{dying}")
    press_play(page)
    # Timeout: 60 epochs of a small network take about a second; 60 s for a loaded machine.
    page.wait_for_function(
        f"document.querySelector('{METRICS}')?.getAttribute('data-epoch') === '60'",
        timeout=60_000,
    )
    expect(page.locator(METRICS).first).to_contain_text(f"dead units {dead}/{dying}")
    assert not page.errors


def test_constant_init_and_weight_decay_open_from_a_link(page, streamlit_url):
    open_playground(
        page, lambda _: streamlit_url(APP), "?init=constant&reg=decay&reg_rate=0.3&optimizer=adam"
    )
    # The selectbox shows the choice by its name (playground/words.py), not the code "decay".
    expect(page.get_by_label("Regularisation", exact=True).first).to_have_value("Weight decay")
    assert re.search(r"reg=decay", page.url) and re.search(r"init=constant", page.url)
    assert "no regularisation called" not in page.content()
    assert not page.errors
