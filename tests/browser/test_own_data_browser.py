"""Your own data in real headless Chromium: click points of two classes on the output map and
train on them, remove one, download the set and upload it again, and open its link in a new
browser."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image

import engine
from bench.browser import DATA_TO_SCREEN
from playground.own_data import decode_points
from tests.browser.clicking import click_until
from tests.browser.test_playground_browser import (
    ARTIFACTS,
    GRAPH,
    METRICS,
    choose,
    open_playground,
    press_play,
)

pytestmark = pytest.mark.browser

VERSION = f"() => document.querySelector('{GRAPH}')?.dataset.structureVersion || ''"
# Two clusters: class 1 (orange) on the left, class 2 (blue) on the right.
LEFT = [(-4.5 + 0.7 * (k % 4), -3.0 + 1.5 * (k // 4)) for k in range(10)]
RIGHT = [(2.5 + 0.7 * (k % 4), -3.0 + 1.5 * (k // 4)) for k in range(10)]


def link_points(page):
    """The own data the page's address carries (what a copied link would open)."""
    points = parse_qs(urlparse(page.url).query).get("points", [""])[0]
    return decode_points(points) if points.startswith("1.") else None


def start_drawing(page, streamlit_url) -> None:
    open_playground(page, streamlit_url, "?dataset=xor")
    choose(page, "Data set", "Your own data")
    # Timeout: a full rerun; the caption line then says the drawing is empty.
    page.locator(METRICS).get_by_text("no training points yet").wait_for(timeout=15_000)


SEGMENTS = 'button[role="radio"]'


def pick(page, widget_key: str, index: int) -> None:
    """Choose the ``index``-th option of a segmented control and wait for its rerun."""
    page.locator(f".st-key-{widget_key} {SEGMENTS}").nth(index).click()
    # Timeout: the click reruns the page (well under 1 s); margin for a loaded machine.
    page.wait_for_function(
        f"""() => document.querySelectorAll('.st-key-{widget_key} {SEGMENTS}')[{index}]
                   ?.getAttribute('aria-checked') === 'true'""",
        timeout=15_000,
    )
    time.sleep(0.5)  # the rerun's remount of the live view settles before the next click


def click_points(page, points) -> None:
    """Click each point on the output map, waiting until the view shows it (a new figure)."""
    for x, y in points:
        before = page.evaluate(VERSION)
        ((sx, sy),) = page.evaluate(DATA_TO_SCREEN, [[x, y]])
        page.mouse.click(sx, sy)
        # Timeout: one fragment run and a paint (~0.3 s); margin for a loaded machine.
        page.wait_for_function(f"({VERSION})() !== {before!r}", timeout=15_000)


def draw_two_classes(page) -> None:
    pick(page, "draw_class", 0)
    click_points(page, LEFT)
    pick(page, "draw_class", 1)
    click_points(page, RIGHT)


def accuracy(page, which: str) -> float:
    text = page.locator(METRICS).first.inner_text()
    marker = f"{which} accuracy "
    if marker not in text:
        return 0.0
    return float(text.split(marker)[1].split("%")[0])


def output_rgb(page, points) -> list[tuple[int, int, int]]:
    """The colours on screen at these points of the output map."""
    path = ARTIFACTS / "own-data-map.png"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(path))
    picture = Image.open(path).convert("RGB")
    scale = picture.width / page.viewport_size["width"]
    return [
        picture.getpixel((round(sx * scale), round(sy * scale)))
        for sx, sy in page.evaluate(DATA_TO_SCREEN, [list(p) for p in points])
    ]


def test_twenty_clicked_points_open_elsewhere_download_train_remove_and_upload(
    page, streamlit_url, browser, tmp_path: Path
):
    """One drawing (20 clicks, each a rerun: the slow part), then every step a user takes
    with it, each checked as it happens (they were four tests that each drew the same 20
    points): the link carries them, a new browser opens them, the CSV downloads, they train
    and the boundary separates them, remove mode removes the nearest one, and the CSV
    uploads back to the points drawn."""
    start_drawing(page, streamlit_url)
    draw_two_classes(page)
    drawn = the_link_carries_the_clicked_points(page)
    the_link_opens_them_in_a_new_browser(page, browser)
    saved = download_the_csv(page, tmp_path)
    they_train_and_the_boundary_separates_them(page)
    remove_mode_removes_the_nearest_point(page)
    clear_and_upload_gives_the_points_drawn(page, saved, drawn)
    assert not page.errors


