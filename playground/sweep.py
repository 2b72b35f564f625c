"""Sweeps: many whole training runs over a grid of settings, on Dask, as one tidy table.

A sweep is the Playground's setup (``base``) with up to ``MAX_AXES`` settings varied (``AXES``:
learning rate, layers, activation, ...) and replicate weight seeds; every cell of the grid is a
``PlaygroundSettings`` trained by ``playground.run.build_run`` + ``train_chunk``, the code the
Playground runs, for ``epochs`` epochs with the full sets evaluated only after the last one
(``TrainConfig.evaluate_every``: the weights are those of per-epoch evaluation, ~35 % less
work). A cell's settings stop at that epoch (``stop_epoch``), so its link
(``to_query_params``) opens a Playground that trains to the same numbers and stops there.

From a notebook::

    from playground.settings import PlaygroundSettings
    from playground.sweep import sweep

    table = sweep(PlaygroundSettings(hidden=(8, 8)), {"lr": [0.003, 0.03, 0.3],
                  "activation": ["tanh", "relu"]}, seeds=[1, 2], epochs=300)

Values are checked against the settings table (``playground.settings.SETTINGS``: the choices a
link accepts), and every cell against the rules between settings, before anything is submitted;
a problem raises ``SweepError`` with a plain sentence. Dask runs the work: a task is a batch of
whole runs (``runs_per_task``), never an epoch, so its overhead stays a few per cent of its time;
a diverged run is a result, not a failed task. ``Sweep`` is one running sweep (its futures,
consumed with ``as_completed``, and the rows so far), ``SweepStore`` a bounded set of them.
Dask is imported inside functions: importing this module costs nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

import engine

from .palette import DEFAULT_COLORS, FigureColors
from .quote import code
from .run import TrainingRun, build_run, metrics, train_chunk
from .settings import MAX_SEED, SETTING, SETTINGS, PlaygroundSettings, UnusableError

if TYPE_CHECKING:
    import pandas

MAX_AXES = 3
PAGE_MAX_RUNS = 400  # the page's cap (the Python API has none): a grid a screen can show
MAX_EPOCHS = 100_000  # per run
THUMBNAIL_RESOLUTION = 32  # cells per side of a run's decision-boundary picture (3 KB of RGB)
# Tasks per worker a sweep is cut into: enough to balance the load and fill the progress bar
# in steps, few enough that Dask's few ms per task stay a few per cent of a task (bench/sweep.py).
TASKS_PER_WORKER = 4
MAX_RUNS_PER_TASK = 16  # a task's results arrive together: the progress bar moves this coarsely
METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


class SweepError(ValueError):
    """A sweep that cannot run, with the plain sentence that says why."""


@dataclass(frozen=True)
class Axis:
    """A setting a sweep can vary: its field in ``PlaygroundSettings``, its name for people and
    the values the page suggests."""

    name: str
    label: str
    example: str

    @property
    def many_numbers(self) -> bool:
        """Whether one value is a list itself (layers "8,8"; one activation per layer): values
        are then separated by ";" only."""
        return isinstance(SETTING[self.name].default, tuple)


AXES: dict[str, Axis] = {
    axis.name: axis
    for axis in (
        Axis("lr", "Learning rate", "0.003, 0.03, 0.3"),
        Axis("hidden", "Layers and neurons", "4; 8,8; 8,8,8"),
        Axis("activation", "Activation", "tanh; relu; sigmoid"),
        Axis("batch", "Batch size", "1, 10, 30"),
        Axis("optimizer", "Optimiser", "sgd, adam"),
        Axis("reg_rate", "Regularisation rate", "0, 0.001, 0.01"),
        Axis("init", "Initialisation", "playground, xavier_uniform, he_normal"),
        Axis("dropout", "Dropout", "0, 0.1, 0.3"),
        Axis("noise", "Data noise", "0, 20, 40"),
    )
}
SEED_COLUMN = "seed"  # the replicate's weight seed (``init_seed``)


# ---------------------------------------------------------------- the plan


@dataclass(frozen=True)
class SweepPlan:
    """A checked sweep: the base setup, the axes with their values, the seeds and epochs.

    Hashable: it is the key a sweep's results are kept under (``SweepStore``)."""

    base: PlaygroundSettings
    axes: tuple[tuple[str, tuple], ...]  # (setting name, values), in the order given
    seeds: tuple[int, ...]
    epochs: int

    @property
    def n_runs(self) -> int:
        return math.prod(len(values) for _, values in self.axes) * len(self.seeds)

    def cells(self) -> tuple[tuple[dict[str, Any], PlaygroundSettings], ...]:
        """Every run in grid order (first axis slowest, seeds fastest): the values that make it
        (axes and seed) and its settings."""
        return self._cells

    @functools.cached_property
    def _cells(self) -> tuple[tuple[dict[str, Any], PlaygroundSettings], ...]:
        # Made once per plan: checking every run's settings took 7-15 ms for 64 runs, and a
        # sweep needs its cells three times (plan_sweep, Sweep, results_table).
        names = [name for name, _ in self.axes]
        grid = itertools.product(*(values for _, values in self.axes), self.seeds)
        return tuple(
            (
                {**dict(zip(names, point[:-1])), SEED_COLUMN: point[-1]},
                cell_settings(self.base, dict(zip(names, point[:-1])), point[-1], self.epochs),
            )
            for point in grid
        )


