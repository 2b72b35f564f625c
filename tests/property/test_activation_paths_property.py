"""The engine's two ways of applying an activation give the same numbers, bit for bit.

The *scalar* path, ``engine.activations.activate`` and ``derivative_from_output``, maps
one value at a time (``engine.activation_values``: the curves the lessons draw).  The
*vectorised* paths map a whole layer in one loop: ``engine.kernels.activate_rows`` (the
grid's and training's hidden layers), the output layer's tanh / sigmoid / softmax loops
of ``forward_batch`` and the grid's column-wise softmax, and the backward pass's inline
tanh derivative.  They are written separately (so the loops vectorise), so a formula
changed in one place only must fail here.

Each network is built so that its layer passes values through unchanged (weights 1,
biases 0), and a single row at a time goes through training's kernels, so that a loss
or a gradient *is* the activation's value or derivative, exactly.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine
from engine import kernels
from engine.checks import MAX_ABS_VALUE

LARGEST = MAX_ABS_VALUE  # the largest input the engine accepts
# Kinks and edges of the formulas: 0 and its neighbours (signed zeros, subnormals), tanh's
# saturation at 19.5 (sigmoid's at 39), where exp(-|z|) underflows (745) and where the
# ReLU family changes branch.
SPECIAL = [
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    1e-300,
    -1e-300,
    1e-8,
    -1e-8,
    19.5,
    np.nextafter(19.5, 0.0),
    np.nextafter(19.5, 40.0),
    -19.5,
    39.0,
    -39.0,
    40.0,
    -40.0,
    709.0,
    745.0,
    -745.0,
    1e6,
    -1e6,
    LARGEST,
    -LARGEST,
]
VALUES = hnp.arrays(
    np.float64,
    st.integers(1, 24),
    elements=st.one_of(
        st.floats(-LARGEST, LARGEST), st.floats(-50.0, 50.0), st.sampled_from(SPECIAL)
    ),
)
EXAMPLES = settings(max_examples=40, deadline=None, database=None)


def pass_through(layer_sizes: list[int], activation: str, output: str) -> engine.Model:
    """A model whose dense layers compute z = x exactly: identity weights, zero biases."""
    model = engine.Model.create(layer_sizes, activation=activation, output=output)
    model.weights = [np.eye(a, b) for a, b in zip(layer_sizes, layer_sizes[1:])]
    model.biases = [np.zeros(b) for b in layer_sizes[1:]]
    return model


def assert_training_outputs(model: engine.Model, X: np.ndarray, expected: np.ndarray) -> None:
    """Training's forward pass gives exactly ``expected`` for each row of ``X``: the mae loss
    of that row alone (no squaring, no division that could round a difference to 0) is 0."""
    for row, wanted in zip(X, expected):
        loss, _, _ = engine.loss_and_gradients(model, row[None, :], wanted[None, :], "mae")
        assert loss == 0.0, (row, wanted)


@pytest.mark.parametrize("name", list(engine.HIDDEN_ACTIVATIONS))
@EXAMPLES
@given(z=VALUES)
def test_a_whole_hidden_layer_equals_the_scalar_activation(name, z):
    values, _ = engine.activation_values(name, z)
    model = pass_through([1, 1, 1], name, "linear")
    # The grid's path: every neuron's output for every point.
    np.testing.assert_array_equal(model.activations(z[:, None])[1][:, 0], values)
    # Training's path: a linear output passes the hidden value on unchanged.
    assert_training_outputs(model, z[:, None], values[:, None])


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "linear"])
@EXAMPLES
@given(z=VALUES)
def test_the_output_layer_equals_the_scalar_activation(name, z):
    values, _ = engine.activation_values(name, z)
    model = pass_through([1, 1], "tanh", name)
    np.testing.assert_array_equal(model.forward(z[:, None])[:, 0], values)
    assert_training_outputs(model, z[:, None], values[:, None])


@EXAMPLES
@given(
    z=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 8), st.integers(2, 4)),
        elements=st.one_of(st.floats(-1e3, 1e3), st.sampled_from(SPECIAL[:12])),
    )
)
def test_training_softmax_equals_the_grid_softmax(z):
    # Row-wise in training (softmax_rows), column-wise in the grid (softmax_columns).
    classes = z.shape[1]
    model = pass_through([classes, classes], "tanh", "softmax")
    assert_training_outputs(model, z, model.forward(z))


@pytest.mark.parametrize("name", list(engine.HIDDEN_ACTIVATIONS))
@EXAMPLES
@given(z=VALUES)
def test_the_backward_pass_uses_the_scalar_derivative(name, z):
    # mae's gradient is sign(ŷ - y) = ±1 for a target 1 away, and the linear output and the
    # identity weight pass it on unchanged: the hidden bias's gradient is ±g'(z) itself.
    values, derivatives = engine.activation_values(name, z)
    model = pass_through([1, 1, 1], name, "linear")
    for value, output, derivative in zip(z, values, derivatives):
        sign = 1.0 if output >= 0.0 else -1.0
        target = np.array([[output - sign]])
        _, _, grad_biases = engine.loss_and_gradients(model, np.array([[value]]), target, "mae")
        assert grad_biases[0][0] == sign * derivative, value


def test_non_finite_values_agree_too():
    # Unreachable through the checked API (it refuses NaN and ±inf), but a diverging run
    # produces them inside the kernels: the whole-layer loop is called directly here.
    z = np.array([np.nan, np.inf, -np.inf, 1e300, -1e300])
    for name in engine.HIDDEN_ACTIVATIONS:
        model = pass_through([1, 1, 1], name, "linear")
        out = np.empty((3, z.size))
        out[0] = z
        kernels.all_layer_outputs(model.kernel_arrays, out.reshape(-1), z.size, 1, z.size)
        values, _ = engine.activation_values(name, z)
        np.testing.assert_array_equal(out[1], values, err_msg=name)  # NaN equals NaN here
