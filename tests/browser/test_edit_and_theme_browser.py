"""Editing a weight where it is drawn, the dark theme and the colour-blind palette, in real
headless Chromium."""

from __future__ import annotations

import time

import numpy as np
import pytest
from test_playground_browser import GRAPH, METRICS, Z_ROW_SUM, open_playground

from playground.figures import ViewSpec, playground_figure
from playground.palette import PALETTES, THEMES, hex_to_rgb

pytestmark = pytest.mark.browser


def figure_index():
    """Where the live figure's parts are (the same for every network)."""
    spec = ViewSpec((2, 1), ("X₁", "X₂"), "binary", 2, show_test=False, log_loss=False)
    nothing = np.zeros((0, 2))
    return playground_figure(spec, nothing, nothing[:, 0], nothing, nothing[:, 0]).index


LINK_TRACE = figure_index().link_trace
EDITOR = ".np-live-plotly-edit"
# Page coordinates of point k of trace t (diagram axes x2/y2) and its hover text.
POINT = f"""([t, k]) => {{
    const gd = document.querySelector('{GRAPH}');
    const box = gd.getBoundingClientRect();
    const xa = gd._fullLayout.xaxis2, ya = gd._fullLayout.yaxis2;
    const trace = gd.data[t];
    return {{x: box.left + xa._offset + xa.d2p(trace.x[k]),
            y: box.top + ya._offset + ya.d2p(trace.y[k]),
            text: trace.text[k], count: trace.x.length}};
}}"""


# The output map's picture (its canvas, see docs/live_view.md) as a data URL, to compare.
OUTPUT_PICTURE = f"""(() => {{
    const gd = document.querySelector('{GRAPH}');
    const slot = gd.layout.images.length - 2;
    const canvas = gd.querySelector(`.np-live-plotly-picture[data-index="${{slot}}"] canvas`);
    return canvas ? canvas.toDataURL() : '';
}})()"""


def link_text(page, k: int) -> str:
    # Timeout: a full rerun (after a notice) remounts the graph for ~30 ms.
    page.wait_for_function(f"!!document.querySelector('{GRAPH}')?.data", timeout=10_000)
    return page.evaluate(POINT, [LINK_TRACE, k])["text"]


def click_point(page, trace: int, k: int) -> None:
    """Click point k of a trace until its edit box opens (Plotly reports a click on the point
    it hovers: the first move may come before the graph computed its hover)."""
    deadline = time.monotonic() + 10  # Timeout: a click opens the box at once; retries for 10 s.
    while page.get_attribute(GRAPH, "data-editing") != f"{trace}:{k}":  # that point's box
        assert time.monotonic() < deadline, "clicking the link did not open its edit box"
        if page.locator(EDITOR).count():
            # The graph fits itself to the window as the widgets above it mount: a click just
            # before a resize can land on a neighbour. Close that box and aim again.
            page.keyboard.press("Escape")
        point = page.evaluate(POINT, [trace, k])
        page.mouse.move(point["x"] + 3, point["y"] + 1)
        page.mouse.move(point["x"], point["y"])
        time.sleep(0.1)
        page.mouse.click(point["x"], point["y"])
        time.sleep(0.2)


