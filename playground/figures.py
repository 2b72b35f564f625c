"""Pure figure builders for the playground view (arrays in, Plotly dicts out; no ``st.``).

The live view is one Plotly figure with three areas:

* the network diagram (axes x2/y2): every input and hidden neuron is a small heat map
  (``layout.images``), links are line shapes coloured and thickened by their weight,
  biases are small squares; invisible markers carry the hover text; hovering a neuron
  shows its map large over the output (``hover_zoom``);
* the output (axes x/y): the network's output over [-DOMAIN, DOMAIN]² as a picture
  (``layout.images``), the data points drawn once as a picture on top; an invisible
  heat map underneath gives hover values and the colour bar;
* the loss curves (axes x3/y3): train and test loss per epoch, drawn as two path shapes;
  invisible markers carry their hover text.

``playground_figure`` builds the structure once, from one builder per part (each returns its
traces, pictures, shapes, annotations and layout entries as an ``Area``), and records where
each part's items landed (``FigureIndex``); ``frame_updates`` builds the small per-frame patch
(output and neuron pictures, link colours, loss paths) addressed by that index and, with
``hover=True``, the hover data (heat map values, weight and loss texts).

Why pictures and shapes rather than traces: any change of trace *data* makes Plotly redraw
every trace and axis of the figure (~50-70 ms a frame in headless Chromium on 2 cores),
while layout images and shapes are patched in ~10-15 ms. So what animates every frame is
layout; trace data (hover only) is refreshed a few times a second and when paused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine import DOMAIN

from .palette import DEFAULT_COLORS, FigureColors, Palette, hex_to_rgb
from .points import points_layout_image

GRID_RESOLUTION = 100  # cells per side of the output map (the run evaluates this grid)
FIGURE_HEIGHT = 560  # px: a page's main figure (before the live view fits it to the window)
DIAGRAM_WIDTH = 1.4  # diagram units; the diagram is 1 unit tall (its aspect fits its area)
DIAGRAM_LEFT = 0.13  # room left of the input column for the feature names
MAX_NEURON_SIZE = 0.15  # side of a neuron picture in diagram units, when few neurons share a column
BIAS_FRACTION = 0.2  # side of a bias square, as a fraction of a neuron picture's side
# Deeper networks title their columns "in", "L1", …, "out": at 1280 px a column of 5+ hidden
# layers is narrower than "layer 1".
MAX_LONG_TITLED_LAYERS = 4
MAX_LOSS_POINTS = 400  # loss curves are thinned to this many points per frame
MAX_LOSS_HOVER_POINTS = 200  # hover markers along each loss curve
FONT_SIZE = 14  # px of axis titles, ticks and labels at scale 1
PRESENTATION_SCALE = 1.5  # presentation mode: type, lines and the caption this much bigger
TRANSPARENT = "rgba(0,0,0,0)"
# Plotly.js' default ("hide past div") measures every tick label's box after each axis draw,
# a forced page layout per label; ours always fit inside the figure, so nothing is checked.
UNCHECKED_TICK_LABELS = {"ticklabeloverflow": "allow"}

# Where the three areas sit in the figure (fractions of the plotting area). The output map is
# square and as tall as the figure allows: the biggest picture on the screen.
DIAGRAM_X = (0.0, 0.5)
DIAGRAM_Y = (0.27, 1.0)
LOSS_X = (0.06, 0.48)  # a little in from the left: room for the loss axis' tick labels
LOSS_Y = (0.0, 0.17)
OUTPUT_X = (0.54, 0.96)  # right of it: the colour bar
OUTPUT_Y = (0.0, 1.0)  # its axis' ticks and title sit in the bottom margin


@dataclass(frozen=True)
class ViewSpec:
    """What the figure's structure depends on (a change means a new figure)."""

    layer_sizes: tuple[int, ...]
    feature_labels: tuple[str, ...]
    output_mode: str  # "binary" | "probability" | "multiclass" | "regression"
    n_classes: int
    show_test: bool
    log_loss: bool
    scale: float = 1.0  # type and line size: PRESENTATION_SCALE in presentation mode
    colors: FigureColors = DEFAULT_COLORS  # palette and light/dark theme (playground.palette)
    batchnorm: bool = False  # hidden layers batch-normalised: their titles say "BN"

    def version(self, data_version: object) -> str:
        return repr((self, data_version))


@dataclass(frozen=True)
class Diagram:
    """Neuron centres per layer (inputs first, output last) and the links between them."""

    centres: tuple[tuple[tuple[float, float], ...], ...]
    links: tuple[tuple[int, int, int], ...]  # (dense layer, source unit, target unit)
    neuron_size: float  # side of a neuron picture, in diagram units

    @property
    def bias_size(self) -> float:
        return self.neuron_size * BIAS_FRACTION


def diagram_layout(layer_sizes: tuple[int, ...]) -> Diagram:
    """Evenly spaced columns, neurons centred vertically in each column; the pictures are as
    big as the most crowded column allows (a 4-neuron layer gets big ones)."""
    n_columns = len(layer_sizes)
    most = max(layer_sizes)
    spacing = min(0.24, 0.86 / max(most - 1, 1))
    size = min(MAX_NEURON_SIZE, 0.72 * spacing)
    left, right = DIAGRAM_LEFT + size / 2, DIAGRAM_WIDTH - size
    centres = []
    for column, units in enumerate(layer_sizes):
        x = left + (right - left) * column / max(n_columns - 1, 1)
        top = 0.5 + spacing * (units - 1) / 2
        centres.append(tuple((x, top - spacing * unit) for unit in range(units)))
    links = tuple(
        (layer, source, target)
        for layer in range(len(layer_sizes) - 1)
        for source in range(layer_sizes[layer])
        for target in range(layer_sizes[layer + 1])
    )
    return Diagram(tuple(centres), links, size)


