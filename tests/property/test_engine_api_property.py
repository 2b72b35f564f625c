"""Any value for any argument of the engine's public functions gives a result, or a
``ValueError`` / ``TypeError`` whose message names the argument: never another exception,
never a hang, and never NaN in a result when every input was finite.

Each test starts from valid arguments and replaces one of them with a value drawn from a
broad strategy: numbers (NaN, ±inf, huge, negative, NumPy scalars, bools), strings,
``None`` and other objects, lists (nested, ragged, mixed) and arrays of any dtype and
shape.  ``derandomize=True``: CI sees the same examples on every run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import signal
import time
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine

# Hypothesis reports an example slower than DEADLINE; TIME_LIMIT stops a runaway one (the
# slowest legitimate example, a 400 × 400 grid or a 0.05 s training budget, takes ~0.1 s;
# a 2-core machine shared by several test runs can stretch that a lot).
DEADLINE = timedelta(seconds=3)
TIME_LIMIT = 10.0
API_SETTINGS = settings(
    max_examples=150,
    derandomize=True,
    deadline=DEADLINE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)

NUMBERS = st.one_of(
    st.integers(-5, 50),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-10.0, 10.0),
    st.sampled_from(
        [np.nan, np.inf, -np.inf, 0, -1, 0.5, 1e300, -1e300, 2**63 - 1, 2**63, 2**64, -(2**63)]
    ),
    st.booleans(),
    st.sampled_from([np.int64(3), np.float32(0.25), np.uint64(2**64 - 1), np.float64(np.nan)]),
)
TEXTS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["x1", "x2", "circle", "blobs", "plane", "mse", "bce", "cross_entropy"]),
    st.sampled_from(["tanh", "relu", "softmax", "sigmoid", "linear", "adam", "playground"]),
    st.sampled_from(["train_loss", "nan", ""]),
)
ARRAYS = hnp.arrays(
    dtype=st.one_of(
        hnp.integer_dtypes(),
        hnp.unsigned_integer_dtypes(),
        hnp.floating_dtypes(),
        hnp.boolean_dtypes(),
        hnp.complex_number_dtypes(),
        hnp.unicode_string_dtypes(max_len=3),
        hnp.datetime64_dtypes(),
    ),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6),
)
POINT_LISTS = st.lists(
    st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=3),
    max_size=6,
)
LISTS = st.lists(st.one_of(NUMBERS, TEXTS, st.none()), max_size=6)
OTHERS = st.sampled_from(
    [None, {}, {"x": 1}, (), [], b"bytes", object(), slice(2), Ellipsis, lambda: True]
)
BROAD = st.one_of(NUMBERS, TEXTS, ARRAYS, POINT_LISTS, LISTS, OTHERS)


@pytest.fixture(scope="module", autouse=True)
def compiled():
    engine.warm_up()  # compile (or load) the kernels before the first timed example


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise ``TimeoutError`` in this thread after ``seconds``; restores any alarm that was
    set (pytest-timeout's) when it ends."""

    def expired(signum, frame):
        raise TimeoutError(f"an example ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    started = time.monotonic()
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:
            left = max(outer_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


def finite(value) -> bool:
    """False if ``value`` is or holds a NaN or infinite number."""
    if isinstance(value, float | np.floating | complex | np.complexfloating):
        return bool(np.isfinite(value))
    if isinstance(value, np.ndarray):
        return value.dtype.kind not in "fc" or bool(np.all(np.isfinite(value)))
    if isinstance(value, list | tuple):
        return all(finite(item) for item in value)
    return True


def nan_in(result) -> bool:
    """True if a result (arrays, numbers, data sets, models, trainers, nested) holds NaN."""
    if isinstance(result, float | np.floating):
        return math.isnan(result)
    if isinstance(result, np.ndarray):
        return result.dtype.kind == "f" and bool(np.isnan(result).any())
    if isinstance(result, list | tuple):
        return any(nan_in(item) for item in result)
    if isinstance(result, engine.Dataset):
        return nan_in(result.X) or nan_in(result.y)
    if isinstance(result, engine.Model):
        return nan_in(result.params)
    if isinstance(result, engine.Trainer):
        return nan_in(result.model)
    return False


def expect_result_or_named_error(call, argument: str, inputs_finite: bool):
    """Run ``call``; it must return, or raise ValueError/TypeError naming ``argument``."""
    with time_limit(TIME_LIMIT):
        try:
            result = call()
        except (ValueError, TypeError) as error:
            assert argument in str(error), f"{type(error).__name__}: {error}"
            return None
    if inputs_finite:
        assert not nan_in(result), result
    return result


def replace_one(data, baseline: dict) -> tuple[str, object, dict]:
    """(argument, value, arguments): ``baseline`` with one argument replaced."""
    argument = data.draw(st.sampled_from(sorted(baseline)), label="argument")
    value = data.draw(BROAD, label="value")
    return argument, value, {**baseline, argument: value}


def check(data, function, baseline: dict):
    argument, value, arguments = replace_one(data, baseline)
    return expect_result_or_named_error(lambda: function(**arguments), argument, finite(value))


def small_model(output: str = "tanh", units: int = 1) -> engine.Model:
    return engine.Model.create([2, 3, units], activation="relu", output=output, seed=1)


def inputs() -> np.ndarray:
    return np.random.default_rng(0).uniform(-1, 1, size=(6, 2))


def targets() -> np.ndarray:
    return np.array([[1.0], [-1.0], [1.0], [1.0], [-1.0], [-1.0]])


# ---------------------------------------------------------------- data


@API_SETTINGS
@given(data=st.data())
def test_make_dataset(data):
    baseline = {"name": "circle", "n_points": 40, "noise": 0.1, "seed": 1, "n_classes": None}
    check(data, engine.make_dataset, baseline)


@API_SETTINGS
@given(data=st.data())
def test_train_test_split(data):
    dataset = engine.make_dataset("xor", n_points=20, seed=2)
    check(data, engine.train_test_split, {"dataset": dataset, "train_fraction": 0.5, "seed": 3})


@API_SETTINGS
@given(data=st.data())
def test_dataset(data):
    baseline = {
        "X": np.zeros((3, 2)),
        "y": np.array([0, 1, 1]),
        "n_classes": 2,
        "kind": "classification",
        "name": "mine",
    }
    check(data, engine.Dataset, baseline)


@API_SETTINGS
@given(data=st.data())
def test_dataset_from_arrays(data):
    baseline = {
        "X": np.zeros((3, 2)),
        "y": np.array([0, 1, 1]),
        "kind": None,
        "n_classes": None,
        "name": "mine",
    }
    check(data, engine.Dataset.from_arrays, baseline)


@API_SETTINGS
@given(data=st.data())
def test_build_features_and_check_features(data):
    check(data, engine.build_features, {"X": inputs(), "names": ["x1", "x2_sq", "sin_x1"]})
    check(data, engine.check_features, {"features": ["x1", "x2"]})


@API_SETTINGS
@given(data=st.data())
def test_targets_for_output(data):
    check(data, engine.targets_for_output, {"labels": [0, 1, 1], "output": "tanh", "n_classes": 2})


@API_SETTINGS
@given(data=st.data())
def test_grid_points(data):
    check(data, engine.grid_points, {"resolution": 10, "extent": 6.0})


# ---------------------------------------------------------------- models


@API_SETTINGS
@given(data=st.data())
def test_model_create(data):
    baseline = {
        "layer_sizes": [2, 3, 3],
        "activation": "relu",
        "output": "tanh",
        "init": "playground",
        "seed": 1,
    }
    check(data, engine.Model.create, baseline)


@API_SETTINGS
@given(data=st.data(), method=st.sampled_from(["forward", "activations", "neuron_outputs"]))
def test_model_evaluation(data, method):
    model = small_model()
    check(data, getattr(model, method), {"X": inputs()})


@API_SETTINGS
@given(data=st.data(), which=st.sampled_from(["weights", "biases"]))
def test_model_parameter_setters(data, which):
    model = small_model()
    before = model.params.copy()
    value = data.draw(BROAD, label="value")
    index = data.draw(st.integers(0, 1), label="layer")

    def assign():
        getattr(model, which)[index] = value

    expect_result_or_named_error(assign, which, finite(value))
    if not finite(value):
        assert np.array_equal(model.params, before)  # nothing non-finite got in


@API_SETTINGS
@given(data=st.data())
def test_decision_grid(data):
    baseline = {"model": small_model(), "features": ["x1", "x2"], "resolution": 8, "extent": 6.0}
    check(data, engine.decision_grid, baseline)


@API_SETTINGS
@given(data=st.data())
def test_activation_values(data):
    check(data, engine.activation_values, {"name": "tanh", "z": np.linspace(-3, 3, 5)})


# ---------------------------------------------------------------- training


CONFIG_BASELINE = {
    "loss": "mse",
    "optimizer": "adam",
    "learning_rate": 0.03,
    "batch_size": 4,
    "l1": 0.0,
    "l2": 0.001,
    "dropout": 0.1,
    "clip_norm": None,
    "shuffle": True,
    "optimizer_settings": None,
    "evaluate_every": 1,
}


@API_SETTINGS
@given(data=st.data())
def test_trainer_constructor(data):
    check(data, engine.Trainer, {"model": small_model(), "seed": 0, **CONFIG_BASELINE})


@API_SETTINGS
@given(data=st.data())
def test_train_config(data):
    check(data, engine.TrainConfig, CONFIG_BASELINE)


CONFIG_FIELDS = [field.name for field in dataclasses.fields(engine.TrainConfig)]


@API_SETTINGS
@given(data=st.data(), name=st.sampled_from(CONFIG_FIELDS))
def test_a_refused_config_change_keeps_the_old_config(data, name):
    trainer = engine.Trainer(small_model(), "mse", optimizer="adam")
    before = trainer.config
    value = data.draw(BROAD, label="value")

    def change():
        trainer.config = trainer.config.replace(**{name: value})
        return trainer

    result = expect_result_or_named_error(change, name, finite(value))
    if result is None:
        assert trainer.config is before
    trainer.train(inputs(), targets(), 2)  # whatever was set, training works


@API_SETTINGS
@given(data=st.data())
def test_trainer_train(data):
    trainer = engine.Trainer(small_model(), "mse", batch_size=4)
    baseline = {
        "X": inputs(),
        "Y": targets(),
        "epochs": 3,
        "X_test": inputs()[:4],
        "Y_test": targets()[:4],
        "time_budget": 0.05,  # so that a drawn epoch count of 10**18 returns
        "should_stop": None,
    }
    argument, value, arguments = replace_one(data, baseline)
    result = expect_result_or_named_error(
        lambda: trainer.train(**arguments), argument, finite(value)
    )
    if result is not None:
        assert result.epochs_run == trainer.epoch
        if not (result.stopped or result.divergence):
            assert result.epochs_run == arguments["epochs"]
        assert np.all(np.isfinite(trainer.model.params))  # a divergence is rolled back


@API_SETTINGS
@given(data=st.data(), loss=st.sampled_from(["mse", "mae", "bce", "cross_entropy"]))
def test_evaluate_and_gradients_check_targets_against_the_loss(data, loss):
    output = {"bce": "sigmoid", "cross_entropy": "softmax"}.get(loss, "tanh")
    units = 2 if output == "softmax" else 1
    model = small_model(output, units)
    Y = np.eye(2)[[0, 1, 1, 0, 1, 0]] if units == 2 else (targets() + 1) / 2
    argument, value, arguments = replace_one(data, {"X": inputs(), "Y": Y})
    trainer = engine.Trainer(model, loss)
    expect_result_or_named_error(lambda: trainer.evaluate(**arguments), argument, finite(value))
    expect_result_or_named_error(
        lambda: engine.loss_and_gradients(model, loss=loss, **arguments), argument, finite(value)
    )


@API_SETTINGS
@given(data=st.data())
def test_loss_and_gradients(data):
    baseline = {"model": small_model(), "X": inputs(), "Y": targets(), "loss": "mse"}
    check(data, engine.loss_and_gradients, baseline)


@API_SETTINGS
@given(data=st.data())
def test_optimizer_settings(data):
    baseline = {"momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "rho": 0.9, "epsilon": 1e-8}
    check(data, engine.OptimizerSettings, baseline)


@API_SETTINGS
@given(data=st.data(), method=st.sampled_from(["column", "last", "truncate"]))
def test_training_history(data, method):
    check(data, engine.TrainingHistory, {"n_layers": 2, "max_rows": 100})
    history = engine.TrainingHistory(1)
    history.append(np.ones((3, len(history.COLUMNS))), np.ones((3, 1)))
    argument = {"column": "name", "last": "name", "truncate": "epoch"}[method]
    value = data.draw(BROAD, label="value")
    # Histories hold NaN for epochs that were not evaluated: no NaN check here.
    expect_result_or_named_error(lambda: getattr(history, method)(value), argument, False)