def test_clicking_a_link_edits_its_weight_in_place(page, streamlit_url):
    open_playground(page, streamlit_url, "?dataset=circle")
    last = page.evaluate(POINT, [LINK_TRACE, 0])["count"] - 1  # layer 3: 2 → 1
    # Timeout: paused, the hover texts come with the first frame.
    page.wait_for_function(f"({POINT})([{LINK_TRACE}, {last}]).text !== ''", timeout=15_000)
    before_text = link_text(page, last)
    before_z = page.evaluate(Z_ROW_SUM)
    before_map = page.evaluate(OUTPUT_PICTURE)

    click_point(page, LINK_TRACE, last)
    box = page.locator(EDITOR)
    field = box.get_by_role("textbox", name="Weight")
    # Prefilled with the weight the hover text shows (3 decimals).
    assert before_text.startswith(f"weight {field.input_value()} ")
    assert field.evaluate("el => el === document.activeElement")
    # Right next to the link's midpoint.
    point = page.evaluate(POINT, [LINK_TRACE, last])
    where = box.bounding_box()
    assert abs(where["x"] - point["x"]) < 60 and abs(where["y"] - point["y"]) < 60, where

    field.fill("4")
    field.press("Enter")
    expect_closed(page)
    # Timeout: one fragment rerun (the trigger) redraws the output map with the new weight.
    page.wait_for_function(
        f"({POINT})([{LINK_TRACE}, {last}]).text.startsWith('weight 4.000 ')", timeout=15_000
    )
    assert abs(page.evaluate(Z_ROW_SUM) - before_z) > 1e-3
    after_map = page.evaluate(OUTPUT_PICTURE)
    assert after_map != before_map  # the picture the user sees changed too

    # Escape cancels.
    click_point(page, LINK_TRACE, last)
    page.locator(EDITOR).get_by_role("textbox").fill("7")
    page.keyboard.press("Escape")
    expect_closed(page)
    # A number that is not one: a sentence in the box, nothing sent.
    click_point(page, LINK_TRACE, last)
    page.locator(EDITOR).get_by_role("textbox").fill("abc")
    page.keyboard.press("Enter")
    message = page.locator(EDITOR).get_by_role("alert")
    assert message.inner_text() == "“abc” is not a number: type one like 0.5 or -2."
    # A click elsewhere closes it.
    graph_box = page.locator(GRAPH).bounding_box()
    page.mouse.click(graph_box["x"] + 5, graph_box["y"] + graph_box["height"] - 5)
    expect_closed(page)
    time.sleep(1.0)  # a wrongly sent edit would have been applied by now
    assert link_text(page, last).startswith("weight 4.000 ")

    # Out of range: Python says so in a sentence on the page; the weight stays.
    click_point(page, LINK_TRACE, last)
    page.locator(EDITOR).get_by_role("textbox").fill("1e9")
    page.keyboard.press("Enter")
    notice = page.get_by_text("A weight must be a finite number between")
    notice.wait_for(timeout=15_000)  # Timeout: one fragment run, then the page's rerun.
    assert link_text(page, last).startswith("weight 4.000 ")
    assert not page.errors


def test_clicking_a_bias_edits_it_while_training_plays(page, streamlit_url):
    from test_playground_browser import press_play

    open_playground(page, streamlit_url, "?dataset=circle&lr=0.00001")
    press_play(page)  # TensorFlow Playground lets you edit while it trains: so do we
    bias_trace = figure_index().bias_trace  # the last bias is the output neuron's
    last = page.evaluate(POINT, [bias_trace, 0])["count"] - 1
    click_point(page, bias_trace, last)
    field = page.locator(EDITOR).get_by_role("textbox", name="Bias")
    # TensorFlow Playground starts every bias at 0.1; the learning rate is tiny.
    assert float(field.input_value()) == pytest.approx(0.1, abs=0.01)
    field.fill("-3")
    field.press("Enter")
    # Timeout: hover data comes every 0.5 s while the mouse is over the graph.
    page.wait_for_function(
        f"({POINT})([{bias_trace}, {last}]).text.startsWith('bias -3.0')", timeout=15_000
    )
    assert page.get_by_role("button", name="Pause", exact=True).is_visible()  # still training
    assert not page.errors


def expect_closed(page) -> None:
    page.locator(EDITOR).wait_for(state="detached", timeout=5_000)  # Timeout: closes at once.


# Computed colours of what the user sees, as [r, g, b] (and a 0..1 luminance).
COLOURS = f"""() => {{
    const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const gd = document.querySelector('{GRAPH}');
    return {{
        page: rgb(getComputedStyle(document.querySelector('.stApp')).backgroundColor),
        tick: rgb(getComputedStyle(gd.querySelector('.xtick text')).fill),
        caption: rgb(getComputedStyle(document.querySelector('{METRICS}')).color),
    }};
}}"""


