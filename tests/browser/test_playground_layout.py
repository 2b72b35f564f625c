"""The Playground as people see it: one screen at projector and monitor sizes, a tablet's width,
presentation mode and the keyboard, in real headless Chromium."""

from __future__ import annotations

import time

import pytest

from playground.figures import PRESENTATION_SCALE
from tests.browser.test_playground_browser import APP, METRICS, epoch, open_playground
from ui.controls import STEP_BUTTON_KEY
from ui.live_plotly import CAPTION_HEIGHT

pytestmark = pytest.mark.browser

# Page boxes of what must be on screen: Plotly's drag rectangles are the plotting areas of the
# output map (subplot xy) and of the loss chart (x3y3); the Play button; the data-set picker.
BOXES = """() => {
    const box = (el) => {
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                width: r.width, height: r.height};
    };
    const view = document.querySelector('.np-live-plotly');
    return {
        play: box(document.querySelector('.st-key-play button')),
        dataset: box(document.querySelector('.st-key-control_dataset')),
        output: box(document.querySelector('.np-live-plotly-graph .nsewdrag[data-subplot="xy"]')),
        loss: box(document.querySelector('.np-live-plotly-graph .nsewdrag[data-subplot="x3y3"]')),
        diagram: box(document.querySelector('.np-live-plotly-graph .layer-above .imagelayer')),
        view: box(view),
        scrollY: window.scrollY,
        pageWidth: document.documentElement.scrollWidth,
    };
}"""


def open_at(page, streamlit_url, width: int, height: int, query: str = "") -> None:
    """The Playground in ``page`` (conftest's: a new page of the session's context), its
    window ``width`` × ``height`` before the first load, as a new browser of that size."""
    page.set_viewport_size({"width": width, "height": height})
    open_playground(page, streamlit_url, query)
    # Timeout: the graph fits itself to the window once the widgets above it have mounted.
    page.wait_for_function(
        f"(() => {{ const b = ({BOXES})(); return b.loss && b.output && b.diagram && b.play; }})()",
        timeout=15_000,
    )
    time.sleep(1.0)  # let the lazily loaded widgets above the graph settle


def inside(box: dict, width: int, height: int) -> bool:
    return (
        box["left"] >= 0 and box["top"] >= 0 and box["right"] <= width and box["bottom"] <= height
    )


def fits_one_screen(page, width: int, height: int) -> None:
    boxes = page.evaluate(BOXES)
    assert boxes["scrollY"] == 0
    for name in ("play", "dataset", "output", "loss"):
        assert inside(boxes[name], width, height), (name, boxes[name])
    # The output map is square and takes at least 40 % of the live view's width.
    output, view = boxes["output"], boxes["view"]
    assert abs(output["width"] - output["height"]) <= 2, output
    assert output["width"] >= 0.4 * view["width"], (output, view)
    # The sidebar starts collapsed on the Playground: the page uses the whole width.
    assert view["right"] > 0.9 * width


def test_play_the_data_the_output_and_the_loss_fit_a_monitor(page, streamlit_url):
    open_at(page, streamlit_url, 1920, 1080)
    fits_one_screen(page, 1920, 1080)
    assert not page.errors


def test_a_tablet_wraps_the_bar_and_keeps_the_map_square(page, streamlit_url):
    open_at(page, streamlit_url, 820, 1180)
    boxes = page.evaluate(BOXES)
    assert boxes["pageWidth"] <= 820  # nothing sticks out sideways
    output = boxes["output"]
    assert abs(output["width"] - output["height"]) <= 2, output
    assert inside(output, 820, 1180)
    # Every button and chooser of the play bar shows its whole text (no "S", "R", "R.").
    cut = page.evaluate(
        """() => [...document.querySelectorAll(
            '.st-key-np-playbar button p, .st-key-np-playbar [data-baseweb="select"] div,'
            + '.st-key-np-playbar label p')]
            .filter((el) => el.scrollWidth > el.clientWidth + 1)
            .map((el) => el.textContent)"""
    )
    assert cut == []
    for name in ("Play", "Step", "New weights", "Replay"):
        assert page.get_by_role("button", name=name, exact=True).is_visible()
    assert not page.errors


def caption_font_px(page) -> float:
    return page.evaluate(
        f"parseFloat(getComputedStyle(document.querySelector('{METRICS}')).fontSize)"
    )


def caption_height_px(page) -> float:
    return page.evaluate(f"document.querySelector('{METRICS}').getBoundingClientRect().height")


def figure_font_px(page) -> float:
    # The x₁ axis title of the output map, as drawn.
    return page.evaluate(
        """parseFloat(getComputedStyle(
            document.querySelector('.np-live-plotly-graph .g-xtitle text')).fontSize)"""
    )


FIRST_NEURON = """() => {
    const picture = document.querySelector('.np-live-plotly-graph .layer-above .imagelayer image');
    return picture.getBoundingClientRect().width;
}"""


def refitted_width(page, before: float) -> float:
    """The first neuron picture's width once the graph has refitted to a new window size: it
    differs from ``before`` (the window changed width; a graph that does not follow fails
    here) and three looks 0.4 s apart agree (Plotly's redraw is over)."""
    width = f"(() => {{ try {{ return ({FIRST_NEURON})(); }} catch {{ return null; }} }})()"
    # Timeout: the resize event, fitToWindow and Plotly's redraw take well under 1 s here;
    # 15 s on a 2-core box shared with other browsers.
    page.wait_for_function(f"{width} !== null && {width} !== {before}", timeout=15_000)
    widths, deadline = [page.evaluate(width)], time.monotonic() + 15  # (as above)
    while len(widths) < 3 or len(set(widths[-3:])) > 1:
        assert time.monotonic() < deadline, widths
        page.wait_for_timeout(400)
        widths.append(page.evaluate(width))
    return widths[-1]