def the_link_carries_the_clicked_points(page):
    own = link_points(page)
    assert own is not None and len(own.dataset) == 20
    # Where they were clicked (one pixel is ~0.03 of the map's units here).
    for point in LEFT + RIGHT:
        assert np.min(np.hypot(*(own.dataset.X - point).T)) < 0.1, point
    assert sorted(own.dataset.y.tolist()) == [0] * 10 + [1] * 10
    assert own.is_train.sum() == 10  # the train ratio (50 %) of the points drawn
    return own


def the_link_opens_them_in_a_new_browser(page, browser) -> None:
    link = page.url
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        other = context.new_page()
        other.errors = []
        other.on("pageerror", lambda error: other.errors.append(str(error)))
        other.goto(link)
        # Timeout: a new session loads the page and its Plotly.js (a few s on a busy box).
        other.get_by_text("20 points (10 test)", exact=False).wait_for(timeout=60_000)
        assert "does not contain" not in other.locator("body").inner_text()
        assert link_points(other).dataset.X.tolist() == link_points(page).dataset.X.tolist()
        assert not other.errors
    finally:
        context.close()


def download_the_csv(page, tmp_path: Path) -> Path:
    page.locator(".st-key-own_file_menu button").first.click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download this data set (CSV)").click()
    saved = tmp_path / "drawn.csv"
    info.value.save_as(saved)
    page.keyboard.press("Escape")
    return saved


def they_train_and_the_boundary_separates_them(page) -> None:
    press_play(page)
    deadline = time.monotonic() + 40  # a linear boundary: ~1-2 s of training here
    while time.monotonic() < deadline and accuracy(page, "train") < 90:
        time.sleep(0.5)
    assert accuracy(page, "train") >= 90, page.locator(METRICS).first.inner_text()
    # Pause, clicked again if a click was lost to a frame's rerun in flight. Timeout: one rerun.
    pause = page.get_by_role("button", name="Pause", exact=True)
    click_until(pause, page.get_by_role("button", name="Play", exact=True), tries=2)
    stopped = page.locator(METRICS).first.get_attribute("data-epoch")
    # The last frame painted: the counter has not moved for a second (a frame already on
    # its way when Pause was clicked would still change it).
    time.sleep(1.0)
    assert page.locator(METRICS).first.get_attribute("data-epoch") == stopped
    # Between the points of each cluster (no point drawn there), the map is the cluster's
    # colour: orange-ish (red > blue) on the left, blue-ish on the right.
    left, right = output_rgb(page, [(-4.0, -2.25), (3.0, -2.25)])
    assert left[0] > left[2] + 30 and right[2] > right[0] + 30, (left, right)


def remove_mode_removes_the_nearest_point(page) -> None:
    pick(page, "draw_mode", 1)  # "removes"
    click_points(page, [(LEFT[0][0] + 0.1, LEFT[0][1] - 0.1)])
    own = link_points(page)
    assert len(own.dataset) == 19
    assert not np.any(np.all(np.isclose(own.dataset.X, LEFT[0], atol=0.01), axis=1))


def clear_and_upload_gives_the_points_drawn(page, saved: Path, drawn) -> None:
    page.get_by_role("button", name="Clear").click()
    # Timeout: a full rerun.
    page.locator(METRICS).get_by_text("no training points yet").wait_for(timeout=15_000)
    page.locator(".st-key-own_file_menu button").first.click()
    page.locator(".st-key-own_upload input[type=file]").set_input_files(str(saved))
    # Timeout: the upload, then a full rerun with the file's points.
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('points')?.length > 20", timeout=20_000
    )
    back = link_points(page)
    assert np.array_equal(back.dataset.X, drawn.dataset.X)
    assert np.array_equal(back.dataset.y, drawn.dataset.y)
    assert np.array_equal(back.is_train, drawn.is_train)


def test_own_data_controls_fit_the_one_screen_layout(page, streamlit_url):
    """At 1280×720 with your own data: Play, the data set, the output map and the loss chart on
    screen (as for a generated set), and the drawing controls too."""
    from playground.drawing import link_value
    from tests.browser.test_playground_layout import BOXES, inside, open_at

    points = np.array(LEFT + RIGHT)
    dataset = engine.Dataset.from_arrays(points, np.repeat([0, 1], 10))
    query = f"?dataset=custom&points={link_value(*engine.train_test_split(dataset, 0.5, 1))}"
    open_at(page, streamlit_url, 1280, 720, query)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "own-data-1280x720.png"))
    boxes = page.evaluate(BOXES)
    assert boxes["scrollY"] == 0
    for name in ("play", "dataset", "output", "loss"):
        assert inside(boxes[name], 1280, 720), (name, boxes[name])
    for widget in ("own_clear", "own_file_menu", "draw_mode", "draw_class"):
        box = page.locator(f".st-key-{widget}").bounding_box()
        assert box and box["y"] + box["height"] <= 720, (widget, box)
    assert not page.errors
