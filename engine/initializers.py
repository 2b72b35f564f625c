"""Weight initialisation schemes.

Each initialiser fills one layer: ``(rng, fan_in, fan_out) -> (weights, biases)`` with
weights shaped (fan_in, fan_out) and biases (fan_out,).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Initializer = Callable[[np.random.Generator, int, int], tuple[np.ndarray, np.ndarray]]

PLAYGROUND_BIAS = 0.1  # TensorFlow Playground starts every bias at 0.1


def playground(rng: np.random.Generator, fan_in: int, fan_out: int):
    """TensorFlow Playground: w ~ U(-0.5, 0.5), b = 0.1 (ignores fan-in)."""
    weights = rng.uniform(-0.5, 0.5, size=(fan_in, fan_out))
    return weights, np.full(fan_out, PLAYGROUND_BIAS)


def zeros(rng: np.random.Generator, fan_in: int, fan_out: int):
    """Every weight 0, every bias 0.1 (TensorFlow Playground's "init zero").

    All units of a layer then compute the same value and get the same gradient forever:
    the symmetry demonstration.  The 0.1 biases keep the network from being stuck at 0.
    """
    return np.zeros((fan_in, fan_out)), np.full(fan_out, PLAYGROUND_BIAS)


def normal(rng: np.random.Generator, fan_in: int, fan_out: int):
    """w ~ N(0, 1), b = 0: plain normal init, too large for deep saturating nets."""
    return rng.normal(0.0, 1.0, size=(fan_in, fan_out)), np.zeros(fan_out)


def xavier_uniform(rng: np.random.Generator, fan_in: int, fan_out: int):
    """Glorot: w ~ U[-√(6/(a+b)), √(6/(a+b))], b = 0.

    .. math:: \\mathrm{Var}(w) = 2 / (a + b)
    """
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)), np.zeros(fan_out)


def xavier_normal(rng: np.random.Generator, fan_in: int, fan_out: int):
    """Glorot normal: w ~ N(0, 2/(a+b)), b = 0."""
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return rng.normal(0.0, std, size=(fan_in, fan_out)), np.zeros(fan_out)


def he_normal(rng: np.random.Generator, fan_in: int, fan_out: int):
    """He: w ~ N(0, 2/a), b = 0 — keeps ReLU activations' variance across layers."""
    std = np.sqrt(2.0 / fan_in)
    return rng.normal(0.0, std, size=(fan_in, fan_out)), np.zeros(fan_out)


INITIALIZERS: dict[str, Initializer] = {
    "playground": playground,
    "zeros": zeros,
    "normal": normal,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_normal": he_normal,
}
