"""Evaluate a network over a square grid: what the decision map and neuron maps show."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .datasets import DOMAIN
from .features import build_features
from .model import Model

MAX_RESOLUTION = 400


def grid_points(resolution: int = 100, extent: float = DOMAIN) -> np.ndarray:
    """Cell centres of a resolution × resolution grid over [-extent, extent]².

    Returns (resolution², 2) points, row-major with row 0 at the *top* (y = +extent), so
    that a reshape to (resolution, resolution) is an image the right way up.
    """
    if isinstance(resolution, bool) or int(resolution) != resolution:
        raise ValueError(f"resolution must be a whole number; got {resolution!r}.")
    if not 2 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be from 2 to {MAX_RESOLUTION}; got {resolution}.")
    step = 2 * extent / resolution
    centres = -extent + step * (np.arange(resolution) + 0.5)
    x, y = np.meshgrid(centres, centres[::-1])
    return np.column_stack([x.ravel(), y.ravel()])


def decision_grid(
    model: Model, features: Sequence[str], resolution: int = 100, extent: float = DOMAIN
) -> list[np.ndarray]:
    """Every neuron's output over the grid, in one kernel call.

    Returns:
        one (units, resolution, resolution) array per layer: the input features first,
        the network output last; image row 0 is the top of the plane.
    """
    inputs = build_features(grid_points(resolution, extent), features)
    out = model.neuron_outputs(inputs)
    bounds = np.cumsum((0, *model.layer_sizes))
    return [out[a:b].reshape(-1, resolution, resolution) for a, b in zip(bounds, bounds[1:])]
