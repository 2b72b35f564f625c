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
    """Every weight 0, every bias 0.1 (like TensorFlow Playground's "init zero", whose
    biases are 0 too).

    A saddle point, not a demonstration of symmetry: with every weight 0 a hidden unit's
    gradient is its outgoing weight (0) times the error, so the hidden weights stay 0
    (under 1e-4 after 300 epochs on the circle) and only the output layer and the biases
    learn.  ``constant`` is the symmetry demonstration.
    """
    return np.zeros((fan_in, fan_out)), np.full(fan_out, PLAYGROUND_BIAS)


CONSTANT_WEIGHT = 0.3  # ``constant``'s c: large enough that the twins move visibly


def constant(rng: np.random.Generator, fan_in: int, fan_out: int):
    """Every weight c = 0.3, every bias 0.1: all units of a layer are exact twins.

    Each unit of a layer computes the same value and gets the same gradient, so the units
    move (unlike ``zeros``) but stay identical to each other forever: the layer acts like
    one unit however wide it is (the symmetry that random initialisation breaks).
    """
    return np.full((fan_in, fan_out), CONSTANT_WEIGHT), np.full(fan_out, PLAYGROUND_BIAS)


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
    "constant": constant,
    "normal": normal,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_normal": he_normal,
}
