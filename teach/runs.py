"""Train a Playground configuration the way the Playground does, and keep what lessons show.

``train_variant`` builds the run with ``playground.run.build_run`` (same data, same initial weights,
same trainer seed as the Playground for the same settings) and trains it with
``playground.run.train_chunk`` (which honours the settings' stop epoch).  The result is a
``VariantResult``: plain arrays only, so it pickles for ``st.cache_data`` and carries no
live engine objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import engine
from playground.run import TrainingRun, build_run, train_chunk
from playground.settings import PlaygroundSettings

MAP_RESOLUTION = 60  # cells per side of the decision maps lessons draw

# A probe reads extra arrays from a run (before and/or after training) for one lesson.
Probe = Callable[[TrainingRun], dict[str, np.ndarray]]


@dataclass(frozen=True)
class VariantResult:
    """One trained configuration: its history, final parameters and decision map.

    Attributes:
        label: how the lesson names this configuration.
        settings: the Playground settings it was trained with.
        epochs_run: epochs actually trained (fewer if training diverged).
        diverged: the engine's divergence message, or ``""``.
        diverged_epoch: the epoch in which training diverged (0: it did not); ``epochs_run``
            is then where the engine put the network back to, often earlier.
        initial_loss: training loss before the first epoch.
        history: the columns of ``engine.TrainingHistory`` (train_loss, …) and ``epoch``,
            the epoch of each row (a long run's older rows are thinned).
        grad_norms: (rows, n_layers) mean weight-gradient norm per layer and row.
        weights, biases: final per-layer parameters.
        output_grid: (n_outputs, res, res) network output over [-6, 6]², row 0 at the top.
        train_points: (n, 2) training points; train_labels: (n,) their class ids.
        extras: arrays a lesson's probe recorded (``before_…`` keys: before training).
    """

    label: str
    settings: PlaygroundSettings
    epochs_run: int
    diverged: str
    initial_loss: float
    history: dict[str, np.ndarray]
    grad_norms: np.ndarray
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    output_grid: np.ndarray
    train_points: np.ndarray
    train_labels: np.ndarray
    extras: dict[str, np.ndarray] = field(default_factory=dict)
    diverged_epoch: int = 0

    def last(self, column: str) -> float:
        """The newest finite value of a history column (NaN if none)."""
        values = self.history[column]
        finite = values[np.isfinite(values)]
        return float(finite[-1]) if finite.size else float("nan")


def train_variant(
    label: str, settings: PlaygroundSettings, epochs: int, probe: Probe | None = None
) -> VariantResult:
    """Train ``settings`` for ``epochs`` epochs exactly as the Playground would."""
    run = build_run(settings)
    extras = {f"before_{k}": v for k, v in (probe(run) if probe else {}).items()}
    initial_loss, _ = run.trainer.evaluate(run.train_inputs, run.train_targets)
    if epochs > 0:
        train_chunk(run, epochs)
    if probe:
        extras.update(probe(run))
    history = run.trainer.history
    grid = engine.build_features(engine.grid_points(MAP_RESOLUTION), settings.features)
    output = run.model.forward(grid)
    return VariantResult(
        label=label,
        settings=settings,
        epochs_run=run.epoch,
        diverged=run.trainer.divergence.message() if run.trainer.divergence else "",
        initial_loss=initial_loss,
        history={
            "epoch": np.array(history.epochs),
            **{name: np.array(history.column(name)) for name in history.COLUMNS},
        },
        grad_norms=np.array(history.grad_norms),
        weights=tuple(w.copy() for w in run.model.weights),
        biases=tuple(b.copy() for b in run.model.biases),
        output_grid=output.T.reshape(-1, MAP_RESOLUTION, MAP_RESOLUTION).copy(),
        train_points=run.train.X.copy(),
        train_labels=np.asarray(run.train.y).copy(),
        extras=extras,
        diverged_epoch=run.trainer.divergence.epoch if run.trainer.divergence else 0,
    )
