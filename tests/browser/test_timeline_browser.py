"""The timeline, as a user sees it: train past epoch 200, pause, go back to epoch 10 (the
caption line says so and the output map looks different), step with ← and →, continue from
there; a click on the loss chart shows the epoch clicked, and while playing pauses there."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image
from test_playground_browser import GRAPH, METRICS, open_playground, press_play

pytestmark = pytest.mark.browser

TIMELINE = ".st-key-np-timeline"
SLIDER = f"{TIMELINE} input[type=range]"  # the timeline's slider (aria-valuetext: "epoch N")
# The output map's box on the page (CSS pixels): the largest picture the live view draws.
OUTPUT_MAP_BOX = f"""() => {{
    const boxes = [...document.querySelectorAll('{GRAPH} .np-live-plotly-picture')]
        .map((el) => el.getBoundingClientRect())
        .sort((a, b) => b.width * b.height - a.width * a.height);
    const r = boxes[0];
    return r ? {{x: r.left, y: r.top, width: r.width, height: r.height}} : null;
}}"""


def caption(page) -> str:
    return page.locator(METRICS).first.inner_text()


def wait_for_caption_epoch(page, epoch: int) -> None:
    # Timeout: one rerun of the page and a painted frame (~1 s); 20 s for a loaded machine.
    page.wait_for_function(
        f"document.querySelector('{METRICS}')?.innerText.startsWith('Epoch {epoch:,} ·')",
        timeout=20_000,
    )


def output_map(page) -> np.ndarray:
    box = page.evaluate(OUTPUT_MAP_BOX)
    assert box and box["width"] > 100, box
    png = page.screenshot(clip=box)
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def trained_then_paused(page, streamlit_url, epochs: int) -> int:
    """XOR played at speed 100 until ``epochs``, then paused with the timeline shown; returns
    the newest epoch."""
    open_playground(page, streamlit_url, "?dataset=xor&speed=100")
    press_play(page)
    # Timeout: a few hundred epochs at 100 a frame, a few frames a second; 60 s under load.
    page.wait_for_function(
        f"+document.querySelector('{METRICS}')?.dataset.epoch >= {epochs}", timeout=60_000
    )
    playing = page.evaluate(OUTPUT_MAP_BOX)
    page.get_by_role("button", name="Pause", exact=True).click()
    # Timeout: the pause reruns the page, which then shows the timeline row (~1 s).
    page.locator(TIMELINE).wait_for(timeout=20_000)
    # The row appears in its slot above the play bar: nothing below it moves.
    paused = page.evaluate(OUTPUT_MAP_BOX)
    assert all(abs(paused[k] - playing[k]) <= 1 for k in playing), (
        f"Pausing moved the output map: {playing} while playing, {paused} paused"
    )
    return int(page.locator(METRICS).first.get_attribute("data-epoch"))


def test_paused_the_scrubbed_chart_marks_its_epoch_then_back_to_10_step_and_continue(
    page, streamlit_url
):
    """One run trained to 300 and paused, walks through its timeline (they were tests that
    each trained the same run): scrubbed back one epoch, the loss chart marks the shown epoch
    on the whole curve; a click on the chart shows the epoch clicked; back to epoch 10, the
    arrows step, and it continues; played on, a click on the chart pauses there."""
    newest = trained_then_paused(page, streamlit_url, 300)
    the_scrubbed_loss_chart_marks_the_shown_epoch_on_the_whole_curve(page, newest)
    a_click_on_the_loss_chart_shows_that_epoch(page, newest)
    go_back_to_epoch_10_step_with_the_arrows_and_continue(page, newest)
    a_click_on_the_loss_chart_while_playing_pauses_there(page)


def click_loss_chart_at(page, epoch: int) -> int:
    """Click the loss chart at ``epoch``; returns how far (in epochs) from it the click can
    land: the mouse moves in whole pixels, and a pixel holds several epochs of a long run."""
    chart = page.evaluate(LOSS_CHART, epoch)
    pixels_per_100 = page.evaluate(LOSS_CHART, epoch + 100)["at"] - chart["at"]
    page.mouse.click(chart["x"] + chart["at"], chart["y"] + chart["height"] / 2)
    return math.ceil(100 / pixels_per_100) + 1


def a_click_on_the_loss_chart_shows_that_epoch(page, newest: int) -> None:
    assert caption(page).startswith(f"Epoch {newest:,} ·")
    within = click_loss_chart_at(page, 40)  # (epochs 0-100 are all recorded)
    # Timeout: the click's full rerun and a painted frame (~1 s); 20 s for a loaded machine.
    page.wait_for_function(
        f"Math.abs(+document.querySelector('{METRICS}')?.dataset.epoch - 40) <= {within}",
        timeout=20_000,
    )
    shown = int(page.locator(METRICS).first.get_attribute("data-epoch"))
    assert caption(page).startswith(f"Epoch {shown} ·")
    # The timeline row follows: its slider shows the epoch, and Continue is enabled.
    # Timeout: the same rerun redraws the row (as above).
    page.wait_for_function(
        f"document.querySelector('{SLIDER}')?.getAttribute('aria-valuetext') === 'epoch {shown}'",
        timeout=20_000,
    )
    assert page.get_by_role("button", name="Continue from here").is_enabled()
    # Back to the present (the slider's End), as the next walk starts from it.
    thumb = page.locator(SLIDER)
    thumb.focus()
    thumb.press("End")
    wait_for_caption_epoch(page, newest)


def go_back_to_epoch_10_step_with_the_arrows_and_continue(page, newest: int) -> None:
    assert newest >= 200 and caption(page).startswith(f"Epoch {newest:,} ·")
    at_newest = output_map(page)

    # The slider, from the keyboard: Home is epoch 0, then ten steps right.
    thumb = page.locator(SLIDER)
    thumb.focus()
    thumb.press("Home")
    for _ in range(10):
        thumb.press("ArrowRight")
    wait_for_caption_epoch(page, 10)
    changed = np.count_nonzero(np.abs(output_map(page) - at_newest).sum(axis=2) > 30)
    assert changed > 1000, f"only {changed} pixels of the output map differ from epoch {newest}"
    assert int(page.locator(METRICS).first.get_attribute("data-epoch")) == 10

    # ← and → step through the recorded epochs (keys typed on a slider stay with it: leave it).
    page.locator(GRAPH).click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowLeft")
    wait_for_caption_epoch(page, 9)
    page.keyboard.press("ArrowRight")
    wait_for_caption_epoch(page, 10)

    page.get_by_role("button", name="Continue from here").click()
    # Timeout: one rerun; the button is disabled once the shown epoch is the present.
    page.wait_for_function(
        """() => [...document.querySelectorAll('button')].some(
            (b) => b.innerText.includes('Continue from here') && b.disabled)""",
        timeout=20_000,
    )
    assert caption(page).startswith("Epoch 10 ·")
    page.get_by_role("button", name="Step").click()
    wait_for_caption_epoch(page, 11)

    # Rewatch plays the recorded epochs 0 … 11 as an animation (10 a second), then stops.
    page.get_by_role("button", name="Rewatch").click()
    seen = page.evaluate(
        f"""async () => {{
            const seen = [];
            for (let i = 0; i < 60; i++) {{  // 3 s
                seen.push(+document.querySelector('{METRICS}')?.dataset.epoch);
                await new Promise((r) => setTimeout(r, 50));
            }}
            return seen;
        }}"""
    )
    shown = sorted(set(seen))
    assert len(shown) >= 5 and shown[0] < 5, seen  # it moved through the early epochs
    # Timeout: the rest of the 12 epochs at 10 a second, then a rerun; 20 s on a loaded machine.
    page.get_by_role("button", name="Rewatch").wait_for(timeout=20_000)
    wait_for_caption_epoch(page, 11)
    assert "Traceback" not in page.inner_text("body")
    assert not page.errors


def a_click_on_the_loss_chart_while_playing_pauses_there(page) -> None:
    press_play(page)
    # Timeout: a few frames at 100 epochs a frame (~1 s); 30 s under load.
    page.wait_for_function(
        f"+document.querySelector('{METRICS}')?.dataset.epoch >= 300", timeout=30_000
    )
    click_loss_chart_at(page, 5)
    # Timeout: the click's rerun pauses and redraws the page (~1 s; 20 s under load).
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=20_000)
    # Shown: an early epoch, far from the present (≥ 300). Not exactly 5: the epoch axis may
    # have widened (0-500 to 0-1000) between finding epoch 5's pixel and the click.
    page.wait_for_function(
        f"+document.querySelector('{METRICS}')?.dataset.epoch <= 50", timeout=20_000
    )
    page.locator(TIMELINE).wait_for()
    assert not page.errors


# The loss chart's plot area in page pixels, and where an epoch is on it (Plotly's own axes).
LOSS_CHART = f"""(epoch) => {{
    const gd = document.querySelector('{GRAPH}');
    const box = gd.getBoundingClientRect();
    const xa = gd._fullLayout.xaxis3, ya = gd._fullLayout.yaxis3;
    return {{x: box.left + xa._offset, y: box.top + ya._offset, width: xa._length,
             height: ya._length, at: xa.l2p(epoch)}};
}}"""


def loss_chart(page, epoch: int) -> tuple[np.ndarray, float]:
    """The loss chart's plot area as drawn, and the column (px from its left) of ``epoch``."""
    chart = page.evaluate(LOSS_CHART, epoch)
    clip = {name: chart[name] for name in ("x", "y", "width", "height")}
    picture = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    return np.asarray(picture, dtype=np.int16), chart["at"]


