"""A 10,000-row upload, parsed and ready to train, against the 1 s target (issue 12).

    .venv/bin/python -m bench.own_data              # 7 repeats of each file
    .venv/bin/python -m bench.own_data --repeats 15

"Ready" is what the Playground needs before its first frame: ``read_table`` (decode, sniff,
parse, check every cell, fit the view), ``OwnData.split`` (the train ratio and seed, or the
file's split) and ``engine.build_features`` of both parts with all seven input features.
Two files of 10,000 rows, both built here (nothing is read from disk):

* ``download``: what the Download button writes (``to_csv`` of a noisy spiral: the view mark,
  a header, Python's shortest exact floats of 16-17 digits, a split column);
* ``exercise``: what a user's own file may look like: no header, semicolons and decimal
  commas, numbers in the hundreds (moved and scaled to fit the view), 0/1 labels.

Prints the median and the fastest of ``--repeats`` wall-clock runs of each (the runs of the
two files take turns), the ratio median / 1 s, the median CPU time of this thread (what the
work costs when no other process takes the core away), the file size, and the load average
before and after: the 2-core machine is shared, so say what it was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/own_data.py` as well as `python -m bench.own_data`
import numpy as np  # noqa: E402

import engine  # noqa: E402
from playground.own_data import MAX_ROWS, read_table, to_csv  # noqa: E402

TARGET_SECONDS = 1.0
ALL_FEATURES = tuple(engine.FEATURES)


def download_file() -> bytes:
    data = engine.make_dataset("spiral", n_points=MAX_ROWS, noise=0.3, seed=1)
    return to_csv(*engine.train_test_split(data, 0.5, seed=1))


def exercise_file() -> bytes:
    rng = np.random.default_rng(2)
    X = rng.normal(150.0, 40.0, size=(MAX_ROWS, 2))
    labels = (X[:, 0] + X[:, 1] > 300).astype(int)
    rows = [f"{a:.2f};{b:.2f};{c}".replace(".", ",") for (a, b), c in zip(X, labels)]
    return ("\n".join(rows) + "\n").encode()


def ready(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Upload → inputs of the training and test points, as the Playground's first frame."""
    train, test = read_table(data, filename="upload.csv").split(0.5, seed=1)
    return engine.build_features(train.X, ALL_FEATURES), engine.build_features(test.X, ALL_FEATURES)


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    arguments = parser.parse_args()
    files = {"download": download_file(), "exercise": exercise_file()}
    print(f"load_average_start={load()}")
    for data in files.values():  # compiles the feature kernels once, as the app's warm-up does
        ready(data)
    seconds: dict[str, list[float]] = {name: [] for name in files}
    cpu: dict[str, list[float]] = {name: [] for name in files}
    for _ in range(arguments.repeats):
        for name, data in files.items():
            start, start_cpu = time.perf_counter(), time.thread_time()
            inputs, _ = ready(data)
            seconds[name].append(time.perf_counter() - start)
            cpu[name].append(time.thread_time() - start_cpu)
            assert inputs.shape == (MAX_ROWS // 2, len(ALL_FEATURES))
    for name, times in seconds.items():
        median = statistics.median(times)
        print(
            f"{name}: {len(files[name]) / 1e3:.0f} kB, {MAX_ROWS:,} rows, "
            f"median {median * 1e3:.0f} ms, fastest {min(times) * 1e3:.0f} ms "
            f"(of {len(times)}), median / {TARGET_SECONDS:g} s target = "
            f"{median / TARGET_SECONDS:.3f}; CPU median {statistics.median(cpu[name]) * 1e3:.0f} ms"
        )
    print(f"load_average_end={load()}")


if __name__ == "__main__":
    main()
