"""The playground's settings: one frozen object, each field declared once, with its URL.

Every field of ``PlaygroundSettings`` is made by ``setting(default, kind, ...)``: a ``Setting``
in the field's metadata (like TensorFlow Playground's ``PROPS`` in ``state.ts``) says how a link
writes it, which values are usable and the sentence when one is not, which word of ``hide=``
hides its control, whether a change rebuilds the training run, and what its widget shows.
Derived from that table (``SETTINGS``): the URL both ways, the validation (``normalized``),
``HIDEABLE``, ``ui.controls.widget_values`` and the live/rebuild split (``structure_key``, which
``playground.run.updated_run`` compares). ``output_and_loss`` alone picks the natural output
and loss of a data set.

``from_query_params`` never raises: a value it cannot use is replaced by the default and
reported as a plain sentence (Markdown, every value from the link through
``playground.quote.code``), so a malformed link still opens a working playground.

Adding a setting: (1) a field below, ``name: type = setting(default, kind, ...)`` with
``choices``, ``bounds`` or ``usable`` for its usable values, ``rebuilds=True`` if it needs new
data or a new network (else it is applied live: a trainer's hyper-parameter in
``playground.run.apply_hyperparameters``, a view where it is drawn), ``hide=False`` if a link
may not hide it; (2) its widget in ``ui/controls.py``, e.g. ``setting_widget(settings, "name",
st.toggle, "Label")``. tests/property/test_settings_table_property.py then checks its URL round
trip, its fallback and that a link can hide it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import engine

from .palette import DEFAULT_PALETTE, PALETTES
from .quote import code

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# L2 adds rate·w to the gradient (an adaptive optimiser rescales it: coupled); "decay" is
# decoupled weight decay (AdamW): w ← w − lr·rate·w beside the optimiser's step.
REGULARIZATIONS = ("none", "l1", "l2", "decay")
BATCH_SIZES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 16, 20, 25, 30, 32, 50, 64, 100, 128, 250, 0)
FULL_BATCH = 0  # batch size 0 means "the whole training set"
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200, 500)  # epochs per frame, chosen explicitly
# Speed 0 means "auto": as many epochs per frame as keep the pace at ui.live's target epochs/s
# (URL ``speed=auto``), like batch 0 means the whole training set.
AUTO_SPEED = 0
SPEED_CHOICES = (AUTO_SPEED, *SPEEDS)
CLIP_NORMS = (0.0, 0.1, 0.5, 1.0, 5.0, 10.0)  # 0 = no clipping
# Learning-rate schedules (engine/schedules.py): warm-up and decay lengths in epochs, the
# factor per decay length (step, exponential) and cosine's final fraction of the rate.
WARMUP_EPOCHS = (0, 5, 10, 20, 50, 100, 200, 500)
DECAY_EPOCHS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
DECAY_RATES = (0.1, 0.2, 0.5, 0.8, 0.9)
FINAL_FRACTIONS = (0.0, 0.01, 0.1, 0.5)
DROPOUTS = (0.0, 0.1, 0.2, 0.3, 0.5)
NOISE_LEVELS = tuple(range(0, 55, 5))  # TensorFlow Playground's 0–50 slider
TRAIN_RATIOS = tuple(range(10, 100, 10))
MAX_SEED = 2**31 - 1
MAX_STOP_EPOCH = 10_000_000
MULTICLASS_RANGE = engine.datasets.MULTICLASS_RANGE  # classes of the 3–5 class data sets
# The rate L1 or L2 starts with when chosen while the rate is 0 (which would do nothing).
DEFAULT_REGULARIZATION_RATE = 0.003
# Controls ``hide=`` may hide that are not settings: the weight editor (and the diagram's
# click-to-edit). The settings' own words come from the table (``HIDEABLE``).
HIDEABLE_CONTROLS = ("edit",)
# The data set value of your own points (drawn, uploaded or from a link): not a generator.
CUSTOM = "custom"


# ---------------------------------------------------------------- output and loss


def data_kind(dataset: str, n_classes: int) -> str:
    """ "classification" or "regression": the generator's kind, or for your own data (``CUSTOM``)
    its number of classes' (0: regression)."""
    if dataset == CUSTOM:
        return "regression" if n_classes == 0 else "classification"
    return engine.DATASETS[dataset].kind


