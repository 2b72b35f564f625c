"""Pure figure builders for lessons: a ``LessonRun`` in, a Plotly figure out (no ``st.``).

``FIGURES`` maps the names lessons list in ``Lesson.figures`` to their builders.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from engine import DOMAIN

from .chapter_figures import CHAPTER_FIGURES
from .lessons import SATURATION, LessonRun, saturated_fractions
from .lessons_batchnorm import activations_with, activations_without
from .lessons_schedules import SCHEDULE_FIGURES
from .optimizer_paths import optimizer_paths, paths_figure
from .runs import MAP_RESOLUTION, VariantResult
from .style import BLUE, CLASS_COLORS, COLORSCALE, VARIANT_COLORS, base_layout


def _cell_centres() -> np.ndarray:
    step = 2 * DOMAIN / MAP_RESOLUTION
    return -DOMAIN + step * (np.arange(MAP_RESOLUTION) + 0.5)


def map_values(result: VariantResult) -> tuple[np.ndarray, bool]:
    """What a decision map colours: (res, res) values in [-1, 1], or class ids if multi-class.

    Returns the values and whether they are class ids.
    """
    grid = result.output_grid
    output = result.settings.output
    if output == "softmax" and grid.shape[0] > 2:
        return np.argmax(grid, axis=0).astype(float), True
    if output == "softmax":
        return 2 * grid[1] - 1, False
    if output == "sigmoid":
        return 2 * grid[0] - 1, False
    return np.clip(grid[0], -1, 1), False


def _class_colorscale(k: int) -> list[list]:
    """A stepped colour scale: class c gets CLASS_COLORS[c] on [c/k, (c+1)/k]."""
    scale = []
    for c in range(k):
        scale += [[c / k, CLASS_COLORS[c]], [(c + 1) / k, CLASS_COLORS[c]]]
    return scale


def _accuracy_title(result: VariantResult) -> str:
    accuracy = result.last("test_accuracy")
    suffix = f"<br>test accuracy {accuracy:.0%}" if np.isfinite(accuracy) else ""
    return f"{result.label}{suffix}"


def decision_maps(run: LessonRun) -> go.Figure:
    """Each variant's output over the plane with its training points, side by side."""
    results = list(run.results.values())
    figure = make_subplots(
        rows=1,
        cols=len(results),
        subplot_titles=[_accuracy_title(r) for r in results],
        horizontal_spacing=0.05,
    )
    centres = _cell_centres()
    for column, result in enumerate(results, start=1):
        values, is_class = map_values(result)
        k = int(result.output_grid.shape[0]) if is_class else 2
        heatmap = go.Heatmap(
            x=centres,
            y=centres[::-1],
            z=values,
            colorscale=_class_colorscale(k) if is_class else COLORSCALE,
            zmin=-0.5 if is_class else -1,
            zmax=k - 0.5 if is_class else 1,
            opacity=0.45 if is_class else 1.0,
            showscale=False,
            hovertemplate="x₁ %{x:.1f}, x₂ %{y:.1f}<br>output %{z:.2f}<extra></extra>",
        )
        figure.add_trace(heatmap, row=1, col=column)
        colors = [CLASS_COLORS[int(c) % len(CLASS_COLORS)] for c in result.train_labels]
        points = go.Scatter(
            x=result.train_points[:, 0],
            y=result.train_points[:, 1],
            mode="markers",
            marker={"size": 5, "color": colors, "line": {"width": 0.8, "color": "white"}},
            hoverinfo="skip",
            showlegend=False,
        )
        figure.add_trace(points, row=1, col=column)
        axis = {"range": [-DOMAIN, DOMAIN], "showgrid": False, "zeroline": False, "ticks": ""}
        figure.update_xaxes(axis, row=1, col=column, constrain="domain")
        suffix = "" if column == 1 else str(column)
        figure.update_yaxes(axis, row=1, col=column, scaleanchor=f"x{suffix}", constrain="domain")
    figure.update_layout(base_layout(height=360))
    figure.update_layout(margin={"t": 60})
    figure.update_annotations(font_size=13)
    return figure


