"""A comparison: 2–4 lanes, each the Playground's setup (the *base*) with a few settings changed,
trained in lockstep on the same data from the same initial weights (no Streamlit).

A lane is only its differences from the base (``Lane.changes``: setting name -> value), so a
link carries the base as the Playground writes it plus ``lanes=``: one item per lane, ``|``
between lanes, ``;`` between a lane's settings, each ``key:value`` in the Playground's own URL
spelling (``Setting.kind``), e.g. ``lanes=lr:0.003|lr:0.3;activation:relu``. ``-`` is a lane
that changes nothing. Reading never raises: what cannot be used is left out (or, for a wrong
number of lanes, the default lanes are used) with a plain sentence.

Which settings a lane may change is ``LANE_SETTINGS``; everything that makes the data (data
set, noise, split, seeds, features) stays the base's, so every lane trains on the same points.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from . import words
from .quote import code
from .run import TrainingRun, build_run, restart, train_chunk
from .settings import LEARNING_RATES, SETTING, SETTINGS, PlaygroundSettings, UnusableError

# The settings a lane may change, in the settings table's order, with the label people see.
LANE_SETTINGS: dict[str, str] = {
    name: words.CONTROL_NAMES[name]
    for name in ("hidden", "activation", "batch", "dropout", "optimizer", "lr", "reg", "reg_rate")
}
MIN_LANES, MAX_LANES = 2, 4
LANE_NAMES = "ABCD"  # lane i is called "Lane A", "Lane B", ...
LANES_KEY = "lanes"  # the URL key
LANE_SEPARATOR, ITEM_SEPARATOR, PAIR_SEPARATOR, UNCHANGED = "|", ";", ":", "-"


@dataclass(frozen=True)
class Lane:
    """One lane: the settings it changes from the base (name -> value, in the table's order)."""

    changes: tuple[tuple[str, Any], ...] = ()

    def settings(self, base: PlaygroundSettings) -> PlaygroundSettings:
        """The base with this lane's changes (made consistent, as a control would)."""
        return base.with_changes(**dict(self.changes))

    def with_value(self, name: str, value: Any) -> Lane:
        """This lane with ``name`` set to ``value`` (added if the lane did not change it)."""
        changes = dict(self.changes)
        changes[name] = value
        return Lane(tuple((key, changes[key]) for key in LANE_SETTINGS if key in changes))

    def varying(self, names: list[str], base: PlaygroundSettings) -> Lane:
        """This lane changing exactly ``names``: values it had are kept, new ones start at the
        base's value."""
        changes = dict(self.changes)
        return Lane(
            tuple(
                (name, changes.get(name, getattr(base, name)))
                for name in LANE_SETTINGS
                if name in names
            )
        )


def default_lanes(base: PlaygroundSettings) -> tuple[Lane, ...]:
    """Two lanes: the base's learning rate and ten times it (a tenth of it at the largest)."""
    rates = LEARNING_RATES
    faster = base.lr * 10 if base.lr * 10 in rates else base.lr / 10
    other = min(rates, key=lambda rate: abs(rate - faster))
    return Lane((("lr", base.lr),)), Lane((("lr", other),))


# ---------------------------------------------------------------- the link


def lanes_to_text(lanes: tuple[Lane, ...]) -> str:
    """The ``lanes=`` value: ``lr:0.003|lr:0.3;activation:relu`` (``-``: a lane of no changes)."""
    return LANE_SEPARATOR.join(
        ITEM_SEPARATOR.join(
            f"{SETTING[name].key}{PAIR_SEPARATOR}{SETTING[name].kind.format(value)}"
            for name, value in lane.changes
        )
        or UNCHANGED
        for lane in lanes
    )


def lanes_from_text(text: str, base: PlaygroundSettings) -> tuple[tuple[Lane, ...], list[str]]:
    """The lanes a ``lanes=`` value describes, and a sentence for each thing that could not be
    used. A wrong number of lanes gives the default lanes; an unusable setting is left out of its
    lane. Never raises."""
    parts = text.split(LANE_SEPARATOR)
    if not MIN_LANES <= len(parts) <= MAX_LANES:
        shown = code(f"{LANES_KEY}={text[:80]}")
        return default_lanes(base), [
            f"The link's {shown} describes {len(parts)} lane{'s' * (len(parts) != 1)}; a "
            f"comparison has {MIN_LANES}–{MAX_LANES}. Showing the default lanes instead."
        ]
    lanes, problems = [], []
    for number, part in enumerate(parts):
        lane, more = _lane_from_text(part.strip(), base, LANE_NAMES[number])
        lanes.append(lane)
        problems += more
    return tuple(lanes), problems


_BY_KEY = {SETTING[name].key: name for name in LANE_SETTINGS}


def _lane_from_text(text: str, base: PlaygroundSettings, name: str) -> tuple[Lane, list[str]]:
    """One lane's ``key:value;...``, checked by the settings table's own rules in its order (a
    lane's activations are checked against the lane's layers)."""
    if text in ("", UNCHANGED):
        return Lane(), []
    raw: dict[str, str] = {}
    problems = []
    for item in text.split(ITEM_SEPARATOR):
        key, separator, value = item.partition(PAIR_SEPARATOR)
        key = key.strip().lower()
        if not separator or key not in _BY_KEY:
            problems.append(
                f"Lane {name}: {code(item[:60])} is not a setting a lane can change (it can "
                f"change {', '.join(SETTING[n].key for n in LANE_SETTINGS)}); left out."
            )
            continue
        raw[_BY_KEY[key]] = value.strip()
    values = dataclasses.asdict(base)
    changes = []
    for setting_name in LANE_SETTINGS:
        if setting_name not in raw:
            continue
        spec, value_text = SETTING[setting_name], raw[setting_name]
        try:
            value = spec.checked(spec.kind.parse(value_text), values)
        except UnusableError as problem:
            problems.append(f"Lane {name}: {problem.sentence}; left out.")
            continue
        except (ValueError, TypeError, OverflowError):
            pair = code(f"{spec.key}:{value_text[:40]}")
            problems.append(f"Lane {name}: {pair} is not a valid value; left out.")
            continue
        values[setting_name] = value
        changes.append((setting_name, value))
    return Lane(tuple(changes)), problems


def comparison_query(base: PlaygroundSettings, lanes: tuple[Lane, ...]) -> dict[str, str]:
    """The whole comparison as query parameters: the base as the Playground writes it, and
    ``lanes``."""
    return {**base.to_query_params(), LANES_KEY: lanes_to_text(lanes)}


def comparison_from_query(
    params: dict[str, Any], base: PlaygroundSettings | None = None
) -> tuple[PlaygroundSettings, tuple[Lane, ...], list[str]]:
    """(base, lanes, sentences) from a link; ``base`` (e.g. the Playground's setup) is used when
    the link carries no setting of its own."""
    problems: list[str] = []
    if base is None or any(spec.key in params for spec in SETTINGS):
        base, problems = PlaygroundSettings.from_query_params(params)
    raw = params.get(LANES_KEY)
    if raw is None:
        return base, default_lanes(base), problems
    text = str(raw[-1] if isinstance(raw, list | tuple) and raw else raw)
    lanes, more = lanes_from_text(text, base)
    return base, lanes, problems + more


def playground_query(base: PlaygroundSettings, lane: Lane) -> dict[str, str]:
    """The query of the Playground link that reproduces a lane."""
    return lane.settings(base).to_query_params()


# ---------------------------------------------------------------- the runs


@dataclass
class Comparison:
    """The lanes' training runs, trained in lockstep (every running lane at the same epoch)."""

    base: PlaygroundSettings
    lanes: tuple[Lane, ...]
    runs: list[TrainingRun] = field(default_factory=list)
    # Measured seconds one epoch of every running lane takes together (sizes a chunk).
    seconds_per_epoch: float = 0.0
    # Held while the lanes train (``train_lockstep``) and while a page reads them to draw: a
    # reader never sees one lane trained and the next one not yet.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def epoch(self) -> int:
        """The epoch of the lanes still training (the furthest one if none is)."""
        running = [run.epoch for run in self.runs if not run.stop_reason]
        return max(running or [run.epoch for run in self.runs])

    def running(self) -> list[TrainingRun]:
        return [run for run in self.runs if not run.stop_reason]


def build_comparison(base: PlaygroundSettings, lanes: tuple[Lane, ...]) -> Comparison:
    """A run per lane, the same data for all, the same initial weights where shapes agree."""
    runs = [build_run(lane.settings(base)) for lane in lanes]
    share_initial_weights(runs)
    return Comparison(base=base, lanes=lanes, runs=runs)


def share_initial_weights(runs: list[TrainingRun]) -> None:
    """Every run whose network has the same shape (layer sizes) as an earlier one starts from
    that one's initial weights, in place."""
    first_of_shape: dict[tuple[int, ...], TrainingRun] = {}
    for run in runs:
        shape = tuple(run.model.layer_sizes)
        if shape in first_of_shape:
            run.model.params[:] = first_of_shape[shape].initial_params
            run.initial_params = first_of_shape[shape].initial_params.copy()
        else:
            first_of_shape[shape] = run


def weight_groups(runs: list[TrainingRun]) -> list[int]:
    """For each run, the index of the first run it shares its initial weights with (itself if
    none): lanes in one group start alike."""
    first: dict[tuple[int, ...], int] = {}
    return [first.setdefault(tuple(run.model.layer_sizes), i) for i, run in enumerate(runs)]


def restart_comparison(comparison: Comparison) -> Comparison:
    """Every lane from its initial weights again (the same ones), history cleared."""
    runs = [restart(run) for run in comparison.runs]
    return Comparison(comparison.base, comparison.lanes, runs, comparison.seconds_per_epoch)


def train_lockstep(comparison: Comparison, epochs: int) -> None:
    """Train every running lane ``epochs`` epochs (no time budget: a budget could stop one lane
    early and break the step); a lane that diverges or meets a stop condition stops where it is
    (its ``stop_reason`` says why), the others go on. Measures ``seconds_per_epoch``."""
    with comparison.lock:
        running = comparison.running()
        if not running or epochs <= 0:
            return
        before = [run.epoch for run in running]
        started = time.perf_counter()
        for run in running:
            train_chunk(run, epochs)
        trained = max(run.epoch - start for run, start in zip(running, before))
        if trained > 0:
            comparison.seconds_per_epoch = (time.perf_counter() - started) / trained


def chunk_epochs(comparison: Comparison, budget: float, most: int = 200) -> int:
    """How many epochs every running lane can train in ``budget`` seconds together (1 to
    ``most``), from the last measurement."""
    if comparison.seconds_per_epoch <= 0:
        return 1
    return max(1, min(most, int(budget / comparison.seconds_per_epoch)))
