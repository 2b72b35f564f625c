"""Divergence: detected, reported in words, and rolled back to the last finite state."""

from __future__ import annotations

import numpy as np
import pytest

import engine


def plane_problem() -> tuple[np.ndarray, np.ndarray]:
    data = engine.make_dataset("plane", seed=0)
    return engine.build_features(data.X, ["x1", "x2"]), data.y[:, None]


def deep_relu_trainer(seed: int = 0, optimizer: str = "sgd") -> engine.Trainer:
    model = engine.Model.create(
        [2, 8, 8, 8, 8, 1], activation="relu", output="linear", init="playground", seed=seed
    )
    return engine.Trainer(
        model, "mse", optimizer=optimizer, learning_rate=10.0, batch_size=10, seed=seed
    )


def train_until_divergence(trainer, X, Y, max_epochs=30):
    """One epoch per call; returns (result, parameters before the failing call, snapshots)."""
    snapshots = []
    for _ in range(max_epochs):
        before = trainer.model.params.copy()
        snapshots.append((before, trainer.first_moment.copy(), trainer.step_counter.copy()))
        result = trainer.train(X, Y, 1)
        if result.divergence is not None:
            return result, snapshots
    pytest.fail(f"no divergence within {max_epochs} epochs at learning rate 10")


def test_learning_rate_10_diverges_and_rolls_back_to_the_start_of_the_epoch():
    X, Y = plane_problem()
    trainer = deep_relu_trainer()
    initial = trainer.model.params.copy()
    result, snapshots = train_until_divergence(trainer, X, Y)
    report = result.divergence
    assert result.epochs_run == 0
    assert trainer.divergence == report
    # The report: 1-based epoch (the one that failed), a layer, what overflowed, a sentence.
    assert report.epoch == trainer.epoch + 1 == len(snapshots)
    assert 1 <= report.layer <= trainer.model.architecture.n_layers
    assert report.quantity in ("loss", "parameters")
    message = report.message()
    assert f"epoch {report.epoch}" in message and "learning rate" in message
    # Parameters are finite and exactly those at the start of the failing epoch.
    params = trainer.model.params
    assert np.all(np.isfinite(params))
    assert np.array_equal(params, snapshots[-1][0])
    assert all(np.all(np.isfinite(w)) for w in trainer.model.weights)
    # The history has one row per completed epoch, none for the failed one.
    assert trainer.history.length == trainer.epoch
    # This setup (seed 0) fails after at least one good epoch, so "the start of the failing
    # epoch" is not simply the initial state.
    assert len(snapshots) > 1
    assert not np.array_equal(params, initial)


def test_a_long_call_stops_at_the_failing_epoch():
    X, Y = plane_problem()
    stepwise = deep_relu_trainer()
    stepwise_result, snapshots = train_until_divergence(stepwise, X, Y)
    trainer = deep_relu_trainer()
    result = trainer.train(X, Y, 50)
    assert result.epochs_run == len(snapshots) - 1 == trainer.epoch
    assert result.divergence == stepwise_result.divergence
    assert np.array_equal(trainer.model.params, snapshots[-1][0])


def test_optimizer_state_is_rolled_back_too():
    X, Y = plane_problem()
    trainer = deep_relu_trainer(optimizer="momentum")
    result, snapshots = train_until_divergence(trainer, X, Y)
    assert result.divergence is not None
    _, first_moment, step_counter = snapshots[-1]
    assert np.array_equal(trainer.first_moment, first_moment)
    assert np.array_equal(trainer.step_counter, step_counter)
    assert np.all(np.isfinite(trainer.first_moment))


def test_parameters_overflowing_are_reported_with_their_layer():
    # ŷ = w·x with x = 1e153: the loss ½(1e153)² = 5e305 is still finite, but the step
    # η·g = 1e3·1e306 overflows the weight to -inf: a "parameters" divergence in layer 1.
    model = engine.Model.create([1, 1], output="linear")
    model.weights[0] = [[1.0]]
    model.biases[0] = [0.0]
    trainer = engine.Trainer(model, "mse", learning_rate=1e3, batch_size=1, shuffle=False)
    result = trainer.train(np.array([[1e153]]), np.array([[0.0]]), 3)
    assert result.epochs_run == 0
    assert result.divergence == engine.Divergence(epoch=1, layer=1, quantity="parameters")
    assert "weights of layer 1" in result.divergence.message()
    assert model.weights[0][0, 0] == 1.0 and model.biases[0][0] == 0.0


def test_training_can_continue_after_a_divergence():
    X, Y = plane_problem()
    trainer = deep_relu_trainer()
    train_until_divergence(trainer, X, Y)
    epoch = trainer.epoch
    trainer.learning_rate = 0.001
    result = trainer.train(X, Y, 2)
    assert result.divergence is None and trainer.divergence is None
    assert trainer.epoch == epoch + 2
    assert np.all(np.isfinite(trainer.model.params))
