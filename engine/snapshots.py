"""Snapshots of a training run: everything needed to redraw an earlier epoch and to train on
from it exactly as the run did.

A ``Snapshot`` holds a trainer's parameters, optimiser state (moments and step count), the
random stream (``rng_state``) and the order of the training rows that shuffling permutes in
place: restoring one and training k epochs gives bit for bit the weights the original run had
k epochs later (same config and data), ``shuffle=True`` included.

A ``SnapshotRecorder`` decides which epochs to keep (``is_scheduled``), so that its memory is
bounded whatever the run's length::

    recorder = engine.SnapshotRecorder()
    trainer.train(X, Y, 10_000, recorder=recorder)   # chunks end on scheduled epochs
    recorder.restore(trainer, 126)                   # back to epoch 126, optimiser state too

The rule (one declaration: ``DENSE_EPOCHS``, ``PER_DECADE``, ``RECENT``):

* every epoch from 0 to ``DENSE_EPOCHS`` (100): the first epochs change the most;
* then ``PER_DECADE`` (20) epochs per factor of ten, log-spaced (``round(100·10^(k/20))``:
  112, 126, 141, …, 1,000, …, 1,000,000) — 80 snapshots up to a million epochs;
* plus the epochs of the ``RECENT`` (50) newest ``record_recent`` calls: the Playground calls it
  after each frame's training, so the last 50 moments that were on screen can be stepped
  through (at speed 1, every epoch of the last 50).

Memory bound: at most ``DENSE_EPOCHS + 1 + PER_DECADE · log10(epochs / 100) + RECENT``
snapshots (``max_snapshots``): 231 for 1,000,000 epochs. A snapshot is ``3 · 8`` bytes per
entry of the model's parameter vector (parameters and two moments; a moment that is all
zeros — SGD's, or one its optimiser does not use — is not stored) plus the training-row order
in the narrowest integer type that holds it. The largest Playground network (7 features,
8 hidden layers of 16, 5 outputs: 2,117 parameters in a padded vector of 2,448) with Adam and
9,000 training rows (own data's 10,000-row limit at 90 % training) takes 77 KB a snapshot, so
at most 17.7 MB over 1,000,000 epochs (tests/unit/test_snapshots.py simulates it); with 250
generated training points, 59 KB and 13.6 MB. (The per-epoch metrics are the trainer's
``TrainingHistory``, bounded on its own: ``engine.trainer.MAX_HISTORY_ROWS``, ≤ 2.1 MB; both
together stay under 20 MB, tested.)
"""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass

import numpy as np

from . import checks

DENSE_EPOCHS = 100
PER_DECADE = 20
RECENT = 50


def is_scheduled(epoch: int) -> bool:
    """Whether the recorder keeps ``epoch`` whatever happens later (dense or log grid)."""
    return epoch <= DENSE_EPOCHS or _grid_epoch(_grid_index(epoch)) == epoch


def next_scheduled(epoch: int) -> int:
    """The first scheduled epoch after ``epoch``."""
    if epoch < DENSE_EPOCHS:
        return epoch + 1
    index = _grid_index(epoch)
    while _grid_epoch(index) <= epoch:
        index += 1
    return _grid_epoch(index)


def _grid_epoch(index: int) -> int:
    """The ``index``-th epoch of the log grid: round(100 · 10^(index / PER_DECADE))."""
    return round(DENSE_EPOCHS * 10 ** (index / PER_DECADE))


def _grid_index(epoch: int) -> int:
    """The index of the grid epoch nearest at or below ``epoch`` (within one, for rounding)."""
    if epoch <= DENSE_EPOCHS:
        return 0
    index = math.floor(PER_DECADE * math.log10(epoch / DENSE_EPOCHS))
    while index > 0 and _grid_epoch(index) > epoch:
        index -= 1
    while _grid_epoch(index + 1) <= epoch:
        index += 1
    return index


def max_snapshots(epochs: int) -> int:
    """The most snapshots a recorder holds after ``epochs`` epochs (the memory bound's count)."""
    scheduled = min(epochs, DENSE_EPOCHS) + 1
    if epochs > DENSE_EPOCHS:
        scheduled += _grid_index(epochs)
    return scheduled + RECENT


@dataclass(frozen=True)
class Snapshot:
    """A trainer's state after ``epoch`` epochs (arrays owned by the snapshot)."""

    epoch: int
    params: np.ndarray  # (n_parameters,) float64
    first_moment: np.ndarray | None  # (n_parameters,) float64, None: all zeros
    second_moment: np.ndarray | None
    step_counter: int
    rng_state: int  # the uint64 state of the trainer's random stream
    order: np.ndarray | None  # (n_train,) the training rows' order, narrow ints; None: not set
    optimizer: str  # the moments mean something only for this optimiser
    best_loss: float
    loss_now: float

    @property
    def nbytes(self) -> int:
        arrays = (self.params, self.first_moment, self.second_moment, self.order)
        return sum(array.nbytes for array in arrays if array is not None)