def outputs_for(dataset: str, n_classes: int) -> tuple[str, ...]:
    """Output activations that make sense for a data set (the first is the natural one)."""
    kind = data_kind(dataset, n_classes)
    if kind == "regression":
        return ("linear", "tanh")
    if n_classes > 2:
        return ("softmax",)
    return ("tanh", "sigmoid", "softmax", "linear")


def losses_for(output: str, dataset: str, n_classes: int = 2) -> tuple[str, ...]:
    """Losses valid for an output on a data set (the first is the natural one; ``n_classes``
    matters only for your own data, whose kind it gives)."""
    if data_kind(dataset, n_classes) == "regression":
        return ("mse", "mae")
    natural = {"sigmoid": "bce", "softmax": "cross_entropy"}.get(output)
    valid = [loss for loss, outputs in engine.LOSS_OUTPUTS.items() if output in outputs]
    return tuple(sorted(valid, key=lambda loss: loss != (natural or "mse")))


def output_and_loss(
    dataset: str, n_classes: int, output: str | None = None, loss: str | None = None
) -> tuple[str, str]:
    """The output and loss to use on a data set: those asked for where they fit, else the
    natural ones (tanh and mse for two classes, as TensorFlow Playground; linear for
    regression; softmax with cross-entropy for more classes; bce for a sigmoid)."""
    outputs = outputs_for(dataset, n_classes)
    output = output if output in outputs else outputs[0]
    losses = losses_for(output, dataset, n_classes)
    return output, loss if loss in losses else losses[0]


def class_count(dataset: str, classes: int, points: str = "") -> int:
    """How many classes a data set has: its own number, or ``classes`` where it lets you choose,
    or what your own data's ``points`` say (0: regression)."""
    if dataset == CUSTOM:
        return _own_shape(points)[1]
    fixed = engine.DATASETS[dataset].n_classes
    return classes if fixed == -1 else fixed


def _own_shape(points: str) -> tuple[str, int]:
    """(kind, classes) of own data; pandas is loaded only when own data is used."""
    from .drawing import own_shape

    try:
        return own_shape(points)
    except ValueError:
        return own_shape("")  # unusable points: the fallback an unusable link gets


# ---------------------------------------------------------------- the record of one setting


class Kind(NamedTuple):
    """How a link writes a kind of value: its text -> the value (raises: "not valid"), and back."""

    parse: Callable[[str], Any]
    format: Callable[[Any], str] = str


class UnusableError(ValueError):
    """A value a setting cannot take: why, and the value to use ``instead`` (None: the default)."""

    def __init__(self, sentence: str, instead: object = None) -> None:
        super().__init__(sentence)
        self.sentence, self.instead = sentence, instead


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Setting:
    """How one setting is read from a link and written back, checked, hidden and applied.

    A value is usable if it is one of ``choices`` or within ``bounds`` (both ends usable) and
    ``usable(value, values)`` says so (``values``: the fields above it, already checked); else
    the sentence is ``why`` with ``{value}`` (as code), ``{pair}`` (``key=value`` as code) and
    ``{key}`` filled in. ``fit(value, values)`` then tidies it, or raises ``UnusableError``
    with a sentence of its own.
    """

    kind: Kind
    choices: tuple = ()
    bounds: tuple[int, int] | None = None
    usable: Callable[[Any, Mapping[str, Any]], bool] | None = None
    why: str = "{pair} is not one of the choices"
    fit: Callable[[Any, Mapping[str, Any]], Any] | None = None
    hide: bool | str = True  # whether ``hide=`` may hide its control: as its name, or this word
    # Whether ``lock=`` may lock it (its control shown but disabled, every change refused): as
    # its ``hide=`` word, or this word (your own points are locked with the data set).
    lock: bool | str = True
    # Whether a change needs new data or a new network (else it is applied live), or what of
    # the settings the run depends on (classes matter only where the data set has a choice).
    rebuilds: bool | Callable[[PlaygroundSettings], Any] = False
    widget: Callable[[Any], Any] | None = _same  # what its widget shows (None: it has none)
    in_link: Callable[[PlaygroundSettings], bool] | None = None  # None: every link carries it
    key: str = ""  # URL key, its name unless given; name and default come from the field
    name: str = ""
    default: Any = None

    def checked(self, value: Any, values: Mapping[str, Any]) -> Any:
        """The value to use for ``value``; raises ``UnusableError`` with its sentence."""
        if (
            (self.choices and value not in self.choices)
            or (self.bounds and not self.bounds[0] <= value <= self.bounds[1])
            or (self.usable and not self.usable(value, values))
        ):
            pair = code(f"{self.key}={_describe(value)}")
            raise UnusableError(self.why.format(value=code(value), pair=pair, key=self.key))
        return self.fit(value, values) if self.fit else value

    def default_text(self) -> str:
        """The default as a link writes it (``auto``, not the 0 that stands for it), or as its
        switch says it (on/off)."""
        if isinstance(self.default, bool):
            return _describe(self.default)
        return self.kind.format(self.default)


