"""Training runs: the ``Trainer`` drives whole epochs inside compiled code."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import checks, kernels
from .checks import lookup
from .config import TrainConfig
from .losses import CLASS_THRESHOLDS, check_targets, loss_code
from .model import MAX_HIDDEN_LAYERS, Model
from .optimizers import OPTIMIZERS
from .snapshots import SnapshotRecorder

EVALUATION_CHUNK_ROWS = 256  # rows per evaluation chunk (also the minimum workspace)
MAX_EPOCHS_PER_CALL = checks.MAX_SEED  # any int64 count: memory does not depend on it
# Most epochs per kernel call: bounds the per-epoch buffers (4,096 rows: ≤ 0.5 MB), and
# one more call per 4,096 epochs costs nothing measurable.
CHUNK_EPOCHS = 4096
# With should_stop, chunks last about this long: a stop request waits no longer.
STOP_CHECK_SECONDS = 0.05
# The first chunk of a timed call before this data's epoch time has been measured.
FIRST_CHUNK_EPOCHS = 1
# Rows a TrainingHistory keeps before thinning older ones: ≤ 10,000 × (7 metrics + 2 norms
# per layer + the epoch) × 8 B, at most 2.1 MB for 9 dense layers; with the largest run's
# snapshots (engine.snapshots, ≤ 17.7 MB) a session's history stays under 20 MB. Every view
# draws at most a few hundred points of a curve, so 10,000 epochs at full resolution and
# evenly thinned beyond lose nothing on screen.
MAX_HISTORY_ROWS = 10_000
# A state whose training loss is at most this many times the best loss so far is "good": a
# divergence rolls back to the newest good state. The start of the failing epoch is not enough:
# on the way to infinity the loss passes 1e+200, and from there any learning rate fails at once.
GOOD_LOSS_FACTOR = 10.0
CONFIG_FIELDS = frozenset(field.name for field in dataclasses.fields(TrainConfig))


@dataclass(frozen=True)
class Divergence:
    """Where training stopped because a loss or a parameter stopped being finite."""

    epoch: int  # 1-based epoch in which it happened
    layer: int  # 1-based dense layer (the output layer is the last)
    quantity: str  # "loss" or "parameters"
    restored_epoch: int = 0  # the network is now as it was after this many epochs

    def message(self) -> str:
        """A plain sentence for people: what happened and what to do."""
        what = (
            "the loss became infinite or NaN"
            if self.quantity == "loss"
            else f"the weights of layer {self.layer} overflowed to infinity or NaN"
        )
        return (
            f"Training diverged in epoch {self.epoch:,}: {what}. The network was put back "
            f"to epoch {self.restored_epoch:,}, its last state with a normal loss. Choose a "
            "lower learning rate (or gradient clipping) and press Play to continue."
        )


class _Rows:
    """The arrays behind a ``TrainingHistory``, shared by its shallow copies.

    ``written`` is how many rows were ever written (a high-water mark): a history that
    shares these arrays and would write below it copies them first (copy-on-write), so a
    shallow copy (``copy.copy``, a few µs) keeps its rows whatever the original does next.
    """

    __slots__ = ("epochs", "grad_norms", "metrics", "shared", "written")

    def __init__(self, capacity: int, n_layers: int):
        self.metrics = np.full((capacity, kernels.N_METRICS), np.nan)
        # Per layer: the weight-gradient norms (columns :n_layers), then ‖δ‖ (n_layers:).
        self.grad_norms = np.zeros((capacity, 2 * n_layers))
        self.epochs = np.zeros(capacity, dtype=np.int64)
        self.written = 0
        self.shared = False


class TrainingHistory:
    """Per-epoch diagnostics, appended chunk by chunk; memory bounded by ``max_rows``.

    Columns: train/test loss, train/test accuracy, dead-ReLU fraction, mean mini-batch
    loss, the fraction of mini-batches whose gradient was clipped, and per layer the mean
    weight-gradient norm and the back-propagated error norm ‖δ‖ of the epoch's last
    mini-batch (rows, n_layers).  Rows of epochs that were
    not evaluated hold NaN.  ``epochs[i]`` is the (1-based) epoch that row i describes.

    Up to ``max_rows`` epochs every epoch has its row.  When a run goes past that, the
    older rows are thinned to the epochs that are multiples of a stride (a power of two,
    doubled as needed, so that they fill at most half of ``max_rows``), keeping the first
    and the newest epoch; rows after that are again one per epoch until the next
    thinning.  So a long run's curve is evenly sampled over its whole length, its newest
    epochs are all there, and memory stays below ``max_rows`` rows however long it runs.
    Plot a column against ``epochs``, not against the row number.
    """

    COLUMNS = (
        "train_loss",
        "test_loss",
        "train_accuracy",
        "test_accuracy",
        "dead_fraction",
        "batch_loss",
        "clipped_fraction",
    )

    def __init__(self, n_layers: int, max_rows: int = MAX_HISTORY_ROWS):
        self._n_layers = checks.whole_number(n_layers, "n_layers", 1, MAX_HIDDEN_LAYERS + 1)
        self.max_rows = checks.whole_number(max_rows, "max_rows", 4)
        self._rows = _Rows(min(64, self.max_rows), self._n_layers)
        self._stride = 1  # epochs kept in the thinned part are multiples of it
        self.length = 0  # rows held

    def __copy__(self) -> TrainingHistory:
        """A shallow copy sharing the arrays (copy-on-write, see ``_Rows``)."""
        clone = TrainingHistory.__new__(TrainingHistory)
        clone.__dict__.update(self.__dict__)
        self._rows.shared = True
        return clone

    @property
    def nbytes(self) -> int:
        """Bytes held by the history's arrays (their capacity, not only the rows in use)."""
        rows = self._rows
        return rows.metrics.nbytes + rows.grad_norms.nbytes + rows.epochs.nbytes

    def copy(self) -> TrainingHistory:
        """An independent copy."""
        clone = TrainingHistory(self._n_layers, self.max_rows)
        clone._reserve(self.length)
        rows, source = clone._rows, self._rows
        rows.metrics[: self.length] = source.metrics[: self.length]
        rows.grad_norms[: self.length] = source.grad_norms[: self.length]
        rows.epochs[: self.length] = source.epochs[: self.length]
        rows.written = clone.length = self.length
        clone._stride = self._stride
        return clone

    # -- reading

    @property
    def epochs(self) -> np.ndarray:
        """(rows,) int64 epoch of each row, increasing (a read-only view)."""
        return _read_only(self._rows.epochs[: self.length])

    @property
    def last_epoch(self) -> int:
        """The newest epoch with a row (0 if none)."""
        return int(self._rows.epochs[self.length - 1]) if self.length else 0

    def column(self, name: str) -> np.ndarray:
        """One metric for every row (a read-only view; pair it with ``epochs``)."""
        index = lookup({column: i for i, column in enumerate(self.COLUMNS)}, name, "metric", "name")
        return _read_only(self._rows.metrics[: self.length, index])

    @property
    def grad_norms(self) -> np.ndarray:
        """(rows, n_layers) mean per-mini-batch L2 norm of each layer's weight gradient."""
        return _read_only(self._rows.grad_norms[: self.length, : self._n_layers])

    @property
    def delta_norms(self) -> np.ndarray:
        """(rows, n_layers) ‖δ‖ of each layer in the epoch's last mini-batch: the root mean
        square over the batch's rows of the L2 norm of dℓ/dz over the layer's units (see
        ``engine.kernels.add_delta_norms``; NaN for rows appended without it)."""
        return _read_only(self._rows.grad_norms[: self.length, self._n_layers :])

    def last(self, name: str) -> float:
        """The newest evaluated (non-NaN) value of a metric, or NaN."""
        values = self.column(name)
        if self.length and not math.isnan(values[-1]):  # the usual case: no scan
            return float(values[-1])
        finite = np.flatnonzero(~np.isnan(values))
        return float(values[finite[-1]]) if finite.size else math.nan

    # -- writing

    def append(
        self,
        metrics: np.ndarray,
        grad_norms: np.ndarray,
        first_epoch: int | None = None,
        delta_norms: np.ndarray | None = None,
    ) -> None:
        """Add the rows of consecutive epochs ``first_epoch``, ``first_epoch + 1``, …
        (default: right after the newest row); thins older rows if ``max_rows`` is reached.

        Args:
            metrics: (n, len(COLUMNS)) values; grad_norms, delta_norms: (n, n_layers)
                (delta_norms None: NaN, not known).
        """
        metrics = checks.float_array(metrics, "metrics", ndim=2, check=False)
        grad_norms = checks.float_array(grad_norms, "grad_norms", ndim=2, check=False)
        n = metrics.shape[0]
        if grad_norms.shape != (n, self._n_layers) or metrics.shape[1] != kernels.N_METRICS:
            raise ValueError(
                f"metrics must be (n, {kernels.N_METRICS}) and grad_norms (n, {self._n_layers}); "
                f"got {metrics.shape} and {grad_norms.shape}."
            )
        if delta_norms is None:
            delta_norms = np.full_like(grad_norms, np.nan)
        delta_norms = checks.float_array(delta_norms, "delta_norms", ndim=2, check=False)
        if delta_norms.shape != grad_norms.shape:
            raise ValueError(
                f"delta_norms must be shaped like grad_norms {grad_norms.shape}; got "
                f"{delta_norms.shape}."
            )
        if first_epoch is None:
            first_epoch = self.last_epoch + 1
        first_epoch = checks.whole_number(first_epoch, "first_epoch", self.last_epoch + 1)
        self._append(metrics, np.hstack([grad_norms, delta_norms]), first_epoch)

    def _append(self, metrics: np.ndarray, grad_norms: np.ndarray, first_epoch: int) -> None:
        """``append`` without the checks (the trainer's rows are right by construction);
        ``grad_norms`` (n, 2 · n_layers): gradient norms, then ‖δ‖."""
        n = metrics.shape[0]
        if n == 0:
            return
        if self.length + n > self.max_rows:
            self._thin(metrics, grad_norms, np.arange(first_epoch, first_epoch + n))
            return
        end = self.length + n
        self._reserve(end)
        rows = self._rows
        rows.metrics[self.length : end] = metrics
        rows.grad_norms[self.length : end] = grad_norms
        rows.epochs[self.length : end] = np.arange(first_epoch, first_epoch + n)
        rows.written = max(rows.written, end)
        self.length = end

    def truncate(self, epoch: int) -> None:
        """Forget the rows of epochs after ``epoch`` (a rollback)."""
        epoch = checks.whole_number(epoch, "epoch", 0)
        self.length = int(np.searchsorted(self.epochs, epoch, side="right"))

    def _reserve(self, end: int) -> None:
        """Make rows [length, end) writable: copy shared arrays, grow by doubling."""
        rows = self._rows
        capacity = rows.metrics.shape[0]
        shared = rows.shared and self.length < rows.written
        if not shared and end <= capacity:
            return
        if end > capacity:
            capacity = min(max(end, 2 * capacity), self.max_rows)
        fresh = _Rows(capacity, self._n_layers)
        fresh.metrics[: self.length] = rows.metrics[: self.length]
        fresh.grad_norms[: self.length] = rows.grad_norms[: self.length]
        fresh.epochs[: self.length] = rows.epochs[: self.length]
        fresh.written = self.length
        self._rows = fresh

    def _thin(self, metrics: np.ndarray, grad_norms: np.ndarray, epochs: np.ndarray) -> None:
        """Keep, of the rows held and the new ones, the epochs that are multiples of the
        smallest stride (≥ the current one) leaving at most max_rows / 2 rows, plus the
        first and the newest; new arrays, so shallow copies keep theirs."""
        old = self._rows
        held = self.length
        every = np.concatenate([old.epochs[:held], epochs])
        stride = self._stride
        while True:
            keep = every % stride == 0
            keep[0] = keep[-1] = True
            if np.count_nonzero(keep) <= self.max_rows // 2:
                break
            stride *= 2
        keep_old, keep_new = keep[:held], keep[held:]
        kept_old = int(np.count_nonzero(keep_old))
        total = kept_old + int(np.count_nonzero(keep_new))
        fresh = _Rows(self.max_rows, self._n_layers)
        fresh.metrics[:kept_old] = old.metrics[:held][keep_old]
        fresh.metrics[kept_old:total] = metrics[keep_new]
        fresh.grad_norms[:kept_old] = old.grad_norms[:held][keep_old]
        fresh.grad_norms[kept_old:total] = grad_norms[keep_new]
        fresh.epochs[:total] = every[keep]
        fresh.written = total
        self._rows, self._stride, self.length = fresh, stride, total