def weight_colors(
    values: np.ndarray, limit: float = 1.0, colors: FigureColors = DEFAULT_COLORS
) -> list[str]:
    """CSS colours on the diverging scale: -limit negative (orange), 0 neutral (grey),
    +limit positive (blue)."""
    scale = colors.scale_rgb()
    position = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float64)) / limit, -1, 1)
    end = np.where((position < 0)[:, None], scale[0], scale[2])
    rgb = scale[1] + (end - scale[1]) * np.abs(position)[:, None]
    return [f"rgb({r:.0f},{g:.0f},{b:.0f})" for r, g, b in rgb]


def link_widths(values: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Line width in pixels grows with |w| (capped so huge weights stay readable)."""
    return scale * (0.6 + 2.6 * np.minimum(np.abs(np.nan_to_num(values)), 3.0))


def to_uint8(values: np.ndarray, limit: float = 1.0) -> np.ndarray:
    """Map [-limit, limit] to 0..255 (128 ≈ 0) for the browser's colour scale; NaN → grey."""
    scaled = (np.nan_to_num(values, nan=0.0) / limit + 1.0) * 127.5
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def class_image_rgb(probabilities: np.ndarray, colors: FigureColors = DEFAULT_COLORS) -> np.ndarray:
    """(h, w, 3) uint8 RGB: each cell coloured by its most likely class, fading to the theme's
    blank colour when less sure. Sent as a live picture's values (the browser paints them into
    a canvas; a new PNG data URL per frame would be kept by the page: docs/live_view.md).

    Args:
        probabilities: (k, h, w) class probabilities; row 0 is the top of the plane.
    """
    k = probabilities.shape[0]
    best = np.argmax(probabilities, axis=0)
    confidence = np.max(probabilities, axis=0)
    # Chance level (1/k) is the blank colour (white on a light page), certainty the full
    # class colour.
    strength = np.clip((confidence - 1.0 / k) / (1.0 - 1.0 / k), 0, 1)[..., None]
    palette = np.array([hex_to_rgb(c) for c in colors.palette.classes[:k]], dtype=np.float64)
    blank = np.array(hex_to_rgb(colors.theme.blank), dtype=np.float64)
    rgb = blank + (palette[best] - blank) * (0.25 + 0.75 * strength)
    return rgb.astype(np.uint8)


def point_colors(labels: np.ndarray, mode: str, colors: FigureColors = DEFAULT_COLORS) -> list[str]:
    """Colour of each data point: its class, or its target value for regression."""
    if mode == "regression":
        return weight_colors(labels, colors=colors)
    classes = colors.palette.classes
    return [classes[int(label) % len(classes)] for label in labels]


# ---------------------------------------------------------------- the figure, one part at a time


@dataclass(frozen=True, eq=False)
class Area:
    """What one part of the figure adds to each of its lists (in drawing order) and to its
    layout (axes, legend). Each list's items go in one after the other; where they land is
    recorded in ``FigureIndex``."""

    traces: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    shapes: list[dict] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)
    layout: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FigureIndex:
    """Where each part's items sit in the figure (fixed for a structure): trace indices and
    positions in ``layout.images`` and ``layout.shapes``. Frame patches and the live
    component's options address items by these numbers."""

    output_trace: int  # invisible heat map: hover values and colour bar of the output
    neuron_trace: int  # hover markers of every neuron; customdata = its picture's index
    link_trace: int  # hover and click markers of the links
    bias_trace: int  # hover and click markers of the biases
    loss_traces: range  # train, test: hover markers along the loss curves
    neuron_images: range  # the input and hidden neurons' maps
    output_image: int  # the output map
    link_shapes: range  # one line per link, in (layer, source, target) order
    loss_shapes: range  # train, test: the loss curves
    bias_shapes: range  # the bias squares of the hidden and output neurons
    output_node_shapes: range  # the output neurons' squares
    loss_marker: int  # the loss chart's line at the epoch an earlier moment shows


@dataclass(frozen=True, eq=False)
class LiveFigure:
    """The live view's figure for one ``ViewSpec``: the Plotly dict and where its parts are."""

    spec: ViewSpec
    plotly: dict  # {"data": [...], "layout": {...}}
    index: FigureIndex


def _stack(kind: str, *areas: Area) -> tuple[list[dict], dict[Area, range]]:
    """The areas' items of one ``kind`` ("traces", "images", ...) one after the other, and
    the range each area's items landed in."""
    items: list[dict] = []
    where = {}
    for area in areas:
        start = len(items)
        items += getattr(area, kind)
        where[area] = range(start, len(items))
    return items, where


