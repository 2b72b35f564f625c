"""Pure figure builders of the Insight views: why training works (arrays in, Plotly dicts out).

Four views, each drawable for any moment of a run: the builders take a model (or its
parameter arrays) and data, or plain per-epoch arrays, never a run or a session, so the
timeline can pass a model holding an earlier snapshot's parameters.

* **Gradient flow** (``gradient_flow_figure``): per layer, the weight-gradient norm and the
  back-propagated error norm ‖δ‖ over the epochs on log axes; epochs in which gradient
  clipping scaled a mini-batch's gradient are shaded.
* **Distributions**: weights and biases over time as TensorBoard's percentile bands
  (``parameter_bands_figure``, from ``parameter_percentiles`` of each recorded moment), their
  histograms now (``histogram_figure``), and each hidden unit's outputs over the training
  set with dead ReLU and saturated sigmoid/tanh units marked (``activations_figure``).
* **Hidden space** (``hidden_space_figure``): the training points and a grid of lines of the
  input plane as a chosen hidden layer sees them (the plane for 2 units, 3-D for 3, a PCA
  projection for more).
* **Scores** (``scores_figure``): confusion matrices and per-class accuracy (train, test) for
  classification; predicted against true values with R² for regression.

No Plotly import (``playground`` stays importable without it): figures are dicts that
``st.plotly_chart`` and ``plotly.graph_objects.Figure`` both take.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

import engine
from engine.losses import CLASS_THRESHOLDS
from engine.model import Architecture

from .figures import FONT_SIZE, TRANSPARENT, class_colors, class_names, swatch
from .palette import DEFAULT_COLORS, FigureColors, translucent

INSIGHT_HEIGHT = 380  # px of one Insight figure (panels of a row share it)
MAX_COLUMNS = 4  # panels per row: more layers wrap to the next row
# Pixel columns a per-epoch line is decimated to (min and max of each: ``decimated_indices``).
# A Gradient flow panel is ~550 px wide at a 1400 px window: a column is ~2.5 px, about a line's
# width. Drawing cost grows with the points (Plotly redraws the whole chart for new data).
LINE_COLUMNS = 200
MAX_LINE_POINTS = 2 * LINE_COLUMNS + 3  # a column's min and max, the ends, the moment
# TensorBoard's distribution bands: the percentiles of -∞, -2σ, -1.5σ, -1σ, -0.5σ of a
# normal distribution, the median, and their mirror images.
PERCENTILES = (0.0, 6.68, 15.87, 30.85, 50.0, 69.15, 84.13, 93.32, 100.0)
HISTOGRAM_BINS = 20
SATURATION = 0.97  # a sigmoid/tanh output beyond this fraction of its half-range is saturated
# Output range (low, high) of the bounded hidden activations; the others never saturate.
BOUNDED_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
GRID_LINES = 11  # lines per direction of the input plane's grid in Hidden space
GRID_LINE_POINTS = 41  # points along each grid line
CLIPPED_SHADE = 0.18  # opacity of the shading of epochs with clipping events
BAND_OPACITIES = (0.15, 0.25, 0.4, 0.6)  # outermost band first


# ---------------------------------------------------------------- common pieces


def layer_names(n_layers: int) -> list[str]:
    """Names of the dense layers: "hidden 1", …, "output"."""
    return [f"hidden {k + 1}" for k in range(n_layers - 1)] + ["output"]


def layer_color(layer: int, colors: FigureColors = DEFAULT_COLORS) -> str:
    """One colour per layer (the palette's class colours, in order)."""
    classes = colors.palette.classes
    return classes[layer % len(classes)]


def layer_dash(layer: int, colors: FigureColors = DEFAULT_COLORS) -> str:
    """Solid for the first layers, dotted once the colours repeat (more than 5 layers)."""
    return "solid" if layer < len(colors.palette.classes) else "dot"


def base_layout(colors: FigureColors, scale: float, height: int = INSIGHT_HEIGHT) -> dict:
    """Type, margins and a transparent background (the page's own shows through), like the
    live view's figure (``playground.figures.page_layout``)."""
    font = round(FONT_SIZE * scale)
    return {
        "height": round(height * scale),
        # Top: the panels' titles sit below Plotly's modebar (~26 px, shown while the pointer is
        # over the chart); with 3 font sizes it covered the right-hand panel's title.
        "margin": {"l": round(4 * font), "r": round(1.5 * font), "t": round(4 * font), "b": font},
        "font": {"size": font, "color": colors.theme.text},
        "plot_bgcolor": TRANSPARENT,
        "paper_bgcolor": TRANSPARENT,
        "hovermode": "closest",
        "showlegend": False,
        "modebar": {"bgcolor": TRANSPARENT, "color": colors.theme.muted},
    }


def _axis(colors: FigureColors, **settings) -> dict:
    return {
        "gridcolor": colors.theme.axis_line,
        "zerolinecolor": colors.theme.axis_line,
        "automargin": True,
        **settings,
    }


def panel_domains(
    count: int, columns: int = MAX_COLUMNS, gap: float = 0.07, top: float = 1.0
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """(x domain, y domain) of ``count`` panels in rows of at most ``columns``, filling
    [0, 1] × [0, top] from the top left."""
    columns = max(1, min(columns, count))
    rows = math.ceil(count / columns)
    width = (1.0 - gap * (columns - 1)) / columns
    row_gap = 0.18 if rows > 1 else 0.0
    height = (top - row_gap * (rows - 1)) / rows
    domains = []
    for k in range(count):
        row, column = divmod(k, columns)
        x0 = column * (width + gap)
        y1 = top - row * (height + row_gap)
        # Clamped: rounding leaves -1e-16 at the bottom, which Plotly refuses.
        domains.append(((max(x0, 0.0), min(x0 + width, 1.0)), (max(y1 - height, 0.0), y1)))
    return domains


def _axis_names(k: int) -> tuple[str, str, str, str]:
    """('xaxis2', 'yaxis2', 'x2', 'y2') of panel k (k = 0: the unnumbered axes)."""
    suffix = "" if k == 0 else str(k + 1)
    return f"xaxis{suffix}", f"yaxis{suffix}", f"x{suffix}", f"y{suffix}"


def _panel_title(text: str, x_domain, y_domain, colors: FigureColors, scale: float) -> dict:
    return {
        "text": text,
        "x": (x_domain[0] + x_domain[1]) / 2,
        "y": y_domain[1],
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "yshift": 4,
        "showarrow": False,
        "font": {"size": round(FONT_SIZE * scale), "color": colors.theme.text},
    }


def decimated_indices(
    x: np.ndarray, values: np.ndarray, columns: int = LINE_COLUMNS, keep: int | None = None
) -> np.ndarray:
    """Rows of a line through (``x``, ``values``) to draw, in order: for each of ``columns``
    equal slices of the x range, its lowest and highest finite value and its first gap (NaN),
    and the first and last rows and the rows at x = ``keep`` (the timeline's moment). The
    drawn line then has every spike and dip a pixel column can show; evenly spaced rows
    missed a one-epoch spike. ``x`` is increasing; short lines are kept whole."""
    x = np.asarray(x, dtype=np.float64)
    count = len(x)
    if count <= 2 * columns:
        return np.arange(count)
    values = np.asarray(values, dtype=np.float64)
    span = x[-1] - x[0]
    column = np.minimum(((x - x[0]) / span * columns).astype(np.int64), columns - 1)
    finite = np.isfinite(values)
    chosen = [np.array([0, count - 1]), np.flatnonzero(x == keep) if keep is not None else []]
    # Sorted by column, then by the key: the first row of each column's run is its pick.
    for key in (np.where(finite, values, np.inf), np.where(finite, -values, np.inf), finite):
        order = np.lexsort((key, column))
        first = order[np.r_[True, column[order][1:] != column[order][:-1]]]
        chosen.append(first if key is not finite else first[~finite[first]])
    return np.unique(np.concatenate(chosen).astype(np.int64))


def epoch_ticks(epochs: np.ndarray) -> dict:
    """Whole-number epoch ticks (a few epochs would otherwise get ticks at 1.2, 1.4, …)."""
    span = float(epochs[-1] - epochs[0]) if len(epochs) else 0.0
    return {"tickformat": ",d", **({"dtick": 1} if span <= 8 else {})}


def _positive_or_none(values: np.ndarray) -> list:
    """Values for a log axis: zero, negative and NaN become gaps (None)."""
    return [float(v) if v > 0 and math.isfinite(v) else None for v in values]


# ---------------------------------------------------------------- 1. gradient flow


def clipped_spans(
    epochs: np.ndarray, clipped_fraction: np.ndarray, columns: int | None = None
) -> list[tuple[float, float]]:
    """Runs of consecutive rows with a clipping event, as (first epoch - ½, last epoch + ½);
    with ``columns``, runs less than a column of the epoch range apart are one span (each span
    is a shape Plotly redraws: clipping on and off every other epoch made a thousand)."""
    spans = _clipped_runs(epochs, clipped_fraction)
    if columns is None or len(spans) < 2:
        return spans
    gap = (float(epochs[-1]) - float(epochs[0])) / columns
    merged = [spans[0]]
    for first, last in spans[1:]:
        if first - merged[-1][1] < gap:
            merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def _clipped_runs(epochs: np.ndarray, clipped_fraction: np.ndarray) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    clipped = np.nan_to_num(np.asarray(clipped_fraction, dtype=np.float64)) > 0
    start = None
    for k, flag in enumerate(clipped):
        if flag and start is None:
            start = k
        if start is not None and (not flag or k == len(clipped) - 1):
            end = k if flag else k - 1
            spans.append((float(epochs[start]) - 0.5, float(epochs[end]) + 0.5))
            start = None
    return spans


def gradient_flow_figure(
    epochs: np.ndarray,
    grad_norms: np.ndarray,
    delta_norms: np.ndarray,
    clipped_fraction: np.ndarray | None = None,
    *,
    moment: int | None = None,
    colors: FigureColors = DEFAULT_COLORS,
    scale: float = 1.0,
) -> dict:
    """Per-layer weight-gradient norm and ‖δ‖ over the epochs, two log-axis panels.

    Args:
        epochs: (rows,) epoch of each row (``TrainingHistory.epochs``).
        grad_norms, delta_norms: (rows, n_layers) (``TrainingHistory.grad_norms`` /
            ``delta_norms``); zero or NaN values are gaps on the log axes.
        clipped_fraction: (rows,) fraction of each epoch's mini-batches that were clipped;
            epochs with any are shaded in both panels.
        moment: an epoch to mark with a vertical line (the moment the other views show).
    """
    epochs = np.asarray(epochs)
    grad_norms = np.asarray(grad_norms, dtype=np.float64)
    delta_norms = np.asarray(delta_norms, dtype=np.float64)
    n_layers = grad_norms.shape[1] if grad_norms.ndim == 2 else 0
    names = layer_names(max(n_layers, 1))
    layout = base_layout(colors, scale)
    layout["showlegend"] = True
    # Above the panels' titles: below, it met the axis titles.
    layout["legend"] = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}
    layout["margin"]["t"] = round(5 * FONT_SIZE * scale)
    domains = [(x, (y[0], 0.9)) for x, y in panel_domains(2, columns=2, gap=0.1)]
    titles = ("weight-gradient norm ‖∂L/∂W‖", "back-propagated error ‖δ‖")
    traces, annotations, shapes = [], [], []
    for k, (values, title) in enumerate(zip((grad_norms, delta_norms), titles)):
        x_name, y_name, x_ref, y_ref = _axis_names(k)
        (x_domain, y_domain) = domains[k]
        layout[x_name] = _axis(
            colors, domain=x_domain, anchor=y_ref, title={"text": "epoch"}, **epoch_ticks(epochs)
        )
        layout[y_name] = _axis(
            colors, domain=y_domain, anchor=x_ref, type="log", exponentformat="power"
        )
        annotations.append(_panel_title(title, x_domain, y_domain, colors, scale))
        for layer in range(n_layers):
            # Zero and NaN are gaps on the log axis: decimated as gaps.
            line = np.where(values[:, layer] > 0, values[:, layer], np.nan)
            keep = decimated_indices(epochs, line, keep=moment)
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": epochs[keep].tolist(),
                    "y": _positive_or_none(line[keep]),
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "name": names[layer],
                    "legendgroup": names[layer],
                    "showlegend": k == 0,
                    "line": {
                        "color": layer_color(layer, colors),
                        "dash": layer_dash(layer, colors),
                        "width": 2 * scale,
                    },
                    "hovertemplate": f"{names[layer]}<br>epoch %{{x}}<br>%{{y:.3g}}<extra></extra>",
                }
            )
        for first, last in (
            clipped_spans(epochs, clipped_fraction, LINE_COLUMNS)
            if clipped_fraction is not None
            else ()
        ):
            shapes.append(
                {
                    "type": "rect",
                    "xref": x_ref,
                    "yref": f"{y_ref} domain",
                    "x0": first,
                    "x1": last,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": translucent(colors.theme.loss[1], CLIPPED_SHADE),
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        if moment is not None:
            shapes.append(_moment_line(moment, x_ref, y_ref, colors, scale))
    if clipped_fraction is not None and np.nan_to_num(np.asarray(clipped_fraction)).any():
        # A legend entry for the shading (shapes have none): a square marker, no data.
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [None],
                "y": [None],
                "name": "clipped",
                "marker": {
                    "symbol": "square",
                    "size": 12 * scale,
                    "color": translucent(colors.theme.loss[1], 2 * CLIPPED_SHADE),
                },
            }
        )
    if not len(epochs):
        annotations.append(
            _note("Press Play: the norms appear after the first epoch.", colors, scale)
        )
    layout["annotations"] = annotations
    layout["shapes"] = shapes
    return {"data": traces, "layout": layout}


