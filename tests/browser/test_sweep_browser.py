"""The Sweep page in real Chromium, on the server's own Dask cluster (worker processes started on
the first Run): a 3 × 3 sweep runs to the end and shows 9 decision boundaries and the heat map;
a second sweep is cancelled midway; the first sweep's link (a reload) finds its results; a
cell's link opens that run in the Playground.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

APP = "app.py"
MAIN = '[data-testid="stMain"]'
RUN_OVER = '[data-testid="stApp"][data-test-script-state="notRunning"]'
THUMBNAILS = f'{MAIN} [data-testid="stImage"] img'
PROGRESS = f'{MAIN} [data-testid="stProgress"]'

pytestmark = pytest.mark.browser


def settle(page) -> None:
    # Timeout: a script run of this page is quick, but a loaded 2-core box with six browsers
    # has taken 20 s for one.
    page.locator(RUN_OVER).wait_for(state="attached", timeout=60_000)


def type_into(page, key: str, text: str) -> None:
    box = page.locator(f".st-key-{key} input")
    box.fill(text)
    box.press("Enter")
    settle(page)


def test_a_sweep_runs_to_thumbnails_a_second_is_cancelled_and_a_reload_finds_the_first(
    page, streamlit_url
):
    page.goto(streamlit_url(APP) + "Sweep")
    settle(page)
    # The defaults are a 3 × 3 sweep: learning rate 0.003, 0.03, 0.3 × tanh, relu, sigmoid.
    type_into(page, "sweep_epochs", "30")
    page.locator(".st-key-sweep_run button").click()
    progress = page.locator(PROGRESS)
    # Timeout: the first Run starts the server's cluster (two worker processes that import
    # NumPy, Numba and the engine, ~10 s here); 9 runs of 30 epochs then take < 1 s. 120 s on
    # a loaded box.
    progress.get_by_text(re.compile(r"9/9 runs .* done in")).wait_for(timeout=120_000)
    thumbnails = page.locator(THUMBNAILS)
    # Timeout: the progress fragment saw the end and reruns the page, which draws the grid
    # (< 1 s; 60 s on a loaded box).
    thumbnails.nth(8).wait_for(timeout=60_000)
    settle(page)
    assert thumbnails.count() == 9
    # Every picture arrived and is the 32 × 32 output map (not a broken image).
    widths = thumbnails.evaluate_all("images => images.map(image => image.naturalWidth)")
    assert widths == [32] * 9
    main = page.locator(MAIN)
    assert main.inner_text().count("test loss ") == 9
    heat_map = page.locator(f'{MAIN} [data-testid="stPlotlyChart"]').first
    heat_map.locator(".hm image, .heatmaplayer image").first.wait_for(state="attached")
    assert "tanh" in heat_map.inner_text() and "0.003" in heat_map.inner_text()
    first_sweep = page.url
    assert parse_qs(urlsplit(first_sweep).query)["epochs"] == ["30"]

    # A second, longer sweep (27 runs of 20,000 epochs: tens of seconds): its pictures fill in
    # while it runs, then it is cancelled midway.
    type_into(page, "sweep_epochs", "20000")
    type_into(page, "sweep_seeds", "3")
    page.locator(".st-key-sweep_run button").click()
    cancel = page.locator(".st-key-sweep_cancel button")
    # Timeout: the progress fragment draws Cancel with the first refresh (< 1 s; loaded: 30 s).
    cancel.wait_for(timeout=30_000)
    # Timeout: the results refresh every 2 s while running; the first run of 20,000 epochs
    # takes ~2 s per worker here (30 s on a loaded box).
    thumbnails.first.wait_for(timeout=30_000)
    running = re.search(r"(\d+)/27 runs", progress.inner_text())
    assert running and int(running.group(1)) < 27 and cancel.is_visible()
    cancel.click()
    # Timeout: the cancel and the page's rerun take < 1 s; 30 s on a loaded box.
    progress.get_by_text(re.compile(r"cancelled after")).wait_for(timeout=30_000)
    done = int(re.search(r"(\d+)/27 runs", progress.inner_text()).group(1))
    assert done < 27

    # A reload of the first sweep's link: its results, from the server, without a Run.
    page.goto(first_sweep)
    settle(page)
    assert re.search(r"9/9 runs .* done in", page.locator(PROGRESS).inner_text())
    # Timeout: the browser mounts the pictures a moment after the script run ended (seen: 7 of
    # 9 at the first look, 9 within 0.1 s); 30 s on a loaded box.
    page.locator(THUMBNAILS).nth(8).wait_for(timeout=30_000)
    assert page.locator(THUMBNAILS).count() == 9
    assert page.locator(".st-key-sweep_cancel").count() == 0
    assert page.errors == []


def test_a_cells_link_opens_that_run_in_the_playground(page, streamlit_url):
    page.goto(
        streamlit_url(APP) + "Sweep?base=dataset%3Dcircle%26hidden%3D3&axis1=lr"
        "&values1=0.03%2C+0.3&axis2=activation&values2=tanh%3B+relu&seeds=1&epochs=10"
    )
    settle(page)
    page.locator(".st-key-sweep_run button").click()
    # Timeout: the cluster may be starting (see above); 4 runs of 10 epochs then take < 1 s.
    page.locator(PROGRESS).get_by_text(re.compile(r"4/4 runs .* done in")).wait_for(timeout=120_000)
    # Timeout: then the page reruns and draws the grid (< 1 s; 60 s on a loaded box).
    page.locator(THUMBNAILS).nth(3).wait_for(timeout=60_000)
    settle(page)
    link = page.locator(f"{MAIN} a", has_text="open").nth(3)  # row 0.3, column relu
    href = link.get_attribute("href")
    query = parse_qs(urlsplit(href).query)
    assert (query["lr"], query["activation"], query["hidden"]) == (["0.3"], ["relu"], ["3"])
    if link.get_attribute("target") == "_blank":
        with page.context.expect_page() as opened:
            link.click()
        playground = opened.value
    else:
        link.click()
        playground = page
    # Timeout: the Playground's first run loads the engine (a few s; loaded box: 60 s).
    playground.locator(".st-key-control_lr").wait_for(state="attached", timeout=60_000)
    playground.locator(RUN_OVER).wait_for(state="attached", timeout=60_000)  # (the same)
    assert urlsplit(playground.url).path == "/"
    # The Playground took the link's settings (it rewrites the URL from what it uses) ...
    shown = parse_qs(urlsplit(playground.url).query)
    assert (shown["lr"], shown["activation"], shown["stop_epoch"]) == (["0.3"], ["relu"], ["10"])
    # ... and its controls show them.
    assert playground.get_by_label("Learning rate", exact=True).first.input_value() == "0.3"
    assert "relu" in playground.get_by_label("Activation", exact=True).first.input_value().lower()
