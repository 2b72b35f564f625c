"""Every choice the Playground offers reaches the page under a human name, never a code name."""

from __future__ import annotations

import pytest

import engine
from playground import words
from playground.settings import CLIP_NORMS, LEARNING_RATES, REGULARIZATION_RATES, REGULARIZATIONS

REGISTRIES = {
    "hidden activations": engine.HIDDEN_ACTIVATIONS,
    "output activations": engine.OUTPUT_ACTIVATIONS,
    "initialisers": engine.INITIALIZERS,
    "optimisers": engine.OPTIMIZERS,
    "losses": engine.LOSS_OUTPUTS,
    "regularisations": REGULARIZATIONS,
}


@pytest.mark.parametrize("registry", REGISTRIES, ids=list(REGISTRIES))
def test_every_choice_key_has_a_human_name(registry):
    missing = [key for key in REGISTRIES[registry] if key not in words.NAMES]
    assert not missing, f"{registry} without a name in playground/words.py: {missing}"
    for key in REGISTRIES[registry]:
        name = words.name(key)
        assert "_" not in name and name[0].isupper(), (key, name)


def test_named_as_people_write_them():
    assert words.name("sgd") == "SGD"
    assert words.name("he_normal") == "He (normal)"
    assert words.name("xavier_uniform") == "Xavier (uniform)"
    assert words.name("cross_entropy") == "Cross-entropy"


@pytest.mark.parametrize("value", [*LEARNING_RATES, *REGULARIZATION_RATES, *CLIP_NORMS])
def test_rates_are_written_without_exponents(value):
    text = words.number(value)
    assert "e" not in text
    assert float(text) == value


def test_small_rates_read_in_full():
    assert words.number(0.00001) == "0.00001"
    assert words.number(0.003) == "0.003"
    assert words.number(10.0) == "10"
    assert words.number(0.0) == "0"
