"""Sweeps (playground.sweep): the grid, its checks, and runs on Dask that match the Playground.

The Dask tests use one in-process ``LocalCluster`` (threads, ``processes=False``): it starts in
well under a second; the page's own cluster (worker processes) is tested in the browser.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from playground.run import build_run, metrics, train_chunk
from playground.settings import PlaygroundSettings
from playground.sweep import (
    PAGE_MAX_RUNS,
    THUMBNAIL_RESOLUTION,
    Sweep,
    SweepError,
    SweepStore,
    cells_of,
    crossed_out,
    heatmap_figure,
    parse_values,
    plan_sweep,
    run_serially,
    runs_per_task,
    sweep,
    thumbnail,
)

TINY = PlaygroundSettings(hidden=(3,), batch=10)
EPOCHS = 20
# A base on which a learning rate of 3 diverges within a few epochs (plane, linear output).
DIVERGING = PlaygroundSettings(
    dataset="plane", output="linear", hidden=(8, 8), activation=("relu",)
)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


# ---------------------------------------------------------------- the grid


def test_the_grid_has_every_combination_first_axis_slowest_seeds_fastest():
    plan = plan_sweep(TINY, {"lr": [0.01, 0.1], "hidden": "2; 4,2; 8"}, seeds=[5, 6], epochs=7)
    cells = plan.cells()
    assert plan.n_runs == len(cells) == 2 * 3 * 2
    assert [values for values, _ in cells[:4]] == [
        {"lr": 0.01, "hidden": (2,), "seed": 5},
        {"lr": 0.01, "hidden": (2,), "seed": 6},
        {"lr": 0.01, "hidden": (4, 2), "seed": 5},
        {"lr": 0.01, "hidden": (4, 2), "seed": 6},
    ]
    _, settings = cells[-1]
    assert (settings.lr, settings.hidden, settings.init_seed) == (0.1, (8,), 6)
    # Its Playground link stops where the sweep did, and reads back as the same settings.
    assert settings.stop_epoch == 7
    assert PlaygroundSettings.from_query_params(settings.to_query_params()) == (settings, [])


def test_python_values_may_be_given_as_the_settings_hold_them():
    plan = plan_sweep(TINY, {"hidden": [8, (4, 2)], "activation": ["relu", ("tanh",)]})
    assert plan.axes == (("hidden", ((8,), (4, 2))), ("activation", (("relu",), ("tanh",))))


def test_values_are_read_as_a_link_writes_them():
    assert parse_values("lr", "0.003, 0.03 0.3") == (0.003, 0.03, 0.3)
    assert parse_values("hidden", "4; 8,8 | none") == ((4,), (8, 8), ())
    assert parse_values("activation", "tanh; relu,tanh") == (("tanh",), ("relu", "tanh"))
    assert parse_values("batch", "full, 10") == (0, 10)


@pytest.mark.parametrize(
    ("axes", "seeds", "epochs", "words"),
    [
        ({"lr": [-1, 0.1]}, None, 10, "`lr=-1` is not one of the choices (1e-05, 0.0001"),
        ({"lr": "0.1, x"}, None, 10, "Learning rate: `x` is not a value it can take"),
        ({"momentum": [1, 2]}, None, 10, "There is no sweep axis called `momentum`"),
        ({"lr": [None, 0.1]}, None, 10, "Learning rate: `None` is not a value it can take"),
        ({"noise": [0.5, 10]}, None, 10, "Data noise: `0.5` is not a value it can take"),
        ({"lr": [0.1]}, None, 10, "Learning rate has one value (0.1): an axis needs two or more"),
        ({"lr": []}, None, 10, "Learning rate has no values"),
        ({"lr": "0.1, 0.1"}, None, 10, "Learning rate lists 0.1 more than once"),
        ({"hidden": "4; 20"}, None, 10, "`hidden=20` is not a network"),
        ({"activation": "tanh; softmax"}, None, 10, "the activation must be one of"),
        ({"reg_rate": "0, 0.1"}, None, 10, "needs L1 or L2 regularisation in the base setup"),
        ({"lr": "0.1 0.3", "batch": "1 2", "noise": "0 5", "dropout": "0 0.1"}, None, 10,
         "at most 3 axes; this one has 4"),
        ({}, None, 10, "This sweep is a single run"),
        ({"lr": "0.1 0.3"}, [1, 1], 10, "A seed is listed more than once"),
        ({"lr": "0.1 0.3"}, [-2], 10, "A seed must be a whole number from 0"),
        ({"lr": "0.1 0.3"}, None, 0, "Epochs per run must be a whole number from 1"),
        ({"lr": "0.1 0.3"}, None, -5, "Epochs per run must be a whole number from 1"),
    ],
)  # fmt: skip
def test_a_sweep_that_cannot_run_gets_a_plain_sentence(axes, seeds, epochs, words):
    with pytest.raises(SweepError) as caught:
        plan_sweep(TINY, axes, seeds, epochs)
    assert words in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_a_combination_that_breaks_a_rule_between_settings_is_named():
    # Two activations (one per layer) fit a 2-layer network but not a 1-layer one.
    with pytest.raises(SweepError) as caught:
        plan_sweep(TINY, {"hidden": "4,2; 4", "activation": "relu,tanh; tanh"})
    assert "Activation:" in str(caught.value)
    assert "(with layers and neurons 4)" in str(caught.value)


def test_the_page_cap_names_the_count_and_the_api_has_none():
    axes = {"lr": "0.001 0.003 0.01 0.03 0.1 0.3 1", "noise": "0 5 10 15 20 25 30 35 40 45 50",
            "batch": "1 2 3 4 5 6"}  # fmt: skip
    with pytest.raises(SweepError, match="This sweep has 462 runs; the page runs at most 400"):
        plan_sweep(TINY, axes, max_runs=PAGE_MAX_RUNS)
    assert plan_sweep(TINY, axes).n_runs == 462


def test_tasks_are_batches_of_whole_runs():
    assert runs_per_task(9, 2) == 2  # 5 tasks: the bar moves in small steps
    assert runs_per_task(64, 2) == 8  # 8 tasks, 4 a worker
    assert runs_per_task(400, 2) == 16  # at most 16 runs a task
    assert runs_per_task(1, 8) == 1


# ---------------------------------------------------------------- runs


def test_a_sweep_on_dask_gives_the_numbers_of_the_playground_trained_directly(client):
    axes = {"lr": [0.03, 0.3], "activation": ["tanh", "relu"]}
    table = sweep(TINY, axes, seeds=[3], epochs=EPOCHS, client=client)
    assert len(table) == 4 and list(table["run"]) == [0, 1, 2, 3]
    for row in table.itertuples():
        settings = TINY.with_changes(lr=row.lr, activation=(row.activation,), init_seed=3)
        run = build_run(settings)
        train_chunk(run, EPOCHS)  # per-epoch evaluation, as the Playground trains
        direct = metrics(run)
        for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
            assert getattr(row, name) == direct[name], (row, name)
        assert row.epochs_run == EPOCHS and not row.diverged
        assert np.array_equal(row.thumbnail, thumbnail(run))
        # The cell's link opens exactly these settings (stopping at the sweep's epoch).
        linked, problems = PlaygroundSettings.from_query_params(
            dict(part.split("=", 1) for part in row.query.split("&"))
        )
        assert problems == [] and linked.lr == row.lr and linked.stop_epoch == EPOCHS
    assert table.loc[0, "thumbnail"].shape == (THUMBNAIL_RESOLUTION, THUMBNAIL_RESOLUTION, 3)
    assert not table["test_loss"].equals(table["test_loss"].iloc[::-1].reset_index(drop=True))


def test_a_sweeps_run_takes_no_snapshots_and_ends_on_the_same_weights():
    """Sweeps train with ``record=False``: one kernel call, not one per timeline snapshot
    (the first 100 epochs each have one), and the same weights as the Playground's run."""
    recorded, unrecorded = build_run(TINY), build_run(TINY)
    train_chunk(recorded, 120)
    train_chunk(unrecorded, 120, record=False)
    assert len(recorded.snapshots) > 100 and len(unrecorded.snapshots) == 0
    assert np.array_equal(recorded.model.params, unrecorded.model.params)