def _epochs(result: VariantResult) -> np.ndarray:
    """The epoch of each history row (a long run's older rows are thinned)."""
    return result.history["epoch"]


def loss_curves(run: LessonRun) -> go.Figure:
    """Training loss per epoch of every variant on one log-scale chart (epoch 0: untrained)."""
    figure = go.Figure()
    results = list(run.results.values())
    starts = max(r.initial_loss for r in results)
    if any(r.diverged for r in results):
        ceiling = starts * 10  # a diverging curve leaves the chart through the top
    else:
        ceiling = 1.5 * max(
            starts, *(np.nanmax(r.history["train_loss"], initial=0.0) for r in results)
        )
    for index, result in enumerate(results):
        losses = np.concatenate([[result.initial_loss], result.history["train_loss"]])
        color = VARIANT_COLORS[index % len(VARIANT_COLORS)]
        figure.add_trace(
            go.Scatter(
                x=np.concatenate([[0], _epochs(result)]),
                y=losses,
                name=result.label,
                line={"color": color, "width": 2.5},
                hovertemplate="epoch %{x}<br>loss %{y:.4g}<extra>" + result.label + "</extra>",
            )
        )
        if result.diverged:
            figure.add_annotation(
                x=result.diverged_epoch,
                y=np.log10(ceiling),
                text=f"{result.label}: diverged in epoch {result.diverged_epoch}",
                showarrow=False,
                xanchor="left",
                yanchor="top",
                font={"color": color},
            )
    finite = np.concatenate([r.history["train_loss"] for r in results])
    finite = finite[np.isfinite(finite) & (finite > 0)]
    floor = max(finite.min() / 2, 1e-6) if finite.size else 1e-3
    figure.update_yaxes(
        type="log", range=[np.log10(floor), np.log10(ceiling)], dtick=1, title="training loss"
    )
    figure.update_xaxes(title="epoch")
    figure.update_layout(base_layout(height=360, legend=True))
    return figure


def loss_side_by_side(run: LessonRun) -> go.Figure:
    """Each variant's training loss in its own panel, same axes."""
    results = list(run.results.values())
    figure = make_subplots(
        rows=1,
        cols=len(results),
        shared_yaxes=True,
        subplot_titles=[r.label for r in results],
        horizontal_spacing=0.03,
    )
    for column, result in enumerate(results, start=1):
        losses = result.history["train_loss"]
        figure.add_trace(
            go.Scatter(
                x=_epochs(result),
                y=losses,
                line={"color": VARIANT_COLORS[(column - 1) % len(VARIANT_COLORS)], "width": 2},
                showlegend=False,
                hovertemplate="epoch %{x}<br>loss %{y:.4f}<extra></extra>",
            ),
            row=1,
            col=column,
        )
        figure.update_xaxes(title="epoch", row=1, col=column)
    figure.update_yaxes(title="training loss", row=1, col=1)
    figure.update_layout(base_layout(height=320))
    return figure


def train_test_curves(run: LessonRun) -> go.Figure:
    """Training (solid) and test (dashed) loss of each variant, one panel each."""
    results = list(run.results.values())
    figure = make_subplots(
        rows=1,
        cols=len(results),
        shared_yaxes=True,
        subplot_titles=[r.label for r in results],
        horizontal_spacing=0.03,
    )
    for column, result in enumerate(results, start=1):
        for name, dash in (("train_loss", "solid"), ("test_loss", "dash")):
            values = result.history[name]
            figure.add_trace(
                go.Scatter(
                    x=_epochs(result),
                    y=values,
                    name="training loss" if name == "train_loss" else "test loss",
                    legendgroup=name,
                    showlegend=column == 1,
                    line={"color": "#333333" if name == "train_loss" else BLUE, "dash": dash},
                    hovertemplate="epoch %{x}<br>%{y:.3f}<extra></extra>",
                ),
                row=1,
                col=column,
            )
        figure.update_xaxes(title="epoch", row=1, col=column)
    figure.update_yaxes(title="loss", row=1, col=1)
    figure.update_layout(base_layout(height=340, legend=True))
    figure.update_layout(margin={"t": 80}, legend={"y": 1.16})
    return figure


