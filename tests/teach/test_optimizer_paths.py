"""The optimiser paths on the two-parameter bowl are the engine's steps on the loss drawn."""

from __future__ import annotations

import numpy as np

import engine
from teach.optimizer_paths import (
    AXES,
    MINIMUM,
    RATES,
    START,
    UPDATE_RULES,
    loss_surface,
    optimizer_path,
    paths_figure,
    surface_data,
)


def gradient(w: np.ndarray) -> np.ndarray:
    """∇L of the bowl by hand: Xᵀ(Xw − y)/n (the bias stays 0, see the module)."""
    X, Y = surface_data()
    return X.T @ (X @ w - Y[:, 0]) / len(X)


def test_the_bias_stays_zero_and_the_drawn_surface_is_the_engines_loss():
    X, Y = surface_data()
    path = optimizer_path("adam", RATES["adam"], steps=5)
    for w in path:
        model = engine.Model.create([2, 1], output="linear", seed=0)
        model.weights[0] = w[:, None]
        model.biases[0] = [0.0]
        loss, _ = engine.Trainer(model, "mse").evaluate(X, Y)
        assert loss == np.float64(loss_surface(np.array(w[0]), np.array(w[1])))
    assert loss_surface(np.array(MINIMUM[0]), np.array(MINIMUM[1])) == 0.0
    # The bowl is long and tilted: curvature 2 along AXES[0], 0.125 across it.
    hessian = X.T @ X / len(X)
    np.testing.assert_allclose(np.linalg.eigvalsh(hessian), [0.125, 2.0])
    np.testing.assert_allclose(hessian @ AXES[0], 2.0 * AXES[0])


def test_paths_are_the_update_rules_restated_by_hand():
    steps = 8
    eta = RATES["momentum"]
    w, v = START.copy(), np.zeros(2)
    for expected in optimizer_path("momentum", eta, steps)[1:]:
        v = 0.9 * v + gradient(w)
        w = w - eta * v
        np.testing.assert_allclose(expected, w, rtol=1e-12)
    eta = RATES["adadelta"]
    w, s, u = START.copy(), np.zeros(2), np.zeros(2)
    for expected in optimizer_path("adadelta", eta, steps)[1:]:
        g = gradient(w)
        s = 0.9 * s + 0.1 * g**2
        delta = np.sqrt(u + 1e-6) / np.sqrt(s + 1e-6) * g
        u = 0.9 * u + 0.1 * delta**2
        w = w - eta * delta
        np.testing.assert_allclose(expected, w, rtol=1e-12)


def test_the_figure_draws_every_optimiser_of_the_rules():
    names = {"sgd": "SGD", "adam": "Adam"}
    paths = {key: optimizer_path(key, RATES[key], steps=3) for key in names}
    figure = paths_figure(paths, names)
    lines = [
        trace for trace in figure.data if trace.type == "scatter" and trace.showlegend is not False
    ]
    assert [trace.name.split(" ")[0] for trace in lines] == ["SGD", "Adam"]
    assert len(lines[0].x) == 4 and (lines[0].x[0], lines[0].y[0]) == tuple(START)
    assert set(RATES) == set(engine.OPTIMIZERS)  # every engine optimiser has a path
    assert len(UPDATE_RULES) == len(engine.OPTIMIZERS)  # and its rule on screen