def cell_settings(
    base: PlaygroundSettings, values: Mapping[str, Any], seed: int, epochs: int
) -> PlaygroundSettings:
    """One run's settings: ``base`` with the axes' values and the seed; it stops at ``epochs``
    (so that its Playground link stops where the sweep did). Raises ``SweepError`` when a rule
    between settings refuses the combination."""
    candidate = dataclasses.replace(
        base, **values, init_seed=seed, stop_epoch=epochs, stop_loss=0.0
    )
    checked = dataclasses.asdict(candidate)
    for spec in SETTINGS:  # in field order, as PlaygroundSettings.normalized checks them
        try:
            checked[spec.name] = spec.checked(checked[spec.name], checked)
        except TypeError:  # a value of the wrong kind (a list for a number, …)
            raise SweepError(
                f"{code(checked[spec.name])} is not a value {spec.name} can take."
            ) from None
        except UnusableError as problem:
            label = f"{AXES[spec.name].label}: " if spec.name in values else ""
            others = [
                f"{AXES[name].label.lower()} {_shown(name, value)}"
                for name, value in values.items()
                if name != spec.name
            ]
            where = f" (with {', '.join(others)})" if others else ""
            sentence = _sentence(spec.name, problem.sentence)
            raise SweepError(f"{label}{sentence}{where}.") from None
    return PlaygroundSettings(**checked)


def _shown(name: str, value: Any) -> str:
    return SETTING[name].kind.format(value)


def _sentence(name: str, sentence: str) -> str:
    """The settings table's sentence, with the choices when it only says "not one of them"."""
    choices = SETTING[name].choices
    if sentence.endswith("is not one of the choices") and choices:
        listed = ", ".join(SETTING[name].kind.format(choice) for choice in choices)
        return f"{sentence} ({listed})"
    return sentence


def parse_values(name: str, text: str) -> tuple:
    """An axis' values as typed on the page ("0.003, 0.03" or, for layers, "4; 8,8"), read the
    way a link reads them; raises ``SweepError`` naming the one that cannot be read."""
    axis = _axis(name)
    separators = r"[;|]" if axis.many_numbers else r"[;,|\s]"
    parts = [part.strip() for part in re.split(separators, str(text)) if part.strip()]
    values = []
    for part in parts:
        try:
            values.append(SETTING[name].kind.parse(part))
        except (ValueError, TypeError, OverflowError):
            raise SweepError(f"{axis.label}: {code(part)} is not a value it can take.") from None
    return tuple(values)


def _axis(name: str) -> Axis:
    if name not in AXES:
        raise SweepError(
            f"There is no sweep axis called {code(name)} (the axes: {', '.join(AXES)})."
        )
    return AXES[name]