def playground_figure(spec: ViewSpec, train_X, train_y, test_X, test_y) -> LiveFigure:
    """The whole live figure's structure, with empty data that frames fill in."""
    diagram = diagram_layout(spec.layer_sizes)
    output = output_map(spec)
    points = Area(images=[data_points_image(spec, train_X, train_y, test_X, test_y)])
    maps = neuron_maps(spec, diagram)
    links = link_lines(spec, diagram)
    biases = bias_squares(spec, diagram)
    outputs = output_neurons(spec, diagram)
    loss, legend, colours = loss_chart(spec), loss_legend(spec), colour_legend(spec)
    marker = loss_marker(spec)
    # Each list is in drawing order: later items are drawn on top of earlier ones.
    images, image_at = _stack("images", maps, points, output)
    hover = neuron_hover(spec, diagram, pictures=image_at[maps])
    traces, trace_at = _stack("traces", output, hover, links, biases, loss, legend)
    shapes, shape_at = _stack("shapes", links, maps, loss, biases, outputs, marker)
    annotations, _ = _stack("annotations", maps, colours)
    layout = page_layout(spec)
    for area in (output, points, maps, hover, links, biases, outputs, loss, legend, colours):
        layout.update(area.layout)
    layout.update(images=images, shapes=shapes, annotations=annotations, uirevision="keep")
    index = FigureIndex(
        output_trace=trace_at[output][0],
        neuron_trace=trace_at[hover][0],
        link_trace=trace_at[links][0],
        bias_trace=trace_at[biases][0],
        loss_traces=trace_at[loss],
        neuron_images=image_at[maps],
        output_image=image_at[output][0],
        link_shapes=shape_at[links],
        loss_shapes=shape_at[loss],
        bias_shapes=shape_at[biases],
        output_node_shapes=shape_at[outputs],
        loss_marker=shape_at[marker][0],
    )
    return LiveFigure(spec, {"data": traces, "layout": layout}, index)


def page_layout(spec: ViewSpec) -> dict:
    """Margins, type and background of the whole figure."""
    font = round(FONT_SIZE * spec.scale)
    return {
        # No fixed height: the graph fills its element, which the live view sizes to the window.
        "autosize": True,
        "margin": {
            "l": 4,
            "r": round(30 * spec.scale),
            "t": round(2.2 * font),
            "b": round(3 * font),
        },
        "font": {"size": font, "color": spec.colors.theme.text},
        "hovermode": "closest",
        # Transparent: the page's own background (Streamlit's light or dark) shows through, so
        # the invisible diagram axes leave no rectangle on it.
        "plot_bgcolor": TRANSPARENT,
        "paper_bgcolor": TRANSPARENT,
        # Down the right edge: across the top it covered the colour legend while hovering.
        "modebar": {"bgcolor": TRANSPARENT, "color": spec.colors.theme.muted, "orientation": "v"},
    }


# ------------------------------------------------ the output map (axes x/y) and its colour bar


def output_value_range(spec: ViewSpec) -> tuple[float, float]:
    """The output's (lowest, highest) value: probabilities 0…1, else −1…1."""
    return (0.0, 1.0) if spec.output_mode in ("probability", "multiclass") else (-1.0, 1.0)


def output_map(spec: ViewSpec) -> Area:
    """The output picture (filled by frames), the invisible heat map under it that hovers
    and carries the colour bar, and the square axes."""
    zmin, zmax = output_value_range(spec)
    cells = np.linspace(-DOMAIN, DOMAIN, GRID_RESOLUTION, endpoint=False) + DOMAIN / GRID_RESOLUTION
    quantity = "confidence" if spec.output_mode == "multiclass" else "output"
    heat_map = {
        "type": "heatmap",
        "x": cells,
        "y": cells[::-1],
        "z": np.zeros((GRID_RESOLUTION, GRID_RESOLUTION)),
        "colorscale": spec.colors.colorscale,
        "zmin": zmin,
        "zmax": zmax,
        "xaxis": "x",
        "yaxis": "y",
        # Drawn as the output picture (FigureIndex.output_image); this trace only hovers (and
        # its colour bar shows the scale).
        "opacity": 0.0,
        "colorbar": colour_bar(spec),
        "showscale": spec.output_mode != "multiclass",
        "hovertemplate": f"x₁ %{{x:.2f}}<br>x₂ %{{y:.2f}}<br>{quantity} %{{z:.3f}}<extra></extra>",
    }
    both = {
        "range": [-DOMAIN, DOMAIN],
        "constrain": "domain",  # stays square on a narrow screen (no -15..15 axis)
        **UNCHECKED_TICK_LABELS,
        "zeroline": False,
        "showgrid": False,
    }
    axes = {
        "xaxis": {"domain": list(OUTPUT_X), "title": {"text": "x₁", "standoff": 2}, **both},
        "yaxis": {
            "domain": list(OUTPUT_Y),
            "scaleanchor": "x",
            "title": {"text": "x₂", "standoff": 2},
            **both,
        },
    }
    return Area(traces=[heat_map], images=[{"source": "", **output_area()}], layout=axes)


def colour_bar(spec: ViewSpec) -> dict:
    """The output's colour bar, right of the map and as tall."""
    zmin, zmax = output_value_range(spec)
    return {
        "len": OUTPUT_Y[1] - OUTPUT_Y[0],
        "y": (OUTPUT_Y[0] + OUTPUT_Y[1]) / 2,
        "yanchor": "middle",
        "thickness": round(10 * spec.scale),
        "x": OUTPUT_X[1] + 0.005,
        "xanchor": "left",
        "tickfont": {"size": round(FONT_SIZE * spec.scale) - 2},
        "tickvals": [zmin, (zmin + zmax) / 2, zmax],
    }


