"""Pure figure builders for the Activations, Back-prop and Softmax pages (no ``st.``)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.figures import FIGURE_HEIGHT

from . import activations, softmax
from .backprop import Trace, unit_names
from .style import (
    BLUE,
    CAPTION_COLOR,
    DERIVATIVE_COLOR,
    GREY,
    NOTE_COLOR,
    ORANGE,
    SATURATED_FILL,
    SATURATED_SWATCH,
    ZERO_LINE_COLOR,
    base_layout,
)

# ---------------------------------------------------------------- activations


def activation_figure(name: str) -> go.Figure:
    """g(z) and g'(z) on [-Z_LIMIT, Z_LIMIT] from the engine, the saturated stretches shaded."""
    z, values, slopes = activations.curve(name, points=1201)
    title = activations.ACTIVATION_FACTS[name].title
    figure = go.Figure()
    for start, end in activations.saturation_intervals(name):
        figure.add_vrect(x0=start, x1=end, fillcolor=SATURATED_FILL, line_width=0, layer="below")
    figure.add_trace(
        go.Scatter(
            x=z,
            y=values,
            name=f"{title}: g(z)",
            line={"color": BLUE, "width": 3},
            hovertemplate="z = %{x:.2f}<br>g(z) = %{y:.4f}<extra></extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=z,
            y=slopes,
            name="slope g′(z)",
            line={"color": DERIVATIVE_COLOR, "width": 2.5, "dash": "dash"},
            hovertemplate="z = %{x:.2f}<br>g′(z) = %{y:.4f}<extra></extra>",
        )
    )
    if activations.saturation_intervals(name):
        figure.add_trace(  # a legend entry for the shading
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 12, "symbol": "square", "color": SATURATED_SWATCH},
                name="saturated: |g′| < 0.01",
            )
        )
    low = min(values.min(), slopes.min())
    high = max(values.max(), slopes.max())
    pad = 0.08 * (high - low)
    limit = activations.Z_LIMIT
    figure.update_xaxes(
        title="z", range=[-limit, limit], zeroline=True, zerolinecolor=ZERO_LINE_COLOR
    )
    figure.update_yaxes(range=[low - pad, high + pad], zeroline=True, zerolinecolor=ZERO_LINE_COLOR)
    figure.update_layout(base_layout(height=380, legend=True))
    return figure


# ---------------------------------------------------------------- softmax


def _class_names(k: int) -> list[str]:
    return [f"class {i + 1}" for i in range(k)]


def probability_bars(logits: np.ndarray, true_class: int) -> go.Figure:
    """Softmax probabilities as bars; the true class in blue, the others in orange."""
    p = softmax.softmax(np.asarray(logits, dtype=np.float64))
    colors = [BLUE if i == true_class else ORANGE for i in range(p.size)]
    figure = go.Figure(
        go.Bar(
            x=_class_names(p.size),
            y=p,
            marker_color=colors,
            text=[f"{value:.3f}" for value in p],
            textposition="outside",
            hovertemplate="%{x}: p = %{y:.4f}<extra></extra>",
        )
    )
    best = int(np.argmax(p))
    figure.add_annotation(
        x=_class_names(p.size)[best],
        y=min(p[best] + 0.16, 1.12),
        text="argmax",
        showarrow=False,
        font={"size": 12, "color": NOTE_COLOR},
    )
    figure.update_yaxes(range=[0, 1.2], title="probability", tickvals=[0, 0.25, 0.5, 0.75, 1])
    figure.update_layout(base_layout(height=320))
    figure.update_layout(
        title={"text": "Softmax probabilities (blue: the true class)", "font": {"size": 14}}
    )
    return figure


def logit_gradients(logits: np.ndarray, true_class: int) -> go.Figure:
    """How hard each loss pushes each logit: −dL/d logit for cross-entropy and for MSE."""
    logits = np.asarray(logits, dtype=np.float64)
    names = _class_names(logits.size)
    figure = go.Figure()
    for label, gradient, color in (
        ("cross-entropy", softmax.cross_entropy_gradient(logits, true_class), BLUE),
        ("MSE", softmax.mse_gradient(logits, true_class), ORANGE),
    ):
        figure.add_trace(
            go.Bar(
                x=names,
                y=-gradient,
                name=label,
                marker_color=color,
                hovertemplate="%{x}: push %{y:.4f}<extra>" + label + "</extra>",
            )
        )
    figure.update_yaxes(title="push on the logit (−∂L/∂o)", zeroline=True, zerolinecolor="#999")
    figure.update_layout(base_layout(height=320, legend=True), barmode="group")
    return figure


# ---------------------------------------------------------------- back-prop

_COLUMNS_X = (0.0, 1.0, 2.0)
_NODE_SIZE = 46


_UNIT_SPACING = 1.6  # vertical distance between units: room for three lines of numbers


def _column_y(count: int) -> np.ndarray:
    """Vertical positions of ``count`` units, centred on 0."""
    return _UNIT_SPACING * (np.arange(count)[::-1] - (count - 1) / 2).astype(float)


def _edge_color(value: float) -> str:
    return BLUE if value >= 0 else ORANGE


def _unit_text(trace: Trace, layer: int, unit: int, phase: int) -> str:
    """The numbers shown under a unit at this phase."""
    if layer == 0:
        return f"{trace.sample[unit]:.2f}"
    lines = []
    biases = (trace.updated if phase == 7 else trace.network).parameters()[2 * layer - 1]
    lines.append(f"{'new b' if phase == 7 else 'b'} {biases[unit]:.3f}")
    if layer == 1 and phase >= 1:
        lines += [f"z {trace.hidden_z[unit]:.3f}", f"a {trace.hidden_a[unit]:.3f}"]
    if layer == 2 and phase >= 2:
        lines += [f"z {trace.output_z[unit]:.3f}", f"a {trace.output_a[unit]:.3f}"]
    if layer == 1 and phase >= 5:
        lines.append(f"δ {trace.hidden_delta[unit]:.3f}")
    if layer == 2 and phase >= 4:
        lines.append(f"δ {trace.output_delta[unit]:.3f}")
    return "<br>".join(lines)


