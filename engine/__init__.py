"""NeuroPlay's training engine: data sets, dense networks and Numba-compiled training.

Imports numpy and numba only, so it works from a notebook::

    import engine
    data = engine.make_dataset("spiral", noise=0.1, seed=1)
    train, test = engine.train_test_split(data, 0.5, seed=1)
    X = engine.build_features(train.X, ["x1", "x2", "sin_x1", "sin_x2"])
    model = engine.Model.create([X.shape[1], 8, 8, 1], activation="tanh", output="tanh")
    Y = engine.targets_for_output(train.y, "tanh", n_classes=2)
    trainer = engine.Trainer(model, "mse", optimizer="adam", learning_rate=0.01)
    trainer.train(X, Y, epochs=200)
    trainer.history.last("train_loss")
    trainer.config = trainer.config.replace(learning_rate=0.003)  # keeps weights, Adam's moments
    trainer.train(X, Y, epochs=200)

``NUMBA_DISABLE_JIT=1`` in the environment runs the kernels as plain Python, to step
through them in a debugger (about 1,500 times slower, same results).
"""

from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, activation_values
from .config import TrainConfig
from .datasets import DATASETS, DOMAIN, Dataset, make_dataset, train_test_split
from .features import DEFAULT_FEATURES, FEATURES, build_features, check_features
from .grid import decision_grid, grid_points
from .initializers import INITIALIZERS
from .losses import LOSS_OUTPUTS, LOSSES, targets_for_output
from .model import MAX_HIDDEN_LAYERS, MAX_UNITS_PER_LAYER, Model
from .optimizers import OPTIMIZERS, OptimizerSettings
from .schedules import SCHEDULES
from .snapshots import Snapshot, SnapshotRecorder
from .trainer import (
    GOOD_LOSS_FACTOR,
    Divergence,
    Trainer,
    TrainingHistory,
    TrainResult,
    loss_and_gradients,
)
from .warmup import warm_up

__all__ = [
    "DATASETS",
    "DEFAULT_FEATURES",
    "DOMAIN",
    "FEATURES",
    "GOOD_LOSS_FACTOR",
    "HIDDEN_ACTIVATIONS",
    "INITIALIZERS",
    "LOSSES",
    "LOSS_OUTPUTS",
    "MAX_HIDDEN_LAYERS",
    "MAX_UNITS_PER_LAYER",
    "OPTIMIZERS",
    "OUTPUT_ACTIVATIONS",
    "SCHEDULES",
    "Dataset",
    "Divergence",
    "Model",
    "OptimizerSettings",
    "Snapshot",
    "SnapshotRecorder",
    "TrainConfig",
    "TrainResult",
    "Trainer",
    "TrainingHistory",
    "activation_values",
    "build_features",
    "check_features",
    "decision_grid",
    "grid_points",
    "loss_and_gradients",
    "make_dataset",
    "targets_for_output",
    "train_test_split",
    "warm_up",
]