def plan_sweep(
    base: PlaygroundSettings,
    axes: Mapping[str, Iterable] | Sequence[tuple[str, Iterable]],
    seeds: Iterable[int] | None = None,
    epochs: int = 300,
    max_runs: int | None = None,
) -> SweepPlan:
    """Check a sweep and return its plan; raises ``SweepError`` with a plain sentence.

    Args:
        base: the setup every run starts from.
        axes: setting name → values (Python values, or text as a link writes them), at most
            ``MAX_AXES``; each with two or more distinct values.
        seeds: replicate weight seeds (``init_seed``); None: the base's.
        epochs: epochs per run, 1 … ``MAX_EPOCHS``.
        max_runs: the most runs allowed (the page's ``PAGE_MAX_RUNS``); None: no cap.
    """
    items = list(axes.items() if isinstance(axes, Mapping) else axes)
    if len(items) > MAX_AXES:
        raise SweepError(f"A sweep has at most {MAX_AXES} axes; this one has {len(items)}.")
    checked_axes = []
    for name, values in items:
        axis = _axis(name)
        if name in dict(checked_axes):
            raise SweepError(f"{axis.label} is chosen twice: one axis per setting.")
        if isinstance(values, str):
            values = parse_values(name, values)
        try:
            values = tuple(_value(name, value) for value in values)
        except (ValueError, TypeError, OverflowError) as problem:
            shown = problem.args[0] if isinstance(problem, TypeError) and problem.args else values
            raise SweepError(f"{axis.label}: {code(shown)} is not a value it can take.") from None
        shown = [_shown(name, value) for value in values]
        if not values:
            raise SweepError(f"{axis.label} has no values: give two or more.")
        if len(values) == 1:
            raise SweepError(
                f"{axis.label} has one value ({shown[0]}): an axis needs two or more (one "
                "value belongs in the base setup)."
            )
        twice = next((text for text in shown if shown.count(text) > 1), None)
        if twice is not None:
            raise SweepError(f"{axis.label} lists {twice} more than once: give each value once.")
        checked_axes.append((name, values))
    if any(name == "reg_rate" for name, _ in checked_axes) and base.reg == "none":
        raise SweepError(
            "A regularisation-rate axis needs L1 or L2 regularisation in the base setup "
            "(without it the rate does nothing)."
        )
    seeds = (base.init_seed,) if seeds is None else tuple(seeds)
    if not seeds:
        raise SweepError("Give at least one seed.")
    for seed in seeds:
        if (
            isinstance(seed, bool)
            or not isinstance(seed, int | np.integer)
            or not 0 <= seed <= MAX_SEED
        ):
            raise SweepError(
                f"A seed must be a whole number from 0 to {MAX_SEED}; got {code(seed)}."
            )
    if len(set(seeds)) != len(seeds):
        raise SweepError("A seed is listed more than once: give each seed once.")
    if (
        isinstance(epochs, bool)
        or not isinstance(epochs, int | np.integer)
        or not 1 <= epochs <= MAX_EPOCHS
    ):
        raise SweepError(
            f"Epochs per run must be a whole number from 1 to {MAX_EPOCHS:,}; got {code(epochs)}."
        )
    plan = SweepPlan(base, tuple(checked_axes), tuple(int(s) for s in seeds), int(epochs))
    if plan.n_runs < 2:
        raise SweepError(
            "This sweep is a single run: choose an axis or several seeds (one run is the "
            "Playground's job)."
        )
    if max_runs is not None and plan.n_runs > max_runs:
        raise SweepError(
            f"This sweep has {plan.n_runs:,} runs; the page runs at most {max_runs:,}. Give "
            "the axes fewer values, or run it from Python (playground.sweep.sweep has no cap)."
        )
    plan.cells()  # every combination checked before anything is submitted
    return plan


def _value(name: str, value: Any) -> Any:
    """One axis value as the settings hold it: text read as a link reads it, a single number of
    a list setting (layers) as a list of one."""
    if isinstance(value, str):
        return SETTING[name].kind.parse(value)
    value = _python(value)
    default = SETTING[name].default
    if isinstance(default, tuple) and not isinstance(value, tuple):
        value = (value,)
    kinds = {tuple: tuple, float: int | float, int: int, str: str}[type(default)]
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise TypeError(value)
    return value


def _python(value: Any) -> Any:
    """A value as the settings hold it: lists as tuples, NumPy scalars as Python ones."""
    if isinstance(value, list | tuple):
        return tuple(_python(v) for v in value)
    return value.item() if isinstance(value, np.generic) else value


