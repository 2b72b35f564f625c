"""The snapshot recorder: which epochs it keeps, that a restored snapshot trains on bit for bit
as the original run did (shuffling on), and its memory bound over a million epochs."""

from __future__ import annotations

import math

import numpy as np
import pytest

import engine
from engine.snapshots import (
    DENSE_EPOCHS,
    PER_DECADE,
    RECENT,
    SnapshotRecorder,
    is_scheduled,
    max_snapshots,
    next_scheduled,
)
from playground.frames import frame_data, metrics_line
from playground.history import continue_from, moment, step_epoch
from playground.run import build_run, checkpoint, rewind, train_chunk
from playground.settings import PlaygroundSettings

MILLION = 1_000_000


def spiral():
    data = engine.make_dataset("spiral", noise=0.1, seed=2)
    train, _ = engine.train_test_split(data, 0.5, seed=2)
    X = engine.build_features(train.X, ["x1", "x2", "sin_x1", "sin_x2"])
    return X, engine.targets_for_output(train.y, "tanh", n_classes=2)


def make_trainer(optimizer: str, dropout: float = 0.0, seed: int = 7) -> engine.Trainer:
    model = engine.Model.create([4, 6, 5, 1], activation="tanh", output="tanh", seed=3)
    return engine.Trainer(
        model,
        "mse",
        optimizer=optimizer,
        learning_rate=0.01,
        batch_size=9,  # several mini-batches per epoch, so the shuffled order matters
        shuffle=True,
        dropout=dropout,
        seed=seed,
    )


# ---------------------------------------------------------------- the rule


def test_every_epoch_of_the_first_100_then_20_log_spaced_per_decade():
    assert all(is_scheduled(epoch) for epoch in range(DENSE_EPOCHS + 1))
    grid = [epoch for epoch in range(DENSE_EPOCHS + 1, 100_001) if is_scheduled(epoch)]
    assert len(grid) == 3 * PER_DECADE  # 100 → 100,000: three factors of ten
    assert grid[:3] == [112, 126, 141] and grid[-1] == 100_000 and 1000 in grid
    ratios = np.diff(np.log10(grid))
    assert np.allclose(ratios, 1 / PER_DECADE, atol=0.005)  # evenly spaced on a log axis
    # next_scheduled walks exactly the scheduled epochs.
    walked, epoch = [], 0
    while epoch < 100_000:
        epoch = next_scheduled(epoch)
        walked.append(epoch)
    assert walked == [*range(1, DENSE_EPOCHS + 1), *grid]
    assert max_snapshots(MILLION) == DENSE_EPOCHS + 1 + 4 * PER_DECADE + RECENT == 231


def test_training_stops_at_the_scheduled_epochs_and_keeps_the_recent_frames():
    X, Y = spiral()
    trainer, recorder = make_trainer("adam"), SnapshotRecorder()
    ends = []
    for epochs in (7, 1, 300, 42, 650, *([3] * 60)):
        trainer.train(X, Y, epochs, recorder=recorder)
        recorder.record_recent(trainer)
        ends.append(trainer.epoch)
    scheduled = [epoch for epoch in range(trainer.epoch + 1) if is_scheduled(epoch)]
    assert recorder.epochs == sorted({*scheduled, *ends[-RECENT:]})
    assert trainer.epoch == 1180 and 1180 in recorder.epochs and 1000 in recorder.epochs
    # Stopping at snapshots does not change training: the same weights as one long call.
    plain = make_trainer("adam")
    plain.train(X, Y, 1180)
    assert np.array_equal(plain.model.params, trainer.model.params)


# ---------------------------------------------------------------- bit-identical


@pytest.mark.parametrize(
    ("optimizer", "dropout"), [("sgd", 0.0), ("momentum", 0.0), ("adam", 0.0), ("adam", 0.2)]
)
def test_a_restored_snapshot_trains_on_bit_for_bit_as_the_original(optimizer, dropout):
    X, Y = spiral()
    original, recorder = make_trainer(optimizer, dropout), SnapshotRecorder()
    for _ in range(10):
        original.train(X, Y, 30, recorder=recorder)  # 300 epochs in frames of 30
        recorder.record_recent(original)
    for epoch in (0, 1, 37, 100, 126, 251, 270):
        # A different trainer seed: the snapshot's random stream must be what counts.
        resumed = make_trainer(optimizer, dropout, seed=99)
        resumed.history = original.history.copy()
        recorder.restore(resumed, epoch)
        assert resumed.epoch == epoch and resumed.history.last_epoch == epoch
        resumed.train(X, Y, 300 - epoch)
        assert np.array_equal(resumed.model.params, original.model.params), epoch
        assert np.array_equal(resumed.first_moment, original.first_moment)
        assert np.array_equal(resumed.second_moment, original.second_moment)
        assert np.array_equal(resumed.rng_state, original.rng_state)
        assert np.array_equal(
            resumed.history.column("train_loss"), original.history.column("train_loss")
        )
        assert np.array_equal(resumed.history.epochs, original.history.epochs)


def test_restoring_into_another_optimiser_starts_its_moments_afresh():
    X, Y = spiral()
    trainer, recorder = make_trainer("adam"), SnapshotRecorder()
    trainer.train(X, Y, 20, recorder=recorder)
    other = make_trainer("rmsprop")
    recorder.restore(other, 15)
    assert np.array_equal(other.model.params, recorder.get(15).params)
    assert not other.first_moment.any() and not other.second_moment.any()
    assert other.step_counter[0] == 0


