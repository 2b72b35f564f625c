"""Pure figure builders of the Compare page (arrays in, Plotly dicts out; no ``st.``, no Plotly).

* ``lane_map_figure``: one lane's output map, built from the Playground's own parts
  (``playground.figures.output_map`` and ``data_points_image``) on axes that fill the figure;
  ``lane_map_picture`` is its output picture, which the live component paints (as the
  Playground's output map).
* ``overlay_loss_figure``: every lane's loss curves on one chart, train solid and test dashed,
  one colour per lane (``playground.palette.LANE_COLORS``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .figures import (
    FONT_SIZE,
    TRANSPARENT,
    ViewSpec,
    class_image_rgb,
    float32_for_the_wire,
    loss_ranges,
    output_map,
    output_surface,
    output_uint8,
    thin_curves,  # the same points stay from frame to frame
)
from .palette import LANE_COLORS

# px: a map as tall as its lane is wide on a 1280×720 screen (three lanes and the chart there;
# four lanes' maps are narrower: a taller figure would only add space around them).
MAP_HEIGHTS = {2: 250, 3: 250, 4: 200}
LOSS_HEIGHT = 250


@dataclass(frozen=True)
class LaneCurves:
    """One lane's loss history, for the overlay."""

    name: str  # "A", "B", ...
    epochs: np.ndarray  # (e,)
    train_loss: np.ndarray  # (e,)
    test_loss: np.ndarray  # (e,)
    stopped: bool = False  # diverged or stopped: its curve does not set the chart's range


def lane_map_figure(
    spec: ViewSpec, points_image: dict, lanes: int = 2, hover: bool = False
) -> dict:
    """A lane's output map with the data points on it: the structure, drawn once; the output
    picture (``layout.images[0]``) is filled by ``lane_map_picture``.

    Args:
        spec: the lane's view (``playground.frames.view_spec``).
        points_image: ``playground.figures.data_points_image`` of the data (the same for
            every lane: built once by the caller).
        lanes: how many lanes share the width (the figure's height).
        hover: the invisible heat map under the picture shows x₁, x₂ and the output at the
            pointer (its values: ``lane_map_hover``), as the Playground's map does while
            paused; without, it only holds the axes.
    """
    area = output_map(spec)
    heat_map = dict(area.traces[0], showscale=False)
    if not hover:
        heat_map.update(hoverinfo="skip", hovertemplate=None)
    axes = {
        name: dict(axis, domain=[0.0, 1.0], title=None, showticklabels=False, ticks="")
        for name, axis in area.layout.items()
    }
    return {
        "data": [heat_map],
        "layout": {
            **axes,
            "images": [area.images[0], points_image],
            "height": MAP_HEIGHTS.get(lanes, min(MAP_HEIGHTS.values())),
            "margin": {"l": 2, "r": 2, "t": 2, "b": 2},
            "plot_bgcolor": TRANSPARENT,
            "paper_bgcolor": TRANSPARENT,
        },
    }


def lane_map_picture(spec: ViewSpec, output_grid: np.ndarray, discretize: bool) -> np.ndarray:
    """The output picture of ``lane_map_figure``, as the Playground draws it: (r, r) uint8 on
    the diverging scale, or (r, r, 3) RGB of the most likely class.

    Args:
        output_grid: (k, r, r) the network's output over the plane, top row first.
    """
    if spec.output_mode == "multiclass":
        return class_image_rgb(output_grid, spec.colors)
    return output_uint8(spec, output_surface(spec, output_grid, discretize))


def lane_map_hover(spec: ViewSpec, output_grid: np.ndarray, discretize: bool) -> dict:
    """The live component's ``updates`` giving a hovering ``lane_map_figure`` its values."""
    z = output_surface(spec, output_grid, discretize)
    return {"traces": [{"index": 0, "set": {"z": float32_for_the_wire(z)}}]}


def overlay_updates(figure: dict) -> dict:
    """What changes in ``overlay_loss_figure`` from one frame to the next (its curves and
    ranges), as the live component's ``updates``."""
    layout = figure["layout"]
    return {
        "traces": [
            {"index": index, "set": {"x": trace["x"], "y": trace["y"]}}
            for index, trace in enumerate(figure["data"])
        ],
        "layout": {
            "xaxis.range": layout["xaxis"]["range"],
            "yaxis.range": layout["yaxis"]["range"],
        },
    }


def overlay_loss_figure(curves: list[LaneCurves], spec: ViewSpec) -> dict:
    """Every lane's train (solid) and test (dashed) loss on one chart, a colour per lane.

    The y range follows the lanes still training when any is (``loss_ranges``): a diverged
    lane's last losses would squash the others' curves to the floor.
    """
    theme = spec.colors.theme
    traces = []
    for number, lane in enumerate(curves):
        color = LANE_COLORS[number % len(LANE_COLORS)]
        epochs, train, test = thin_curves(lane.epochs, lane.train_loss, lane.test_loss)
        for kind, values, dash in (("train", train, "solid"), ("test", test, "dash")):
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": np.asarray(epochs),
                    "y": np.asarray(values, dtype=np.float32),
                    "name": f"Lane {lane.name}",
                    "legendgroup": lane.name,
                    "showlegend": kind == "train",  # one entry per lane: its colour
                    "line": {"color": color, "dash": dash, "width": 2},
                    "hovertemplate": f"Lane {lane.name} {kind} loss %{{y:.4f}} at epoch "
                    "%{x}<extra></extra>",
                }
            )
    ranged = [lane for lane in curves if not lane.stopped] or curves
    last_epoch = max((float(lane.epochs[-1]) for lane in curves if len(lane.epochs)), default=0.0)
    x_range, y_range = loss_ranges(
        np.array([last_epoch]),
        np.concatenate([np.asarray(lane.train_loss) for lane in ranged] or [np.array([])]),
        np.concatenate([np.asarray(lane.test_loss) for lane in ranged] or [np.array([])]),
        spec.log_loss,
    )
    axis = {"gridcolor": theme.axis_line, "linecolor": theme.axis_line, "autorange": False}
    return {
        "data": traces,
        "layout": {
            "height": LOSS_HEIGHT,
            "margin": {"l": 48, "r": 8, "t": 8, "b": 36},
            "font": {"size": FONT_SIZE - 1, "color": theme.text},
            "xaxis": {**axis, "title": {"text": "epoch", "standoff": 0}, "range": x_range},
            "yaxis": {
                **axis,
                "title": {"text": "loss", "standoff": 2},
                "type": "log" if spec.log_loss else "linear",
                "range": y_range,
                "nticks": 5,
            },
            "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
            "showlegend": True,
            "plot_bgcolor": TRANSPARENT,
            "paper_bgcolor": TRANSPARENT,
        },
    }
