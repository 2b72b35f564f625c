"""Challenges: tasks a teacher hands out, each a Playground setup with locks and a goal that is
checked on the server from the run's real numbers (never from what a browser says).

A ``Challenge`` is data (its words, its setup, what its link locks and hides) plus a predicate
over ``Numbers``: the trained run's test loss and accuracy, its network as built (hidden units,
depth, activations), its input features and its epoch. ``Challenge.met`` also requires every
locked setting to have the challenge's value, so a link edited by hand (``lock=`` removed)
cannot tick a goal on other terms. Each challenge carries a known solution (setting changes
and epochs) and a known non-solution; tests/unit/test_challenges.py trains both.

Pure Python (no Streamlit): the Challenges page (app_pages/7_Challenges.py), the Playground's
goal line (ui/challenge_bar.py) and the tests read it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import engine

from .run import TrainingRun, metrics
from .settings import SETTINGS, PlaygroundSettings

ALL_FEATURES = tuple(engine.FEATURES)
RAW_INPUTS = ("x1", "x2")
# Products of the inputs: what "feature crosses" means (x1², x2² are x1·x1 and x2·x2).
CROSSES = frozenset(("x1_x2", "x1_sq", "x2_sq"))
MET, OPEN = "met", "open"  # a goal's state, as the caption's data-goal says it (tests read it)


@dataclass(frozen=True)
class Numbers:
    """What a goal is checked against: the run as it is now (``numbers_of``)."""

    epoch: int
    test_loss: float
    test_accuracy: float  # NaN for regression
    hidden: tuple[int, ...]  # units per hidden layer of the network as built
    activations: tuple[str, ...]  # per hidden layer
    features: tuple[str, ...]
    settings: PlaygroundSettings

    @property
    def hidden_units(self) -> int:
        return sum(self.hidden)

    @property
    def depth(self) -> int:
        return len(self.hidden)


def numbers_of(run: TrainingRun) -> Numbers:
    """The run's numbers: its newest test loss and accuracy (``playground.run.metrics``), its
    epoch, and its network read from the model itself (its layer sizes), not from a widget."""
    values = metrics(run)
    sizes = run.model.layer_sizes
    settings = run.settings
    return Numbers(
        epoch=run.epoch,
        test_loss=values["test_loss"],
        test_accuracy=values["test_accuracy"],
        hidden=tuple(sizes[1:-1]),
        activations=tuple(settings.hidden_activations),
        features=tuple(settings.features),
        settings=settings,
    )


@dataclass(frozen=True)
class Challenge:
    """One task. ``goal`` is the short line the Playground shows; ``check`` is its test."""

    slug: str
    title: str
    statement: str
    hint: str
    goal: str
    setup: PlaygroundSettings  # what the link opens (before its locks and goal key)
    lock: tuple[str, ...]  # lock= words: the constraints
    check: Callable[[Numbers], bool]
    # A known solution and a known non-solution: setting changes and epochs to train.
    solution: Mapping[str, Any] = field(default_factory=dict)
    solution_epochs: int = 200
    non_solution: Mapping[str, Any] = field(default_factory=dict)
    non_solution_epochs: int = 200
    kind: str = "classification"  # what the Challenges page groups it under

    def settings(self) -> PlaygroundSettings:
        """The setup with this challenge's locks and goal key, as its link carries them."""
        return dataclasses.replace(self.setup, lock=self.lock, challenge=self.slug)

    def link(self) -> str:
        """The Playground link that opens it (relative to the app's root)."""
        return "/?" + urlencode(self.settings().to_query_params(), safe=",")

    def terms(self) -> dict[str, Any]:
        """The settings its locks fix, at the challenge's values (the goal counts only with
        these)."""
        locking = self.settings()
        return {
            spec.name: getattr(self.setup, spec.name)
            for spec in SETTINGS
            if locking.locks(spec.name)
        }

    def met(self, numbers: Numbers) -> bool:
        """Whether a run meets the goal: trained at least one epoch, on the challenge's terms
        (every locked setting as the challenge set it), and its ``check`` holds."""
        on_terms = all(
            getattr(numbers.settings, name) == value for name, value in self.terms().items()
        )
        return numbers.epoch > 0 and on_terms and bool(self.check(numbers))


def _setup(**values: Any) -> PlaygroundSettings:
    """A usable setup (dependent choices such as a softmax output for 3 classes follow)."""
    return PlaygroundSettings().with_changes(**values)


