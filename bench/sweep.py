"""Sweep throughput: serial in one process against Dask clusters, measured in one run.

    .venv/bin/python -m bench.sweep            # 64 runs × 300 epochs (~1 minute on 2 cores)
    .venv/bin/python -m bench.sweep --quick    # 16 runs × 100 epochs

The sweep is issue 14's: 2-8-8-1 on the circle, batch 10, 64 runs (learning rate × activation
× 4 weight seeds), 300 epochs each. Every configuration runs the same sweep after a warm-up run
on each worker (the Numba kernels loaded from their cache): serial, 1 worker process, 2 worker
processes, 1 worker of 2 threads, taking turns for ``--repeats`` rounds (the clusters stay up).
Prints each one's best round: runs/s, the speed-up over serial and Dask's share of the
workers' time:

    overhead = 1 − Σ run seconds / (wall seconds × workers)

(scheduling, transfer, pickling and idle workers at the end all count against Dask). And the
load average (``os.getloadavg``), because 2 shared cores are rarely idle.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import time

from playground.settings import PlaygroundSettings
from playground.sweep import Sweep, plan_sweep, run_serially, runs_per_task, warm_up

BASE = PlaygroundSettings(dataset="circle", hidden=(8, 8), batch=10)
AXES = {"lr": [0.01, 0.03, 0.1, 0.3], "activation": ["tanh", "relu", "sigmoid", "linear"]}
SEEDS = (1, 2, 3, 4)


CONFIGURATIONS = (  # name, workers, threads per worker, processes (None: serial, no Dask)
    ("serial, one process", 1, 1, None),
    ("1 worker process", 1, 1, True),
    ("2 worker processes", 2, 1, True),
    ("1 worker × 2 threads", 1, 2, False),
)


def measure(function, n_runs: int, workers: int) -> dict[str, float]:
    started = time.perf_counter()
    table = function()
    wall = time.perf_counter() - started
    assert len(table) == n_runs
    busy = float(table["seconds"].sum())  # Σ of the runs' own wall times, on the workers
    return {"wall": wall, "rate": n_runs / wall, "run_ms": busy / n_runs * 1e3,
            "overhead": 1 - busy / (wall * workers)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="16 runs × 100 epochs")
    parser.add_argument("--repeats", type=int, default=3, help="rounds (best is printed)")
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    seeds = SEEDS[:1] if args.quick else SEEDS
    epochs = 100 if args.quick else 300
    plan = plan_sweep(BASE, AXES, seeds, epochs)
    n = plan.n_runs
    print(f"{n} runs × {epochs} epochs, 2-8-8-1 circle batch 10; load {os.getloadavg()}")
    run_serially(plan_sweep(BASE, {"lr": [0.01, 0.03]}, epochs=2))  # kernels, pandas: loaded
    with contextlib.ExitStack() as stack:
        functions = {}
        for name, workers, threads, processes in CONFIGURATIONS:
            if processes is None:
                functions[name] = lambda: run_serially(plan)
                continue
            cluster = stack.enter_context(
                LocalCluster(n_workers=workers, threads_per_worker=threads,
                             processes=processes, dashboard_address=":0")
            )  # fmt: skip
            client = stack.enter_context(Client(cluster))
            warm_up(client)  # imports and Numba cache before the clock starts
            functions[name] = lambda c=client: Sweep(plan, c).wait()
        # The configurations take turns, round after round, so that each sees the same
        # minutes of this shared machine; the best round of each is printed.
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeats):
            for name, workers, threads, _processes in CONFIGURATIONS:
                result = measure(functions[name], n, workers * threads)
                if name not in best or result["rate"] > best[name]["rate"]:
                    best[name] = result
    serial = best[CONFIGURATIONS[0][0]]["rate"]
    tasks = math.ceil(n / runs_per_task(n, 2))
    print(f"best of {args.repeats} rounds; a task is {runs_per_task(n, 2)} runs ({tasks} tasks)")
    for name, result in best.items():
        print(
            f"{name:<22} {result['wall']:6.2f} s  {result['rate']:6.2f} runs/s  "
            f"{result['rate'] / serial:4.2f}× serial  {result['run_ms']:6.1f} ms/run  "
            f"overhead {result['overhead']:6.1%}"
        )
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