def _edge_values(trace: Trace, phase: int) -> tuple[np.ndarray, np.ndarray, str]:
    """What the links show: weights, their gradients (phase 6) or new weights (phase 7)."""
    if phase == 6:
        return trace.grad_hidden_weights, trace.grad_output_weights, "∂L/∂w"
    if phase == 7:
        return trace.updated.hidden_weights, trace.updated.output_weights, "new w"
    return trace.network.hidden_weights, trace.network.output_weights, "w"


_LINK_MEANING = {
    "w": "weights w (blue positive, orange negative)",
    "∂L/∂w": "gradients ∂L/∂w",
    "new w": "weights after the step",
}


def backprop_diagram(trace: Trace, phase: int) -> go.Figure:
    """The network with the numbers of every phase up to ``phase`` written on it."""
    inputs, hidden, outputs = unit_names(trace.network)
    names = (inputs, hidden, outputs)
    ys = [_column_y(len(layer)) for layer in names]
    first, second, what = _edge_values(trace, phase)
    figure = go.Figure()
    # Links: colour = sign, width = size; the label sits at a different point along each
    # link (by source unit) so labels of links that cross do not overlap.
    for layer, matrix in enumerate((first, second)):
        scale = max(float(np.abs(matrix).max()), 1e-12)
        n_sources = matrix.shape[0]
        for i in range(n_sources):
            for j in range(matrix.shape[1]):
                x0, x1 = _COLUMNS_X[layer], _COLUMNS_X[layer + 1]
                y0, y1 = ys[layer][i], ys[layer + 1][j]
                value = float(matrix[i, j])
                figure.add_trace(
                    go.Scatter(
                        x=[x0, x1],
                        y=[y0, y1],
                        mode="lines",
                        line={
                            "color": _edge_color(value),
                            "width": 1 + 5 * abs(value) / scale,
                        },
                        opacity=0.55,
                        hoverinfo="skip",
                        showlegend=False,
                    )
                )
                t = (
                    0.22 + 0.5 * i / max(n_sources - 1, 1)
                    if layer == 0
                    else 0.3 + 0.4 * i / max(n_sources - 1, 1)
                )
                figure.add_annotation(
                    x=x0 + t * (x1 - x0),
                    y=y0 + t * (y1 - y0),
                    text=f"{value:.3f}",
                    showarrow=False,
                    font={"size": 11, "color": _edge_color(value)},
                    bgcolor="rgba(255,255,255,0.85)",
                    hovertext=f"{what} {names[layer][i]}→{names[layer + 1][j]} = {value:.4f}",
                )
    # Units.
    for layer, layer_names in enumerate(names):
        computed = layer == 0 or (layer == 1 and phase >= 1) or (layer == 2 and phase >= 2)
        figure.add_trace(
            go.Scatter(
                x=[_COLUMNS_X[layer]] * len(layer_names),
                y=ys[layer],
                mode="markers+text",
                marker={
                    "size": _NODE_SIZE,
                    "color": "white" if not computed else "#f2f7fb",
                    "line": {"color": BLUE if computed else "#aaaaaa", "width": 2},
                },
                text=layer_names,
                textfont={"size": 15},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        for unit, y in enumerate(ys[layer]):
            text = _unit_text(trace, layer, unit, phase)
            if text:
                figure.add_annotation(
                    x=_COLUMNS_X[layer],
                    y=y - 0.38,
                    text=text,
                    showarrow=False,
                    yanchor="top",
                    font={"size": 11, "color": "#333333"},
                    bgcolor="rgba(255,255,255,0.9)",
                )
    # Targets and loss beside the outputs.
    for k, y in enumerate(ys[2]):
        figure.add_annotation(
            x=_COLUMNS_X[2] + 0.22,
            y=y,
            text=f"target {trace.target[k]:.2f}",
            showarrow=False,
            xanchor="left",
            font={"size": 12, "color": NOTE_COLOR},
        )
    if phase >= 3:
        after = f" → {trace.loss_after_step:.4f}" if phase == 7 else ""
        figure.add_annotation(
            x=_COLUMNS_X[2] + 0.22,
            y=float(ys[2].min()) - 0.7,
            text=f"<b>loss {trace.loss:.4f}{after}</b>",
            showarrow=False,
            xanchor="left",
            font={"size": 14},
            bgcolor=GREY,
        )
    for x, title in zip(_COLUMNS_X, ("inputs", "hidden layer", "outputs")):
        figure.add_annotation(
            x=x, y=3.3, text=title, showarrow=False, font={"size": 13, "color": CAPTION_COLOR}
        )
    figure.add_annotation(
        x=-0.3,
        y=-3.6,
        text=f"numbers on the links: {_LINK_MEANING[what]}",
        showarrow=False,
        xanchor="left",
        font={"size": 12, "color": CAPTION_COLOR},
    )
    figure.update_xaxes(visible=False, range=[-0.35, 2.75])
    figure.update_yaxes(visible=False, range=[-3.75, 3.5])
    layout = base_layout(height=FIGURE_HEIGHT)
    layout["margin"] = {"l": 10, "r": 10, "t": 10, "b": 10}
    figure.update_layout(layout)
    return figure
