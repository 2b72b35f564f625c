"""The live view's pictures (neuron maps, output map) while playing: drawn into canvases, never
as a new image URL per frame (Blink keeps every image URL a document loaded: the tab grew by
megabytes a minute, issue 10), still moving with training, and looking like the <image> they
replace (same place, size and smoothing)."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image
from test_live_plotly import DOWNLOAD_PNG
from test_playground_browser import ARTIFACTS, GRAPH, METRICS, open_playground, press_play

from playground.palette import DEFAULT_COLORS, hex_to_rgb

pytestmark = pytest.mark.browser

# Collects, from now on, the image URLs the graph's <image> elements get that none of them
# had before (a new href on one, or a new <image>; Plotly also moves its <image>s when it sorts
# them, which loads nothing new). Read with NEW_URLS.
WATCH_IMAGE_URLS = f"""() => {{
    const gd = document.querySelector('{GRAPH}');
    // Plotly and the old live view set xlink:href (namespaced: an attributeFilter would not
    // see it), the SVG 2 spelling is a plain href.
    const url = (el) => el.getAttributeNS('http://www.w3.org/1999/xlink', 'href')
        || el.getAttribute('href') || '';
    const known = new Set([...gd.querySelectorAll('image')].map(url));
    window.__npImageUrls = new Set();
    const note = (el) => {{
        if (!known.has(url(el))) window.__npImageUrls.add(url(el));
    }};
    const observer = new MutationObserver((records) => {{
        for (const r of records) {{
            if (r.type === 'attributes' && r.attributeName === 'href'
                && r.target.tagName === 'image') note(r.target);
            for (const node of r.addedNodes || []) {{
                if (node.tagName === 'image') note(node);
                else if (node.querySelectorAll) node.querySelectorAll('image').forEach(note);
            }}
        }}
    }});
    observer.observe(gd, {{subtree: true, childList: true, attributes: true}});
}}"""
NEW_URLS = "[...window.__npImageUrls].map((u) => u.slice(0, 40) + '…' + u.length)"

# Layout image k's box on the page (CSS pixels): its canvas's <foreignObject>, else (a
# picture drawn as an <image>) the <image>.
PICTURE_BOX = f"""(k) => {{
    const gd = document.querySelector('{GRAPH}');
    const fo = gd.querySelector(`.np-live-plotly-picture[data-index="${{k}}"]`)
        || [...gd.querySelectorAll('image')].find((el) => el.__data__?._index === k);
    if (!fo) return null;
    const r = fo.getBoundingClientRect();
    return {{x: r.left, y: r.top, width: r.width, height: r.height}};
}}"""
NEURON = 3  # inputs x1, x2 are 0 and 1: 3 is a hidden neuron (its map moves while training)


def picture(page, box) -> np.ndarray:
    png = page.screenshot(clip=box)
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def play_then_pause(page, streamlit_url: str, query: str, epochs: int) -> None:
    """Open the Playground at ``query``, play until ``epochs``, pause, and let the last frame
    paint."""
    open_playground(page, streamlit_url, query)
    press_play(page)
    # Timeout: 30 epochs take a few seconds at ≥ 5 frames/s on a busy machine.
    page.wait_for_function(f"+document.querySelector('{METRICS}')?.dataset.epoch >= {epochs}",
                           timeout=30_000)  # fmt: skip
    page.get_by_role("button", name="Pause", exact=True).click()
    # Timeout: the click reruns the script (well under 1 s); 15 s margin for a loaded machine.
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=15_000)
    time.sleep(1)  # the last frame painted


def test_playing_loads_no_image_url_per_frame_and_the_pictures_still_move(page, streamlit_url):
    open_playground(page, streamlit_url, "?dataset=spiral&hidden=8,8,8")
    press_play(page)
    # Timeout: a few frames at ≥ 5 frames/s on a busy machine.
    page.wait_for_function(f"+document.querySelector('{METRICS}')?.dataset.epoch >= 3",
                           timeout=20_000)  # fmt: skip
    page.evaluate(WATCH_IMAGE_URLS)
    painted_before = int(page.get_attribute(GRAPH, "data-painted-frames"))
    box = page.evaluate(PICTURE_BOX, NEURON)
    assert box and box["width"] > 10, box
    first = picture(page, box)
    changed = 0
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        time.sleep(0.5)
        changed = max(
            changed, int(np.count_nonzero(np.abs(picture(page, box) - first).sum(axis=2) > 30))
        )
    painted = int(page.get_attribute(GRAPH, "data-painted-frames")) - painted_before
    urls = page.evaluate(NEW_URLS)
    assert painted >= 10, f"only {painted} frames painted in 5 s"
    # Before canvases: 27 pictures × every frame got a new data URL here.
    assert urls == [], f"{len(urls)} image URLs loaded in {painted} frames: {sorted(set(urls))[:5]}"
    # The neuron's map moved with training (a 1-pixel-wide outline alone would be ~100).
    assert changed > 100, f"only {changed} pixels of neuron {NEURON}'s map changed in 5 s"
    assert not page.errors


# Shows, for slot k, the canvas's pixels as the <image> Plotly placed (a data URL) instead of
# the canvas, or back; resolves once the image decoded.
SHOW_AS_IMAGE = f"""async ([k, asImage]) => {{
    const gd = document.querySelector('{GRAPH}');
    const fo = gd.querySelector(`.np-live-plotly-picture[data-index="${{k}}"]`);
    const el = fo.previousSibling;
    if (asImage) {{
        const url = fo.firstChild.toDataURL();
        el.setAttribute('href', url);
        const probe = new Image(); probe.src = url; await probe.decode();
        fo.style.visibility = 'hidden';
    }} else {{
        fo.style.visibility = '';
    }}
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
}}"""


def test_a_canvas_picture_of_four_classes_looks_like_the_image_it_replaces(page, streamlit_url):
    play_then_pause(page, streamlit_url, "?dataset=blobs&classes=4", epochs=30)
    a_canvas_picture_looks_like_the_image_it_replaces(page)


def test_the_circle_canvases_look_like_images_download_as_on_screen_and_survive_a_resize(
    page, streamlit_url
):
    """One paused circle 30 epochs in, three checks (they were three tests that each opened
    and played the same circle): each canvas picture looks like the <image> it replaces, the
    downloaded PNG shows the pictures as on screen, and a resize that changes nothing keeps
    them."""
    play_then_pause(page, streamlit_url, "?dataset=circle", epochs=30)
    a_canvas_picture_looks_like_the_image_it_replaces(page)
    the_downloaded_png_shows_the_pictures_as_on_screen(page)
    a_resize_that_changes_nothing_keeps_the_pictures(page)


def a_canvas_picture_looks_like_the_image_it_replaces(page) -> None:
    output = page.evaluate(f"document.querySelector('{GRAPH}').layout.images.length - 2")
    for k in (NEURON, output):
        box = page.evaluate(PICTURE_BOX, k)
        canvas = picture(page, box)
        page.evaluate(SHOW_AS_IMAGE, [k, True])
        image = picture(page, box)
        page.evaluate(SHOW_AS_IMAGE, [k, False])
        ARTIFACTS.mkdir(exist_ok=True)  # to look at
        Image.fromarray(np.concatenate([canvas, image], axis=1).astype(np.uint8)).save(
            ARTIFACTS / f"canvas_vs_image_{k}.png"
        )
        differ = np.abs(canvas - image).sum(axis=2)
        # Same place, size and smoothing: at most a few edge pixels differ visibly.
        assert np.count_nonzero(differ > 30) <= 0.01 * differ.size, (
            k,
            np.count_nonzero(differ > 30),
        )
        # Measured: a mean of 1-3.5 (of 765), from the two scalers' rounding.
        assert differ.mean() < 6, (k, differ.mean())
        # And the picture is not blank (a stripe of one colour would match a blank image too).
        assert np.ptp(canvas.reshape(-1, 3), axis=0).max() > 40
    assert not page.errors


# Where layout images sit in the figure (CSS pixels from the figure's top left corner, i.e. its
# main <svg>), the figure's size, and the page background the figure is drawn on.
PICTURE_PLACES = f"""(slots) => {{
    const gd = document.querySelector('{GRAPH}');
    const svg = gd.querySelector('.main-svg').getBoundingClientRect();
    const places = {{}};
    for (const k of slots) {{
        const fo = gd.querySelector(`.np-live-plotly-picture[data-index="${{k}}"]`);
        const r = fo.getBoundingClientRect();
        places[k] = {{x: r.left - svg.left, y: r.top - svg.top, width: r.width, height: r.height,
                     page: {{x: r.left, y: r.top, width: r.width, height: r.height}}}};
    }}
    // The caption line above the graph: the view's PNG has it on top (issue 15).
    const caption = document.querySelector('.np-live-plotly-caption').getBoundingClientRect();
    return {{places, width: gd._fullLayout.width, height: gd._fullLayout.height,
             caption: svg.top - caption.top}};
}}"""
ORANGE, BLUE = (np.array(hex_to_rgb(c)) for c in (DEFAULT_COLORS.palette.negative,
                                                   DEFAULT_COLORS.palette.positive))  # fmt: skip


def near(pixels: np.ndarray, color: np.ndarray) -> float:
    """Share of ``pixels`` within 60 (of 441) of ``color`` (RGB distance)."""
    return float(np.mean(np.linalg.norm(pixels - color, axis=-1) < 60))


def coloured(pixels: np.ndarray) -> float:
    """Share of ``pixels`` that differ from white: a blank picture shows the page's white (only
    a neuron's outline, or the data points over the output map, differ from it)."""
    return float(np.mean(np.abs(pixels - 255).sum(axis=-1) > 30))


