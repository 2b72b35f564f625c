"""Pure figure builders for the playground view (arrays in, Plotly dicts out; no ``st.``).

The live view is one Plotly figure with three areas:

* the network diagram (axes x2/y2): every input and hidden neuron is a small heat map
  (``layout.images``), links are line shapes coloured and thickened by their weight,
  biases are small squares; invisible markers carry the hover text;
* the output (axes x/y): a 100×100 heat map of the network's output over [-6, 6]², the
  data points drawn once as a picture on top;
* the loss curves (axes x3/y3): train and test loss per epoch.

``playground_figure`` builds the structure once; ``frame_updates`` builds the small
per-frame patch (new heat map values, neuron pictures, link colours, loss curves).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ui.live_plotly.points import points_layout_image

ORANGE = "#f59322"
GREY = "#e8eaeb"
BLUE = "#0877bd"
COLORSCALE = [[0.0, ORANGE], [0.5, GREY], [1.0, BLUE]]
CLASS_COLORS = (ORANGE, BLUE, "#2ca02c", "#d62728", "#9467bd")  # class 0/1 as TensorFlow Playground
_SCALE_RGB = np.array([[245, 147, 34], [232, 234, 235], [8, 119, 189]], dtype=np.float64)

DOMAIN = 6.0
NEURON_SIZE = 0.085  # side of a neuron picture, in diagram units (the diagram is 1 unit tall)
DIAGRAM_WIDTH = 1.25
MAX_LOSS_POINTS = 600  # loss curves are thinned to this many points per frame

# Trace indices (fixed for a given structure; frame patches address them by index).
OUTPUT_TRACE = 0
NEURON_HOVER_TRACE = 1
LINK_HOVER_TRACE = 2
BIAS_TRACE = 3
TRAIN_LOSS_TRACE = 4
TEST_LOSS_TRACE = 5


@dataclass(frozen=True)
class ViewSpec:
    """What the figure's structure depends on (a change means a new figure)."""

    layer_sizes: tuple[int, ...]
    feature_labels: tuple[str, ...]
    output_mode: str  # "binary" | "probability" | "multiclass" | "regression"
    n_classes: int
    show_test: bool
    log_loss: bool

    def version(self, data_version: object) -> str:
        return repr((self, data_version))


@dataclass(frozen=True)
class Diagram:
    """Neuron centres per layer (inputs first, output last) and the links between them."""

    centres: tuple[tuple[tuple[float, float], ...], ...]
    links: tuple[tuple[int, int, int], ...]  # (dense layer, source unit, target unit)


def diagram_layout(layer_sizes: tuple[int, ...]) -> Diagram:
    """Evenly spaced columns, neurons centred vertically in each column."""
    n_columns = len(layer_sizes)
    margin = NEURON_SIZE
    centres = []
    for column, units in enumerate(layer_sizes):
        x = margin + (DIAGRAM_WIDTH - 2 * margin) * column / max(n_columns - 1, 1)
        spacing = min(0.16, (1.0 - 2 * margin) / max(units - 1, 1))
        top = 0.5 + spacing * (units - 1) / 2
        centres.append(tuple((x, top - spacing * unit) for unit in range(units)))
    links = tuple(
        (layer, source, target)
        for layer in range(len(layer_sizes) - 1)
        for source in range(layer_sizes[layer])
        for target in range(layer_sizes[layer + 1])
    )
    return Diagram(tuple(centres), links)


def weight_colors(values: np.ndarray, limit: float = 1.0) -> list[str]:
    """CSS colours on TensorFlow Playground's scale: -limit orange, 0 grey, +limit blue."""
    position = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float64)) / limit, -1, 1)
    low = position < 0
    fraction = np.abs(position)[:, None]
    rgb = np.where(
        low[:, None],
        _SCALE_RGB[1] + (_SCALE_RGB[0] - _SCALE_RGB[1]) * fraction,
        _SCALE_RGB[1] + (_SCALE_RGB[2] - _SCALE_RGB[1]) * fraction,
    )
    return [f"rgb({r:.0f},{g:.0f},{b:.0f})" for r, g, b in rgb]


def link_widths(values: np.ndarray) -> np.ndarray:
    """Line width in pixels grows with |w| (capped so huge weights stay readable)."""
    return 0.6 + 2.6 * np.minimum(np.abs(np.nan_to_num(values)), 3.0)


