"""Input features computed from a point (x1, x2), in TensorFlow Playground's order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import checks


@dataclass(frozen=True)
class Feature:
    label: str  # how the UI writes it
    compute: Callable[[np.ndarray, np.ndarray], np.ndarray]


FEATURES: dict[str, Feature] = {
    "x1": Feature("X₁", lambda x1, x2: x1),
    "x2": Feature("X₂", lambda x1, x2: x2),
    "x1_sq": Feature("X₁²", lambda x1, x2: x1 * x1),
    "x2_sq": Feature("X₂²", lambda x1, x2: x2 * x2),
    "x1_x2": Feature("X₁X₂", lambda x1, x2: x1 * x2),
    "sin_x1": Feature("sin(X₁)", lambda x1, x2: np.sin(x1)),
    "sin_x2": Feature("sin(X₂)", lambda x1, x2: np.sin(x2)),
}
DEFAULT_FEATURES = ("x1", "x2")


def check_features(features: Sequence[str], argument: str = "features") -> tuple[str, ...]:
    """Validated feature names in registry order, without duplicates.

    ``argument`` is how the caller's parameter is called, for the error message.
    """
    if isinstance(features, str):
        features = (features,)
    if not checks.is_list(features):
        raise TypeError(
            f"{argument} must be a list of feature names (from {', '.join(FEATURES)}); "
            f"got {checks.shown(features)} ({type(features).__name__})."
        )
    for name in features:
        checks.check_choice(name, FEATURES, "feature", argument)
    chosen = tuple(name for name in FEATURES if name in features)
    if not chosen:
        raise ValueError(
            f"Choose at least one input feature; {argument} is empty "
            f"(valid choices are: {', '.join(FEATURES)})."
        )
    return chosen


def build_features(X: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """The network's input matrix for points X.

    Args:
        X: (n, 2) points, each coordinate within ±``checks.MAX_ABS_POINT``.
        names: feature keys (any order; the result follows ``FEATURES`` order).

    Returns:
        (n, k) float64, one column per chosen feature.
    """
    X = checks.points(X, "X")
    chosen = check_features(names, "names")
    x1, x2 = X[:, 0], X[:, 1]
    return np.ascontiguousarray(
        np.column_stack([FEATURES[name].compute(x1, x2) for name in chosen])
    )
