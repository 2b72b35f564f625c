"""Compile (or load from Numba's on-disk cache) every kernel the app uses, once.

A cold start compiles everything (seconds); later starts load Numba's cache (well under a
second).  On a cold start with more than one core the work is split between two
processes: a helper compiles the forward pass and the grid kernel while this process
compiles the backward pass, the optimiser step and the output layer's loss and δ; both
write Numba's on-disk cache.  When this process then compiles the training kernel, which
calls all of them, Numba loads from the cache whatever is already there instead of
compiling it again.  If the helper is slower, or cannot start, this process compiles
the rest itself: the helper only ever saves time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numba
import numpy as np

from . import checks, kernels
from .activations import activation_curve, activation_values
from .model import Model
from .trainer import EVALUATION_CHUNK_ROWS, Trainer, kernel_settings, loss_and_gradients


def warm_up(parallel: bool = True) -> None:
    """Exercise every compiled path on a tiny problem (a few ms once cached)."""
    parallel = checks.flag(parallel, "parallel")
    activation_values("tanh", np.zeros(1))  # the smallest kernel: tells us if the cache is cold
    helper = None
    if parallel and _cache_was_cold() and (os.cpu_count() or 1) > 1:
        helper = _start_helper()
        if helper is not None:
            compile_backward_half()
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
    code = (
        f"import sys; sys.path.insert(0, {root!r}); "
        "import engine.warmup as w; w.compile_forward_half()"
    )
    try:
        return subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


class _Sample:
    """Arrays shaped and typed exactly like those the training kernel passes on."""

    def __init__(self):
        self.model = Model.create([2, 3, 1], activation="relu", output="tanh")
        self.grads = Model(self.model.architecture, np.zeros_like(self.model.params))
        self.work = self.model.workspace(EVALUATION_CHUNK_ROWS)
        self.targets, self.order = np.zeros((4, 1)), np.arange(4)
        self.settings = kernel_settings(Trainer(self.model, "mse"), kernels.TRAIN, 4)
        self.whole, self.real = np.int64(0), 0.0


def compile_forward_half() -> None:
    """The helper process's share: the forward pass, then the grid kernel."""
    x = _Sample()
    m, work = x.model, x.work
    rng_state = np.zeros(1, dtype=np.uint64)
    _compile(
        kernels.forward_batch,
        m.padded_weights,
        m.padded_biases,
        m.layout,
        work.acts,
        work.flat_acts,
        x.whole,
        work.logits,
        work.masks,
        x.real,
        rng_state,
        m.norm,
        work.normed,
        work.inv_std,
        x.whole,
    )
    m.activations(np.zeros((4, 2)))  # the grid kernel: an entry point, called directly


def compile_backward_half() -> None:
    """This process's share while the helper works: what training calls after the
    forward pass."""
    x = _Sample()
    m, g, work, whole = x.model, x.grads, x.work, x.whole
    _compile(
        kernels.backward_batch,
        m.padded_weights,
        m.layout,
        work.acts,
        work.deltas,
        whole,
        g.padded_weights,
        g.padded_biases,
        work.masks,
        x.real,
        work.transposed,
        m.norm,
        g.norm,
        work.normed,
        work.inv_std,
    )
    moments = np.zeros_like(m.params), np.zeros_like(m.params)
    _compile(
        kernels.optimizer_step,
        m.params,
        g.params,
        *moments,
        m.decay_mask,
        x.settings,
        whole,
        x.real,
    )
    _compile(
        kernels.batch_loss,
        m.layout,
        work.acts,
        work.logits,
        x.targets,
        x.order,
        whole,
        whole,
        whole,
    )
    _compile(
        kernels.batch_output_delta,
        m.layout,
        work.acts,
        x.targets,
        x.order,
        whole,
        whole,
        whole,
        work.deltas,
    )


def _compile(dispatcher, *arguments) -> None:
    dispatcher.compile(tuple(numba.typeof(argument) for argument in arguments))