# ---------------------------------------------------------------- one task: whole runs


def run_one(settings: PlaygroundSettings, epochs: int) -> dict[str, Any]:
    """Train one run as the Playground would, evaluating the full sets only after the last
    epoch; its final numbers, whether and where it diverged, its wall time and thumbnail."""
    started = time.perf_counter()
    run = build_run(settings)
    trainer = run.trainer
    trainer.config = trainer.config.replace(evaluate_every=max(epochs, 1))
    train_chunk(run, epochs, record=False)  # no timeline: one kernel call for the whole run
    divergence = trainer.divergence
    values = metrics(run) if divergence is None else dict.fromkeys(METRICS, math.nan)
    picture = thumbnail(run)  # before the clock stops: drawing it is part of the run's work
    return {
        **values,
        "diverged": divergence is not None,
        "diverged_at": divergence.epoch if divergence is not None else 0,
        "epochs_run": run.epoch,
        "seconds": time.perf_counter() - started,
        "thumbnail": picture,
    }


def run_batch(cells: Sequence[tuple[int, PlaygroundSettings]], epochs: int) -> list[dict]:
    """A Dask task: whole runs one after another (``cells``: run index and settings)."""
    return [{"run": index, **run_one(settings, epochs)} for index, settings in cells]


def warm_up(client) -> None:
    """Every worker of ``client`` trains a two-epoch run (imports, the Numba kernels from their
    cache: ~2 s a process), so that a sweep's first tasks and its runs/s measure training."""
    client.run(run_one, PlaygroundSettings(), 2)


def runs_per_task(n_runs: int, n_workers: int) -> int:
    """Runs in one task: about ``TASKS_PER_WORKER`` tasks per worker, at most
    ``MAX_RUNS_PER_TASK`` runs each."""
    return max(1, min(MAX_RUNS_PER_TASK, math.ceil(n_runs / max(n_workers, 1) / TASKS_PER_WORKER)))


# Dask's statistical profiler samples every worker thread's stack every 10 ms, which takes the
# GIL from a run's Python parts: runs took 17 % longer in a worker with it on (bench/sweep.py,
# docs/benchmarks.md). A sweep's workers need no profile.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


