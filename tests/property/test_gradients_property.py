"""Back-propagated gradients agree with central finite differences of the loss.

Covers every hidden activation × every valid (loss, output) pair × 0–3 hidden layers.

Tolerance.  Everything is float64 and the step is h = 1e-6.  For a loss L of order 1 the
central difference (L(θ+h) - L(θ-h)) / 2h has

* truncation error h²/6 · |L'''| ≈ 2e-13 · |L'''|, and
* rounding error ≈ (a few ulp of L) / h ≈ 1e-15 / 1e-6 = 1e-9 (``fast_tanh`` adds a few ulp
  too, which is the same order).

So ``|analytic - numeric| ≤ 1e-7 + 1e-5 · max(|analytic|, |numeric|)`` leaves two orders of
magnitude of head-room over the noise, while a wrong derivative (a missing g' factor, a
transposed index, a wrong 1/n) is off by O(1) relative and fails.

Kinks.  relu, leaky_relu (g' jumps at 0), elu (g'' jumps at 0) and mae (|r| at r = 0) are
not smooth everywhere; examples with any such pre-activation or residual within 1e-4 of 0
are assumed away.  Perturbing one parameter by 1e-6 moves any pre-activation by far less
than 1e-4 here (inputs and weights are O(1)), so no difference quotient crosses a kink.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import engine

STEP = 1e-6
ABSOLUTE_TOLERANCE = 1e-7
RELATIVE_TOLERANCE = 1e-5
KINK_MARGIN = 1e-4
KINKED_ACTIVATIONS = {"relu", "leaky_relu", "elu"}

LOSS_OUTPUT_PAIRS = [
    (loss, output) for loss, outputs in engine.LOSS_OUTPUTS.items() for output in outputs
]
SMOOTH_INITS = ("playground", "xavier_uniform", "xavier_normal", "he_normal")


def test_pairs_cover_the_documented_combinations():
    # If a loss or output is added, this list (and so the gradient checks) must grow too.
    assert set(engine.LOSSES) == {"mse", "mae", "bce", "cross_entropy"}
    assert len(LOSS_OUTPUT_PAIRS) == 10
    assert ("bce", "sigmoid") in LOSS_OUTPUT_PAIRS
    assert ("cross_entropy", "softmax") in LOSS_OUTPUT_PAIRS


def make_problem(
    activations: list[str], loss: str, output: str, seed: int
) -> tuple[engine.Model, np.ndarray, np.ndarray]:
    """A small random network, inputs and targets suited to the output/loss pair."""
    rng = np.random.default_rng(seed)
    n_inputs = int(rng.integers(1, 4))
    n_outputs = int(rng.integers(2, 5)) if output == "softmax" else int(rng.integers(1, 4))
    hidden = [int(units) for units in rng.integers(1, 5, size=len(activations))]
    n_rows = int(rng.integers(1, 7))
    model = engine.Model.create(
        [n_inputs, *hidden, n_outputs],
        activation=activations,
        output=output,
        init=SMOOTH_INITS[seed % len(SMOOTH_INITS)],
        seed=seed,
    )
    for layer in range(len(model.biases)):
        # Non-zero biases, so bias gradients are exercised whatever the initialiser.
        model.biases[layer] = rng.uniform(-0.5, 0.5, size=model.biases[layer].shape)
    X = rng.uniform(-2.0, 2.0, size=(n_rows, n_inputs))
    if output == "softmax":
        # Rows summing to 1 (cross-entropy's fused gradient p - y assumes it).
        Y = rng.dirichlet(np.ones(n_outputs), size=n_rows)
    elif output == "sigmoid":
        Y = rng.uniform(0.0, 1.0, size=(n_rows, n_outputs))
    elif output == "tanh":
        Y = rng.uniform(-1.0, 1.0, size=(n_rows, n_outputs))
    else:
        Y = rng.normal(0.0, 1.0, size=(n_rows, n_outputs))
    return model, X, Y


def pre_activations(model: engine.Model, X: np.ndarray) -> list[np.ndarray]:
    """z of every layer, recomputed in numpy from the engine's layer outputs."""
    outputs = model.activations(X)
    return [a @ w + b for a, w, b in zip(outputs, model.weights, model.biases)]