def accuracy_curves(run: LessonRun) -> go.Figure:
    """Training accuracy per epoch of every variant."""
    return _share_curves(run, "train_accuracy", "training accuracy", "accuracy %{y:.1%}", 1.02, 340)


def dead_fraction(run: LessonRun) -> go.Figure:
    """Share of dead ReLU and leaky ReLU units (z ≤ 0 on every training point) per epoch."""
    return _share_curves(run, "dead_fraction", "dead units", "dead %{y:.0%}", 1.0, 320)


def _share_curves(
    run: LessonRun, metric: str, axis_title: str, hover_value: str, top: float, height: int
) -> go.Figure:
    """One line per variant of a metric that is a share (0 … 1), shown in per cent;
    ``hover_value`` is the hover text after the epoch (a Plotly hover template)."""
    figure = go.Figure()
    for index, result in enumerate(run.results.values()):
        values = result.history[metric]
        figure.add_trace(
            go.Scatter(
                x=_epochs(result),
                y=values,
                name=result.label,
                line={"color": VARIANT_COLORS[index % len(VARIANT_COLORS)], "width": 2.5},
                hovertemplate=f"epoch %{{x}}<br>{hover_value}<extra></extra>",
            )
        )
    figure.update_yaxes(title=axis_title, tickformat=".0%", range=[0, top])
    figure.update_xaxes(title="epoch")
    figure.update_layout(base_layout(height=height, legend=True))
    return figure


def _layer_names(n_layers: int) -> list[str]:
    return [f"layer {i}" for i in range(1, n_layers)] + ["output"]


def gradient_norms(run: LessonRun) -> go.Figure:
    """Mean weight-gradient norm of every layer (log scale), one bar group per layer."""
    figure = go.Figure()
    for index, result in enumerate(run.results.values()):
        norms = result.grad_norms.mean(axis=0)
        figure.add_trace(
            go.Bar(
                x=_layer_names(len(norms)),
                y=norms,
                name=result.label,
                marker_color=VARIANT_COLORS[index % len(VARIANT_COLORS)],
                hovertemplate="%{x}<br>gradient norm %{y:.2e}<extra></extra>",
            )
        )
    figure.update_yaxes(type="log", dtick=1, title="mean gradient norm", exponentformat="power")
    figure.update_layout(base_layout(height=340, legend=True), barmode="group")
    return figure


def delta_norms(run: LessonRun) -> go.Figure:
    """Mean ‖δ‖ (the back-propagated error) of every layer before training, log scale, one
    bar group per layer (``teach.lessons.layer_deltas``)."""
    figure = go.Figure()
    for index, result in enumerate(run.results.values()):
        norms = result.extras["before_delta_norms"]
        figure.add_trace(
            go.Bar(
                x=_layer_names(len(norms)),
                y=norms,
                name=result.label,
                marker_color=VARIANT_COLORS[index % len(VARIANT_COLORS)],
                hovertemplate="%{x}<br>mean ‖δ‖ %{y:.2e}<extra></extra>",
            )
        )
    figure.update_yaxes(
        type="log", dtick=1, title="mean ‖δ‖ before training", exponentformat="power"
    )
    figure.update_layout(base_layout(height=340, legend=True), barmode="group")
    return figure


