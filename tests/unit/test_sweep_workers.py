"""A sweep through a real scheduler's address survives a worker that dies mid-sweep.

Starts ``dask scheduler`` and two ``dask worker`` processes (no nanny: a killed worker stays
dead) on 127.0.0.1, as docs/scaling.md tells a user to, runs a 12-run sweep through the
scheduler's address, kills one worker while it holds tasks, and still gets all 12 results,
identical to the same sweep run serially in this process (same seeds, same weights).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from playground.settings import PlaygroundSettings
from playground.sweep import Sweep, plan_sweep, run_serially

ROOT = Path(__file__).resolve().parents[2]
DASK = str(Path(sys.executable).parent / "dask")
START_SECONDS = 60  # scheduler and workers start in ~3 s here; a loaded 2-core box is slower
COLUMNS = ["lr", "noise", "seed", "train_loss", "test_loss", "test_accuracy", "diverged",
           "epochs_run", "query"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the workers import playground and engine
    return subprocess.Popen(
        [DASK, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


@pytest.fixture
def cluster():
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = spawn("scheduler", "--host", "127.0.0.1", "--port", str(port),
                      "--dashboard-address", ":0")  # fmt: skip
    workers = [
        spawn("worker", address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1",
              "--name", f"worker-{n}", "--dashboard-address", ":0")
        for n in range(2)
    ]  # fmt: skip
    try:
        yield address, workers
    finally:
        for process in (*workers, scheduler):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)  # Timeout: they stop in < 1 s; 30 s before the test fails


def test_a_sweep_through_the_schedulers_address_survives_a_killed_worker(cluster):
    from distributed import Client

    address, workers = cluster
    plan = plan_sweep(
        PlaygroundSettings(hidden=(6, 6)), {"lr": [0.03, 0.1, 0.3], "noise": [0, 10]},
        seeds=[1, 2], epochs=500,
    )  # fmt: skip
    assert plan.n_runs == 12
    with Client(address, timeout=START_SECONDS) as client:
        client.wait_for_workers(2, timeout=START_SECONDS)
        names = {info["name"]: addr for addr, info in client.scheduler_info()["workers"].items()}
        job = Sweep(plan, client, runs_per_task_=1)  # 12 tasks: both workers hold some
        deadline = time.monotonic() + START_SECONDS
        while not client.processing()[names["worker-1"]] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.processing()[names["worker-1"]], "worker-1 never got a task"
        os.killpg(workers[1].pid, signal.SIGKILL)  # dies holding at least one task
        workers[1].wait(timeout=10)  # Timeout: SIGKILL is immediate
        table = job.wait()
        assert job.done == 12 and not job.errors
        assert len(client.scheduler_info()["workers"]) == 1
    serial = run_serially(plan)
    assert table[COLUMNS].equals(serial[COLUMNS])