def output_area() -> dict:
    """Position of a picture covering the output square (axes x/y), under the data points."""
    return _square_picture("x", "y", -DOMAIN, DOMAIN, 2 * DOMAIN, "below")


def _square_picture(xref: str, yref: str, left: float, top: float, side: float, layer: str):
    """Position of a square layout picture by its top left corner, in data units."""
    return {
        "xref": xref,
        "yref": yref,
        "x": left,
        "y": top,
        "sizex": side,
        "sizey": side,
        "sizing": "stretch",
        "layer": layer,
        "xanchor": "left",
        "yanchor": "top",
    }


def data_points_image(spec: ViewSpec, train_X, train_y, test_X, test_y) -> dict:
    """The training points (white outline) and, with ``show_test``, the test points on top
    (black outline, as TensorFlow Playground) in ONE picture: Plotly.js keys layout images by
    position, so a second picture in the same place would share the first one's element and
    never show."""
    mode, palette = spec.output_mode, spec.colors
    if spec.show_test and len(test_X):
        X = np.concatenate([train_X[:, :2], test_X[:, :2]])
        colors = point_colors(train_y, mode, palette) + point_colors(test_y, mode, palette)
        outlines = ["white"] * len(train_X) + ["black"] * len(test_X)
    else:
        X, colors, outlines = train_X, point_colors(train_y, mode, palette), "white"
    return points_layout_image(
        X[:, 0],
        X[:, 1],
        colors,
        x_range=(-DOMAIN, DOMAIN),
        y_range=(-DOMAIN, DOMAIN),
        radius=0.13,
        outline=outlines,
    )


def swatch(color: str, text: str) -> str:
    """A coloured square before ``text``, in Plotly's (and HTML's) markup."""
    return f"<span style='color:{color}'>■</span> {text}"


def class_names(output_mode: str, n_classes: int) -> tuple[str, ...]:
    """What the legend, the Scores view and a drawing's class picker call each class: the
    output's values for two classes (tanh −1/+1, sigmoid 0/1), else 1…k."""
    if output_mode == "multiclass":
        return tuple(str(k + 1) for k in range(n_classes))
    return ("0", "1") if output_mode == "probability" else ("−1", "+1")


def class_colors(output_mode: str, n_classes: int, palette: Palette) -> tuple[str, ...]:
    """Each class's colour, in ``class_names``' order: the map's two ends for two classes,
    else the palette's class colours."""
    if output_mode == "multiclass":
        return tuple(palette.classes[:n_classes])
    return (palette.negative, palette.positive)


def colour_legend(spec: ViewSpec) -> Area:
    """One line above the output map saying what its colours (and the links') mean. Its type
    does not grow in presentation mode: it must fit above the map."""
    palette = spec.colors.palette
    low, high = palette.negative, palette.positive
    if spec.output_mode == "regression":
        text = f"target {swatch(low, 'low')} {swatch(high, 'high')}"
    else:
        names = class_names(spec.output_mode, spec.n_classes)
        colors = class_colors(spec.output_mode, spec.n_classes, palette)
        word = "classes" if spec.output_mode == "multiclass" else "class"
        text = f"{word} " + " ".join(map(swatch, colors, names))
    text += f"   weights {swatch(low, '−')} {swatch(high, '+')}"
    if spec.show_test:
        # Test points are drawn with a black outline, training points with a white one.
        text += "   points <span style='color:#aaa'>○</span> train <b>○</b> test"
    line = {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": OUTPUT_X[1],
        "xanchor": "right",
        "y": OUTPUT_Y[1],
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": FONT_SIZE - 1, "color": spec.colors.theme.text},
    }
    return Area(annotations=[line])


# ------------------------------------------------------------ the network diagram (axes x2/y2)


def neuron_maps(spec: ViewSpec, diagram: Diagram) -> Area:
    """The input and hidden neurons' pictures (filled by frames) in their frames, the column
    titles and feature names, and the diagram's (invisible) axes."""
    size = diagram.neuron_size
    centres = [centre for column in diagram.centres[:-1] for centre in column]
    pictures = [
        {"source": "", **_square_picture("x2", "y2", x - size / 2, y + size / 2, size, "above")}
        for x, y in centres
    ]
    frames = [_square(x, y, size, spec.colors.theme.frame) for x, y in centres]
    # The aspect ratio is kept by shrinking the diagram's domain (constrain), never by widening
    # its ranges: Plotly writes a widened range back into the layout, so each resize of the
    # window widened it further and the diagram shrank.
    axes = {
        "xaxis2": {
            "domain": list(DIAGRAM_X),
            "range": [0, DIAGRAM_WIDTH],
            "visible": False,
            "fixedrange": True,
            "constrain": "domain",
        },
        "yaxis2": {
            "domain": list(DIAGRAM_Y),
            "range": [0, 1],
            "visible": False,
            "fixedrange": True,
            "scaleanchor": "x2",
            "constrain": "domain",
        },
    }
    return Area(
        images=pictures, shapes=frames, annotations=_diagram_names(diagram, spec), layout=axes
    )


