"""The playground's settings: one frozen object, validated, and round-tripped through the URL.

Every field has a URL key (``QUERY_KEYS``).  ``from_query_params`` never raises: a value
it cannot use is replaced by the default and reported as a plain sentence, so a malformed
link still opens a working playground. The sentences are Markdown (the page shows them in a
warning): every value from the link in them goes through ``playground.quote.code``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import engine

from .palette import DEFAULT_PALETTE, PALETTES
from .quote import code

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATIONS = ("none", "l1", "l2")
BATCH_SIZES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 16, 20, 25, 30, 32, 50, 64, 100, 128, 250, 0)
FULL_BATCH = 0  # batch size 0 means "the whole training set"
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500)  # epochs per frame, chosen explicitly
# Speed 0 means "auto": as many epochs per frame as keep the pace at ui.live's target epochs/s
# (URL ``speed=auto``), like batch 0 means the whole training set.
AUTO_SPEED = 0
SPEED_CHOICES = (AUTO_SPEED, *SPEEDS)
CLIP_NORMS = (0.0, 0.1, 0.5, 1.0, 5.0, 10.0)  # 0 = no clipping
DROPOUTS = (0.0, 0.1, 0.2, 0.3, 0.5)
NOISE_LEVELS = tuple(range(0, 55, 5))  # TensorFlow Playground's 0–50 slider
TRAIN_RATIOS = tuple(range(10, 100, 10))
MAX_SEED = 2**31 - 1
MAX_STOP_EPOCH = 10_000_000
# The rate L1 or L2 starts with when chosen while the rate is 0 (which would do nothing).
DEFAULT_REGULARIZATION_RATE = 0.003

# Controls that ``hide=`` may hide (classroom mode), named as the URL keys they set.
HIDEABLE = (
    "dataset",
    "noise",
    "ratio",
    "batch",
    "seed",
    "features",
    "hidden",
    "activation",
    "output",
    "loss",
    "init",
    "dropout",
    "optimizer",
    "lr",
    "reg",
    "reg_rate",
    "clip",
    "speed",
    "stop",
    "show_test",
    "discretize",
    "edit",
)


def outputs_for(dataset: str, n_classes: int) -> tuple[str, ...]:
    """Output activations that make sense for a data set (the first is the default)."""
    kind = engine.DATASETS[dataset].kind
    if kind == "regression":
        return ("linear", "tanh")
    if n_classes > 2:
        return ("softmax",)
    return ("tanh", "sigmoid", "softmax", "linear")


def losses_for(output: str, dataset: str) -> tuple[str, ...]:
    """Losses valid for an output on a data set (the first is the default)."""
    if engine.DATASETS[dataset].kind == "regression":
        return ("mse", "mae")
    natural = {"sigmoid": "bce", "softmax": "cross_entropy"}.get(output)
    valid = [loss for loss, outputs in engine.LOSS_OUTPUTS.items() if output in outputs]
    return tuple(sorted(valid, key=lambda loss: loss != (natural or "mse")))


@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything a user can set.  Defaults are TensorFlow Playground's."""

    dataset: str = "circle"
    classes: int = 3  # for the 3–5 class data sets
    noise: int = 0  # 0–50, TensorFlow Playground's slider; the generators get noise / 100
    ratio: int = 50  # percent of points used for training
    batch: int = 10  # 0 = full batch
    seed: int = 1  # data seed
    init_seed: int = 1  # initial-weights seed (Reset draws the next one)
    features: tuple[str, ...] = engine.DEFAULT_FEATURES
    hidden: tuple[int, ...] = (4, 2)
    activation: tuple[str, ...] = ("tanh",)  # one for all layers, or one per hidden layer
    output: str = "tanh"
    loss: str = "mse"
    init: str = "playground"
    dropout: float = 0.0
    optimizer: str = "sgd"
    lr: float = 0.03
    reg: str = "none"
    reg_rate: float = 0.0
    clip: float = 0.0
    speed: int = AUTO_SPEED  # epochs per frame; AUTO_SPEED: as many as keep the target pace
    stop_epoch: int = 0  # 0 = never
    stop_loss: float = 0.0  # 0 = never
    show_test: bool = False
    discretize: bool = False
    present: bool = False  # presentation mode: type and lines sized for a projector
    palette: str = DEFAULT_PALETTE  # the figures' data colours (playground.palette.PALETTES)
    hide: tuple[str, ...] = field(default=())

    # -- derived

    @property
    def kind(self) -> str:
        return engine.DATASETS[self.dataset].kind

    @property
    def n_classes(self) -> int:
        generator = engine.DATASETS[self.dataset]
        return self.classes if generator.n_classes == -1 else generator.n_classes

    @property
    def hidden_activations(self) -> tuple[str, ...]:
        if len(self.activation) == 1:
            return self.activation * len(self.hidden)
        return self.activation

    @property
    def layer_sizes(self) -> list[int]:
        n_out = self.n_classes if self.output == "softmax" else 1
        return [len(self.features), *self.hidden, n_out]

    def structure_key(self) -> tuple:
        """Settings whose change needs new data or a new network (everything else doesn't)."""
        return (
            self.dataset,
            self.n_classes,
            self.noise,
            self.ratio,
            self.seed,
            self.init_seed,
            self.features,
            self.hidden,
            self.hidden_activations,
            self.output,
            self.loss,
            self.init,
        )

    # -- validation

    def normalized(self) -> tuple[PlaygroundSettings, list[str]]:
        """A consistent copy, and a sentence for each value that had to be replaced."""
        problems: list[str] = []
        values = dataclasses.asdict(self)
        defaults = PlaygroundSettings()

        def reset(name: str, why: str) -> None:
            problems.append(f"{why}; using {_default_text(name)} instead.")
            values[name] = getattr(defaults, name)

        if values["dataset"] not in engine.DATASETS:
            reset("dataset", f"There is no data set called {code(values['dataset'])}")
        low, high = engine.datasets.MULTICLASS_RANGE
        if not low <= values["classes"] <= high:
            reset("classes", f"The number of classes must be {low}–{high}")
        for name, allowed in (
            ("noise", NOISE_LEVELS),
            ("ratio", TRAIN_RATIOS),
            ("batch", BATCH_SIZES),
            ("speed", SPEED_CHOICES),
            ("lr", LEARNING_RATES),
            ("reg_rate", REGULARIZATION_RATES),
            ("clip", CLIP_NORMS),
            ("dropout", DROPOUTS),
        ):
            if values[name] not in allowed:
                shown = code(f"{name}={_describe(values[name])}")
                reset(name, f"{shown} is not one of the choices")
        for name in ("seed", "init_seed"):
            if not 0 <= values[name] <= MAX_SEED:
                reset(name, f"{name} must be a whole number from 0 to {MAX_SEED}")
        if not 0 <= values["stop_epoch"] <= MAX_STOP_EPOCH:
            reset("stop_epoch", "The stop epoch must be between 0 (never) and 10,000,000")
        if not (math.isfinite(values["stop_loss"]) and 0 <= values["stop_loss"] < 100):
            reset("stop_loss", "The target loss must be a number from 0 (never) to 100")
        try:
            values["features"] = engine.check_features(values["features"])
        except (ValueError, TypeError):
            # Our own sentence, not the engine's: it quotes the value safely and keeps it short.
            unknown = [name for name in values["features"] if name not in engine.FEATURES]
            reset(
                "features",
                f"There is no input feature called {code(unknown[0])} (the choices: "
                f"{', '.join(engine.FEATURES)})"
                if unknown
                else "Choose at least one input feature",
            )
        if len(values["hidden"]) > engine.MAX_HIDDEN_LAYERS or not all(
            1 <= units <= engine.MAX_UNITS_PER_LAYER for units in values["hidden"]
        ):
            reset(
                "hidden",
                f"{code('hidden=' + _describe(values['hidden']))} is not a network: layers must "
                f"have 1–{engine.MAX_UNITS_PER_LAYER} neurons, at most "
                f"{engine.MAX_HIDDEN_LAYERS} layers",
            )
        activations = values["activation"]
        if (
            not activations
            or any(a not in engine.HIDDEN_ACTIVATIONS for a in activations)
            or (len(activations) > 1 and len(activations) != len(values["hidden"]))
        ):
            reset(
                "activation",
                f"{code('activation=' + _describe(activations))} is not usable: the activation "
                f"must be one of {', '.join(engine.HIDDEN_ACTIVATIONS)} (one, or one per layer)",
            )
        if values["init"] not in engine.INITIALIZERS:
            reset(
                "init",
                f"There is no initialisation called {code(values['init'])} "
                f"(the choices: {', '.join(engine.INITIALIZERS)})",
            )
        if values["optimizer"] not in engine.OPTIMIZERS:
            reset(
                "optimizer",
                f"There is no optimiser called {code(values['optimizer'])} "
                f"(the choices: {', '.join(engine.OPTIMIZERS)})",
            )
        if values["reg"] not in REGULARIZATIONS:
            reset(
                "reg",
                f"There is no regularisation called {code(values['reg'])} (the choices: "
                f"{', '.join(REGULARIZATIONS)})",
            )
        if values["palette"] not in PALETTES:
            reset(
                "palette",
                f"There are no colours called {code(values['palette'])} "
                f"(the choices: {', '.join(PALETTES)})",
            )
        values["hide"] = tuple(name for name in values["hide"] if name in HIDEABLE)
        # Output and loss depend on the data set: fall back quietly to the natural choice
        # when the data set changed, loudly when the URL asked for something impossible.
        settled = PlaygroundSettings(**values)
        outputs = outputs_for(settled.dataset, settled.n_classes)
        if settled.output not in outputs:
            problems.append(
                f"A {code(settled.output)} output does not fit the {settled.dataset} data; "
                f"using {code(outputs[0])}."
            )
            settled = dataclasses.replace(settled, output=outputs[0])
        losses = losses_for(settled.output, settled.dataset)
        if settled.loss not in losses:
            problems.append(
                f"The {code(settled.loss)} loss does not fit a {code(settled.output)} output "
                f"on this data; using {code(losses[0])}."
            )
            settled = dataclasses.replace(settled, loss=losses[0])
        return settled, problems

    def with_changes(self, **changes) -> PlaygroundSettings:
        """A copy with ``changes`` applied, made consistent (dependent choices follow).

        Used by the controls: choosing a regression data set, say, switches the output to
        linear without a warning (the user did not ask for anything impossible).
        """
        candidate = dataclasses.replace(self, **changes)
        if candidate.reg != "none" and candidate.reg_rate == 0 and "reg_rate" not in changes:
            # Choosing L1 or L2 with a rate of 0 would silently do nothing.
            candidate = dataclasses.replace(candidate, reg_rate=DEFAULT_REGULARIZATION_RATE)
        outputs = outputs_for(candidate.dataset, candidate.n_classes)
        problem_changed = (candidate.kind, candidate.n_classes > 2) != (
            self.kind,
            self.n_classes > 2,
        )
        if candidate.output not in outputs or (problem_changed and "output" not in changes):
            # A new kind of problem gets its natural output (linear for regression, …).
            candidate = dataclasses.replace(candidate, output=outputs[0])
        losses = losses_for(candidate.output, candidate.dataset)
        output_changed = candidate.output != self.output or problem_changed
        if candidate.loss not in losses or (output_changed and "loss" not in changes):
            # A new output gets its natural loss (bce for sigmoid, cross-entropy for softmax).
            candidate = dataclasses.replace(candidate, loss=losses[0])
        if len(candidate.activation) > 1 and len(candidate.activation) != len(candidate.hidden):
            candidate = dataclasses.replace(candidate, activation=candidate.activation[:1])
        return candidate.normalized()[0]

    # -- URL

    def to_query_params(self) -> dict[str, str]:
        """Readable query parameters for every setting (a link reproduces the setup)."""
        params = {
            "dataset": self.dataset,
            "noise": str(self.noise),
            "ratio": str(self.ratio),
            "batch": "full" if self.batch == FULL_BATCH else str(self.batch),
            "seed": str(self.seed),
            "init_seed": str(self.init_seed),
            "features": ",".join(self.features),
            "hidden": ",".join(map(str, self.hidden)) or "none",
            "activation": ",".join(self.activation),
            "output": self.output,
            "loss": self.loss,
            "init": self.init,
            "dropout": _number(self.dropout),
            "optimizer": self.optimizer,
            "lr": _number(self.lr),
            "reg": self.reg,
            "reg_rate": _number(self.reg_rate),
            "clip": _number(self.clip),
            "speed": "auto" if self.speed == AUTO_SPEED else str(self.speed),
            "stop_epoch": str(self.stop_epoch),
            "stop_loss": _number(self.stop_loss),
            "show_test": str(self.show_test).lower(),
            "discretize": str(self.discretize).lower(),
            "palette": self.palette,
        }
        if engine.DATASETS[self.dataset].n_classes == -1:
            params["classes"] = str(self.classes)
        if self.present:
            params["present"] = "1"
        if self.hide:
            params["hide"] = ",".join(self.hide)
        return params

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, object]
    ) -> tuple[PlaygroundSettings, list[str]]:
        """Settings from a URL's query parameters, and plain sentences about what was wrong.

        Never raises: unknown keys are ignored, unusable values fall back to defaults.
        """
        defaults = cls()
        values: dict[str, object] = {}
        problems: list[str] = []
        for key, parse in _PARSERS.items():
            if key not in params:
                continue
            raw = params[key]
            text = str(raw[-1] if isinstance(raw, list | tuple) and raw else raw).strip()
            try:
                values[_FIELD_FOR_KEY.get(key, key)] = parse(text)
            except (ValueError, TypeError, OverflowError):
                field_name = _FIELD_FOR_KEY.get(key, key)
                problems.append(
                    f"The link's {code(f'{key}={text}')} is not valid; using "
                    f"{_default_text(field_name)} instead."
                )
        # Without an explicit output or loss, a data set gets its natural ones (a plane
        # link means a linear output with mse, as in TensorFlow Playground).
        dataset = values.get("dataset", defaults.dataset)
        if dataset in engine.DATASETS:
            probe = dataclasses.replace(
                defaults, dataset=dataset, classes=values.get("classes", defaults.classes)
            )
            if "output" not in values:
                values["output"] = outputs_for(dataset, probe.n_classes)[0]
            if "loss" not in values and values["output"] in engine.OUTPUT_ACTIVATIONS:
                values["loss"] = losses_for(values["output"], dataset)[0]
        settings, more = cls(**values).normalized()
        return settings, problems + more

    def train_config(self, n_train: int) -> engine.TrainConfig:
        """The trainer's hyper-parameters for these settings (``n_train``: training rows,
        the size of a full batch)."""
        return engine.TrainConfig(
            loss=self.loss,
            optimizer=self.optimizer,
            learning_rate=self.lr,
            batch_size=n_train if self.batch == FULL_BATCH else self.batch,
            l1=self.reg_rate if self.reg == "l1" else 0.0,
            l2=self.reg_rate if self.reg == "l2" else 0.0,
            dropout=self.dropout,
            clip_norm=self.clip or None,
        )