def the_scrubbed_loss_chart_marks_the_shown_epoch_on_the_whole_curve(page, newest: int) -> None:
    page.locator(GRAPH).click(position={"x": 5, "y": 5})  # (← and → step the timeline)
    page.keyboard.press("ArrowLeft")
    # Timeout: one rerun of the page and a painted frame (~1 s); 20 s for a loaded machine.
    page.wait_for_function(
        f"+document.querySelector('{METRICS}')?.dataset.epoch < {newest}", timeout=20_000
    )
    shown = int(page.locator(METRICS).first.get_attribute("data-epoch"))
    page.wait_for_timeout(500)  # (the frame is painted with its caption; let Plotly settle)
    scrubbed, at = loss_chart(page, shown)
    page.keyboard.press("ArrowRight")  # back to the present
    wait_for_caption_epoch(page, newest)
    page.wait_for_timeout(500)
    live, live_at = loss_chart(page, shown)
    assert abs(at - live_at) < 1  # the same axis: the scrubbed chart shows the whole curve

    changed = np.abs(scrubbed - live).sum(axis=2) > 60
    columns = np.flatnonzero(changed.any(axis=0))
    assert len(columns), "the scrubbed loss chart looks like the live one: no marker"
    # Only a thin upright line at the shown epoch differs: the curve is the same whole curve.
    assert columns.min() >= at - 3 and columns.max() <= at + 3, (columns, at)
    height = changed.shape[0]
    assert changed.any(axis=1).sum() > 0.4 * height  # a dotted line over the chart's height
    # The marker is drawn in the text colour (#444444 on the light theme); live, it is gone.
    # A 1 px dotted line between two pixel columns is partly anti-aliased to lighter greys.
    marker = scrubbed[changed]
    in_text_colour = np.abs(marker - 0x44).max(axis=1) < 60
    assert in_text_colour.mean() > 0.2, marker[:8]
    assert not page.errors