SPEC = "setting"  # where a field's metadata keeps its Setting


def setting(default: Any, kind: Kind, **spec: Any) -> Any:
    """A field of ``PlaygroundSettings`` with its ``Setting`` (see there for ``spec``)."""
    return dataclasses.field(default=default, metadata={SPEC: Setting(kind, **spec)})


# ---------------------------------------------------------------- reading and writing links


def _number(value: float) -> str:
    """The shortest text that reads back as the same float: 0.03, 1e-05, 3 (not 3.0)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


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
    return () if text.lower() in ("", "none") else tuple(int(part) for part in text.split(","))


def _boolean(text: str) -> bool:
    if text.lower() in ("true", "1", "yes", "on", "false", "0", "no", "off"):
        return text.lower() in ("true", "1", "yes", "on")
    raise ValueError(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


TEXT = Kind(str.lower)
LOCKS = Kind(  # like NAMES, but "none" (the default as a sentence writes it) locks nothing
    lambda text: () if text.strip().lower() == "none" else _names(text),
    lambda names: ",".join(names) or "none",
)
CHALLENGE = Kind(  # a challenge's slug; "" (none) as "none"
    lambda text: "" if text.strip().lower() == "none" else text.strip().lower(),
    lambda slug: slug or "none",
)
RAW = Kind(str)  # as written: own data's points are base64 (letter case matters)
WHOLE = Kind(int)
NUMBER = Kind(_float, _number)
SWITCH = Kind(_boolean, lambda on: str(on).lower())
NAMES = Kind(_names, ",".join)
LAYERS = Kind(_integers, lambda hidden: ",".join(map(str, hidden)) or "none")
# Batch 0 is "full" (the whole training set), speed 0 "auto" (links from before ``auto`` carry
# a number of epochs per frame).
BATCH = Kind(
    lambda text: FULL_BATCH if text.lower() in ("full", "all") else int(text),
    lambda size: "full" if size == FULL_BATCH else str(size),
)
SPEED = Kind(
    lambda text: AUTO_SPEED if text.lower() == "auto" else int(text),
    lambda speed: "auto" if speed == AUTO_SPEED else str(speed),
)


# ---------------------------------------------------------------- rules beyond choices


def _fit_features(features: Any, values: Mapping[str, Any]) -> tuple[str, ...]:
    try:
        return engine.check_features(features)  # registry order, no duplicates
    except (ValueError, TypeError):
        # Our own sentence, not the engine's: it quotes the value safely and keeps it short.
        unknown = [name for name in features if name not in engine.FEATURES]
        if not unknown:
            raise UnusableError("Choose at least one input feature") from None
        raise UnusableError(
            f"There is no input feature called {code(unknown[0])} (the choices: "
            f"{', '.join(engine.FEATURES)})"
        ) from None


def _network(hidden: Any, values: Mapping[str, Any]) -> bool:
    return len(hidden) <= engine.MAX_HIDDEN_LAYERS and all(
        1 <= units <= engine.MAX_UNITS_PER_LAYER for units in hidden
    )


def _activations(names: Any, values: Mapping[str, Any]) -> bool:
    """One activation for every hidden layer, or one per layer."""
    known = all(name in engine.HIDDEN_ACTIVATIONS for name in names)
    return bool(names) and known and len(names) in (1, len(values["hidden"]))


def _fit_points(points: Any, values: Mapping[str, Any]) -> str:
    """Own data's points (or shape) only with the own data set; a value that cannot be read
    falls back to an empty drawing, with the reader's sentence."""
    if values["dataset"] != CUSTOM:
        if points:
            raise UnusableError(
                f"The link's {code(f'points={points}')} belong to your own data set "
                f"({code('dataset=custom')}), not to {values['dataset']}"
            )
        return ""
    from .drawing import own_shape

    try:
        own_shape(points)
    except ValueError as error:
        raise UnusableError(str(error).rstrip(".")) from None
    return points