def take(trainer) -> Snapshot:
    """The trainer's state now (copies)."""
    order = trainer._order
    return Snapshot(
        epoch=trainer.epoch,
        params=trainer.model.params.copy(),
        first_moment=_unless_zero(trainer.first_moment),
        second_moment=_unless_zero(trainer.second_moment),
        step_counter=int(trainer.step_counter[0]),
        rng_state=int(trainer.rng_state[0]),
        order=None if order is None else order.astype(_narrow_int(order.shape[0])),
        optimizer=trainer.config.optimizer,
        best_loss=trainer.best_loss,
        loss_now=trainer._loss_now,
    )


def restore(trainer, snapshot: Snapshot) -> None:
    """Put ``trainer`` (and its model) in the snapshot's state, in place; its history loses the
    rows after the snapshot's epoch. A trainer whose optimiser is another one than the
    snapshot's starts that optimiser afresh (its moments meant something else)."""
    if trainer.model.params.shape != snapshot.params.shape:
        raise ValueError(
            f"The snapshot is of a network with {snapshot.params.size} parameters; this "
            f"trainer's has {trainer.model.params.size}."
        )
    np.copyto(trainer.model.params, snapshot.params)  # the model's layer views follow
    same_optimizer = trainer.config.optimizer == snapshot.optimizer
    for name in ("first_moment", "second_moment"):
        moment = getattr(snapshot, name) if same_optimizer else None
        target = getattr(trainer, name)
        if moment is None:
            target.fill(0.0)
        else:
            np.copyto(target, moment)
    trainer.step_counter[0] = snapshot.step_counter if same_optimizer else 0
    trainer.rng_state[0] = np.uint64(snapshot.rng_state)
    trainer._order = None if snapshot.order is None else snapshot.order.astype(np.int64)
    trainer.epoch = snapshot.epoch
    trainer.history.truncate(snapshot.epoch)
    trainer.best_loss = snapshot.best_loss
    trainer._loss_now = snapshot.loss_now
    trainer._good = None  # the next train call keeps this state as its rollback target
    trainer.divergence = None


def _unless_zero(moment: np.ndarray) -> np.ndarray | None:
    return moment.copy() if moment.any() else None


def _narrow_int(largest: int) -> type:
    for kind in (np.uint8, np.uint16, np.uint32):
        if largest <= np.iinfo(kind).max + 1:
            return kind
    return np.int64


class SnapshotRecorder:
    """The snapshots of one run, kept by the rule in this module's docstring."""

    def __init__(self) -> None:
        self._scheduled: dict[int, Snapshot] = {}  # epoch → snapshot, increasing epochs
        self._recent: collections.deque[Snapshot] = collections.deque(maxlen=RECENT)

    # -- what the trainer calls (``Trainer.train(..., recorder=)``)

    def next_epoch(self, epoch: int) -> int:
        """The next epoch after ``epoch`` at which training must pause to be recorded."""
        return next_scheduled(epoch)

    def record(self, trainer) -> None:
        """Keep the trainer's state if its epoch is scheduled (and not kept yet)."""
        epoch = trainer.epoch
        if is_scheduled(epoch) and epoch not in self._scheduled:
            self._scheduled[epoch] = take(trainer)

    def record_recent(self, trainer) -> None:
        """Keep the trainer's state as one of the ``RECENT`` newest moments (after a frame)."""
        epoch = trainer.epoch
        if epoch in self._scheduled or (self._recent and self._recent[-1].epoch >= epoch):
            return
        self._recent.append(take(trainer))

    def truncate(self, epoch: int) -> None:
        """Forget the snapshots after ``epoch`` (a rollback, or going on from an earlier one)."""
        epoch = checks.whole_number(epoch, "epoch", 0)
        for later in [kept for kept in self._scheduled if kept > epoch]:
            del self._scheduled[later]
        while self._recent and self._recent[-1].epoch > epoch:
            self._recent.pop()

    # -- reading

    @property
    def epochs(self) -> list[int]:
        """The recorded epochs, increasing."""
        return sorted({*self._scheduled, *(snapshot.epoch for snapshot in self._recent)})

    def __len__(self) -> int:
        return len(self._scheduled) + sum(
            snapshot.epoch not in self._scheduled for snapshot in self._recent
        )

    def get(self, epoch: int) -> Snapshot:
        """The snapshot of ``epoch`` (a ``KeyError`` naming the nearest ones if none)."""
        if epoch in self._scheduled:
            return self._scheduled[epoch]
        for snapshot in self._recent:
            if snapshot.epoch == epoch:
                return snapshot
        raise KeyError(f"No snapshot of epoch {epoch}; recorded: {self.epochs[-5:]} (newest).")

    def nearest(self, epoch: int) -> int:
        """The recorded epoch nearest to ``epoch`` (the later one on a tie); -1 if none."""
        epochs = self.epochs
        if not epochs:
            return -1
        return min(epochs, key=lambda kept: (abs(kept - epoch), -kept))

    @property
    def nbytes(self) -> int:
        """Bytes held by the snapshots' arrays."""
        return sum(snapshot.nbytes for snapshot in self._scheduled.values()) + sum(
            snapshot.nbytes for snapshot in self._recent if snapshot.epoch not in self._scheduled
        )

    def restore(self, trainer, epoch: int) -> None:
        """Put ``trainer`` back to the snapshot of ``epoch`` (see ``restore``)."""
        restore(trainer, self.get(epoch))
