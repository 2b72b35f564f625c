"""Save while the run trains on another thread (the Playground's Save runs on the download
button's thread while the live view trains): every saved file is one epoch's state — its
epoch, its weights and its history's last row agree (``TrainingRun.lock``)."""

from __future__ import annotations

import threading
import time

import numpy as np

from playground.run import build_run, train_chunk
from playground.run_file import load_run, save_run
from playground.settings import PlaygroundSettings

SAVES = 12
EPOCHS_BETWEEN_SAVES = 3  # at least: each save sees a later epoch than the one before


def test_saving_while_training_gives_one_epochs_state():
    settings, problems = PlaygroundSettings.from_query_params(
        {"dataset": "xor", "optimizer": "adam", "hidden": "4,3", "lr": "0.03"}
    )
    assert not problems
    run = build_run(settings)
    stop = threading.Event()

    def play() -> None:  # the live view: epoch after epoch until paused
        while not stop.is_set():
            train_chunk(run, 1)

    player = threading.Thread(target=play)
    player.start()
    files = []
    try:
        for _ in range(SAVES):
            files.append(save_run(run))
            # The next save after the training moved on: on a loaded machine the saves could
            # otherwise all come before the training thread gets the processor.
            moved_on = run.epoch + EPOCHS_BETWEEN_SAVES
            deadline = time.monotonic() + 10  # a loaded 2-core machine: seconds, not ms
            while run.epoch < moved_on and time.monotonic() < deadline:
                time.sleep(0.001)
    finally:
        stop.set()
        player.join()

    # The same run trained alone, epoch by epoch: its weights and losses at each epoch.
    reference = build_run(settings)
    weights, losses = {0: reference.model.params.copy()}, {}
    while reference.epoch < run.epoch:
        train_chunk(reference, 1)
        weights[reference.epoch] = reference.model.params.copy()
        losses[reference.epoch] = reference.trainer.history.last("train_loss")

    saved_epochs = []
    for data in files:
        loaded = load_run(data)
        epoch = loaded.epoch
        saved_epochs.append(epoch)
        np.testing.assert_array_equal(loaded.model.params, weights[epoch], err_msg=f"{epoch}")
        history = loaded.trainer.history
        if epoch:
            assert int(history.epochs[history.length - 1]) == epoch
            assert history.last("train_loss") == losses[epoch]
        else:
            assert history.length == 0
    # Saved while training: the files are of several epochs, not all of the start or the end.
    assert len(set(saved_epochs)) >= 2, saved_epochs
