"""The cold-start warm-up: its two halves compile exactly what training then uses.

``engine.warm_up`` splits a cold compile between two processes (engine/warmup.py); the
split only saves time if the kernels each half compiles have the very argument types the
training kernel calls them with.  If a signature drifted, training would compile its own
copy and the start would silently get slower: these tests catch that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh process with an empty Numba cache: compile both halves through warmup's own
# functions, then train and draw the grid, and report how many versions of each kernel exist.
# One process for both halves (not one each): a cold compile takes ~25 s on the 2-core CI
# machine, and training after either half compiled the other half's kernels anyway, so two
# processes paid for the whole compile twice. A drifted signature in either half still shows
# as a second version of that half's kernel.
PROBE = """
import json, sys
import numpy as np
import engine
from engine import kernels, warmup
for half in sys.argv[1:]:
    getattr(warmup, half)()
model = engine.Model.create([2, 3, 1], activation="relu", output="tanh")
X = np.random.default_rng(0).uniform(-1, 1, (12, 2)); Y = np.sign(X[:, :1])
engine.Trainer(model, "mse", batch_size=4).train(X, Y, 1)
model.activations(X)
names = ["forward_batch", "backward_batch", "optimizer_step", "batch_loss",
         "batch_output_delta", "all_layer_outputs"]
print(json.dumps({name: len(getattr(kernels, name).overloads) for name in names}))
"""


HALVES = {
    "compile_forward_half": ["forward_batch", "all_layer_outputs"],
    "compile_backward_half": [
        "backward_batch",
        "optimizer_step",
        "batch_loss",
        "batch_output_delta",
    ],
}


def compiled_once(halves: list[str], tmp_path: Path) -> dict[str, int]:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *halves],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    ).stdout.splitlines()
    return json.loads(out[-1])


@pytest.mark.slow
def test_each_half_compiles_the_signature_training_calls(tmp_path):
    overloads = compiled_once(list(HALVES), tmp_path)
    # One compiled version each: training reused what the halves compiled instead of adding
    # a second specialisation with other argument types.
    for half, kernels_of_the_half in HALVES.items():
        for name in kernels_of_the_half:
            assert overloads[name] == 1, (half, name, overloads)
