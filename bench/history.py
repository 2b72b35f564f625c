"""What recording the timeline costs the Playground's training, measured in one run.

    .venv/bin/python -m bench.history [--frames 60]

Trains the Playground's run the way the live view does at speed 500 (``train_chunk`` of 500
epochs a frame) with snapshots recorded (``TrainingRun.snapshots``: chunks also stop at the
scheduled epochs, one snapshot after each frame) and without (the same run, ``recorder=None``),
alternating frame by frame so both see the same machine; prints epochs/s of CPU time of each
(``time.thread_time``: the time other processes take the core away is left out) and the ratio,
for the first 100 epochs (a snapshot every epoch) and from epoch 1,000 on, plus the recorder's
size. The load average is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import time

import engine
from playground.run import build_run, train_chunk
from playground.settings import PlaygroundSettings


def without_recorder(run, epochs: int) -> None:
    """``train_chunk``'s training call as it was before the timeline (no snapshots)."""
    run.trainer.train(
        run.train_inputs, run.train_targets, epochs, run.test_inputs, run.test_targets
    )


def timed(function, *args) -> float:
    started = time.thread_time()
    function(*args)
    return time.thread_time() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=60)
    args = parser.parse_args()
    engine.warm_up()
    print(f"load average at start: {os.getloadavg()}")
    settings = PlaygroundSettings(dataset="spiral", hidden=(8, 8, 8), speed=500)
    for label, first_epochs, frame in (("epochs 0-100", 0, 100), ("from 1,000", 1000, 500)):
        recorded, plain = build_run(settings), build_run(settings)
        train_chunk(recorded, first_epochs) if first_epochs else None
        without_recorder(plain, first_epochs) if first_epochs else None
        seconds = {"recorded": 0.0, "plain": 0.0}
        frames = 1 if first_epochs == 0 else args.frames
        for _ in range(frames):
            seconds["recorded"] += timed(train_chunk, recorded, frame)
            seconds["plain"] += timed(without_recorder, plain, frame)
        epochs = frames * frame
        rates = {name: epochs / value for name, value in seconds.items()}
        print(
            f"{label}: with snapshots {rates['recorded']:,.0f} epochs/s, without "
            f"{rates['plain']:,.0f} epochs/s, ratio {rates['recorded'] / rates['plain']:.3f} "
            f"({len(recorded.snapshots)} snapshots, {recorded.snapshots.nbytes / 1e3:.0f} KB)"
        )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
