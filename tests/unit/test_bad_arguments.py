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
        trainer.config = trainer.config.replace(optimizer="lbfgs")
    assert trainer.config.optimizer == "adam"


def test_unknown_trainer_setting_names_the_valid_ones():
    model, _, _ = small_problem()
    with pytest.raises(TypeError, match=r"no setting 'lr'.*learning_rate"):
        engine.Trainer(model, "mse", lr=0.1)
    with pytest.raises(TypeError, match="either config= or the loss"):
        engine.Trainer(model, "mse", config=engine.TrainConfig("mse"))


def test_trainer_settings_are_assigned_through_the_config():
    model, _, _ = small_problem()
    trainer = engine.Trainer(model, "mse", learning_rate=0.1)
    # A plain attribute would be silently ignored by training: refused with the way to do it.
    with pytest.raises(AttributeError, match=r"trainer.config = trainer.config.replace\(l2="):
        trainer.l2 = 0.01
    with pytest.raises(AttributeError, match=r"trainer.config.learning_rate"):
        _ = trainer.learning_rate
    assert trainer.config.learning_rate == 0.1 and trainer.config.l2 == 0.0


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
    with pytest.raises(ValueError, match=name):
        engine.TrainConfig("mse", **{name: value})
    trainer = engine.Trainer(model, "mse")
    with pytest.raises(ValueError, match=name):
        trainer.config = trainer.config.replace(**{name: value})
    assert trainer.config == engine.TrainConfig("mse")


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


# ---------------------------------------------------------------- every public function


def sigmoid_problem():
    model = engine.Model.create([2, 3, 1], output="sigmoid", seed=0)
    return model, np.zeros((4, 2)), np.array([[0.0], [1.0], [1.0], [0.0]])


def softmax_problem():
    model = engine.Model.create([2, 3, 3], output="softmax", seed=0)
    return model, np.zeros((4, 2)), np.eye(3)[[0, 1, 2, 0]]


def nan_model():
    model = engine.Model.create([2, 3, 1], seed=0)
    model.params[5] = np.nan  # as a notebook could, bypassing the weights setter
    return model


def run_trainer(**changes):
    model, X, Y = small_problem()
    arguments = {"X": X, "Y": Y, "epochs": 2, **changes}
    return engine.Trainer(model, "mse").train(**arguments)


CIRCLE = engine.make_dataset("circle", n_points=20, seed=1)
SEED_FUNCTIONS = {
    "make_dataset": lambda seed: engine.make_dataset("circle", seed=seed),
    "train_test_split": lambda seed: engine.train_test_split(CIRCLE, 0.5, seed=seed),
    "Model.create": lambda seed: engine.Model.create([2, 1], seed=seed),
    "Trainer": lambda seed: engine.Trainer(small_problem()[0], "mse", seed=seed),
}

