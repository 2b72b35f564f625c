"""Optimisers on a two-parameter loss surface: their update rules, and their paths drawn.

The surface is a real training problem for the engine, so every path is made of the engine's
own optimiser steps (``engine.kernels.optimizer_step``), not a re-statement: one linear unit
ŷ = x·w + b with mse on four points ±s₁u and ±s₂v (u ⟂ v, a rotated pair of axes) with
targets y = x·w*. The points and targets have mean 0, so the bias's gradient is b itself and,
starting at 0, stays 0 for every optimiser (a zero gradient is a zero step for all of them).
The loss of the two weights is then the elongated, rotated bowl

.. math:: L(w) = \\tfrac14\\left(s_1^2 (u\\cdot(w - w^*))^2 + s_2^2 (v\\cdot(w - w^*))^2\\right)

with curvatures s₁²/2 and s₂²/2 along u and v (``loss_surface``). One full batch per epoch:
an epoch is one step.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

import engine

from .style import base_layout

ANGLE = math.radians(30)  # the bowl's long axis against w₁
AXES = np.array([[math.cos(ANGLE), math.sin(ANGLE)], [-math.sin(ANGLE), math.cos(ANGLE)]])
SCALES = (2.0, 0.5)  # s₁, s₂: curvatures 2 and 0.125, a condition number of 16
MINIMUM = np.array([1.0, 0.5])  # w*
START = np.array([-3.0, 3.0])
STEPS = 60
# (engine optimiser, learning rate): each at a rate that shows its character on this bowl.
# SGD's stable limit is 2 / 2 = 1 (the steep curvature); AdaDelta's rate multiplies its own
# unit-correcting step (1 is Zeiler's rule).
RATES: dict[str, float] = {
    "sgd": 0.9,
    "momentum": 0.1,
    "nesterov": 0.1,
    "adagrad": 1.0,
    "rmsprop": 0.1,
    "adadelta": 1.0,
    "adam": 0.3,
}

# The update rules as the engine runs them (engine/optimizers.py), for st.latex.
UPDATE_RULES: tuple[tuple[str, str], ...] = (
    ("SGD", r"w \leftarrow w - \eta\, g"),
    ("Momentum", r"v \leftarrow \mu v + g,\quad w \leftarrow w - \eta\, v"),
    ("Nesterov", r"v \leftarrow \mu v + g,\quad w \leftarrow w - \eta\,(g + \mu v)"),
    (
        "AdaGrad",
        r"G \leftarrow G + g^2,\quad w \leftarrow w - \eta\, \frac{g}{\sqrt{G} + \epsilon}",
    ),
    (
        "RMSProp",
        r"s \leftarrow \rho s + (1-\rho) g^2,\quad w \leftarrow w - \eta\,"
        r"\frac{g}{\sqrt{s} + \epsilon}",
    ),
    (
        "AdaDelta",
        r"s \leftarrow \rho s + (1-\rho) g^2,\quad \Delta = \frac{\sqrt{u + \epsilon}}"
        r"{\sqrt{s + \epsilon}}\, g,\quad u \leftarrow \rho u + (1-\rho) \Delta^2,\quad "
        r"w \leftarrow w - \eta\, \Delta",
    ),
    (
        "Adam",
        r"m \leftarrow \beta_1 m + (1-\beta_1) g,\quad v \leftarrow \beta_2 v + (1-\beta_2) g^2,"
        r"\quad \hat m = \frac{m}{1-\beta_1^t},\quad \hat v = \frac{v}{1-\beta_2^t},\quad "
        r"w \leftarrow w - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}",
    ),
)


def surface_data() -> tuple[np.ndarray, np.ndarray]:
    """(X (4, 2), Y (4, 1)): the four points ±s₁u, ±s₂v and their targets x·w*."""
    u, v = AXES
    X = np.array([SCALES[0] * u, -SCALES[0] * u, SCALES[1] * v, -SCALES[1] * v])
    return X, X @ MINIMUM[:, None]


def loss_surface(w1: np.ndarray, w2: np.ndarray) -> np.ndarray:
    """L at weights (w1, w2) (any equal shapes), bias 0: the engine's mean ½(ŷ − y)²."""
    X, Y = surface_data()
    outputs = w1[..., None] * X[:, 0] + w2[..., None] * X[:, 1]
    return 0.5 * np.mean((outputs - Y[:, 0]) ** 2, axis=-1)


