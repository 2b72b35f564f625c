"""Compile (or load from Numba's on-disk cache) every kernel the app uses, once."""

from __future__ import annotations

import numpy as np

from .model import Model
from .trainer import Trainer, loss_and_gradients


def warm_up() -> None:
    """Exercise every compiled path on a tiny problem (a few ms once cached)."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (12, 2))
    labels = (X[:, 0] > 0).astype(np.int64)
    for output, loss, Y in (
        ("tanh", "mse", np.where(labels == 1, 1.0, -1.0)[:, None]),
        ("softmax", "cross_entropy", np.eye(2)[labels]),
    ):
        model = Model.create([2, 3, Y.shape[1]], activation="relu", output=output)
        trainer = Trainer(model, loss, optimizer="adam", batch_size=4, dropout=0.1)
        trainer.train(X, Y, 2, X_test=X, Y_test=Y)
        trainer.evaluate(X, Y)
        loss_and_gradients(model, X, Y, loss)
        model.activations(X)
