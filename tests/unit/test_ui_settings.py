"""PlaygroundSettings: validation, consistency and the URL round trip."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from playground.palette import PALETTES
from playground.settings import (
    AUTO_SPEED,
    BATCH_SIZES,
    CLIP_NORMS,
    DEFAULT_REGULARIZATION_RATE,
    DROPOUTS,
    LEARNING_RATES,
    NOISE_LEVELS,
    REGULARIZATION_RATES,
    SPEED_CHOICES,
    SPEEDS,
    TRAIN_RATIOS,
    PlaygroundSettings,
    losses_for,
    outputs_for,
)


@st.composite
def valid_settings(draw) -> PlaygroundSettings:
    dataset = draw(st.sampled_from(list(engine.DATASETS)))
    classes = draw(st.integers(3, 5))
    hidden = tuple(draw(st.lists(st.integers(1, 16), max_size=8)))
    per_layer = hidden and draw(st.booleans())
    activation = (
        tuple(draw(st.sampled_from(list(engine.HIDDEN_ACTIVATIONS))) for _ in hidden)
        if per_layer
        else (draw(st.sampled_from(list(engine.HIDDEN_ACTIVATIONS))),)
    )
    features = tuple(draw(st.sets(st.sampled_from(list(engine.FEATURES)), min_size=1)))
    probe = PlaygroundSettings(dataset=dataset, classes=classes)
    output = draw(st.sampled_from(outputs_for(dataset, probe.n_classes)))
    loss = draw(st.sampled_from(losses_for(output, dataset)))
    return PlaygroundSettings(
        dataset=dataset,
        classes=classes,
        noise=draw(st.sampled_from(NOISE_LEVELS)),
        ratio=draw(st.sampled_from(TRAIN_RATIOS)),
        batch=draw(st.sampled_from(BATCH_SIZES)),
        seed=draw(st.integers(0, 2**31 - 1)),
        init_seed=draw(st.integers(0, 2**31 - 1)),
        features=engine.check_features(features),
        hidden=hidden,
        activation=activation,
        output=output,
        loss=loss,
        init=draw(st.sampled_from(list(engine.INITIALIZERS))),
        dropout=draw(st.sampled_from(DROPOUTS)),
        optimizer=draw(st.sampled_from(list(engine.OPTIMIZERS))),
        lr=draw(st.sampled_from(LEARNING_RATES)),
        reg=draw(st.sampled_from(("none", "l1", "l2"))),
        reg_rate=draw(st.sampled_from(REGULARIZATION_RATES)),
        clip=draw(st.sampled_from(CLIP_NORMS)),
        speed=draw(st.sampled_from(SPEED_CHOICES)),
        stop_epoch=draw(st.integers(0, 10_000_000)),
        stop_loss=draw(st.sampled_from((0.0, 0.01, 0.125, 1.5))),
        show_test=draw(st.booleans()),
        discretize=draw(st.booleans()),
        present=draw(st.booleans()),
        palette=draw(st.sampled_from(list(PALETTES))),
        hide=tuple(draw(st.sets(st.sampled_from(("lr", "noise", "edit", "features"))))),
    )


@settings(max_examples=200, deadline=None)
@given(valid_settings())
def test_url_round_trip_is_exact(original):
    restored, problems = PlaygroundSettings.from_query_params(original.to_query_params())
    assert problems == []
    if engine.DATASETS[original.dataset].n_classes != -1:
        # classes is only written for multi-class data sets; it does not matter elsewhere
        original = dataclasses.replace(original, classes=restored.classes)
    assert restored == original


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["dataset", "lr", "hidden", "noise", "batch", "features",
                                        "activation", "output", "loss", "seed", "show_test",
                                        "stop_loss", "hide", "palette", "zzz"]),
                       st.text(max_size=30)))  # fmt: skip
def test_any_query_string_gives_valid_settings_and_never_raises(params):
    restored, problems = PlaygroundSettings.from_query_params(params)
    assert restored.normalized() == (restored, [])
    assert all(isinstance(problem, str) and problem.endswith(".") for problem in problems)
    # the settings are usable: a model can be built from them
    engine.Model.create(restored.layer_sizes, activation=list(restored.hidden_activations),
                        output=restored.output)  # fmt: skip


def test_defaults_are_tensorflow_playgrounds():
    defaults = PlaygroundSettings()
    assert (defaults.dataset, defaults.noise, defaults.ratio, defaults.batch) == (
        "circle",
        0,
        50,
        10,
    )
    assert defaults.features == ("x1", "x2") and defaults.hidden == (4, 2)
    assert (defaults.activation, defaults.lr, defaults.reg) == (("tanh",), 0.03, "none")
    assert (defaults.output, defaults.loss, defaults.init) == ("tanh", "mse", "playground")


def test_regression_data_switches_output_quietly_but_a_bad_link_warns():
    quiet = PlaygroundSettings().with_changes(dataset="plane")
    assert (quiet.output, quiet.loss) == ("linear", "mse")
    loud, problems = PlaygroundSettings.from_query_params({"dataset": "plane", "output": "softmax"})
    assert loud.output == "linear" and len(problems) == 1 and "softmax" in problems[0]


def test_multiclass_needs_softmax():
    settings = PlaygroundSettings().with_changes(dataset="spiral_k", classes=4)
    assert settings.output == "softmax" and settings.loss == "cross_entropy"
    assert settings.layer_sizes[-1] == 4


@pytest.mark.parametrize("hidden", ["4,17", "1,2,3,4,5,6,7,8,9", "0", "a,b", "-1"])
def test_bad_hidden_layers_fall_back(hidden):
    restored, problems = PlaygroundSettings.from_query_params({"hidden": hidden})
    assert restored.hidden == (4, 2) and problems


def test_structure_key_ignores_hyperparameters():
    base = PlaygroundSettings()
    tuned = base.with_changes(lr=0.1, reg="l2", reg_rate=0.01, optimizer="adam", speed=50)
    assert tuned.structure_key() == base.structure_key()
    assert base.with_changes(hidden=(3,)).structure_key() != base.structure_key()


@pytest.mark.parametrize(
    ("layer", "source", "target", "value", "message"),
    [
        (0, 0, 0, float("nan"), "finite number"),
        (0, 0, 0, 1e9, "finite number"),
        (7, 0, 0, 1.0, "no layer"),
        (0, 5, 0, 1.0, "does not exist"),
        (0, None, 9, 1.0, "does not exist"),
    ],
)
def test_bad_weight_edits_are_refused_with_a_sentence(layer, source, target, value, message):
    from playground.run import build_run, set_parameter

    run = build_run(PlaygroundSettings())
    before = run.model.params.copy()
    with pytest.raises(ValueError, match=message):
        set_parameter(run, layer, source, target, value)
    assert (run.model.params == before).all()


def test_choosing_l1_or_l2_with_a_zero_rate_gives_a_useful_rate():
    start = PlaygroundSettings()
    assert start.reg_rate == 0
    for reg in ("l1", "l2"):
        assert start.with_changes(reg=reg).reg_rate == DEFAULT_REGULARIZATION_RATE
    # A rate the user chose is kept, and an explicit 0 with it is respected.
    chosen = start.with_changes(reg="l2", reg_rate=0.1)
    assert chosen.with_changes(reg="l1").reg_rate == 0.1
    assert start.with_changes(reg="l2", reg_rate=0.0).reg_rate == 0.0


def test_presentation_mode_is_in_the_link_only_when_on():
    assert "present" not in PlaygroundSettings().to_query_params()
    on = PlaygroundSettings(present=True)
    assert on.to_query_params()["present"] == "1"
    assert PlaygroundSettings.from_query_params({"present": "1"})[0].present
    settings_, problems = PlaygroundSettings.from_query_params({"present": "maybe"})
    assert not settings_.present and "present" in problems[0]
    # A view choice: switching it keeps the network and its training.
    assert on.structure_key() == PlaygroundSettings().structure_key()


def test_palette_comes_from_the_link_and_a_bad_one_gets_a_sentence():
    chosen, problems = PlaygroundSettings.from_query_params({"palette": "ColorBlind"})
    assert (chosen.palette, problems) == ("colorblind", [])
    assert chosen.to_query_params()["palette"] == "colorblind"
    fallback, problems = PlaygroundSettings.from_query_params({"palette": "rainbow"})
    assert fallback.palette == "playground"
    assert len(problems) == 1 and "rainbow" in problems[0] and "colorblind" in problems[0]
    # The palette only changes colours: the network and data stay.
    assert chosen.structure_key() == PlaygroundSettings().structure_key()


def test_speed_is_auto_by_default_and_in_links():
    assert PlaygroundSettings().speed == AUTO_SPEED
    assert PlaygroundSettings().to_query_params()["speed"] == "auto"
    restored, problems = PlaygroundSettings.from_query_params({"speed": "Auto"})
    assert (restored.speed, problems) == (AUTO_SPEED, [])


@pytest.mark.parametrize("speed", SPEEDS)
def test_old_links_with_a_number_of_epochs_per_frame_keep_working(speed):
    restored, problems = PlaygroundSettings.from_query_params({"speed": str(speed)})
    assert (restored.speed, problems) == (speed, [])
    assert restored.to_query_params()["speed"] == str(speed)


@pytest.mark.parametrize("text", ["7", "fast", "-1"])
def test_an_unusable_speed_falls_back_to_auto_with_a_sentence(text):
    restored, problems = PlaygroundSettings.from_query_params({"speed": text})
    assert restored.speed == AUTO_SPEED
    assert len(problems) == 1 and "using auto instead" in problems[0]
