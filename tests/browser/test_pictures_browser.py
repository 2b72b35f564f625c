"""PNG pictures for a slide (issue 15): the whole live view (caption line and graph) and each
figure (output map, network, loss chart) from the modebar's buttons, at 2× the on-screen size,
as the screen shows them (``live_plotly``'s ``pictures``: docs/live_view.md)."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from test_live_pictures_browser import CANVASES, PICTURE_BOX
from test_playground_browser import ARTIFACTS, GRAPH, METRICS, open_playground

from tests.browser.steady import steady

pytestmark = pytest.mark.browser

# The caption line's and the graph's boxes on the page (CSS px), the caption's text colour.
VIEW = f"""() => {{
    const gd = document.querySelector('{GRAPH}');
    const caption = document.querySelector('.np-live-plotly-caption');
    const box = (el) => {{
        const r = el.getBoundingClientRect();
        return {{x: r.left, y: r.top, width: r.width, height: r.height}};
    }};
    const color = getComputedStyle(caption).color.match(/\\d+/g).slice(0, 3).map(Number);
    return {{graph: box(gd), caption: box(caption), color}};
}}"""
# A subplot's plot area on the page (CSS px), from Plotly's axes.
PLOT_AREA = f"""([x, y]) => {{
    const gd = document.querySelector('{GRAPH}');
    const r = gd.getBoundingClientRect(), xa = gd._fullLayout[x], ya = gd._fullLayout[y];
    return {{x: r.left + xa._offset, y: r.top + ya._offset, width: xa._length,
             height: ya._length}};
}}"""
AXES = (["xaxis", "yaxis"], ["xaxis2", "yaxis2"], ["xaxis3", "yaxis3"])
FIGURES = {
    "output-map": "Download the output map as a PNG",
    "network": "Download the network as a PNG",
    "loss": "Download the loss chart as a PNG",
}


def download(page, title: str) -> tuple[str, Image.Image]:
    """Click the modebar button ``title``; the file's name and picture (RGB)."""
    page.locator(GRAPH).hover()  # the modebar shows while the mouse is over the graph
    # Timeout: Plotly renders the graph in ~1 s here; 30 s for a machine at load 15+.
    with page.expect_download(timeout=30_000) as info:
        page.locator(GRAPH).get_by_role("button", name=title).click()
    picture = Image.open(info.value.path()).convert("RGB")
    page.mouse.move(0, 0)  # nothing hovered, no modebar: the screen shows the figure's own
    return info.value.suggested_filename, picture


def settled(page) -> dict:
    """The view's boxes once the page stopped moving them: the widgets' code loads after the
    graph is drawn (the layer row then grows by 28 px, moving the view down and the graph
    11 px shorter; as test_playground_browser's ``settled_box``)."""
    # Timeout: a new session's widgets: a few s when busy.
    page.get_by_label("Learning rate").first.wait_for(timeout=30_000)
    # Timeout: three equal looks 0.75 s apart; up to 30 s when busy.
    return steady(page, lambda: page.evaluate(VIEW), every_ms=750, seconds=30)


def screen(page, box: dict) -> np.ndarray:
    # Timeout: Plotly hides the modebar with a 0.3 s fade once the mouse left.
    page.wait_for_timeout(400)
    return np.asarray(Image.open(io.BytesIO(page.screenshot(clip=box))).convert("RGB"), np.int16)


def like_the_screen(picture: Image.Image, shown: np.ndarray, name: str) -> float:
    """Mean difference (of 765) between the picture, box-averaged to the screenshot's size, and
    the screenshot."""
    small = np.asarray(picture.resize((shown.shape[1], shown.shape[0]), Image.Resampling.BOX))
    ARTIFACTS.mkdir(exist_ok=True)  # to look at
    Image.fromarray(np.concatenate([shown, small], axis=1).astype(np.uint8)).save(
        ARTIFACTS / f"picture_vs_screen_{name}.png"
    )
    return float(np.abs(small.astype(np.int16) - shown).sum(axis=2).mean())


