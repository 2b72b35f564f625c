"""Compile (or load from Numba's on-disk cache) every kernel the app uses, once.

A cold start compiles everything (seconds); later starts load Numba's cache (well under a
second).  On a cold start with more than one core, a second process compiles the kernels
that the training kernel calls *last* (the backward pass, the optimiser step, the output
layer's loss and δ, the grid kernel) while this process works through the forward pass:
both write Numba's on-disk cache, and when this process reaches a kernel the other one has
finished, Numba loads it from the cache instead of compiling it again.  If the helper is
slower, or cannot start, this process compiles everything itself: the helper only ever
saves time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numba
import numpy as np

from . import kernels
from .activations import activation_curve, activation_values
from .model import Model
from .trainer import EVALUATION_CHUNK_ROWS, Trainer, loss_and_gradients


def warm_up(parallel: bool = True) -> None:
    """Exercise every compiled path on a tiny problem (a few ms once cached)."""
    activation_values("tanh", np.zeros(1))  # the smallest kernel: tells us if the cache is cold
    helper = None
    if parallel and _cache_was_cold() and (os.cpu_count() or 1) > 1:
        helper = _start_helper()
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
    if helper is not None:
        helper.wait()


def _cache_was_cold() -> bool:
    """True if the activation kernel had to be compiled in this process (no disk cache)."""
    stats = getattr(activation_curve, "stats", None)  # Numba's per-dispatcher counters
    return bool(stats is not None and sum(stats.cache_misses.values()))


def _start_helper() -> subprocess.Popen | None:
    root = str(Path(__file__).resolve().parent.parent)
    code = f"import sys; sys.path.insert(0, {root!r}); import engine.warmup as w; w.compile_tail()"
    try:
        return subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


def compile_tail() -> None:
    """Compile the kernels the training kernel reaches after the forward pass, with the
    exact argument types it calls them with, then the grid kernel (run by the helper
    process of ``warm_up``, in the order the main process will need them)."""
    model = Model.create([2, 3, 1], activation="relu", output="tanh")
    grads = Model(model.architecture, np.zeros_like(model.params))
    acts, deltas, masks, logits, _, transposed, _ = model.workspace(EVALUATION_CHUNK_ROWS)
    targets, order, settings = np.zeros((4, 1)), np.arange(4), np.zeros(kernels.N_SETTINGS)
    whole, real = np.int64(0), 0.0
    _compile(
        kernels.backward_batch,
        model.padded_weights,
        model.net,
        acts,
        deltas,
        whole,
        grads.padded_weights,
        grads.padded_biases,
        masks,
        real,
        transposed,
    )
    _compile(kernels.batch_loss, model.net, acts, logits, targets, order, whole, whole, whole)
    _compile(
        kernels.batch_output_delta, model.net, acts, targets, order, whole, whole, whole, deltas
    )
    _compile(
        kernels.optimizer_step,
        model.params,
        grads.params,
        np.zeros_like(model.params),
        np.zeros_like(model.params),
        model.decay_mask,
        settings,
        whole,
        whole,
    )
    model.activations(np.zeros((4, 2)))  # the grid kernel: an entry point, called directly


def _compile(dispatcher, *arguments) -> None:
    dispatcher.compile(tuple(numba.typeof(argument) for argument in arguments))
