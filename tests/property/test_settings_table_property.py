"""Every setting in ``playground.settings``' table, whatever it is: its URL round trip, its
fallback when a link carries a value it cannot use, hiding it, and what a change does to a run.

Values are drawn from the table itself (``choices``, ``bounds``); a setting whose usable values
are a rule instead needs a strategy in ``RULED`` (the tests say so, naming it).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from playground.challenges import CHALLENGES
from playground.drawing import link_value
from playground.run import build_run, updated_run
from playground.settings import (
    CUSTOM,
    HIDEABLE,
    LOCKABLE,
    SETTING,
    SETTINGS,
    PlaygroundSettings,
    Setting,
    class_count,
    losses_for,
    outputs_for,
)
from tests.hostile_text import split_code_spans

IDS = [spec.name for spec in SETTINGS]
# Settings whose usable values are a rule, not a list or a range: (values drawn so far) ->
# a strategy for usable values.
RULED = {
    "features": lambda values: st.sets(st.sampled_from(list(engine.FEATURES)), min_size=1).map(
        engine.check_features
    ),
    "hidden": lambda values: st.lists(
        st.integers(1, engine.MAX_UNITS_PER_LAYER), max_size=engine.MAX_HIDDEN_LAYERS
    ).map(tuple),
    "activation": lambda values: st.one_of(
        st.sampled_from(list(engine.HIDDEN_ACTIVATIONS)).map(lambda name: (name,)),
        st.tuples(*[st.sampled_from(list(engine.HIDDEN_ACTIVATIONS))] * len(values["hidden"]))
        if values["hidden"]
        else st.nothing(),
    ),
    "output": lambda values: st.sampled_from(
        outputs_for(values["dataset"], class_count(values["dataset"], values["classes"]))
    ),
    "loss": lambda values: st.sampled_from(losses_for(values["output"], values["dataset"])),
    "stop_loss": lambda values: st.floats(0, 100, exclude_max=True),
    # Your own data's points: only with dataset=custom (its shape, or points a link carries).
    "points": lambda values: (
        st.one_of(st.sampled_from(["", "regression", "2-classes", "4-classes"]), link_points())
        if values["dataset"] == CUSTOM
        else st.just("")
    ),
    "hide": lambda values: st.lists(st.sampled_from(HIDEABLE), unique=True).map(tuple),
    "lock": lambda values: st.lists(st.sampled_from(LOCKABLE), unique=True).map(tuple),
    "challenge": lambda values: st.sampled_from(("", *CHALLENGES)),
    # A batch of one point is unusable with batch normalisation (its variance needs two).
    "batch": lambda values: st.sampled_from(
        [size for size in SETTING["batch"].choices if size != 1 or not values["batchnorm"]]
    ),
}
BINARY_DATASETS = [name for name, data in engine.DATASETS.items() if data.n_classes == 2]


@st.composite
def link_points(draw) -> str:
    """The ``points`` value of a small own data set (a training and a test point of two
    classes at least)."""
    n_classes = draw(st.sampled_from([0, 2, 3, 5]))
    n = draw(st.integers(5, 12))
    X = np.array(draw(st.lists(st.tuples(*[st.integers(-600, 600)] * 2), min_size=n, max_size=n)))
    if n_classes:
        y = np.arange(n) % n_classes
    else:
        y = np.array(draw(st.lists(st.integers(-1000, 1000), min_size=n, max_size=n))) / 1000
    dataset = engine.Dataset.from_arrays(X / 100, y, n_classes=n_classes)
    return link_value(*engine.train_test_split(dataset, 0.5, 1))


def usable_values(spec: Setting, values: dict) -> st.SearchStrategy:
    if spec.name in RULED:
        return RULED[spec.name](values)
    if spec.choices:
        return st.sampled_from(spec.choices)
    if spec.bounds:
        return st.integers(*spec.bounds)
    raise AssertionError(
        f"The setting {spec.name!r} has neither choices nor bounds in the table: give it a "
        "strategy in RULED (tests/property/test_settings_table_property.py)."
    )


@st.composite
def valid_settings(draw, **fixed: st.SearchStrategy) -> PlaygroundSettings:
    """Usable settings drawn field by field in the table's order (a rule may read the fields
    above it), ``fixed`` strategies instead of the table's for some, as a link writes them."""
    values: dict = {}
    for spec in SETTINGS:
        strategy = fixed[spec.name] if spec.name in fixed else usable_values(spec, values)
        values[spec.name] = draw(strategy)
    return as_in_a_link(PlaygroundSettings(**values))


def as_in_a_link(original: PlaygroundSettings) -> PlaygroundSettings:
    """The settings a link can carry: classes only matter (and are written) where the data set
    has a choice of classes."""
    if original.dataset != CUSTOM and engine.DATASETS[original.dataset].n_classes == -1:
        return original
    return dataclasses.replace(original, classes=SETTING["classes"].default)


def test_every_field_of_the_settings_has_a_setting_in_the_table():
    for field in dataclasses.fields(PlaygroundSettings):
        assert field.name in SETTING, (
            f"PlaygroundSettings.{field.name} has no Setting: declare it as "
            f"`{field.name}: type = setting(default, kind, ...)` (playground/settings.py)."
        )
    assert [spec.name for spec in SETTINGS] == [
        f.name for f in dataclasses.fields(PlaygroundSettings)
    ]
    assert len({spec.key for spec in SETTINGS}) == len(SETTINGS)  # one URL key each


