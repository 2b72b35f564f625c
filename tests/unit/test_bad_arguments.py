"""Bad arguments fail early with a ValueError that says what is valid."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine

ROOT = Path(__file__).resolve().parents[2]


def valid_names_pattern(names) -> str:
    return re.escape("valid choices are: " + ", ".join(names))


def small_problem():
    model = engine.Model.create([2, 3, 1], seed=0)
    X = np.random.default_rng(0).normal(size=(6, 2))
    Y = np.ones((6, 1))
    return model, X, Y


# ---------------------------------------------------------------- unknown names


def test_unknown_activation():
    with pytest.raises(ValueError, match=valid_names_pattern(engine.HIDDEN_ACTIVATIONS)):
        engine.Model.create([2, 3, 1], activation="swish")


def test_softmax_is_not_a_hidden_activation():
    with pytest.raises(ValueError, match="Unknown activation 'softmax'"):
        engine.Model.create([2, 3, 2], activation="softmax")


def test_unknown_output():
    with pytest.raises(ValueError, match=valid_names_pattern(engine.OUTPUT_ACTIVATIONS)):
        engine.Model.create([2, 3, 1], output="relu")


def test_unknown_loss():
    model, _, _ = small_problem()
    with pytest.raises(ValueError, match=valid_names_pattern(engine.LOSSES)):
        engine.Trainer(model, "hinge")
    with pytest.raises(ValueError, match=valid_names_pattern(engine.LOSSES)):
        engine.loss_and_gradients(model, np.zeros((1, 2)), np.zeros((1, 1)), "hinge")


def test_unknown_optimizer():
    model, _, _ = small_problem()
    with pytest.raises(ValueError, match=valid_names_pattern(engine.OPTIMIZERS)):
        engine.Trainer(model, "mse", optimizer="adamw")
    trainer = engine.Trainer(model, "mse", optimizer="adam")
    with pytest.raises(ValueError, match=valid_names_pattern(engine.OPTIMIZERS)):
        trainer.optimizer = "lbfgs"
    assert trainer.optimizer == "adam"


def test_unknown_initializer():
    with pytest.raises(ValueError, match=valid_names_pattern(engine.INITIALIZERS)):
        engine.Model.create([2, 3, 1], init="orthogonal")


def test_unknown_dataset():
    with pytest.raises(ValueError, match=valid_names_pattern(engine.DATASETS)):
        engine.make_dataset("iris")


def test_unknown_feature():
    with pytest.raises(ValueError, match=valid_names_pattern(engine.FEATURES)):
        engine.build_features(np.zeros((2, 2)), ["cos_x1"])


def test_unknown_metric():
    model, _, _ = small_problem()
    trainer = engine.Trainer(model, "mse")
    with pytest.raises(ValueError, match=valid_names_pattern(engine.TrainingHistory.COLUMNS)):
        trainer.history.column("f1")


# ---------------------------------------------------------------- losses and outputs


@pytest.mark.parametrize(
    ("loss", "output", "units"),
    [
        ("bce", "tanh", 1),
        ("bce", "linear", 1),
        ("bce", "softmax", 2),
        ("cross_entropy", "sigmoid", 1),
        ("cross_entropy", "tanh", 2),
    ],
)
def test_loss_that_does_not_fit_the_output(loss, output, units):
    model = engine.Model.create([2, 3, units], output=output)
    with pytest.raises(ValueError, match=f"The '{loss}' loss needs a"):
        engine.Trainer(model, loss)
    with pytest.raises(ValueError, match=f"The '{loss}' loss needs a"):
        engine.loss_and_gradients(model, np.zeros((1, 2)), np.zeros((1, units)), loss)


def test_targets_for_output():
    labels = np.array([0, 1, 1, 0])
    assert engine.targets_for_output(labels, "tanh", 2)[:, 0].tolist() == [-1, 1, 1, -1]
    assert engine.targets_for_output(labels, "linear", 2)[:, 0].tolist() == [-1, 1, 1, -1]
    assert engine.targets_for_output(labels, "sigmoid", 2)[:, 0].tolist() == [0, 1, 1, 0]
    np.testing.assert_array_equal(
        engine.targets_for_output(labels, "softmax", 3), np.eye(3)[labels]
    )
    with pytest.raises(ValueError, match="need a softmax"):
        engine.targets_for_output(np.array([0, 2]), "tanh", 3)
    with pytest.raises(ValueError, match=r"lie in 0\.\.1"):
        engine.targets_for_output(np.array([0, 2]), "tanh", 2)
    with pytest.raises(ValueError, match="integer class ids"):
        engine.targets_for_output(np.array([0.0, 1.0]), "tanh", 2)


# ---------------------------------------------------------------- data shapes and values


def test_wrong_x_shape():
    model, _, Y = small_problem()
    trainer = engine.Trainer(model, "mse")
    for bad in (np.zeros((6, 3)), np.zeros(6), np.zeros((6, 2, 1))):
        with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
            trainer.train(bad, Y, 1)
        with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
            model.forward(bad)


@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf])
def test_non_finite_x(bad_value):
    model, X, Y = small_problem()
    X[3, 1] = bad_value
    trainer = engine.Trainer(model, "mse")
    with pytest.raises(ValueError, match="NaN or infinite"):
        trainer.train(X, Y, 1)
    with pytest.raises(ValueError, match="NaN or infinite"):
        trainer.train(X[:3], Y[:3], 1, X_test=X, Y_test=Y)
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.forward(X)
    with pytest.raises(ValueError, match="NaN or infinite"):
        engine.loss_and_gradients(model, X, Y, "mse")


def test_non_finite_y():
    model, X, Y = small_problem()
    Y[0, 0] = np.nan
    with pytest.raises(ValueError, match="Y contains NaN"):
        engine.Trainer(model, "mse").train(X, Y, 1)


def test_y_shape_mismatch():
    model, X, Y = small_problem()
    trainer = engine.Trainer(model, "mse")
    with pytest.raises(ValueError, match="same, non-zero number of rows"):
        trainer.train(X, Y[:5], 1)
    with pytest.raises(ValueError, match=r"Y must have shape \(n, 1\)"):
        trainer.train(X, np.ones((6, 2)), 1)
    with pytest.raises(ValueError, match="same, non-zero number of rows"):
        trainer.train(X[:0], Y[:0], 1)
    with pytest.raises(ValueError, match="same, non-zero number of rows"):
        engine.loss_and_gradients(model, X, Y[:5], "mse")


def test_one_dimensional_y_is_accepted_for_a_single_output():
    model, X, Y = small_problem()
    trainer = engine.Trainer(model, "mse")
    assert trainer.train(X, Y[:, 0], 1).epochs_run == 1


# ---------------------------------------------------------------- hyper-parameters


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("learning_rate", -0.1),
        ("learning_rate", 0.0),
        ("learning_rate", np.nan),
        ("learning_rate", 1e4),
        ("batch_size", 0),
        ("batch_size", -3),
        ("batch_size", 2.5),
        ("batch_size", True),
        ("l1", -1e-3),
        ("l2", np.inf),
        ("clip_norm", 0.0),
        ("clip_norm", -1.0),
        ("evaluate_every", 0),
        ("dropout", 1.0),
    ],
)
def test_bad_hyper_parameters(name, value):
    model, _, _ = small_problem()
    with pytest.raises(ValueError, match=name):
        engine.Trainer(model, "mse", **{name: value})
    trainer = engine.Trainer(model, "mse")
    with pytest.raises(ValueError, match=name):
        setattr(trainer, name, value)


@pytest.mark.parametrize("epochs", [-1, 1.5, True])
def test_bad_epochs(epochs):
    model, X, Y = small_problem()
    with pytest.raises(ValueError, match="epochs"):
        engine.Trainer(model, "mse").train(X, Y, epochs)


@pytest.mark.parametrize(
    "settings",
    [{"momentum": 1.0}, {"beta1": -0.1}, {"beta2": 1.0}, {"rho": 2.0}, {"epsilon": 0.0}],
)
def test_bad_optimizer_settings(settings):
    with pytest.raises(ValueError, match=next(iter(settings))):
        engine.OptimizerSettings(**settings)


def test_batch_larger_than_the_data_is_one_full_batch():
    model, X, Y = small_problem()
    full = model.copy()
    engine.Trainer(model, "mse", batch_size=100, shuffle=False).train(X, Y, 1)
    engine.Trainer(full, "mse", batch_size=6, shuffle=False).train(X, Y, 1)
    assert np.array_equal(model.params, full.params)


# ---------------------------------------------------------------- layering


def test_engine_imports_neither_streamlit_nor_plotly():
    code = (
        "import sys, engine\n"
        "engine.warm_up()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly'))\n"
        "print(repr(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "[]"