def to_uint8(values: np.ndarray, limit: float = 1.0) -> np.ndarray:
    """Map [-limit, limit] to 0..255 (128 ≈ 0) for the browser's colour scale; NaN → grey."""
    scaled = (np.nan_to_num(values, nan=0.0) / limit + 1.0) * 127.5
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def class_image_source(probabilities: np.ndarray) -> str:
    """PNG data URL: each cell coloured by its most likely class, lighter when less sure.

    Args:
        probabilities: (k, h, w) class probabilities; row 0 is the top of the plane.
    """
    k = probabilities.shape[0]
    best = np.argmax(probabilities, axis=0)
    confidence = np.max(probabilities, axis=0)
    # Lightness: chance level (1/k) is white, certainty the full class colour.
    strength = np.clip((confidence - 1.0 / k) / (1.0 - 1.0 / k), 0, 1)[..., None]
    palette = np.array([_hex_to_rgb(color) for color in CLASS_COLORS[:k]], dtype=np.float64)
    rgb = 255.0 + (palette[best] - 255.0) * (0.25 + 0.75 * strength)
    buffer = io.BytesIO()
    Image.fromarray(rgb.astype(np.uint8), "RGB").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def point_colors(labels: np.ndarray, mode: str) -> list[str]:
    """Colour of each data point: its class, or its target value for regression."""
    if mode == "regression":
        return weight_colors(labels)
    return [CLASS_COLORS[int(label) % len(CLASS_COLORS)] for label in labels]


def playground_figure(spec: ViewSpec, train_X, train_y, test_X, test_y) -> dict:
    """The whole live figure's structure, with empty data that frames fill in."""
    diagram = diagram_layout(spec.layer_sizes)
    grid = np.linspace(-DOMAIN, DOMAIN, 100, endpoint=False) + DOMAIN / 100
    hidden_and_inputs = [c for column in diagram.centres[:-1] for c in column]
    output_centres = diagram.centres[-1]
    neuron_labels = _neuron_labels(spec)
    zmin, zmax = (0.0, 1.0) if spec.output_mode in ("probability", "multiclass") else (-1.0, 1.0)
    data = [
        {
            "type": "heatmap",
            "x": grid,
            "y": grid[::-1],
            "z": np.zeros((100, 100)),
            "colorscale": COLORSCALE,
            "zmin": zmin,
            "zmax": zmax,
            "xaxis": "x",
            "yaxis": "y",
            "opacity": 0.0 if spec.output_mode == "multiclass" else 1.0,
            "colorbar": {"len": 0.55, "y": 0.72, "thickness": 10, "x": 1.0},
            "showscale": spec.output_mode != "multiclass",
            "hovertemplate": "x₁ %{x:.2f}<br>x₂ %{y:.2f}<br>output %{z:.3f}<extra></extra>"
            if spec.output_mode != "multiclass"
            else "x₁ %{x:.2f}<br>x₂ %{y:.2f}<br>confidence %{z:.3f}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "xaxis": "x2",
            "yaxis": "y2",
            "x": [c[0] for c in hidden_and_inputs + list(output_centres)],
            "y": [c[1] for c in hidden_and_inputs + list(output_centres)],
            "marker": {"size": 34, "opacity": 0.0, "symbol": "square"},
            "text": neuron_labels,
            "customdata": list(range(len(neuron_labels))),
            "hovertemplate": "%{text}<extra></extra>",
            "name": "neurons",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "markers",
            "xaxis": "x2",
            "yaxis": "y2",
            "x": [_link_midpoint(diagram, link)[0] for link in diagram.links],
            "y": [_link_midpoint(diagram, link)[1] for link in diagram.links],
            "marker": {"size": 9, "opacity": 0.0},
            "text": [""] * len(diagram.links),
            "hovertemplate": "%{text}<extra></extra>",
            "name": "links",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "markers",
            "xaxis": "x2",
            "yaxis": "y2",
            "x": [c[0] - NEURON_SIZE / 2 - 0.012 for column in diagram.centres[1:] for c in column],
            "y": [c[1] - NEURON_SIZE / 2 + 0.01 for column in diagram.centres[1:] for c in column],
            "marker": {
                "size": 8,
                "symbol": "square",
                "color": [0.0] * sum(spec.layer_sizes[1:]),
                "colorscale": COLORSCALE,
                "cmin": -1,
                "cmax": 1,
                "line": {"width": 1, "color": "#555"},
            },
            "text": [""] * sum(spec.layer_sizes[1:]),
            "hovertemplate": "%{text}<extra></extra>",
            "name": "biases",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "lines",
            "xaxis": "x3",
            "yaxis": "y3",
            "name": "train",
            "x": [],
            "y": [],
            "line": {"color": "#333", "width": 1.5},
            "hovertemplate": "epoch %{x}<br>train loss %{y:.4f}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "xaxis": "x3",
            "yaxis": "y3",
            "name": "test",
            "x": [],
            "y": [],
            "line": {"color": "#999", "width": 1.5},
            "hovertemplate": "epoch %{x}<br>test loss %{y:.4f}<extra></extra>",
        },
    ]
    images = [
        {
            "source": "",
            "xref": "x2",
            "yref": "y2",
            "x": x - NEURON_SIZE / 2,
            "y": y + NEURON_SIZE / 2,
            "sizex": NEURON_SIZE,
            "sizey": NEURON_SIZE,
            "sizing": "stretch",
            "layer": "above",
            "xanchor": "left",
            "yanchor": "top",
        }
        for x, y in hidden_and_inputs
    ]
    points = points_layout_image(
        train_X[:, 0],
        train_X[:, 1],
        point_colors(train_y, spec.output_mode),
        x_range=(-DOMAIN, DOMAIN),
        y_range=(-DOMAIN, DOMAIN),
        radius=0.13,
        outline="white",
    )
    images.append(points)
    if spec.show_test and len(test_X):
        images.append(
            points_layout_image(
                test_X[:, 0],
                test_X[:, 1],
                point_colors(test_y, spec.output_mode),
                x_range=(-DOMAIN, DOMAIN),
                y_range=(-DOMAIN, DOMAIN),
                radius=0.13,
                outline="black",
            )
        )
    if spec.output_mode == "multiclass":
        images.append(
            {
                "source": "",
                "xref": "x",
                "yref": "y",
                "x": -DOMAIN,
                "y": DOMAIN,
                "sizex": 2 * DOMAIN,
                "sizey": 2 * DOMAIN,
                "sizing": "stretch",
                "layer": "below",
                "xanchor": "left",
                "yanchor": "top",
            }
        )
    shapes = [_link_shape(diagram, link) for link in diagram.links]
    shapes += [
        {
            "type": "rect",
            "xref": "x2",
            "yref": "y2",
            "x0": x - NEURON_SIZE / 2,
            "x1": x + NEURON_SIZE / 2,
            "y0": y - NEURON_SIZE / 2,
            "y1": y + NEURON_SIZE / 2,
            "line": {"color": "#888", "width": 1},
        }
        for x, y in hidden_and_inputs
    ]
    annotations = _column_titles(diagram, spec)
    layout = {
        "height": 560,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 40},
        "showlegend": True,
        "legend": {"x": 0.99, "y": 0.27, "xanchor": "right", "bgcolor": "rgba(255,255,255,0.6)"},
        "hovermode": "closest",
        "plot_bgcolor": "white",
        "xaxis": {
            "domain": [0.60, 0.95],
            "range": [-DOMAIN, DOMAIN],
            "constrain": "domain",
            "title": {"text": "x₁"},
            "zeroline": False,
            "showgrid": False,
        },
        "yaxis": {
            "domain": [0.40, 1.0],
            "range": [-DOMAIN, DOMAIN],
            "scaleanchor": "x",
            "zeroline": False,
            "showgrid": False,
        },
        "xaxis2": {
            "domain": [0.0, 0.56],
            "range": [0, DIAGRAM_WIDTH],
            "visible": False,
            "fixedrange": True,
        },
        "yaxis2": {
            "domain": [0.0, 1.0],
            "range": [0, 1],
            "visible": False,
            "fixedrange": True,
            "scaleanchor": "x2",
        },
        "xaxis3": {
            "domain": [0.60, 0.95],
            "anchor": "y3",
            "title": {"text": "epoch"},
            "rangemode": "tozero",
        },
        "yaxis3": {
            "domain": [0.0, 0.27],
            "anchor": "x3",
            "title": {"text": "loss"},
            "type": "log" if spec.log_loss else "linear",
        },
        "images": images,
        "shapes": shapes,
        "annotations": annotations,
        "uirevision": "keep",
    }
    return {"data": data, "layout": layout}