def _n_classes(values: Mapping[str, Any]) -> int:
    return class_count(values["dataset"], values["classes"], values["points"])


def _fit_output(output: Any, values: Mapping[str, Any]) -> str:
    dataset = values["dataset"]
    natural, _ = output_and_loss(dataset, _n_classes(values), output)
    if natural != output:  # the data set's natural output, not a fixed default
        raise UnusableError(f"A {code(output)} output does not fit the {dataset} data", natural)
    return output


def _fit_loss(loss: Any, values: Mapping[str, Any]) -> str:
    dataset, output = values["dataset"], values["output"]
    _, natural = output_and_loss(dataset, _n_classes(values), output, loss)
    if natural != loss:
        sentence = f"The {code(loss)} loss does not fit a {code(output)} output on this data"
        raise UnusableError(sentence, natural)
    return loss


# Why a batch of one point cannot be used with batch normalisation (engine.trainer).
BATCHNORM_BATCH = (
    "Batch normalisation needs at least 2 points per mini-batch (it normalises with the "
    "batch's mean and variance)"
)


def _fit_batch(size: Any, values: Mapping[str, Any]) -> int:
    if size == 1 and values.get("batchnorm"):
        raise UnusableError(f"{BATCHNORM_BATCH}, so {code('batch=1')} cannot be used with it")
    return size


