"""The engine's per-layer ‖δ‖ and clipping events, checked against plain NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import engine


def circle_data(n: int = 40, seed: int = 3):
    data = engine.make_dataset("circle", n_points=n, seed=seed)
    X = engine.build_features(data.X, ["x1", "x2"])
    Y = engine.targets_for_output(data.y, "tanh", 2)
    return X, Y


def numpy_delta_norms(model: engine.Model, X: np.ndarray, Y: np.ndarray) -> list[float]:
    """Per layer, sqrt(mean over rows of ‖dℓ_s/dz‖²) for tanh layers and ℓ = ½‖ŷ − y‖²."""
    outputs = [X]
    for w, b in zip(model.weights, model.biases):
        outputs.append(np.tanh(outputs[-1] @ w + b))
    delta = (outputs[-1] - Y) * (1.0 - outputs[-1] ** 2)  # per row: dℓ_s/dz of the output
    norms = [np.sqrt(np.mean(np.sum(delta**2, axis=1)))]
    for layer in range(len(model.weights) - 1, 0, -1):
        delta = (delta @ model.weights[layer].T) * (1.0 - outputs[layer] ** 2)
        norms.append(np.sqrt(np.mean(np.sum(delta**2, axis=1))))
    return norms[::-1]


@pytest.mark.parametrize("batch_size", [40, 10])
def test_delta_norms_match_numpy(batch_size):
    X, Y = circle_data()
    model = engine.Model.create([2, 5, 3, 1], seed=4)
    trainer = engine.Trainer(
        model, "mse", batch_size=batch_size, shuffle=False, learning_rate=1e-300
    )
    # learning_rate 1e-300 (0 is not allowed): w − ηg == w, so the last mini-batch sees
    # the initial weights. The recorded norm is that of the epoch's last mini-batch.
    before = model.copy()
    trainer.train(X, Y, 1)
    last = len(X) - batch_size
    expected = numpy_delta_norms(before, X[last:], Y[last:])
    np.testing.assert_allclose(trainer.history.delta_norms[0], expected, rtol=1e-9)
    assert trainer.history.delta_norms.shape == trainer.history.grad_norms.shape == (1, 3)


def test_output_delta_matches_finite_differences():
    # ‖δ‖ of the output layer with one row and one output is |dℓ/dz|; a bias shift moves
    # z by the same amount, so it is |dℓ/db| by central differences.
    X, Y = (array[:1] for array in circle_data())
    model = engine.Model.create([2, 4, 1], seed=2)
    trainer = engine.Trainer(model.copy(), "mse", batch_size=1, learning_rate=1e-300)
    trainer.train(X, Y, 1)
    step = 1e-6

    def loss(shift):
        shifted = model.copy()
        shifted.biases[1] = model.biases[1] + shift
        return 0.5 * float(np.sum((shifted.forward(X) - Y) ** 2))

    slope = (loss(step) - loss(-step)) / (2 * step)
    assert trainer.history.delta_norms[0, 1] == pytest.approx(abs(slope), rel=1e-6)


def test_clipping_events_are_counted():
    X, Y = circle_data()
    model = engine.Model.create([2, 4, 1], seed=1)
    _, grad_weights, grad_biases = engine.loss_and_gradients(model, X, Y, "mse")
    norm = np.sqrt(sum(np.sum(g**2) for g in [*grad_weights, *grad_biases]))

    def clipped_fraction(clip_norm, batch_size=40):  # 40: one batch of all the points
        trainer = engine.Trainer(
            model.copy(), "mse", batch_size=batch_size, shuffle=False, clip_norm=clip_norm
        )
        trainer.train(X, Y, 1)
        return trainer.history.last("clipped_fraction")

    assert clipped_fraction(0.5 * norm) == 1.0
    assert clipped_fraction(2.0 * norm) == 0.0
    assert clipped_fraction(None) == 0.0
    assert clipped_fraction(1e-12, batch_size=10) == 1.0  # all 4 mini-batches clipped


def test_appended_rows_without_delta_norms_read_nan():
    history = engine.TrainingHistory(n_layers=2)
    history.append(np.zeros((3, len(history.COLUMNS))), np.ones((3, 2)))
    assert np.isnan(history.delta_norms).all() and (history.grad_norms == 1).all()
    history.append(np.zeros((1, len(history.COLUMNS))), np.ones((1, 2)), delta_norms=[[4, 5]])
    assert history.delta_norms[-1].tolist() == [4.0, 5.0]
    with pytest.raises(ValueError, match="delta_norms"):
        history.append(np.zeros((1, len(history.COLUMNS))), np.ones((1, 2)), delta_norms=[[4]])
