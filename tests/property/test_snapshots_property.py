"""Any way of cutting a run into training calls, any optimiser, any recorded epoch: restoring
it and training on to the end gives the original run's weights bit for bit (shuffling on)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.snapshots import SnapshotRecorder, is_scheduled, next_scheduled

DATA = engine.make_dataset("circle", noise=0.1, seed=4)
X = engine.build_features(DATA.X[:60], ["x1", "x2"])
Y = engine.targets_for_output(DATA.y[:60], "tanh", n_classes=2)


def trainer(optimizer: str, batch_size: int, seed: int) -> engine.Trainer:
    model = engine.Model.create([2, 3, 1], activation="relu", output="tanh", seed=1)
    return engine.Trainer(
        model, "mse", optimizer=optimizer, batch_size=batch_size, learning_rate=0.03, seed=seed
    )


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    calls=st.lists(st.integers(1, 90), min_size=1, max_size=6),
    optimizer=st.sampled_from(sorted(engine.OPTIMIZERS)),
    batch_size=st.integers(1, 60),
    pick=st.floats(0, 1),
)
def test_restore_and_train_on_is_bit_identical(calls, optimizer, batch_size, pick):
    original, recorder = trainer(optimizer, batch_size, seed=3), SnapshotRecorder()
    for epochs in calls:
        original.train(X, Y, epochs, recorder=recorder)
        recorder.record_recent(original)
    epochs = recorder.epochs
    # Every scheduled epoch on the way was recorded, and the end of every call (≤ RECENT calls).
    scheduled = [e for e in range(original.epoch + 1) if is_scheduled(e)]
    assert set(scheduled) <= set(epochs) and original.epoch in epochs
    epoch = epochs[int(pick * (len(epochs) - 1))]
    resumed = trainer(optimizer, batch_size, seed=12345)
    recorder.restore(resumed, epoch)
    resumed.train(X, Y, original.epoch - epoch)
    assert np.array_equal(resumed.model.params, original.model.params)
    assert np.array_equal(resumed.rng_state, original.rng_state)


@given(st.integers(0, 10**7))
def test_next_scheduled_is_the_next_epoch_the_rule_keeps(epoch):
    following = next_scheduled(epoch)
    assert following > epoch and is_scheduled(following)
    assert not any(is_scheduled(e) for e in range(epoch + 1, min(following, epoch + 2000)))
