"""Engine throughput against a NumPy reference, measured in one run (ratios, not seconds).

    .venv/bin/python -m bench.engine            # full run (~1 minute)
    .venv/bin/python -m bench.engine --quick    # fewer epochs

Prints samples/s of each implementation and the ratio for the networks named in the
engine issue (the engine with end-only evaluation, as a sweep trains, and with per-epoch
evaluation, as the Playground's loss curve needs), the cost of one small ``Trainer.train``
call (argument checks included), a call asked for 10⁹ epochs with a time budget (time,
memory), the 100×100 all-neuron grid, and cold / cached JIT start-up times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc

import numpy as np

import engine
from bench.numpy_reference import all_layers_numpy, train_numpy

NETWORKS = ([2, 8, 8, 8, 1], [2, 8, 8, 8, 8, 8, 8, 1])
POINTS = 250
BATCH = 10
LEARNING_RATE = 0.03
UI_CALLS = 200  # Trainer.train calls per timed run of bench_ui_call


def best_times(functions, repeats: int, clock=time.thread_time) -> list[float]:
    """Fastest of ``repeats`` runs of each function.

    The runs alternate (a, b, a, b, …) so that all see the same machine over the same
    minutes.  Training is timed with ``time.thread_time()``, the CPU time of this thread:
    it leaves out the time other processes on this shared 2-core machine take the core
    away, and both implementations train single-threaded (the NumPy reference multiplies
    10-row matrices, which OpenBLAS does not split across threads).  The grid is timed
    on the wall clock, because NumPy's 10,000-row products may use several threads.
    """
    best = [float("inf")] * len(functions)
    for _ in range(repeats):
        for k, function in enumerate(functions):
            start = clock()
            function()
            best[k] = min(best[k], clock() - start)
    return best


def circle_problem():
    data = engine.make_dataset("circle", n_points=2 * POINTS, seed=7)
    train, _ = engine.train_test_split(data, 0.5, seed=7)
    X = engine.build_features(train.X, ["x1", "x2"])
    Y = engine.targets_for_output(train.y, "tanh", 2)
    return X, Y


def bench_training(sizes: list[int], epochs: int, repeats: int) -> dict[str, float]:
    X, Y = circle_problem()
    initial = engine.Model.create(sizes, activation="tanh", output="tanh", seed=3)

    def run_numpy():
        weights = [w.copy() for w in initial.weights]
        biases = [b.copy() for b in initial.biases]
        train_numpy(weights, biases, X, Y, epochs, BATCH, LEARNING_RATE)
        return weights

    def run_engine(evaluate_every):
        # evaluate_every=epochs: the full set is evaluated once, after the last epoch, as
        # playground.sweep trains; 1: after every epoch, as the Playground's curve needs.
        # Setup (model copy, Trainer, the first state's loss) is timed too, as in a sweep.
        model = initial.copy()
        trainer = engine.Trainer(
            model,
            "mse",
            learning_rate=LEARNING_RATE,
            batch_size=BATCH,
            shuffle=False,
            evaluate_every=evaluate_every,
        )
        trainer.train(X, Y, epochs)
        return model

    # Same start, same order, same rule: the two must agree, or the timing means nothing.
    difference = max(np.abs(a - b).max() for a, b in zip(run_numpy(), run_engine(epochs).weights))
    assert difference < 1e-8, f"engine and NumPy reference disagree by {difference}"
    samples = epochs * X.shape[0]
    numpy_time, engine_time, engine_eval_time = best_times(
        [run_numpy, lambda: run_engine(epochs), lambda: run_engine(1)], repeats
    )
    return {
        "numpy": samples / numpy_time,
        "engine": samples / engine_time,
        "engine_eval": samples / engine_eval_time,
        "max_weight_difference": difference,
    }


def bench_ui_call(repeats: int) -> dict[str, float]:
    """Microseconds per ``Trainer.train`` call as the Playground makes them: one epoch of 250
    spiral points with a 250-point test set, arguments checked on every call."""
    results = {}
    for name, sizes, output, loss in (
        ("4-2 mse", (4, 2), "tanh", "mse"),
        ("8-8-8 cross-entropy", (8, 8, 8), "softmax", "cross_entropy"),
    ):
        data = engine.make_dataset("spiral", noise=0.1, seed=1)
        train, test = engine.train_test_split(data, 0.5, seed=1)
        X, X_test = (engine.build_features(d.X, ["x1", "x2"]) for d in (train, test))
        Y, Y_test = (engine.targets_for_output(d.y, output, 2) for d in (train, test))
        model = engine.Model.create([2, *sizes, Y.shape[1]], output=output, seed=1)
        trainer = engine.Trainer(model, loss)
        arguments = (X, Y, 1, X_test, Y_test)

        def calls(trainer=trainer, arguments=arguments):
            for _ in range(UI_CALLS):
                trainer.train(*arguments)

        (best,) = best_times([calls], repeats, clock=time.perf_counter)
        results[name] = best / UI_CALLS * 1e6
    return results


def bench_long_call() -> dict[str, float]:
    """A call asked for 10⁹ epochs with a 1 s budget: how long it took, how many epochs ran
    and the most memory Python allocated meanwhile (tracemalloc)."""
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    Y = np.array([[1.0], [1.0], [-1.0], [-1.0]])
    trainer = engine.Trainer(engine.Model.create([2, 1], seed=1), "mse", batch_size=4)
    trainer.train(X, Y, 10)
    tracemalloc.start()
    start = time.perf_counter()
    result = trainer.train(X, Y, 10**9, time_budget=1.0)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": seconds, "epochs": result.epochs_run, "peak_mib": peak / 2**20}


def bench_grid(repeats: int) -> dict[str, float]:
    model = engine.Model.create([2, 8, 8, 8, 8, 8, 8, 1], activation="tanh", seed=1)
    points = engine.grid_points(100)
    weights, biases = list(model.weights), list(model.biases)
    reference = all_layers_numpy(weights, biases, points)
    ours = model.activations(points)
    difference = max(np.abs(a - b).max() for a, b in zip(reference, ours))
    assert difference < 1e-12, f"grid outputs disagree by {difference}"
    numpy_time, engine_time = best_times(
        [
            lambda: all_layers_numpy(weights, biases, points),
            lambda: engine.decision_grid(model, ["x1", "x2"], 100),
        ],
        repeats,
        clock=time.perf_counter,
    )
    return {"numpy_ms": numpy_time * 1e3, "engine_ms": engine_time * 1e3}


def bench_startup() -> dict[str, float]:
    """Cold compile into an empty cache, then a second process that loads the cache."""
    code = (
        "import time; t = time.perf_counter(); import engine; engine.warm_up(); "
        "print(time.perf_counter() - t)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            for _ in range(2)
        ]
    return {"cold_s": runs[0], "cached_s": runs[1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs and repeats")
    args = parser.parse_args()
    epochs, repeats = (20, 3) if args.quick else (100, 15)
    engine.warm_up()
    print(f"training: {POINTS} circle points, batch {BATCH}, tanh, mse, sgd, {epochs} epochs")
    for sizes in NETWORKS:
        result = bench_training(sizes, epochs, repeats)
        name = "-".join(map(str, sizes))
        print(
            f"  {name:18s} numpy {result['numpy'] / 1e6:6.2f}M samples/s   "
            f"engine, end-only eval {result['engine'] / 1e6:6.2f}M "
            f"({result['engine'] / result['numpy']:5.1f}x)   "
            f"engine+per-epoch eval {result['engine_eval'] / 1e6:6.2f}M "
            f"({result['engine_eval'] / result['numpy']:5.1f}x)   "
            f"max |Δw| {result['max_weight_difference']:.1e}"
        )
    ui_calls = bench_ui_call(repeats)
    print(
        "Trainer.train as the Playground calls it (1 epoch, 250 + 250 points): "
        + ", ".join(f"{name} {us:.0f} µs" for name, us in ui_calls.items())
    )
    long_call = bench_long_call()
    print(
        f"10⁹ epochs asked with a 1 s budget: returned after {long_call['seconds']:.2f} s, "
        f"{long_call['epochs']:,} epochs, tracemalloc peak {long_call['peak_mib']:.1f} MiB"
    )
    grid = bench_grid(repeats * 4)
    print(
        f"grid 100x100, every neuron of 2-8x6-1: numpy {grid['numpy_ms']:.2f} ms   "
        f"engine {grid['engine_ms']:.2f} ms ({grid['numpy_ms'] / grid['engine_ms']:.1f}x)"
    )
    startup = bench_startup()
    print(f"JIT: cold compile {startup['cold_s']:.1f} s, cached start {startup['cached_s']:.2f} s")


if __name__ == "__main__":
    main()