def neuron_hover(spec: ViewSpec, diagram: Diagram, pictures: range) -> Area:
    """Invisible markers over every neuron naming it. A neuron's ``customdata`` is the index
    of its picture in ``layout.images`` (``pictures``, in the same order); the output neurons,
    which have none, continue the count past them."""
    centres = [centre for column in diagram.centres for centre in column]
    labels = [f"input {label}" for label in spec.feature_labels]
    for layer, units in enumerate(spec.layer_sizes[1:-1], start=1):
        labels += [f"hidden layer {layer}, neuron {unit + 1}" for unit in range(units)]
    labels += [f"output {unit + 1}" for unit in range(spec.layer_sizes[-1])]
    customdata = list(range(pictures.start, pictures.start + len(centres)))
    marker = {"size": 34, "opacity": 0.0, "symbol": "square"}
    return Area(traces=[_diagram_markers("neurons", centres, marker, labels, customdata)])


def _diagram_names(diagram: Diagram, spec: ViewSpec) -> list[dict]:
    """Each column's title above it, and each input picture's feature (X₁, sin(X₂), ...) to
    its left."""
    size, theme = round((FONT_SIZE - 1) * spec.scale), spec.colors.theme
    n_hidden = len(spec.layer_sizes) - 2
    # A batch-normalised layer says so on a second line of its title (no wider than before).
    marked = "<br>BN" if spec.batchnorm else ""
    if n_hidden <= MAX_LONG_TITLED_LAYERS:
        names = ["features", *(f"layer {i}{marked}" for i in range(1, n_hidden + 1)), "output"]
    else:  # "layer 1" is wider than a column of a deeper network: titles would overlap
        names = ["in", *(f"L{i}{marked}" for i in range(1, n_hidden + 1)), "out"]
    titles = [
        {
            "text": title,
            "yref": "paper",
            "x": column[0][0],
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": size, "color": theme.muted},
        }
        for title, column in zip(names, diagram.centres)
    ]
    features = [
        {
            "text": label,
            "yref": "y2",
            "x": x - diagram.neuron_size / 2 - 0.01,
            "y": y,
            "xanchor": "right",
            "font": {"size": size, "color": theme.text},
        }
        for label, (x, y) in zip(spec.feature_labels, diagram.centres[0])
    ]
    return [{"xref": "x2", "showarrow": False, **name} for name in titles + features]


def link_lines(spec: ViewSpec, diagram: Diagram) -> Area:
    """A line per link (frames colour and thicken it by its weight) and, on each, an
    invisible marker that hovers and takes a click to edit the weight."""
    handles = [_link_handle(diagram, link) for link in diagram.links]
    addresses = [list(link) for link in diagram.links]  # (layer, source, target)
    # 16 px: a click target big enough to hit (click to edit the weight).
    marker = {"size": 16, "opacity": 0.0}
    markers = _diagram_markers("links", handles, marker, [""] * len(handles), addresses)
    lines = [_link_shape(diagram, link, spec.colors.theme.neutral) for link in diagram.links]
    return Area(traces=[markers], shapes=lines)


def _link_points(diagram: Diagram, link: tuple[int, int, int]):
    layer, source, target = link
    x0, y0 = diagram.centres[layer][source]
    x1, y1 = diagram.centres[layer + 1][target]
    return x0 + diagram.neuron_size / 2, y0, x1 - diagram.neuron_size / 2, y1


def _link_handle(diagram: Diagram, link: tuple[int, int, int]) -> tuple[float, float]:
    """Where a link's hover and click marker sits: on the link, at a fraction that grows with
    its slope, not at its middle, where crossing links (1 → 2 and 2 → 1 between equal columns)
    would share one marker. The closest markers are ~14 px apart in the default network, ~3 px
    with six layers of 8 at 1280×720 (then hover a link to see which one a click edits)."""
    x0, y0, x1, y1 = _link_points(diagram, link)
    fraction = min(max(0.5 + 0.5 * (y1 - y0), 0.1), 0.9)
    return x0 + fraction * (x1 - x0), y0 + fraction * (y1 - y0)


def _link_shape(diagram: Diagram, link: tuple[int, int, int], color: str) -> dict:
    x0, y0, x1, y1 = _link_points(diagram, link)
    return {
        "type": "line",
        "xref": "x2",
        "yref": "y2",
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "line": {"color": color, "width": 1},
        "layer": "below",
    }


def bias_squares(spec: ViewSpec, diagram: Diagram) -> Area:
    """A small square at the bottom left of every hidden and output neuron (frames colour it
    by the bias) and an invisible marker on it that hovers and takes a click to edit it."""
    theme, side = spec.colors.theme, diagram.bias_size
    centres = [
        (x - diagram.neuron_size / 2 - side * 0.7, y - diagram.neuron_size * 0.3)
        for column in diagram.centres[1:]
        for x, y in column
    ]
    sizes = spec.layer_sizes
    # (dense layer, -1, target unit) of every square, in drawing order.
    addresses = [
        [layer, -1, unit] for layer in range(len(sizes) - 1) for unit in range(sizes[layer + 1])
    ]
    # Hover only: the squares are shapes (their colour changes every frame; a trace style
    # change would restyle every trace of the figure).
    marker = {"size": 14, "symbol": "square", "opacity": 0.0}
    markers = _diagram_markers("biases", centres, marker, [""] * len(centres), addresses)
    squares = [
        _square(x, y, side, theme.bias_outline, fillcolor=theme.neutral, layer="above")
        for x, y in centres
    ]
    return Area(traces=[markers], shapes=squares)