def _number(value: float) -> str:
    return f"{value:g}"


def _default_text(name: str) -> str:
    """A field's default as a link writes it (``auto``, not the 0 that stands for it)."""
    defaults = PlaygroundSettings()
    value = getattr(defaults, name)
    if isinstance(value, bool):  # on/off, the switch's words, not a link's true/1
        return _describe(value)
    return defaults.to_query_params().get(name) or _describe(value)


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple):
        return ",".join(map(str, value)) or "none"
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in text.split(",") if part.strip())


def _integers(text: str) -> tuple[int, ...]:
    if text.lower() in ("", "none"):
        return ()
    return tuple(int(part) for part in text.split(","))


def _boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise ValueError(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _batch(text: str) -> int:
    return FULL_BATCH if text.lower() in ("full", "all") else int(text)


def _speed(text: str) -> int:
    """``auto`` or a number of epochs per frame (links from before ``auto`` carry a number)."""
    return AUTO_SPEED if text.lower() == "auto" else int(text)


_PARSERS = {
    "dataset": str.lower,
    "classes": int,
    "noise": int,
    "ratio": int,
    "batch": _batch,
    "seed": int,
    "init_seed": int,
    "features": _names,
    "hidden": _integers,
    "activation": _names,
    "output": str.lower,
    "loss": str.lower,
    "init": str.lower,
    "dropout": _float,
    "optimizer": str.lower,
    "lr": _float,
    "reg": str.lower,
    "reg_rate": _float,
    "clip": _float,
    "speed": _speed,
    "stop_epoch": int,
    "stop_loss": _float,
    "show_test": _boolean,
    "discretize": _boolean,
    "present": _boolean,
    "palette": str.lower,
    "hide": _names,
}
_FIELD_FOR_KEY: dict[str, str] = {}
