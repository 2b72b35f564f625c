"""Long training: chunks give exactly one long call's result, the history's memory is
bounded however many epochs run, and a call can be stopped by a time budget or a flag."""

from __future__ import annotations

import copy
import time
import tracemalloc

import numpy as np
import pytest

import engine
from engine import trainer as trainer_module


def small_problem(output: str = "tanh", rows: int = 12):
    rng = np.random.default_rng(4)
    X = rng.uniform(-1, 1, size=(rows, 2))
    labels = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    Y = engine.targets_for_output(labels, output, 2)
    return X, Y


def make_trainer(evaluate_every: int = 1, output: str = "tanh", loss: str = "mse"):
    units = 2 if output == "softmax" else 1
    model = engine.Model.create([2, 5, 4, units], activation="relu", output=output, seed=2)
    return engine.Trainer(
        model,
        loss,
        optimizer="adam",
        learning_rate=0.01,
        batch_size=5,
        dropout=0.2,  # draws from the RNG every batch: a chunk that lost its state shows
        shuffle=True,
        seed=9,
        evaluate_every=evaluate_every,
    )


def trained(monkeypatch, chunk_epochs: int, epochs: int, evaluate_every: int = 1, **train):
    monkeypatch.setattr(trainer_module, "CHUNK_EPOCHS", chunk_epochs)
    X, Y = small_problem()
    trainer = make_trainer(evaluate_every)
    result = trainer.train(X, Y, epochs, X, Y, **train)
    return trainer, result


def assert_same_training(first: engine.Trainer, second: engine.Trainer) -> None:
    assert first.epoch == second.epoch
    for name in ("first_moment", "second_moment", "step_counter", "rng_state", "_order"):
        assert np.array_equal(getattr(first, name), getattr(second, name)), name
    assert np.array_equal(first.model.params, second.model.params)
    assert np.array_equal(first.history.epochs, second.history.epochs)
    for name in engine.TrainingHistory.COLUMNS:
        np.testing.assert_array_equal(first.history.column(name), second.history.column(name))
    assert np.array_equal(first.history.grad_norms, second.history.grad_norms)


# ---------------------------------------------------------------- chunks


@pytest.mark.parametrize(("chunk_epochs", "evaluate_every"), [(7, 1), (64, 1), (7, 3), (100, 8)])
def test_chunks_give_bit_identical_training(monkeypatch, chunk_epochs, evaluate_every):
    whole, whole_result = trained(monkeypatch, 10**6, 2500, evaluate_every)
    chunked, chunked_result = trained(monkeypatch, chunk_epochs, 2500, evaluate_every)
    assert whole_result == chunked_result == engine.TrainResult(2500, None)
    assert_same_training(whole, chunked)
    # Evaluated rows: every evaluate_every-th epoch of the call, and its last one.
    evaluated = ~np.isnan(chunked.history.column("train_loss"))
    expected = (np.arange(1, 2501) % evaluate_every == 0) | (np.arange(1, 2501) == 2500)
    assert np.array_equal(evaluated, expected)


def test_chunks_with_a_stop_check_give_bit_identical_training(monkeypatch):
    # should_stop makes chunks time-sized (here: as small as possible).
    monkeypatch.setattr(trainer_module, "STOP_CHECK_SECONDS", 1e-9)
    whole, _ = trained(monkeypatch, 10**6, 600)
    checks = []
    chunked, result = trained(monkeypatch, 10**6, 600, should_stop=lambda: checks.append(1))
    assert result == engine.TrainResult(600, None) and len(checks) > 20
    assert_same_training(whole, chunked)


def test_a_divergence_in_a_later_chunk_rolls_back_as_one_call_would(monkeypatch):
    # A learning rate that blows up after a while: the rollback to the kept good state
    # (taken at the call's start) must not depend on where the chunks end.
    def run(chunk_epochs):
        monkeypatch.setattr(trainer_module, "CHUNK_EPOCHS", chunk_epochs)
        data = engine.make_dataset("plane", seed=0)
        X = engine.build_features(data.X, ["x1", "x2"])
        model = engine.Model.create([2, 8, 8, 8, 8, 1], activation="relu", output="linear")
        trainer = engine.Trainer(model, "mse", learning_rate=0.03, batch_size=10)
        trainer.train(X, data.y, 20)  # good: loss ~2e-4
        # Too fast: diverges after a few epochs.
        trainer.config = trainer.config.replace(learning_rate=10.0)
        return trainer, trainer.train(X, data.y, 40)

    whole, whole_result = run(10**6)
    chunked, chunked_result = run(1)  # the failing epoch is in a later chunk
    divergence = whole_result.divergence
    assert divergence is not None and divergence.epoch > 21
    assert divergence.restored_epoch == 20  # the state kept at the call's start
    assert whole_result == chunked_result
    assert np.array_equal(whole.model.params, chunked.model.params)
    assert whole.epoch == chunked.epoch and whole.history.length == chunked.history.length


# ---------------------------------------------------------------- the history's rows