def luminance(rgb) -> float:
    r, g, b = rgb
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_page_and_the_figure_follow_the_browsers_colour_scheme(browser, streamlit_url, scheme):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_playground(page, streamlit_url, "?dataset=circle")
        colours = page.evaluate(COLOURS)
        dark = scheme == "dark"
        assert (luminance(colours["page"]) < 0.2) == dark, colours
        assert colours["tick"] == list(hex_to_rgb(THEMES[scheme].text)), colours
        assert (luminance(colours["tick"]) > 0.6) == dark, colours
        assert (luminance(colours["caption"]) > 0.6) == dark, colours
        # Pixels: the middle of the (still empty) loss chart is the plot background.
        gd = page.locator(GRAPH)
        gd.scroll_into_view_if_needed()
        box = gd.bounding_box()
        x, y = page.evaluate(
            f"""() => {{ const gd = document.querySelector('{GRAPH}');
            const xa = gd._fullLayout.xaxis3, ya = gd._fullLayout.yaxis3;
            return [xa._offset + xa._length / 2, ya._offset + ya._length / 2]; }}"""
        )
        shot = page.screenshot(clip={"x": box["x"] + x - 5, "y": box["y"] + y - 5, "width": 10,
                                     "height": 10})  # fmt: skip
        assert (pixel_luminance(shot) < 0.2) == dark
        if not dark:
            # The preference changes while the page is open (paused: nothing reruns by itself).
            page.emulate_media(color_scheme="dark")
            dark_text = "rgb({}, {}, {})".format(*hex_to_rgb(THEMES["dark"].text))
            page.wait_for_function(
                f"getComputedStyle(document.querySelector('{GRAPH} .xtick text')).fill"
                f" === '{dark_text}'",
                timeout=15_000,
            )  # Timeout: the component's trigger 0.3 s after the change, one rerun, one redraw.
        assert not errors
    finally:
        context.close()


def pixel_luminance(png: bytes) -> float:
    import io

    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float64)
    return luminance(pixels.reshape(-1, 3).mean(axis=0))


# Every pixel of the output map (the picture the browser coloured into its canvas) as [r, g, b].
OUTPUT_PIXELS = f"""() => {{
    const gd = document.querySelector('{GRAPH}');
    const slot = gd.layout.images.length - 2;
    const canvas = gd.querySelector(`.np-live-plotly-picture[data-index="${{slot}}"] canvas`);
    const ctx = canvas.getContext('2d');
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const out = [];
    for (let i = 0; i < data.length; i += 4 * 7) out.push([data[i], data[i + 1], data[i + 2]]);
    return out;
}}"""


def distance_to_scale(pixels, palette: str):
    """Each pixel's distance (RGB units) to the palette's scale (the segments neutral →
    negative and neutral → positive of the light theme), its distance from the neutral grey,
    and whether it is nearer the negative side."""
    import numpy as np

    p = np.asarray(pixels, dtype=np.float64)
    zero = np.array(hex_to_rgb(THEMES["light"].neutral), dtype=np.float64)
    sides = []
    for end in (PALETTES[palette].negative, PALETTES[palette].positive):
        direction = np.array(hex_to_rgb(end), dtype=np.float64) - zero
        t = np.clip((p - zero) @ direction / (direction @ direction), 0, 1)
        sides.append(np.linalg.norm(p - (zero + t[:, None] * direction), axis=1))
    return np.minimum(*sides), np.linalg.norm(p - zero, axis=1), sides[0] < sides[1]


def test_the_colour_blind_palette_in_the_link_colours_the_output_map(page, streamlit_url):
    open_playground(page, streamlit_url, "?dataset=xor&palette=colorblind&hidden=1")
    pixels = page.evaluate(OUTPUT_PIXELS)
    on_scale, from_grey, negative = distance_to_scale(pixels, "colorblind")
    assert on_scale.max() <= 3, on_scale.max()  # every pixel is on the Okabe-Ito scale
    # The negative side is vermillion, not TensorFlow Playground's orange. (Both blues are
    # nearly the same: Okabe and Ito's blue-orange contrast is what TF Playground uses too.)
    strong = negative & (from_grey > 60)
    assert strong.sum() > 10, (from_grey.max(), negative.sum())
    default_scale, _, _ = distance_to_scale(pixels, "playground")
    assert default_scale[strong].min() > 10, default_scale[strong].min()
    assert not page.errors
