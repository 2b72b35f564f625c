"""Training runs: the ``Trainer`` drives whole epochs inside compiled code."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import kernels
from .losses import CLASS_THRESHOLDS, check_targets, loss_code
from .model import Model
from .optimizers import OPTIMIZERS, OptimizerSettings
from .registry import lookup

EVALUATION_CHUNK_ROWS = 256  # rows per evaluation chunk (also the minimum workspace)
MAX_EPOCHS_PER_CALL = 10_000_000
# A state whose training loss is at most this many times the best loss so far is "good": a
# divergence rolls back to the newest good state. The start of the failing epoch is not enough:
# on the way to infinity the loss passes 1e+200, and from there any learning rate fails at once.
GOOD_LOSS_FACTOR = 10.0


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


class TrainingHistory:
    """Per-epoch diagnostics, appended in chunks; arrays grow by doubling.

    Columns: train/test loss, train/test accuracy, dead-ReLU fraction, mean mini-batch
    loss, and per-layer mean gradient norms (epochs, n_layers).  Rows of epochs that were
    not evaluated hold NaN.
    """

    COLUMNS = (
        "train_loss",
        "test_loss",
        "train_accuracy",
        "test_accuracy",
        "dead_fraction",
        "batch_loss",
    )

    def __init__(self, n_layers: int):
        self._metrics = np.full((64, kernels.N_METRICS), np.nan)
        self._grad_norms = np.zeros((64, n_layers))
        self.length = 0

    def append(self, metrics: np.ndarray, grad_norms: np.ndarray) -> None:
        needed = self.length + metrics.shape[0]
        if needed > self._metrics.shape[0]:
            capacity = max(needed, 2 * self._metrics.shape[0])
            self._metrics = _grown(self._metrics, capacity, np.nan)
            self._grad_norms = _grown(self._grad_norms, capacity, 0.0)
        self._metrics[self.length : needed] = metrics
        self._grad_norms[self.length : needed] = grad_norms
        self.length = needed

    def column(self, name: str) -> np.ndarray:
        """One metric for every epoch so far (a read-only view)."""
        index = lookup({column: i for i, column in enumerate(self.COLUMNS)}, name, "metric")
        view = self._metrics[: self.length, index]
        view.flags.writeable = False
        return view

    @property
    def grad_norms(self) -> np.ndarray:
        """(epochs, n_layers) mean per-mini-batch L2 norm of each layer's weight gradient."""
        return self._grad_norms[: self.length]

    def last(self, name: str) -> float:
        """The newest evaluated (non-NaN) value of a metric, or NaN."""
        values = self.column(name)
        finite = np.flatnonzero(~np.isnan(values))
        return float(values[finite[-1]]) if finite.size else math.nan

    def truncate(self, length: int) -> None:
        """Forget the epochs after the first ``length`` (a rollback)."""
        self.length = min(self.length, max(int(length), 0))

    def copy(self) -> TrainingHistory:
        clone = TrainingHistory(self._grad_norms.shape[1])
        clone.append(self._metrics[: self.length], self._grad_norms[: self.length])
        return clone


def _grown(array: np.ndarray, rows: int, fill: float) -> np.ndarray:
    bigger = np.full((rows, array.shape[1]), fill)
    bigger[: array.shape[0]] = array
    return bigger


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
    epochs_run: int
    divergence: Divergence | None


