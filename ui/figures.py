"""Pure figure builders for the playground view (arrays in, Plotly dicts out; no ``st.``).

The live view is one Plotly figure with three areas:

* the network diagram (axes x2/y2): every input and hidden neuron is a small heat map
  (``layout.images``), links are line shapes coloured and thickened by their weight,
  biases are small squares; invisible markers carry the hover text; hovering a neuron
  shows its map large over the output (``hover_zoom``);
* the output (axes x/y): the network's output over [-6, 6]² as a 100×100 picture
  (``layout.images``), the data points drawn once as a picture on top; an invisible
  100×100 heat map underneath gives hover values and the colour bar;
* the loss curves (axes x3/y3): train and test loss per epoch, drawn as two path shapes;
  invisible markers carry their hover text.

``playground_figure`` builds the structure once; ``frame_updates`` builds the small
per-frame patch (output and neuron pictures, link colours, loss paths) and, with
``hover=True``, the hover data (heat map values, weight and loss texts).

Why pictures and shapes rather than traces: any change of trace *data* makes Plotly redraw
every trace and axis of the figure (~50-70 ms a frame in headless Chromium on 2 cores),
while layout images and shapes are patched in ~10-15 ms. So what animates every frame is
layout; trace data (hover only) is refreshed a few times a second and when paused.
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
BIAS_SIZE = 0.017  # side of a bias square (~8 px)
DIAGRAM_WIDTH = 1.25
MAX_LOSS_POINTS = 400  # loss curves are thinned to this many points per frame
MAX_LOSS_HOVER_POINTS = 200  # hover markers along each loss curve
LOSS_COLORS = ("#333", "#999")  # train, test

# Trace indices (fixed for a given structure; frame patches address them by index).
OUTPUT_TRACE = 0  # invisible heat map: hover values and colour bar of the output
NEURON_HOVER_TRACE = 1  # customdata = neuron index = index into layout.images (inputs, hidden)
LINK_HOVER_TRACE = 2
BIAS_TRACE = 3
TRAIN_LOSS_TRACE = 4  # invisible markers: hover text of the train loss curve
TEST_LOSS_TRACE = 5
TRAIN_LEGEND_TRACE = 6  # empty line traces: legend entries of the loss curves (path shapes)
TEST_LEGEND_TRACE = 7


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

    # Indices into layout.images and layout.shapes (fixed for a structure).

    @property
    def n_neuron_images(self) -> int:
        """Input and hidden neurons: ``layout.images[0 .. n-1]`` are their maps."""
        return sum(self.layer_sizes[:-1])

    @property
    def output_image(self) -> int:
        """The output picture: after the neuron maps and the train (and test) points."""
        return self.n_neuron_images + 1 + int(self.show_test)

    @property
    def loss_shapes(self) -> tuple[int, int]:
        """The train and test loss paths: after the link lines and the neuron frames."""
        sizes = self.layer_sizes
        n_links = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        first = n_links + self.n_neuron_images
        return first, first + 1

    @property
    def bias_shapes(self) -> range:
        """The bias squares of the hidden and output neurons, after the loss paths."""
        first = self.loss_shapes[1] + 1
        return range(first, first + sum(self.layer_sizes[1:]))


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
            # Drawn as layout.images[spec.output_image]; this trace only hovers (and its
            # colour bar shows the scale).
            "opacity": 0.0,
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
            "x": [x for x, _ in _bias_centres(diagram)],
            "y": [y for _, y in _bias_centres(diagram)],
            # Hover only: the squares are shapes (their colour changes every frame; a trace
            # style change would restyle every trace of the figure).
            "marker": {"size": 10, "symbol": "square", "opacity": 0.0},
            "text": [""] * sum(spec.layer_sizes[1:]),
            "hovertemplate": "%{text}<extra></extra>",
            "name": "biases",
            "showlegend": False,
        },
    ]
    for name, color in zip(("train", "test"), LOSS_COLORS):
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "xaxis": "x3",
                "yaxis": "y3",
                "name": name,
                "x": [],
                "y": [],
                "marker": {"size": 8, "opacity": 0.0, "color": color},
                "hovertemplate": f"epoch %{{x}}<br>{name} loss %{{y:.4f}}<extra></extra>",
                "hoverlabel": {"bgcolor": color},
                "showlegend": False,
            }
        )
    for name, color in zip(("train", "test"), LOSS_COLORS):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "xaxis": "x3",
                "yaxis": "y3",
                "name": name,
                "x": [None],
                "y": [None],
                "line": {"color": color, "width": 1.5},
                "hoverinfo": "skip",
            }
        )
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
    assert len(images) == spec.output_image
    images.append({"source": "", **output_area()})
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
    assert len(shapes) == spec.loss_shapes[0]
    shapes += [
        {
            "type": "path",
            "xref": "x3",
            "yref": "y3",
            "path": "M0,0",
            "line": {"color": color, "width": 1.5},
            "layer": "above",
            "visible": False,
        }
        for color in LOSS_COLORS
    ]
    assert len(shapes) == spec.bias_shapes[0]
    shapes += [
        {
            "type": "rect",
            "xref": "x2",
            "yref": "y2",
            "x0": x - BIAS_SIZE / 2,
            "x1": x + BIAS_SIZE / 2,
            "y0": y - BIAS_SIZE / 2,
            "y1": y + BIAS_SIZE / 2,
            "fillcolor": GREY,
            "line": {"color": "#555", "width": 1},
            "layer": "above",
        }
        for x, y in _bias_centres(diagram)
    ]
    annotations = _column_titles(diagram, spec)
    layout = {
        "height": 560,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 40},
        "showlegend": True,
        "legend": {
            "x": 0.99,
            "y": 0.27,
            "xanchor": "right",
            "yanchor": "top",  # inside the loss chart's top right corner
            "bgcolor": "rgba(255,255,255,0.6)",
            # The curves are shapes: the legend only names them.
            "itemclick": False,
            "itemdoubleclick": False,
        },
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
        # Explicit ranges, stepped (loss_ranges): a range change redraws the axis (~30 ms).
        "xaxis3": {
            "domain": [0.60, 0.95],
            "anchor": "y3",
            "title": {"text": "epoch"},
            "range": [0, 10],
            "autorange": False,
        },
        "yaxis3": {
            "domain": [0.0, 0.27],
            "anchor": "x3",
            "title": {"text": "loss"},
            "type": "log" if spec.log_loss else "linear",
            "range": [-2, 0] if spec.log_loss else [0, 1],
            "autorange": False,
        },
        "images": images,
        "shapes": shapes,
        "annotations": annotations,
        "uirevision": "keep",
    }
    return {"data": data, "layout": layout}


def output_area() -> dict:
    """Position of a picture covering the output square (axes x/y), under the data points."""
    return {
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


def hover_zoom_option(spec: ViewSpec) -> dict:
    """``live_plotly``'s ``hover_zoom``: hovering an input or hidden neuron shows its map large
    over the output (TensorFlow Playground's behaviour). Output neurons are not enlarged."""
    return {"trace": NEURON_HOVER_TRACE, "count": spec.n_neuron_images, "image": output_area()}


def _neuron_labels(spec: ViewSpec) -> list[str]:
    labels = [f"input {label}" for label in spec.feature_labels]
    for layer, units in enumerate(spec.layer_sizes[1:-1], start=1):
        labels += [f"hidden layer {layer}, neuron {unit + 1}" for unit in range(units)]
    labels += [f"output {unit + 1}" for unit in range(spec.layer_sizes[-1])]
    return labels


def _bias_centres(diagram: Diagram) -> list[tuple[float, float]]:
    """A small square at the bottom left of every non-input neuron."""
    return [
        (x - NEURON_SIZE / 2 - 0.012, y - NEURON_SIZE / 2 + 0.01)
        for column in diagram.centres[1:]
        for x, y in column
    ]


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


def frame_updates(
    spec: ViewSpec, frame: FrameData, discretize: bool, hover: bool = True
) -> tuple[dict, list]:
    """The per-frame patch for ``live_plotly``: (updates, images).

    Without ``hover`` only what is drawn is sent (pictures, link colours, bias colours, loss
    paths): layout patches Plotly applies without redrawing its traces. ``hover`` adds the
    trace data behind the hover labels (output values, weight, bias and loss texts).
    """
    z = _output_surface(spec, frame.output_grid, discretize)
    flat_weights = np.concatenate([w.ravel() for w in frame.weights])  # (layer, source, target)
    flat_biases = np.concatenate(frame.biases)
    layout: dict[str, object] = {}
    # Links show the weight in steps of 1/64 (~2 RGB units, 0.04 px: invisible), so most keep
    # their colour and width from one frame to the next and the live view sends only the few
    # that changed (ui.live: a big network has ~1,800 links); coloured once per level.
    levels, level_of = np.unique(
        np.round(np.clip(np.nan_to_num(flat_weights), -3, 3) * 64) / 64, return_inverse=True
    )
    colors = weight_colors(levels)
    widths = [round(float(width), 2) for width in link_widths(levels)]
    for index, level in enumerate(level_of.tolist()):
        layout[f"shapes[{index}].line.color"] = colors[level]
        layout[f"shapes[{index}].line.width"] = widths[level]
    images = []
    n_inputs = spec.layer_sizes[0]
    for index, values in enumerate(frame.neuron_maps):
        limit = max(float(np.max(np.abs(values))), 1e-9) if index < n_inputs else 1.0
        images.append({"index": index, "values": to_uint8(values, limit)})
    if spec.output_mode == "multiclass":
        layout[f"images[{spec.output_image}].source"] = class_image_source(frame.output_grid)
    else:
        images.append({"index": spec.output_image, "values": _output_uint8(spec, z)})
    epochs, train_loss, test_loss = _thin(
        frame.epochs, frame.train_loss, frame.test_loss, limit=MAX_LOSS_POINTS
    )
    x_range, y_range = loss_ranges(frame.epochs, frame.train_loss, frame.test_loss, spec.log_loss)
    layout["xaxis3.range"] = x_range
    layout["yaxis3.range"] = y_range
    for shape, values in zip(spec.loss_shapes, (train_loss, test_loss)):
        path = loss_path(epochs, values, spec.log_loss)
        layout[f"shapes[{shape}].path"] = path or "M0,0"
        layout[f"shapes[{shape}].visible"] = bool(path)
    for shape, color in zip(spec.bias_shapes, weight_colors(flat_biases)):
        layout[f"shapes[{shape}].fillcolor"] = color
    traces: list[dict] = []
    if hover:
        epochs, train_loss, test_loss = _thin(
            frame.epochs, frame.train_loss, frame.test_loss, limit=MAX_LOSS_HOVER_POINTS
        )
        traces += [
            {"index": BIAS_TRACE, "set": {"text": [f"bias {b:.3f}" for b in flat_biases]}},
            {"index": OUTPUT_TRACE, "set": {"z": _float32(z)}},
            {"index": LINK_HOVER_TRACE, "set": {"text": _link_texts(spec, frame.weights)}},
            {"index": TRAIN_LOSS_TRACE, "set": {"x": epochs, "y": _float32(train_loss)}},
            {"index": TEST_LOSS_TRACE, "set": {"x": epochs, "y": _float32(test_loss)}},
        ]
    return {"traces": traces, "layout": layout}, images


def _output_uint8(spec: ViewSpec, z: np.ndarray) -> np.ndarray:
    """The output surface on the 0..255 colour scale of the pictures (heat map's zmin..zmax)."""
    if spec.output_mode == "probability":
        return to_uint8(2.0 * z - 1.0)
    return to_uint8(z)


_NICE_STEPS = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceil(value: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k that is ≥ ``value`` (> 0)."""
    exponent = np.floor(np.log10(value))
    base = 10.0**exponent
    for step in _NICE_STEPS:
        if step * base >= value * (1 - 1e-12):
            return float(f"{step * base:.12g}")  # 0.6, not 0.6000000000000001
    return float(f"{10 * base:.12g}")


def loss_ranges(
    epochs: np.ndarray, train_loss: np.ndarray, test_loss: np.ndarray, log: bool
) -> tuple[list[float], list[float]]:
    """Axis ranges of the loss chart, in steps, so they change only now and then.

    x: [0, nice ≥ last epoch]; y: [0, nice ≥ largest loss], or on a log axis whole half
    decades around the finite positive losses (Plotly's log ranges are in log10 units).
    """
    x_max = nice_ceil(max(float(epochs[-1]) if len(epochs) else 0.0, 10.0))
    values = np.concatenate([train_loss, test_loss]).astype(np.float64)
    values = values[np.isfinite(values)]
    if log:
        values = values[values > 0]
        if not len(values):
            return [0.0, x_max], [-2.0, 0.0]
        low = np.floor(2 * np.log10(values.min())) / 2
        high = np.ceil(2 * np.log10(values.max())) / 2
        return [0.0, x_max], [float(low), float(max(high, low + 0.5))]
    top = float(values.max()) if len(values) else 0.0
    return [0.0, x_max], [0.0, nice_ceil(max(top, 1e-3))]


def loss_path(epochs: np.ndarray, values: np.ndarray, log: bool) -> str:
    """An SVG path through (epoch, loss) in data units; gaps at non-finite (or, on a log
    axis, non-positive) values. Empty when there is nothing to draw."""
    ok = np.isfinite(values) & ((values > 0) if log else True)
    parts: list[str] = []
    pen_down = False
    for epoch, value, valid in zip(epochs.tolist(), values.tolist(), ok.tolist()):
        if not valid:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{epoch:g},{value:.5g}")
        pen_down = True
    return "".join(parts)


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


def _thin(epochs: np.ndarray, *series: np.ndarray, limit: int = MAX_LOSS_POINTS):
    """At most ``limit`` + 1 evenly spaced points, always keeping the newest.

    The stride is a power of two and the kept indices its multiples, so the same points are
    kept from one frame to the next (a noisy curve does not shimmer while it grows).
    """
    n = len(epochs)
    if n <= limit:
        return (epochs, *series)
    stride = 1 << int(np.ceil(np.log2(n / limit)))
    keep = np.arange(0, n, stride)
    if keep[-1] != n - 1:
        keep = np.append(keep, n - 1)
    return (epochs[keep], *(values[keep] for values in series))