def test_history_of_a_long_run_stays_below_its_cap():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    Y = np.array([[1.0], [1.0], [-1.0], [-1.0]])
    model = engine.Model.create([2, 1], seed=1)
    trainer = engine.Trainer(model, "mse", learning_rate=0.001, batch_size=4)
    cap = trainer.history.max_rows
    assert cap == engine.trainer.MAX_HISTORY_ROWS
    for epochs in (1, 25 * cap, 5 * cap - 1):  # thinning happens inside a call and between calls
        assert trainer.train(X, Y, epochs).epochs_run == epochs
    history = trainer.history
    assert trainer.epoch == 30 * cap
    assert cap // 4 <= history.length <= cap
    assert history.grad_norms.shape == (history.length, 1)
    for name in history.COLUMNS:
        assert history.column(name).shape == (history.length,)
    epochs = history.epochs
    assert epochs[0] == 1 and epochs[-1] == trainer.epoch
    assert np.all(np.diff(epochs) > 0)
    # Thinned rows are evenly spaced; the newest ones are all there.
    steps = np.diff(epochs[1:])
    assert steps.max() == steps[0] > 1
    assert np.all(np.diff(epochs[-cap // 100 :]) == 1)
    # The rows are the right epochs' rows: the kept last row is the call's last epoch.
    assert history.last("train_loss") == pytest.approx(trainer.evaluate(X, Y)[0], rel=1e-12)


def test_thinning_keeps_multiples_of_the_stride_the_first_and_the_newest_epoch():
    history = engine.TrainingHistory(n_layers=1, max_rows=16)
    for start in range(1, 101, 10):  # ten chunks of ten epochs
        metrics = np.full((10, len(history.COLUMNS)), np.nan)
        metrics[:, 0] = np.arange(start, start + 10)  # train_loss = its epoch
        history.append(metrics, np.zeros((10, 1)), first_epoch=start)
        assert history.length <= 16
        assert np.array_equal(history.column("train_loss"), history.epochs)  # rows stay whole
    epochs = history.epochs.tolist()
    assert epochs[0] == 1 and epochs[-1] == 100
    assert all(b > a for a, b in zip(epochs, epochs[1:]))
    thinned = [epoch for epoch in epochs[1:] if epoch <= 80]
    assert thinned and all(epoch % 8 == 0 for epoch in thinned)


def test_a_shallow_copy_keeps_its_rows_whatever_the_original_does():
    # playground.run's checkpoint keeps copy.copy(history) (no array copies) and may go back to it.
    history = engine.TrainingHistory(n_layers=1, max_rows=40)

    def add(first, n):
        metrics = np.full((n, len(history.COLUMNS)), np.nan)
        metrics[:, 0] = np.arange(first, first + n)
        history.append(metrics, np.zeros((n, 1)), first_epoch=first)

    add(1, 20)
    saved = copy.copy(history)
    add(21, 5)
    history.truncate(10)  # a rollback, then training on over the saved rows
    add(11, 30)  # and past the cap: thinned
    assert saved.length == 20
    assert np.array_equal(saved.epochs, np.arange(1, 21))
    assert np.array_equal(saved.column("train_loss"), np.arange(1, 21))
    again = copy.copy(saved)  # rewinding twice to the same checkpoint
    again.append(np.full((3, len(history.COLUMNS)), 7.0), np.zeros((3, 1)), first_epoch=21)
    assert np.array_equal(saved.column("train_loss"), np.arange(1, 21))
    assert again.epochs[-1] == 23


# ---------------------------------------------------------------- stopping a call


def test_a_billion_epochs_with_a_time_budget_return_in_time_with_flat_memory():
    X, Y = small_problem(rows=4)
    model = engine.Model.create([2, 1], seed=1)
    trainer = engine.Trainer(model, "mse", learning_rate=0.001, batch_size=4)
    trainer.train(X, Y, 10)  # compiled
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = trainer.train(X, Y, 10**9, time_budget=0.5)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.stopped == "time_budget" and result.divergence is None
    assert 0 < result.epochs_run < 10**9
    assert trainer.epoch == 10 + result.epochs_run == trainer.history.last_epoch
    # 0.5 s plus one chunk's misjudged length; a shared 2-core machine can stall a bit.
    assert 0.45 < elapsed < 1.5
    # Per-call buffers (4,096 epochs) and ≤ 100,000 history rows of 7 numbers: ≤ ~ 12 MB.
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert trainer.history.length <= trainer.history.max_rows


def test_a_budget_always_trains_at_least_one_epoch():
    X, Y = small_problem()
    trainer = make_trainer()
    for _ in range(3):
        result = trainer.train(X, Y, 1000, time_budget=1e-9)
        assert 1 <= result.epochs_run < 1000 and result.stopped == "time_budget"


def test_should_stop_ends_the_call_between_chunks():
    X, Y = small_problem()
    trainer = make_trainer()
    assert trainer.train(X, Y, 10**9, should_stop=lambda: True) == engine.TrainResult(
        0, None, "should_stop"
    )
    assert trainer.epoch == 0
    calls = []

    def third_check() -> bool:
        calls.append(time.perf_counter())
        return len(calls) == 3

    started = time.perf_counter()
    result = trainer.train(X, Y, 10**9, should_stop=third_check)
    assert result.stopped == "should_stop" and 0 < result.epochs_run == trainer.epoch
    # Two chunks of about STOP_CHECK_SECONDS each (the first, unmeasured one is 1 epoch).
    assert time.perf_counter() - started < 1.0


def test_a_call_that_finishes_did_not_stop():
    X, Y = small_problem()
    trainer = make_trainer()
    assert trainer.train(X, Y, 5, time_budget=60.0, should_stop=lambda: False) == (
        engine.TrainResult(5, None, "")
    )


def test_a_huge_time_budget_is_no_budget():
    # The chunk size is the time left over the epoch time: inf, capped, not an overflow.
    X, Y = small_problem()
    trainer = make_trainer()
    for _ in range(2):  # the second call has a measured epoch time
        assert trainer.train(X, Y, 300, time_budget=1e300) == engine.TrainResult(300, None)
