"""What a user does on the Compare page, in real headless Chromium: open three lanes from a link,
play them in step, read the overlaid loss chart, open a lane in the Playground."""

from __future__ import annotations

import re
import time

import pytest

from playground.palette import LANE_COLORS, hex_to_rgb

APP = "app.py"  # what scripts/run.sh serves
LANES = "lr:0.003|lr:0.03|lr:0.3"
CAPTION = ".np-compare-caption[data-lane='{}']"
RUN_OVER = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Every lane's epoch caption, read in one go (one moment of the page).
EPOCHS = """(count) => Array.from({length: count}, (_, lane) => {
    const caption = document.querySelector(`.np-compare-caption[data-lane='${lane}']`);
    const match = caption && caption.innerText.match(/^Epoch ([0-9,]+)/);
    return match ? Number(match[1].replace(/,/g, '')) : null;
})"""
# The loss chart's drawn lines: (stroke colour, dashed?) of each.
LOSS_LINES = """() => Array.from(
    document.querySelectorAll('.st-key-compare_loss .scatterlayer path.js-line'),
    (path) => [path.style.stroke, (path.style.strokeDasharray || 'none') !== 'none'])"""

pytestmark = pytest.mark.browser


def open_compare(page, streamlit_url, query: str) -> None:
    page.goto(streamlit_url(APP) + "Compare?" + query)
    # Timeout: a fresh server loads the Numba cache before the first run ends; 60 s on a busy
    # 2-core box shared with other browsers.
    page.locator(CAPTION.format(0)).wait_for(timeout=60_000)
    # Timeout: the first run ends a moment later (a click before it could be lost).
    page.locator(RUN_OVER).wait_for(state="attached", timeout=30_000)


def in_step(samples: list[list[int]]) -> list[int]:
    """The epochs > 0 at which every lane's caption showed the same epoch."""
    return sorted({sample[0] for sample in samples if sample[0] and len(set(sample)) == 1})


def test_three_lanes_play_in_step_with_one_colour_each_and_open_in_the_playground(
    page, streamlit_url
):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_compare(page, streamlit_url, "lanes=" + LANES)
    assert page.evaluate(EPOCHS, 3) == [0, 0, 0]
    page.get_by_role("button", name="Play", exact=True).click()
    samples = []
    deadline = time.monotonic() + 40  # a few fragment runs (0.4 s apart) on a loaded box
    while time.monotonic() < deadline and len(in_step(samples)) < 4:
        samples.append(page.evaluate(EPOCHS, 3))
        time.sleep(0.3)
    page.get_by_role("button", name="Pause", exact=True).click()
    # The lanes advanced together: several different epochs seen, every lane on each.
    together = in_step(samples)
    assert len(together) >= 3, samples
    # (one element holds every lane's caption: they are never seen apart)
    assert all(len(set(sample)) == 1 for sample in samples), samples
    # Timeout: the Pause rerun ends within a fragment run or two; 30 s on a loaded box.
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    page.locator(RUN_OVER).wait_for(state="attached", timeout=30_000)
    paused = page.evaluate(EPOCHS, 3)
    assert len(set(paused)) == 1 and paused[0] >= together[-1], paused

    # Paused, a lane's map tells its output under the pointer, as the Playground's does.
    lane_map = page.locator(".st-key-compare_map_0 .js-plotly-plot")
    box = lane_map.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    label = lane_map.locator(".hoverlayer .hovertext")
    label.wait_for(timeout=10_000)  # Timeout: Plotly shows it on the next mouse event
    text = label.text_content()  # (an SVG element: no inner_text)
    assert "x₁" in text and "output" in text, text

    # One colour per lane on the loss chart, each a solid (train) and a dashed (test) line.
    lines = page.evaluate(LOSS_LINES)
    expected = {f"rgb({r}, {g}, {b})" for r, g, b in map(hex_to_rgb, LANE_COLORS[:3])}
    assert {color for color, _ in lines} == expected, lines
    drawn = sorted(tuple(line) for line in lines)
    assert drawn == sorted((color, dashed) for color in expected for dashed in (False, True))

    # Every lane's map and the chart are on a 1280×720 screen.
    for selector in [*(f".st-key-compare_map_{n}" for n in range(3)), ".st-key-compare_loss"]:
        box = page.locator(selector).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 720, (selector, box)

    # Lane C's "Open in Playground" opens its setup in the Playground (a new tab).
    link = page.locator(".st-key-compare_open_2 a:visible")
    assert link.count() == 1
    with page.context.expect_page() as opened:
        link.click()
    playground = opened.value
    # Timeout: the Playground's first run in a new session (kernels already compiled).
    playground.locator(".st-key-control_lr").wait_for(timeout=60_000)
    assert re.search(r"[?&]lr=0\.3(&|$)", playground.url), playground.url
    # (a selectbox shows its choice as its input's value)
    assert playground.get_by_label("Learning rate", exact=True).first.input_value() == "0.3"
    assert playground.get_by_label("Data set", exact=True).first.input_value() == "Circle"
    playground.close()

    # A fourth lane goes into the address; Back goes back to the three lanes, Forward to four.
    page.locator(".st-key-compare_add_lane button").first.click()
    # Timeout: a rerun builds the new lane (< 1 s; 30 s on a loaded box).
    page.locator(CAPTION.format(3)).wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('lr%3A0.3%7C')", timeout=30_000)
    page.go_back()
    # Timeout: Back reruns the page with the earlier address (as above).
    page.locator(CAPTION.format(3)).wait_for(state="detached", timeout=30_000)
    assert page.locator(CAPTION.format(2)).count() == 1
    page.go_forward()
    page.locator(CAPTION.format(3)).wait_for(timeout=30_000)  # Timeout: as above