def _neuron_labels(spec: ViewSpec) -> list[str]:
    labels = [f"input {label}" for label in spec.feature_labels]
    for layer, units in enumerate(spec.layer_sizes[1:-1], start=1):
        labels += [f"hidden layer {layer}, neuron {unit + 1}" for unit in range(units)]
    labels += [f"output {unit + 1}" for unit in range(spec.layer_sizes[-1])]
    return labels


def _column_titles(diagram: Diagram, spec: ViewSpec) -> list[dict]:
    titles = ["features"] + [f"layer {i}" for i in range(1, len(spec.layer_sizes) - 1)]
    titles.append("output")
    return [
        {
            "text": title,
            "xref": "x2",
            "yref": "paper",
            "x": column[0][0],
            "y": 1.0,
            "showarrow": False,
            "font": {"size": 11, "color": "#555"},
            "yanchor": "bottom",
        }
        for title, column in zip(titles, diagram.centres)
    ]


def _link_points(diagram: Diagram, link: tuple[int, int, int]):
    layer, source, target = link
    x0, y0 = diagram.centres[layer][source]
    x1, y1 = diagram.centres[layer + 1][target]
    return x0 + NEURON_SIZE / 2, y0, x1 - NEURON_SIZE / 2, y1


def _link_midpoint(diagram: Diagram, link: tuple[int, int, int]) -> tuple[float, float]:
    x0, y0, x1, y1 = _link_points(diagram, link)
    return (x0 + x1) / 2, (y0 + y1) / 2


