"""Render time of a 100-frame replay GIF (issue 15's bar: ≤ 15 s on this machine; not asserted).

    .venv/bin/python -m bench.replay_gif               # 3 repeats, 100 frames
    .venv/bin/python -m bench.replay_gif --frames 200 --repeats 5

The frames are a real run's: a spiral network trained in steps, each frame the 100×100
output map the app draws (``run.model.forward(run.grid_inputs)``), its epoch and losses. Only
``playground.replay_gif.render_gif`` is timed (drawing, palette quantisation, GIF encoding),
not the training. Prints the median and fastest wall-clock seconds, the median CPU seconds of
this process, the GIF's size and the load average before and after (a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from playground.replay_gif import ReplayFrame, render_gif
from playground.run import build_run, metrics, train_chunk
from playground.settings import PlaygroundSettings


def replay_frames(count: int) -> list[ReplayFrame]:
    settings, _ = PlaygroundSettings.from_query_params(
        {"dataset": "spiral", "hidden": "8,8", "features": "x1,x2,sin_x1,sin_x2", "lr": "0.03"}
    )
    run = build_run(settings)
    frames = []
    for _ in range(count):
        train_chunk(run, 5)
        shown = metrics(run)
        frames.append(
            ReplayFrame(
                run.model.forward(run.grid_inputs)[:, 0].reshape(100, 100),
                run.epoch,
                shown["train_loss"],
                shown["test_loss"],
            )
        )
    return frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    frames = replay_frames(arguments.frames)
    load_before = os.getloadavg()
    walls, cpus, size = [], [], 0
    for _ in range(arguments.repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(render_gif(frames))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(
        f"{arguments.frames} frames: median {statistics.median(walls):.2f} s, fastest "
        f"{min(walls):.2f} s (CPU {statistics.median(cpus):.2f} s), GIF {size / 1e6:.2f} MB"
    )
    print(f"load average before {load_before}, after {os.getloadavg()}")


if __name__ == "__main__":
    main()