def _moment_line(moment: int, x_ref: str, y_ref: str, colors: FigureColors, scale: float) -> dict:
    return {
        "type": "line",
        "xref": x_ref,
        "yref": f"{y_ref} domain",
        "x0": moment,
        "x1": moment,
        "y0": 0,
        "y1": 1,
        "line": {"color": colors.theme.muted, "width": 1.5 * scale, "dash": "dash"},
    }


def _note(text: str, colors: FigureColors, scale: float) -> dict:
    """A sentence in the middle of an empty figure."""
    return {
        "text": text,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": round(FONT_SIZE * scale), "color": colors.theme.muted},
    }


def _note_above(text: str, layout: dict, colors: FigureColors, scale: float) -> dict:
    """A sentence above the panels' titles, for all of them; makes room for it in ``layout``'s
    top margin."""
    layout["margin"]["t"] = round(4.5 * FONT_SIZE * scale)
    return {
        **_note(text, colors, scale),
        "y": 1.0,
        "yanchor": "bottom",
        "yshift": round(2.0 * FONT_SIZE * scale),
    }


# ---------------------------------------------------------------- 2. distributions


def parameter_percentiles(
    weights: list[np.ndarray], biases: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """``PERCENTILES`` of each layer's weights and of its biases.

    Returns:
        (weights (n_layers, len(PERCENTILES)), biases (n_layers, len(PERCENTILES))).
    """
    return (
        np.array([np.percentile(np.ravel(w), PERCENTILES) for w in weights]),
        np.array([np.percentile(np.ravel(b), PERCENTILES) for b in biases]),
    )


@dataclass
class SnapshotPercentiles:
    """Parameter percentiles of every snapshot a run recorded (``engine.SnapshotRecorder``),
    each computed once: the bands cover the whole run, from epoch 0, however long the
    Distributions tab was closed, and their memory follows the recorder's bound.

    A snapshot is recognised by its object and its loss (``Fingerprint``), so a snapshot of the
    same epoch taken again after going back in time (different weights if a live setting
    changed since) is computed anew; one the recorder dropped is forgotten here too.
    """

    by_epoch: dict[int, tuple[tuple, np.ndarray, np.ndarray]] = field(default_factory=dict)

    def arrays(
        self, architecture: Architecture, recorder: engine.SnapshotRecorder
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(epochs (E,), weights (n_layers, E, Q), biases (n_layers, E, Q)) of the recorder's
        snapshots now."""
        epochs = recorder.epochs
        for gone in self.by_epoch.keys() - set(epochs):
            del self.by_epoch[gone]
        for epoch in epochs:
            snapshot = recorder.get(epoch)
            fingerprint = (id(snapshot), snapshot.loss_now, snapshot.step_counter)
            kept = self.by_epoch.get(epoch)
            if kept is None or kept[0] != fingerprint:
                model = engine.Model(architecture, snapshot.params)
                weights, biases = parameter_percentiles(list(model.weights), list(model.biases))
                self.by_epoch[epoch] = (fingerprint, weights, biases)
        if not epochs:
            empty = np.zeros((0, 0, len(PERCENTILES)))
            return np.zeros(0, dtype=np.int64), empty, empty
        return (
            np.array(epochs),
            np.stack([self.by_epoch[epoch][1] for epoch in epochs], axis=1),
            np.stack([self.by_epoch[epoch][2] for epoch in epochs], axis=1),
        )


def band_traces(
    epochs: np.ndarray,
    percentiles: np.ndarray,
    color: str,
    x_ref: str,
    y_ref: str,
    name: str,
    scale: float = 1.0,
) -> list[dict]:
    """TensorBoard's distribution: nested bands between mirrored percentiles (outermost
    palest) and the median as a line.

    Args:
        epochs: (E,); percentiles: (E, len(PERCENTILES)).
    """
    x = np.asarray(epochs).tolist()
    q = len(PERCENTILES)
    traces = []
    for k, opacity in enumerate(BAND_OPACITIES):
        # One closed outline per band (along the upper percentile, back along the lower):
        # one trace instead of a lower and a "tonexty" upper; every trace costs
        # st.plotly_chart's validation ~3 ms.
        low, high = percentiles[:, k], percentiles[:, q - 1 - k]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": x + x[::-1],
                "y": high.tolist() + low[::-1].tolist(),
                "xaxis": x_ref,
                "yaxis": y_ref,
                "line": {"width": 0},
                "fill": "toself",
                "fillcolor": translucent(color, opacity),
                "hoverinfo": "skip",
            }
        )
    traces.append(
        {
            "type": "scatter",
            "mode": "lines",
            "x": x,
            "y": percentiles[:, q // 2].tolist(),
            "xaxis": x_ref,
            "yaxis": y_ref,
            "line": {"color": color, "width": 2 * scale},
            "name": name,
            "hovertemplate": f"{name}<br>epoch %{{x}}<br>median %{{y:.3g}}<extra></extra>",
        }
    )
    return traces


def parameter_bands_figure(
    epochs: np.ndarray,
    weight_percentiles: np.ndarray,
    bias_percentiles: np.ndarray,
    *,
    moment: int | None = None,
    colors: FigureColors = DEFAULT_COLORS,
    scale: float = 1.0,
) -> dict:
    """Weights (top row) and biases (bottom row) of each layer over time, as percentile bands.

    Args:
        epochs: (E,) recorded epochs, increasing.
        weight_percentiles, bias_percentiles: (n_layers, E, len(PERCENTILES)), e.g. from
            ``SnapshotPercentiles.arrays`` (a run's snapshots).
        moment: an epoch to mark with a vertical line.
    """
    n_layers = weight_percentiles.shape[0]
    names = layer_names(max(n_layers, 1))
    columns = min(max(n_layers, 1), MAX_COLUMNS)
    rows = math.ceil(max(n_layers, 1) / columns)
    domains = panel_domains(2 * n_layers, columns=columns)
    # Panels: each row of layers gives a row of weights then a row of biases.
    layout = base_layout(colors, scale, INSIGHT_HEIGHT * rows)
    traces, annotations, shapes = [], [], []
    panel = 0
    for band_row in range(rows):
        layers = range(band_row * columns, min((band_row + 1) * columns, n_layers))
        for kind, values in (("weights", weight_percentiles), ("biases", bias_percentiles)):
            for column, layer in enumerate(layers):
                slot = (2 * band_row + (kind == "biases")) * columns + column
                x_domain, y_domain = domains[slot]
                x_name, y_name, x_ref, y_ref = _axis_names(panel)
                last_row = kind == "biases"
                layout[x_name] = _axis(
                    colors,
                    domain=x_domain,
                    anchor=y_ref,
                    title={"text": "epoch"} if last_row else None,
                    showticklabels=last_row,
                    **epoch_ticks(epochs),
                )
                layout[y_name] = _axis(colors, domain=y_domain, anchor=x_ref)
                title = f"{names[layer]}: {kind}"
                annotations.append(_panel_title(title, x_domain, y_domain, colors, scale))
                color = layer_color(layer, colors)
                traces.extend(band_traces(epochs, values[layer], color, x_ref, y_ref, title, scale))
                if moment is not None:
                    shapes.append(_moment_line(moment, x_ref, y_ref, colors, scale))
                panel += 1
    if len(epochs) < 2 and domains:
        note = "The bands grow as training goes on (recorded while this panel is open)."
        # In the middle of the (empty) weights row, on the page's background so the empty
        # panels' tick labels do not show through it: the figure's middle is the gap where
        # the bias panels' titles are.
        _, top_row = domains[0]
        on_background = {"y": sum(top_row) / 2, "bgcolor": colors.theme.background}
        annotations.append({**_note(note, colors, scale), **on_background, "borderpad": 4})
    layout["annotations"] = annotations
    layout["shapes"] = shapes
    return {"data": traces, "layout": layout}


def histogram_figure(
    model: engine.Model,
    *,
    bins: int = HISTOGRAM_BINS,
    colors: FigureColors = DEFAULT_COLORS,
    scale: float = 1.0,
) -> dict:
    """Each layer's weights (bars in the layer's colour) and biases (outlined bars) now,
    from ``Model.histograms``."""
    histograms = model.histograms(bins)
    names = layer_names(len(histograms))
    domains = panel_domains(len(histograms))
    rows = math.ceil(len(histograms) / MAX_COLUMNS)
    layout = base_layout(colors, scale, INSIGHT_HEIGHT * rows * 3 // 4)
    layout["barmode"] = "overlay"
    traces, annotations = [], []
    for layer, (histogram, (x_domain, y_domain)) in enumerate(zip(histograms, domains)):
        x_name, y_name, x_ref, y_ref = _axis_names(layer)
        layout[x_name] = _axis(colors, domain=x_domain, anchor=y_ref)
        layout[y_name] = _axis(
            colors,
            domain=y_domain,
            anchor=x_ref,
            title={"text": "count"} if layer % MAX_COLUMNS == 0 else None,
        )
        annotations.append(_panel_title(names[layer], x_domain, y_domain, colors, scale))
        color = layer_color(layer, colors)
        for kind, style in (
            ("weights", {"color": translucent(color, 0.7)}),
            (
                "biases",
                {"color": TRANSPARENT, "line": {"color": colors.theme.text, "width": 1.5 * scale}},
            ),
        ):
            counts, edges = histogram[kind]
            traces.append(
                {
                    "type": "bar",
                    "x": ((edges[:-1] + edges[1:]) / 2).tolist(),
                    "y": counts.tolist(),
                    "width": np.diff(edges).tolist(),
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "marker": style,
                    "name": f"{names[layer]} {kind}",
                    "hovertemplate": f"{kind} near %{{x:.3g}}: %{{y}}<extra></extra>",
                }
            )
    annotations.append(_note_above("filled: weights · outlined: biases", layout, colors, scale))
    layout["annotations"] = annotations
    return {"data": traces, "layout": layout}


@dataclass(frozen=True)
class LayerActivity:
    """A hidden layer's outputs over a data set and which of its units are dead or saturated."""

    name: str
    activation: str
    outputs: np.ndarray  # (n_points, units)
    dead: np.ndarray  # bool (units,): ReLU unit with no positive output on any point
    saturated: np.ndarray  # bool (units,): sigmoid/tanh unit saturated on every point
    saturated_share: float  # fraction of (point, unit) outputs that are saturated (NaN: n/a)


def saturated_outputs(outputs: np.ndarray, activation: str) -> np.ndarray | None:
    """Bool like ``outputs``: beyond ``SATURATION`` of the activation's half-range from its
    centre (|tanh| > 0.97; sigmoid < 0.015 or > 0.985); None for unbounded activations."""
    if activation not in BOUNDED_RANGES:
        return None
    low, high = BOUNDED_RANGES[activation]
    centre, half = (low + high) / 2, (high - low) / 2
    return np.abs(outputs - centre) > SATURATION * half


def layer_activity(model: engine.Model, inputs: np.ndarray) -> list[LayerActivity]:
    """Every hidden layer's outputs on ``inputs`` (n, n_features), with dead and saturated units.

    A ReLU unit is dead when no point gives it a positive output (it gets no gradient from
    any point); a sigmoid/tanh unit is saturated when every point puts it beyond
    ``SATURATION`` (its derivative is then below 6 % of its peak everywhere).
    """
    outputs = model.activations(inputs)[1:-1]
    activity = []
    for layer, (values, activation) in enumerate(
        zip(outputs, model.architecture.hidden_activations)
    ):
        values = np.asarray(values)
        units = values.shape[1]
        dead = ~np.any(values > 0, axis=0) if activation == "relu" else np.zeros(units, dtype=bool)
        beyond = saturated_outputs(values, activation)
        saturated = np.all(beyond, axis=0) if beyond is not None else np.zeros(units, dtype=bool)
        share = float(beyond.mean()) if beyond is not None and beyond.size else math.nan
        activity.append(
            LayerActivity(f"hidden {layer + 1}", activation, values, dead, saturated, share)
        )
    return activity


def activity_title(activity: LayerActivity) -> str:
    """'hidden 1 (relu): 2 of 8 units dead' and the like."""
    units = activity.outputs.shape[1]
    title = f"{activity.name} ({activity.activation})"
    if activity.activation == "relu":
        return f"{title}: {int(activity.dead.sum())} of {units} dead"
    if activity.activation in BOUNDED_RANGES:
        return (
            f"{title}: {int(activity.saturated.sum())} of {units} saturated, "
            f"{activity.saturated_share:.0%} of outputs"
        )
    return title


def activations_figure(
    model: engine.Model,
    inputs: np.ndarray,
    *,
    colors: FigureColors = DEFAULT_COLORS,
    scale: float = 1.0,
) -> dict:
    """Per hidden layer, each unit's outputs over ``inputs`` as a box (min, quartiles, max);
    dead and saturated units in the theme's warning colour, counted in the panel's title."""
    activity = layer_activity(model, inputs)
    if not activity:
        layout = base_layout(colors, scale, INSIGHT_HEIGHT // 2)
        layout["xaxis"] = {"visible": False}
        layout["yaxis"] = {"visible": False}
        layout["annotations"] = [_note("This network has no hidden layer.", colors, scale)]
        return {"data": [], "layout": layout}
    domains = panel_domains(len(activity), columns=min(len(activity), 3))
    rows = math.ceil(len(activity) / 3)
    layout = base_layout(colors, scale, INSIGHT_HEIGHT * rows * 3 // 4)
    warning = colors.theme.loss[1]
    traces, annotations = [], []
    for layer, (item, (x_domain, y_domain)) in enumerate(zip(activity, domains)):
        x_name, y_name, x_ref, y_ref = _axis_names(layer)
        layout[x_name] = _axis(
            colors, domain=x_domain, anchor=y_ref, title={"text": "unit"}, type="category"
        )
        layout[y_name] = _axis(colors, domain=y_domain, anchor=x_ref)
        annotations.append(_panel_title(activity_title(item), x_domain, y_domain, colors, scale))
        quartiles = np.percentile(item.outputs, (0, 25, 50, 75, 100), axis=0)
        flagged = item.dead | item.saturated
        for unit in range(item.outputs.shape[1]):
            color = warning if flagged[unit] else layer_color(layer, colors)
            traces.append(
                {
                    "type": "box",
                    "x": [str(unit + 1)],
                    "lowerfence": [float(quartiles[0, unit])],
                    "q1": [float(quartiles[1, unit])],
                    "median": [float(quartiles[2, unit])],
                    "q3": [float(quartiles[3, unit])],
                    "upperfence": [float(quartiles[4, unit])],
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "marker": {"color": color},
                    "line": {"color": color, "width": 1.5 * scale},
                    "fillcolor": translucent(color, 0.35),
                    "name": f"{item.name} unit {unit + 1}",
                }
            )
    layout["annotations"] = annotations
    return {"data": traces, "layout": layout}


# ---------------------------------------------------------------- 3. hidden space


def grid_lines(count: int = GRID_LINES, points: int = GRID_LINE_POINTS) -> np.ndarray:
    """(2 · count, points, 2) points along a grid of the input plane [-DOMAIN, DOMAIN]²:
    ``count`` vertical lines (x fixed) then ``count`` horizontal ones."""
    positions = np.linspace(-engine.DOMAIN, engine.DOMAIN, count)
    along = np.linspace(-engine.DOMAIN, engine.DOMAIN, points)
    vertical = np.stack(np.broadcast_arrays(positions[:, None], along[None, :]), axis=-1)
    horizontal = vertical[..., ::-1]
    return np.concatenate([vertical, horizontal])


def pca_projection(
    values: np.ndarray, components: int = 2
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``components`` principal axes of ``values`` (n, d).

    Returns:
        (mean (d,), axes (components, d), explained variance ratio (components,)). Each
        axis' largest entry is positive, so the picture does not flip between moments.
    """
    mean = values.mean(axis=0)
    centred = values - mean
    _, singular, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:components]
    signs = np.sign(axes[np.arange(len(axes)), np.argmax(np.abs(axes), axis=1)])
    axes = axes * np.where(signs == 0, 1.0, signs)[:, None]
    variance = singular**2
    total = variance.sum()
    explained = variance[:components] / total if total > 0 else np.zeros(len(axes))
    return mean, axes, explained


@dataclass(frozen=True)
class HiddenSpace:
    """Points and grid lines as a hidden layer sees them, in the coordinates drawn."""

    points: np.ndarray  # (n, dims) training points
    lines: np.ndarray  # (lines, points per line, dims)
    dims: int  # 1, 2 or 3 coordinates drawn
    units: int  # the layer's width
    axis_titles: tuple[str, ...]
    explained: float | None  # PCA: fraction of the variance the drawn axes explain


def hidden_space(
    model: engine.Model, layer: int, feature_names: list[str], train_points: np.ndarray
) -> HiddenSpace:
    """Where hidden layer ``layer`` (0-based) puts the training points (n, 2 plane
    coordinates) and the grid lines; more than 3 units are projected on their first two
    principal axes (computed from the training points' outputs)."""
    lines = grid_lines()
    plane = np.concatenate([train_points, lines.reshape(-1, 2)])
    outputs = model.activations(engine.build_features(plane, feature_names))[layer + 1]
    units = outputs.shape[1]
    n = len(train_points)
    explained = None
    names = tuple(f"unit {k + 1}" for k in range(units))
    if units > 3:
        mean, axes, ratio = pca_projection(outputs[:n] if n > 1 else outputs)
        outputs = (outputs - mean) @ axes.T
        explained = float(ratio.sum())
        names = tuple(f"PC {k + 1} ({share:.0%})" for k, share in enumerate(ratio))
    dims = outputs.shape[1]
    return HiddenSpace(
        points=outputs[:n],
        lines=outputs[n:].reshape(lines.shape[0], lines.shape[1], dims),
        dims=dims,
        units=units,
        axis_titles=names,
        explained=explained,
    )


def _point_colors(labels: np.ndarray, kind: str, colors: FigureColors) -> dict:
    """Marker colours: one per class, or the diverging scale over a regression target."""
    if kind == "regression":
        return {
            "color": np.asarray(labels, dtype=float).tolist(),
            "colorscale": colors.colorscale,
            "cmin": -1,
            "cmax": 1,
        }
    classes = colors.palette.classes
    return {"color": [classes[int(label) % len(classes)] for label in labels]}


def hidden_space_figure(
    model: engine.Model,
    layer: int,
    feature_names: list[str],
    train_points: np.ndarray,
    train_labels: np.ndarray,
    kind: str = "classification",
    *,
    colors: FigureColors = DEFAULT_COLORS,
    scale: float = 1.0,
) -> dict:
    """The training points and the input plane's grid lines as hidden layer ``layer``
    (0-based) sees them: its 2 units as the plane, 3 as a rotatable 3-D scatter, more as a
    PCA projection (explained variance in the title), 1 unit against the label.

    Args:
        train_points: (n, 2) plane coordinates; train_labels: (n,) classes or targets;
        kind: "classification" or "regression".
    """
    space = hidden_space(model, layer, feature_names, train_points)
    layout = base_layout(colors, scale, INSIGHT_HEIGHT * 3 // 2)
    name = f"hidden layer {layer + 1}"
    if space.dims == 1:
        title = f"{name}: its one unit's output (x) for each training point, by label (y)"
    elif space.explained is not None:
        title = (
            f"{name}: its {space.units} units projected on 2 principal axes, "
            f"which explain {space.explained:.0%} of the variance"
        )
    elif space.dims == 3:
        title = f"{name}: its 3 units (drag to rotate)"
    else:
        title = f"{name}: its 2 units"
    # Just above the plot area, where the panels' titles sit: the top of the margin is the
    # modebar's, which covered this title's end at 820 px.
    layout["title"] = {
        "text": title,
        "x": 0.5,
        "xanchor": "center",
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "pad": {"b": 4},
        "font": {"size": round(FONT_SIZE * scale)},
    }
    marker = {
        "size": 7 * scale,
        "line": {"width": 0.5, "color": colors.theme.text},
        **_point_colors(train_labels, kind, colors),
    }
    line_style = {"color": colors.theme.frame, "width": 1 * scale}
    traces = []
    if space.dims == 3:
        for line in space.lines:
            traces.append(
                {
                    "type": "scatter3d",
                    "mode": "lines",
                    "x": line[:, 0].tolist(),
                    "y": line[:, 1].tolist(),
                    "z": line[:, 2].tolist(),
                    "line": line_style,
                    "hoverinfo": "skip",
                }
            )
        traces.append(
            {
                "type": "scatter3d",
                "mode": "markers",
                "x": space.points[:, 0].tolist(),
                "y": space.points[:, 1].tolist(),
                "z": space.points[:, 2].tolist(),
                "marker": {**marker, "size": 4 * scale},
                "name": "training points",
            }
        )
        axis = {
            "backgroundcolor": TRANSPARENT,
            "gridcolor": colors.theme.axis_line,
            "color": colors.theme.text,
        }
        layout["scene"] = {
            "xaxis": {**axis, "title": {"text": space.axis_titles[0]}},
            "yaxis": {**axis, "title": {"text": space.axis_titles[1]}},
            "zaxis": {**axis, "title": {"text": space.axis_titles[2]}},
            "aspectmode": "cube",
        }
        return {"data": traces, "layout": layout}
    if space.dims == 1:
        labels = np.asarray(train_labels, dtype=float)
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": space.points[:, 0].tolist(),
                "y": labels.tolist(),
                "marker": marker,
                "name": "training points",
            }
        )
        layout["xaxis"] = _axis(colors, title={"text": space.axis_titles[0]})
        layout["yaxis"] = _axis(
            colors, title={"text": "target" if kind == "regression" else "class"}
        )
        return {"data": traces, "layout": layout}
    # One trace for all grid lines (None between lines): one draw call instead of 22.
    xs, ys = [], []
    for line in space.lines:
        xs.extend([*line[:, 0].tolist(), None])
        ys.extend([*line[:, 1].tolist(), None])
    traces.append(
        {
            "type": "scatter",
            "mode": "lines",
            "x": xs,
            "y": ys,
            "line": line_style,
            "hoverinfo": "skip",
            "name": "grid of the input plane",
        }
    )
    traces.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": space.points[:, 0].tolist(),
            "y": space.points[:, 1].tolist(),
            "marker": marker,
            "name": "training points",
        }
    )
    # Equal scales; a wide chart narrows its plot area around the points rather than
    # widening the x range into empty plane (at 1920 px: -6..6 around points in -1.5..2).
    layout["xaxis"] = _axis(colors, title={"text": space.axis_titles[0]}, constrain="domain")
    layout["yaxis"] = _axis(
        colors, title={"text": space.axis_titles[1]}, scaleanchor="x", scaleratio=1
    )
    return {"data": traces, "layout": layout}


# ---------------------------------------------------------------- 4. scores


def predicted_classes(model: engine.Model, inputs: np.ndarray) -> np.ndarray:
    """(n,) class of each row as the engine counts accuracy: argmax of several outputs, else
    1 if the single output reaches the output's class threshold."""
    outputs = model.forward(inputs)
    if outputs.shape[1] > 1:
        return np.argmax(outputs, axis=1)
    threshold = CLASS_THRESHOLDS.get(model.architecture.output, 0.0)
    return (outputs[:, 0] >= threshold).astype(np.int64)


def confusion_matrix(true: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes) int64 counts: row = true class, column = predicted class."""
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(true, dtype=np.int64), np.asarray(predicted, dtype=np.int64)), 1)
    return matrix


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """(n_classes,) fraction of each true class predicted right (NaN for an absent class)."""
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / np.maximum(totals, 1), np.nan)


def r_squared(true: np.ndarray, predicted: np.ndarray) -> float:
    """Coefficient of determination: 1 − Σ(y − ŷ)² / Σ(y − ȳ)² (NaN for constant or no targets).

    .. math:: R^2 = 1 - \\sum_i (y_i - \\hat y_i)^2 / \\sum_i (y_i - \\bar y)^2
    """
    true = np.asarray(true, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    if true.size == 0:
        return math.nan
    spread = float(np.sum((true - true.mean()) ** 2))
    if spread == 0:
        return math.nan
    return 1.0 - float(np.sum((true - predicted) ** 2)) / spread


def _percent(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:.0%}"


def scores_figure(
    model: engine.Model,
    train_inputs: np.ndarray,
    train_y: np.ndarray,
    test_inputs: np.ndarray,
    test_y: np.ndarray,
    output_mode: str,
    n_classes: int,
    *,
    colors: FigureColors = DEFAULT_COLORS,
    scale: float = 1.0,
) -> dict:
    """Train and test side by side: confusion matrices (counts, per-class accuracy on the row
    labels) for classification, predicted against true values with R² for regression.

    Args:
        train_inputs, test_inputs: (n, n_features) features; train_y, test_y: (n,) class
            ids or regression targets (``engine.Dataset.y``); the test set may be empty.
        output_mode: ``frames.output_mode``'s word for the run's output. The classes are
            named and coloured as the output map's legend has them (tanh's −1/+1, …).
    """
    layout = base_layout(colors, scale, INSIGHT_HEIGHT)
    domains = panel_domains(2, columns=2, gap=0.2)  # room for the right panel's row labels
    traces, annotations = [], []
    sets = (("train", train_inputs, train_y), ("test", test_inputs, test_y))
    for k, (name, inputs, y) in enumerate(sets):
        x_name, y_name, x_ref, y_ref = _axis_names(k)
        x_domain, y_domain = domains[k]
        if not len(y):
            annotations.append(
                _panel_title(f"{name}: no points", x_domain, y_domain, colors, scale)
            )
            layout[x_name] = {"domain": x_domain, "visible": False}
            layout[y_name] = {"domain": y_domain, "visible": False}
            continue
        if output_mode == "regression":
            predicted = model.forward(inputs)[:, 0]
            score = r_squared(y, predicted)
            title = f"{name}: R² = {score:.3f}" if math.isfinite(score) else f"{name}: R² undefined"
            low = float(min(np.min(y), np.min(predicted)))
            high = float(max(np.max(y), np.max(predicted)))
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": [low, high],
                    "y": [low, high],
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "line": {"color": colors.theme.muted, "dash": "dash", "width": 1.5 * scale},
                    "hoverinfo": "skip",
                    "name": "perfect",
                }
            )
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": np.asarray(y, dtype=float).tolist(),
                    "y": predicted.tolist(),
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "marker": {
                        "size": 6 * scale,
                        "color": colors.palette.positive if k == 0 else colors.palette.negative,
                        "opacity": 0.7,
                    },
                    "name": name,
                    "hovertemplate": "true %{x:.3g}<br>predicted %{y:.3g}<extra></extra>",
                }
            )
            layout[x_name] = _axis(
                colors, domain=x_domain, anchor=y_ref, title={"text": "true value"}
            )
            layout[y_name] = _axis(
                colors, domain=y_domain, anchor=x_ref, title={"text": "predicted"}
            )
        else:
            matrix = confusion_matrix(y, predicted_classes(model, inputs), n_classes)
            accuracy = per_class_accuracy(matrix)
            overall = np.trace(matrix) / max(matrix.sum(), 1)
            title = f"{name}: {overall:.0%} correct"
            names = class_names(output_mode, n_classes)
            shades = class_colors(output_mode, n_classes, colors.palette)
            labels = [swatch(shade, text) for shade, text in zip(shades, names)]
            rows = [f"{label} · {_percent(share)}" for label, share in zip(labels, accuracy)]
            traces.append(
                {
                    "type": "heatmap",
                    "z": matrix.tolist(),
                    "x": labels,
                    "y": rows,
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "text": matrix.astype(str).tolist(),
                    "texttemplate": "%{text}",
                    "textfont": {"size": round(FONT_SIZE * 1.2 * scale)},
                    "colorscale": [[0, colors.theme.neutral], [1, colors.palette.positive]],
                    "showscale": False,
                    "hovertemplate": "true %{y}<br>predicted %{x}: %{z}<extra></extra>",
                }
            )
            layout[x_name] = _axis(
                colors, domain=x_domain, anchor=y_ref, title={"text": "predicted"}, type="category"
            )
            layout[y_name] = _axis(
                colors,
                domain=y_domain,
                anchor=x_ref,
                type="category",
                autorange="reversed",
            )
        annotations.append(_panel_title(title, x_domain, y_domain, colors, scale))
    if output_mode != "regression":
        # What the rows say, once above both panels: as the y axes' title it sat on the rows'
        # labels (Plotly keeps an axis title inside the margins; seen at 820 and 1280 px).
        annotations.append(_note_above("rows: true class · its accuracy", layout, colors, scale))
    layout["annotations"] = annotations
    return {"data": traces, "layout": layout}
