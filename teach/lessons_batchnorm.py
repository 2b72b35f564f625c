"""The lesson "Batch normalisation" (issue 16): a deep sigmoid network that stalls trains
once each hidden layer's pre-activations are normalised over the mini-batch.

Its measure, probe and figures live here; ``teach.lessons`` numbers it after the lessons
declared there and adds it to ``LESSON_LIST`` (``lesson``). This module imports
``teach.lessons`` only inside functions: that module imports this one while it is being
built, so a top-level import here would find it half made when this module is imported first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

import engine
from engine.model import validate_architecture
from playground import insight
from playground.run import TrainingRun

from .runs import VariantResult

if TYPE_CHECKING:
    from .lessons import Lesson, LessonRun

EPOCHS = 100
DEPTH, UNITS = 6, 6  # hidden layers, units per layer
LEARNING_RATE = 0.3
# The claim's margins. On 80 seed pairs (scripts/lesson_seeds.py --numbers batchnorm): test
# accuracy 45–57 % without, 81–100 % with (95 % or more on 9 pairs in 10); last-layer spread
# 2.5e-6–5.4e-5 without, every layer's at least 0.088 with.
STALLED_ACCURACY, TRAINED_ACCURACY = 0.60, 0.80
COLLAPSED_SPREAD, KEPT_SPREAD = 1e-3, 0.05
VARIANTS = (("plain", "Without batch normalisation"), ("batchnorm", "With batch normalisation"))


def final_params(training_run: TrainingRun) -> dict[str, np.ndarray]:
    """The whole parameter vector (γ, β and running statistics included): the figures rebuild
    the trained network from it."""
    return {"params": training_run.model.params.copy()}


def trained_model(result: VariantResult) -> engine.Model:
    """The variant's network as it was after training."""
    settings = result.settings
    architecture = validate_architecture(
        settings.layer_sizes, settings.hidden_activations, settings.output, settings.batchnorm
    )
    return engine.Model(architecture, result.extras["params"])


def training_inputs(result: VariantResult) -> np.ndarray:
    return engine.build_features(result.train_points, result.settings.features)


def layer_spreads(result: VariantResult) -> np.ndarray:
    """(hidden layers,) how much each hidden layer's outputs differ between the training
    points: the standard deviation over the points of each unit's output, averaged over the
    layer's units (0: every point gives the layer the same outputs)."""
    outputs = trained_model(result).activations(training_inputs(result))[1:-1]
    return np.array([np.std(values, axis=0).mean() for values in outputs])


def measure(run: LessonRun) -> dict[str, float]:
    numbers = {}
    for key, _ in VARIANTS:
        spreads = layer_spreads(run[key])
        numbers[f"test_accuracy_{key}"] = run[key].last("test_accuracy")
        numbers[f"last_spread_{key}"] = float(spreads[-1])
        numbers[f"smallest_spread_{key}"] = float(spreads.min())
    return numbers


def activations(run: LessonRun, key: str) -> go.Figure:
    """The insight view's per-layer activation boxes (``playground.insight``) of one variant
    after training, every panel on the sigmoid's whole range [0, 1]: a layer whose outputs
    are the same for every point shows as a flat line, not as a box stretched to fill it."""
    result = run[key]
    figure = insight.activations_figure(trained_model(result), training_inputs(result))
    for name, axis in figure["layout"].items():
        if name.startswith("yaxis"):
            axis["range"] = [-0.05, 1.05]
    layout = {**figure["layout"], "title": {"text": f"{result.label}: hidden-unit outputs"}}
    layout["margin"] = {**layout.get("margin", {}), "t": 90}
    return go.Figure({"data": figure["data"], "layout": layout})


def activations_without(run: LessonRun) -> go.Figure:
    return activations(run, "plain")


def activations_with(run: LessonRun) -> go.Figure:
    return activations(run, "batchnorm")


def lesson(number: int) -> Lesson:
    """The lesson, numbered ``number``."""
    from .lessons import Clause, Lesson, Readout, _variants

    common = {
        "dataset": "circle",
        "hidden": (UNITS,) * DEPTH,
        "activation": ("sigmoid",),
        "lr": LEARNING_RATE,
    }
    return Lesson(
        number=number,
        slug="batchnorm",
        title="Batch normalisation: a deep sigmoid network trains",
        story=(
            "With small initial weights, a sigmoid layer's outputs differ between points less "
            "than its inputs did, so after six such layers every point gives almost the same "
            "output and the error reaching the first layers is tiny. Batch normalisation "
            "standardises each hidden layer's pre-activations z over the mini-batch, "
            "ẑ = (z − μ)/√(σ² + ε), then scales and shifts them by a learned γ and β, so every "
            "layer again sees differences between points of a useful size. Predictions and the "
            "test loss use running averages of μ and σ² kept while training (as PyTorch's "
            "BatchNorm1d does in eval mode)."
        ),
        claim=(
            f"A {DEPTH}-layer sigmoid network ({UNITS} units each) on the circle, SGD at "
            f"learning rate {LEARNING_RATE}: without batch normalisation it stalls near chance "
            f"(test accuracy at most {STALLED_ACCURACY:.0%} after {EPOCHS} epochs), its last "
            f"hidden layer's outputs differing between points by less than {COLLAPSED_SPREAD}; "
            f"with batch normalisation it reaches at least {TRAINED_ACCURACY:.0%} (95% or more "
            "on 9 of 10 data sets we tried), and every hidden layer's outputs keep a spread of "
            f"at least {KEPT_SPREAD}."
        ),
        look_for=(
            "The activation boxes: without batch normalisation they shrink layer by layer to a "
            "flat line; with it every layer's units spread over the sigmoid's range."
        ),
        try_next=(
            "Switch the activation to tanh, or add two more layers, with batch normalisation "
            "on and off. Then try a batch size of 2: the batch's mean and variance get noisy."
        ),
        variants=_variants(
            EPOCHS,
            common,
            *((key, label, {"batchnorm": key == "batchnorm"}) for key, label in VARIANTS),
        ),
        epochs=EPOCHS,
        measure=measure,
        clauses=(
            Clause(
                f"Without batch normalisation: test accuracy ≤ {STALLED_ACCURACY:.0%}",
                lambda n: n["test_accuracy_plain"] <= STALLED_ACCURACY,
            ),
            Clause(
                f"Without: the last hidden layer's spread is below {COLLAPSED_SPREAD}",
                lambda n: n["last_spread_plain"] < COLLAPSED_SPREAD,
            ),
            Clause(
                f"With batch normalisation: test accuracy ≥ {TRAINED_ACCURACY:.0%}",
                lambda n: n["test_accuracy_batchnorm"] >= TRAINED_ACCURACY,
            ),
            Clause(
                f"With: every hidden layer's spread is at least {KEPT_SPREAD}",
                lambda n: n["smallest_spread_batchnorm"] >= KEPT_SPREAD,
            ),
        ),
        readouts=(
            Readout("test_accuracy_plain", "Test accuracy, without"),
            Readout("test_accuracy_batchnorm", "Test accuracy, with"),
            Readout("last_spread_plain", "Last layer's spread, without", "{:.1e}"),
            Readout("last_spread_batchnorm", "Last layer's spread, with", "{:.2f}"),
        ),
        figures=(
            "loss_curves",
            "batchnorm_activations_without",
            "batchnorm_activations_with",
            "decision_maps",
        ),
        probe=final_params,
    )
