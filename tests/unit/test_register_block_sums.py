"""The backward pass's register-block sums give exactly the bits of the plain loops they
replaced (session 11, docs/benchmarks.md): the output layer's weight gradient and δ
(``narrow_layer_backward``) and the hidden layers' bias gradients (``weight_gradients``).

The engine's side is compiled (a small ``njit`` harness calls its kernels); the plain loops run
as Python, whose float arithmetic is the same IEEE double the compiled loops did (no fast-math,
no fused multiply-add), so they need no compile of their own. Random layers with non-zero
padding activations (sigmoid's 0.5), compared with ``np.array_equal``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from engine import kernels


def plain_narrow(weights, acts, deltas, grad_weights, layer, rows, fan_in, width):
    """The loops ``narrow_layer_backward`` replaced, as they were."""
    for i in range(fan_in):
        for j in range(width):
            total = 0.0
            for s in range(rows):
                total += acts[layer, s, i] * deltas[layer + 1, s, j]
            grad_weights[layer, i, j] = total
    if layer == 0:
        return
    for s in range(rows):
        for i in range(fan_in):
            total = 0.0
            for j in range(width):
                total += weights[layer, i, j] * deltas[layer + 1, s, j]
            deltas[layer, s, i] = total


def plain_biases(deltas, grad_biases, layer, rows, width):
    for j in range(width):
        total = 0.0
        for s in range(rows):
            total += deltas[layer + 1, s, j]
        grad_biases[layer, j] = total


@njit(cache=True)
def engine_narrow(weights, acts, deltas, grad_weights, transposed, layer, rows, fan_in, width):
    kernels.narrow_layer_backward(
        weights, acts, deltas, grad_weights, transposed, layer, rows, fan_in, width
    )


@njit(cache=True)
def engine_wide(acts, deltas, grad_weights, grad_biases, layer, rows, fan_in, width):
    kernels.weight_gradients(acts, deltas, grad_weights, grad_biases, layer, rows, fan_in, width)


def test_register_block_sums_equal_the_plain_loops_bit_for_bit():
    rng = np.random.default_rng(11)
    for trial in range(40):
        lanes = (8, 16)[trial % 2]
        layer = int(rng.integers(0, 3))
        fan_in = int(rng.integers(1, lanes + 1))
        width = int(rng.integers(1, 8))
        rows = int(rng.integers(1, 13))
        weights = np.zeros((3, lanes, lanes))
        weights[layer, :fan_in, :width] = rng.normal(size=(fan_in, width))
        weights[layer, :fan_in, width:] = rng.normal(size=(fan_in, lanes - width))  # hidden case
        acts = np.full((4, rows, lanes), 0.5)  # padding lanes as sigmoid leaves them
        acts[layer, :, :fan_in] = rng.normal(size=(rows, fan_in)) * 10.0 ** rng.integers(-3, 4)
        deltas = np.zeros((4, rows, lanes))
        deltas[layer + 1] = rng.normal(size=(rows, lanes)) * 10.0 ** rng.integers(-6, 2)
        expected_deltas, got_deltas = deltas.copy(), deltas.copy()
        expected_w, got_w = np.zeros((3, lanes, lanes)), np.zeros((3, lanes, lanes))
        narrow_weights = weights.copy()
        narrow_weights[layer, :, width:] = 0.0  # a narrow layer's padding columns
        plain_narrow(narrow_weights, acts, expected_deltas, expected_w, layer, rows, fan_in, width)
        scratch = np.full((lanes, lanes), np.nan)
        engine_narrow(narrow_weights, acts, got_deltas, got_w, scratch, layer, rows, fan_in, width)
        assert np.array_equal(got_w, expected_w), trial
        assert np.array_equal(got_deltas, expected_deltas), trial

        expected_b, got_b = np.zeros((3, lanes)), np.zeros((3, lanes))
        plain_biases(deltas, expected_b, layer, rows, lanes)
        engine_wide(acts, deltas, np.zeros((3, lanes, lanes)), got_b, layer, rows, fan_in, lanes)
        assert np.array_equal(got_b, expected_b), trial