def _read_only(view: np.ndarray) -> np.ndarray:
    view.flags.writeable = False
    return view


@dataclass(slots=True)  # not frozen: created on every train call, frozen's __init__ is slower
class GoodState:
    """A copy of everything a rollback restores: parameters, optimiser state, epoch."""

    params: np.ndarray
    first_moment: np.ndarray
    second_moment: np.ndarray
    step_counter: np.ndarray
    epoch: int
    train_loss: float  # NaN when not known


@dataclass(frozen=True)
class TrainResult:
    """What one ``Trainer.train`` call did."""

    epochs_run: int
    divergence: Divergence | None  # where training diverged, or None
    stopped: str = ""  # "time_budget" or "should_stop" if the call returned early, else ""


class Trainer:
    """Mini-batch training of one model; its ``config`` may change between calls.

    ``Trainer(model, "mse", optimizer="adam", learning_rate=0.01)`` takes the fields of a
    ``TrainConfig`` as keywords (or one ``config=``), and ``seed`` for its random stream
    (dropout masks, shuffling).  ``trainer.config = trainer.config.replace(l2=0.001)``
    applies a new config: the weights and the optimiser state are kept, except that a
    different ``optimizer`` resets the optimiser state (its moments mean something else).
    A config is validated when it is made, and its loss against the model's output when it
    is applied, so a bad value never reaches a kernel.

    Divergence: at the first non-finite loss or parameter the kernel puts the network back
    to the start of the failing epoch; if that state's loss is not good (more than
    ``GOOD_LOSS_FACTOR`` times the best training loss so far) the trainer goes further back,
    to the newest good state it kept. It keeps one copy, taken at the start of a ``train``
    call when the state is good: a few hundred numbers per call, not per epoch.
    """

    def __init__(
        self,
        model: Model,
        loss: str | None = None,
        *,
        seed: int = 0,
        config: TrainConfig | None = None,
        **settings,
    ):
        """Args:
        model: the network to train.
        loss: a key of ``engine.LOSSES`` that fits the model's output.
        seed: seeds dropout and shuffling, 0 … 2⁶³ − 1.
        config: a whole ``TrainConfig`` instead of ``loss`` and ``settings``.
        settings: any other ``TrainConfig`` field (``optimizer``, ``learning_rate``, …).
        """
        self._model = checks.instance(model, Model, "model")
        model.check_parameters()
        unknown = [name for name in settings if name not in CONFIG_FIELDS]
        if unknown:
            known = ", ".join(field.name for field in dataclasses.fields(TrainConfig))
            raise TypeError(
                f"Trainer has no setting {', '.join(map(repr, unknown))}; it takes seed, "
                f"config, or these: {known}."
            )
        if config is None:
            config = TrainConfig(loss, **settings)
        elif loss is not None or settings:
            raise TypeError(
                "Give a Trainer either config= or the loss and its settings, not both; got "
                f"config and {', '.join(['loss'] * (loss is not None) + list(settings))}."
            )
        self.config = config
        self.rng_state = np.array([checks.seed(seed)], dtype=np.uint64)
        self.epoch = 0
        self.history = TrainingHistory(len(model.layout))
        self.divergence: Divergence | None = None
        self._order: np.ndarray | None = None
        self.best_loss = math.inf  # lowest training loss of any epoch so far
        self._loss_now = math.nan  # training loss of the current parameters, NaN if unknown
        self._good: GoodState | None = None
        # Measured cost of one epoch (seconds) and what it was measured on: sizes the first
        # chunk of a call that has a time budget or a stop check.
        self._epoch_seconds: tuple[tuple, float] | None = None
        self.reset_optimizer()

    @property
    def model(self) -> Model:
        """The network this trainer changes (fixed: the optimiser state is shaped for it)."""
        return self._model

    @property
    def config(self) -> TrainConfig:
        """The hyper-parameters (see the class docstring for what a new one keeps)."""
        return self._config

    @config.setter
    def config(self, config: TrainConfig) -> None:
        config = checks.instance(config, TrainConfig, "config")
        code = loss_code(config.loss, self.model.architecture.output)
        check_batchnorm_batch(self.model, config.batch_size)
        previous = self.__dict__.get("_config")
        self._config = config
        self._loss_code = code
        if previous is not None and previous.optimizer != config.optimizer:
            self.reset_optimizer()

    def __setattr__(self, name: str, value) -> None:
        # ``trainer.learning_rate = 0.1`` would otherwise add an attribute nothing reads.
        if name in CONFIG_FIELDS:
            raise AttributeError(
                f"{name} is part of the trainer's config; write "
                f"trainer.config = trainer.config.replace({name}=...)."
            )
        super().__setattr__(name, value)

    def __getattr__(self, name: str):
        if name in CONFIG_FIELDS:
            raise AttributeError(f"{name} is part of the trainer's config: trainer.config.{name}.")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def reset_optimizer(self) -> None:
        """Forget momentum / adaptive moments and the step count (weights are kept)."""
        self.first_moment = np.zeros_like(self.model.params)
        self.second_moment = np.zeros_like(self.model.params)
        self.step_counter = np.zeros(1, dtype=np.int64)
        self._good = None  # its moments belonged to the old optimiser

    def _is_good(self, loss: float) -> bool:
        return math.isfinite(loss) and loss <= GOOD_LOSS_FACTOR * self.best_loss

    def _keep_if_good(self) -> None:
        """Copy the current state as the rollback target if it is good (or nothing is kept)."""
        if self._good is not None and not self._is_good(self._loss_now):
            return
        self._good = GoodState(
            self.model.params.copy(),
            self.first_moment.copy(),
            self.second_moment.copy(),
            self.step_counter.copy(),
            self.epoch,
            self._loss_now,
        )

    def _roll_back_to_good(self, X: np.ndarray, Y: np.ndarray) -> None:
        """After a divergence: keep the kernel's state (start of the failing epoch) if its
        loss is good, else restore the kept good state (history truncated to its epoch)."""
        if math.isnan(self._loss_now):
            self._loss_now = self.evaluate(X, Y)[0]
        good = self._good
        if self._is_good(self._loss_now) or good is None:
            return
        self.model.params[:] = good.params
        self.first_moment[:] = good.first_moment
        self.second_moment[:] = good.second_moment
        self.step_counter[:] = good.step_counter
        self.epoch = good.epoch
        self.history.truncate(good.epoch)
        self._loss_now = good.train_loss

    # -- data

    def _check_data(self, X, Y, X_test=None, Y_test=None):
        """Inputs and targets as the kernels need them, or a ``ValueError`` / ``TypeError``
        naming the argument (once per call: O(n) NumPy reductions, no copies of C float64)."""
        model = self.model
        X = model.check_inputs(X, "X")
        Y = check_targets(model, Y, self.config.loss, "Y")
        if X.shape[0] != Y.shape[0] or X.shape[0] == 0:
            raise ValueError(
                f"X and Y need the same, non-zero number of rows; got {X.shape[0]} and "
                f"{Y.shape[0]}."
            )
        if (X_test is None) != (Y_test is None):
            given, missing = ("X_test", "Y_test") if Y_test is None else ("Y_test", "X_test")
            raise ValueError(
                f"{given} was given without {missing}; give both (a test set) or neither."
            )
        if X_test is None:
            return X, Y, np.zeros((0, X.shape[1])), np.zeros((0, Y.shape[1]))
        X_test = model.check_inputs(X_test, "X_test")
        Y_test = check_targets(model, Y_test, self.config.loss, "Y_test")
        if X_test.shape[0] != Y_test.shape[0]:
            raise ValueError(
                "X_test and Y_test need the same number of rows; got "
                f"{X_test.shape[0]} and {Y_test.shape[0]}."
            )
        return X, Y, X_test, Y_test

    # -- training

    def train(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        epochs: int,
        X_test: np.ndarray | None = None,
        Y_test: np.ndarray | None = None,
        *,
        time_budget: float | None = None,
        should_stop: Callable[[], bool] | None = None,
        recorder: SnapshotRecorder | None = None,
    ) -> TrainResult:
        """Train for ``epochs`` whole epochs, in compiled chunks of at most ``CHUNK_EPOCHS``.

        The chunks give exactly the weights, RNG stream and history of one long call;
        memory does not depend on ``epochs`` (see ``TrainingHistory`` for the rows kept).

        Args:
            X: (n, n_inputs) training inputs; Y: (n, n_outputs) targets that fit the loss.
            epochs: how many passes over the training set (0 … 2⁶³ − 1).
            X_test, Y_test: optional held-out data (both or neither), evaluated with the
                training set.
            time_budget: seconds; the call returns after the chunk in which they ran out
                (chunks are sized from the measured epoch time to end near it).  At least
                one epoch (``evaluate_every`` epochs) runs, so repeated calls progress.
            should_stop: called before each chunk (chunks then last about
                ``STOP_CHECK_SECONDS``); the call returns when it gives True, possibly
                before any epoch ran.
            recorder: an ``engine.SnapshotRecorder``: chunks also end on the epochs it keeps
                (``next_epoch``), where it takes its snapshot (``record``); a rollback after
                a divergence drops its later ones.

        Returns:
            how many epochs ran, whether the call stopped early and why, and, if training
            diverged, where (parameters are then at the start of the failing epoch, or at
            the newest good state, and ``self.divergence`` is set).
        """
        started = time.perf_counter()
        epochs = checks.whole_number(
            epochs, "epochs", 0, MAX_EPOCHS_PER_CALL, allowed=checks.NON_NEGATIVE_INT64
        )
        if time_budget is not None:
            time_budget = checks.real_number(time_budget, "time_budget", 0.0, low_open=True)
        if should_stop is not None and not callable(should_stop):
            raise TypeError(
                "should_stop must be a function taking no arguments and returning True to "
                f"stop, or None; got {checks.shown(should_stop)}."
            )
        self.model.check_parameters()
        X, Y, X_test, Y_test = self._check_data(X, Y, X_test, Y_test)
        if self._order is None or self._order.shape[0] != X.shape[0]:
            self._order = np.arange(X.shape[0], dtype=np.int64)
        if self._good is None and math.isnan(self._loss_now):
            # The very first state: its loss counts as an epoch's (a first epoch may
            # already jump to 1e+297, which must not become "the best so far").
            self._loss_now = self.evaluate(X, Y)[0]
            self.best_loss = min(self.best_loss, self._loss_now)
        self._keep_if_good()
        self.divergence = None
        deadline = None if time_budget is None else started + time_budget
        batch_size = min(self.config.batch_size, X.shape[0])
        check_batchnorm_batch(self.model, batch_size)
        # What an epoch's time depends on: a measurement on other data does not carry over.
        cost_key = (X.shape, X_test.shape[0], batch_size, self.config.dropout > 0)
        call = _KernelCall(self, kernels.TRAIN, X, Y, X_test, Y_test, batch_size, epochs)
        done, status, bad_layer, stopped = 0, kernels.OK, -1, ""
        if recorder is not None:
            recorder.record(self)
        while done < epochs:
            if should_stop is not None and should_stop():
                stopped = "should_stop"
                break
            size = self._chunk_size(epochs - done, deadline, should_stop is not None, cost_key)
            if recorder is not None:  # (one more kernel call per snapshot: ~100 µs)
                size = min(size, recorder.next_epoch(self.epoch) - self.epoch)
            chunk_started = time.perf_counter()
            ran, status, bad_layer = call.run(size)
            if ran == size:
                self._epoch_seconds = (cost_key, (time.perf_counter() - chunk_started) / ran)
            self._record(call, ran)
            done += ran
            if status != kernels.OK:
                break
            if recorder is not None:
                recorder.record(self)
            if deadline is not None and done < epochs and time.perf_counter() >= deadline:
                stopped = "time_budget"
                break
        if status != kernels.OK:
            quantity = "loss" if status == kernels.DIVERGED_LOSS else "parameters"
            failed_epoch = self.epoch + 1
            self._roll_back_to_good(X, Y)
            if recorder is not None:
                recorder.truncate(self.epoch)
            self.divergence = Divergence(failed_epoch, bad_layer + 1, quantity, self.epoch)
        return TrainResult(done, self.divergence, stopped)

    def _chunk_size(self, remaining: int, deadline: float | None, watched: bool, key) -> int:
        """Epochs for the next kernel call: at most ``CHUNK_EPOCHS``; with a deadline or a
        stop check, as many as fit the time left (or ``STOP_CHECK_SECONDS``) at the last
        measured epoch time.  Chunks end on multiples of ``evaluate_every`` (counted from
        the call's start, as the kernel counts), so the rows evaluated are those of one
        long call; only an ``evaluate_every`` above ``CHUNK_EPOCHS`` adds evaluated rows."""
        size = min(remaining, CHUNK_EPOCHS)
        if deadline is not None or watched:
            seconds = math.inf if deadline is None else deadline - time.perf_counter()
            if watched:
                seconds = min(seconds, STOP_CHECK_SECONDS)
            measured = self._epoch_seconds
            if measured is None or measured[0] != key:
                size = min(size, FIRST_CHUNK_EPOCHS)
            else:
                affordable = min(seconds / max(measured[1], 1e-9), CHUNK_EPOCHS)  # maybe inf
                size = min(size, max(int(affordable), 1))
        every = self.config.evaluate_every
        if size < remaining and every <= CHUNK_EPOCHS:
            size = min(max(size // every, 1) * every, remaining)
        return size

    def _record(self, call: _KernelCall, ran: int) -> None:
        """History, epoch count and losses after a chunk that completed ``ran`` epochs."""
        if not ran:
            return
        metrics = call.metrics
        self.history._append(metrics[:ran], call.grad_norms[:ran], self.epoch + 1)
        self.epoch += ran
        # The last epoch of a chunk is always evaluated, a failing chunk's last good one
        # only every evaluate_every epochs (NaN: evaluated when needed).
        self._loss_now = float(metrics[ran - 1, kernels.TRAIN_LOSS])
        lowest = (  # NaN rows (not evaluated) are skipped; one epoch: no reduction
            self._loss_now if ran == 1 else float(np.fmin.reduce(metrics[:ran, kernels.TRAIN_LOSS]))
        )
        if lowest < self.best_loss:
            self.best_loss = lowest

    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
        """(mean loss, accuracy) of the current model on a data set (no dropout)."""
        self.model.check_parameters()
        X, Y, X_test, Y_test = self._check_data(X, Y)
        call = _KernelCall(self, kernels.EVALUATE, X, Y, X_test, Y_test, 1, 1)
        call.run(1)
        metrics = call.metrics
        return float(metrics[0, kernels.TRAIN_LOSS]), float(metrics[0, kernels.TRAIN_ACCURACY])


class _KernelCall:
    """Everything ``kernels.train_epochs`` takes but the epoch count, built once per
    ``Trainer`` call and reused by each of its chunks (see engine.kernels for the modes).

    ``metrics`` / ``grad_norms`` hold one row per epoch of the latest chunk.
    """

    def __init__(self, trainer: Trainer, mode, X, Y, X_test, Y_test, batch_size, epochs):
        model = trainer.model
        rows = max(min(epochs, CHUNK_EPOCHS), 1)
        self.metrics = np.full((rows, kernels.N_METRICS), np.nan)
        self.grad_norms = np.zeros((rows, 2 * len(model.layout)))  # then ‖δ‖, see the kernel
        params = model.params
        gradients = model._over(np.zeros_like(params))
        self.gradients = gradients
        order = trainer._order if mode == kernels.TRAIN else np.arange(X.shape[0], dtype=np.int64)
        self._arguments = (
            model.kernel_arrays,
            kernels.OptimizerArrays(
                gradients=gradients.params,
                gradient_weights=gradients.padded_weights,
                gradient_biases=gradients.padded_biases,
                first_moment=trainer.first_moment,
                second_moment=trainer.second_moment,
                step_counter=trainer.step_counter,
                gradient_norm=gradients.norm,
            ),
            kernels.TrainingData(
                train_inputs=X,
                train_targets=Y,
                test_inputs=X_test,
                test_targets=Y_test,
                order=order,
                stored_order=np.arange(max(X.shape[0], X_test.shape[0]), dtype=np.int64),
            ),
            model.workspace(max(batch_size, EVALUATION_CHUNK_ROWS)),
            kernel_settings(trainer, mode, batch_size),
            trainer.rng_state,
        )
        self._trainer = trainer  # its epoch: where each chunk's learning-rate schedule starts
        self._backup = kernels.Backup(
            np.empty_like(params), np.empty_like(params), np.empty_like(params)
        )
        self._fresh = True  # metrics / grad_norms still as allocated

    def run(self, epochs: int) -> tuple[int, int, int]:
        """Train (or evaluate) ``epochs`` epochs: (epochs completed, status, bad layer)."""
        if not self._fresh:  # rows the kernel does not write must read NaN / start at 0
            self.metrics[:epochs] = np.nan
            self.grad_norms[:epochs] = 0.0
        self._fresh = False
        model, optimizer, data, work, settings, rng_state = self._arguments
        settings = settings._replace(first_epoch=self._trainer.epoch)  # (~1 µs a chunk)
        done, status, bad_layer = kernels.train_epochs(
            model,
            optimizer,
            data,
            work,
            settings,
            rng_state,
            epochs,
            self.metrics,
            self.grad_norms,
            self._backup,
        )
        return done, status, bad_layer


def check_batchnorm_batch(model: Model, batch_size: int) -> None:
    """``ValueError`` if ``model`` batch-normalises and a mini-batch would have one row.

    A batch's variance needs two rows: with one, every normalised value is 0 (the layer
    would output β whatever the input) and the weights below get no gradient. PyTorch's
    ``BatchNorm1d`` raises in training for the same reason; so does the trainer, before
    any epoch runs. (A last, shorter mini-batch of one row is allowed: it outputs β, adds
    nothing to the gradients of the layers below and leaves the running statistics as
    they were; see ``engine.kernels.batchnorm_forward``.)
    """
    if model.architecture.batchnorm and batch_size < 2:
        raise ValueError(
            "Batch normalisation needs at least 2 rows per mini-batch (it normalises with "
            f"the batch's mean and variance); the batch size is {batch_size}."
        )


def kernel_settings(trainer: Trainer, mode: int, batch_size: int) -> kernels.TrainingSettings:
    """The trainer's config as the training kernel takes it, for one call in ``mode``.

    Every field gets the same Python type on every call (int, bool, float): each
    combination of types would be compiled separately.
    """
    config = trainer.config
    optimizer = config.optimizer_settings
    return kernels.TrainingSettings(
        mode=int(mode),
        loss_code=int(trainer._loss_code),
        optimizer_code=int(OPTIMIZERS[config.optimizer]),
        batch_size=int(batch_size),
        shuffle=bool(config.shuffle and mode == kernels.TRAIN),
        evaluate_every=min(config.evaluate_every, MAX_EPOCHS_PER_CALL),
        learning_rate=config.learning_rate,
        l1=config.l1,
        l2=config.l2,
        momentum=float(optimizer.momentum),
        beta1=float(optimizer.beta1),
        beta2=float(optimizer.beta2),
        rho=float(optimizer.rho),
        epsilon=float(optimizer.epsilon_of(config.optimizer)),
        clip_norm=config.clip_norm or 0.0,
        dropout=config.dropout,
        class_threshold=float(CLASS_THRESHOLDS.get(trainer.model.architecture.output, 0.0)),
        weight_decay=config.weight_decay,
        schedule=config.kernel_schedule,
        first_epoch=int(trainer.epoch),
    )


def loss_and_gradients(
    model: Model, X: np.ndarray, Y: np.ndarray, loss: str
) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """Mean loss over the rows of X and its gradient, without regularisation or dropout.

    A batch-normalised model is normalised with the statistics of X's rows (training mode,
    one batch), and its running statistics are left as they are.

    Args:
        model: the network (finite parameters).
        X: (n, n_inputs) inputs.
        Y: (n, n_outputs) targets that fit the loss (see :func:`engine.targets_for_output`).
        loss: a key of ``engine.LOSSES``.

    Returns:
        ``(loss, grad_weights, grad_biases)`` with gradients shaped like
        ``model.weights`` / ``model.biases``.
    """
    trainer = Trainer(model, loss, shuffle=False)
    X, Y, X_test, Y_test = trainer._check_data(X, Y)
    call = _KernelCall(trainer, kernels.GRADIENTS, X, Y, X_test, Y_test, X.shape[0], 1)
    call.run(1)
    value = float(call.metrics[0, kernels.BATCH_LOSS])
    return value, list(call.gradients.weights), list(call.gradients.biases)