def output_neurons(spec: ViewSpec, diagram: Diagram) -> Area:
    """A square per output neuron: its class's colour when there are several classes."""
    theme = spec.colors.theme
    colors = (
        spec.colors.palette.classes[: spec.n_classes]
        if spec.output_mode == "multiclass"
        else [theme.background] * spec.layer_sizes[-1]
    )
    side = diagram.neuron_size * 0.6
    squares = [
        _square(x, y, side, theme.frame, fillcolor=color, layer="above")
        for color, (x, y) in zip(colors, diagram.centres[-1])
    ]
    return Area(shapes=squares)


def _square(x: float, y: float, side: float, line_color: str, **style) -> dict:
    """A square shape centred on (x, y) in the diagram, outlined 1 px; ``style`` adds
    ``fillcolor`` and ``layer``."""
    return {
        "type": "rect",
        "xref": "x2",
        "yref": "y2",
        "x0": x - side / 2,
        "x1": x + side / 2,
        "y0": y - side / 2,
        "y1": y + side / 2,
        "line": {"color": line_color, "width": 1},
        **style,
    }


def _diagram_markers(name: str, points, marker: dict, text: list[str], customdata: list) -> dict:
    """Invisible markers at ``points`` in the diagram, hovering their ``text``."""
    return {
        "type": "scatter",
        "mode": "markers",
        "xaxis": "x2",
        "yaxis": "y2",
        "x": [x for x, _ in points],
        "y": [y for _, y in points],
        "marker": marker,
        "text": text,
        "customdata": customdata,
        "hovertemplate": "%{text}<extra></extra>",
        "name": name,
        "showlegend": False,
    }


# ----------------------------------------------------------------- the loss chart (axes x3/y3)

LOSS_AXES = {"xaxis": "x3", "yaxis": "y3"}  # its traces' axes, and the live view's click area


def loss_chart(spec: ViewSpec) -> Area:
    """The train and test curves as path shapes (frames draw them), invisible markers along
    them that hover, and the chart's axes (explicit ranges: ``loss_ranges``)."""
    theme = spec.colors.theme
    markers = _curve_traces(
        spec,
        lambda name, color: {
            "mode": "markers",
            "x": [],
            "y": [],
            "marker": {"size": 8, "opacity": 0.0, "color": color},
            # (ui.timeline: a click on the chart shows the recorded epoch nearest to it)
            "hovertemplate": (
                f"epoch %{{x}}<br>{name} loss %{{y:.4f}}<br><i>click: show this epoch</i>"
                "<extra></extra>"
            ),
            "hoverlabel": {"bgcolor": color},
            "showlegend": False,
        },
    )
    paths = [
        {
            "type": "path",
            "xref": "x3",
            "yref": "y3",
            "path": "M0,0",
            "line": {"color": color, "width": 2 * spec.scale},
            "layer": "above",
            "visible": False,
        }
        for color in theme.loss
    ]
    # Explicit ranges, stepped (loss_ranges): a range change redraws the axis (~30 ms).
    both = {"linecolor": theme.axis_line, "gridcolor": theme.axis_line, "autorange": False}
    axes = {
        "xaxis3": {
            "domain": list(LOSS_X),
            "anchor": "y3",
            "title": {"text": "epoch", "standoff": 0},
            **UNCHECKED_TICK_LABELS,
            **both,
            "range": [0, 10],
        },
        "yaxis3": {
            "domain": list(LOSS_Y),
            "anchor": "x3",
            "title": {"text": "loss", "standoff": 2},
            **UNCHECKED_TICK_LABELS,
            **both,
            "type": "log" if spec.log_loss else "linear",
            "range": [-2, 0] if spec.log_loss else [0, 1],
            "nticks": 4,
        },
    }
    return Area(traces=markers, shapes=paths, layout=axes)


def loss_marker(spec: ViewSpec) -> Area:
    """A dotted vertical line across the loss chart at the epoch the timeline shows (frames
    place it: ``FrameData.marker_epoch``); hidden while the view shows the run's present."""
    line = {
        "type": "line",
        "xref": "x3",
        "yref": "y3 domain",  # from the chart's bottom to its top, whatever the loss range
        "x0": 0,
        "x1": 0,
        "y0": 0,
        "y1": 1,
        "line": {"color": spec.colors.theme.text, "width": 1.5 * spec.scale, "dash": "dot"},
        "layer": "above",
        "visible": False,
    }
    return Area(shapes=[line])


def loss_legend(spec: ViewSpec) -> Area:
    """The legend naming the two curves, just above the chart's top right corner: an empty
    line trace per curve (the curves themselves are shapes, which a legend does not list)."""
    theme = spec.colors.theme
    entries = _curve_traces(
        spec,
        lambda name, color: {
            "mode": "lines",
            "x": [None],
            "y": [None],
            "line": {"color": color, "width": 2 * spec.scale},
            "hoverinfo": "skip",
        },
    )
    legend = {
        "x": LOSS_X[1],
        "y": LOSS_Y[1],
        "xanchor": "right",
        "yanchor": "bottom",
        "orientation": "h",
        "bgcolor": theme.legend_background,
        "font": {"size": round(FONT_SIZE * spec.scale) - 1},
        # The curves are shapes: the legend only names them.
        "itemclick": False,
        "itemdoubleclick": False,
    }
    return Area(traces=entries, layout={"showlegend": True, "legend": legend})


def _curve_traces(spec: ViewSpec, style: Callable[[str, str], dict]) -> list[dict]:
    """A trace on the loss chart per curve ("train", "test"), styled by ``style(name, colour)``."""
    return [
        {"type": "scatter", **LOSS_AXES, "name": name, **style(name, color)}
        for name, color in zip(("train", "test"), spec.colors.theme.loss)
    ]


