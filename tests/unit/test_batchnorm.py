"""Batch normalisation (issue 16): the engine's BatchNorm against finite differences and
against PyTorch's ``nn.BatchNorm1d`` (training steps, running statistics, evaluation), the
one-row batch, and the state that snapshots carry."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import engine
from engine import kernels
from engine.trainer import _KernelCall

SIZES = [2, 4, 3, 1]
ROWS = 12


def problem(rows: int = ROWS, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 2))
    Y = np.tanh(X[:, :1] * X[:, 1:] + 0.3 * X[:, :1])
    return X, Y


def trained_model(seed: int = 4) -> engine.Model:
    """A batch-normalised model whose γ, β and running statistics are not at their initial
    values (derivatives at γ = 1, β = 0 would miss a γ or β used the wrong way round)."""
    model = engine.Model.create(SIZES, activation="tanh", batchnorm=True, seed=seed)
    rng = np.random.default_rng(seed)
    for name in ("gamma", "beta", "running_mean"):
        for values in model.batchnorm_arrays()[name]:
            values += 0.3 * rng.normal(size=values.shape)
    for values in model.batchnorm_arrays()["running_var"]:
        values *= rng.uniform(0.5, 2.0, size=values.shape)
    return model


def gradients(model: engine.Model, X, Y, loss: str = "mse"):
    """(mean loss, gradient vector shaped like params) of one full batch in training mode."""
    trainer = engine.Trainer(model, loss, shuffle=False)
    X, Y, X_test, Y_test = trainer._check_data(X, Y)
    call = _KernelCall(trainer, kernels.GRADIENTS, X, Y, X_test, Y_test, X.shape[0], 1)
    call.run(1)
    return float(call.metrics[0, kernels.BATCH_LOSS]), call.gradients.params.copy()


def test_gradients_of_weights_gamma_and_beta_match_finite_differences():
    X, Y = problem()
    model = trained_model()
    stats_before = model.norm[2:].copy()
    _, analytic = gradients(model, X, Y)
    assert np.array_equal(model.norm[2:], stats_before), "a gradient query moved running stats"
    assert np.all(analytic[model.params.size - model.norm[2:].size :] == 0.0)
    step = 1e-6
    checked = {"weights": 0, "gamma": 0, "beta": 0}
    grads = model._over(analytic)
    for name, views, grad_views in (
        ("weights", model.weights, grads.weights),
        ("gamma", model.batchnorm_arrays()["gamma"], grads.batchnorm_arrays()["gamma"]),
        ("beta", model.batchnorm_arrays()["beta"], grads.batchnorm_arrays()["beta"]),
    ):
        for view, grad_view in zip(views, grad_views):
            for index in np.ndindex(view.shape):
                original = view[index]
                view[index] = original + step
                up, _ = gradients(model, X, Y)
                view[index] = original - step
                down, _ = gradients(model, X, Y)
                view[index] = original
                numeric = (up - down) / (2 * step)
                assert grad_view[index] == pytest.approx(numeric, rel=1e-5, abs=1e-9), (
                    name,
                    index,
                )
                checked[name] += 1
    assert checked == {"weights": 8 + 12 + 3, "gamma": 7, "beta": 7}
    # Biases of normalised layers do nothing (the batch mean takes them away): gradient 0.
    assert np.abs(grads.biases[0]).max() < 1e-12


def torch_twin(model: engine.Model) -> torch.nn.Sequential:
    """The same network in PyTorch: Linear → BatchNorm1d → tanh per hidden layer."""
    layers: list[torch.nn.Module] = []
    stats = model.batchnorm_arrays()
    for layer, (weights, biases) in enumerate(zip(model.weights, model.biases)):
        linear = torch.nn.Linear(*weights.shape, dtype=torch.float64)
        linear.weight.data = torch.tensor(weights.T.copy())
        linear.bias.data = torch.tensor(biases.copy())
        layers.append(linear)
        if layer < len(model.weights) - 1:
            norm = torch.nn.BatchNorm1d(weights.shape[1], dtype=torch.float64)
            assert (norm.eps, norm.momentum) == (kernels.NORM_EPSILON, kernels.NORM_MOMENTUM)
            norm.weight.data = torch.tensor(stats["gamma"][layer].copy())
            norm.bias.data = torch.tensor(stats["beta"][layer].copy())
            norm.running_mean = torch.tensor(stats["running_mean"][layer].copy())
            norm.running_var = torch.tensor(stats["running_var"][layer].copy())
            layers.append(norm)
        layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def assert_same_state(model: engine.Model, twin: torch.nn.Sequential, tolerance: float):
    linears = [m for m in twin if isinstance(m, torch.nn.Linear)]
    norms = [m for m in twin if isinstance(m, torch.nn.BatchNorm1d)]
    for weights, biases, linear in zip(model.weights, model.biases, linears):
        np.testing.assert_allclose(weights, linear.weight.detach().numpy().T, atol=tolerance)
        np.testing.assert_allclose(biases, linear.bias.detach().numpy(), atol=tolerance)
    stats = model.batchnorm_arrays()
    for layer, norm in enumerate(norms):
        for name, theirs in (
            ("gamma", norm.weight.detach()),
            ("beta", norm.bias.detach()),
            ("running_mean", norm.running_mean),
            ("running_var", norm.running_var),
        ):
            np.testing.assert_allclose(stats[name][layer], theirs.numpy(), atol=tolerance)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_training_steps_and_evaluation_match_pytorch_batchnorm1d(optimizer):
    X, Y = problem()
    model = trained_model()
    twin = torch_twin(model)
    # Gradients of one batch first (training mode: the batch's statistics).
    loss, flat = gradients(model, X, Y)
    twin.train()
    inputs, targets = torch.tensor(X), torch.tensor(Y)
    theirs = 0.5 * ((twin(inputs) - targets) ** 2).sum() / X.shape[0]
    theirs.backward()
    assert loss == pytest.approx(theirs.item(), abs=1e-12)
    grads = model._over(flat)
    norms = [m for m in twin if isinstance(m, torch.nn.BatchNorm1d)]
    for layer, norm in enumerate(norms):
        np.testing.assert_allclose(
            grads.batchnorm_arrays()["gamma"][layer], norm.weight.grad.numpy(), atol=1e-12
        )
        np.testing.assert_allclose(
            grads.batchnorm_arrays()["beta"][layer], norm.bias.grad.numpy(), atol=1e-12
        )
    twin.zero_grad()
    twin.load_state_dict(torch_twin(model).state_dict())  # forward in train mode moved stats
    # Three epochs of 4-row mini-batches, in order, with the same optimiser.
    rate, batch = 0.05, 4
    trainer = engine.Trainer(
        model, "mse", optimizer=optimizer, learning_rate=rate, batch_size=batch, shuffle=False
    )
    kind = torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam
    options = {} if optimizer == "sgd" else {"eps": engine.OptimizerSettings().epsilon}
    step = kind(twin.parameters(), lr=rate, **options)
    trainer.train(X, Y, 3)
    for _ in range(3):
        for start in range(0, X.shape[0], batch):
            step.zero_grad()
            out = twin(inputs[start : start + batch])
            (0.5 * ((out - targets[start : start + batch]) ** 2).sum() / batch).backward()
            step.step()
    assert_same_state(model, twin, 1e-10)
    # Evaluation uses the running statistics: PyTorch's eval mode.
    twin.eval()
    with torch.no_grad():
        expected = twin(inputs).numpy()
    np.testing.assert_allclose(model.forward(X), expected, atol=1e-10)
    mean_loss = 0.5 * ((expected - Y) ** 2).sum() / X.shape[0]
    assert trainer.evaluate(X, Y)[0] == pytest.approx(mean_loss, abs=1e-10)
    assert trainer.history.last("train_loss") == pytest.approx(mean_loss, abs=1e-10)


def test_a_batch_of_one_row_is_refused_and_a_last_short_one_stays_finite():
    X, Y = problem()
    model = engine.Model.create(SIZES, batchnorm=True, seed=1)
    with pytest.raises(ValueError, match="Batch normalisation needs at least 2 rows"):
        engine.Trainer(model, "mse", batch_size=1)
    trainer = engine.Trainer(model, "mse", batch_size=5)
    with pytest.raises(ValueError, match="the batch size is 1"):
        trainer.train(X[:1], Y[:1], 1)
    with pytest.raises(ValueError, match="at least 2 rows"):
        trainer.config = trainer.config.replace(batch_size=1)
    # 11 rows in batches of 5: the last batch has one row (PyTorch would raise there).
    trainer.train(X[:11], Y[:11], 3)
    assert np.all(np.isfinite(model.params)) and trainer.divergence is None
    # Without batch normalisation a batch of one is as before.
    plain = engine.Model.create(SIZES, seed=1)
    engine.Trainer(plain, "mse", batch_size=1).train(X, Y, 1)


def test_snapshots_and_copies_carry_gamma_beta_and_running_statistics():
    X, Y = problem()
    model = engine.Model.create(SIZES, batchnorm=True, seed=2)
    assert model.n_parameters == engine.Model.create(SIZES).n_parameters + 2 * (4 + 3)
    trainer = engine.Trainer(model, "mse", optimizer="adam", learning_rate=0.02, batch_size=4)
    recorder = engine.SnapshotRecorder()
    trainer.train(X, Y, 3, recorder=recorder)
    trainer.train(X, Y, 2, recorder=recorder)
    after = model.params.copy()
    recorder.restore(trainer, 3)
    trainer.train(X, Y, 2)
    assert np.array_equal(model.params, after)
    copy = model.copy()
    assert copy.architecture.batchnorm and np.array_equal(copy.forward(X), model.forward(X))
