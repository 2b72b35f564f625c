"""Twelve lessons, each a claim about training that our engine demonstrates.

A ``Lesson`` is data: its story, the Playground configurations it compares (each opens in
the Playground through its link), what to look for, what to try next, and a ``measure``
function that turns the trained configurations into the numbers its claim is about.
``lesson.check()`` trains every configuration with its fixed seeds (as the Playground
does) and returns those numbers; ``tests/lessons/test_lesson_claims.py`` asserts them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np

from playground.run import TrainingRun
from playground.settings import SPEEDS, PlaygroundSettings

from .runs import Probe, VariantResult, train_variant

FRAMES_PER_LESSON = 60  # the Playground reaches a lesson's epoch budget in about this many frames


@dataclass(frozen=True)
class Variant:
    """One configuration a lesson trains: a short key, a label and Playground settings."""

    key: str
    label: str
    settings: PlaygroundSettings

    def playground_link(self) -> str:
        """Relative URL that opens the Playground (the app's root page) with these settings."""
        return "/?" + urlencode(self.settings.to_query_params())


@dataclass(frozen=True)
class Readout:
    """How the page shows one measured number: its key in ``check()``, a label, a format."""

    key: str
    label: str
    template: str = "{:.0%}"

    def text(self, numbers: dict[str, float]) -> str:
        value = numbers[self.key]
        return "—" if not np.isfinite(value) else self.template.format(value)


@dataclass(frozen=True)
class LessonRun:
    """Every trained configuration of one lesson, by variant key (in the lesson's order)."""

    slug: str
    results: dict[str, VariantResult]

    def __getitem__(self, key: str) -> VariantResult:
        return self.results[key]


@dataclass(frozen=True)
class Lesson:
    number: int
    slug: str
    title: str
    story: str  # 2–4 sentences
    claim: str  # the sentence the test checks, in words
    look_for: str
    try_next: str
    variants: tuple[Variant, ...]
    epochs: int
    measure: Callable[[LessonRun], dict[str, float]]
    readouts: tuple[Readout, ...]
    figures: tuple[str, ...]  # keys of ``teach.lesson_figures.FIGURES``
    probe: Probe | None = field(default=None, repr=False)

    @property
    def settings(self) -> PlaygroundSettings:
        """The configuration the lesson loads first (its first variant)."""
        return self.variants[0].settings

    def playground_link(self) -> str:
        return self.variants[0].playground_link()

    def run(self) -> LessonRun:
        """Train every variant with the lesson's fixed seeds and epoch budget."""
        return LessonRun(
            self.slug,
            {
                v.key: train_variant(v.label, v.settings, self.epochs, self.probe)
                for v in self.variants
            },
        )

    def check(self) -> dict[str, float]:
        """The numbers the lesson's claim is about, measured by training now."""
        return self.measure(self.run())


def lesson_settings(epochs: int, **changes) -> PlaygroundSettings:
    """Playground settings that stop at the lesson's epoch budget, at a watchable speed."""
    speed = next((s for s in SPEEDS if epochs / s <= FRAMES_PER_LESSON), SPEEDS[-1])
    return PlaygroundSettings(stop_epoch=epochs, speed=speed, **changes)


def _variants(epochs: int, common: dict, *rows: tuple[str, str, dict]) -> tuple[Variant, ...]:
    return tuple(
        Variant(key, label, lesson_settings(epochs, **{**common, **changes}))
        for key, label, changes in rows
    )


# ---------------------------------------------------------------- probes and measures


def _accuracies(run: LessonRun, column: str = "test_accuracy") -> dict[str, float]:
    return {f"{column}_{key}": result.last(column) for key, result in run.results.items()}


def affine_collapse_error(training_run: TrainingRun) -> dict[str, np.ndarray]:
    """How far the network's output is from g_out(x·W + b) with W = W₁W₂…, b folded likewise.

    .. math:: W = W_1 W_2 \\cdots W_L,\\quad b = (\\cdots(b_1 W_2 + b_2) W_3 + \\cdots) + b_L

    Zero (to rounding) exactly when every hidden layer is linear.
    """
    model = training_run.model
    weights, biases = list(model.weights), list(model.biases)
    product, offset = weights[0], biases[0]
    for w, b in zip(weights[1:], biases[1:]):
        product, offset = product @ w, offset @ w + b
    grid = training_run.grid_inputs
    z = grid @ product + offset
    collapsed = {"tanh": np.tanh, "linear": lambda v: v}[model.architecture.output](z)
    return {"affine_error": np.array(np.max(np.abs(model.forward(grid) - collapsed)))}


def unit_spread(training_run: TrainingRun) -> dict[str, np.ndarray]:
    """Per hidden layer: the largest difference between two units' incoming weights or biases."""
    model = training_run.model
    spreads = [
        max(np.ptp(w, axis=1).max(), np.ptp(b))
        for w, b in zip(model.weights[:-1], model.biases[:-1])
    ]
    return {"unit_spread": np.array(spreads)}


def hidden_outputs(training_run: TrainingRun) -> dict[str, np.ndarray]:
    """(hidden layers, points · units) every hidden unit's output on the training points."""
    layers = training_run.model.activations(training_run.train_inputs)[1:-1]
    return {"hidden_outputs": np.array([layer.ravel() for layer in layers])}


SATURATION = 0.9  # |tanh| beyond this: slope 1 − a² below 0.19


def saturated_fractions(outputs: np.ndarray) -> np.ndarray:
    """(layers,) fraction of tanh outputs with |a| > 0.9, from (layers, values) outputs."""
    return np.mean(np.abs(outputs) > SATURATION, axis=1)


def _measure_xor(run: LessonRun) -> dict[str, float]:
    return _accuracies(run)


def _measure_linear(run: LessonRun) -> dict[str, float]:
    numbers = _accuracies(run)
    numbers["affine_error_linear"] = float(run["linear"].extras["affine_error"])
    numbers["affine_error_tanh"] = float(run["tanh"].extras["affine_error"])
    return numbers


def _measure_symmetry(run: LessonRun) -> dict[str, float]:
    numbers = _accuracies(run)
    numbers["unit_spread_zeros"] = float(run["zeros"].extras["unit_spread"].max())
    numbers["unit_spread_random"] = float(run["random"].extras["unit_spread"].min())
    return numbers


def _measure_init(run: LessonRun) -> dict[str, float]:
    numbers = {}
    for key in ("normal", "xavier"):
        fractions = saturated_fractions(run[key].extras["before_hidden_outputs"])
        numbers[f"saturated_first_{key}"] = float(fractions[0])
        numbers[f"saturated_last_{key}"] = float(fractions[-1])
    return numbers


def _measure_vanishing(run: LessonRun) -> dict[str, float]:
    numbers = _accuracies(run)
    for key in ("sigmoid", "tanh"):
        norms = run[key].grad_norms.mean(axis=0)
        numbers[f"first_over_last_{key}"] = float(norms[0] / norms[-1])
    return numbers


def _measure_dead(run: LessonRun) -> dict[str, float]:
    return {f"dead_{key}": result.last("dead_fraction") for key, result in run.results.items()}


def _measure_learning_rate(run: LessonRun) -> dict[str, float]:
    numbers = {}
    for key, result in run.results.items():
        numbers[f"initial_loss_{key}"] = result.initial_loss
        numbers[f"final_loss_{key}"] = result.last("train_loss")
        numbers[f"diverged_{key}"] = float(bool(result.diverged))
        numbers[f"epochs_{key}"] = float(result.epochs_run)
        numbers[f"relative_drop_{key}"] = 1 - result.last("train_loss") / result.initial_loss
    return numbers


def _measure_batch(run: LessonRun) -> dict[str, float]:
    numbers = {}
    for key, result in run.results.items():
        losses = result.history["train_loss"]
        numbers[f"rising_epochs_{key}"] = float(np.mean(np.diff(losses) > 0))
        numbers[f"final_loss_{key}"] = result.last("train_loss")
    return numbers


def _measure_overfitting(run: LessonRun) -> dict[str, float]:
    numbers = {}
    for key, result in run.results.items():
        numbers[f"train_loss_{key}"] = result.last("train_loss")
        numbers[f"test_loss_{key}"] = result.last("test_loss")
        numbers[f"gap_{key}"] = result.last("test_loss") - result.last("train_loss")
    return numbers


def _measure_softmax(run: LessonRun) -> dict[str, float]:
    return {**_accuracies(run, "train_accuracy"), **_accuracies(run, "test_accuracy")}


def _measure_race(run: LessonRun) -> dict[str, float]:
    numbers = {}
    for key, result in run.results.items():
        numbers[f"final_loss_{key}"] = result.last("train_loss")
    return numbers


# ---------------------------------------------------------------- the lessons

_XOR = 300
_LINEAR = 300
_SYMMETRY = 300
_VANISHING = 50
_DEAD = 100
_RATE = 100
_BATCH = 100
_OVERFIT = 300
_FEATURES = 200
_SOFTMAX = 300
_RACE = 500

LESSON_LIST: tuple[Lesson, ...] = (
    Lesson(
        number=1,
        slug="xor",
        title="XOR needs a hidden layer",
        story=(
            "In XOR, opposite corners share a class, so no single straight line separates "
            "the two classes. A network without hidden layers can only draw one line. Add a "
            "hidden layer of 4 tanh units: each unit draws its own line, and the output unit "
            "combines them into a boundary that bends."
        ),
        claim=(
            f"After {_XOR} epochs, test accuracy stays at or below 75% without a hidden "
            "layer and reaches at least 95% with one."
        ),
        look_for=(
            "In the Playground, each hidden unit's small picture is split by one straight "
            "line; the output combines those lines into the four-corner pattern."
        ),
        try_next=(
            "Use only 2 hidden units. Two lines are the minimum for XOR: does training find them?"
        ),
        variants=_variants(
            _XOR,
            {"dataset": "xor"},
            ("none", "No hidden layer", {"hidden": ()}),
            ("hidden", "One hidden layer of 4 tanh units", {"hidden": (4,)}),
        ),
        epochs=_XOR,
        measure=_measure_xor,
        readouts=(
            Readout("test_accuracy_none", "Test accuracy, no hidden layer"),
            Readout("test_accuracy_hidden", "Test accuracy, 4 hidden units"),
        ),
        figures=("decision_maps",),
    ),
    Lesson(
        number=2,
        slug="linear",
        title="Linear layers collapse into one",
        story=(
            "Without a non-linear activation, a layer only multiplies by a matrix and adds a "
            "bias. A stack of such layers is again one matrix and one bias, so a deep linear "
            "network is still a linear model and draws one straight line. The same layers "
            "with tanh can bend the boundary."
        ),
        claim=(
            "The three-layer linear network's output equals one affine map of the inputs "
            "(W = W₁W₂W₃W₄; difference below 1e-9 everywhere on the plane). Both linear "
            f"models stay at or below 75% test accuracy on the circle after {_LINEAR} epochs, "
            "while tanh reaches at least 95%."
        ),
        look_for=(
            "The deep linear network's boundary is a straight line, just like the one "
            "without hidden layers."
        ),
        try_next="Switch the activation to ReLU: the same layers now draw a polygon.",
        variants=_variants(
            _LINEAR,
            {"dataset": "circle"},
            ("none", "No hidden layer", {"hidden": ()}),
            ("linear", "3 linear hidden layers", {"hidden": (4, 4, 4), "activation": ("linear",)}),
            ("tanh", "3 tanh hidden layers", {"hidden": (4, 4, 4), "activation": ("tanh",)}),
        ),
        epochs=_LINEAR,
        measure=_measure_linear,
        readouts=(
            Readout("test_accuracy_none", "Test accuracy, no hidden layer"),
            Readout("test_accuracy_linear", "Test accuracy, 3 linear layers"),
            Readout("test_accuracy_tanh", "Test accuracy, 3 tanh layers"),
            Readout("affine_error_linear", "Linear net vs. one affine map", "{:.1e}"),
        ),
        figures=("decision_maps",),
        probe=affine_collapse_error,
    ),
    Lesson(
        number=3,
        slug="symmetry",
        title="Identical starting weights stay identical",
        story=(
            "If every weight starts at zero, every unit in a layer computes the same output "
            "and receives the same gradient, so all of them change in exactly the same way. "
            "The layer then acts like a single unit, however wide it is. Random starting "
            "weights break this symmetry."
        ),
        claim=(
            f"After {_SYMMETRY} epochs from zero weights, all units in each hidden layer still "
            "have identical weights (difference below 1e-12) and test accuracy stays at or "
            "below 75%. From random weights the units differ (by more than 0.1) and test "
            "accuracy reaches at least 95%."
        ),
        look_for=(
            "From zero weights, all hidden units in a layer show the same picture, during "
            "the whole training."
        ),
        try_next=(
            "Before pressing Play, change one weight by hand (Edit a weight or bias): that "
            "unit drifts away from the others, which stay twins."
        ),
        variants=_variants(
            _SYMMETRY,
            {"dataset": "circle", "hidden": (4, 2)},
            ("zeros", "All weights start at 0", {"init": "zeros"}),
            ("random", "Random starting weights", {"init": "playground"}),
        ),
        epochs=_SYMMETRY,
        measure=_measure_symmetry,
        readouts=(
            Readout("unit_spread_zeros", "Largest difference between units, zeros", "{:.1e}"),
            Readout("unit_spread_random", "Smallest layer difference, random", "{:.2f}"),
            Readout("test_accuracy_zeros", "Test accuracy, zeros"),
            Readout("test_accuracy_random", "Test accuracy, random"),
        ),
        figures=("first_layer_weights", "decision_maps"),
        probe=unit_spread,
    ),
    Lesson(
        number=4,
        slug="xavier",
        title="Xavier initialisation keeps deep layers responsive",
        story=(
            "With weights drawn from N(0, 1), a unit in layers 2–6 adds up 16 weighted inputs, "
            "so its z is often several units large and tanh sits near ±1, where its slope is "
            "almost 0. Xavier (Glorot) initialisation scales the weights by the layer's number "
            "of inputs and outputs, so most outputs stay in tanh's responsive middle range, "
            "layer after layer."
        ),
        claim=(
            "Before training, in the last of six hidden layers at least 50% of tanh outputs "
            "are beyond ±0.9 with normal initialisation, and at most 5% with Xavier."
        ),
        look_for=(
            "Before pressing Play: with normal initialisation the deeper units' pictures are "
            "hard-edged patches of solid orange and blue; with Xavier they are soft and pale."
        ),
        try_next=(
            "Switch the activation to ReLU and compare Xavier with He initialisation, which "
            "is scaled for ReLU."
        ),
        variants=_variants(
            0,
            {"dataset": "spiral", "hidden": (16,) * 6},
            ("normal", "Normal N(0, 1) weights", {"init": "normal"}),
            ("xavier", "Xavier uniform weights", {"init": "xavier_uniform"}),
        ),
        epochs=0,
        measure=_measure_init,
        readouts=(
            Readout("saturated_first_normal", "Beyond ±0.9, layer 1, normal"),
            Readout("saturated_last_normal", "Beyond ±0.9, layer 6, normal"),
            Readout("saturated_first_xavier", "Beyond ±0.9, layer 1, Xavier"),
            Readout("saturated_last_xavier", "Beyond ±0.9, layer 6, Xavier"),
        ),
        figures=("activation_spread",),
        probe=hidden_outputs,
    ),
    Lesson(
        number=5,
        slug="vanishing",
        title="Sigmoid gradients vanish in deep networks",
        story=(
            "Back-propagation multiplies by g′(z) once per layer. The sigmoid's slope is at "
            "most 0.25, so in a deep sigmoid network the gradient shrinks layer after layer "
            "and the first layers barely learn. Tanh's slope reaches 1, so its gradients "
            "survive."
        ),
        claim=(
            f"Averaged over {_VANISHING} epochs, the first layer's gradient is at least 100× "
            "smaller than the output layer's with five sigmoid layers, but not even 10× "
            "smaller with tanh. The sigmoid network is still at or below 60% test accuracy; "
            "the tanh one reaches at least 95%."
        ),
        look_for="The sigmoid network's first-layer pictures hardly change while it trains.",
        try_next="Switch to ReLU: its slope is exactly 1 wherever a unit is active.",
        variants=_variants(
            _VANISHING,
            {"dataset": "circle", "hidden": (6,) * 5},
            ("sigmoid", "5 sigmoid layers", {"activation": ("sigmoid",)}),
            ("tanh", "5 tanh layers", {"activation": ("tanh",)}),
        ),
        epochs=_VANISHING,
        measure=_measure_vanishing,
        readouts=(
            Readout("first_over_last_sigmoid", "First ÷ output layer gradient, sigmoid", "{:.1e}"),
            Readout("first_over_last_tanh", "First ÷ output layer gradient, tanh", "{:.2f}"),
            Readout("test_accuracy_sigmoid", "Test accuracy, sigmoid"),
            Readout("test_accuracy_tanh", "Test accuracy, tanh"),
        ),
        figures=("gradient_norms",),
    ),
    Lesson(
        number=6,
        slug="dead-relu",
        title="A large learning rate kills ReLU units",
        story=(
            "A ReLU unit whose z is negative for every training point outputs 0 and gets a "
            "zero gradient, so it never recovers: it is dead. One big update can push a "
            "unit there. With a large learning rate many units die, and the network loses "
            "the capacity it needs."
        ),
        claim=(
            f"After {_DEAD} epochs on the spiral, at least 30% of the ReLU units are dead "
            "with learning rate 1, and at most 10% with learning rate 0.03."
        ),
        look_for=(
            "A dead unit outputs 0 wherever there is data: its picture is one flat colour "
            "over the data, and its outgoing links stop changing."
        ),
        try_next=(
            "Try Leaky ReLU at learning rate 1: its slope is 0.01 for negative z, so a unit "
            "always gets some gradient and can come back."
        ),
        variants=_variants(
            _DEAD,
            {"dataset": "spiral", "hidden": (8, 8), "activation": ("relu",)},
            ("small", "Learning rate 0.03", {"lr": 0.03}),
            ("large", "Learning rate 1", {"lr": 1.0}),
        ),
        epochs=_DEAD,
        measure=_measure_dead,
        readouts=(
            Readout("dead_small", "Dead units, learning rate 0.03"),
            Readout("dead_large", "Dead units, learning rate 1"),
        ),
        figures=("dead_fraction", "decision_maps"),
    ),
    Lesson(
        number=7,
        slug="learning-rate",
        title="Learning rate: too low crawls, too high diverges",
        story=(
            "Each step moves the weights by the learning rate times the gradient. Too small, "
            "and training crawls. Too large, and each step overshoots, so the loss grows "
            "until the numbers overflow. In between, the loss falls quickly."
        ),
        claim=(
            f"In {_RATE} epochs the loss falls by less than 5% with learning rate 0.0001 and "
            "by more than 90% with 0.03. With 3, training diverges within 10 epochs (the "
            "engine stops and says so)."
        ),
        look_for=(
            "With learning rate 3 the Playground stops after a few epochs and explains that "
            "training diverged, instead of drawing grey NaN."
        ),
        try_next=(
            "Set the output back to tanh and try 3 again: a tanh output cannot blow up, so "
            "the loss jumps around instead of overflowing."
        ),
        variants=_variants(
            _RATE,
            {"dataset": "circle", "output": "linear", "loss": "mse"},
            ("low", "Learning rate 0.0001", {"lr": 0.0001}),
            ("right", "Learning rate 0.03", {"lr": 0.03}),
            ("high", "Learning rate 3", {"lr": 3.0}),
        ),
        epochs=_RATE,
        measure=_measure_learning_rate,
        readouts=(
            Readout("relative_drop_low", "Loss drop, 0.0001", "{:.2%}"),
            Readout("relative_drop_right", "Loss drop, 0.03", "{:.0%}"),
            Readout("epochs_high", "Epochs before divergence, 3", "{:.0f}"),
        ),
        figures=("loss_curves",),
    ),
    Lesson(
        number=8,
        slug="batch-size",
        title="Batch size: 1 is noisy, the full batch is smooth",
        story=(
            "Each update follows the gradient averaged over a mini-batch. With batch size 1 "
            "every update follows a single point, so the loss zigzags, but there is one "
            "update per point. With the full batch every update uses all points: the loss "
            "falls smoothly, but there is only one update per epoch."
        ),
        claim=(
            f"Over {_BATCH} epochs the loss rises from one epoch to the next in at least 25% "
            "of epochs with batch size 1, and never with the full batch; batch size 1 still "
            "ends with the lower loss."
        ),
        look_for="How much the loss chart wiggles, and how far each curve gets.",
        try_next=(
            "Give the full batch a larger learning rate (0.3 or 1): with one step per epoch "
            "it can afford bigger steps."
        ),
        variants=_variants(
            _BATCH,
            {"dataset": "circle", "noise": 20},
            ("one", "Batch size 1", {"batch": 1}),
            ("ten", "Batch size 10", {"batch": 10}),
            ("full", "Full batch", {"batch": 0}),
        ),
        epochs=_BATCH,
        measure=_measure_batch,
        readouts=(
            Readout("rising_epochs_one", "Epochs where the loss rose, batch 1"),
            Readout("rising_epochs_full", "Epochs where the loss rose, full batch"),
            Readout("final_loss_one", "Final loss, batch 1", "{:.3f}"),
            Readout("final_loss_full", "Final loss, full batch", "{:.3f}"),
        ),
        figures=("loss_side_by_side",),
    ),
    Lesson(
        number=9,
        slug="overfitting",
        title="Regularisation narrows the train/test gap",
        story=(
            "With few, noisy training points and a big network, the network learns the "
            "noise: the training loss keeps falling while the test loss stalls or rises. L2 "
            "regularisation pulls weights towards zero, and dropout switches random units "
            "off during training; both keep the learned function simpler."
        ),
        claim=(
            f"After {_OVERFIT} epochs, L2 (rate 0.01) and dropout (0.2) both narrow the gap "
            "between test and training loss, here to less than half, and both lower the "
            "test loss."
        ),
        look_for=(
            "Without regularisation the boundary curls around single noisy training points "
            "(test points are shown with a dark outline)."
        ),
        try_next="Train on 80% of the data instead of 20% and watch the gap.",
        variants=_variants(
            _OVERFIT,
            {
                "dataset": "circle",
                "noise": 50,
                "ratio": 20,
                "hidden": (8, 8, 8),
                "optimizer": "adam",
                "show_test": True,
            },
            ("plain", "No regularisation", {}),
            ("l2", "L2, rate 0.01", {"reg": "l2", "reg_rate": 0.01}),
            ("dropout", "Dropout 0.2", {"dropout": 0.2}),
        ),
        epochs=_OVERFIT,
        measure=_measure_overfitting,
        readouts=(
            Readout("gap_plain", "Test − train loss, none", "{:.3f}"),
            Readout("gap_l2", "Test − train loss, L2", "{:.3f}"),
            Readout("gap_dropout", "Test − train loss, dropout", "{:.3f}"),
        ),
        figures=("train_test_curves", "decision_maps"),
    ),
    Lesson(
        number=10,
        slug="features",
        title="The right features make the circle linear",
        story=(
            "A single sigmoid unit (logistic regression) draws a straight line in its input "
            "space. Give it X₁² and X₂² instead of X₁ and X₂: inner points have small values "
            "of both, so a straight line in these new inputs (w₁X₁² + w₂X₂² + b = 0) separates "
            "the classes, and in the plane that line is an ellipse around the centre."
        ),
        claim=(
            f"Without hidden layers, after {_FEATURES} epochs test accuracy is at most 75% "
            "with X₁ and X₂, and at least 95% with X₁² and X₂²."
        ),
        look_for="A network with no hidden layer at all draws a round boundary.",
        try_next="Try the spiral: which features help there, and how many hidden units?",
        variants=_variants(
            _FEATURES,
            {"dataset": "circle", "hidden": (), "output": "sigmoid", "loss": "bce"},
            ("plain", "Inputs X₁, X₂", {"features": ("x1", "x2")}),
            ("squares", "Inputs X₁², X₂²", {"features": ("x1_sq", "x2_sq")}),
        ),
        epochs=_FEATURES,
        measure=_measure_xor,
        readouts=(
            Readout("test_accuracy_plain", "Test accuracy, X₁ and X₂"),
            Readout("test_accuracy_squares", "Test accuracy, X₁² and X₂²"),
        ),
        figures=("decision_maps",),
    ),
    Lesson(
        number=11,
        slug="softmax",
        title="Softmax with cross-entropy beats MSE for classes",
        story=(
            "For several classes the network has one output per class, and softmax turns "
            "them into probabilities. Cross-entropy, −log p(true class), has the gradient "
            "p − y on the logits: large whenever the network is wrong. MSE's gradient also "
            "passes through softmax's slope, which is small when the network is confidently "
            "wrong, so it learns more slowly."
        ),
        claim=(
            f"On the 3-arm spiral, after {_SOFTMAX} epochs training accuracy is at least 90% "
            "with cross-entropy and below 80% with MSE (same network, data, starting weights "
            "and learning rate)."
        ),
        look_for="The colours of the three regions, and how fast each loss gets there.",
        try_next="Open the Softmax page and see why MSE also counts the wrong classes.",
        variants=_variants(
            _SOFTMAX,
            {
                "dataset": "spiral_k",
                "classes": 3,
                "hidden": (8, 8),
                "features": ("x1", "x2", "sin_x1", "sin_x2"),
                "output": "softmax",
            },
            ("cross_entropy", "Softmax + cross-entropy", {"loss": "cross_entropy"}),
            ("mse", "Softmax + MSE", {"loss": "mse"}),
        ),
        epochs=_SOFTMAX,
        measure=_measure_softmax,
        readouts=(
            Readout("train_accuracy_cross_entropy", "Training accuracy, cross-entropy"),
            Readout("train_accuracy_mse", "Training accuracy, MSE"),
        ),
        figures=("accuracy_curves", "decision_maps"),
    ),
    Lesson(
        number=12,
        slug="optimizers",
        title="Optimiser race: SGD, momentum and Adam",
        story=(
            "Plain SGD steps along the current gradient. Momentum keeps a running sum of "
            "past gradients, so it speeds up in directions that stay consistent. Adam also "
            "divides each weight's step by the recent size of its gradient, so every weight "
            "moves at a useful pace."
        ),
        claim=(
            f"On the spiral, with the same learning rate 0.01, after {_RACE} epochs SGD's "
            "training loss is still above 0.35 (it starts near 0.5), while momentum's and "
            "Adam's are less than half of SGD's."
        ),
        look_for="The three loss curves: which one drops first, and which one stalls.",
        try_next="Raise SGD's learning rate to 0.1. How close does it get now?",
        variants=_variants(
            _RACE,
            {"dataset": "spiral", "hidden": (8, 8), "lr": 0.01},
            ("sgd", "SGD", {"optimizer": "sgd"}),
            ("momentum", "Momentum", {"optimizer": "momentum"}),
            ("adam", "Adam", {"optimizer": "adam"}),
        ),
        epochs=_RACE,
        measure=_measure_race,
        readouts=(
            Readout("final_loss_sgd", "Final loss, SGD", "{:.3f}"),
            Readout("final_loss_momentum", "Final loss, momentum", "{:.3f}"),
            Readout("final_loss_adam", "Final loss, Adam", "{:.3f}"),
        ),
        figures=("loss_curves",),
    ),
)

LESSONS: dict[str, Lesson] = {lesson.slug: lesson for lesson in LESSON_LIST}


def lesson_label(slug: str) -> str:
    """'1. XOR needs a hidden layer' for a slug (for the lesson picker)."""
    lesson = LESSONS[slug]
    return f"{lesson.number}. {lesson.title}"
