"""The Playground's caption counts dead units of ReLU and leaky ReLU layers (issue 16, item 6),
from the model as it is: the same definition as the engine's ``dead_fraction``."""

from __future__ import annotations

from playground.frames import dead_units, metrics_line
from playground.run import build_run, train_chunk
from playground.settings import PlaygroundSettings


def test_the_caption_counts_units_negative_on_every_training_point():
    run = build_run(PlaygroundSettings(hidden=(4, 3), activation=("leaky_relu", "tanh")))
    biases = run.model.biases[0].copy()
    biases[:2] = -1e3  # two leaky units below zero on every point
    run.model.biases[0] = biases
    assert dead_units(run) == (2, 4)  # only the leaky layer's 4 units can die
    assert metrics_line(run).endswith("dead units 2/4")


def test_the_count_is_the_engines_dead_fraction_after_training():
    settings = PlaygroundSettings(dataset="spiral", hidden=(8, 8), activation=("relu",), lr=1.0)
    run = build_run(settings)
    train_chunk(run, 30)
    dead, dying = dead_units(run)
    assert dying == 16
    assert dead / dying == run.trainer.history.last("dead_fraction")
    assert dead > 0  # lr 1 kills some: the comparison is not 0 == 0
    assert f"dead units {dead}/16" in metrics_line(run)


def test_a_network_without_relu_units_shows_no_count():
    run = build_run(PlaygroundSettings())
    assert dead_units(run) == (0, 0)
    assert "dead" not in metrics_line(run)
