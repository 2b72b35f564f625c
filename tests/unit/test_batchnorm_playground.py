"""Batch normalisation in the Playground's core (issue 16): the ``batchnorm`` setting and its
refusal of one-point batches, the run file (bit-identical round trip, training on alike), and
the exported NumPy and PyTorch code (predicting as the app, running statistics included)."""

from __future__ import annotations

import json
import runpy

import numpy as np
import pytest

import engine
from playground.export_code import notebook, numpy_script, pytorch_script
from playground.run import build_run, train_chunk
from playground.run_file import RunFileError, load_run, run_document, save_run
from playground.settings import PlaygroundSettings

LINK = {"batchnorm": "on", "hidden": "4,3", "optimizer": "adam", "lr": "0.01"}


@pytest.fixture(scope="module")
def run():
    settings, problems = PlaygroundSettings.from_query_params(LINK)
    assert not problems and settings.batchnorm
    run = build_run(settings)
    train_chunk(run, 6)
    assert run.model.architecture.batchnorm
    assert not np.array_equal(run.model.batchnorm_arrays()["running_var"][0], np.ones(4))
    return run


def test_the_setting_travels_in_links_and_refuses_a_batch_of_one():
    settings, problems = PlaygroundSettings.from_query_params({**LINK, "batch": "1"})
    assert settings.batchnorm and settings.batch == 10
    assert problems == [
        "Batch normalisation needs at least 2 points per mini-batch (it normalises with the "
        "batch's mean and variance), so `batch=1` cannot be used with it; using 10 instead."
    ]
    assert settings.to_query_params()["batchnorm"] == "true"
    assert PlaygroundSettings.from_query_params(settings.to_query_params())[0] == settings
    # The controls' path: a refused change raises (ui.controls.apply shows the sentence).
    with pytest.raises(ValueError, match="choose a larger batch size"):
        settings.with_changes(batch=1)
    one = PlaygroundSettings().with_changes(batch=1)
    with pytest.raises(ValueError, match="turn batch normalisation off"):
        one.with_changes(batchnorm=True)
    assert settings.with_changes(batchnorm=False, batch=1).batch == 1
    assert settings.structure_key() != settings.with_changes(batchnorm=False).structure_key()


def test_the_run_file_round_trips_bit_identically_and_trains_on_alike(run):
    document = run_document(run)
    assert set(document["network"]["batchnorm"]) == set(engine.model.NORM_ARRAYS)
    loaded = load_run(save_run(run))
    assert np.array_equal(loaded.model.params, run.model.params)
    for name in ("first_moment", "second_moment", "step_counter", "rng_state", "_order"):
        assert np.array_equal(getattr(loaded.trainer, name), getattr(run.trainer, name))
    twin = load_run(save_run(run))
    train_chunk(loaded, 3)
    train_chunk(twin, 3)
    assert np.array_equal(loaded.model.params, twin.model.params)
    # A file whose batch normalisation is missing or impossible is refused with a sentence.
    del document["network"]["batchnorm"]
    with pytest.raises(RunFileError, match="The run file's `network` has no `batchnorm`"):
        load_run(json.dumps(document).encode())
    document = run_document(run)
    document["network"]["batchnorm"]["running_var"][0][0] = -1.0
    with pytest.raises(RunFileError, match="running variance of hidden layer 1"):
        load_run(json.dumps(document).encode())


def test_exported_numpy_and_pytorch_code_predict_as_the_app(run, tmp_path):
    grid = engine.grid_points(100)
    app = run.model.forward(run.grid_inputs)
    path = tmp_path / "network.py"
    path.write_text(numpy_script(run), encoding="utf-8")
    exported = np.asarray(runpy.run_path(str(path))["predict"](grid[:, 0], grid[:, 1]))
    assert np.abs(exported.reshape(app.shape) - app).max() <= 1e-6
    path = tmp_path / "network_torch.py"
    path.write_text(pytorch_script(run), encoding="utf-8")
    module = runpy.run_path(str(path))
    model = module["build_model"]()
    assert "BatchNorm1d" in str(model)
    exported = module["predict"](model, grid[:, 0], grid[:, 1]).numpy()
    assert np.abs(exported - app).max() <= 1e-6
    assert "batchnorm=True" in notebook(run) and "BATCHNORM" in notebook(run)


def test_a_single_drawn_point_with_batchnorm_says_why_it_does_not_train():
    settings, _ = PlaygroundSettings.from_query_params({"batchnorm": "on", "hidden": "3"})
    run = build_run(settings)  # as your own data's first drawn point: one training row
    run.train = engine.Dataset(run.train.X[:1], run.train.y[:1], 2, "classification")
    run.train_inputs, run.train_targets = run.train_inputs[:1], run.train_targets[:1]
    train_chunk(run, 5)
    assert run.epoch == 0
    assert run.stop_reason == (
        "Batch normalisation needs at least 2 training points per mini-batch: add points "
        "(or turn batch normalisation off) to train."
    )
    run.train = engine.Dataset(
        run.train.X[:1].repeat(2, 0), run.train.y[:1].repeat(2), 2, "classification"
    )
    run.train_inputs = run.train_inputs[:1].repeat(2, 0)
    run.train_targets = run.train_targets[:1].repeat(2, 0)
    train_chunk(run, 5)  # two points: it trains
    assert run.epoch == 5 and run.stop_reason is None
