"""Evaluate a network over a square grid: what the decision map and neuron maps show."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import checks
from .datasets import DOMAIN
from .features import build_features, check_features
from .model import Model

MAX_RESOLUTION = 400


def grid_points(resolution: int = 100, extent: float = DOMAIN) -> np.ndarray:
    """Cell centres of a resolution × resolution grid over [-extent, extent]².

    ``resolution`` is 2 … ``MAX_RESOLUTION``; ``extent`` is > 0 and at most
    ``checks.MAX_ABS_POINT`` (a negative one would turn the picture upside down).

    Returns (resolution², 2) points, row-major with row 0 at the *top* (y = +extent), so
    that a reshape to (resolution, resolution) is an image the right way up.
    """
    resolution = checks.whole_number(resolution, "resolution", 2, MAX_RESOLUTION)
    extent = checks.real_number(extent, "extent", 0.0, checks.MAX_ABS_POINT, low_open=True)
    step = 2 * extent / resolution
    centres = -extent + step * (np.arange(resolution) + 0.5)
    x, y = np.meshgrid(centres, centres[::-1])
    return np.column_stack([x.ravel(), y.ravel()])


def decision_grid(
    model: Model, features: Sequence[str], resolution: int = 100, extent: float = DOMAIN
) -> list[np.ndarray]:
    """Every neuron's output over the grid, in one kernel call.

    ``features`` must give the model's inputs; the model's parameters must be finite.

    Returns:
        one (units, resolution, resolution) array per layer: the input features first,
        the network output last; image row 0 is the top of the plane.
    """
    checks.instance(model, Model, "model")
    resolution = checks.whole_number(resolution, "resolution", 2, MAX_RESOLUTION)
    chosen = check_features(features, "features")
    if len(chosen) != model.layer_sizes[0]:
        raise ValueError(
            f"features must be as many as the model's inputs ({model.layer_sizes[0]}); "
            f"got {len(chosen)}: {', '.join(chosen)}."
        )
    inputs = build_features(grid_points(resolution, extent), chosen)
    out = model.neuron_outputs(inputs)
    bounds = np.cumsum((0, *model.layer_sizes))
    return [out[a:b].reshape(-1, resolution, resolution) for a, b in zip(bounds, bounds[1:])]