def local_cluster(n_workers: int | None = None, threads_per_worker: int = 1, processes=True):
    """A ``distributed.LocalCluster`` for sweeps (one worker per core by default), its workers'
    profiler off; the caller closes it."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(WORKER_CONFIG):  # the workers (and their nannies) copy it at start
        return LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=processes,
            dashboard_address=":0",  # a free port: several servers may run on one machine
        )


def run_serially(plan: SweepPlan) -> pandas.DataFrame:
    """The whole sweep in this process, one run after another (a reference, and the
    benchmark's baseline)."""
    cells = plan.cells()
    rows = run_batch([(i, settings) for i, (_, settings) in enumerate(cells)], plan.epochs)
    return results_table(plan, rows)


# ---------------------------------------------------------------- thumbnails


def thumbnail(run: TrainingRun, colors: FigureColors = DEFAULT_COLORS) -> np.ndarray:
    """(THUMBNAIL_RESOLUTION, same, 3) uint8 RGB of the run's output over the plane, coloured
    as the Playground's output map (row 0 is the top)."""
    size = THUMBNAIL_RESOLUTION
    inputs = engine.build_features(engine.grid_points(size), run.settings.features)
    if not np.all(np.isfinite(run.model.params)):
        return np.full((size, size, 3), 128, dtype=np.uint8)
    output = run.model.forward(inputs).T.reshape(-1, size, size)  # (outputs, size, size)
    settings = run.settings
    if settings.output == "softmax" and output.shape[0] > 2:
        from .figures import class_image_rgb

        return class_image_rgb(output, colors)
    probability = settings.output in ("sigmoid", "softmax")  # P(class 1) on the -1 … 1 scale
    return diverging_rgb(2.0 * output[-1] - 1.0 if probability else output[0], colors)


def diverging_rgb(values: np.ndarray, colors: FigureColors = DEFAULT_COLORS) -> np.ndarray:
    """(h, w, 3) uint8: -1 … 1 on the figures' diverging scale (negative, neutral, positive);
    values beyond are clipped, NaN is neutral.

    .. math:: c = n + |v| (p_{\\pm} - n)
    """
    negative, neutral, positive = colors.scale_rgb()
    v = np.clip(np.nan_to_num(values, nan=0.0), -1.0, 1.0)[..., None]
    rgb = neutral + np.where(v >= 0, v * (positive - neutral), -v * (negative - neutral))
    return np.rint(rgb).astype(np.uint8)


DIVERGED_MARK = (214, 39, 40)  # the red cross over a diverged run's picture


def crossed_out(picture: np.ndarray) -> np.ndarray:
    """A copy of an (h, w, 3) picture with a red cross over it (a diverged run), faded."""
    size = picture.shape[0]
    marked = (picture.astype(np.float64) * 0.5 + 127.5 * 0.5).astype(np.uint8)
    rows = np.arange(size)
    for width in (-1, 0, 1):
        columns = np.clip(rows + width, 0, size - 1)
        marked[rows, columns] = DIVERGED_MARK
        marked[rows, size - 1 - columns] = DIVERGED_MARK
    return marked


# ---------------------------------------------------------------- the table


def results_table(plan: SweepPlan, rows: Iterable[Mapping[str, Any]]) -> pandas.DataFrame:
    """One row per finished run, in grid order: the axes' values (layers and activations as a
    link writes them), the seed, the final numbers, diverged, epochs run, wall time, the
    thumbnail and the run's Playground query."""
    import pandas

    cells = plan.cells()
    records = []
    for row in sorted(rows, key=lambda row: row["run"]):
        values, settings = cells[row["run"]]
        shown = {
            name: _shown(name, value) if isinstance(value, tuple) else value
            for name, value in values.items()
        }
        query = "&".join(f"{key}={value}" for key, value in settings.to_query_params().items())
        records.append(
            {
                "run": row["run"],
                **shown,
                **{k: v for k, v in row.items() if k != "run"},
                "query": query,
            }
        )
    columns = [
        "run",
        *(name for name, _ in plan.axes),
        SEED_COLUMN,
        *METRICS,
        "diverged",
        "diverged_at",
        "epochs_run",
        "seconds",
        "thumbnail",
        "query",
    ]
    return pandas.DataFrame.from_records(records, columns=columns)


# ---------------------------------------------------------------- a running sweep


class Sweep:
    """One sweep submitted to a Dask client: its futures (a task is a batch of runs), the
    rows collected so far, and Cancel. ``collect`` takes what has finished (``as_completed``)
    without waiting; safe to call from several sessions at once."""

    def __init__(self, plan: SweepPlan, client, runs_per_task_: int | None = None) -> None:
        from distributed import as_completed

        self.plan = plan
        self.total = plan.n_runs
        self.rows: list[dict] = []
        self.errors: list[str] = []
        self.failed = 0  # runs in tasks that raised
        self.cancelled = False
        self.started = time.monotonic()
        self.finished: float | None = None
        self._lock = threading.Lock()
        cells = [(index, settings) for index, (_, settings) in enumerate(plan.cells())]
        workers = sum(client.nthreads().values()) or 1
        size = runs_per_task_ or runs_per_task(len(cells), workers)
        # Every n-th run to a task, not runs side by side: neighbours in grid order share an
        # axis value (an activation, a learning rate) and so their cost, which left one task
        # the longest at the end (64 runs: the last worker idle 3.9 % of the sweep, 1.8 % so).
        n_tasks = math.ceil(len(cells) / size)
        batches = [cells[k::n_tasks] for k in range(n_tasks)]
        # pure=False: two sweeps of the same plan are two jobs (cancelling one keeps the other)
        self._futures = client.map(run_batch, batches, epochs=plan.epochs, pure=False)
        self._sizes = {future.key: len(batch) for future, batch in zip(self._futures, batches)}
        self._client = client
        self._pending = as_completed(self._futures)

    @property
    def done(self) -> int:
        return len(self.rows) + self.failed

    @property
    def running(self) -> bool:
        return self.finished is None

    def collect(self, block: bool = False) -> int:
        """Take the results that have arrived (all of them with ``block``, waiting); returns how
        many runs arrived."""
        arrived = 0
        with self._lock:
            while self.finished is None:
                if not (block or self._pending.has_ready()):
                    break
                for future in self._pending.next_batch(block=True):
                    arrived += self._take(future)
                if self._pending.is_empty():
                    self.finished = time.monotonic()
        return arrived

    def _take(self, future) -> int:
        if future.status == "finished":
            rows = future.result()
            self.rows.extend(rows)
            return len(rows)
        if future.status == "error":
            self.failed += self._sizes[future.key]
            self.errors.append(f"{type(future.exception()).__name__}: {future.exception()}")
            return self._sizes[future.key]
        return 0  # cancelled

    def cancel(self) -> None:
        """Cancel what has not finished; the rows so far stay."""
        with self._lock:
            if self.finished is not None:
                return
            self._client.cancel([f for f in self._futures if not f.done()])
            self._pending.clear()
            self.cancelled = True
            self.finished = time.monotonic()

    def wait(self) -> pandas.DataFrame:
        self.collect(block=True)
        return self.table()

    def table(self) -> pandas.DataFrame:
        return results_table(self.plan, list(self.rows))

    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    def runs_per_second(self) -> float:
        elapsed = self.elapsed()
        return self.done / elapsed if elapsed > 0 else 0.0

    def seconds_left(self) -> float | None:
        """At the pace so far; None before the first result."""
        rate = self.runs_per_second()
        return (self.total - self.done) / rate if rate > 0 and self.running else None


class SweepStore:
    """The sweeps a server keeps, newest last, at most ``capacity`` (the oldest finished one
    goes first), keyed by their plan: a reload finds its sweep again."""

    def __init__(self, capacity: int = 8) -> None:
        self.capacity = capacity
        self._sweeps: OrderedDict[SweepPlan, Sweep] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, plan: SweepPlan) -> Sweep | None:
        with self._lock:
            return self._sweeps.get(plan)

    def start(self, plan: SweepPlan, client) -> Sweep:
        """A new sweep of ``plan`` (one of the same plan is cancelled and replaced)."""
        job = Sweep(plan, client)
        with self._lock:
            old = self._sweeps.pop(plan, None)
            self._sweeps[plan] = job
            while len(self._sweeps) > self.capacity:
                finished = [p for p, s in self._sweeps.items() if not s.running]
                self._sweeps.pop(finished[0] if finished else next(iter(self._sweeps))).cancel()
        if old is not None:
            old.cancel()
        return job

    def recent(self) -> list[Sweep]:
        """Newest first."""
        with self._lock:
            return list(reversed(self._sweeps.values()))


