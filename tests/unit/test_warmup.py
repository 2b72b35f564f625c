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

# Runs in a fresh process with an empty Numba cache: compile one half through warmup's own
# function, then train and draw the grid, and report how many versions of each kernel exist.
PROBE = """
import json, sys
import numpy as np
import engine
from engine import kernels, warmup
getattr(warmup, sys.argv[1])()
model = engine.Model.create([2, 3, 1], activation="relu", output="tanh")
X = np.random.default_rng(0).uniform(-1, 1, (12, 2)); Y = np.sign(X[:, :1])
engine.Trainer(model, "mse", batch_size=4).train(X, Y, 1)
model.activations(X)
names = ["forward_batch", "backward_batch", "optimizer_step", "batch_loss",
         "batch_output_delta", "all_layer_outputs"]
print(json.dumps({name: len(getattr(kernels, name).overloads) for name in names}))
"""


def compiled_once(half: str, tmp_path: Path) -> dict[str, int]:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, half],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    ).stdout.splitlines()
    return json.loads(out[-1])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("half", "kernels_of_the_half"),
    [
        ("compile_forward_half", ["forward_batch", "all_layer_outputs"]),
        (
            "compile_backward_half",
            ["backward_batch", "optimizer_step", "batch_loss", "batch_output_delta"],
        ),
    ],
)
def test_each_half_compiles_the_signature_training_calls(half, kernels_of_the_half, tmp_path):
    overloads = compiled_once(half, tmp_path)
    # One compiled version each: training reused what the half compiled instead of adding
    # a second specialisation with other argument types.
    for name in kernels_of_the_half:
        assert overloads[name] == 1, (name, overloads)
