"""Sweep throughput: serial in one process against Dask clusters, measured in one run.

    .venv/bin/python -m bench.sweep            # 64 runs × 300 epochs (~1 minute on 2 cores)
    .venv/bin/python -m bench.sweep --quick    # 16 runs × 100 epochs

The sweep is issue 14's: 2-8-8-1 on the circle, batch 10, 64 runs (learning rate × activation
× 4 weight seeds), 300 epochs each. Every configuration runs the same sweep after a warm-up run
on each worker (the Numba kernels loaded from their cache), in the order serial, 1 worker
process, 2 worker processes, 1 worker of 2 threads (then serial again, to see the machine's
drift). Prints runs/s, the speed-up over serial and Dask's share of the workers' time:

    overhead = 1 − Σ run seconds / (wall seconds × workers)

(scheduling, transfer, pickling and idle workers at the end all count against Dask). And the
load average (``os.getloadavg``), because 2 shared cores are rarely idle.
"""

from __future__ import annotations

import argparse
import os
import time

from playground.settings import PlaygroundSettings
from playground.sweep import Sweep, plan_sweep, run_serially, warm_up

BASE = PlaygroundSettings(dataset="circle", hidden=(8, 8), batch=10)
AXES = {"lr": [0.01, 0.03, 0.1, 0.3], "activation": ["tanh", "relu", "sigmoid", "linear"]}
SEEDS = (1, 2, 3, 4)


def timed(name: str, function, n_runs: int, workers: int, serial_rate: float | None) -> float:
    started = time.perf_counter()
    table = function()
    wall = time.perf_counter() - started
    assert len(table) == n_runs and table["epochs_run"].gt(0).all() | table["diverged"].any()
    busy = float(table["seconds"].sum())
    rate = n_runs / wall
    speedup = f"{rate / serial_rate:4.2f}×" if serial_rate else "  1.00×"
    overhead = 1 - busy / (wall * workers)
    print(
        f"{name:<28} {wall:6.2f} s  {rate:6.2f} runs/s  {speedup} serial  "
        f"{busy / n_runs * 1e3:6.1f} ms/run  overhead {overhead:6.1%}"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="16 runs × 100 epochs")
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    seeds = SEEDS[:1] if args.quick else SEEDS
    epochs = 100 if args.quick else 300
    plan = plan_sweep(BASE, AXES, seeds, epochs)
    n = plan.n_runs
    print(f"{n} runs × {epochs} epochs, 2-8-8-1 circle batch 10; load {os.getloadavg()}")
    run_serially(plan_sweep(BASE, {"lr": [0.01, 0.03]}, epochs=2))  # kernels, pandas: loaded
    serial = timed("serial, one process", lambda: run_serially(plan), n, 1, None)
    for label, workers, threads, processes in (
        ("1 worker process", 1, 1, True),
        ("2 worker processes", 2, 1, True),
        ("1 worker × 2 threads", 1, 2, False),
    ):
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=threads,
                processes=processes,
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            warm_up(client)  # imports and Numba cache before the clock starts
            timed(label, lambda c=client: Sweep(plan, c).wait(), n, workers * threads, serial)
    timed("serial again", lambda: run_serially(plan), n, 1, serial)
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
