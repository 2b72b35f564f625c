"""The timeline of a training run: earlier moments to show, and going on from one of them.

A run records snapshots while it trains (``TrainingRun.snapshots``, an
``engine.SnapshotRecorder``: every epoch of the first 100, 20 log-spaced epochs per factor of
ten after that, and the last 50 frames; memory bound in ``engine.snapshots``). The per-epoch
metrics are the trainer's ``TrainingHistory``: a moment's history is that one cut at its epoch.

``moment(run, epoch)`` is "the run as it was": a ``Moment`` whose ``run`` has a copy of the
network with the snapshot's parameters and a trainer at that epoch, so whatever draws a run
(``playground.frames``: output map, neuron maps, links, caption, loss chart) draws that epoch
without knowing about the timeline. ``continue_from`` makes it the run's present again.
Pure Python (no Streamlit).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass

import engine

from .run import TrainingRun


@dataclass(frozen=True)
class Moment:
    """What the views show: ``run`` at ``epoch`` (``live``: the run itself, its newest state).

    A past moment's ``run`` is a copy for drawing: training it or editing it changes nothing.
    """

    run: TrainingRun
    epoch: int
    live: bool

    @property
    def model(self) -> engine.Model:
        return self.run.model


def recorded_epochs(run: TrainingRun) -> list[int]:
    """The epochs the timeline can show, increasing (the newest is the run's own epoch)."""
    return run.snapshots.epochs


def moment(run: TrainingRun, epoch: int | None = None) -> Moment:
    """The run as it was after ``epoch`` epochs (a recorded one), or now (None, the run's own
    epoch, or an epoch that is not recorded)."""
    if epoch is None or epoch >= run.epoch or epoch not in recorded_epochs(run):
        return Moment(run, run.epoch, live=True)
    model = run.model.copy()
    trainer = engine.Trainer(model, config=run.trainer.config)
    trainer.history = copy.copy(run.trainer.history)  # shares the rows; cut at the epoch below
    run.snapshots.restore(trainer, epoch)
    shown = dataclasses.replace(run, model=model, trainer=trainer, stop_reason=None)
    return Moment(shown, epoch, live=False)


def continue_from(run: TrainingRun, epoch: int) -> None:
    """Make the recorded ``epoch`` the run's present, in place: parameters, optimiser state and
    random stream as they were, later snapshots and history rows dropped (as an editor's undo
    drops what came after), so training goes on exactly as it did from there."""
    if epoch >= run.epoch:
        return
    run.snapshots.restore(run.trainer, epoch)
    run.snapshots.truncate(epoch)
    run.stop_reason = None


def step_epoch(run: TrainingRun, shown: int, steps: int) -> int:
    """The recorded epoch ``steps`` snapshots after (or, negative, before) ``shown``, within
    the recorded ones."""
    epochs = recorded_epochs(run)
    if not epochs:
        return run.epoch
    position = epochs.index(shown) if shown in epochs else len(epochs) - 1
    return epochs[min(max(position + steps, 0), len(epochs) - 1)]