# 20 examples per setting (was 40): each test runs once per setting of the table (~40 of
# them), so the file drew ~3,000 whole settings, ~45 s of CPU on the 2-core CI machine.
@pytest.mark.parametrize("spec", SETTINGS, ids=IDS)
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_a_link_gives_back_every_usable_value_of_every_setting(spec, data):
    # The setting under test at a value other than its default (where it has one).
    varied = data.draw(valid_settings())
    others = usable_values(spec, dataclasses.asdict(varied)).filter(lambda v: v != spec.default)
    value = data.draw(st.one_of(others, st.just(getattr(varied, spec.name))))
    original = as_in_a_link(dataclasses.replace(varied, **{spec.name: value}))
    if original.normalized() != (original, []):
        return  # a value that no longer fits the others (an activation per layer, say)
    restored, problems = PlaygroundSettings.from_query_params(original.to_query_params())
    assert problems == []
    assert restored == original


@pytest.mark.parametrize("spec", [spec for spec in SETTINGS if spec.name != "hide"], ids=IDS[:-1])
@settings(max_examples=20, deadline=None)  # (as above)
@given(
    original=valid_settings(
        # Dependent settings that stay usable whichever one setting falls back: a two-class data
        # set (its outputs are the same for all), a loss every output takes, one activation.
        dataset=st.sampled_from(BINARY_DATASETS),
        loss=st.sampled_from(("mse", "mae")),
        activation=st.sampled_from(list(engine.HIDDEN_ACTIVATIONS)).map(lambda name: (name,)),
    ),
    text=st.one_of(st.sampled_from(("zzz", "-1", "7", "1e999", "", "0.5", "4,17")), st.text()),
)
def test_an_unusable_value_gets_a_sentence_and_the_default_and_the_rest_survives(
    spec, original, text
):
    link = original.to_query_params()
    link.pop(spec.key, None)
    without, problems_without = PlaygroundSettings.from_query_params(link)
    assert problems_without == []
    restored, problems = PlaygroundSettings.from_query_params({**link, spec.key: text})
    if not problems:
        return  # a value it can use
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.endswith(".") and "using" in problem, problem
    # As if the link had not carried it: the default (output and loss: the data set's natural
    # ones); every other setting as the link says.
    fallback = getattr(without, spec.name)
    assert restored == dataclasses.replace(original, **{spec.name: fallback})
    if spec.name not in ("output", "loss"):
        assert fallback == spec.default


@pytest.mark.parametrize("spec", SETTINGS, ids=IDS)
def test_a_made_up_word_is_unusable_and_quoted_as_code(spec):
    _, problems = PlaygroundSettings.from_query_params({spec.key: "zzz"})
    if spec.name == "hide":
        assert problems == []  # an unknown control hides nothing (and the link still works)
        return
    assert len(problems) == 1, problems
    outside, spans = split_code_spans(problems[0])
    assert "zzz" not in outside and any("zzz" in span for span in spans), problems[0]


@pytest.mark.parametrize("spec", [spec for spec in SETTINGS if spec.hide], ids=lambda s: s.name)
def test_every_hideable_setting_can_be_hidden_by_a_link(spec):
    assert spec.hide in HIDEABLE
    hidden, problems = PlaygroundSettings.from_query_params({"hide": f"lr,{spec.hide.upper()}"})
    assert problems == [] and hidden.hides(spec.name) and hidden.hides("lr")
    assert not PlaygroundSettings().hides(spec.name)
    restored, _ = PlaygroundSettings.from_query_params(hidden.to_query_params())
    assert restored.hides(spec.name)


def test_the_settings_a_link_cannot_hide_are_the_ones_without_a_control_of_their_own():
    assert {spec.name for spec in SETTINGS if not spec.hide} == {
        "init_seed",  # the New weights button draws it
        "points",  # your own data's: drawn, uploaded or from a link (the data set's control)
        "present",
        "palette",
        "hide",
        "lock",  # (lock= and challenge=: a link's, no control of their own)
        "challenge",
    }


def test_only_the_data_and_the_network_rebuild_the_run():
    """As in TensorFlow Playground: the learning rate (and every other hyper-parameter, and
    every view) changes while the network trains on."""
    assert {spec.name for spec in SETTINGS if spec.rebuilds} == {
        *("dataset", "classes", "noise", "ratio", "seed", "init_seed"),
        *("features", "hidden", "activation", "output", "loss", "init", "batchnorm"),
    }


@pytest.mark.parametrize("spec", SETTINGS, ids=IDS)
@settings(max_examples=5, deadline=None)
@given(data=st.data())
def test_a_change_rebuilds_the_run_exactly_when_the_table_says(spec, data):
    """Every setting changed on its own: a setting that rebuilds gives a new run, any other is
    applied to the running one (the network and its training stay)."""
    # Classes matter only on a data set with a choice of classes, points only on your own.
    bases = {"classes": PlaygroundSettings(dataset="blobs"), "points": PlaygroundSettings(CUSTOM)}
    base = bases.get(spec.name, PlaygroundSettings())
    base = base.normalized()[0]
    values = dataclasses.asdict(base)
    value = data.draw(usable_values(spec, values).filter(lambda v: v != values[spec.name]))
    changed = base.with_changes(**{spec.name: value})  # a new data set: its natural output
    assert getattr(changed, spec.name) == value
    # A setting may rebuild only through what it means for the run: one activation per layer,
    # all the same, is the same network as that one for all.
    matters = not callable(spec.rebuilds) or spec.rebuilds(changed) != spec.rebuilds(base)
    current = build_run(base)
    after = updated_run(current, changed)
    if spec.name == "points":
        # Other points of the same shape are given to the same network (drawing while
        # training); a new kind or number of classes is a new network.
        assert after.train is not current.train
        assert (after.model is current.model) == (changed.n_classes == base.n_classes)
        return
    assert (after is not current) == (bool(spec.rebuilds) and matters), f"a change of {spec.name}"
    assert after.settings == changed  # a live change reaches the run's settings too
