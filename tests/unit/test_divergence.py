"""Divergence: detected, reported in words, and rolled back to the last good state."""

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


def train_until_divergence(trainer, X, Y, max_epochs=40):
    """One epoch per call; returns (result, {epoch: (parameters, first moment, step count)})
    with the state at the start of every call."""
    snapshots = {}
    for _ in range(max_epochs):
        state = (trainer.model.params.copy(), trainer.first_moment.copy())
        snapshots[trainer.epoch] = (*state, trainer.step_counter.copy())
        result = trainer.train(X, Y, 1)
        if result.divergence is not None:
            return result, snapshots
    pytest.fail(f"no divergence within {max_epochs} epochs at learning rate 10")


def trained_then_too_fast(optimizer: str = "sgd") -> engine.Trainer:
    """20 good epochs at learning rate 0.03 (loss ~2e-4), then learning rate 10."""
    X, Y = plane_problem()
    trainer = deep_relu_trainer(optimizer=optimizer)
    trainer.config = trainer.config.replace(learning_rate=0.03)
    trainer.train(X, Y, 20)
    trainer.config = trainer.config.replace(learning_rate=10.0)
    return trainer


def test_learning_rate_10_diverges_and_rolls_back_to_the_last_good_state():
    X, Y = plane_problem()
    trainer = trained_then_too_fast()
    best = trainer.best_loss
    result, snapshots = train_until_divergence(trainer, X, Y)
    report = result.divergence
    assert trainer.divergence == report
    # The report: 1-based epoch (the one that failed), a layer, what overflowed, where the
    # network is now, and a sentence saying what to do.
    assert report.epoch == max(snapshots) + 1 > 21  # at least one epoch at 10 passed
    assert 1 <= report.layer <= trainer.model.architecture.n_layers
    assert report.quantity in ("loss", "parameters")
    assert report.restored_epoch == trainer.epoch
    message = report.message()
    assert f"epoch {report.epoch}" in message and f"epoch {trainer.epoch}" in message
    assert "lower learning rate" in message and "Play" in message
    # Not the start of the failing epoch (its loss was ~1e+243): the newest state whose loss
    # was within 10x of the best, with the history cut back to it.
    loss_now = trainer.evaluate(X, Y)[0]
    assert loss_now <= engine.GOOD_LOSS_FACTOR * best
    assert 20 <= trainer.epoch < report.epoch - 1
    assert np.array_equal(trainer.model.params, snapshots[trainer.epoch][0])
    assert trainer.history.length == trainer.epoch
    assert trainer.history.last("train_loss") == pytest.approx(loss_now)


def test_a_first_epoch_that_jumps_to_1e297_is_not_a_good_state():
    # Seed 0 at learning rate 10 from the start: epoch 1 ends at a loss of ~2.7e+297 and
    # epoch 2 overflows. The initial loss (~0.35) counts as the best so far, so the network
    # goes back to its initial weights, not to epoch 1.
    X, Y = plane_problem()
    trainer = deep_relu_trainer()
    initial = trainer.model.params.copy()
    result = trainer.train(X, Y, 50)
    assert result.divergence.epoch == 2 and result.divergence.restored_epoch == 0
    assert trainer.epoch == 0 and trainer.history.length == 0
    assert np.array_equal(trainer.model.params, initial)


def test_a_long_call_rolls_back_like_one_epoch_calls():
    X, Y = plane_problem()
    stepwise = trained_then_too_fast()
    stepwise_result, _ = train_until_divergence(stepwise, X, Y)
    trainer = trained_then_too_fast()
    result = trainer.train(X, Y, 50)
    assert result.divergence.epoch == stepwise_result.divergence.epoch
    # A long call keeps one good state, from its start (epoch 20); one-epoch calls may keep
    # a later one. Both are good.
    assert trainer.epoch == result.divergence.restored_epoch == 20
    assert trainer.evaluate(X, Y)[0] <= engine.GOOD_LOSS_FACTOR * trainer.best_loss


def test_optimizer_state_is_rolled_back_too():
    X, Y = plane_problem()
    trainer = trained_then_too_fast(optimizer="momentum")
    result, snapshots = train_until_divergence(trainer, X, Y)
    assert result.divergence is not None
    _, first_moment, step_counter = snapshots[trainer.epoch]
    assert np.array_equal(trainer.first_moment, first_moment)
    assert np.array_equal(trainer.step_counter, step_counter)
    assert np.all(np.isfinite(trainer.first_moment))


def test_parameters_overflowing_are_reported_with_their_layer():
    # ŷ = w·x fits y exactly (loss 0), but the L2 step η·l2·w = 1e3·1e306·1 overflows the
    # weight to -inf: a "parameters" divergence in layer 1 with a finite loss.  (Inputs
    # beyond ±1e12 are refused, so an overflow through x·g cannot be set up any more.)
    model = engine.Model.create([1, 1], output="linear")
    model.weights[0] = [[1.0]]
    model.biases[0] = [0.0]
    trainer = engine.Trainer(model, "mse", learning_rate=1e3, l2=1e306, batch_size=1, shuffle=False)
    result = trainer.train(np.array([[1.0]]), np.array([[1.0]]), 3)
    assert result.epochs_run == 0
    assert result.divergence == engine.Divergence(epoch=1, layer=1, quantity="parameters")
    assert "weights of layer 1" in result.divergence.message()
    assert model.weights[0][0, 0] == 1.0 and model.biases[0][0] == 0.0


def test_training_can_continue_after_a_divergence():
    # The issue: from the old "last finite state" (loss ~1e+297) even learning rate 0.01
    # stayed at a loss of ~1e+276. From the good state it trains on.
    X, Y = plane_problem()
    trainer = deep_relu_trainer()
    train_until_divergence(trainer, X, Y)
    epoch = trainer.epoch
    trainer.config = trainer.config.replace(learning_rate=0.01)
    result = trainer.train(X, Y, 20)
    assert result.divergence is None and trainer.divergence is None
    assert trainer.epoch == epoch + 20
    assert np.all(np.isfinite(trainer.model.params))
    assert trainer.history.last("train_loss") < 0.01
