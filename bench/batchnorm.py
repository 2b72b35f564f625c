"""Training speed with and without batch normalisation, and against another engine tree.

    .venv/bin/python -m bench.batchnorm                      # this tree: plain vs batchnorm
    .venv/bin/python -m bench.batchnorm --base /tmp/base     # and plain: this tree vs /tmp/base

The same problem as bench/engine.py (250 circle points, batch 10, tanh, mse, sgd, fixed
order), timed in CPU time of the thread (``time.thread_time``: leaves out the time other
processes take the core away), best of several runs. ``--base`` names the root of another
checkout (e.g. ``git archive <commit> engine | tar -x -C /tmp/base``): training without batch
normalisation is timed there and here in separate processes that take turns (base, here,
base, here, …), so both see the same minutes of the shared machine; the ratio says whether
this tree's kernels made training without batch normalisation slower.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

NETWORKS = ([2, 8, 8, 8, 1], [2, 8, 8, 8, 8, 8, 8, 1])
EPOCHS = 20


def rates(root: str, batchnorm: bool, repeats: int) -> list[float]:
    """Samples per second of each network in ``NETWORKS`` trained by the engine at ``root``."""
    sys.path.insert(0, root)
    import engine

    data = engine.make_dataset("circle", n_points=500, seed=7)
    train, _ = engine.train_test_split(data, 0.5, seed=7)
    X = engine.build_features(train.X, ["x1", "x2"])
    Y = engine.targets_for_output(train.y, "tanh", 2)
    options = {"batchnorm": True} if batchnorm else {}
    result = []
    for sizes in NETWORKS:
        initial = engine.Model.create(sizes, activation="tanh", output="tanh", seed=3, **options)

        def run(initial=initial):
            trainer = engine.Trainer(
                initial.copy(), "mse", learning_rate=0.03, batch_size=10, shuffle=False
            )
            trainer.train(X, Y, EPOCHS)

        run()  # compile (or load the cache) outside the timing
        best = float("inf")
        for _ in range(repeats):
            start = time.thread_time()
            run()
            best = min(best, time.thread_time() - start)
        result.append(EPOCHS * X.shape[0] / best)
    return result


def in_process(root: str, batchnorm: bool, repeats: int) -> list[float]:
    command = [sys.executable, __file__, "--worker", root, "--repeats", str(repeats)]
    if batchnorm:
        command.append("--batchnorm")
    return json.loads(subprocess.run(command, check=True, capture_output=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="root of another checkout to compare plain training with")
    parser.add_argument("--rounds", type=int, default=5, help="turns each tree takes")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per turn")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--batchnorm", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        print(json.dumps(rates(arguments.worker, arguments.batchnorm, arguments.repeats)))
        return
    here = str(Path(__file__).resolve().parent.parent)
    trees = [("here, plain", here, False), ("here, batchnorm", here, True)]
    if arguments.base:
        trees.insert(0, ("base, plain", str(Path(arguments.base).resolve()), False))
    best = {name: [0.0] * len(NETWORKS) for name, _, _ in trees}
    for _ in range(arguments.rounds):
        for name, root, batchnorm in trees:
            measured = in_process(root, batchnorm, arguments.repeats)
            best[name] = [max(a, b) for a, b in zip(best[name], measured)]
    for k, sizes in enumerate(NETWORKS):
        shown = "-".join(map(str, sizes))
        line = "   ".join(f"{name} {best[name][k] / 1e6:.2f}M samples/s" for name, _, _ in trees)
        print(f"{shown:18} {line}")
        plain = best["here, plain"][k]
        print(f"{'':18} batchnorm / plain here: {best['here, batchnorm'][k] / plain:.2f}", end="")
        if arguments.base:
            print(f"   plain here / plain base: {plain / best['base, plain'][k]:.3f}", end="")
        print()


if __name__ == "__main__":
    main()