def _link_shape(diagram: Diagram, link: tuple[int, int, int]) -> dict:
    x0, y0, x1, y1 = _link_points(diagram, link)
    return {
        "type": "line",
        "xref": "x2",
        "yref": "y2",
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "line": {"color": GREY, "width": 1},
        "layer": "below",
    }


@dataclass(frozen=True)
class FrameData:
    """What one frame shows, computed by the page from the run (all numpy)."""

    output_grid: np.ndarray  # (k, 100, 100) network output over the plane (k = outputs)
    neuron_maps: list[np.ndarray]  # per input/hidden neuron, (r, r) values, top row first
    weights: list[np.ndarray]  # per dense layer, (fan_in, fan_out)
    biases: list[np.ndarray]  # per dense layer, (fan_out,)
    epochs: np.ndarray  # (e,) epoch numbers of the loss history
    train_loss: np.ndarray  # (e,)
    test_loss: np.ndarray  # (e,)


def frame_updates(spec: ViewSpec, frame: FrameData, discretize: bool) -> tuple[dict, list]:
    """The per-frame patch for ``live_plotly``: (updates, images)."""
    z = _output_surface(spec, frame.output_grid, discretize)
    flat_weights = np.concatenate([w.ravel() for w in frame.weights])  # (layer, source, target)
    flat_biases = np.concatenate(frame.biases)
    layout: dict[str, object] = {}
    colors = weight_colors(flat_weights)
    widths = link_widths(flat_weights)
    for index, (color, width) in enumerate(zip(colors, widths)):
        layout[f"shapes[{index}].line.color"] = color
        layout[f"shapes[{index}].line.width"] = round(float(width), 2)
    if spec.output_mode == "multiclass":
        layout[f"images[{len(frame.neuron_maps) + 1 + int(spec.show_test)}].source"] = (
            class_image_source(frame.output_grid)
        )
    epochs, train_loss, test_loss = _thin(frame.epochs, frame.train_loss, frame.test_loss)
    traces = [
        {"index": OUTPUT_TRACE, "set": {"z": _float32(z)}},
        {"index": LINK_HOVER_TRACE, "set": {"text": _link_texts(spec, frame.weights)}},
        {
            "index": BIAS_TRACE,
            "set": {
                "marker.color": _float32(flat_biases),
                "text": [f"bias {b:.3f}" for b in flat_biases],
            },
        },
        {"index": TRAIN_LOSS_TRACE, "set": {"x": epochs, "y": _float32(train_loss)}},
        {"index": TEST_LOSS_TRACE, "set": {"x": epochs, "y": _float32(test_loss)}},
    ]
    images = []
    n_inputs = spec.layer_sizes[0]
    for index, values in enumerate(frame.neuron_maps):
        limit = max(float(np.max(np.abs(values))), 1e-9) if index < n_inputs else 1.0
        images.append({"index": index, "values": to_uint8(values, limit)})
    return {"traces": traces, "layout": layout}, images


def _float32(values: np.ndarray) -> np.ndarray:
    """float32 for the wire; values beyond its range are clipped (NaN stays NaN: a gap)."""
    limit = np.finfo(np.float32).max
    return np.clip(values, -limit, limit).astype(np.float32)


def _output_surface(spec: ViewSpec, grid: np.ndarray, discretize: bool) -> np.ndarray:
    """The heat map's z: the single output, P(class 1), or the top class's confidence."""
    if spec.output_mode == "multiclass":
        return np.max(grid, axis=0)
    surface = grid[1] if spec.output_mode == "probability" and grid.shape[0] == 2 else grid[0]
    if discretize and spec.output_mode != "regression":
        threshold = 0.5 if spec.output_mode == "probability" else 0.0
        low, high = (0.0, 1.0) if spec.output_mode == "probability" else (-1.0, 1.0)
        surface = np.where(surface >= threshold, high, low)
    return surface


def _link_texts(spec: ViewSpec, weights: list[np.ndarray]) -> list[str]:
    texts = []
    for layer, w in enumerate(weights):
        for source in range(w.shape[0]):
            for target in range(w.shape[1]):
                texts.append(
                    f"weight {w[source, target]:.3f} "
                    f"(layer {layer + 1}: {source + 1} → {target + 1})"
                )
    return texts


def _thin(epochs: np.ndarray, *series: np.ndarray):
    """At most MAX_LOSS_POINTS evenly spaced points, always keeping the newest."""
    n = len(epochs)
    if n <= MAX_LOSS_POINTS:
        return (epochs, *series)
    keep = np.unique(np.linspace(0, n - 1, MAX_LOSS_POINTS).astype(np.int64))
    return (epochs[keep], *(values[keep] for values in series))