def the_downloaded_png_shows_the_pictures_as_on_screen(page) -> None:
    output = page.evaluate(f"document.querySelector('{GRAPH}').layout.images.length - 2")
    figure = page.evaluate(PICTURE_PLACES, [NEURON, output])
    on_screen = {k: picture(page, figure["places"][str(k)]["page"]) for k in (NEURON, output)}
    page.mouse.move(0, 0)  # nothing hovered: the on-screen pictures are the figure's own
    sources = f"document.querySelector('{GRAPH}').layout.images.map((image) => image.source)"
    live_sources = page.evaluate(sources)
    page.evaluate(WATCH_IMAGE_URLS)

    # Timeout: Plotly renders the PNG in ~1 s here; 20 s for a loaded machine.
    with page.expect_download(timeout=20_000) as download:
        page.locator(GRAPH).get_by_role("button", name=DOWNLOAD_PNG).click()
    path = download.value.path()
    # The data set and the epoch the caption shows (issue 15).
    epoch = page.locator(METRICS).first.get_attribute("data-epoch")
    assert download.value.suggested_filename == f"neuroplay-circle-epoch-{epoch}.png"
    # The pictures' data URLs went into a copy of the figure only: not into the live graph.
    assert page.evaluate(NEW_URLS) == []
    assert page.evaluate(sources) == live_sources
    png = Image.open(path)
    ARTIFACTS.mkdir(exist_ok=True)  # to look at
    png.save(ARTIFACTS / "downloaded_png.png")
    scale = png.size[0] / figure["width"]
    # The page's white behind the figure (was transparent, as Plotly's own PNG).
    white = Image.new("RGBA", png.size, "white")
    flat = Image.alpha_composite(white, png.convert("RGBA")).convert("RGB")

    def crop(place: dict, size: tuple[int, int] | None = None) -> np.ndarray:
        """The PNG's pixels of a picture, box-averaged back to ``size`` (screen pixels)."""
        box = [round(scale * place["x"]), round(scale * (place["y"] + figure["caption"]))]
        box += [box[0] + round(scale * place["width"]), box[1] + round(scale * place["height"])]
        region = flat.crop(box)
        return np.asarray(region.resize(size, Image.Resampling.BOX) if size else region, np.int16)

    for k in (NEURON, output):
        shown = on_screen[k]
        region = crop(figure["places"][str(k)], (shown.shape[1], shown.shape[0]))
        Image.fromarray(np.concatenate([shown, region], axis=1).astype(np.uint8)).save(
            ARTIFACTS / f"downloaded_vs_screen_{k}.png"
        )
        assert coloured(region) > 0.8, (k, coloured(region))
        # As on screen, inside the outline (screenshot and crop may round the edges apart).
        differ = np.abs(region - shown)[2:-2, 2:-2].sum(axis=2)
        assert differ.mean() < 15, (k, differ.mean())
    # The output map of the circle, 30 epochs in: orange outside, blue inside (measured: 65%
    # and 9% of the square; the data points alone, on a blank map, cover a few %).
    square = crop(figure["places"][str(output)])
    orange, blue = near(square, ORANGE), near(square, BLUE)
    assert orange > 0.3 and blue > 0.06, (orange, blue)
    # Slide resolution: the view's on-screen size (caption line and figure; fractional CSS
    # pixels) × 2.
    expected = (2 * figure["width"], 2 * (figure["caption"] + figure["height"]))
    assert np.abs(np.subtract(png.size, expected)).max() < 1, (png.size, expected)
    assert not page.errors


CANVASES = f"document.querySelectorAll('{GRAPH} .np-live-plotly-picture').length"


def a_resize_that_changes_nothing_keeps_the_pictures(page) -> None:
    # Plotly.Plots.resize at the same size (the page's ResizeObserver calls it, e.g. when Pause
    # becomes Play) recomputes Plotly's layout objects without redrawing the <image>s: their
    # data are the older objects then. The canvases must stay (nothing paints while paused).
    page.evaluate(f"Plotly.Plots.resize(document.querySelector('{GRAPH}'))")  # ← the resize
    time.sleep(0.5)  # and its redraw, if any
    canvases = page.evaluate(CANVASES)
    # 2 features, 6 hidden neurons, the output map (before the fix: none)
    assert canvases == 9, canvases
    shown = picture(page, page.evaluate(PICTURE_BOX, NEURON))
    assert coloured(shown) > 0.8, coloured(shown)  # and not blank
    assert not page.errors
