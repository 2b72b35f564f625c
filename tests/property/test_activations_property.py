"""Activation values and derivatives: fast_tanh vs numpy, closed forms, finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine
from engine.activations import ELU_ALPHA, LEAKY_SLOPE

MAX_ULP = 4


def ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many representable float64 values lie between a and b (+0 and -0 count as equal)."""
    ia = np.asarray(a, dtype=np.float64).view(np.int64)
    ib = np.asarray(b, dtype=np.float64).view(np.int64)
    # Map the sign-magnitude bit patterns onto one monotonic integer line.
    lowest = np.iinfo(np.int64).min
    ia = np.where(ia < 0, lowest - ia, ia)
    ib = np.where(ib < 0, lowest - ib, ib)
    return np.abs(ia.astype(object) - ib.astype(object)).astype(np.float64)


def test_ulp_distance_helper():
    # The helper itself: neighbours are 1 apart, ±0 coincide, sign changes count through 0.
    assert ulp_distance(1.0, np.nextafter(1.0, 2.0)) == 1
    assert ulp_distance(0.0, -0.0) == 0
    assert ulp_distance(5e-324, -5e-324) == 2
    assert ulp_distance(1.0, 1.0 + 8 * np.finfo(float).eps) == 8


# Finite float64 values of every magnitude (subnormals, ±0, up to 1.8e308), plus ±inf.
wide_floats = st.floats(allow_nan=False, allow_infinity=True, allow_subnormal=True, width=64)


@settings(max_examples=300, deadline=None)
@given(z=hnp.arrays(np.float64, st.integers(1, 64), elements=wide_floats))
def test_fast_tanh_is_within_4_ulp_of_numpy(z):
    values, _ = engine.activation_values("tanh", z)
    expected = np.tanh(z)
    distance = ulp_distance(values, expected)
    assert np.all(distance <= MAX_ULP), (z[distance > MAX_ULP], values[distance > MAX_ULP])
    # Odd function, sign preserved even for ±0 and the smallest subnormals.
    assert np.array_equal(np.signbit(values), np.signbit(expected))


@settings(max_examples=200, deadline=None)
@given(z=hnp.arrays(np.float64, 256, elements=st.floats(-25.0, 25.0)))
def test_fast_tanh_is_within_4_ulp_in_its_working_range(z):
    # The range that matters for training (saturation at ±19.5), densely.
    values, _ = engine.activation_values("tanh", z)
    assert np.max(ulp_distance(values, np.tanh(z))) <= MAX_ULP


def test_fast_tanh_on_a_dense_sweep():
    # Deterministic companion to the property: every scale from 1e-300 to 1e3.
    magnitudes = np.concatenate([np.geomspace(1e-300, 1e3, 20_000), np.linspace(0, 20, 20_001)])
    z = np.concatenate([magnitudes, -magnitudes])
    values, _ = engine.activation_values("tanh", z)
    assert np.max(ulp_distance(values, np.tanh(z))) <= MAX_ULP
    assert np.all(np.abs(values) <= 1.0)


@pytest.mark.parametrize("name", list(engine.HIDDEN_ACTIVATIONS))
def test_nan_stays_nan(name):
    # A NaN pre-activation must reach the loss, or divergence would go unnoticed.
    values, derivatives = engine.activation_values(name, np.array([np.nan, -np.nan, 1.0]))
    assert np.isnan(values[:2]).all()
    assert np.isfinite(values[2])
    if name in ("tanh", "sigmoid"):
        # Their derivative is computed from the output, so it is NaN too.
        assert np.isnan(derivatives[:2]).all()


def test_tanh_saturates_exactly():
    values, derivatives = engine.activation_values("tanh", np.array([19.6, -19.6, 1e308, -np.inf]))
    assert values.tolist() == [1.0, -1.0, 1.0, -1.0]
    assert derivatives.tolist() == [0.0, 0.0, 0.0, 0.0]


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


# name → (g(z), g'(z)) as closed forms in plain numpy.
CLOSED_FORMS = {
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "leaky_relu": (
        lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
        lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE),
    ),
    "tanh": (np.tanh, lambda z: 1.0 / np.cosh(z) ** 2),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * sigmoid(-z)),
    "elu": (
        lambda z: np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0))),
        lambda z: np.where(z > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(z, 0.0))),
    ),
    "softplus": (lambda z: np.logaddexp(0.0, z), lambda z: sigmoid(z)),
}


def test_closed_forms_cover_every_activation():
    assert set(CLOSED_FORMS) == set(engine.HIDDEN_ACTIVATIONS)


@pytest.mark.parametrize("name", list(engine.HIDDEN_ACTIVATIONS))
@settings(max_examples=40, deadline=None)
@given(z=hnp.arrays(np.float64, st.integers(1, 32), elements=st.floats(-30.0, 30.0)))
def test_activation_values_match_closed_forms(name, z):
    values, derivatives = engine.activation_values(name, z)
    value_of, derivative_of = CLOSED_FORMS[name]
    np.testing.assert_allclose(values, value_of(z), rtol=1e-13, atol=1e-15)
    # Derivatives are computed from the output a = g(z), so near saturation (a ≈ ±1, 0, 1)
    # they lose relative accuracy: an absolute 1e-12 allowance covers that.
    np.testing.assert_allclose(derivatives, derivative_of(z), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", list(engine.HIDDEN_ACTIVATIONS))
@settings(max_examples=40, deadline=None)
@given(z=hnp.arrays(np.float64, st.integers(1, 32), elements=st.floats(-8.0, 8.0)))
def test_activation_derivatives_match_finite_differences(name, z):
    # Away from the kinks at 0 (relu, leaky_relu; elu's second derivative) the difference
    # quotient of the engine's own values must equal its reported derivative.
    step = 1e-6
    z = z[np.abs(z) > 1e-3]
    if z.size == 0:
        return
    values, derivatives = engine.activation_values(name, z)
    plus, _ = engine.activation_values(name, z + step)
    minus, _ = engine.activation_values(name, z - step)
    numeric = (plus - minus) / (2 * step)
    # Rounding error of the quotient: ~ulp(g)/h ≈ 1e-16·8/1e-6 ≈ 1e-9; truncation ~h² ≈ 1e-12.
    np.testing.assert_allclose(derivatives, numeric, rtol=1e-6, atol=1e-8)
    assert values.shape == z.shape


@pytest.mark.parametrize("name", list(engine.HIDDEN_ACTIVATIONS))
def test_activation_values_keep_the_input_shape(name):
    z = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    values, derivatives = engine.activation_values(name, z)
    assert values.shape == derivatives.shape == (2, 3, 4)
    flat_values, _ = engine.activation_values(name, z.ravel())
    assert np.array_equal(values.ravel(), flat_values)


def test_unknown_activation_lists_the_valid_names():
    with pytest.raises(ValueError, match="valid choices are: linear, relu, leaky_relu"):
        engine.activation_values("swish", np.zeros(3))
