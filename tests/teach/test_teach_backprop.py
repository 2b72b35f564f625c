"""The Back-prop page's numbers (teach.backprop.trace) equal the engine's own forward and
backward pass, for every hidden activation and every output the page offers."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from teach import backprop
from teach.backprop import PHASES, SmallNetwork, trace

OUTPUT_CASES = [
    ("tanh", 1),
    ("tanh", 3),
    ("sigmoid", 2),
    ("linear", 1),
    ("softmax", 2),
    ("softmax", 3),
]


def random_case(seed: int, hidden_activation: str, output: str, outputs: int):
    """A random network (weights up to ±2), sample and target the page could produce."""
    rng = np.random.default_rng(seed)
    hidden = int(rng.integers(2, 5))
    network = SmallNetwork(
        rng.uniform(-2, 2, (2, hidden)),
        rng.uniform(-1, 1, hidden),
        rng.uniform(-2, 2, (hidden, outputs)),
        rng.uniform(-1, 1, outputs),
        hidden_activation,
        output,
    )
    sample = rng.uniform(-6, 6, 2)
    if output == "softmax":
        target = np.eye(outputs)[rng.integers(outputs)]
    elif output == "sigmoid":
        target = rng.uniform(0, 1, outputs)
    else:
        target = rng.uniform(-1, 1, outputs)
    return network, sample, target


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("output", "outputs"), OUTPUT_CASES)
@pytest.mark.parametrize("hidden_activation", list(engine.HIDDEN_ACTIVATIONS))
def test_trace_matches_engine_activations_and_gradients(hidden_activation, output, outputs, seed):
    network, sample, target = random_case(seed, hidden_activation, output, outputs)
    result = trace(network, sample, target, learning_rate=0.1)
    model = network.to_model()
    layers = model.activations(sample[None, :])
    loss, grad_weights, grad_biases = engine.loss_and_gradients(
        model, sample[None, :], target[None, :], network.loss
    )
    close = {"rtol": 1e-9, "atol": 1e-12}
    np.testing.assert_allclose(result.hidden_a, layers[1][0], **close)
    np.testing.assert_allclose(result.output_a, layers[2][0], **close)
    assert result.loss == pytest.approx(loss, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(result.grad_hidden_weights, grad_weights[0], **close)
    np.testing.assert_allclose(result.grad_hidden_biases, grad_biases[0], **close)
    np.testing.assert_allclose(result.grad_output_weights, grad_weights[1], **close)
    np.testing.assert_allclose(result.grad_output_biases, grad_biases[1], **close)
    assert backprop.engine_difference(result) < 1e-9


@pytest.mark.parametrize(("output", "outputs"), OUTPUT_CASES)
def test_sgd_step_equals_one_engine_training_step(output, outputs):
    network, sample, target = random_case(7, "tanh", output, outputs)
    result = trace(network, sample, target, learning_rate=0.3)
    model = network.to_model()
    trainer = engine.Trainer(model, network.loss, optimizer="sgd", learning_rate=0.3, batch_size=1)
    trainer.train(sample[None, :], target[None, :], epochs=1)
    updated = result.updated
    close = {"rtol": 1e-9, "atol": 1e-12}
    np.testing.assert_allclose(model.weights[0], updated.hidden_weights, **close)
    np.testing.assert_allclose(model.biases[0], updated.hidden_biases, **close)
    np.testing.assert_allclose(model.weights[1], updated.output_weights, **close)
    np.testing.assert_allclose(model.biases[1], updated.output_biases, **close)
    loss_after, _, _ = engine.loss_and_gradients(
        model, sample[None, :], target[None, :], network.loss
    )
    assert result.loss_after_step == pytest.approx(loss_after, rel=1e-9)


def test_deltas_follow_the_textbook_rules():
    network, sample, target = random_case(3, "sigmoid", "tanh", 2)
    result = trace(network, sample, target, learning_rate=0.5)
    # δ_out = (a − y)·g'(z) with tanh' = 1 − a²; δ_hidden = (W δ_out)·σ'(z) with σ' = a(1 − a).
    a = result.output_a
    np.testing.assert_allclose(result.output_delta, (a - target) * (1 - a**2))
    h = result.hidden_a
    np.testing.assert_allclose(
        result.hidden_delta, (network.output_weights @ result.output_delta) * h * (1 - h)
    )
    np.testing.assert_allclose(result.grad_output_weights, np.outer(h, result.output_delta))


def test_softmax_output_delta_is_a_minus_y():
    network, sample, target = random_case(5, "relu", "softmax", 3)
    result = trace(network, sample, target, learning_rate=0.5)
    np.testing.assert_allclose(result.output_delta, result.output_a - target)
    assert result.loss == pytest.approx(-np.log(result.output_a[np.argmax(target)]))


@pytest.mark.parametrize("phase", range(len(PHASES)))
@pytest.mark.parametrize(("output", "outputs"), [("tanh", 1), ("softmax", 3), ("linear", 2)])
def test_every_phase_has_an_explanation_with_numbers(phase, output, outputs):
    network, sample, target = random_case(1, "tanh", output, outputs)
    lines = backprop.phase_lines(trace(network, sample, target, 0.1), phase)
    assert lines and all(isinstance(line, str) and line for line in lines)
    assert any(char.isdigit() for char in "".join(lines))


def test_random_network_is_readable_and_reproducible():
    first = SmallNetwork.random(3, 2, seed=4)
    again = SmallNetwork.random(3, 2, seed=4)
    for a, b in zip(first.parameters(), again.parameters()):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, np.round(a, 2))


def test_editor_tables_round_trip():
    network = SmallNetwork.random(4, 3, "relu", "softmax", seed=2)
    hidden, output = backprop.network_frames(network)
    assert list(hidden.index) == ["x₁", "x₂", "bias"]
    assert list(output.columns) == ["o₁", "o₂", "o₃"]
    back = backprop.network_from_frames(hidden, output, "relu", "softmax")
    for a, b in zip(network.parameters(), back.parameters()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hidden_weights": np.full((2, 3), np.nan)}, "between"),
        ({"output_biases": np.array([50.0])}, "between"),
        ({"output_activation": "relu"}, "output must be"),
        ({"hidden_activation": "swish"}, "valid choices"),
    ],
)
def test_bad_networks_get_plain_sentences(change, message):
    values = {
        "hidden_weights": np.zeros((2, 3)),
        "hidden_biases": np.zeros(3),
        "output_weights": np.zeros((3, 1)),
        "output_biases": np.zeros(1),
        "hidden_activation": "tanh",
        "output_activation": "tanh",
    }
    values.update(change)
    with pytest.raises(ValueError, match=message):
        SmallNetwork(**values).validated()


def test_bad_samples_get_plain_sentences():
    network = SmallNetwork.random(2, 2, output_activation="softmax", seed=1)
    with pytest.raises(ValueError, match="one class"):
        trace(network, [1.0, 1.0], [0.5, 0.5], 0.1)
    with pytest.raises(ValueError, match="two inputs"):
        trace(network, [1.0, 99.0], [1.0, 0.0], 0.1)
    with pytest.raises(ValueError, match="learning rate"):
        trace(network, [1.0, 1.0], [1.0, 0.0], 0.0)
    with pytest.raises(ValueError, match="at least 2 outputs"):
        SmallNetwork.random(2, 1, output_activation="softmax")
