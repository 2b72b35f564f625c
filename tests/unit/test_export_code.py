"""Exported code (``playground/export_code.py``): the NumPy script's predictions match the app's
to 1e-6 on the 100×100 grid (every activation, every output, several classes, regression, own
data) and its ``__main__`` prints the app's accuracies; the notebook's code cells, run in order
as one script, retrain the same network and print the app's accuracy; the PyTorch script
compiles, and its module predicts as the app and trains on with PyTorch's CPU build (a
development requirement).
"""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine
from playground import drawing
from playground.export_code import (
    FEATURE_CODE,
    NUMPY_ACTIVATIONS,
    TORCH_ACTIVATIONS,
    notebook,
    notebook_code,
    numpy_script,
    pytorch_script,
)
from playground.run import build_run, train_chunk
from playground.settings import PlaygroundSettings

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-6
SUBPROCESS_SECONDS = 120  # a Python start, the engine's import (cached kernels) and training


def trained(epochs: int = 15, own: bool = False, **params: str):
    settings, problems = PlaygroundSettings.from_query_params(params)
    assert not problems, problems
    points = None
    if own:
        generated = build_run(settings)
        points = drawing.joined(generated.train, generated.test)
        settings, problems = PlaygroundSettings.from_query_params(
            {
                **params,
                "dataset": "custom",
                "points": drawing.link_value(generated.train, generated.test),
            }
        )
        assert not problems, problems
    run = build_run(settings, points)
    train_chunk(run, epochs)
    return run


RUNS = {
    **{
        f"hidden {name}": {"activation": name, "hidden": "5,3", "features": "x1,x2,x1_sq,sin_x2"}
        for name in engine.HIDDEN_ACTIVATIONS
    },
    "sigmoid output": {"dataset": "xor", "output": "sigmoid", "loss": "bce"},
    "linear output": {"dataset": "gauss", "output": "linear"},
    "softmax on two classes": {"dataset": "moons", "output": "softmax"},
    "four classes": {"dataset": "blobs", "classes": "4", "hidden": "6", "activation": "relu"},
    "regression": {"dataset": "multi_gauss", "hidden": "8,4", "activation": "elu"},
    "every feature": {"dataset": "spiral", "features": ",".join(engine.FEATURES)},
    "no hidden layer": {"hidden": "none", "features": "x1_sq,x2_sq"},
}


def numpy_module(run, tmp_path: Path) -> tuple[Path, dict]:
    path = tmp_path / "network.py"
    path.write_text(numpy_script(run), encoding="utf-8")
    return path, runpy.run_path(str(path))


@pytest.mark.parametrize("case", list(RUNS))
def test_numpy_predictions_match_the_app_on_the_grid(case, tmp_path):
    run = trained(**RUNS[case])
    _, module = numpy_module(run, tmp_path)
    grid = engine.grid_points(100)
    exported = np.asarray(module["predict"](grid[:, 0], grid[:, 1]))
    app = run.model.forward(run.grid_inputs)
    assert exported.reshape(app.shape).shape == (10_000, app.shape[1])
    assert np.abs(exported.reshape(app.shape) - app).max() <= TOLERANCE
    assert np.ptp(app) > 1e-3  # a network that says something, not a constant


def test_numpy_script_on_own_data_embeds_its_points(tmp_path):
    run = trained(own=True, dataset="spiral", noise="25")
    _, module = numpy_module(run, tmp_path)
    assert np.array_equal(np.array(module["TRAIN_X"]), run.train.X)
    grid = engine.grid_points(100)
    exported = module["predict"](grid[:, 0], grid[:, 1])
    assert np.abs(exported - run.model.forward(run.grid_inputs)[:, 0]).max() <= TOLERANCE


@pytest.mark.parametrize("case", ["hidden tanh", "four classes", "regression"])
def test_the_numpy_script_prints_the_apps_accuracy(case, tmp_path):
    run = trained(**RUNS[case])
    path, _ = numpy_module(run, tmp_path)
    result = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_SECONDS,
        check=True,
    )
    printed = dict(re.findall(r"^(train|test) [a-z ]+: ([0-9.]+)", result.stdout, re.M))
    if run.train.kind == "classification":
        assert "accuracy" in result.stdout
        for name, inputs, targets in (
            ("train", run.train_inputs, run.train_targets),
            ("test", run.test_inputs, run.test_targets),
        ):
            assert float(printed[name]) == pytest.approx(
                run.trainer.evaluate(inputs, targets)[1], abs=1e-6
            )
    else:  # mean squared error: twice the app's mse loss (which halves the square)
        assert "mean squared error" in result.stdout
        loss = run.trainer.evaluate(run.train_inputs, run.train_targets)[0]
        assert float(printed["train"]) == pytest.approx(2 * loss, abs=1e-6)


