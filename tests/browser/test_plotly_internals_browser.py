"""The Plotly.js internals the live component's fast path relies on (ui/live_plotly/live_plotly.js
``paintFast`` and ``syncCanvases``), pinned in real Chromium with the Plotly.js the app serves.

A layout-only frame (shape colours, widths, fills and paths; a picture, drawn into a canvas
over the layout image Plotly placed) is written straight into the SVG that Plotly drew and into
``gd._fullLayout`` / ``gd.layout`` instead of going through ``Plotly.react`` (~5 ms instead of
15-30 ms a frame, docs/benchmarks.md). Each assumption that makes this work is checked on its own,
with a sentence naming it, and then the whole: two graphs get the same frames, one with the
fast path and one with it off (``window.__npLivePlotlyNoFastPath``), and must show the same
pixels, after the fast frame and after a ``Plotly.react`` frame that follows it.

No Streamlit here: the page loads Plotly.js and the component's module and calls the module's
default export the way Streamlit's components v2 does, with payloads in the wire format of
``ui.live_plotly.live_plotly`` (docs/live_view.md).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ui.live_plotly import STATIC_PLOTLY_FILES, encode_array, static_plotly_file

ROOT = Path(__file__).resolve().parents[2]
COMPONENT_JS = ROOT / "ui" / "live_plotly" / "live_plotly.js"
COMPONENT_CSS = ROOT / "ui" / "live_plotly" / "live_plotly.css"
GRAPH = ".np-live-plotly-graph"
COLORSCALE = [[0.0, "#f59322"], [0.5, "#e8eaeb"], [1.0, "#0877bd"]]

pytestmark = pytest.mark.browser


def plotly_js() -> Path:
    """The Plotly.js file the app serves (scripts/setup.sh puts it in static/)."""
    name = static_plotly_file(ROOT / "static")
    if name is None:
        pytest.skip(f"no Plotly.js in static/ ({', '.join(STATIC_PLOTLY_FILES)}): scripts/setup.sh")
    return ROOT / "static" / name


def png_source(rgb: tuple[int, int, int]) -> str:
    """A 4x4 PNG of one colour as a data URL (a layout image's ``source``)."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), rgb).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def picture(shift: int) -> dict:
    """A 12x12 uint8 map for the canvas-drawn layout image 0 (a diagonal ramp)."""
    rows, cols = np.indices((12, 12))
    return encode_array(((rows + cols + shift) * 10 % 256).astype(np.uint8))


FIGURE = {
    "data": [{"type": "scatter", "x": [1, 9], "y": [1, 9], "mode": "lines", "hoverinfo": "skip"}],
    "layout": {
        "margin": {"l": 30, "r": 10, "t": 10, "b": 30},
        "showlegend": False,
        "xaxis": {"range": [0, 10], "fixedrange": True},
        "yaxis": {"range": [0, 10], "fixedrange": True},
        "shapes": [
            {"type": "line", "x0": 1, "y0": 1, "x1": 9, "y1": 1, "xref": "x", "yref": "y",
             "line": {"color": "#ff0000", "width": 4}},
            {"type": "path", "path": "M1,3L5,8L9,3Z", "xref": "x", "yref": "y",
             "fillcolor": "#00aa00", "line": {"color": "#000000", "width": 2}},
        ],
        "images": [
            {"source": "", "xref": "x", "yref": "y", "x": 6, "y": 9.5, "sizex": 3, "sizey": 3,
             "sizing": "stretch", "layer": "above"},
            {"source": png_source((200, 0, 0)), "xref": "x", "yref": "y", "x": 1, "y": 9.5,
             "sizex": 2, "sizey": 2, "sizing": "stretch", "layer": "above"},
        ],
    },
}  # fmt: skip
# Frame 2 changes only what the fast path writes; frame 3 changes a trace (Plotly.react) and
# puts one shape back, which Plotly must then see as a change from what frame 2 left drawn.
FAST_FRAME = {
    "updates": {
        "layout": {
            "shapes[0].line.color": "#0000ff",
            "shapes[0].line.width": 8,
            "shapes[1].path": "M2,2L5,9L8,2Z",
            "shapes[1].fillcolor": "#aa00aa",
        }
    },
    "images": [{"index": 0, "values": picture(5)}],
}
REACT_FRAME = {
    "updates": {
        "traces": [{"index": 0, "set": {"y": [9, 1]}}],
        "layout": {"shapes[0].line.color": "#ff0000", "shapes[0].line.width": 4},
    },
    "images": [{"index": 0, "values": picture(9)}],
}

HARNESS = """
<!DOCTYPE html><html><head><style>
  body { margin: 0; background: #fff; }
  .mount { width: 420px; height: 300px; margin: 8px; }
</style></head><body><div class="mount" id="fast"></div><div class="mount" id="slow"></div>
</body></html>
"""

# Calls the component as Streamlit's components v2 does: the newest data, the element to draw
# in, and the setters (nothing to report back here).
SEND = """([id, data]) => window.__livePlotly({
    data, parentElement: document.getElementById(id),
    setTriggerValue: () => {}, setStateValue: () => {},
})"""
PAINTED = f"(id) => +(document.querySelector(`#${{id}} {GRAPH}`)?.dataset.paintedFrames || 0)"

# What paintFast and syncCanvases read from a graph Plotly drew: a list of broken assumptions.
CHECK_INTERNALS = """(id) => {
  const gd = document.querySelector(`#${id} .np-live-plotly-graph`);
  const broken = [];
  const full = gd._fullLayout;
  if (!full || !Array.isArray(full.images) || !Array.isArray(full.shapes)) {
    return ["gd._fullLayout.images / .shapes are no longer the arrays of the drawn layout"];
  }
  if (full.images.length !== gd.layout.images.length
      || full.shapes.length !== gd.layout.shapes.length) {
    broken.push("gd._fullLayout.images / .shapes no longer hold one entry per layout entry");
  }
  const images = [...gd.querySelectorAll("image")];
  const bound = images.filter((el) => el.__data__ && Number.isInteger(el.__data__._index));
  if (bound.length !== full.images.length) {
    broken.push("a layout image's <image> no longer carries its d3 datum with an integer _index");
  }
  for (const el of bound) {
    const entry = full.images[el.__data__._index];
    if (!entry || entry.x !== el.__data__.x || entry.source !== el.__data__.source) {
      broken.push("an <image>'s datum _index no longer names the gd._fullLayout.images entry");
    }
  }
  const shapes = full.shapes.map((_, k) => gd.querySelector(`.shapelayer path[data-index="${k}"]`));
  if (shapes.some((el) => !el)) {
    broken.push("a shape is no longer drawn as a .shapelayer path with data-index = its index");
  }
  const xa = full.xaxis, ya = full.yaxis;
  if (!xa || typeof xa._offset !== "number" || typeof xa.r2p !== "function"
      || typeof xa.d2r !== "function") {
    broken.push("an axis of gd._fullLayout no longer has _offset, r2p and d2r");
  } else if (shapes[1]) {
    // Plotly's own drawing of shapes[1].path (M x,y L x,y ... Z) against paintFast's formula.
    const numbers = (text) => (text.match(/-?[\\d.]+(?:e[-+]?\\d+)?/gi) || []).map(Number);
    const drawn = numbers(shapes[1].getAttribute("d"));
    const values = numbers(full.shapes[1].path);
    const ours = values.map((v, i) =>
      i % 2 === 0 ? xa._offset + xa.r2p(xa.d2r(v)) : ya._offset + ya.r2p(ya.d2r(v)));
    if (drawn.length !== ours.length || drawn.some((v, i) => Math.abs(v - ours[i]) > 0.05)) {
      broken.push("a path shape's pixels are no longer axis._offset + r2p(d2r(value)): "
                  + `Plotly drew ${drawn}, the formula gives ${ours}`);
    }
  }
  return broken;
}"""
# Frames of graph ``key`` painted by the fast path so far.
FAST_FRAMES = "(key) => window.__npLivePlotly.stats[key]?.fast ?? -1"


def frame(key: str, number: int, body: dict, figure: bool = False) -> dict:
    """The wire data of one call of ``live_plotly`` for graph ``key``."""
    data = {
        "key": key,
        "version": "v1",
        "height": 300,
        "updates": body.get("updates", {}),
        "images": body.get("images", []),
        "colorscale": COLORSCALE,
        "hover_zoom": None,
        "frame_id": str(number),
    }
    if figure:
        data["figure"] = FIGURE
    return data


def send(page, key: str, data: dict, no_fast_path: bool = False) -> None:
    painted = page.evaluate(PAINTED, key)
    page.evaluate(f"window.__npLivePlotlyNoFastPath = {str(no_fast_path).lower()}")
    page.evaluate(SEND, [key, data])
    # Timeout: a frame paints within one animation frame (Plotly.react: ~50 ms); 10 s margin.
    page.wait_for_function(f"({PAINTED})('{key}') > {painted}", timeout=10_000)
    page.evaluate("window.__npLivePlotlyNoFastPath = false")


def pixels(page, key: str) -> np.ndarray:
    png = page.locator(f"#{key} {GRAPH}").screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


# Where the trace's line crosses a shape's edge, the two drawings' antialiasing differs by up to
# ~35 of 255 in ~25 pixels (measured); a value the fast path failed to write differs by ~255 in
# hundreds or thousands.
TOLERANCE = 48  # of 255, in the channel that differs most
SAME = 50  # pixels beyond TOLERANCE that still count as the same picture


def differing(a: np.ndarray, b: np.ndarray) -> int:
    """Pixels whose colour differs by more than ``TOLERANCE`` in some channel."""
    assert a.shape == b.shape
    return int(np.count_nonzero(np.abs(a - b).max(axis=2) > TOLERANCE))


@pytest.fixture
def harness(page):
    page.set_content(HARNESS)
    page.add_style_tag(path=str(COMPONENT_CSS))
    page.add_script_tag(path=str(plotly_js()))
    source = COMPONENT_JS.read_text(encoding="utf-8")
    page.add_script_tag(content=source + "\nwindow.__livePlotly = livePlotly;\n", type="module")
    # Timeout: the module runs at once after it is added.
    page.wait_for_function("typeof window.__livePlotly === 'function'", timeout=10_000)
    for key in ("fast", "slow"):
        send(page, key, frame(key, 1, {"images": [{"index": 0, "values": picture(0)}]}, True))
    return page


def test_a_drawn_graph_has_the_fields_the_fast_path_writes(harness):
    broken = harness.evaluate(CHECK_INTERNALS, "fast")
    assert broken == [], (
        "Plotly.js no longer draws the way ui/live_plotly/live_plotly.js paintFast and "
        "syncCanvases assume: " + "; ".join(broken)
    )


def test_a_fast_frame_paints_what_plotly_would_and_plotly_carries_on_from_it(harness):
    page = harness
    before = pixels(page, "fast")
    fast_before = page.evaluate(FAST_FRAMES, "fast")
    send(page, "fast", frame("fast", 2, FAST_FRAME))
    send(page, "slow", frame("slow", 2, FAST_FRAME), no_fast_path=True)
    assert page.evaluate(FAST_FRAMES, "fast") == fast_before + 1, "a layout-only frame took react"
    fast, slow = pixels(page, "fast"), pixels(page, "slow")
    assert differing(before, slow) > 500, "the frame should change the picture visibly"
    assert differing(fast, slow) < SAME, (
        "The fast path and Plotly.react no longer paint the same picture for the same frame: "
        f"{differing(fast, slow)} pixels differ (live_plotly.js paintFast, or the pictures' "
        "canvases placed by syncCanvases after a Plotly.react)."
    )
    assert page.evaluate(CHECK_INTERNALS, "fast") == []

    # A frame that needs Plotly.react (trace data) after the fast one: Plotly must diff against
    # what the fast path wrote into gd.layout, or it would leave the fast path's values drawn.
    send(page, "fast", frame("fast", 3, REACT_FRAME))
    send(page, "slow", frame("slow", 3, REACT_FRAME), no_fast_path=True)
    assert page.evaluate(FAST_FRAMES, "fast") == fast_before + 1  # frame 3: Plotly.react
    after_fast, after_slow = pixels(page, "fast"), pixels(page, "slow")
    assert differing(fast, after_slow) > 500
    assert differing(after_fast, after_slow) < SAME, (
        "After a fast-path frame, Plotly.react no longer draws the next frame as it would have "
        f"without it: {differing(after_fast, after_slow)} pixels differ (paintFast's writes to "
        "gd.layout and gd._fullLayout)."
    )
    assert page.errors == []
