"""Standalone demo of ui.live_plotly with synthetic data shaped like the playground view.

Run from the repository root:

    .venv/bin/streamlit run bench/live_demo_app.py

Left: a network diagram whose neurons are 40x40 maps drawn as layout.images. Right: the 100x100
output decision map with 500 data points on top, and a loss chart (train/test) whose history grows
every frame. Press Play to stream frames from a fragment that reruns every 50 ms.

Elements a browser test can read:
  * ``.np-live-plotly-graph[data-painted-frames]``: frames Plotly has drawn in this page;
  * the "Epoch N" annotation in the graph: the server frame N that was drawn last;
  * ``graph.layout.meta``: ``{"server_frame": N, "component_cpu_ms": x}``, x being the mean
    server CPU time (this thread) the component's Python part took over the last 100 frames.

``?points=svg`` draws the data points as a Plotly scatter trace instead of one PNG image.
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import numpy as np
import streamlit as st

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from playground.palette import DEFAULT_COLORS  # noqa: E402
from playground.points import points_layout_image  # noqa: E402
from ui.live_plotly import encode_array, live_plotly  # noqa: E402

MAP_SIZE = 40  # neuron maps are MAP_SIZE x MAP_SIZE
OUT_SIZE = 100  # output decision map
N_POINTS = 500
DOMAIN = 6.0  # inputs live in [-DOMAIN, DOMAIN]^2
ORANGE = DEFAULT_COLORS.palette.negative
BLUE = DEFAULT_COLORS.palette.positive
HEATMAP_COLORSCALE = DEFAULT_COLORS.colorscale
LAYER_SIZES = {"wide": (4, 4), "narrow": (3, 2)}  # hidden layers per structure


def set_playing(value: bool) -> None:
    st.session_state.playing = value


def set_structure(value: str) -> None:
    st.session_state.structure = value


@functools.lru_cache(maxsize=1)
def _points() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    xy = rng.uniform(-DOMAIN + 0.5, DOMAIN - 0.5, size=(N_POINTS, 2))
    label = (np.hypot(xy[:, 0], xy[:, 1]) < 3.5).astype(np.int8)
    return xy[:, 0], xy[:, 1], label


def _neuron_positions(structure: str) -> list[tuple[float, float]]:
    """Top-left corners (x, y) of the neuron maps in the diagram's data coordinates."""
    positions = []
    for layer, count in enumerate(LAYER_SIZES[structure]):
        for k in range(count):
            positions.append((0.3 + 1.6 * layer, 4.6 - 1.15 * k))
    return positions


@functools.lru_cache(maxsize=8)
def build_figure(structure: str, points: str = "image") -> dict:
    """The figure's structure (pure function of its arguments; never mutated).

    ``points="image"`` draws the 500 data points as one pre-rendered PNG (fast: about 17 frames/s
    here), ``points="svg"`` as a Plotly scatter trace of 500 SVG markers, which Plotly restyles on
    every frame (about 25 ms more per frame: about 11 frames/s). Choose with ``?points=svg``.
    """
    px, py, label = _points()
    positions = _neuron_positions(structure)
    axis = np.linspace(-DOMAIN, DOMAIN, OUT_SIZE)
    size = 0.9
    centres_x = [x + size / 2 for x, _ in positions]
    centres_y = [y - size / 2 for _, y in positions]
    hidden = {"visible": False, "fixedrange": True}
    # Invisible markers over the neuron maps for hover; the narrow structure has none, so switching
    # structure also changes the trace count.
    neuron_traces = (
        [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "neurons",
                "x": centres_x,
                "y": centres_y,
                "marker": {"size": 40, "opacity": 0, "symbol": "square"},
                "text": [f"neuron {k}" for k in range(len(positions))],
                "hovertemplate": "%{text}<extra></extra>",
                "xaxis": "x",
                "yaxis": "y",
            },
        ]
        if structure == "wide"
        else []
    )
    if points == "image":
        point_traces = []
    else:
        point_traces = [
            {
                "type": "scatter",
                "mode": "markers",
                "name": "data",
                "x": px,
                "y": py,
                "marker": {
                    "size": 5,
                    "color": [BLUE if v else ORANGE for v in label],
                    "line": {"color": "white", "width": 1},
                },
                "xaxis": "x2",
                "yaxis": "y2",
                "hovertemplate": "point (%{x:.2f}, %{y:.2f})<extra></extra>",
            }
        ]
    return {
        "data": [
            {
                "type": "heatmap",
                "name": "output",
                "x": axis,
                "y": axis,
                "z": np.zeros((OUT_SIZE, OUT_SIZE), dtype=np.float32),
                "zmin": -1.0,
                "zmax": 1.0,
                "colorscale": HEATMAP_COLORSCALE,
                "showscale": False,
                "xaxis": "x2",
                "yaxis": "y2",
                "hovertemplate": "x1 %{x:.2f}<br>x2 %{y:.2f}<br>output %{z:.3f}<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "train loss",
                "y": [],
                "line": {"color": "#333", "width": 1.5},
                "xaxis": "x3",
                "yaxis": "y3",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "test loss",
                "y": [],
                "line": {"color": "#999", "width": 1.5},
                "xaxis": "x3",
                "yaxis": "y3",
            },
            *neuron_traces,
            *point_traces,  # drawn last: on top of the heat map
        ],
        "layout": {
            "margin": {"l": 10, "r": 10, "t": 30, "b": 30},
            "showlegend": False,
            "hovermode": "closest",
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "font": {"size": 11},
            "xaxis": {"domain": [0.0, 0.45], "range": [0, 3.4], **hidden},
            "yaxis": {
                "domain": [0.0, 1.0],
                "range": [0, 5],
                "scaleanchor": "x",
                "constrain": "domain",
                **hidden,
            },
            "xaxis2": {
                "domain": [0.52, 1.0],
                "range": [-DOMAIN, DOMAIN],
                "anchor": "y2",
                "constrain": "domain",
            },
            "yaxis2": {
                "domain": [0.32, 1.0],
                "range": [-DOMAIN, DOMAIN],
                "anchor": "x2",
                "scaleanchor": "x2",
                "constrain": "domain",
            },
            "xaxis3": {"domain": [0.52, 1.0], "anchor": "y3", "title": {"text": "frame"}},
            "yaxis3": {"domain": [0.0, 0.2], "anchor": "x3", "rangemode": "tozero"},
            "images": [
                {
                    "source": "",
                    "xref": "x",
                    "yref": "y",
                    "x": x,
                    "y": y,
                    "sizex": size,
                    "sizey": size,
                    "sizing": "stretch",
                    "xanchor": "left",
                    "yanchor": "top",
                    "layer": "above",
                }
                for x, y in positions
            ]
            # After the neuron maps, so their indices stay 0..n-1.
            + (
                [
                    points_layout_image(
                        px,
                        py,
                        [BLUE if v else ORANGE for v in label],
                        x_range=(-DOMAIN, DOMAIN),
                        y_range=(-DOMAIN, DOMAIN),
                        xref="x2",
                        yref="y2",
                    )
                ]
                if points == "image"
                else []
            ),
            "annotations": [
                {
                    "text": "Epoch 0",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.0,
                    "y": 1.0,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 14},
                },
                {
                    "text": "loss",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.52,
                    "y": 0.21,
                    "yanchor": "bottom",
                    "showarrow": False,
                },
            ],
        },
    }