# ---------------------------------------------------------------- the one call


def sweep(
    base_settings: PlaygroundSettings,
    axes: Mapping[str, Iterable] | Sequence[tuple[str, Iterable]],
    seeds: Iterable[int] | None = None,
    epochs: int = 300,
    client=None,
) -> pandas.DataFrame:
    """Run a sweep on Dask and return its table (one row per run; see ``results_table``).

    ``client``: a ``distributed.Client``; None uses the current default client (one made in
    the notebook), else a ``LocalCluster`` (one worker process per core) made for this call.
    Raises ``SweepError`` with a plain sentence for a sweep that cannot run.
    """
    plan = plan_sweep(base_settings, axes, seeds, epochs)
    if client is not None:
        return Sweep(plan, client).wait()
    from distributed import Client, default_client

    try:
        client = default_client()
    except ValueError:  # no client yet
        client = None
    if client is not None:
        return Sweep(plan, client).wait()
    with local_cluster() as cluster, Client(cluster) as own:
        return Sweep(plan, own).wait()


# ---------------------------------------------------------------- what the page shows


@dataclass(frozen=True)
class Cell:
    """One cell of the small multiples: the runs of one grid point (its seeds)."""

    values: tuple  # the axes' values, as the table shows them
    test_loss: float  # mean over the seeds that did not diverge (NaN: none)
    spread: float  # standard deviation over them (NaN: fewer than two)
    test_accuracy: float
    runs: int
    diverged: int  # how many of them diverged
    diverged_at: int  # the first seed's divergence epoch (0: it did not)
    thumbnail: np.ndarray  # the first seed's
    query: str  # the first seed's Playground query

    def loss_text(self) -> str:
        """ "0.123", "0.123 ± 0.010" with seeds, "diverged" when every seed did."""
        if self.diverged == self.runs:
            return "diverged"
        text = f"{self.test_loss:.3g}"
        if self.runs - self.diverged > 1:
            text += f" ± {self.spread:.2g}"
        return text


