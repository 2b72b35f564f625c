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

from playground.insight import band_traces, layer_names

from .lessons import LessonRun
from .style import BLUE, ORANGE, VARIANT_COLORS, base_layout

HISTOGRAM_BINS = 41  # odd: one bin is centred on 0, where L1's weights pile up


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
    figure.update_layout(base_layout(height=340, legend=True), barmode="overlay")
    return figure


CHAPTER_FIGURES: dict[str, Callable[[LessonRun], go.Figure]] = {
    "least_squares_path": least_squares_path,
    "likelihood_check": likelihood_check,
    "weight_bands": weight_bands,
    "weight_sparsity": weight_sparsity,
}