def test_the_tables_cover_the_engines_registries():
    """(Their values: the "every feature" and every-activation cases above.)"""
    assert set(FEATURE_CODE) == set(engine.FEATURES)
    everything = set(engine.HIDDEN_ACTIVATIONS) | set(engine.OUTPUT_ACTIVATIONS)
    assert set(NUMPY_ACTIVATIONS) == everything == set(TORCH_ACTIVATIONS)


@pytest.mark.parametrize("case", ["hidden relu", "four classes"])
def test_the_pytorch_script_compiles(case):
    text = pytorch_script(trained(**RUNS[case]))
    compile(text, "network_torch.py", "exec")
    assert "nn.Sequential" in text and "def train(model, epochs)" in text
    assert text.startswith('"""A ') and "in NeuroPlay, as a PyTorch module." in text


@pytest.mark.parametrize("case", ["hidden tanh", "four classes", "regression", "hidden elu"])
def test_the_pytorch_module_predicts_as_the_app_and_trains_on(case, tmp_path):
    run = trained(**RUNS[case])
    path = tmp_path / "network_torch.py"
    path.write_text(pytorch_script(run), encoding="utf-8")
    module = runpy.run_path(str(path))
    model = module["build_model"]()
    grid = engine.grid_points(100)
    exported = module["predict"](model, grid[:, 0], grid[:, 1]).numpy()
    assert np.abs(exported - run.model.forward(run.grid_inputs)).max() <= TOLERANCE
    assert np.isfinite(module["train"](model, 3))


@pytest.mark.parametrize(
    "params",
    [
        {"dataset": "xor", "optimizer": "adam", "lr": "0.01", "dropout": "0.1"},
        {"dataset": "blobs", "classes": "3", "batch": "full", "reg": "l2", "reg_rate": "0.01"},
        {"dataset": "plane", "optimizer": "rmsprop", "lr": "0.003"},
    ],
    ids=["adam with dropout", "three classes", "regression"],
)
def test_the_notebook_retrains_the_apps_network_and_prints_its_accuracy(params, tmp_path):
    run = trained(epochs=25, **params)
    text = notebook(run)
    predictions = tmp_path / "predictions.npy"
    script = tmp_path / "notebook.py"
    # The code cells in order (no Jupyter kernel here), then the grid's predictions saved.
    script.write_text(
        notebook_code(text) + f"\nnp.save({str(predictions)!r}, "
        "model.forward(engine.build_features(engine.grid_points(100), FEATURES)))\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_SECONDS,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "identical to the app's: True" in result.stdout
    test_accuracy = float(re.search(r"test accuracy ([0-9.]+)", result.stdout).group(1))
    app_accuracy = run.trainer.history.last("test_accuracy")
    assert test_accuracy == pytest.approx(app_accuracy, abs=1e-6)
    assert np.array_equal(np.load(predictions), run.model.forward(run.grid_inputs))


def test_a_changed_run_gets_the_apps_weights_in_the_notebook(tmp_path):
    run = trained(epochs=5, dataset="circle")
    run.model.weights[0][0, 0] = 2.5  # an edited weight: retraining cannot give it
    script = tmp_path / "notebook.py"
    script.write_text(notebook_code(notebook(run)), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_SECONDS,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "identical to the app's: False" in result.stdout
    accuracy = float(re.search(r"train accuracy ([0-9.]+)", result.stdout).group(1))
    assert accuracy == pytest.approx(
        run.trainer.evaluate(run.train_inputs, run.train_targets)[1], abs=1e-9
    )


@pytest.mark.parametrize("schedule", ["cosine", "step", "exponential"])
def test_the_pytorch_script_trains_on_with_the_runs_learning_rate_schedule(schedule, tmp_path):
    params = {"schedule": schedule, "warmup": "5", "decay_epochs": "10", "final_fraction": "0.1"}
    run = trained(epochs=3, **params)
    path = tmp_path / "network_torch.py"
    path.write_text(pytorch_script(run), encoding="utf-8")
    module = runpy.run_path(str(path))
    config = run.trainer.config
    for epoch in (0, 3, 4, 5, 9, 17, 40):  # warm-up, its end, decay, cosine's floor
        factor = module["rate_factor"](epoch)
        assert factor * config.learning_rate == pytest.approx(config.rate_at(epoch), rel=1e-14)
    assert module["START_EPOCH"] == 3  # the script continues where the run is