# The tasks, in the order the Challenges page lists them (easy first). Their thresholds have
# a margin over the known solution's numbers (tests/unit/test_challenges.py trains them).
_CHALLENGES = (
    Challenge(
        slug="circle-no-hidden",
        title="A circle without hidden layers",
        statement="Classify the circle with no hidden layer at all: test accuracy at least 95 %.",
        hint="A straight line cannot surround the centre, but x1² + x2² is the squared radius: "
        "try the squared features.",
        goal="no hidden layer, test accuracy ≥ 95 %",
        setup=_setup(dataset="circle", hidden=(), lr=0.1),
        lock=("dataset", "hidden"),
        check=lambda n: n.depth == 0 and n.test_accuracy >= 0.95,
        solution={"features": ("x1_sq", "x2_sq")},
        solution_epochs=100,
        non_solution={"features": RAW_INPUTS},
        non_solution_epochs=100,
    ),
    Challenge(
        slug="xor-crosses",
        title="XOR with feature crosses only",
        statement="Train XOR with no hidden layer, using only feature crosses (x1x2, x1², x2²) as "
        "inputs: test accuracy at least 95 %.",
        hint="XOR's class is the sign of x1 times x2.",
        goal="no hidden layer, only crosses, test accuracy ≥ 95 %",
        setup=_setup(dataset="xor", hidden=(), lr=0.1),
        lock=("dataset", "hidden"),
        check=lambda n: n.depth == 0 and set(n.features) <= CROSSES and n.test_accuracy >= 0.95,
        solution={"features": ("x1_x2",)},
        solution_epochs=100,
        non_solution={"features": RAW_INPUTS},
        non_solution_epochs=100,
    ),
    Challenge(
        slug="circle-three",
        title="Three neurons for a circle",
        statement="Reach test loss below 0.05 on the circle with only x1 and x2 as inputs and "
        "one hidden layer of 3 neurons.",
        hint="The network is fixed; the learning rate is not. Too small and it crawls.",
        goal="x1, x2 and 3 neurons, test loss < 0.05",
        setup=_setup(dataset="circle", features=RAW_INPUTS, hidden=(3,), lr=0.001),
        lock=("dataset", "features", "hidden"),
        check=lambda n: n.hidden == (3,) and n.features == RAW_INPUTS and n.test_loss < 0.05,
        solution={"lr": 0.1},
        non_solution={},  # the setup's learning rate: 200 epochs are far too few
    ),
    Challenge(
        slug="xor-fast",
        title="XOR in 50 epochs",
        statement="Reach test accuracy of at least 95 % on XOR within the first 50 epochs.",
        hint="A bigger step, or an optimiser that adapts its step.",
        goal="test accuracy ≥ 95 % by epoch 50",
        # Training stops at epoch 50 (locked): the run's state there is what counts.
        setup=_setup(dataset="xor", lr=0.003, stop_epoch=50),
        lock=("dataset", "features", "hidden", "stop"),
        check=lambda n: n.epoch <= 50 and n.test_accuracy >= 0.95,
        solution={"lr": 0.3},
        solution_epochs=50,
        non_solution={},
        non_solution_epochs=50,
    ),
    Challenge(
        slug="relu-depth-6",
        title="Six ReLU layers that train",
        statement="Make a ReLU network with 6 hidden layers of 8 train on the spiral: test "
        "accuracy at least 95 %.",
        hint="Look at the initialisation: with weights drawn too large or all zero, a deep ReLU "
        "network's signal explodes or never starts.",
        goal="6 ReLU layers, test accuracy ≥ 95 %",
        setup=_setup(
            dataset="spiral",
            features=ALL_FEATURES,
            hidden=(8,) * 6,
            activation=("relu",),
            init="normal",
        ),
        lock=("dataset", "features", "hidden", "activation"),
        check=lambda n: n.depth == 6 and set(n.activations) == {"relu"} and n.test_accuracy >= 0.95,
        solution={"init": "he_normal"},
        non_solution={},  # init normal: stuck near chance
    ),
    Challenge(
        slug="sigmoid-deep",
        title="A deep sigmoid network",
        statement="Train a network of 5 sigmoid layers of 4 neurons on the circle: test accuracy "
        "at least 95 %.",
        hint="Each sigmoid layer scales the gradient by at most 0.25: start from weights scaled "
        "for the layer's size, and let the optimiser adapt the step.",
        goal="5 sigmoid layers, test accuracy ≥ 95 %",
        setup=_setup(dataset="circle", hidden=(4,) * 5, activation=("sigmoid",)),
        lock=("dataset", "hidden", "activation"),
        check=lambda n: (
            n.depth == 5 and set(n.activations) == {"sigmoid"} and n.test_accuracy >= 0.95
        ),
        solution={"init": "xavier_uniform", "optimizer": "adam"},
        solution_epochs=300,
        non_solution={},  # plain SGD from the Playground's weights: it stalls
        non_solution_epochs=300,
    ),
    Challenge(
        slug="spiral-twelve",
        title="The spiral with 12 neurons",
        statement="Separate the spiral with at most 12 hidden neurons in all: test loss below 0.1.",
        hint="With only x1 and x2 the network must build the curls itself; the sine features "
        "already curl.",
        goal="≤ 12 hidden neurons, test loss < 0.1",
        setup=_setup(dataset="spiral", features=RAW_INPUTS, hidden=(8, 4), lr=0.03),
        lock=("dataset", "noise"),
        check=lambda n: n.hidden_units <= 12 and n.test_loss < 0.1,
        solution={"features": ALL_FEATURES, "optimizer": "adam"},
        solution_epochs=300,
        non_solution={"optimizer": "adam"},  # x1 and x2 only
        non_solution_epochs=300,
    ),
    Challenge(
        slug="spiral-arms",
        title="Three spiral arms",
        statement="Classify three spiral arms (softmax, cross-entropy) with at most two hidden "
        "layers: test accuracy at least 85 %.",
        hint="Three arms need a richer input (the sine features), wider layers and Adam.",
        goal="≤ 2 hidden layers, test accuracy ≥ 85 %",
        setup=_setup(dataset="spiral_k", classes=3, features=RAW_INPUTS, hidden=(8, 8)),
        lock=("dataset", "output", "loss"),
        check=lambda n: n.depth <= 2 and n.test_accuracy >= 0.85,
        solution={"features": ALL_FEATURES, "hidden": (16, 16), "optimizer": "adam", "lr": 0.01},
        solution_epochs=300,
        non_solution={"optimizer": "adam"},
        non_solution_epochs=300,
    ),
    Challenge(
        slug="plane-linear",
        title="A plane is a linear model",
        statement="Fit the plane (regression) with no hidden layer: test loss (mean squared "
        "error) below 0.001.",
        hint="A plane is w₁x1 + w₂x2 + b: the output neuron alone is enough.",
        goal="no hidden layer, test loss < 0.001",
        setup=_setup(dataset="plane"),
        lock=("dataset", "loss"),
        check=lambda n: n.depth == 0 and n.test_loss < 0.001,
        solution={"hidden": ()},
        solution_epochs=100,
        non_solution={"hidden": (), "lr": 0.0001},  # too small a step for 100 epochs
        non_solution_epochs=100,
        kind="regression",
    ),
    Challenge(
        slug="multi-gauss-eight",
        title="Bumps with eight neurons",
        statement="Fit the multi-Gaussian surface (regression) with at most 8 hidden neurons: "
        "test loss below 0.02.",
        hint="Each bump needs a few neurons to build; Adam gets there sooner.",
        goal="≤ 8 hidden neurons, test loss < 0.02",
        setup=_setup(dataset="multi_gauss", hidden=(2,)),
        lock=("dataset", "loss"),
        check=lambda n: n.hidden_units <= 8 and n.test_loss < 0.02,
        solution={"hidden": (6, 2), "optimizer": "adam"},
        solution_epochs=300,
        non_solution={"optimizer": "adam"},  # two neurons: not enough
        non_solution_epochs=300,
        kind="regression",
    ),
)
CHALLENGES: dict[str, Challenge] = {challenge.slug: challenge for challenge in _CHALLENGES}


def challenge_of(settings: PlaygroundSettings) -> Challenge | None:
    """The challenge a Playground's settings name (``challenge=``), or None."""
    return CHALLENGES.get(settings.challenge)


def goal_state(run: TrainingRun) -> str | None:
    """``MET`` or ``OPEN`` for a run with a challenge, None without one."""
    challenge = challenge_of(run.settings)
    if challenge is None:
        return None
    return MET if challenge.met(numbers_of(run)) else OPEN


def goal_words(state: str | None) -> str:
    """The caption's first words: '✓ Goal met' or 'Goal not met yet' ("" without a goal)."""
    return {MET: "✓ Goal met", OPEN: "Goal not met yet"}.get(state or "", "")
