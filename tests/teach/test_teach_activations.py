"""The Activations page's curves (engine.activation_values) equal the closed forms, and what
the page says about ranges, saturation and centring matches those curves."""

from __future__ import annotations

import math

import numpy as np
import pytest

import engine
from engine.activations import ELU_ALPHA, LEAKY_SLOPE
from teach import activations
from teach.activations import ACTIVATION_FACTS


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# g(z) and g'(z) written straight from the textbook formulas (CONCEPTS.md §2).
CLOSED_FORMS = {
    "linear": (lambda z: z, lambda z: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "leaky_relu": (
        lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
        lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE),
    ),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1.0 - sigmoid(z))),
    "elu": (
        lambda z: np.where(z > 0, z, ELU_ALPHA * np.expm1(z)),
        lambda z: np.where(z > 0, 1.0, ELU_ALPHA * np.exp(z)),
    ),
    "softplus": (lambda z: np.logaddexp(0.0, z), sigmoid),
}

Z = np.concatenate([np.linspace(-20, 20, 4001), [-1e-9, 1e-9, 0.5, -0.5]])
Z = Z[Z != 0.0]  # ReLU-like derivatives are conventions at exactly 0


def test_every_engine_activation_has_a_closed_form_and_facts():
    assert set(CLOSED_FORMS) == set(engine.HIDDEN_ACTIVATIONS)
    assert list(ACTIVATION_FACTS) == list(engine.HIDDEN_ACTIVATIONS)


@pytest.mark.parametrize("name", list(engine.HIDDEN_ACTIVATIONS))
def test_activation_values_equal_the_closed_forms(name):
    values, slopes = engine.activation_values(name, Z)
    value_of, slope_of = CLOSED_FORMS[name]
    np.testing.assert_allclose(values, value_of(Z), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(slopes, slope_of(Z), rtol=1e-9, atol=1e-12)


def test_activation_values_keep_the_input_shape():
    z = np.linspace(-3, 3, 12).reshape(3, 4)
    values, slopes = engine.activation_values("tanh", z)
    assert values.shape == slopes.shape == (3, 4)


# Where |g'(z)| = 0.01 exactly, solved by hand.
SATURATION_EDGES = {
    "linear": [],
    "relu": [(-6.0, 0.0)],
    "leaky_relu": [],  # its slope is 0.01 on the left: not below 0.01
    "tanh": [(-6.0, -math.atanh(math.sqrt(0.99))), (math.atanh(math.sqrt(0.99)), 6.0)],
    "sigmoid": [
        (-6.0, -math.log((1 + math.sqrt(0.96)) / (1 - math.sqrt(0.96)))),
        (math.log((1 + math.sqrt(0.96)) / (1 - math.sqrt(0.96))), 6.0),
    ],
    "elu": [(-6.0, math.log(0.01))],
    "softplus": [(-6.0, math.log(0.01 / 0.99))],
}


@pytest.mark.parametrize("name", list(engine.HIDDEN_ACTIVATIONS))
def test_saturation_intervals_match_the_closed_forms(name):
    found = activations.saturation_intervals(name)
    expected = SATURATION_EDGES[name]
    assert len(found) == len(expected)
    for (start, end), (true_start, true_end) in zip(found, expected):
        assert start == pytest.approx(true_start, abs=1e-3)
        assert end == pytest.approx(true_end, abs=1e-3)


def test_saturation_descriptions():
    assert activations.describe_saturation("tanh") == "z < −2.99 and z > 2.99"
    assert activations.describe_saturation("relu") == "z < 0"
    assert activations.describe_saturation("linear") == "nowhere on [−6, 6]"
    assert activations.describe_saturation("elu") == "z < −4.61"


@pytest.mark.parametrize("name", list(engine.HIDDEN_ACTIVATIONS))
def test_zero_centred_claims_match_the_curves(name):
    _, values, _ = activations.curve(name)
    claim = ACTIVATION_FACTS[name].zero_centred
    if claim == "yes":  # an odd function: symmetric around 0
        np.testing.assert_allclose(values, -values[::-1], atol=1e-12)
    elif claim == "nearly":  # negative outputs exist, but it is not symmetric
        assert values.min() < 0
        assert not np.allclose(values, -values[::-1])
    else:
        assert claim == "no"
        assert values.min() >= 0


def test_value_ranges_on_the_plot():
    low, high = activations.value_range("sigmoid")
    assert low == pytest.approx(sigmoid(-6.0)) and high == pytest.approx(sigmoid(6.0))
    assert activations.describe_range("tanh") == "−1.000 to 1.000"


def test_unknown_activation_gives_a_plain_error():
    with pytest.raises(ValueError, match="valid choices"):
        activations.curve("swish")