def test_the_serial_reference_and_dask_agree(client):
    plan = plan_sweep(TINY, {"noise": [0, 30]}, seeds=[1, 2], epochs=EPOCHS)
    serial = run_serially(plan)
    on_dask = Sweep(plan, client, runs_per_task_=3).wait()
    columns = ["noise", "seed", "train_loss", "test_loss", "diverged", "epochs_run", "query"]
    assert serial[columns].equals(on_dask[columns])


def test_a_run_that_diverges_is_a_result_with_its_epoch(client):
    table = sweep(DIVERGING, {"lr": [0.03, 3.0]}, epochs=EPOCHS, client=client)
    calm, wild = table.iloc[0], table.iloc[1]
    assert not calm["diverged"] and math.isfinite(calm["test_loss"])
    assert wild["diverged"] and 1 <= wild["diverged_at"] <= EPOCHS
    assert math.isnan(wild["test_loss"])


def test_cancel_keeps_what_arrived_and_submits_nothing_more(client):
    plan = plan_sweep(TINY, {"lr": "0.01 0.03 0.1 0.3", "noise": "0 10 20 30"}, epochs=400)
    job = Sweep(plan, client, runs_per_task_=1)
    job.cancel()
    assert job.cancelled and not job.running
    done = job.done
    time.sleep(0.3)
    job.collect()
    assert job.done == done < job.total == 16
    assert all(future.cancelled() or future.done() for future in job._futures)


