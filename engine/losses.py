"""Losses, target encoding and full-batch gradients.

All losses are means over rows (TensorFlow Playground averages over points) and sum over
output units; regularisation is never part of the reported loss.
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .model import Model
from .registry import lookup

LOSSES: dict[str, int] = {
    "mse": kernels.MSE,
    "mae": kernels.MAE,
    "bce": kernels.BCE,
    "cross_entropy": kernels.CROSS_ENTROPY,
}

# Outputs each loss is defined for: bce needs probabilities from a sigmoid, cross-entropy
# a softmax distribution (their fused gradient ŷ - y relies on it).
LOSS_OUTPUTS: dict[str, tuple[str, ...]] = {
    "mse": ("tanh", "sigmoid", "softmax", "linear"),
    "mae": ("tanh", "sigmoid", "softmax", "linear"),
    "bce": ("sigmoid",),
    "cross_entropy": ("softmax",),
}

# Decision threshold on a single output unit: the midpoint of its two class targets.
CLASS_THRESHOLDS: dict[str, float] = {"tanh": 0.0, "linear": 0.0, "sigmoid": 0.5}


def loss_code(loss: str, output: str) -> int:
    """Integer code of ``loss``; ``ValueError`` for an unknown name or an output it can't use."""
    code = lookup(LOSSES, loss, "loss")
    if output not in LOSS_OUTPUTS[loss]:
        raise ValueError(
            f"The {loss!r} loss needs a {' or '.join(LOSS_OUTPUTS[loss])} output, not {output!r}."
        )
    return code


def targets_for_output(labels: np.ndarray, output: str, n_classes: int) -> np.ndarray:
    """Turn class ids 0..k-1 into the targets an output unit is trained towards.

    ±1 for tanh or linear (TensorFlow Playground), 0/1 for sigmoid, one-hot for softmax.

    Args:
        labels: (n,) integer class ids.
        output: the model's output activation.
        n_classes: k ≥ 2.

    Returns:
        (n, 1) for a single-unit output, (n, k) one-hot for softmax.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must be a 1-D array of integer class ids.")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}.")
    if output == "softmax":
        return np.eye(n_classes)[labels]
    if n_classes != 2:
        raise ValueError(
            f"{n_classes} classes need a softmax output; {output!r} has a single unit."
        )
    if output == "sigmoid":
        return labels.astype(np.float64)[:, None]
    if output in ("tanh", "linear"):
        return np.where(labels == 1, 1.0, -1.0)[:, None]
    raise ValueError(
        f"Unknown output {output!r}; valid choices are: tanh, sigmoid, softmax, linear."
    )


def check_targets(model: Model, Y: np.ndarray) -> np.ndarray:
    """Y as C-contiguous float64 (n, n_outputs); ``ValueError`` with a plain sentence if not."""
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim == 1:
        Y = Y[:, None]
    n_out = model.layer_sizes[-1]
    if Y.ndim != 2 or Y.shape[1] != n_out:
        raise ValueError(f"Y must have shape (n, {n_out}) for this model; got {Y.shape}.")
    if not np.all(np.isfinite(Y)):
        raise ValueError("Y contains NaN or infinite values.")
    return np.ascontiguousarray(Y)
