"""The live Plotly component streams frames into one mounted graph (bench/live_demo_app.py)."""

from __future__ import annotations

import re
import time

import pytest

DEMO = "bench/live_demo_app.py"
GRAPH = ".np-live-plotly-graph"
DOWNLOAD_PNG = re.compile(r"^download plot as a png$", re.IGNORECASE)  # Plotly's modebar button

# A full rerun (the Play click) briefly unmounts the component before the new mount adopts the
# same graph div, hence the optional chaining.
PAINTED = f"(+document.querySelector('{GRAPH}')?.dataset.paintedFrames || 0)"
# A fingerprint of the heat map's z as drawn: the sum of its middle row.
Z_ROW_SUM = f"""() => {{
    const gd = document.querySelector('{GRAPH}');
    const row = gd.data[0].z[50];
    let s = 0;
    for (const v of row) s += v;
    return s;
}}"""
# Centre of the output subplot (x2/y2) in page coordinates.
HEATMAP_CENTRE = f"""() => {{
    const gd = document.querySelector('{GRAPH}');
    const box = gd.getBoundingClientRect();
    const xa = gd._fullLayout.xaxis2, ya = gd._fullLayout.yaxis2;
    return {{x: box.left + xa._offset + xa._length / 2,
             y: box.top + ya._offset + ya._length / 2}};
}}"""


@pytest.mark.browser
def test_live_plotly_streams_frames_with_hover_and_download(page, streamlit_url):
    page.goto(streamlit_url(DEMO))
    # Timeout: the first paint waits for Plotly.js (4.8 MB, loaded once); ~2 s here, 20 s margin.
    page.wait_for_selector(f"{GRAPH}:not([data-painted-frames='0'])", timeout=20_000)
    z_before = page.evaluate(Z_ROW_SUM)

    page.get_by_role("button", name="Play", exact=True).click()
    # Timeout: the Play click reruns the script in well under a second; 10 s margin.
    page.get_by_role("button", name="Pause", exact=True).wait_for(timeout=10_000)
    painted = page.evaluate(PAINTED)
    # Timeout: 10 more frames take ~0.6 s at the measured 15-18 frames/s; 10 s allows 1 frame/s.
    page.wait_for_function(f"{PAINTED} >= {painted + 10}", timeout=10_000)
    assert page.evaluate(Z_ROW_SUM) != pytest.approx(z_before), "heat map z did not change"
    # The graph stayed mounted: Plotly.react on the same div, never a remount per frame.
    assert page.locator(GRAPH).count() == 1

    # Hover the heat map while frames keep arriving (a redraw may drop the label: move again).
    centre = page.evaluate(HEATMAP_CENTRE)
    label = page.locator(".hoverlayer .hovertext")
    deadline = time.monotonic() + 5  # Timeout: a label shows on the first move; 5 s of retries.
    while label.count() == 0 and time.monotonic() < deadline:
        page.mouse.move(centre["x"] + 3, centre["y"] + 3)
        page.mouse.move(centre["x"], centre["y"])
        time.sleep(0.1)
    assert label.count() > 0, "no Plotly hover label over the heat map"
    assert "output" in label.first.text_content()

    # The modebar's PNG download works while streaming.
    # Timeout: Plotly renders the PNG in ~1 s; 10 s margin.
    with page.expect_download(timeout=10_000) as download:
        page.locator(GRAPH).get_by_role("button", name=DOWNLOAD_PNG).click()
    assert download.value.suggested_filename.endswith(".png")
    # No dead buttons: Plotly's "Share chart" needs a chart-studio server the app does not have.
    assert page.locator(GRAPH).get_by_role("button", name=re.compile("share", re.I)).count() == 0

    assert page.errors == []


BATCHED = "tests/browser/apps/batched_frames_app.py"
FRAME_ID = f"document.querySelector('{GRAPH}')?.dataset.frameId"


@pytest.mark.browser
def test_one_call_carries_several_frames_in_order_and_leftovers_merge_into_the_next(
    page, streamlit_url
):
    """One page of the batched-frames app for both (they were two tests opening it): a call's
    frames are painted in order, then frames left over from a call are merged into the next
    call's, not drawn late."""
    page.goto(streamlit_url(BATCHED))
    # Timeout: the first paint waits for Plotly.js (4.8 MB, loaded once); 20 s margin.
    page.wait_for_function(f"{FRAME_ID} === 'c0'", timeout=20_000)
    painted = page.evaluate(PAINTED)
    page.get_by_role("button", name="Send batch").click()
    seen = []
    deadline = time.monotonic() + 10  # Timeout: the three frames take 0.6 s after the rerun.
    while (not seen or seen[-1] != "c1") and time.monotonic() < deadline:
        current = page.evaluate(FRAME_ID)
        if current and (not seen or seen[-1] != current):
            seen.append(current)
        time.sleep(0.02)
    # Each frame of the call was painted, in order, ~0.3 s apart (polled every 20 ms).
    assert seen[-3:] == ["a1", "b1", "c1"], seen
    assert page.evaluate(PAINTED) >= painted + 3
    assert page.evaluate(f"document.querySelector('{GRAPH}').layout.title.text") == "c1"

    # Frames left over: a second call while the first's frames are still due.
    button = page.get_by_role("button", name="Send batch")
    button.click()
    page.wait_for_function(f"{FRAME_ID} === 'a2'", timeout=10_000)  # Timeout: one rerun.
    button.click()  # before b2 and c2 are due
    page.wait_for_function(f"{FRAME_ID} === 'c3'", timeout=10_000)  # Timeout: one rerun + 0.6 s.
    time.sleep(1.0)  # longer than the old frames' schedule: none of them may show up now
    assert page.evaluate(FRAME_ID) == "c3"
    assert page.evaluate(f"document.querySelector('{GRAPH}').layout.title.text") == "c3"
