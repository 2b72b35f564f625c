"""Render time of a 100-frame replay GIF (issue 15's bar: ≤ 15 s on this machine; not asserted).

    .venv/bin/python -m bench.replay_gif               # 3 repeats, 100 frames
    .venv/bin/python -m bench.replay_gif --frames 200 --repeats 5

A real run's recorded history: a spiral network (4 features, 8 × 8 hidden) trained 2,000 epochs
in frames of 5 (the snapshot recorder keeps every early epoch, fewer later ones), longer when
more frames are asked for than it recorded. Timed, as the
app's "Render the replay" button runs it (``playground.replay.replay_gif``): the frames from
the history (``history.moment`` and the live view's pictures for each chosen epoch) and the
drawing and GIF encoding (``replay_gif.render_gif``), each part on its own too. Not timed: the
training. Prints the median and fastest wall-clock seconds, the median CPU seconds of this
process, the GIF's size and the load average before and after (a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from playground.history import recorded_epochs
from playground.replay import MAP_SIZES, replay_epochs, replay_frames, replay_gif, replay_points
from playground.replay_gif import render_gif
from playground.run import TrainingRun, build_run, train_chunk
from playground.settings import PlaygroundSettings


def trained_run(frames: int, epochs: int = 2000) -> TrainingRun:
    """``epochs`` epochs in frames of 5, then (for a long replay) frames of 100 until the
    recorder holds ``frames`` epochs (~177 after 2,000 epochs: 20 more per factor of ten)."""
    settings, _ = PlaygroundSettings.from_query_params(
        {"dataset": "spiral", "hidden": "8,8", "features": "x1,x2,sin_x1,sin_x2", "lr": "0.03"}
    )
    run = build_run(settings)
    while run.epoch < epochs:
        train_chunk(run, 5)
    while len(recorded_epochs(run)) < frames:
        train_chunk(run, 100)
    return run


def timed(work, repeats: int) -> tuple[list[float], list[float], object]:
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--size", choices=list(MAP_SIZES), default="large")
    parser.add_argument("--log-loss", action="store_true", help="a log-scale loss axis")
    arguments = parser.parse_args()
    run = trained_run(arguments.frames)
    epochs = replay_epochs(recorded_epochs(run), arguments.frames)
    replay_frames(run, epochs[:2])  # compile and warm what the first frame needs
    print(f"run: epoch {run.epoch:,}, {len(recorded_epochs(run))} recorded epochs")
    load_before = os.getloadavg()
    walls, cpus, gif = timed(
        lambda: replay_gif(
            run, arguments.frames, 10, log_loss=arguments.log_loss, size=arguments.size
        ),
        arguments.repeats,
    )
    print(
        f"{arguments.frames} frames ({arguments.size}), whole replay: median "
        f"{statistics.median(walls):.2f} s, fastest {min(walls):.2f} s "
        f"(CPU {statistics.median(cpus):.2f} s), GIF {len(gif) / 1e6:.2f} MB"
    )
    walls, _, frames = timed(lambda: replay_frames(run, epochs), arguments.repeats)
    print(f"  frames from the history: median {statistics.median(walls):.2f} s")
    points = replay_points(run)
    walls, _, _ = timed(
        lambda: render_gif(
            frames, map_size=MAP_SIZES[arguments.size], points=points, log_loss=arguments.log_loss
        ),
        arguments.repeats,
    )
    print(f"  drawing and encoding:    median {statistics.median(walls):.2f} s")
    print(f"load average before {load_before}, after {os.getloadavg()}")


if __name__ == "__main__":
    main()