def _fit_hide(names: Any, values: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(name for name in names if name in HIDEABLE)  # an unknown word hides nothing


def _fit_lock(names: Any, values: Mapping[str, Any]) -> tuple[str, ...]:
    """Unlike ``hide=``, an unknown word is reported: a typo must not leave a control open
    that the teacher meant to lock (and the sentence names the words there are)."""
    unknown = [name for name in names if name not in LOCKABLE]
    if unknown:
        raise UnusableError(
            f"There is no control called {code(unknown[0])} to lock (the choices: "
            f"{', '.join(LOCKABLE)})"
        )
    return tuple(dict.fromkeys(names))


def _challenge_exists(slug: Any, values: Mapping[str, Any]) -> bool:
    if slug == "":
        return True  # (no import: the challenges' own setups are checked while it loads)
    from .challenges import CHALLENGES  # (it builds its setups from these settings)

    return slug in CHALLENGES


def _one_of(registry, there_is_no: str) -> dict[str, Any]:
    choices = tuple(registry)
    return {
        "choices": choices,
        "why": f"{there_is_no} called {{value}} (the choices: {', '.join(choices)})",
    }


ON_OFF = {"choices": (False, True)}
SEED = {"bounds": (0, MAX_SEED), "why": f"{{key}} must be a whole number from 0 to {MAX_SEED}"}
NETWORK = (
    f"{{pair}} is not a network: layers must have 1–{engine.MAX_UNITS_PER_LAYER} neurons, at most "
    f"{engine.MAX_HIDDEN_LAYERS} layers"
)
ACTIVATIONS = (
    "{pair} is not usable: the activation must be one of "
    f"{', '.join(engine.HIDDEN_ACTIVATIONS)} (one, or one per layer)"
)


@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything a user can set, each field declared once with its ``Setting``, checked in
    this order (a rule may read the fields above it). Defaults are TensorFlow Playground's."""

    # A table, a line or two per setting (like TensorFlow Playground's PROPS), not ruff's
    # one argument per line.
    # fmt: off
    # -- the data and the network: a change rebuilds the run
    dataset: str = setting("circle", TEXT, choices=(*engine.DATASETS, CUSTOM), rebuilds=True,
                           why="There is no data set called {value}")
    # Your own data (dataset=custom): its points, or its shape when a link cannot carry them
    # (playground.drawing). Drawing a point changes it without a new network: the session's
    # own data is given to the run (ui.state); only its shape (in n_classes) rebuilds.
    points: str = setting("", RAW, fit=_fit_points, hide=False, lock="dataset", widget=None,
                          in_link=lambda settings: bool(settings.points))
    classes: int = setting(3, WHOLE, bounds=MULTICLASS_RANGE, hide="dataset",
                           why="The number of classes must be {}–{}".format(*MULTICLASS_RANGE),
                           rebuilds=lambda settings: settings.n_classes,
                           in_link=lambda settings: settings.dataset != CUSTOM
                           and settings.n_classes > 2)
    noise: int = setting(0, WHOLE, choices=NOISE_LEVELS, rebuilds=True)  # TF Playground's 0–50
    ratio: int = setting(50, WHOLE, choices=TRAIN_RATIOS, rebuilds=True)  # % used for training
    seed: int = setting(1, WHOLE, **SEED, rebuilds=True)  # the data's
    init_seed: int = setting(1, WHOLE, **SEED, rebuilds=True, hide=False, lock=False,  # weights'
                             widget=None)
    features: tuple[str, ...] = setting(engine.DEFAULT_FEATURES, NAMES, fit=_fit_features,
                                        rebuilds=True, widget=list)
    hidden: tuple[int, ...] = setting((4, 2), LAYERS, usable=_network, why=NETWORK, rebuilds=True,
                                      widget=None)  # its widgets: a box per layer (ui.controls)
    activation: tuple[str, ...] = setting(  # one for all hidden layers, or one per layer
        ("tanh",), NAMES, usable=_activations, why=ACTIVATIONS, widget=lambda names: names[0],
        rebuilds=lambda settings: settings.hidden_activations)
    output: str = setting("tanh", TEXT, fit=_fit_output, rebuilds=True)
    loss: str = setting("mse", TEXT, fit=_fit_loss, rebuilds=True)
    init: str = setting("playground", TEXT, rebuilds=True,
                        **_one_of(engine.INITIALIZERS, "There is no initialisation"))
    batchnorm: bool = setting(False, SWITCH, **ON_OFF, rebuilds=True)  # of every hidden layer
    # -- training: applied live (playground.run.apply_hyperparameters)
    batch: int = setting(10, BATCH, choices=BATCH_SIZES, fit=_fit_batch)
    dropout: float = setting(0.0, NUMBER, choices=DROPOUTS)
    optimizer: str = setting("sgd", TEXT, **_one_of(engine.OPTIMIZERS, "There is no optimiser"))
    lr: float = setting(0.03, NUMBER, choices=LEARNING_RATES)
    reg: str = setting("none", TEXT, **_one_of(REGULARIZATIONS, "There is no regularisation"))
    reg_rate: float = setting(0.0, NUMBER, choices=REGULARIZATION_RATES)
    clip: float = setting(0.0, NUMBER, choices=CLIP_NORMS)
    # The learning-rate schedule (one hide= word for all of it): which one, its warm-up, and
    # the parameters of step / exponential (decay_epochs, decay_rate) and cosine (decay_epochs,
    # final_fraction). Every link carries them, as every other hyper-parameter.
    schedule: str = setting("constant", TEXT, hide="schedule",
                            **_one_of(engine.SCHEDULES, "There is no learning-rate schedule"))
    warmup: int = setting(0, WHOLE, choices=WARMUP_EPOCHS, hide="schedule")
    decay_epochs: int = setting(100, WHOLE, choices=DECAY_EPOCHS, hide="schedule")
    decay_rate: float = setting(0.5, NUMBER, choices=DECAY_RATES, hide="schedule")
    final_fraction: float = setting(0.0, NUMBER, choices=FINAL_FRACTIONS, hide="schedule")
    # -- pace and stopping (0: never)
    speed: int = setting(AUTO_SPEED, SPEED, choices=SPEED_CHOICES)  # epochs per frame
    stop_epoch: int = setting(0, WHOLE, bounds=(0, MAX_STOP_EPOCH), hide="stop", why=(
        f"The stop epoch must be between 0 (never) and {MAX_STOP_EPOCH:,}"))
    stop_loss: float = setting(0.0, NUMBER, usable=lambda loss, _: 0 <= loss < 100, hide="stop",
                               why="The target loss must be a number from 0 (never) to 100")
    # -- views
    show_test: bool = setting(False, SWITCH, **ON_OFF)
    discretize: bool = setting(False, SWITCH, **ON_OFF)
    log_loss: bool = setting(False, SWITCH, **ON_OFF)  # the loss chart's y axis
    present: bool = setting(  # presentation mode: type and lines sized for a projector
        False, Kind(_boolean, lambda on: "1" if on else "0"), **ON_OFF, hide=False, lock=False,
        in_link=lambda settings: settings.present)
    palette: str = setting(  # the figures' data colours (playground.palette.PALETTES)
        DEFAULT_PALETTE, TEXT, **_one_of(PALETTES, "There are no colours"), hide=False,
        lock=False)
    # The controls a classroom link locks (LOCKABLE: shown, disabled, every change refused), and
    # the challenge whose goal the Playground checks (playground.challenges; "": none).
    lock: tuple[str, ...] = setting((), LOCKS, fit=_fit_lock, hide=False, lock=False, widget=None,
                                    in_link=lambda settings: bool(settings.lock))
    challenge: str = setting("", CHALLENGE, usable=_challenge_exists, hide=False, lock=False,
                             widget=None, why="There is no challenge called {value}",
                             in_link=lambda settings: bool(settings.challenge))
    hide: tuple[str, ...] = setting(  # the controls a classroom link hides (HIDEABLE)
        (), NAMES, fit=_fit_hide, hide=False, lock=False, widget=None,
        in_link=lambda settings: bool(settings.hide))
    # fmt: on

    # -- derived

    @property
    def kind(self) -> str:
        return data_kind(self.dataset, self.n_classes)

    @property
    def n_classes(self) -> int:
        return class_count(self.dataset, self.classes, self.points)

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
        """What a training run is built from: the settings that rebuild it (``Setting.rebuilds``);
        a change of any other is applied to the run as it is."""
        return tuple(
            spec.rebuilds(self) if callable(spec.rebuilds) else getattr(self, spec.name)
            for spec in SETTINGS
            if spec.rebuilds
        )

    def hides(self, name: str) -> bool:
        """Whether the link hides the control of setting ``name`` (or of the control ``edit``)."""
        word = SETTING[name].hide if name in SETTING else name
        return bool(word) and word in self.hide

    def locks(self, name: str) -> bool:
        """Whether the link locks setting ``name`` (or the control ``edit``): its control is
        shown disabled and no change of it is taken (``broken_locks``)."""
        word = SETTING[name].lock if name in SETTING else name
        return bool(word) and word in self.lock

    def broken_locks(self, new: PlaygroundSettings) -> tuple[str, ...]:
        """The settings these lock whose values ``new`` changes, with the links' own ``lock``,
        ``hide`` and ``challenge`` (no control changes them: a change of them is not the
        user's). Nothing locked: nothing to break."""
        if not self.lock:
            return ()
        return tuple(
            spec.name
            for spec in SETTINGS
            if (self.locks(spec.name) or spec.name in ("lock", "hide", "challenge"))
            and getattr(new, spec.name) != getattr(self, spec.name)
        )

    # -- validation

    def normalized(self) -> tuple[PlaygroundSettings, list[str]]:
        """A consistent copy, and a sentence for each value that had to be replaced."""
        values = dataclasses.asdict(self)
        problems: list[str] = []
        for spec in SETTINGS:
            try:  # in field order: a rule may read the fields above it, already checked
                values[spec.name] = spec.checked(values[spec.name], values)
            except UnusableError as problem:
                if problem.instead is None:
                    values[spec.name] = spec.default
                    default = spec.default_text() or "no points"  # (own data's points: "")
                    problems.append(f"{problem.sentence}; using {default} instead.")
                else:  # output and loss: the data set's natural one, not a fixed default
                    values[spec.name] = problem.instead
                    problems.append(f"{problem.sentence}; using {code(problem.instead)}.")
        return PlaygroundSettings(**values), problems

    def with_changes(self, **changes) -> PlaygroundSettings:
        """A copy with ``changes`` applied, made consistent (dependent choices follow).

        Used by the controls: choosing a regression data set, say, switches the output to
        linear without a warning (the user did not ask for anything impossible).
        """
        candidate = dataclasses.replace(self, **changes)
        if candidate.reg != "none" and candidate.reg_rate == 0 and "reg_rate" not in changes:
            # Choosing L1 or L2 with a rate of 0 would silently do nothing.
            candidate = dataclasses.replace(candidate, reg_rate=DEFAULT_REGULARIZATION_RATE)
        # A new kind of problem gets its natural output (linear for regression, …), and a new
        # output its natural loss (bce for sigmoid, cross-entropy for softmax).
        new_problem = (candidate.kind, candidate.n_classes > 2) != (self.kind, self.n_classes > 2)
        output = candidate.output if "output" in changes or not new_problem else None
        same_output = not new_problem and output == self.output
        loss = candidate.loss if "loss" in changes or same_output else None
        output, loss = output_and_loss(candidate.dataset, candidate.n_classes, output, loss)
        candidate = dataclasses.replace(candidate, output=output, loss=loss)
        if len(candidate.activation) > 1 and len(candidate.activation) != len(candidate.hidden):
            candidate = dataclasses.replace(candidate, activation=candidate.activation[:1])
        if candidate.batchnorm and candidate.batch == 1 and {"batch", "batchnorm"} & set(changes):
            # Refused, not replaced: the controls say why and keep the user's setup.
            raise ValueError(
                f"{BATCHNORM_BATCH}; choose a larger batch size or turn batch normalisation off."
            )
        return candidate.normalized()[0]

    # -- URL

    def to_query_params(self) -> dict[str, str]:
        """Readable query parameters for every setting (a link reproduces the setup)."""
        return {
            spec.key: spec.kind.format(getattr(self, spec.name))
            for spec in SETTINGS
            if spec.in_link is None or spec.in_link(self)
        }

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, object]
    ) -> tuple[PlaygroundSettings, list[str]]:
        """Settings from a URL's query parameters, and plain sentences about what was wrong.

        Never raises: unknown keys are ignored, unusable values fall back to defaults.
        """
        values: dict[str, Any] = {}
        problems: list[str] = []
        for spec in SETTINGS:
            if spec.key not in params:
                continue
            raw = params[spec.key]
            text = str(raw[-1] if isinstance(raw, list | tuple) and raw else raw).strip()
            try:
                values[spec.name] = spec.kind.parse(text)
            except (ValueError, TypeError, OverflowError):
                problems.append(
                    f"The link's {code(f'{spec.key}={text}')} is not valid; using "
                    f"{spec.default_text()} instead."
                )
        # Without an explicit output or loss, a data set gets its natural ones (a plane
        # link means a linear output with mse, as in TensorFlow Playground).
        dataset = values.get("dataset", SETTING["dataset"].default)
        if dataset in SETTING["dataset"].choices:
            classes = class_count(
                dataset, values.get("classes", SETTING["classes"].default), values.get("points", "")
            )
            natural = output_and_loss(dataset, classes, values.get("output"), values.get("loss"))
            values.setdefault("output", natural[0])
            values.setdefault("loss", natural[1])
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
            weight_decay=self.reg_rate if self.reg == "decay" else 0.0,
            dropout=self.dropout,
            clip_norm=self.clip or None,
            schedule=self.schedule,
            warmup_epochs=self.warmup,
            decay_epochs=self.decay_epochs,
            decay_rate=self.decay_rate,
            final_fraction=self.final_fraction,
        )


