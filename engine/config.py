"""``TrainConfig``: how a ``Trainer`` trains, every hyper-parameter checked in one place."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from . import checks
from .checks import lookup
from .losses import LOSSES
from .optimizers import OPTIMIZERS, OptimizerSettings
from .schedules import SCHEDULES, Schedule, rate_multiplier

MAX_LEARNING_RATE = 1e3
MAX_CLIP_NORM = 1e12
MAX_SCHEDULE_EPOCHS = 10**12  # warm-up and decay lengths: far from int64 overflow in the kernel


@dataclass(frozen=True)
class TrainConfig:
    """The hyper-parameters of a training run, validated when the config is made.

    ``TrainConfig(loss="mse", optimizer="adam", learning_rate=0.01)``; change one with
    ``config.replace(learning_rate=0.003)`` (a new, again validated config).  A bad value
    raises ``ValueError`` (``TypeError`` for a value of the wrong kind) with a sentence
    naming the field, so it never reaches a kernel.  Numbers are stored as ``float`` /
    ``int`` (an integral ``batch_size=500.0`` becomes 500), ``optimizer_settings=None`` as
    the defaults.

    Whether ``loss`` fits the model's output is checked when the config is given to a
    ``Trainer`` (the config does not know the model).
    """

    loss: str  # a key of engine.LOSSES
    optimizer: str = "sgd"  # a key of engine.OPTIMIZERS
    learning_rate: float = 0.03  # in (0, MAX_LEARNING_RATE]
    batch_size: int = 10  # rows per mini-batch; more than the data set is one full batch
    l1: float = 0.0  # L1 regularisation strength, ≥ 0 (weights only)
    l2: float = 0.0  # L2 regularisation strength, ≥ 0 (weights only)
    dropout: float = 0.0  # probability of dropping a hidden unit while training, [0, 1)
    clip_norm: float | None = None  # largest global gradient norm, or None: no clipping
    shuffle: bool = True  # shuffle the training rows before each epoch
    optimizer_settings: OptimizerSettings = field(default_factory=OptimizerSettings)
    evaluate_every: int = 1  # evaluate the full sets every this many epochs (and the last)
    # Decoupled (AdamW-style) weight decay, ≥ 0: w ← w − η·weight_decay·w besides the
    # optimiser's step (weights only). Unlike l2 it never passes through an adaptive
    # optimiser's scaling; with plain SGD the two are the same.
    weight_decay: float = 0.0
    # The learning-rate schedule (engine/schedules.py has the formulas): a key of
    # engine.SCHEDULES, then an optional linear warm-up over ``warmup_epochs`` epochs. The
    # epoch count is the trainer's: it continues across train calls.
    schedule: str = "constant"
    warmup_epochs: int = 0  # ≥ 0; 0: no warm-up
    decay_epochs: int = 100  # ≥ 1: step's epochs a step, exponential's a factor, cosine's length
    decay_rate: float = 0.5  # in (0, 1]: step's and exponential's factor per decay_epochs
    final_fraction: float = 0.0  # in [0, 1]: cosine's multiplier of η once decay_epochs are over

    def __post_init__(self) -> None:
        lookup(LOSSES, self.loss, "loss")
        lookup(OPTIMIZERS, self.optimizer, "optimizer")
        clip_norm = self.clip_norm
        settings = self.optimizer_settings
        checked = {
            "learning_rate": checks.real_number(
                self.learning_rate, "learning_rate", 0.0, MAX_LEARNING_RATE, low_open=True
            ),
            "batch_size": checks.whole_number(self.batch_size, "batch_size", 1),
            "l1": checks.real_number(self.l1, "l1", 0.0),
            "l2": checks.real_number(self.l2, "l2", 0.0),
            "dropout": checks.real_number(self.dropout, "dropout", 0.0, 1.0, high_open=True),
            "clip_norm": None
            if clip_norm is None
            else checks.real_number(clip_norm, "clip_norm", 0.0, MAX_CLIP_NORM, low_open=True),
            "shuffle": checks.flag(self.shuffle, "shuffle"),
            "optimizer_settings": OptimizerSettings()
            if settings is None
            else checks.instance(settings, OptimizerSettings, "optimizer_settings"),
            "evaluate_every": checks.whole_number(self.evaluate_every, "evaluate_every", 1),
            "weight_decay": checks.real_number(self.weight_decay, "weight_decay", 0.0),
            "warmup_epochs": checks.whole_number(
                self.warmup_epochs, "warmup_epochs", 0, MAX_SCHEDULE_EPOCHS
            ),
            "decay_epochs": checks.whole_number(
                self.decay_epochs, "decay_epochs", 1, MAX_SCHEDULE_EPOCHS
            ),
            "decay_rate": checks.real_number(
                self.decay_rate, "decay_rate", 0.0, 1.0, low_open=True
            ),
            "final_fraction": checks.real_number(self.final_fraction, "final_fraction", 0.0, 1.0),
        }
        lookup(SCHEDULES, self.schedule, "schedule")
        for name, value in checked.items():
            object.__setattr__(self, name, value)  # frozen: the checked, normalised value

    @property
    def kernel_schedule(self) -> Schedule:
        """The schedule as the training kernel takes it."""
        return Schedule(
            code=SCHEDULES[self.schedule],
            warmup_epochs=int(self.warmup_epochs),
            decay_epochs=int(self.decay_epochs),
            decay_rate=float(self.decay_rate),
            final_fraction=float(self.final_fraction),
        )

    def rate_at(self, epoch: int) -> float:
        """The learning rate of 0-based ``epoch`` (epochs trained before it): η times the
        schedule's multiplier, exactly as the training kernel computes it."""
        epoch = checks.whole_number(epoch, "epoch", 0, allowed=checks.NON_NEGATIVE_INT64)
        return self.learning_rate * rate_multiplier(self.kernel_schedule, epoch)

    def replace(self, **changes) -> TrainConfig:
        """A copy with ``changes`` applied, validated like a new config."""
        return dataclasses.replace(self, **changes)
