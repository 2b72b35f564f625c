"""The server's memory accounting that bench/soak.py reads (ui/diagnostics.py)."""

from __future__ import annotations

import gc

from playground.run import build_run
from playground.settings import PlaygroundSettings
from ui import diagnostics


def test_the_report_counts_live_runs_and_the_bytes_they_hold():
    before = diagnostics.memory_report()
    run = build_run(PlaygroundSettings(hidden=(8, 8)))
    run.trainer.train(run.train_inputs, run.train_targets, 500)
    during = diagnostics.memory_report()
    assert during["training_runs"] == before["training_runs"] + 1
    assert 500 in during["history_rows"]
    # Its data, features of the 100×100 grid, parameters and history: well over 100 kB.
    assert during["run_array_mb"] - before["run_array_mb"] > 0.1
    del run
    gc.collect()
    assert diagnostics.memory_report()["training_runs"] == before["training_runs"]


def test_the_route_is_served_only_when_asked_for():
    # The test environment does not set NEUROPLAY_DIAGNOSTICS.
    assert diagnostics.ROUTES == []