@functools.lru_cache(maxsize=2)
def _grids() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    # Row 0 of an image is its TOP row (y = +DOMAIN); heat map z row 0 is y[0] (= -DOMAIN).
    g = np.linspace(-DOMAIN, DOMAIN, MAP_SIZE, dtype=np.float32)
    mx, my = np.meshgrid(g, g[::-1])
    o = np.linspace(-DOMAIN, DOMAIN, OUT_SIZE, dtype=np.float32)
    ox, oy = np.meshgrid(o, o)
    return mx, my, ox, oy


def make_frame(step: int, structure: str) -> tuple[dict, list]:
    """Synthetic training state at ``step``: (updates, images)."""
    mx, my, ox, oy = _grids()
    t = step * 0.05
    n = len(_neuron_positions(structure))
    images = []
    for k in range(n):
        angle = k * 0.8 + t * (0.3 + 0.05 * k)
        act = np.tanh(0.6 * (np.cos(angle) * mx + np.sin(angle) * my) + np.sin(t + k))
        images.append({"index": k, "values": encode_array(((act + 1) * 127.5).astype(np.uint8))})
    radius = 3.5 + 0.8 * np.sin(t)
    output = np.tanh(radius - np.hypot(ox, oy) + 0.3 * np.sin(ox + t)).astype(np.float32)
    history = st.session_state.history
    train = 0.5 * np.exp(-step / 150) + 0.02 * np.abs(np.sin(step * 0.3)) + 0.01
    history.append((train, train * 1.15 + 0.005))
    losses = np.asarray(history, dtype=np.float32)
    updates = {
        "traces": [
            {"index": 0, "set": {"z": encode_array(output)}},
            {"index": 1, "set": {"y": encode_array(losses[:, 0])}},
            {"index": 2, "set": {"y": encode_array(losses[:, 1])}},
        ],
        "layout": {
            "annotations[0].text": f"Epoch {step}",
            "annotations[1].text": f"loss train {losses[-1, 0]:.3f} test {losses[-1, 1]:.3f}",
        },
    }
    return updates, images


def live_view() -> None:
    state = st.session_state
    if state.playing:
        state.step += 1
    structure = state.structure
    points = "svg" if st.query_params.get("points") == "svg" else "image"
    updates, images = make_frame(state.step, structure)
    cpu = state.component_cpu
    # Read by bench/live_fps.py from the graph (gd.layout.meta); Plotly does not draw it.
    updates["layout"]["meta"] = {
        "server_frame": state.step,
        "component_cpu_ms": 1000 * sum(cpu) / len(cpu) if cpu else 0.0,
    }
    # CPU time of this thread spent in the component's Python part (encoding, JSON, Streamlit).
    cpu0 = time.thread_time()
    live_plotly(
        build_figure(structure, points),
        f"demo-{structure}-{points}",
        updates,
        key="demo_live",
        height=520,
        images=images,
    )
    cpu.append(time.thread_time() - cpu0)
    del cpu[:-100]


def main() -> None:
    st.set_page_config(page_title="NeuroPlay live view demo", layout="wide")
    state = st.session_state
    state.setdefault("playing", False)
    state.setdefault("step", 0)
    state.setdefault("structure", "wide")
    state.setdefault("history", [])
    state.setdefault("component_cpu", [])
    playing = state.playing
    left, middle, _ = st.columns([1, 1, 6])
    left.button(
        "Pause" if playing else "Play",
        key="play",
        on_click=set_playing,
        args=(not playing,),
        type="primary",
    )
    # Idempotent callbacks (the target value is an argument): a click delivered twice (e.g. while
    # a fragment run is queued) must not toggle back.
    middle.button(
        "Change structure",
        key="structure_button",
        on_click=set_structure,
        args=("narrow" if state.structure == "wide" else "wide",),
    )
    st.fragment(run_every=0.05 if playing else None)(live_view)()


main()