def _filled_in(field: dataclasses.Field) -> Setting:
    """A field's Setting with its name, default, URL key, ``hide=`` and ``lock=`` words ("":
    none)."""
    spec, name = field.metadata[SPEC], field.name
    hide = (name if spec.hide is True else spec.hide) or ""
    lock = (hide if spec.lock is True else spec.lock) or ""
    return dataclasses.replace(
        spec, name=name, default=field.default, key=spec.key or name, hide=hide, lock=lock
    )


# The table, in field order.
SETTINGS: tuple[Setting, ...] = tuple(
    _filled_in(field) for field in dataclasses.fields(PlaygroundSettings) if SPEC in field.metadata
)
SETTING: dict[str, Setting] = {spec.name: spec for spec in SETTINGS}
QUERY_KEYS: tuple[str, ...] = tuple(spec.key for spec in SETTINGS)
# The words ``hide=`` understands (classroom mode): the settings' controls, then the others.
HIDEABLE: tuple[str, ...] = (
    *dict.fromkeys(spec.hide for spec in SETTINGS if spec.hide),
    *HIDEABLE_CONTROLS,
)
# The words ``lock=`` understands: the same controls (``edit`` locks the weight editor and the
# diagram's click-to-edit).
LOCKABLE: tuple[str, ...] = (
    *dict.fromkeys(spec.lock for spec in SETTINGS if spec.lock),
    *HIDEABLE_CONTROLS,
)