def test_progress_counts_runs_as_they_arrive(client):
    plan = plan_sweep(TINY, {"lr": "0.03 0.3", "noise": "0 10"}, epochs=EPOCHS)
    job = Sweep(plan, client, runs_per_task_=1)
    assert job.done > 0 or job.seconds_left() is None  # no pace before the first result
    job.wait()
    assert (job.done, job.total, job.running, job.cancelled) == (4, 4, False, False)
    assert job.runs_per_second() > 0 and job.seconds_left() is None


# ---------------------------------------------------------------- what the page shows


def test_cells_average_the_seeds_and_the_heat_map_marks_diverged_cells(client):
    plan = plan_sweep(DIVERGING, {"lr": [0.03, 3.0]}, seeds=[1, 2, 3], epochs=EPOCHS)
    table = Sweep(plan, client).wait()
    cells = cells_of(table, plan)
    calm, wild = cells[(0.03,)], cells[(3.0,)]
    losses = table[table["lr"] == 0.03]["test_loss"]
    assert calm.runs == 3 and calm.test_loss == pytest.approx(losses.mean())
    assert calm.spread == pytest.approx(losses.std())
    assert calm.loss_text() == f"{losses.mean():.3g} ± {losses.std():.2g}"
    assert wild.diverged == 3 and wild.loss_text() == "diverged"
    figure = heatmap_figure(cells, plan, "test_loss")
    heat = figure["data"][0]
    assert heat["y"] == ["0.03", "3"] and heat["z"][1] == [None]
    assert heat["text"] == [[f"{losses.mean():.3g}"], ["diverged"]]


def test_a_diverged_picture_is_crossed_out_in_red():
    picture = np.full((8, 8, 3), 255, dtype=np.uint8)
    marked = crossed_out(picture)
    assert tuple(marked[0, 0]) == tuple(marked[7, 0]) == (214, 39, 40)
    assert tuple(marked[0, 4]) == (191, 191, 191)  # faded
    assert picture[0, 0, 1] == 255  # a copy


def test_the_store_keeps_the_newest_and_finds_a_sweep_by_its_plan(client):
    store = SweepStore(capacity=2)
    plans = [plan_sweep(TINY, {"lr": [0.03, 0.3]}, seeds=[s], epochs=2) for s in (1, 2, 3)]
    jobs = [store.start(plan, client) for plan in plans]
    for job in jobs:
        job.wait()
    assert store.get(plans[0]) is None  # the oldest went
    assert store.get(plans[2]) is jobs[2]
    assert store.get(plan_sweep(TINY, {"lr": "0.03, 0.3"}, seeds=[3], epochs=2)) is jobs[2]
    assert store.recent() == [jobs[2], jobs[1]]