def test_a_projector_fits_one_screen_and_the_diagram_comes_back_after_the_window_narrows(
    page, streamlit_url
):
    """At 1280×720 (a projector) everything fits one screen; after the window narrows to a
    tablet's width and widens again, the diagram is its size again. One page for both (they
    were two tests opening the same size)."""
    open_at(page, streamlit_url, 1280, 720)
    fits_one_screen(page, 1280, 720)
    widths, wide = [], page.evaluate(FIRST_NEURON)
    for _ in range(2):  # each round trip once shrank the diagram further: two show it
        page.set_viewport_size({"width": 820, "height": 1180})
        narrow = refitted_width(page, wide)  # the graph refits to the narrower window
        page.set_viewport_size({"width": 1280, "height": 720})
        wide = refitted_width(page, narrow)  # and back
        widths.append(wide)
    assert max(widths) - min(widths) < 1, widths
    assert widths[-1] > 30, widths  # a neuron picture as large as a projector needs
    assert not page.errors


def test_the_default_page_sidebar_keyboard_presentation_mode_and_lessons(page, streamlit_url):
    """One page at the defaults, each step checked as it happens (they were three tests
    opening the same page): the Playground starts without the sidebar, the keyboard plays,
    pauses, steps and replays, presentation mode makes the type bigger and lives in the link,
    and the Lessons page keeps the sidebar."""
    open_playground(page, streamlit_url)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.bounding_box()["width"] == 0  # collapsed: the Playground gets the width
    the_keyboard_plays_pauses_steps_and_replays(page)
    presentation_mode_makes_type_bigger_and_lives_in_the_link(page)
    assert not page.errors
    page.goto(streamlit_url(APP) + "Lessons")
    # Timeout: the Lessons page loads and lays out its sidebar.
    page.wait_for_function(
        "document.querySelector('[data-testid=stSidebar]')?.getBoundingClientRect().width > 100",
        timeout=30_000,
    )


def the_keyboard_plays_pauses_steps_and_replays(page) -> None:
    page.mouse.click(5, 400)  # focus the page (an empty spot at the left edge), not a field
    # The key clicks the Step button, which may draw ~0.5 s after the graph (Streamlit loads a
    # button's code lazily): a key pressed before then does nothing. Timeout: a busy CI box.
    page.locator(f".st-key-{STEP_BUTTON_KEY} button").first.wait_for(timeout=15_000)
    page.keyboard.press("ArrowRight")
    # Timeout: a Step is one rerun.
    page.wait_for_function(f"+document.querySelector('{METRICS}')?.dataset.epoch === 1",
                           timeout=15_000)  # fmt: skip
    page.keyboard.press(" ")
    page.get_by_role("button", name="Pause", exact=True).wait_for(
        timeout=15_000
    )  # Timeout: one rerun.
    # Timeout: a few runs of frames; generous for a CI machine under load.
    page.wait_for_function(
        f"+document.querySelector('{METRICS}')?.dataset.epoch > 5", timeout=30_000
    )
    # Focus the empty spot again (a Space on a focused button would also click it).
    page.mouse.click(5, 400)
    page.keyboard.press(" ")
    # Timeout: one rerun after the playing run ends; 30 s as it once took > 15 s in a CI run.
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    page.keyboard.press("r")
    # Timeout: Replay rebuilds the run from its first weights: epoch 0 on the next rerun.
    page.wait_for_function(f"+document.querySelector('{METRICS}')?.dataset.epoch === 0",
                           timeout=15_000)  # fmt: skip
    # Typing in a field is typing, not a shortcut.
    seed = page.get_by_label("Data seed")
    seed.click()
    seed.press(" ")
    time.sleep(1.0)  # would be long enough for a Play rerun to show Pause
    assert page.get_by_role("button", name="Play", exact=True).count() == 1
    assert epoch(page) == 0


def presentation_mode_makes_type_bigger_and_lives_in_the_link(page) -> None:
    normal_caption, normal_figure = caption_font_px(page), figure_font_px(page)
    # The caption line is as tall as Python reserves for it (its CSS gets the number from the
    # payload), and grows with the type.
    assert caption_height_px(page) == pytest.approx(CAPTION_HEIGHT, abs=0.5)
    page.get_by_text("Present", exact=True).click()
    # Timeout: one rerun rewrites the URL and redraws the figure.
    page.wait_for_url("**present=1**", timeout=15_000)
    page.wait_for_function(
        f"parseFloat(getComputedStyle(document.querySelector('{METRICS}')).fontSize) > "
        f"{normal_caption * 1.4}",
        timeout=15_000,
    )  # Timeout: the page's style changes with that rerun.
    page.wait_for_function(
        """parseFloat(getComputedStyle(document.querySelector(
            '.np-live-plotly-graph .g-xtitle text')).fontSize) > """
        + str(normal_figure * 1.4),
        timeout=15_000,
    )  # Timeout: the figure is rebuilt with bigger type on that rerun.
    assert caption_height_px(page) == pytest.approx(CAPTION_HEIGHT * PRESENTATION_SCALE, abs=0.5)