def near_a_kink(model: engine.Model, X: np.ndarray, Y: np.ndarray, loss: str) -> bool:
    zs = pre_activations(model, X)
    for z, name in zip(zs, model.architecture.hidden_activations):
        if name in KINKED_ACTIVATIONS and np.min(np.abs(z)) < KINK_MARGIN:
            return True
    return loss == "mae" and np.min(np.abs(model.forward(X) - Y)) < KINK_MARGIN


def numeric_gradient(model, X, Y, loss, array: np.ndarray) -> np.ndarray:
    """Central differences of the loss w.r.t. every entry of ``array`` (a parameter view)."""
    numeric = np.zeros(array.shape)
    for index in np.ndindex(array.shape):
        original = array[index]
        array[index] = original + STEP
        plus = engine.loss_and_gradients(model, X, Y, loss)[0]
        array[index] = original - STEP
        minus = engine.loss_and_gradients(model, X, Y, loss)[0]
        array[index] = original
        numeric[index] = (plus - minus) / (2 * STEP)
    return numeric


def assert_gradients_match(model, X, Y, loss) -> None:
    before = model.params.copy()
    value, grad_weights, grad_biases = engine.loss_and_gradients(model, X, Y, loss)
    assert np.isfinite(value)
    assert len(grad_weights) == len(model.weights) == len(grad_biases)
    for layer, (weights, biases) in enumerate(zip(model.weights, model.biases)):
        for name, analytic, view in (
            ("weights", grad_weights[layer], weights),
            ("biases", grad_biases[layer], biases),
        ):
            assert analytic.shape == view.shape
            numeric = numeric_gradient(model, X, Y, loss, view)
            error = np.abs(analytic - numeric)
            allowed = ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * np.maximum(
                np.abs(analytic), np.abs(numeric)
            )
            assert np.all(error <= allowed), (
                f"layer {layer} {name}: analytic {analytic} vs numeric {numeric}"
            )
    # The finite differences restored every parameter exactly.
    assert np.array_equal(model.params, before)


@pytest.mark.parametrize(("loss", "output"), LOSS_OUTPUT_PAIRS)
@pytest.mark.parametrize("activation", list(engine.HIDDEN_ACTIVATIONS))
@pytest.mark.parametrize("depth", [1, 2, 3])
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_gradients_match_finite_differences(activation, loss, output, depth, seed):
    model, X, Y = make_problem([activation] * depth, loss, output, seed)
    assume(not near_a_kink(model, X, Y, loss))
    assert_gradients_match(model, X, Y, loss)


@pytest.mark.parametrize(("loss", "output"), LOSS_OUTPUT_PAIRS)
@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_gradients_match_finite_differences_without_hidden_layers(loss, output, seed):
    model, X, Y = make_problem([], loss, output, seed)
    assert model.architecture.n_layers == 1
    assume(not near_a_kink(model, X, Y, loss))
    assert_gradients_match(model, X, Y, loss)


@settings(max_examples=30, deadline=None)
@given(
    activations=st.lists(st.sampled_from(list(engine.HIDDEN_ACTIVATIONS)), min_size=1, max_size=3),
    pair=st.sampled_from(LOSS_OUTPUT_PAIRS),
    seed=st.integers(0, 2**31 - 1),
)
def test_gradients_match_with_a_different_activation_per_layer(activations, pair, seed):
    loss, output = pair
    model, X, Y = make_problem(activations, loss, output, seed)
    assert model.architecture.hidden_activations == tuple(activations)
    assume(not near_a_kink(model, X, Y, loss))
    assert_gradients_match(model, X, Y, loss)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), pair=st.sampled_from(LOSS_OUTPUT_PAIRS))