def activation_spread(run: LessonRun) -> go.Figure:
    """Per hidden layer: the spread of tanh outputs (box) and the saturated share (bars)."""
    figure = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.6, 0.4],
        horizontal_spacing=0.09,
        subplot_titles=[
            "Hidden-unit outputs per layer (before training)",
            f"Share of outputs beyond ±{SATURATION}",
        ],
    )
    for index, result in enumerate(run.results.values()):
        outputs = result.extras["before_hidden_outputs"]
        color = VARIANT_COLORS[index % len(VARIANT_COLORS)]
        names = [f"layer {i}" for i in range(1, outputs.shape[0] + 1)]
        low, q1, median, q3, high = np.percentile(outputs, [2.5, 25, 50, 75, 97.5], axis=1)
        figure.add_trace(
            go.Box(
                x=names,
                q1=q1,
                median=median,
                q3=q3,
                lowerfence=low,
                upperfence=high,
                name=result.label,
                legendgroup=result.label,
                marker_color=color,
                hoverinfo="skip",
            ),
            row=1,
            col=1,
        )
        figure.add_trace(
            go.Bar(
                x=names,
                y=saturated_fractions(outputs),
                name=result.label,
                legendgroup=result.label,
                showlegend=False,
                marker_color=color,
                hovertemplate="%{x}<br>%{y:.0%} saturated<extra></extra>",
            ),
            row=1,
            col=2,
        )
    figure.update_yaxes(title="tanh output", range=[-1.05, 1.05], row=1, col=1)
    figure.update_yaxes(tickformat=".0%", range=[0, 1], row=1, col=2)
    figure.update_layout(base_layout(height=380, legend=True), boxmode="group", barmode="group")
    figure.update_layout(margin={"t": 90}, legend={"y": 1.16})
    figure.update_annotations(font_size=13)
    return figure


def first_layer_weights(run: LessonRun) -> go.Figure:
    """Every first-layer unit's incoming weights and bias, as a small annotated table."""
    results = list(run.results.values())
    figure = make_subplots(
        rows=1,
        cols=len(results),
        subplot_titles=[f"{r.label}: layer 1 after training" for r in results],
        horizontal_spacing=0.08,
    )
    for column, result in enumerate(results, start=1):
        table = np.vstack([result.weights[0], result.biases[0][None, :]])
        features = result.settings.features
        rows = [f"from {name}" for name in features] + ["bias"]
        units = [f"unit {j + 1}" for j in range(table.shape[1])]
        limit = max(float(np.abs(table).max()), 1e-9)
        figure.add_trace(
            go.Heatmap(
                z=table,
                x=units,
                y=rows,
                colorscale=COLORSCALE,
                zmin=-limit,
                zmax=limit,
                showscale=False,
                texttemplate="%{z:.3f}",
                hovertemplate="%{y} → %{x}: %{z:.4f}<extra></extra>",
            ),
            row=1,
            col=column,
        )
        figure.update_yaxes(autorange="reversed", row=1, col=column)
    figure.update_layout(base_layout(height=240))
    figure.update_annotations(font_size=13)
    return figure


def optimizer_paths_figure(run: LessonRun) -> go.Figure:
    """Every optimiser's path on the two-parameter bowl (the same for every run: it has no
    random part; see teach/optimizer_paths.py)."""
    from playground.words import name

    paths = optimizer_paths()
    return paths_figure(paths, {key: name(key) for key in paths})


FIGURES: dict[str, Callable[[LessonRun], go.Figure]] = {
    "decision_maps": decision_maps,
    "loss_curves": loss_curves,
    "loss_side_by_side": loss_side_by_side,
    "train_test_curves": train_test_curves,
    "accuracy_curves": accuracy_curves,
    "dead_fraction": dead_fraction,
    "gradient_norms": gradient_norms,
    "delta_norms": delta_norms,
    "activation_spread": activation_spread,
    "first_layer_weights": first_layer_weights,
    "optimizer_paths": optimizer_paths_figure,
    **SCHEDULE_FIGURES,
    **CHAPTER_FIGURES,
    "batchnorm_activations_without": activations_without,
    "batchnorm_activations_with": activations_with,
}
