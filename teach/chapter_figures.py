"""Pure figure builders of the regression and weights-over-time lessons (a ``LessonRun`` in,
a Plotly figure out, no ``st.``); ``teach.lesson_figures.FIGURES`` lists them by name.

They draw what the lessons' probes recorded from the runs' snapshots
(``teach.lessons_regression.regression_probe``, ``teach.lessons_weights.weight_probe``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine import DOMAIN
from playground.insight import band_traces, layer_names

from .lessons import LessonRun
from .runs import MAP_RESOLUTION, VariantResult
from .style import BLUE, CLASS_COLORS, COLORSCALE, ORANGE, VARIANT_COLORS, base_layout

HISTOGRAM_BINS = 41  # odd: one bin is centred on 0, where L1's weights pile up


def _regression_panel(result: VariantResult) -> tuple[go.Heatmap, go.Scatter, str]:
    """One variant's output over the plane and its training points: a linear output's value
    (points coloured by their target, same scale), or a softmax's most likely class."""
    step = 2 * DOMAIN / MAP_RESOLUTION
    centres = -DOMAIN + step * (np.arange(MAP_RESOLUTION) + 0.5)
    grid, points = result.output_grid, result.train_points
    if result.settings.output == "softmax":
        k = grid.shape[0]
        scale = [[edge / k, CLASS_COLORS[c]] for c in range(k) for edge in (c, c + 1)]
        values, limits, opacity = np.argmax(grid, axis=0), (-0.5, k - 0.5), 0.45
        marker = {
            "color": [CLASS_COLORS[int(c)] for c in result.train_labels],
            "line": {"width": 0.8, "color": "white"},
        }
        title = f"{result.label}<br>test accuracy {result.last('test_accuracy'):.0%}"
    else:
        scale, values, limits, opacity = COLORSCALE, grid[0], (-1.0, 1.0), 1.0
        # Points in their target's colour on the same scale, outlined to stand out where the
        # fit is good (and so matches the background).
        marker = {
            "color": result.train_labels,
            "colorscale": COLORSCALE,
            "cmin": -1,
            "cmax": 1,
            "line": {"width": 0.8, "color": "#444444"},
        }
        title = f"{result.label}<br>training loss {result.last('train_loss'):.4f}"
    heatmap = go.Heatmap(
        x=centres,
        y=centres[::-1],
        z=values,
        colorscale=scale,
        zmin=limits[0],
        zmax=limits[1],
        opacity=opacity,
        showscale=False,
        hovertemplate="x₁ %{x:.1f}, x₂ %{y:.1f}<br>output %{z:.2f}<extra></extra>",
    )
    scatter = go.Scatter(
        x=points[:, 0],
        y=points[:, 1],
        mode="markers",
        marker={**marker, "size": 5},
        hoverinfo="skip",
        showlegend=False,
    )
    return heatmap, scatter, title


def regression_maps(run: LessonRun) -> go.Figure:
    """Each variant's output over the plane with its training points, side by side: linear
    regression's plane of values, softmax regression's straight-edged class regions."""
    results = list(run.results.values())
    panels = [_regression_panel(result) for result in results]
    figure = make_subplots(
        rows=1,
        cols=len(results),
        subplot_titles=[title for _, _, title in panels],
        horizontal_spacing=0.05,
    )
    axis = {"range": [-DOMAIN, DOMAIN], "showgrid": False, "zeroline": False}
    for column, (heatmap, scatter, _) in enumerate(panels, start=1):
        figure.add_trace(heatmap, row=1, col=column)
        figure.add_trace(scatter, row=1, col=column)
        figure.update_xaxes(axis, row=1, col=column, constrain="domain")
        anchor = "x" if column == 1 else f"x{column}"
        figure.update_yaxes(axis, row=1, col=column, scaleanchor=anchor, constrain="domain")
    figure.update_layout(base_layout(height=360))
    figure.update_layout(margin={"t": 60})
    figure.update_annotations(font_size=13)
    return figure


def least_squares_path(run: LessonRun) -> go.Figure:
    """Largest distance between gradient descent's parameters and the least-squares solution
    at every recorded epoch, log scale, for the linear-regression variants."""
    figure = go.Figure()
    for index, result in enumerate(run.results.values()):
        if "distance" not in result.extras:
            continue
        figure.add_trace(
            go.Scatter(
                x=result.extras["snapshot_epochs"],
                y=result.extras["distance"],
                name=result.label,
                line={"color": VARIANT_COLORS[index % len(VARIANT_COLORS)], "width": 2.5},
                hovertemplate="epoch %{x}<br>distance %{y:.2e}<extra></extra>",
            )
        )
    figure.update_yaxes(
        type="log",
        dtick=1,
        exponentformat="power",
        title="largest |θ − θ<sub>lstsq</sub>|",
    )
    figure.update_xaxes(title="epoch")
    figure.update_layout(base_layout(height=340, legend=True))
    return figure


