"""Sweep throughput: serial in one process against Dask clusters, measured in one run.

    .venv/bin/python -m bench.sweep            # 64 runs × 300 epochs (~1 minute on 2 cores)
    .venv/bin/python -m bench.sweep --quick    # 16 runs × 100 epochs

The sweep is issue 14's: 2-8-8-1 on the circle, batch 10, 64 runs (learning rate × activation
× 4 weight seeds), 300 epochs each. Every configuration runs the same sweep after a warm-up run
on each worker (the Numba kernels loaded from their cache; a cluster is started for each round
and closed after it): serial in this process, serial in
a process of its own (no Dask threads beside it), two plain processes with half the runs each
(no Dask: what 2 cores can give), 1 worker process, 2 worker processes, 1 worker of 2 threads,
taking turns for ``--repeats`` rounds (the plain processes stay up).
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
import subprocess
import sys
import time

from playground.settings import PlaygroundSettings
from playground.sweep import (
    Sweep,
    local_cluster,
    plan_sweep,
    run_batch,
    run_serially,
    runs_per_task,
    warm_up,
)

BASE = PlaygroundSettings(dataset="circle", hidden=(8, 8), batch=10)
AXES = {"lr": [0.01, 0.03, 0.1, 0.3], "activation": ["tanh", "relu", "sigmoid", "linear"]}
SEEDS = (1, 2, 3, 4)


CONFIGURATIONS = (  # name, workers, threads per worker, processes (None: serial, no Dask;
    # "plain": that many processes of this module's --serve, each training its share)
    ("serial, one process", 1, 1, None),
    ("serial, own process", 1, 1, "plain"),
    ("2 plain processes", 2, 1, "plain"),
    ("1 worker process", 1, 1, True),
    ("2 worker processes", 2, 1, True),
    ("1 worker × 2 threads", 1, 2, False),
)


def rates(n_runs: int, wall: float, busy: float, workers: int) -> dict[str, float]:
    """What a row prints, from the wall seconds and Σ of the runs' own seconds."""
    return {"wall": wall, "rate": n_runs / wall, "run_ms": busy / n_runs * 1e3,
            "overhead": 1 - busy / (wall * workers)}  # fmt: skip


def measure(function, n_runs: int, workers: int) -> dict[str, float]:
    started = time.perf_counter()
    table = function()
    wall = time.perf_counter() - started
    assert len(table) == n_runs
    busy = float(table["seconds"].sum())  # Σ of the runs' own wall times, on the workers
    return rates(n_runs, wall, busy, workers)


def on_cluster(plan, workers: int, threads: int, processes: bool) -> dict[str, float]:
    """The sweep on a local cluster started for this round and closed after it (not timed).

    One cluster at a time, as a server has: with every configuration's cluster up all along,
    the idle ones' schedulers (in this process, beside the client) and workers kept their
    periodic checks running, and Dask's share of the measured wall time was 19 % where one
    cluster alone gave 8-10 % (docs/benchmarks.md)."""
    from distributed import Client

    with local_cluster(workers, threads, processes) as cluster, Client(cluster) as client:
        warm_up(client)  # imports and Numba cache before the clock starts
        return measure(lambda: Sweep(plan, client).wait(), plan.n_runs, workers * threads)


def serve(epochs: int, seeds: int) -> None:
    """A plain process for the bench: for each "start stop" line on stdin, trains those runs of
    the sweep serially and prints the wall seconds and the runs' summed seconds."""
    plan = plan_sweep(BASE, AXES, SEEDS[:seeds], epochs)
    cells = plan.cells()
    run_batch([(0, PlaygroundSettings())], 2)  # kernels, pandas: loaded
    print("ready", flush=True)
    for line in sys.stdin:
        start, stop = map(int, line.split())
        started = time.perf_counter()
        share = [(i, settings) for i, (_, settings) in enumerate(cells[start:stop])]
        rows = run_batch(share, epochs)
        print(time.perf_counter() - started, sum(row["seconds"] for row in rows), flush=True)


class PlainProcesses:
    """``count`` processes of ``serve``, each taking an equal share of the runs at once."""

    def __init__(self, count: int, epochs: int, seeds: int) -> None:
        command = [sys.executable, "-m", "bench.sweep", "--serve", str(epochs), str(seeds)]
        self.processes = [
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            for _ in range(count)
        ]
        for process in self.processes:
            assert process.stdout.readline().strip() == "ready"

    def run(self, n_runs: int) -> tuple[float, float]:
        """Wall seconds of the slowest share, and Σ run seconds."""
        share = math.ceil(n_runs / len(self.processes))
        for k, process in enumerate(self.processes):
            process.stdin.write(f"{k * share} {min((k + 1) * share, n_runs)}\n")
            process.stdin.flush()
        answers = [tuple(map(float, p.stdout.readline().split())) for p in self.processes]
        return max(wall for wall, _ in answers), sum(busy for _, busy in answers)

    def close(self) -> None:
        for process in self.processes:
            process.stdin.close()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="16 runs × 100 epochs")
    parser.add_argument("--repeats", type=int, default=3, help="rounds (best is printed)")
    parser.add_argument("--serve", nargs=2, type=int, help=argparse.SUPPRESS)  # epochs seeds
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return
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
                functions[name] = lambda: measure(lambda: run_serially(plan), n, 1)
                continue
            if processes == "plain":
                plain = PlainProcesses(workers, epochs, len(seeds))
                stack.callback(plain.close)
                functions[name] = lambda p=plain, w=workers: rates(n, *p.run(n), w)
                continue
            functions[name] = lambda w=workers, t=threads, p=processes: on_cluster(plan, w, t, p)
        # The configurations take turns, round after round, so that each sees the same
        # minutes of this shared machine; the best round of each is printed.
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeats):
            for name in functions:
                result = functions[name]()
                if name not in best or result["rate"] > best[name]["rate"]:
                    best[name] = result
    # The speed-ups are over the faster serial row: in this process, the clusters' schedulers
    # and clients run threads beside the serial runs.
    serial = max(best["serial, one process"]["rate"], best["serial, own process"]["rate"])
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