def assert_twice(picture: Image.Image, box: dict) -> None:
    """Slide resolution: the on-screen size (fractional CSS px) × 2, to a pixel."""
    expected = (2 * box["width"], 2 * box["height"])
    assert np.abs(np.subtract(picture.size, expected)).max() <= 1, (picture.size, expected)


def not_blank(picture: Image.Image) -> float:
    """Share of pixels that differ from the picture's most common colour (its background)."""
    pixels = np.asarray(picture).reshape(-1, 3).astype(np.int16)
    colors, counts = np.unique(pixels, axis=0, return_counts=True)
    background = colors[np.argmax(counts)]
    return float(np.mean(np.abs(pixels - background).sum(axis=1) > 30))


def inside(part: dict, box: dict) -> bool:
    return (
        part["x"] >= box["x"] - 0.5
        and part["y"] >= box["y"] - 0.5
        and part["x"] + part["width"] <= box["x"] + box["width"] + 0.5
        and part["y"] + part["height"] <= box["y"] + box["height"] + 0.5
    )


def test_the_view_and_each_figure_download_as_on_screen_at_twice_the_size(page, streamlit_url):
    open_playground(page, streamlit_url, "?dataset=circle")
    # Timeout: the first frame's pictures are painted with the graph (~1 s here).
    page.wait_for_function(f"{CANVASES} > 0", timeout=20_000)
    page.wait_for_timeout(500)  # Timeout: the first frame settles (a second paint may follow)
    epoch = page.locator(METRICS).first.get_attribute("data-epoch")
    view = settled(page)
    graph, caption = view["graph"], view["caption"]

    # The whole view: the caption line on top of the graph.
    name, picture = download(page, "Download plot as a PNG")
    assert name == f"neuroplay-circle-epoch-{epoch}.png"
    whole = {**graph, "y": caption["y"], "height": graph["y"] + graph["height"] - caption["y"]}
    assert caption["height"] >= 20 and caption["y"] + caption["height"] <= graph["y"] + 1
    assert_twice(picture, whole)
    assert not_blank(picture) > 0.2
    # Measured: 3-7 (the caption's text drawn by a canvas and by the page differ at its edges).
    assert like_the_screen(picture, screen(page, whole), "view") < 12
    # The caption line's text is in the picture, in the caption's colour (a blank line has
    # none: the page's white only).
    line = np.asarray(picture, np.int16)[: round(2 * caption["height"])]
    text = np.linalg.norm(line - np.array(view["color"]), axis=-1) < 60
    assert text.sum() > 500, text.sum()

    output = page.evaluate(f"document.querySelector('{GRAPH}').layout.images.length - 2")
    neurons = page.evaluate(f"document.querySelector('{GRAPH}').layout.images.length - 3")
    parts = {
        "output-map": [page.evaluate(PICTURE_BOX, output), page.evaluate(PLOT_AREA, AXES[0])],
        "network": [page.evaluate(PICTURE_BOX, k) for k in range(neurons)],
        "loss": [page.evaluate(PLOT_AREA, AXES[2])],
    }
    for figure, title in FIGURES.items():
        name, picture = download(page, title)
        assert name == f"neuroplay-circle-epoch-{epoch}-{figure}.png"
        box = json.loads(page.get_attribute(GRAPH, "data-picture-box"))
        graph = page.evaluate(VIEW)["graph"]  # (where the box is measured from)
        assert box["id"] == figure
        box = {"x": graph["x"] + box["left"], "y": graph["y"] + box["top"],
               "width": box["width"], "height": box["height"]}  # fmt: skip
        # The figure's parts are in its picture (and it is not the whole graph).
        assert all(inside(part, box) for part in parts[figure]), (figure, box, parts[figure])
        assert box["width"] * box["height"] < 0.6 * graph["width"] * graph["height"]
        assert_twice(picture, box)
        # Measured: 3 % (the loss chart at epoch 0: axes and labels) to 60 %; blank: 0.
        assert not_blank(picture) > 0.01, (figure, not_blank(picture))
        # Measured: under 2 (the same pixels, Plotly's rendering at 2× box-averaged back).
        assert like_the_screen(picture, screen(page, box), figure) < 12, figure
    assert not page.errors