def test_truncate_and_divergence_drop_the_later_snapshots():
    X, Y = spiral()
    trainer, recorder = make_trainer("sgd"), SnapshotRecorder()
    trainer.train(X, Y, 150, recorder=recorder)
    recorder.truncate(60)
    assert recorder.epochs[-1] == 60
    with pytest.raises(KeyError, match="No snapshot of epoch 126"):
        recorder.get(126)
    # A diverging run: the recorder holds nothing after the epoch training was put back to.
    model = engine.Model.create([4, 6, 1], activation="relu", output="linear", seed=1)
    wild = engine.Trainer(model, "mse", learning_rate=50.0, batch_size=9)
    wild_recorder = SnapshotRecorder()
    result = wild.train(X, Y, 500, recorder=wild_recorder)
    assert result.divergence is not None
    assert wild_recorder.epochs[-1] <= wild.epoch


# ---------------------------------------------------------------- memory bound


def test_a_million_epochs_of_the_largest_network_stay_under_20_mb():
    """Simulated: the largest Playground network (7 features, 8 × 16 hidden, 5 classes) with
    Adam's two moments and 9,000 training rows, recorded as the Playground records (a snapshot
    at each scheduled epoch, one after each frame of 500 epochs, the last 500 frames of 1)."""
    model = engine.Model.create([7, *[16] * 8, 5], activation="tanh", output="softmax", seed=1)
    trainer = engine.Trainer(model, "cross_entropy", optimizer="adam")
    rng = np.random.default_rng(0)
    trainer.first_moment[:] = rng.normal(size=model.params.size)
    trainer.second_moment[:] = rng.random(model.params.size)
    trainer._order = rng.permutation(9000).astype(np.int64)
    recorder = SnapshotRecorder()
    frames = [500] * (MILLION // 500 - 1) + [1] * 500
    for frame in frames:
        target = trainer.epoch + frame
        while True:  # what Trainer.train does at the scheduled epochs on the way
            trainer.epoch = min(recorder.next_epoch(trainer.epoch), target)
            recorder.record(trainer)
            if trainer.epoch == target:
                break
        recorder.record_recent(trainer)
    assert trainer.epoch == MILLION
    assert len(recorder) <= max_snapshots(MILLION) == 231
    assert recorder.epochs[-RECENT:] == list(range(MILLION - RECENT + 1, MILLION + 1))
    per_snapshot = recorder.get(MILLION).nbytes
    assert per_snapshot == 3 * model.params.size * 8 + 9000 * 2  # order as uint16
    assert recorder.nbytes <= len(recorder) * per_snapshot
    # The per-epoch metrics of those million epochs, thinned at MAX_HISTORY_ROWS rows.
    history = engine.TrainingHistory(n_layers=9)
    for start in range(0, MILLION, 4096):  # as Trainer.train appends them, chunk by chunk
        count = min(4096, MILLION - start)
        history.append(np.zeros((count, len(history.COLUMNS))), np.ones((count, 9)), start + 1)
    assert history.length <= history.max_rows and history.epochs[-1] == MILLION
    total = recorder.nbytes + history.nbytes
    assert total < 20e6, total
    print(
        f"{len(recorder)} snapshots {recorder.nbytes / 1e6:.1f} MB + history "
        f"{history.nbytes / 1e6:.1f} MB"
    )  # -s shows it


# ---------------------------------------------------------------- the Playground's run


def test_a_moment_draws_the_earlier_epoch_and_continue_trains_on_from_it():
    run = build_run(PlaygroundSettings(dataset="xor", hidden=(6, 4), speed=50))
    for _ in range(5):
        train_chunk(run, 50)
    newest = frame_data(run)
    shown = moment(run, 10)
    assert not shown.live and shown.epoch == 10 and shown.run.epoch == 10
    assert metrics_line(shown.run).startswith("Epoch 10 ·")
    assert shown.run.trainer.history.last_epoch == 10
    past = frame_data(shown.run)
    assert not np.array_equal(past.output_grid, newest.output_grid)
    assert run.epoch == 250 and np.array_equal(frame_data(run).output_grid, newest.output_grid)
    assert moment(run, 11_000).live and moment(run, None).run is run
    assert step_epoch(run, 10, -1) == 9 and step_epoch(run, 250, 1) == 250

    again = build_run(run.settings)  # the same run from the start, to compare with
    train_chunk(again, 10)
    continue_from(run, 10)
    assert run.epoch == 10 and run.snapshots.epochs[-1] == 10
    train_chunk(run, 40)
    train_chunk(again, 40)
    assert np.array_equal(run.model.params, again.model.params)


def test_rewind_forgets_the_snapshots_of_frames_never_sent():
    run = build_run(PlaygroundSettings(dataset="xor"))
    train_chunk(run, 120)
    saved = checkpoint(run)
    train_chunk(run, 30)
    assert run.snapshots.epochs[-1] == 150
    rewind(run, saved)
    assert run.snapshots.epochs[-1] == 120 and math.isfinite(run.trainer.history.last("train_loss"))