def likelihood_check(run: LessonRun) -> go.Figure:
    """The engine's cross-entropy over the epochs (line) and −(1/n) Σ log p(yᵢ) recomputed with
    numpy from the weights at each recorded epoch (markers): they coincide."""
    figure = go.Figure()
    for result in run.results.values():
        if "likelihood_loss" not in result.extras:
            continue
        figure.add_trace(
            go.Scatter(
                x=result.history["epoch"],
                y=result.history["train_loss"],
                name="engine: cross-entropy",
                line={"color": BLUE, "width": 2.5},
                hovertemplate="epoch %{x}<br>cross-entropy %{y:.4f}<extra></extra>",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=result.extras["snapshot_epochs"],
                y=result.extras["likelihood_loss"],
                name="numpy: −(1/n) Σ log p(yᵢ)",
                mode="markers",
                marker={"color": ORANGE, "size": 6, "symbol": "circle-open"},
                hovertemplate="epoch %{x}<br>−mean log-likelihood %{y:.4f}<extra></extra>",
            )
        )
    figure.update_yaxes(type="log", title="training loss (softmax regression)")
    figure.update_xaxes(title="epoch")
    figure.update_layout(base_layout(height=340, legend=True))
    return figure


def weight_bands(run: LessonRun) -> go.Figure:
    """TensorBoard's distributions: one row per variant, one panel per layer, the weights'
    percentile bands over the recorded epochs (``playground.insight.band_traces``)."""
    results = [r for r in run.results.values() if "weight_percentiles" in r.extras]
    n_layers = results[0].extras["weight_percentiles"].shape[0] if results else 1
    names = layer_names(n_layers)
    figure = make_subplots(
        rows=max(len(results), 1),
        cols=n_layers,
        shared_xaxes=True,
        shared_yaxes=True,
        subplot_titles=[f"{r.label}: {name}" for r in results for name in names],
        horizontal_spacing=0.03,
        vertical_spacing=0.09,
    )
    for row, result in enumerate(results):
        extras = result.extras
        for layer in range(n_layers):
            panel = row * n_layers + layer + 1
            suffix = "" if panel == 1 else str(panel)
            figure.add_traces(
                band_traces(
                    extras["snapshot_epochs"],
                    extras["weight_percentiles"][layer],
                    VARIANT_COLORS[row % len(VARIANT_COLORS)],
                    f"x{suffix}",
                    f"y{suffix}",
                    f"{result.label}, {names[layer]}",
                )
            )
        figure.update_yaxes(title="weight", row=row + 1, col=1)
    for layer in range(n_layers):
        figure.update_xaxes(title="epoch", row=len(results), col=layer + 1)
    figure.update_layout(base_layout(height=200 + 170 * len(results)))
    figure.update_annotations(font_size=12)
    return figure


def weight_sparsity(run: LessonRun) -> go.Figure:
    """Left: the share of weights exactly 0 at every recorded epoch. Right: every weight after
    training, one histogram per variant (a bin centred on 0 holds L1's zeros)."""
    figure = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.1,
        subplot_titles=["Weights exactly 0", "All weights after training"],
    )
    results = [r for r in run.results.values() if "zero_weights" in r.extras]
    largest = max((np.abs(r.extras["final_weights"]).max() for r in results), default=1.0)
    half_width = largest / (HISTOGRAM_BINS - 1) * (HISTOGRAM_BINS / 2)
    for index, result in enumerate(results):
        color = VARIANT_COLORS[index % len(VARIANT_COLORS)]
        extras = result.extras
        share = extras["zero_weights"] / extras["final_weights"].size
        figure.add_trace(
            go.Scatter(
                x=extras["snapshot_epochs"],
                y=share,
                name=result.label,
                legendgroup=result.label,
                line={"color": color, "width": 2.5},
                hovertemplate="epoch %{x}<br>exactly 0: %{y:.0%}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        figure.add_trace(
            go.Histogram(
                x=extras["final_weights"],
                name=result.label,
                legendgroup=result.label,
                showlegend=False,
                marker_color=color,
                opacity=0.6,
                xbins={
                    "start": -half_width,
                    "end": half_width,
                    "size": 2 * half_width / HISTOGRAM_BINS,
                },
                hovertemplate="weights near %{x:.2f}: %{y}<extra></extra>",
            ),
            row=1,
            col=2,
        )
    figure.update_yaxes(tickformat=".0%", range=[0, 1], title="share of weights", row=1, col=1)
    figure.update_xaxes(title="epoch", row=1, col=1)
    figure.update_yaxes(title="count", row=1, col=2)
    figure.update_xaxes(title="weight", row=1, col=2)
    figure.update_layout(base_layout(height=360, legend=True), barmode="overlay")
    figure.update_layout(margin={"t": 90}, legend={"y": 1.14})
    return figure


CHAPTER_FIGURES: dict[str, Callable[[LessonRun], go.Figure]] = {
    "regression_maps": regression_maps,
    "least_squares_path": least_squares_path,
    "likelihood_check": likelihood_check,
    "weight_bands": weight_bands,
    "weight_sparsity": weight_sparsity,
}