class Trainer:
    """Mini-batch training of one model; hyper-parameters may change between calls.

    Changing ``learning_rate``, ``l1``, ``l2``, ``dropout``, ``clip_norm``, ``batch_size``
    or ``optimizer_settings`` keeps the weights and the optimiser state; changing
    ``optimizer`` resets the optimiser state (its moments mean something else).

    Divergence: at the first non-finite loss or parameter the kernel puts the network back
    to the start of the failing epoch; if that state's loss is not good (more than
    ``GOOD_LOSS_FACTOR`` times the best training loss so far) the trainer goes further back,
    to the newest good state it kept. It keeps one copy, taken at the start of a ``train``
    call when the state is good: a few hundred numbers per call, not per epoch.
    """

    def __init__(
        self,
        model: Model,
        loss: str,
        optimizer: str = "sgd",
        learning_rate: float = 0.03,
        batch_size: int = 10,
        l1: float = 0.0,
        l2: float = 0.0,
        dropout: float = 0.0,
        clip_norm: float | None = None,
        shuffle: bool = True,
        seed: int = 0,
        optimizer_settings: OptimizerSettings | None = None,
        evaluate_every: int = 1,
    ):
        self.model = model
        self.loss = loss
        self._loss_code = loss_code(loss, model.architecture.output)
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.l1 = l1
        self.l2 = l2
        self.dropout = dropout
        self.clip_norm = clip_norm
        self.shuffle = bool(shuffle)
        self.optimizer_settings = optimizer_settings or OptimizerSettings()
        self.evaluate_every = evaluate_every
        self.rng_state = np.array([seed % 2**64], dtype=np.uint64)
        self.epoch = 0
        self.history = TrainingHistory(len(model.net))
        self.divergence: Divergence | None = None
        self._order: np.ndarray | None = None
        self.best_loss = math.inf  # lowest training loss of any epoch so far
        self._loss_now = math.nan  # training loss of the current parameters, NaN if unknown
        self._good: GoodState | None = None
        self.reset_optimizer()

    # -- hyper-parameters (validated on assignment, so bad values never reach a kernel)

    @property
    def optimizer(self) -> str:
        return self._optimizer

    @optimizer.setter
    def optimizer(self, name: str) -> None:
        self._optimizer_code = lookup(OPTIMIZERS, name, "optimizer")
        changed = getattr(self, "_optimizer", name) != name
        self._optimizer = name
        if changed:
            self.reset_optimizer()

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = _positive(value, "learning_rate", upper=1e3)

    @property
    def l1(self) -> float:
        return self._l1

    @l1.setter
    def l1(self, value: float) -> None:
        self._l1 = _non_negative(value, "l1")

    @property
    def l2(self) -> float:
        return self._l2

    @l2.setter
    def l2(self, value: float) -> None:
        self._l2 = _non_negative(value, "l2")

    @property
    def dropout(self) -> float:
        return self._dropout

    @dropout.setter
    def dropout(self, value: float) -> None:
        value = float(value)
        if not 0.0 <= value < 1.0:
            raise ValueError(f"dropout is the probability of dropping a unit: [0, 1); got {value}.")
        self._dropout = value

    @property
    def clip_norm(self) -> float | None:
        return self._clip_norm

    @clip_norm.setter
    def clip_norm(self, value: float | None) -> None:
        self._clip_norm = None if value is None else _positive(value, "clip_norm", upper=1e12)

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"batch_size must be a whole number ≥ 1; got {value!r}.")
        self._batch_size = int(value)

    @property
    def evaluate_every(self) -> int:
        return self._evaluate_every

    @evaluate_every.setter
    def evaluate_every(self, value: int) -> None:
        if int(value) != value or value < 1:
            raise ValueError(f"evaluate_every must be a whole number ≥ 1; got {value!r}.")
        self._evaluate_every = int(value)

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

    # -- training

    def _settings_vector(self) -> np.ndarray:
        settings = np.zeros(kernels.N_SETTINGS)
        optimizer = self.optimizer_settings
        settings[kernels.LEARNING_RATE] = self.learning_rate
        settings[kernels.L1] = self.l1
        settings[kernels.L2] = self.l2
        settings[kernels.MOMENTUM_COEFFICIENT] = optimizer.momentum
        settings[kernels.BETA1] = optimizer.beta1
        settings[kernels.BETA2] = optimizer.beta2
        settings[kernels.RHO] = optimizer.rho
        settings[kernels.EPSILON] = optimizer.epsilon
        settings[kernels.CLIP_NORM] = self.clip_norm or 0.0
        settings[kernels.DROPOUT] = self.dropout
        settings[kernels.CLASS_THRESHOLD] = CLASS_THRESHOLDS.get(self.model.architecture.output, 0)
        return settings

    def train(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        epochs: int,
        X_test: np.ndarray | None = None,
        Y_test: np.ndarray | None = None,
    ) -> TrainResult:
        """Train for ``epochs`` whole epochs in one compiled call.

        Args:
            X: (n, n_inputs) training inputs; Y: (n, n_outputs) targets.
            epochs: how many passes over the training set.
            X_test, Y_test: optional held-out data, evaluated with the training set.

        Returns:
            how many epochs ran and, if training diverged, where (parameters are then at
            the start of the failing epoch, and ``self.divergence`` is set).
        """
        if isinstance(epochs, bool) or int(epochs) != epochs or epochs < 0:
            raise ValueError(f"epochs must be a whole number ≥ 0; got {epochs!r}.")
        epochs = int(min(epochs, MAX_EPOCHS_PER_CALL))
        X = self.model.check_inputs(X)
        Y = check_targets(self.model, Y)
        if X.shape[0] != Y.shape[0] or X.shape[0] == 0:
            raise ValueError("X and Y need the same, non-zero number of rows.")
        if X_test is None or Y_test is None or len(X_test) == 0:
            X_test = np.zeros((0, X.shape[1]))
            Y_test = np.zeros((0, Y.shape[1]))
        else:
            X_test = self.model.check_inputs(X_test)
            Y_test = check_targets(self.model, Y_test)
        if self._order is None or self._order.shape[0] != X.shape[0]:
            self._order = np.arange(X.shape[0], dtype=np.int64)
        if self._good is None and math.isnan(self._loss_now):
            # The very first state: its loss counts as an epoch's (a first epoch may
            # already jump to 1e+297, which must not become "the best so far").
            self._loss_now = self.evaluate(X, Y)[0]
            self.best_loss = min(self.best_loss, self._loss_now)
        self._keep_if_good()
        done, status, bad_layer, metrics, grad_norms, _ = self._run_kernel(
            kernels.TRAIN, X, Y, X_test, Y_test, epochs, min(self.batch_size, X.shape[0])
        )
        self.history.append(metrics[:done], grad_norms[:done])
        self.epoch += done
        self.divergence = None
        if done:
            # The last epoch of a call is always evaluated, a failing call's last good one
            # only every evaluate_every epochs (NaN: evaluated when needed).
            self._loss_now = float(metrics[done - 1, kernels.TRAIN_LOSS])
            lowest = (  # NaN rows (not evaluated) are skipped; one epoch: no reduction
                self._loss_now
                if done == 1
                else float(np.fmin.reduce(metrics[:done, kernels.TRAIN_LOSS]))
            )
            if lowest < self.best_loss:
                self.best_loss = lowest
        if status != kernels.OK:
            quantity = "loss" if status == kernels.DIVERGED_LOSS else "parameters"
            failed_epoch = self.epoch + 1
            self._roll_back_to_good(X, Y)
            self.divergence = Divergence(failed_epoch, bad_layer + 1, quantity, self.epoch)
        return TrainResult(done, self.divergence)

    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
        """(mean loss, accuracy) of the current model on a data set (no dropout)."""
        X = self.model.check_inputs(X)
        Y = check_targets(self.model, Y)
        no_test = np.zeros((0, X.shape[1])), np.zeros((0, Y.shape[1]))
        _, _, _, metrics, _, _ = self._run_kernel(kernels.EVALUATE, X, Y, *no_test, 1, 1)
        return float(metrics[0, kernels.TRAIN_LOSS]), float(metrics[0, kernels.TRAIN_ACCURACY])

    def _run_kernel(self, mode, X, Y, X_test, Y_test, epochs, batch_size):
        """One call of the compiled ``train_epochs`` (see engine.kernels for the modes)."""
        options = np.zeros(kernels.N_OPTIONS, dtype=np.int64)
        options[kernels.LOSS_CODE] = self._loss_code
        options[kernels.OPTIMIZER_CODE] = self._optimizer_code
        options[kernels.BATCH_SIZE] = batch_size
        options[kernels.SHUFFLE] = self.shuffle and mode == kernels.TRAIN
        options[kernels.EVALUATE_EVERY] = self.evaluate_every
        options[kernels.MODE] = mode
        metrics = np.full((max(epochs, 1), kernels.N_METRICS), np.nan)
        grad_norms = np.zeros((max(epochs, 1), len(self.model.net)))
        params = self.model.params
        backup = (np.empty_like(params), np.empty_like(params), np.empty_like(params))
        gradients = Model(self.model.architecture, np.zeros_like(params))
        order = self._order if mode == kernels.TRAIN else np.arange(X.shape[0], dtype=np.int64)
        done, status, bad_layer = kernels.train_epochs(
            self.model.kernel_arrays,
            (
                gradients.params,
                gradients.padded_weights,
                gradients.padded_biases,
                self.first_moment,
                self.second_moment,
                self.step_counter,
            ),
            (X, Y, X_test, Y_test, order, np.arange(max(X.shape[0], X_test.shape[0]))),
            self.model.workspace(max(batch_size, EVALUATION_CHUNK_ROWS)),
            self._settings_vector(),
            options,
            self.rng_state,
            epochs,
            metrics,
            grad_norms,
            backup,
        )
        return done, status, bad_layer, metrics, grad_norms, gradients


