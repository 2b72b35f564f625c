"""One training run: data, network, trainer and what the views need, for one session.

A ``TrainingRun`` is built from ``PlaygroundSettings``; hyper-parameters that do not change
the network (learning rate, regularisation, optimiser, clipping, dropout, batch size) are
applied to the live trainer without resetting it. With your own data (``dataset=custom``) the
run takes the session's ``OwnData`` (``own``, else what the settings' ``points`` carry), and
``with_own_data`` gives a run new points with the same network and trainer (drawing while
training).  The page swaps the session's run in one
assignment after each chunk of work, so a frame never sees a half-updated run.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

import engine

from .figures import GRID_RESOLUTION
from .settings import CUSTOM, PlaygroundSettings

if TYPE_CHECKING:
    from .own_data import OwnData

NEURON_MAP_RESOLUTION = 40
# A network with more hidden units than this gets 20×20 neuron maps (drawn ~35 px wide either
# way): 128 maps of 40×40 were 280 KB of every frame's 450 KB at 8 layers of 16.
MANY_HIDDEN_UNITS = 32
SMALL_NEURON_MAP_RESOLUTION = 20
# What an edited weight or bias may be, and the sentence when it is not.
MAX_PARAMETER = 1e6
OUT_OF_RANGE = "A weight must be a finite number between -1,000,000 and 1,000,000."


def neuron_map_resolution(hidden: tuple[int, ...]) -> int:
    """Side of every neuron map, in grid points, for a network with these hidden layers."""
    return SMALL_NEURON_MAP_RESOLUTION if sum(hidden) > MANY_HIDDEN_UNITS else NEURON_MAP_RESOLUTION


@dataclass
class TrainingRun:
    settings: PlaygroundSettings
    train: engine.Dataset
    test: engine.Dataset
    train_inputs: np.ndarray  # (n_train, n_features)
    test_inputs: np.ndarray
    train_targets: np.ndarray  # (n_train, n_outputs)
    test_targets: np.ndarray
    model: engine.Model
    trainer: engine.Trainer
    initial_params: np.ndarray  # for Restart: the same initial weights again
    grid_inputs: np.ndarray  # features of the 100×100 output grid
    neuron_grid_inputs: np.ndarray  # features of the coarser per-neuron grid
    structure_key: tuple = field(default=())
    stop_reason: str | None = None
    # (view key, figure) of the Plotly figure last built for this run (ui.live): rebuilt only
    # when the data set or the view's structure changes, not every frame.
    figure_cache: tuple | None = field(default=None, repr=False, compare=False)
    own: OwnData | None = field(default=None, repr=False)  # your own data (dataset=custom)
    # Parameters and optimiser state at a decimated set of epochs (the timeline: see
    # playground.history; its memory bound is engine.snapshots').
    snapshots: engine.SnapshotRecorder = field(
        default_factory=engine.SnapshotRecorder, repr=False, compare=False
    )
    # Held while the run changes (``train_chunk``, ``rewind``) and while it is read whole
    # (``run_file.save_run``, on the download button's thread): a file saved during play has
    # one epoch's weights, optimiser state and history. Not an init field: a copy made with
    # ``dataclasses.replace`` (a timeline moment) gets its own.
    lock: threading.RLock = field(
        default_factory=threading.RLock, init=False, repr=False, compare=False
    )

    @property
    def epoch(self) -> int:
        return self.trainer.epoch


def own_data_of(settings: PlaygroundSettings, own: OwnData | None = None) -> OwnData | None:
    """The own data a run for ``settings`` uses: ``own``, else what the settings' ``points``
    carry; None for a generated data set."""
    if settings.dataset != CUSTOM:
        return None
    if own is None:
        from .drawing import from_link  # pandas only for own data

        own = from_link(settings.points)
    return own


def run_data(
    settings: PlaygroundSettings, own: OwnData | None = None
) -> tuple[engine.Dataset, engine.Dataset]:
    """(train, test) for ``settings``: generated, or your own data split (its carried split,
    else the train ratio and seed)."""
    own = own_data_of(settings, own)
    if own is not None:
        return own.split(settings.ratio / 100, settings.seed)
    data = engine.make_dataset(
        settings.dataset,
        noise=settings.noise / 100,
        seed=settings.seed,
        n_classes=settings.n_classes if settings.n_classes > 2 else None,
    )
    return engine.train_test_split(data, settings.ratio / 100, seed=settings.seed)


def build_run(settings: PlaygroundSettings, own: OwnData | None = None) -> TrainingRun:
    """New data and a freshly initialised network for ``settings`` (``own``: your own data,
    used when ``settings.dataset`` is custom)."""
    own = own_data_of(settings, own)
    train, test = run_data(settings, own)
    features = settings.features
    model = engine.Model.create(
        settings.layer_sizes,
        activation=list(settings.hidden_activations),
        output=settings.output,
        init=settings.init,
        seed=settings.init_seed,
        batchnorm=settings.batchnorm,
    )
    trainer = engine.Trainer(model, settings.loss, seed=settings.init_seed)
    run = TrainingRun(
        settings=settings,
        train=train,
        test=test,
        train_inputs=engine.build_features(train.X, features),
        test_inputs=engine.build_features(test.X, features),
        train_targets=_targets(train, settings),
        test_targets=_targets(test, settings),
        model=model,
        trainer=trainer,
        initial_params=model.params.copy(),
        grid_inputs=engine.build_features(engine.grid_points(GRID_RESOLUTION), features),
        neuron_grid_inputs=engine.build_features(
            engine.grid_points(neuron_map_resolution(settings.hidden)), features
        ),
        structure_key=settings.structure_key(),
        own=own,
    )
    apply_hyperparameters(run, settings)
    return run


def with_own_data(run: TrainingRun, own: OwnData) -> TrainingRun:
    """The run on new own data, keeping its network, trainer and history (a drawn point joins
    training). The data must have the run's shape (kind and number of classes); a new run
    object, so a frame never sees half of the change."""
    train, test = own.split(run.settings.ratio / 100, run.settings.seed)
    features = run.settings.features
    fresh = dataclasses.replace(
        run,
        train=train,
        test=test,
        train_inputs=engine.build_features(train.X, features),
        test_inputs=engine.build_features(test.X, features),
        train_targets=_targets(train, run.settings),
        test_targets=_targets(test, run.settings),
        own=own,
        stop_reason=None,
        figure_cache=None,
    )
    # The best loss so far was on other points: the rollback after a divergence compares
    # with losses on these.
    fresh.trainer.best_loss = math.inf
    apply_hyperparameters(fresh, run.settings)  # a full batch is the new training set
    return fresh


def _targets(data: engine.Dataset, settings: PlaygroundSettings) -> np.ndarray:
    if data.kind == "regression":
        return data.y.astype(np.float64)[:, None]
    return engine.targets_for_output(data.y, settings.output, data.n_classes)


def apply_hyperparameters(run: TrainingRun, settings: PlaygroundSettings) -> None:
    """Apply the settings that keep the network (no reset), in place."""
    # (an empty drawing has no training point yet: batches of one until it has)
    run.trainer.config = settings.train_config(max(len(run.train), 1))
    run.settings = settings


def updated_run(
    run: TrainingRun | None, settings: PlaygroundSettings, own: OwnData | None = None
) -> TrainingRun:
    """The run to use for ``settings``: the same one re-tuned, or a new one if needed (``own``:
    the session's own data, for ``dataset=custom``)."""
    if run is None or run.structure_key != settings.structure_key():
        return build_run(settings, own)
    # Other points of the same shape (Back to an earlier drawing): the network stays.
    other_points = settings.dataset == CUSTOM and (
        own is not run.own if own is not None else settings.points != run.settings.points
    )
    apply_hyperparameters(run, settings)
    if other_points:
        return with_own_data(run, own_data_of(settings, own))
    return run


def restart(run: TrainingRun) -> TrainingRun:
    """The same run from its initial weights again (history and optimiser state cleared)."""
    fresh = build_run(run.settings, run.own)
    fresh.model.params[:] = run.initial_params
    return fresh


def holding_lock(change):
    """``change(run, ...)`` made while holding ``run.lock`` (see ``TrainingRun.lock``)."""

    @functools.wraps(change)
    def locked(run: TrainingRun, *args, **kwargs):
        with run.lock:
            return change(run, *args, **kwargs)

    return locked


@holding_lock
def train_chunk(
    run: TrainingRun, epochs: int, time_budget: float | None = None, *, record: bool = True
) -> None:
    """Train up to ``epochs`` epochs, or fewer once ``time_budget`` seconds are spent (at least
    one), honouring the stop conditions; sets ``stop_reason``. ``record=False`` takes no
    snapshots for the timeline (a sweep's run: one kernel call instead of one per snapshot)."""
    settings = run.settings
    if settings.stop_epoch:
        epochs = min(epochs, max(settings.stop_epoch - run.epoch, 0))
    if epochs <= 0:
        run.stop_reason = f"Stopped at epoch {run.epoch:,}, as asked."
        return
    if not len(run.train):
        run.stop_reason = "Add points to train on: the training set is empty."
        return
    if run.model.architecture.batchnorm and min(run.trainer.config.batch_size, len(run.train)) < 2:
        # (engine.trainer.check_batchnorm_batch would refuse it: a drawing's first point.)
        run.stop_reason = (
            "Batch normalisation needs at least 2 training points per mini-batch: add points "
            "(or turn batch normalisation off) to train."
        )
        return
    has_test = len(run.test) > 0  # a drawing's single point trains and has no test yet
    result = run.trainer.train(
        run.train_inputs,
        run.train_targets,
        epochs,
        run.test_inputs if has_test else None,
        run.test_targets if has_test else None,
        time_budget=time_budget,
        recorder=run.snapshots if record else None,
    )
    if record:
        run.snapshots.record_recent(run.trainer)  # the moment this frame shows
    run.stop_reason = None
    if result.divergence is not None:
        run.stop_reason = result.divergence.message()
    elif settings.stop_epoch and run.epoch >= settings.stop_epoch:
        run.stop_reason = f"Stopped at epoch {run.epoch:,}, as asked."
    elif settings.stop_loss and run.trainer.history.last("test_loss") <= settings.stop_loss:
        run.stop_reason = (
            f"Stopped at epoch {run.epoch:,}: the test loss reached {settings.stop_loss:g}."
        )


@dataclass(frozen=True)
class Checkpoint:
    """A run's training state at one moment (see ``checkpoint``)."""

    params: np.ndarray
    arrays: dict[str, np.ndarray]  # the trainer's arrays (optimiser moments, RNG, order, ...)
    values: dict[str, object]  # its other attributes (epoch, divergence, settings)
    history: engine.TrainingHistory


def checkpoint(run: TrainingRun) -> Checkpoint:
    """The run's weights and trainer state as they are now, for ``rewind`` (a few µs)."""
    trainer = run.trainer
    fields = {
        name: value for name, value in vars(trainer).items() if name not in ("model", "history")
    }
    return Checkpoint(
        params=run.model.params.copy(),
        arrays={n: v.copy() for n, v in fields.items() if isinstance(v, np.ndarray)},
        values={n: v for n, v in fields.items() if not isinstance(v, np.ndarray)},
        # History rows are only ever appended: a shallow copy keeps its length, and the rows
        # up to it stay as they are.
        history=copy.copy(trainer.history),
    )


@holding_lock
def rewind(run: TrainingRun, saved: Checkpoint) -> None:
    """Back to a ``checkpoint``, in place: weights (the model's layer views follow), optimiser
    state, shuffling state, epoch and history."""
    np.copyto(run.model.params, saved.params)
    trainer = run.trainer
    for name, value in saved.arrays.items():
        current = getattr(trainer, name, None)
        if isinstance(current, np.ndarray) and current.shape == value.shape:
            np.copyto(current, value)  # kernels may hold views of it
        else:
            setattr(trainer, name, value.copy())
    for name, value in saved.values.items():
        setattr(trainer, name, value)
    trainer.history = copy.copy(saved.history)
    run.snapshots.truncate(trainer.epoch)
    run.stop_reason = None


def metrics(run: TrainingRun) -> dict[str, float]:
    """The newest train/test loss and accuracy (NaN before the first epoch)."""
    history = run.trainer.history
    if history.length == 0:
        train_loss, train_accuracy = _evaluated(run, run.train_inputs, run.train_targets)
        test_loss, test_accuracy = _evaluated(run, run.test_inputs, run.test_targets)
        return {
            "train_loss": train_loss,
            "test_loss": test_loss,
            "train_accuracy": train_accuracy,
            "test_accuracy": test_accuracy,
        }
    return {
        name: history.last(name)
        for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
    }


def _evaluated(run: TrainingRun, inputs: np.ndarray, targets: np.ndarray) -> tuple[float, float]:
    """Loss and accuracy on some points; NaN for none (an empty drawing)."""
    if not len(inputs):
        return math.nan, math.nan
    return run.trainer.evaluate(inputs, targets)


def parse_parameter(text: object) -> float:
    """A weight or bias typed by the user ("4", "-0.25", "1e-3", "0,5", "−2"); raises
    ``ValueError`` with a plain sentence for anything else."""
    cleaned = str(text).strip().replace("\u2212", "-").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        shown = str(text).strip()[:20]
        raise ValueError(
            f"“{shown}” is not a number; type a value like 0.5 or -2. Nothing was changed."
        ) from None
    if cleaned.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise ValueError(OUT_OF_RANGE)
    return value


def set_parameter(
    run: TrainingRun, layer: int, source: int | None, target: int, value: float
) -> None:
    """Edit one weight (``source`` unit → ``target`` unit of dense layer ``layer``) or a bias
    (``source`` None).  Raises ``ValueError`` with a plain sentence if out of range."""
    if not np.isfinite(value) or abs(value) > MAX_PARAMETER:
        raise ValueError(OUT_OF_RANGE)
    weights = run.model.weights
    if not 0 <= layer < len(weights):
        raise ValueError(f"There is no layer {layer + 1}.")
    fan_in, fan_out = weights[layer].shape
    if not 0 <= target < fan_out or (source is not None and not 0 <= source < fan_in):
        raise ValueError("That connection does not exist in this network.")
    if source is None:
        run.model.biases[layer][target] = value
    else:
        weights[layer][source, target] = value
