"""What a user does on the Playground page that used to go wrong (issue 9, item 5).

Test data that did not show, an address bar that disagreed with the page after Back, a
network that diverged again at once after a divergence, a neurons box that kept a number the
network did not use, and data-set thumbnails that 404ed when changed quickly.
"""

from __future__ import annotations

import io
import re
import time

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect
from test_playground_browser import (
    ARTIFACTS,
    GRAPH,
    METRICS,
    choose,
    epoch,
    open_playground,
    press_play,
)

pytestmark = pytest.mark.browser

# The output map's plot area in the graph element's own coordinates (CSS pixels).
OUTPUT_AREA = f"""() => {{
    const gd = document.querySelector('{GRAPH}');
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    return {{x: xa._offset, y: ya._offset, width: xa._length, height: ya._length}};
}}"""


def output_map_pixels(page) -> np.ndarray:
    """The output map as it is on screen: (h, w, 3) uint8."""
    area = page.evaluate(OUTPUT_AREA)
    picture = Image.open(io.BytesIO(page.locator(GRAPH).screenshot())).convert("RGB")
    # The same size every time (rounding each edge could make it one pixel wider when the map
    # moves by a fraction of a pixel, e.g. while a widget above it re-renders).
    left, top = round(area["x"]), round(area["y"])
    box = (left, top, left + round(area["width"]), top + round(area["height"]))
    return np.asarray(picture.crop(box))


def differing_pixels(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.count_nonzero(np.abs(a.astype(int) - b.astype(int)).sum(axis=2) > 30))


def wait_for_pixels(page, reference: np.ndarray, condition, seconds: float) -> int:
    """Screenshots until ``condition(differing pixels)`` holds; returns the last count."""
    deadline = time.monotonic() + seconds
    while True:
        count = differing_pixels(output_map_pixels(page), reference)
        if condition(count) or time.monotonic() > deadline:
            return count
        time.sleep(0.2)


def test_show_test_data_toggles_the_test_points_and_a_too_large_layer_is_clamped(
    page, streamlit_url
):
    """One page for both (they were two tests opening the circle): Show test data draws the
    test points and off again removes them; then a layer of 17 neurons is clamped to 16 with
    a sentence."""
    open_playground(page, streamlit_url, "?dataset=circle&ratio=50&hidden=4")
    time.sleep(0.5)  # let the data points' picture decode (an <image> loads asynchronously)
    without = output_map_pixels(page)
    toggle = page.get_by_text("Show test data", exact=True)
    toggle.click()
    # 250 test points of ~8 px across each with a black outline: thousands of pixels change.
    # 15 s: one rerun, the new figure drawn and its picture decoded, on a busy machine.
    changed = wait_for_pixels(page, without, lambda n: n > 2000, 15)
    assert changed > 2000, f"only {changed} pixels of the output map changed"
    shown = output_map_pixels(page)
    ARTIFACTS.mkdir(exist_ok=True)  # to look at
    Image.fromarray(np.concatenate([without, shown], axis=1)).save(ARTIFACTS / "test_data.png")
    dark = np.all(shown < 60, axis=2) & ~np.all(without < 60, axis=2)
    assert np.count_nonzero(dark) > 200  # the test points' black outlines
    toggle.click()
    back = wait_for_pixels(page, without, lambda n: n < 50, 15)  # 15 s: as above
    assert back < 50, f"{back} pixels still differ from the picture without test data"

    box = page.get_by_label("Layer 1", exact=True).first
    expect(box).to_have_value("4", timeout=10_000)  # Timeout: lazily loaded widget code.
    box.fill("17")
    box.press("Enter")
    notice = page.get_by_text("A layer can have at most 16 neurons; using 16.")
    notice.wait_for(timeout=15_000)  # Timeout: one rerun.
    expect(box).to_have_value("16", timeout=10_000)  # Timeout: the same rerun.
    page.wait_for_url(re.compile(r"[?&]hidden=16(&|$)"), timeout=10_000)  # Timeout: as above.
    # The diagram shows 2 inputs, 16 hidden neurons and the output. Timeout: the new figure is
    # drawn after the rerun (the graph may be remounting meanwhile: `?.`).
    neurons = f"document.querySelector('{GRAPH}')?.data?.[1]?.x?.length"
    page.wait_for_function(f"{neurons} === 2 + 16 + 1", timeout=15_000)
    assert not page.errors


def shown_learning_rate(page) -> str:
    return page.get_by_label("Learning rate", exact=True).first.input_value()


def shown_dataset(page) -> str:
    return page.get_by_label("Data set", exact=True).first.input_value()


def query(page) -> dict[str, str]:
    return dict(re.findall(r"[?&]([^=&]+)=([^&]*)", page.url))