# ---------------------------------------------------------------- options of the live component


def hover_zoom_option(figure: LiveFigure) -> dict:
    """``live_plotly``'s ``hover_zoom``: hovering an input or hidden neuron shows its map large
    over the output (TensorFlow Playground's behaviour). Output neurons are not enlarged (their
    ``customdata`` is past the pictures)."""
    index = figure.index
    return {"trace": index.neuron_trace, "count": index.neuron_images.stop, "image": output_area()}


def editable_option(
    figure: LiveFigure, weights: list[np.ndarray], biases: list[np.ndarray]
) -> dict:
    """``live_plotly``'s ``editable``: click a link's marker or a bias square to type its
    value. The values are in the traces' point order (each point's ``customdata`` is its
    (layer, source, target) address; source -1 for a bias)."""
    index = figure.index
    return {
        trace: {
            "values": float32_for_the_wire(np.concatenate(values)),
            "decimals": 3,
            "label": label,
        }
        for trace, values, label in (
            (index.link_trace, [w.ravel() for w in weights], "Weight"),
            (index.bias_trace, biases, "Bias"),
        )
    }


# ---------------------------------------------------------------- frames


@dataclass(frozen=True)
class FrameData:
    """What one frame shows, computed by the page from the run (all numpy)."""

    output_grid: np.ndarray  # (k, GRID_RESOLUTION, GRID_RESOLUTION) network output (k outputs)
    neuron_maps: list[np.ndarray]  # per input/hidden neuron, (r, r) values, top row first
    weights: list[np.ndarray]  # per dense layer, (fan_in, fan_out)
    biases: list[np.ndarray]  # per dense layer, (fan_out,)
    epochs: np.ndarray  # (e,) epoch numbers of the loss history
    train_loss: np.ndarray  # (e,)
    test_loss: np.ndarray  # (e,)
    # The epoch an earlier moment shows (the timeline): the loss chart marks it on the whole
    # curve. None: the run's present (the curve ends there).
    marker_epoch: float | None = None


def frame_updates(
    figure: LiveFigure, frame: FrameData, discretize: bool, hover: bool = True
) -> tuple[dict, list]:
    """The per-frame patch for ``live_plotly``: (updates, images).

    Without ``hover`` only what is drawn is sent (pictures, link colours, bias colours, loss
    paths): layout patches Plotly applies without redrawing its traces. ``hover`` adds the
    trace data behind the hover labels (output values, weight, bias and loss texts).
    """
    spec, index = figure.spec, figure.index
    z = output_surface(spec, frame.output_grid, discretize)
    flat_biases = np.concatenate(frame.biases)
    layout = _link_patch(figure, frame.weights)
    layout.update(_loss_patch(figure, frame))
    bias_colors = weight_colors(flat_biases, colors=spec.colors)
    layout.update(_shape_patch(index.bias_shapes, "fillcolor", bias_colors))
    traces: list[dict] = []
    if hover:
        epochs, train_loss, test_loss = thin_curves(
            frame.epochs, frame.train_loss, frame.test_loss, limit=MAX_LOSS_HOVER_POINTS
        )
        train_trace, test_trace = index.loss_traces
        traces += [
            {"index": index.bias_trace, "set": {"text": [f"bias {b:.3f}" for b in flat_biases]}},
            {"index": index.output_trace, "set": {"z": float32_for_the_wire(z)}},
            {"index": index.link_trace, "set": {"text": _link_texts(frame.weights)}},
            {"index": train_trace, "set": {"x": epochs, "y": float32_for_the_wire(train_loss)}},
            {"index": test_trace, "set": {"x": epochs, "y": float32_for_the_wire(test_loss)}},
        ]
    return {"traces": traces, "layout": layout}, _pictures(figure, frame, z)


def _link_patch(figure: LiveFigure, weights: list[np.ndarray]) -> dict[str, object]:
    """Every link line's colour and width for these weights.

    Links show the weight in steps of 1/64 (~2 RGB units, 0.04 px: invisible), so most keep
    their colour and width from one frame to the next and the live view sends only the few
    that changed (ui.live: a big network has ~1,800 links); coloured once per level.
    """
    spec = figure.spec
    flat_weights = np.concatenate([w.ravel() for w in weights])  # (layer, source, target)
    levels, level_of = np.unique(
        np.round(np.clip(np.nan_to_num(flat_weights), -3, 3) * 64) / 64, return_inverse=True
    )
    colors = weight_colors(levels, colors=spec.colors)
    widths = [round(float(width), 2) for width in link_widths(levels, spec.scale)]
    shapes, level_of = figure.index.link_shapes, level_of.tolist()
    return {
        **_shape_patch(shapes, "line.color", [colors[level] for level in level_of]),
        **_shape_patch(shapes, "line.width", [widths[level] for level in level_of]),
    }


def _shape_patch(shapes: range, attribute: str, values: list) -> dict[str, object]:
    """Layout paths setting ``attribute`` of each shape to its value (``values`` in order)."""
    return {f"shapes[{k}].{attribute}": value for k, value in zip(shapes, values, strict=True)}