def loss_and_gradients(
    model: Model, X: np.ndarray, Y: np.ndarray, loss: str
) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """Mean loss over the rows of X and its gradient, without regularisation or dropout.

    Args:
        model: the network.
        X: (n, n_inputs) inputs.
        Y: (n, n_outputs) targets (see :func:`engine.targets_for_output`).
        loss: a key of ``engine.LOSSES``.

    Returns:
        ``(loss, grad_weights, grad_biases)`` with gradients shaped like
        ``model.weights`` / ``model.biases``.
    """
    trainer = Trainer(model, loss, shuffle=False)
    X = model.check_inputs(X)
    Y = check_targets(model, Y)
    if X.shape[0] != Y.shape[0] or X.shape[0] == 0:
        raise ValueError("X and Y need the same, non-zero number of rows.")
    no_test = np.zeros((0, X.shape[1])), np.zeros((0, Y.shape[1]))
    mode, rows = kernels.GRADIENTS, X.shape[0]
    _, _, _, metrics, _, gradients = trainer._run_kernel(mode, X, Y, *no_test, 1, rows)
    value = float(metrics[0, kernels.BATCH_LOSS])
    return value, list(gradients.weights), list(gradients.biases)


def _positive(value: float, name: str, upper: float) -> float:
    value = float(value)
    if not (math.isfinite(value) and 0.0 < value <= upper):
        raise ValueError(f"{name} must be a number in (0, {upper:g}]; got {value!r}.")
    return value


def _non_negative(value: float, name: str) -> float:
    value = float(value)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{name} must be a finite number ≥ 0; got {value!r}.")
    return value
