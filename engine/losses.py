"""Losses, target encoding and full-batch gradients.

All losses are means over rows (TensorFlow Playground averages over points) and sum over
output units; regularisation is never part of the reported loss.
"""

from __future__ import annotations

import numpy as np

from . import checks, kernels
from .activations import OUTPUT_ACTIVATIONS
from .checks import check_choice, lookup
from .model import MAX_OUTPUTS, Model

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


# Largest difference allowed between a cross-entropy target row's sum and 1.
ROW_SUM_TOLERANCE = 1e-6


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
        labels: (n,) integer class ids (a list works too).
        output: the model's output activation.
        n_classes: k, 2 … ``MAX_OUTPUTS``.

    Returns:
        (n, 1) for a single-unit output, (n, k) one-hot for softmax.
    """
    check_choice(output, OUTPUT_ACTIVATIONS, "output activation", "output")
    n_classes = checks.whole_number(n_classes, "n_classes", 2, MAX_OUTPUTS)
    labels = checks.class_ids(labels, "labels", n_classes)
    if output == "softmax":
        return np.eye(n_classes)[labels]
    if n_classes != 2:
        raise ValueError(
            f"{n_classes} classes need a softmax output; {output!r} has a single unit "
            "(choose output='softmax' or n_classes=2)."
        )
    if output == "sigmoid":
        return labels.astype(np.float64)[:, None]
    return np.where(labels == 1, 1.0, -1.0)[:, None]  # tanh or linear


def check_targets(model: Model, Y: np.ndarray, loss: str, name: str = "Y") -> np.ndarray:
    """Y as C-contiguous float64 (n, n_outputs) targets that fit ``loss``.

    Any finite values (within ±``checks.MAX_ABS_VALUE``) for mse and mae; values in [0, 1]
    for bce (probabilities); for cross-entropy every row must be a probability
    distribution — one-hot, or soft targets summing to 1 — which its fused gradient
    ŷ − y relies on.  A 1-D Y is one column.  ``ValueError`` with a plain sentence if not.
    """
    n_out = model.layer_sizes[-1]
    if loss == "bce":
        limits = {"low": 0.0, "high": 1.0, "reason": " for the 'bce' loss (probabilities)"}
    elif loss == "cross_entropy":
        limits = {"check": False}  # the rows' check below covers the values
    else:
        limits = {}
    Y = checks.float_array(Y, name, ndim=(1, 2), **limits)
    if Y.ndim == 1:
        Y = Y[:, None]
    if Y.shape[1] != n_out:
        raise ValueError(f"{name} must have shape (n, {n_out}) for this model; got {Y.shape}.")
    if loss == "cross_entropy" and not _distribution_rows(Y):
        checks.check_values(Y, name, 0.0, 1.0, " for the 'cross_entropy' loss (one-hot)")
        errors = np.abs(Y.sum(axis=1) - 1.0)
        row = int(np.argmax(errors))
        raise ValueError(
            f"{name} rows must be one-hot (or probabilities summing to 1) for the "
            f"'cross_entropy' loss; row {row} is {checks.shown(Y[row].tolist())}."
        )
    return Y


def _distribution_rows(Y: np.ndarray) -> bool:
    """True if every row of Y (n, k) lies in [0, 1] and sums to 1 (within tolerance).

    Two compiled min/max passes and a BLAS matrix-vector product for the row sums, ~4 µs
    for 250 rows (NumPy's ``sum(axis=1)`` alone takes 6).
    """
    if Y.size == 0:
        return True
    smallest, largest = checks.value_range(Y.reshape(-1))
    if not (smallest >= 0.0 and largest <= 1.0):  # NaN fails too
        return False
    deviations = Y.dot(np.ones(Y.shape[1])) - 1.0  # row sums − 1, each within [-1, k - 1]
    low, high = checks.value_range(deviations)
    return low >= -ROW_SUM_TOLERANCE and high <= ROW_SUM_TOLERANCE