def optimizer_path(optimizer: str, learning_rate: float, steps: int = STEPS) -> np.ndarray:
    """(steps + 1, 2) the weights from ``START`` after each of the engine's optimiser steps."""
    X, Y = surface_data()
    model = engine.Model.create([2, 1], output="linear", seed=0)
    model.weights[0] = START[:, None]
    model.biases[0] = [0.0]
    trainer = engine.Trainer(
        model,
        "mse",
        optimizer=optimizer,
        learning_rate=learning_rate,
        batch_size=len(X),
        shuffle=False,
    )
    path = [START.copy()]
    for _ in range(steps):
        trainer.train(X, Y, 1)
        path.append(model.weights[0][:, 0].copy())
    return np.array(path)


def optimizer_paths(steps: int = STEPS) -> dict[str, np.ndarray]:
    """Every optimiser's path (``RATES``), by engine key."""
    return {name: optimizer_path(name, rate, steps) for name, rate in RATES.items()}


def distances_to_minimum(paths: dict[str, np.ndarray]) -> dict[str, float]:
    """How far each path ends from w*."""
    return {name: float(np.linalg.norm(path[-1] - MINIMUM)) for name, path in paths.items()}


def paths_figure(paths: dict[str, np.ndarray], names: dict[str, str]) -> go.Figure:
    """The bowl's contours and each optimiser's path from the same start (a pure builder)."""
    w1 = np.linspace(-4.0, 4.0, 121)
    w2 = np.linspace(-1.5, 5.0, 101)  # SGD's and Adam's first steps overshoot to w₂ ≈ 4.6
    grid1, grid2 = np.meshgrid(w1, w2)
    figure = go.Figure(
        go.Contour(
            x=w1,
            y=w2,
            z=np.log10(loss_surface(grid1, grid2) + 1e-3),
            showscale=False,
            contours={"coloring": "none"},  # lines only, in one grey: the paths carry colour
            line={"color": "#999999", "width": 1},
            hoverinfo="skip",
            name="loss (log scale)",
        )
    )
    for name, path in paths.items():
        figure.add_trace(
            go.Scatter(
                x=path[:, 0],
                y=path[:, 1],
                mode="lines+markers",
                marker={"size": 4},
                name=f"{names.get(name, name)} (η {RATES.get(name, math.nan):g})",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=[START[0], MINIMUM[0]],
            y=[START[1], MINIMUM[1]],
            mode="markers+text",
            text=["start", "minimum"],
            textposition="top center",
            marker={"size": 10, "color": "black", "symbol": "x"},
            showlegend=False,
        )
    )
    figure.update_layout(base_layout(height=520, legend=True))
    figure.update_layout(
        title={"text": f"{STEPS} steps of each optimiser on a long, tilted bowl", "y": 0.98},
        legend={"y": -0.18, "yanchor": "top"},  # below the plot: the title keeps the top
        margin={"t": 50, "b": 110},
        xaxis={"title": "w₁", "range": [w1[0], w1[-1]]},
        yaxis={"title": "w₂", "range": [w2[0], w2[-1]], "scaleanchor": "x"},
    )
    return figure


def surface_numbers(paths: dict[str, np.ndarray]) -> dict[str, float]:
    """What the optimisers lesson says about the paths: distances to w*, SGD's zig-zag (sign
    changes across the steep axis u in its first 10 steps), how far AdaDelta gets in 10 steps,
    and Adam's first step per weight."""
    numbers = {f"surface_distance_{k}": v for k, v in distances_to_minimum(paths).items()}
    across = (paths["sgd"][:11] - MINIMUM) @ AXES[0]
    numbers["surface_sgd_zigzags"] = float(np.sum(np.diff(np.sign(across)) != 0))
    numbers["surface_adadelta_10_steps"] = float(np.linalg.norm(paths["adadelta"][10] - START))
    numbers["surface_adam_first_step"] = float(np.max(np.abs(paths["adam"][1] - START)))
    return numbers