def _pictures(figure: LiveFigure, frame: FrameData, z: np.ndarray) -> list[dict]:
    """The neuron maps (each input scaled to its own largest value, hidden units to ±1) and
    the output map, as the live component's pictures."""
    spec, index = figure.spec, figure.index
    n_inputs = spec.layer_sizes[0]
    images = []
    for neuron, (image, values) in enumerate(
        zip(index.neuron_images, frame.neuron_maps, strict=True)
    ):
        limit = max(float(np.max(np.abs(values))), 1e-9) if neuron < n_inputs else 1.0
        images.append({"index": image, "values": to_uint8(values, limit)})
    if spec.output_mode == "multiclass":
        output = class_image_rgb(frame.output_grid, spec.colors)
    else:
        output = output_uint8(spec, z)
    images.append({"index": index.output_image, "values": output})
    return images


def _loss_patch(figure: LiveFigure, frame: FrameData) -> dict[str, object]:
    """The loss chart's axis ranges, its two curves' paths and the marker of an earlier
    epoch (hidden for the present)."""
    log = figure.spec.log_loss
    epochs, train_loss, test_loss = thin_curves(
        frame.epochs, frame.train_loss, frame.test_loss, limit=MAX_LOSS_POINTS
    )
    x_range, y_range = loss_ranges(frame.epochs, frame.train_loss, frame.test_loss, log)
    paths = [loss_path(epochs, values, log) for values in (train_loss, test_loss)]
    shapes, marker = figure.index.loss_shapes, figure.index.loss_marker
    at = 0.0 if frame.marker_epoch is None else float(frame.marker_epoch)
    return {
        "xaxis3.range": x_range,
        "yaxis3.range": y_range,
        **_shape_patch(shapes, "path", [path or "M0,0" for path in paths]),
        **_shape_patch(shapes, "visible", [bool(path) for path in paths]),
        f"shapes[{marker}].x0": at,
        f"shapes[{marker}].x1": at,
        f"shapes[{marker}].visible": frame.marker_epoch is not None,
    }


_NICE_STEPS = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
# The epoch axis grows in coarser steps: every step redraws the whole live figure (the axis
# needs Plotly.react, ~0.7 s for a big network), and the epochs grow all the time, so steps of
# 2-2.5× (10, 20, 50, 100, …) change it 3 times a decade instead of 8.
_EPOCH_STEPS = (1.0, 2.0, 5.0, 10.0)


def nice_ceil(value: float, steps: tuple[float, ...] = _NICE_STEPS) -> float:
    """The smallest of ``steps`` × 10^k that is ≥ ``value`` (> 0); by default one of
    1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k."""
    exponent = np.floor(np.log10(value))
    base = 10.0**exponent
    for step in steps:
        if step * base >= value * (1 - 1e-12):
            return float(f"{step * base:.12g}")  # 0.6, not 0.6000000000000001
    return float(f"{10 * base:.12g}")


def loss_ranges(
    epochs: np.ndarray, train_loss: np.ndarray, test_loss: np.ndarray, log: bool
) -> tuple[list[float], list[float]]:
    """Axis ranges of the loss chart, in steps, so they change only now and then.

    x: [0, 1, 2 or 5 × 10^k ≥ last epoch]; y: [0, nice ≥ largest loss], or on a log axis
    whole half decades around the finite positive losses (Plotly's log ranges are in log10
    units).
    """
    x_max = nice_ceil(max(float(epochs[-1]) if len(epochs) else 0.0, 10.0), _EPOCH_STEPS)
    values = np.concatenate([train_loss, test_loss]).astype(np.float64)
    values = values[np.isfinite(values)]
    if log:
        values = values[values > 0]
        if not len(values):
            return [0.0, x_max], [-2.0, 0.0]
        low = np.floor(2 * np.log10(values.min())) / 2
        high = np.ceil(2 * np.log10(values.max())) / 2
        return [0.0, x_max], [float(low), float(max(high, low + 0.5))]
    if not len(values):
        return [0.0, x_max], [0.0, 1.0]  # before the first epoch: a plain 0-1 axis, not 0-0.001
    return [0.0, x_max], [0.0, nice_ceil(max(float(values.max()), 1e-3))]


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


def float32_for_the_wire(values: np.ndarray) -> np.ndarray:
    """float32 for the wire; values beyond its range are clipped (NaN stays NaN: a gap)."""
    limit = np.finfo(np.float32).max
    return np.clip(values, -limit, limit).astype(np.float32)


def output_uint8(spec: ViewSpec, z: np.ndarray) -> np.ndarray:
    """The output surface on the pictures' 0..255 colour scale (the heat map's zmin..zmax)."""
    return to_uint8(2.0 * z - 1.0 if spec.output_mode == "probability" else z)


def output_surface(spec: ViewSpec, grid: np.ndarray, discretize: bool) -> np.ndarray:
    """The heat map's z: the single output, P(class 1), or the top class's confidence."""
    if spec.output_mode == "multiclass":
        return np.max(grid, axis=0)
    surface = grid[1] if spec.output_mode == "probability" and grid.shape[0] == 2 else grid[0]
    if discretize and spec.output_mode != "regression":
        low, high = output_value_range(spec)
        surface = np.where(surface >= (low + high) / 2, high, low)
    return surface


def _link_texts(weights: list[np.ndarray]) -> list[str]:
    return [
        f"weight {w[source, target]:.3f} (layer {layer + 1}: {source + 1} → {target + 1})"
        for layer, w in enumerate(weights)
        for source, target in np.ndindex(w.shape)
    ]


def thin_curves(epochs: np.ndarray, *series: np.ndarray, limit: int = MAX_LOSS_POINTS):
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
