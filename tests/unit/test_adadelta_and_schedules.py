"""AdaDelta and the learning-rate schedules against PyTorch, and the schedules' closed forms.

The problem: one linear neuron ŷ = x·w + b (2 inputs) with mse (½(ŷ − y)², mean over the
batch's rows), whose gradient PyTorch computes the same way, so a run of several mini-batch
steps must give the same weights to rounding (1e-12). AdaDelta's and the schedules' rules are
those of engine/optimizers.py and engine/schedules.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import engine
from engine.schedules import Schedule, rate_multiplier

torch = pytest.importorskip("torch")

ROWS = 6
X = np.random.default_rng(3).uniform(-1.0, 1.0, (ROWS, 2))
Y = (X @ np.array([[1.5], [-2.0]]) + 0.3 + 0.1 * np.sin(7 * X[:, :1])).reshape(ROWS, 1)
W0, B0 = np.array([[0.2], [-0.4]]), np.array([0.1])


def neuron() -> engine.Model:
    model = engine.Model.create([2, 1], output="linear", seed=0)
    model.weights[0][:] = W0
    model.biases[0][:] = B0
    return model


def engine_run(epochs_per_call: list[int], batch_size: int = 2, **config) -> list[np.ndarray]:
    """(w₁, w₂, b) after each call, training without shuffling."""
    model = neuron()
    trainer = engine.Trainer(model, "mse", batch_size=batch_size, shuffle=False, **config)
    states = []
    for epochs in epochs_per_call:
        result = trainer.train(X, Y, epochs)
        assert result.divergence is None and result.epochs_run == epochs
        states.append(np.concatenate([model.weights[0].ravel(), model.biases[0]]))
    return states


def torch_run(epochs: int, make_optimizer, make_scheduler=None, batch_size: int = 2):
    """(w₁, w₂, b) after each epoch, and the rate used in each, with PyTorch."""
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(B0, dtype=torch.float64, requires_grad=True)
    inputs, targets = torch.tensor(X), torch.tensor(Y)
    optimizer = make_optimizer(w, b)
    scheduler = make_scheduler(optimizer) if make_scheduler else None
    states, rates = [], []
    for _ in range(epochs):
        rates.append(optimizer.param_groups[0]["lr"])
        for start in range(0, ROWS, batch_size):
            rows = slice(start, start + batch_size)
            optimizer.zero_grad()
            loss = 0.5 * ((inputs[rows] @ w + b - targets[rows]) ** 2).sum(dim=1).mean()
            loss.backward()
            optimizer.step()
        if scheduler is not None:
            scheduler.step()
        states.append(np.concatenate([w.detach().numpy().ravel(), b.detach().numpy()]))
    return states, rates


# ---------------------------------------------------------------- AdaDelta


@pytest.mark.parametrize(("lr", "l2"), [(1.0, 0.0), (0.5, 0.05)])
def test_adadelta_matches_torch_step_by_step(lr, l2):
    # l2 is coupled, as PyTorch's weight_decay; the engine never decays biases, so the bias
    # is a parameter group of its own without it.
    mine = engine_run([1] * 5, learning_rate=lr, optimizer="adadelta", l2=l2)
    theirs, _ = torch_run(
        5,
        lambda w, b: torch.optim.Adadelta(
            [{"params": [w], "weight_decay": l2}, {"params": [b]}], lr=lr, rho=0.9, eps=1e-6
        ),
    )
    for epoch, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14, err_msg=f"epoch {epoch + 1}")
    assert not np.allclose(mine[0], np.concatenate([W0.ravel(), B0]))  # it moved


def test_adadelta_keeps_its_accumulators_in_the_two_moments():
    model = neuron()
    trainer = engine.Trainer(model, "mse", optimizer="adadelta", learning_rate=1.0, batch_size=6)
    trainer.train(X, Y, 1)
    weights = model._over(trainer.second_moment).weights[0]  # E[g²] = (1 − ρ)·g² after a step
    grads = model._over(trainer.first_moment).weights[0]  # E[Δ²] = (1 − ρ)·Δ²
    assert np.all(weights > 0) and np.all(grads > 0)
    # Step 1 by hand: Δ = g·√ε/√((1 − ρ)g² + ε), E[Δ²] = 0.1·Δ².
    r = X @ W0 + B0 - Y
    g = X.T @ r / ROWS
    delta = g * math.sqrt(1e-6) / np.sqrt(0.1 * g**2 + 1e-6)
    np.testing.assert_allclose(grads, 0.1 * delta**2, rtol=1e-12)
    np.testing.assert_allclose(weights, 0.1 * g**2, rtol=1e-12)


# ---------------------------------------------------------------- schedules


def multiplier(epoch: int, code: str = "constant", **fields) -> float:
    values = {"warmup_epochs": 0, "decay_epochs": 10, "decay_rate": 0.5, "final_fraction": 0.0}
    values.update(fields)
    return rate_multiplier(Schedule(engine.SCHEDULES[code], **values), epoch)


def test_schedule_values_follow_their_closed_forms():
    assert [multiplier(e) for e in (0, 7, 10**9)] == [1.0, 1.0, 1.0]
    # step: halved every 10 epochs
    assert [multiplier(e, "step") for e in (0, 9, 10, 19, 20, 35)] == [1, 1, 0.5, 0.5, 0.25, 0.125]
    # exponential: ½ per 10 epochs, smoothly: 2^(−e/10)
    for e in (0, 3, 10, 25):
        assert multiplier(e, "exponential") == pytest.approx(2 ** (-e / 10), rel=1e-14)
    # cosine from 1 to 0.1 over 10 epochs: half way at epoch 5, then stays at 0.1
    cosine = {"final_fraction": 0.1}
    assert multiplier(0, "cosine", **cosine) == 1.0
    assert multiplier(5, "cosine", **cosine) == pytest.approx(0.55, rel=1e-14)
    assert multiplier(10, "cosine", **cosine) == pytest.approx(0.1, rel=1e-14)
    assert multiplier(50, "cosine", **cosine) == pytest.approx(0.1, rel=1e-14)
    # warm-up over 3 epochs: ¼, ½, ¾, then the schedule from its own epoch 0
    warm = [multiplier(e, "step", warmup_epochs=3) for e in (0, 1, 2, 3, 12, 13)]
    assert warm == [0.25, 0.5, 0.75, 1.0, 1.0, 0.5]


LR = 0.2
SCHEDULES_AND_TORCH = {
    "step": (
        {"schedule": "step", "decay_epochs": 2, "decay_rate": 0.5},
        lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5),
    ),
    "exponential": (
        {"schedule": "exponential", "decay_epochs": 3, "decay_rate": 0.5},
        lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5 ** (1 / 3)),
    ),
    "cosine": (
        {"schedule": "cosine", "decay_epochs": 5, "final_fraction": 0.1},
        lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=0.1 * LR),
    ),
    "warm-up": (
        {"warmup_epochs": 3},
        lambda opt: torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=3),
    ),
}


@pytest.mark.parametrize("name", SCHEDULES_AND_TORCH)
def test_schedules_match_torch_schedulers_over_epochs_of_sgd(name):
    fields, make_scheduler = SCHEDULES_AND_TORCH[name]
    epochs = 6  # three mini-batches each: the rate changes per epoch, not per step
    mine = engine_run([epochs], learning_rate=LR, optimizer="sgd", **fields)
    per_epoch = engine_run([1] * epochs, learning_rate=LR, optimizer="sgd", **fields)
    theirs, rates = torch_run(
        epochs, lambda w, b: torch.optim.SGD([w, b], lr=LR), make_scheduler=make_scheduler
    )
    config = engine.TrainConfig("mse", learning_rate=LR, **fields)
    np.testing.assert_allclose([config.rate_at(e) for e in range(epochs)], rates, rtol=1e-12)
    assert len(set(rates)) > 2  # the rate did change from epoch to epoch
    np.testing.assert_allclose(mine[-1], theirs[-1], rtol=1e-12)
    np.testing.assert_allclose(per_epoch, theirs, rtol=1e-12)


def test_a_schedule_over_two_calls_equals_one_call_with_shuffling():
    fields = {
        "schedule": "cosine",
        "warmup_epochs": 2,
        "decay_epochs": 6,
        "learning_rate": 0.3,
        "optimizer": "momentum",
    }

    def run(calls: list[int], **changes) -> np.ndarray:
        model = neuron()
        trainer = engine.Trainer(model, "mse", batch_size=2, seed=4, **{**fields, **changes})
        for epochs in calls:
            trainer.train(X, Y, epochs)
        return model.params.copy()

    one, two = run([9]), run([4, 5])
    assert np.array_equal(one, two)  # bit for bit: the second call continues at epoch 4
    assert not np.allclose(one, run([9], schedule="constant", warmup_epochs=0))


def test_schedule_fields_are_checked():
    with pytest.raises(ValueError, match="schedule"):
        engine.TrainConfig("mse", schedule="linear")
    with pytest.raises(ValueError, match="decay_rate"):
        engine.TrainConfig("mse", decay_rate=0.0)
    with pytest.raises(ValueError, match="decay_epochs"):
        engine.TrainConfig("mse", decay_epochs=0)
    with pytest.raises(ValueError, match="warmup_epochs"):
        engine.TrainConfig("mse", warmup_epochs=-1)


def test_a_snapshot_of_an_adadelta_run_with_a_schedule_trains_on_bit_for_bit():
    # AdaDelta's two accumulators live in the two moments a snapshot keeps, and the restored
    # epoch count is where the schedule continues.
    fields = {"optimizer": "adadelta", "learning_rate": 1.0, "schedule": "step", "decay_epochs": 3}

    def trainer(seed: int) -> engine.Trainer:
        return engine.Trainer(neuron(), "mse", batch_size=2, seed=seed, **fields)

    original, recorder = trainer(1), engine.SnapshotRecorder()
    original.train(X, Y, 12, recorder=recorder)
    resumed = trainer(99)
    recorder.restore(resumed, 5)
    resumed.train(X, Y, 7)
    assert np.array_equal(resumed.model.params, original.model.params)
    assert np.array_equal(resumed.first_moment, original.first_moment)
    assert np.array_equal(resumed.second_moment, original.second_moment)


def test_a_run_file_keeps_the_schedule_and_adadeltas_state_and_trains_on_alike():
    from playground.run import build_run, train_chunk
    from playground.run_file import load_run, save_run
    from playground.settings import PlaygroundSettings

    settings = PlaygroundSettings(
        optimizer="adadelta", lr=1.0, schedule="cosine", decay_epochs=10, warmup=5
    )
    original = build_run(settings)
    train_chunk(original, 7)
    loaded = load_run(save_run(original))
    assert loaded.trainer.config == original.trainer.config and loaded.epoch == 7
    train_chunk(original, 6)
    train_chunk(loaded, 6)  # epochs 7–12: the end of the warm-up … the cosine's floor
    assert np.array_equal(loaded.model.params, original.model.params)