def cells_of(table: pandas.DataFrame, plan: SweepPlan) -> dict[tuple, Cell]:
    """The table's runs grouped by grid point (over seeds), keyed by the axes' values."""
    names = [name for name, _ in plan.axes]
    cells = {}
    if table.empty:
        return cells
    groups = table.groupby(names, sort=False) if names else [((), table)]
    for key, runs in groups:
        key = key if isinstance(key, tuple) else (key,)
        good = runs[~runs["diverged"]]
        first = runs.iloc[0]
        cells[key] = Cell(
            values=key,
            test_loss=float(good["test_loss"].mean()) if len(good) else math.nan,
            spread=float(good["test_loss"].std()) if len(good) > 1 else math.nan,
            test_accuracy=float(good["test_accuracy"].mean()) if len(good) else math.nan,
            runs=len(runs),
            diverged=int(runs["diverged"].sum()),
            diverged_at=int(first["diverged_at"]),
            thumbnail=first["thumbnail"],
            query=first["query"],
        )
    return cells


def axis_labels(plan: SweepPlan, index: int) -> list:
    """The values of axis ``index`` as the table shows them (layers "8,8"), in the plan's order."""
    name, values = plan.axes[index]
    return [_shown(name, value) if isinstance(value, tuple) else value for value in values]


def axis_texts(plan: SweepPlan, index: int) -> list[str]:
    """The values of axis ``index`` as a link writes them ("3", not "3.0"), to show."""
    name, values = plan.axes[index]
    return [_shown(name, value) for value in values]


def heatmap_figure(
    cells: Mapping[tuple, Cell], plan: SweepPlan, metric: str, fixed: tuple = ()
) -> dict:
    """A Plotly heat map (a plain dict: no Plotly import) of ``metric`` ("test_loss" or
    "test_accuracy", the mean over seeds) over the first two axes (one axis: one row), at the
    values ``fixed`` of the third. Diverged or missing cells are blank, with their word."""
    columns = axis_labels(plan, 1) if len(plan.axes) > 1 else [""]
    rows = axis_labels(plan, 0)
    column_texts = axis_texts(plan, 1) if len(plan.axes) > 1 else [""]
    z, text = [], []
    for row in rows:
        z_row, text_row = [], []
        for column in columns:
            key = (row, column, *fixed) if len(plan.axes) > 1 else (row,)
            cell = cells.get(key)
            value = getattr(cell, metric) if cell is not None else math.nan
            z_row.append(None if math.isnan(value) else value)
            if cell is None:
                text_row.append("…")
            elif cell.diverged == cell.runs:
                text_row.append("diverged")
            else:
                text_row.append(f"{value:.1%}" if metric == "test_accuracy" else f"{value:.3g}")
        z.append(z_row)
        text.append(text_row)
    words = metric.replace("_", " ")
    loss = metric != "test_accuracy"
    return {
        "data": [
            {
                "type": "heatmap",
                "x": column_texts,
                "y": axis_texts(plan, 0),
                "z": z,
                "text": text,
                "texttemplate": "%{text}",
                "hovertemplate": f"%{{y}}, %{{x}}: {words} %{{text}}<extra></extra>",
                # low loss / high accuracy bright: the best cells stand out either way
                "colorscale": "Viridis",
                "reversescale": loss,
                "colorbar": {"title": {"text": words}},
            }
        ],
        "layout": {
            "xaxis": {
                "title": {"text": AXES[plan.axes[1][0]].label if len(plan.axes) > 1 else ""},
                "type": "category",
            },
            "yaxis": {
                "title": {"text": AXES[plan.axes[0][0]].label},
                "type": "category",
                "autorange": "reversed",
            },
            "height": 120 + 48 * len(rows),
            "margin": {"l": 80, "r": 20, "t": 30, "b": 60},
        },
    }