# (what is called, the exception, the argument its message must name)
CASES = {
    # numbers that are NaN, infinite, negative, huge or of the wrong type
    "n_points nan": (
        lambda: engine.make_dataset("circle", n_points=np.nan),
        ValueError,
        "n_points",
    ),
    "n_points inf": (
        lambda: engine.make_dataset("circle", n_points=np.inf),
        ValueError,
        "n_points",
    ),
    "n_points text": (lambda: engine.make_dataset("circle", n_points="9"), TypeError, "n_points"),
    "n_points huge": (
        lambda: engine.make_dataset("circle", n_points=10**12),
        ValueError,
        "n_points",
    ),
    "noise nan": (lambda: engine.make_dataset("circle", noise=np.nan), ValueError, "noise"),
    "noise None": (lambda: engine.make_dataset("circle", noise=None), TypeError, "noise"),
    "name None": (lambda: engine.make_dataset(None), TypeError, "name"),
    "n_classes for circle": (
        lambda: engine.make_dataset("circle", n_classes=3),
        ValueError,
        "n_classes",
    ),
    "n_classes text": (lambda: engine.make_dataset("blobs", n_classes="3"), TypeError, "n_classes"),
    "split of None": (lambda: engine.train_test_split(None, 0.5), TypeError, "dataset"),
    "train_fraction nan": (
        lambda: engine.train_test_split(CIRCLE, np.nan),
        ValueError,
        "train_fraction",
    ),
    "train_fraction text": (
        lambda: engine.train_test_split(CIRCLE, "half"),
        TypeError,
        "train_fraction",
    ),
    "points None": (lambda: engine.build_features(None, ["x1"]), TypeError, "X"),
    "points of text": (lambda: engine.build_features([["a", "b"]], ["x1"]), TypeError, "X"),
    "points ragged": (lambda: engine.build_features([[1.0, 2.0], [3.0]], ["x1"]), ValueError, "X"),
    "points huge": (lambda: engine.build_features(np.full((2, 2), 1e200), ["x1"]), ValueError, "X"),
    "feature names None": (
        lambda: engine.build_features(np.zeros((2, 2)), None),
        TypeError,
        "names",
    ),
    "feature name 5": (lambda: engine.build_features(np.zeros((2, 2)), [5]), TypeError, "names"),
    "layer_sizes inf": (lambda: engine.Model.create([2, np.inf, 1]), ValueError, "layer_sizes"),
    "layer_sizes nan": (lambda: engine.Model.create([2, np.nan, 1]), ValueError, "layer_sizes"),
    "layer_sizes text": (lambda: engine.Model.create("21"), TypeError, "layer_sizes"),
    "activation None": (
        lambda: engine.Model.create([2, 3, 1], activation=None),
        TypeError,
        "activation",
    ),
    "output 3": (lambda: engine.Model.create([2, 3, 1], output=3), TypeError, "output"),
    "init unknown": (lambda: engine.Model.create([2, 1], init="orthogonal"), ValueError, "init"),
    "model None": (lambda: engine.Trainer(None, "mse"), TypeError, "model"),
    "model with NaN": (lambda: engine.Trainer(nan_model(), "mse"), ValueError, "model"),
    "loss None": (lambda: engine.Trainer(small_problem()[0], None), TypeError, "loss"),
    "batch_size inf": (
        lambda: engine.Trainer(small_problem()[0], "mse", batch_size=np.inf),
        ValueError,
        "batch_size",
    ),
    "learning_rate text": (
        lambda: engine.Trainer(small_problem()[0], "mse", learning_rate="0.1"),
        TypeError,
        "learning_rate",
    ),
    "shuffle text": (
        lambda: engine.Trainer(small_problem()[0], "mse", shuffle="no"),
        TypeError,
        "shuffle",
    ),
    "optimizer_settings dict": (
        lambda: engine.Trainer(small_problem()[0], "mse", optimizer_settings={"beta1": 0.8}),
        TypeError,
        "optimizer_settings",
    ),
    "epsilon nan": (lambda: engine.OptimizerSettings(epsilon=np.nan), ValueError, "epsilon"),
    "momentum text": (lambda: engine.OptimizerSettings(momentum="high"), TypeError, "momentum"),
    "epochs nan": (lambda: run_trainer(epochs=np.nan), ValueError, "epochs"),
    "epochs huge": (lambda: run_trainer(epochs=2**64), ValueError, "epochs"),
    "epochs None": (lambda: run_trainer(epochs=None), TypeError, "epochs"),
    "time_budget 0": (lambda: run_trainer(time_budget=0), ValueError, "time_budget"),
    "should_stop True": (lambda: run_trainer(should_stop=True), TypeError, "should_stop"),
    # arrays: shapes, contents and pairs
    "X None": (lambda: run_trainer(X=None), TypeError, "X"),
    "Y of text": (lambda: run_trainer(Y=np.array([["a"]] * 6)), TypeError, "Y"),
    "X huge": (lambda: run_trainer(X=np.full((6, 2), 1e300)), ValueError, "X"),
    "X_test without Y_test": (lambda: run_trainer(X_test=np.zeros((3, 2))), ValueError, "Y_test"),
    "Y_test without X_test": (lambda: run_trainer(Y_test=np.zeros((3, 1))), ValueError, "X_test"),
    "X_test rows": (
        lambda: run_trainer(X_test=np.zeros((3, 2)), Y_test=np.zeros((2, 1))),
        ValueError,
        "X_test",
    ),
    "X_test with NaN": (
        lambda: run_trainer(X_test=np.full((3, 2), np.nan), Y_test=np.zeros((3, 1))),
        ValueError,
        "X_test",
    ),
    # targets that do not fit the loss
    "bce target 2": (
        lambda: engine.Trainer(sigmoid_problem()[0], "bce").train(
            sigmoid_problem()[1], 2 * sigmoid_problem()[2], 1
        ),
        ValueError,
        "Y",
    ),
    "bce target -1 in evaluate": (
        lambda: engine.Trainer(sigmoid_problem()[0], "bce").evaluate(
            sigmoid_problem()[1], -sigmoid_problem()[2]
        ),
        ValueError,
        "Y",
    ),
    "cross-entropy rows not one-hot": (
        lambda: engine.Trainer(softmax_problem()[0], "cross_entropy").train(
            softmax_problem()[1], np.ones((4, 3)), 1
        ),
        ValueError,
        "Y",
    ),
    "cross-entropy gradients of ±1 targets": (
        lambda: engine.loss_and_gradients(
            softmax_problem()[0],
            softmax_problem()[1],
            2 * softmax_problem()[2] - 1,
            "cross_entropy",
        ),
        ValueError,
        "Y",
    ),
    "class ids out of range": (
        lambda: engine.targets_for_output([0, 1, 3], "softmax", 3),
        ValueError,
        "labels",
    ),
    "class ids None": (lambda: engine.targets_for_output(None, "tanh", 2), TypeError, "labels"),
    "n_classes nan": (
        lambda: engine.targets_for_output([0, 1], "tanh", np.nan),
        ValueError,
        "n_classes",
    ),
    "output unknown": (lambda: engine.targets_for_output([0, 1], "relu", 2), ValueError, "output"),
    # the grid and models that are not finite
    "extent negative": (
        lambda: engine.decision_grid(small_problem()[0], ["x1", "x2"], extent=-6),
        ValueError,
        "extent",
    ),
    "extent zero": (lambda: engine.grid_points(10, extent=0.0), ValueError, "extent"),
    "extent inf": (lambda: engine.grid_points(10, extent=np.inf), ValueError, "extent"),
    "resolution text": (lambda: engine.grid_points("10"), TypeError, "resolution"),
    "grid of a NaN model": (
        lambda: engine.decision_grid(nan_model(), ["x1", "x2"]),
        ValueError,
        "model",
    ),
    "grid of None": (lambda: engine.decision_grid(None, ["x1", "x2"]), TypeError, "model"),
    "grid with too few features": (
        lambda: engine.decision_grid(small_problem()[0], ["x1"]),
        ValueError,
        "features",
    ),
    "forward of a NaN model": (lambda: nan_model().forward(np.zeros((2, 2))), ValueError, "model"),
    "gradients of a NaN model": (
        lambda: engine.loss_and_gradients(nan_model(), np.zeros((1, 2)), np.zeros((1, 1)), "mse"),
        ValueError,
        "model",
    ),
    "gradients of None": (
        lambda: engine.loss_and_gradients(None, np.zeros((1, 2)), np.zeros((1, 1)), "mse"),
        TypeError,
        "model",
    ),
    "weights set to NaN": (
        lambda: setattr(small_problem()[0], "weights", [np.full((2, 3), np.nan), np.zeros((3, 1))]),
        ValueError,
        "weights",
    ),
    "activation_values of text": (lambda: engine.activation_values("tanh", "1"), TypeError, "z"),
    "activation_values name": (lambda: engine.activation_values(3, [1.0]), TypeError, "name"),
    "metric 5": (lambda: engine.TrainingHistory(1).column(5), TypeError, "name"),
    "history n_layers": (lambda: engine.TrainingHistory(0), ValueError, "n_layers"),
    "Dataset rows": (
        lambda: engine.Dataset(np.zeros((3, 2)), np.zeros(2, dtype=np.int64), 2, "classification"),
        ValueError,
        "Dataset.y",
    ),
    "histogram bins": (lambda: small_problem()[0].histograms(bins=-1), ValueError, "bins"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_bad_argument_gets_its_exception_and_is_named(case):
    call, exception, argument = CASES[case]
    with pytest.raises(exception) as error:
        call()
    assert error.type is exception  # not a subclass standing in for the other kind
    assert argument in str(error.value), str(error.value)


@pytest.mark.parametrize("function", list(SEED_FUNCTIONS))
@pytest.mark.parametrize(
    ("seed", "exception"),
    [
        (-1, ValueError),
        (2**63, ValueError),
        (2**64, ValueError),
        (1.5, ValueError),
        ("1", TypeError),
    ],
)
def test_one_seed_rule_everywhere(function, seed, exception):
    with pytest.raises(exception, match=r"seed must be a whole number from 0 to 2\*\*63 - 1"):
        SEED_FUNCTIONS[function](seed)


@pytest.mark.parametrize("function", list(SEED_FUNCTIONS))
def test_the_largest_seed_works_everywhere(function):
    SEED_FUNCTIONS[function](2**63 - 1)
    SEED_FUNCTIONS[function](np.uint64(7))


def test_messages_show_what_was_given_cut_short():
    with pytest.raises(ValueError) as error:
        engine.make_dataset("x" * 10_000)
    message = str(error.value)
    assert "'xxxx" in message and len(message) < 400


# ---------------------------------------------------------------- converted, not refused


def test_lists_float32_fortran_and_strided_arrays_train_like_float64():
    model, X, Y = small_problem()
    reference = model.copy()
    engine.Trainer(reference, "mse", shuffle=False).train(X, Y, 3)
    doubled = np.repeat(X, 2, axis=0)
    variants = [
        (X.tolist(), Y.tolist()),
        (np.asfortranarray(X), Y[:, 0]),
        (doubled[::2], np.repeat(Y, 3, axis=0)[::3]),
        (X.T.copy().T, Y.astype(np.float32).astype(np.float64)),
    ]
    for inputs, targets in variants:
        copy = model.copy()
        engine.Trainer(copy, "mse", shuffle=False).train(inputs, targets, 3)
        np.testing.assert_array_equal(copy.params, reference.params)
    small = X.astype(np.float32)
    engine.Trainer(model.copy(), "mse").train(small, Y.astype(np.float32), 1)
    engine.build_features(small.tolist(), ["x1", "x2_sq"])
    engine.targets_for_output([0, 1, 1], "tanh", 2)


def test_soft_cross_entropy_targets_are_probability_rows_and_accepted():
    model, X, _ = softmax_problem()
    soft = np.full((4, 3), 1 / 3)
    value, _, _ = engine.loss_and_gradients(model, X, soft, "cross_entropy")
    assert np.isfinite(value)
