"""Save while the run trains on another thread (the Playground's Save runs on the download
button's thread while the live view trains): every saved file is one epoch's state — its
epoch, its weights and its history's last row agree (``TrainingRun.lock``)."""

from __future__ import annotations

import threading

import numpy as np

from playground.run import build_run, train_chunk
from playground.run_file import load_run, save_run
from playground.settings import PlaygroundSettings

EPOCHS = 400  # the training thread's epochs, one at a time (~0.1 ms each)
SAVES = 12


def test_saving_while_training_gives_one_epochs_state():
    settings, problems = PlaygroundSettings.from_query_params(
        {"dataset": "xor", "optimizer": "adam", "hidden": "4,3", "lr": "0.03"}
    )
    assert not problems
    # The same run trained alone, epoch by epoch: its weights and losses at each epoch.
    reference = build_run(settings)
    weights, losses = {0: reference.model.params.copy()}, {}
    for _ in range(EPOCHS):
        train_chunk(reference, 1)
        weights[reference.epoch] = reference.model.params.copy()
        losses[reference.epoch] = reference.trainer.history.last("train_loss")

    run = build_run(settings)
    done = threading.Event()

    def play() -> None:
        while run.epoch < EPOCHS:
            train_chunk(run, 1)
        done.set()

    player = threading.Thread(target=play)
    player.start()
    files = []
    while not done.is_set() and len(files) < SAVES:
        files.append(save_run(run))
    player.join()
    assert len(files) >= 2, "the training ended before two saves: too few epochs to test"

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