def test_reported_loss_matches_a_numpy_computation(seed, pair):
    """The value returned with the gradients is the documented mean loss."""
    loss, output = pair
    model, X, Y = make_problem(["tanh"], loss, output, seed)
    value = engine.loss_and_gradients(model, X, Y, loss)[0]
    outputs = model.forward(X)
    z = pre_activations(model, X)[-1]
    if loss == "mse":
        expected = np.mean(np.sum(0.5 * (outputs - Y) ** 2, axis=1))
    elif loss == "mae":
        expected = np.mean(np.sum(np.abs(outputs - Y), axis=1))
    elif loss == "bce":
        p = 1.0 / (1.0 + np.exp(-z))
        expected = np.mean(np.sum(-(Y * np.log(p) + (1 - Y) * np.log1p(-p)), axis=1))
    else:
        log_p = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
        expected = np.mean(-np.sum(Y * log_p, axis=1))
    assert value == pytest.approx(expected, rel=1e-12, abs=1e-14)


@settings(max_examples=6, deadline=None)
@given(
    hidden=st.lists(st.integers(9, 16), min_size=1, max_size=2),
    activation=st.sampled_from(["tanh", "sigmoid", "softplus"]),
    pair=st.sampled_from(LOSS_OUTPUT_PAIRS),
    seed=st.integers(0, 2**31 - 1),
)
def test_gradients_match_in_the_wide_16_lane_layout(hidden, activation, pair, seed):
    # Layers wider than 8 switch the padded layout to 16 lanes (see engine.kernels).
    loss, output = pair
    rng = np.random.default_rng(seed)
    n_outputs = 11 if output == "softmax" else 2
    model = engine.Model.create(
        [3, *hidden, n_outputs],
        activation=activation,
        output=output,
        init="xavier_normal",
        seed=seed,
    )
    assert model.lanes == 16
    X = rng.uniform(-2.0, 2.0, size=(4, 3))
    if output == "softmax":
        Y = rng.dirichlet(np.ones(n_outputs), size=4)
    else:
        Y = rng.uniform(0.0, 1.0, size=(4, n_outputs))
    assume(not near_a_kink(model, X, Y, loss))
    assert_gradients_match(model, X, Y, loss)


@pytest.mark.parametrize(("loss", "output"), LOSS_OUTPUT_PAIRS)
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), rows=st.integers(1, 300))
def test_a_full_batch_sgd_step_follows_the_checked_gradient(loss, output, seed, rows):
    """The training kernel's step uses the same gradient as ``loss_and_gradients``.

    One epoch of plain SGD with a single batch holding every row must move the parameters
    by exactly -η·∇L (to rounding), so the finite-difference checks above cover training.
    """
    model, _, _ = make_problem(["tanh", "relu"], loss, output, seed)
    rng = np.random.default_rng(seed + 1)
    X = rng.uniform(-2.0, 2.0, size=(rows, model.layer_sizes[0]))
    n_outputs = model.layer_sizes[-1]
    if output == "softmax":
        Y = np.eye(n_outputs)[rng.integers(0, n_outputs, rows)]
    else:
        Y = rng.uniform(0.0, 1.0, size=(rows, n_outputs))
    _, grad_weights, grad_biases = engine.loss_and_gradients(model, X, Y, loss)
    expected_weights = [w - 0.05 * g for w, g in zip(model.weights, grad_weights)]
    expected_biases = [b - 0.05 * g for b, g in zip(model.biases, grad_biases)]
    trainer = engine.Trainer(model, loss, learning_rate=0.05, batch_size=rows, shuffle=True)
    trainer.train(X, Y, 1)
    for layer in range(len(expected_weights)):
        np.testing.assert_allclose(
            model.weights[layer], expected_weights[layer], rtol=1e-12, atol=1e-14
        )
        np.testing.assert_allclose(
            model.biases[layer], expected_biases[layer], rtol=1e-12, atol=1e-14
        )