def test_back_and_forward_keep_the_address_bar_and_the_page_in_agreement(page, streamlit_url):
    open_playground(page, streamlit_url, "?dataset=spiral&lr=0.3")
    choose(page, "Data set", "Circle")
    page.wait_for_url(re.compile(r"[?&]dataset=circle(&|$)"), timeout=15_000)  # Timeout: a rerun.
    choose(page, "Learning rate", "0.03")
    page.wait_for_url(re.compile(r"[?&]lr=0\.03(&|$)"), timeout=15_000)  # Timeout: a rerun.
    expected = [("circle", "0.3", "Circle"), ("spiral", "0.3", "Spiral")]
    for dataset, lr, title in expected:
        page.go_back()
        # Timeout: Back reruns the script with the restored address (one rerun).
        page.wait_for_url(re.compile(rf"[?&]dataset={dataset}(&|$)"), timeout=15_000)
        expect(page.get_by_label("Data set", exact=True).first).to_have_value(
            title, timeout=15_000
        )  # Timeout: the widgets follow on that rerun.
        expect(page.get_by_label("Learning rate", exact=True).first).to_have_value(
            lr, timeout=15_000
        )  # Timeout: as above.
        assert query(page)["lr"] == lr
    page.go_forward()
    page.wait_for_url(re.compile(r"[?&]dataset=circle(&|$)"), timeout=15_000)  # Timeout: a rerun.
    expect(page.get_by_label("Data set", exact=True).first).to_have_value("Circle", timeout=15_000)
    time.sleep(1.0)  # nothing rewrites the address afterwards
    assert query(page)["dataset"] == "circle" and shown_dataset(page) == "Circle"
    assert query(page)["lr"] == "0.3" and shown_learning_rate(page) == "0.3"
    assert "Traceback" not in page.inner_text("body")
    assert not page.errors


def test_after_a_divergence_a_lower_learning_rate_trains_on_and_the_banner_goes(
    page, streamlit_url
):
    open_playground(page, streamlit_url, "?dataset=plane&hidden=8,8,8&activation=relu&lr=10")
    page.get_by_role("button", name="Play", exact=True).click()
    banner = page.get_by_text(re.compile("Training diverged in epoch"))
    banner.wait_for(timeout=30_000)  # Timeout: divergence comes within the first epochs.
    assert "lower learning rate" in banner.inner_text()
    # Timeout: one rerun.
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=10_000)
    stopped_at = epoch(page)
    choose(page, "Learning rate", "0.01")
    page.wait_for_url(re.compile(r"[?&]lr=0\.01(&|$)"), timeout=15_000)  # Timeout: one rerun.
    page.get_by_role("button", name="Play", exact=True).click()
    banner.wait_for(state="detached", timeout=15_000)  # Timeout: the Play click's rerun.
    page.wait_for_function(
        f"+document.querySelector('{METRICS}')?.dataset.epoch >= {stopped_at + 20}",
        timeout=30_000,
    )  # Timeout: 20 epochs at several frames a second, on a busy machine.
    text = page.locator(METRICS).first.inner_text()
    losses = [float(v) for v in re.findall(r"loss ([0-9.e+-]+)", text)]
    assert losses and all(np.isfinite(losses)) and max(losses) < 10, text
    assert page.get_by_role("button", name="Pause", exact=True).count() == 1  # still playing
    assert banner.count() == 0
    assert not page.errors


def test_changing_the_data_set_quickly_never_requests_a_missing_picture(page, streamlit_url):
    open_playground(page, streamlit_url, "?dataset=circle")
    failures: list[str] = []
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    page.on(
        "response",
        lambda response: (
            failures.append(f"{response.status} {response.url}") if response.status >= 400 else None
        ),
    )
    press_play(page)  # the server is busy with frames too: replaced pictures come sooner
    box = page.get_by_label("Data set", exact=True).first
    box.click()
    page.keyboard.press("Escape")
    # Keyboard, no waiting: each ArrowDown + Enter picks the next data set at once, while the
    # reruns of the previous ones are still under way.
    for _ in range(12):
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        time.sleep(0.05)
    choose(page, "Data set", "Spiral")
    page.wait_for_url(re.compile(r"[?&]dataset=spiral(&|$)"), timeout=20_000)  # Timeout: reruns.
    time.sleep(1.0)  # requests still in flight fail or finish
    assert not failures, failures
    thumbnail = page.locator('img[alt="Spiral"]')
    expect(thumbnail).to_be_visible(timeout=10_000)  # Timeout: the last rerun draws it.
    size = thumbnail.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
    assert size == [True, 64, 64]
    assert not page.errors
