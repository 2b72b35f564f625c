"""The live view: trains a chunk of epochs and redraws, many times per second.

``live_view`` is an ``st.fragment`` that re-runs every ``RUN_INTERVAL`` seconds while
playing (controls live outside it, so widgets stay responsive).  Each run trains and sends
several frames (``run_plan``); each frame trains ``speed`` epochs, evaluates every neuron
over the plane in one kernel call, and goes to the mounted Plotly graph (``ui.live_plotly``)
as compact arrays, which the browser draws ``FRAME_INTERVAL`` apart. Several frames per run,
not one: every Streamlit run costs the browser ~25 ms of Streamlit's own frontend work
whatever it carries, more than drawing a frame.  The line above the graph (epoch, losses,
accuracies) travels with each frame and is painted with it.

Two kinds of frame data (see ``ui.figures``): what is drawn goes out every frame; the
hover data (trace data: Plotly redraws the whole figure for it) at most every
``HOVER_INTERVAL`` seconds while playing, and with every frame while paused.

Speed "auto" (the default) trains as many epochs per frame as keep ``AUTO_EPOCHS_PER_SECOND``
epochs per second of real time (``TrainingPace``): a run trains what the target owes since the
previous run, however often runs come (a slow browser gets fewer frames with more epochs each),
and training takes at most ``AUTO_TRAIN_SHARE`` of the real time, so a big network trains fewer
epochs/s rather than stalling the process. The caption line shows the measured epochs/s.

Frames carry only the link colours, widths and pictures that changed (``live_plotly``'s
``changes_only``, everything every ``WHOLE_FRAME_EVERY`` s), runs carry fewer frames when a
frame is expensive (``RUN_WORK_BUDGET``), and a click on Pause stops the browser's queued
frames at once (``live_plotly``'s ``stream`` and ``stop_on_click``) and ends the fragment run
before another frame is trained: a big network stays live and pauses at once.

The frame rate adapts to load, in two ways:

* ``server_pacer()`` (server): from the process's CPU use, for all playing sessions. One Python
  process runs one thread at a time, so past about one busy core every session slows down
  and the total frame rate *falls* (measured: 95 → 53 frames/s in total). It sets the
  shortest run interval.
* ``ClientPacing`` (per session): the browser reports every ``STATS_EVERY`` seconds how
  many frames it painted; when it paints clearly fewer than it was sent (a slow or busy
  computer), the session's frame rate drops to about what it paints, and grows again step
  by step while it keeps up.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

import engine

from . import state
from .figures import (
    BIAS_TRACE,
    PRESENTATION_SCALE,
    FrameData,
    ViewSpec,
    editable_option,
    frame_updates,
    hover_zoom_option,
    playground_figure,
)
from .live_plotly import browser_state, live_plotly
from .palette import figure_colors
from .quote import plain
from .run import (
    GRID_RESOLUTION,
    TrainingRun,
    checkpoint,
    metrics,
    neuron_map_resolution,
    parse_parameter,
    rewind,
    set_parameter,
    train_chunk,
)
from .settings import AUTO_SPEED

FRAME_INTERVAL = 0.04  # seconds between painted frames the live view aims for (25 frames/s)
# Seconds between fragment runs while playing and nothing is busy. Each run carries
# FRAMES_PER_RUN frames that the browser draws FRAME_INTERVAL apart (run_plan): every
# Streamlit run costs the browser ~25 ms of React work and a repaint of its own, whatever it
# carries (measured, one page: 53 ms of renderer main thread per painted frame at one frame a
# run, 35 ms at four; docs/benchmarks.md).
RUN_INTERVAL = 0.16
MAX_RUN_INTERVAL = 0.5
FRAMES_PER_RUN = round(RUN_INTERVAL / FRAME_INTERVAL)  # at full rate: 4
MAX_FRAMES_PER_RUN = 6
MAX_FRAME_RATE = 1 / FRAME_INTERVAL
MIN_FRAME_RATE = 2.0
# Run intervals the pacers choose from (a change restarts the browser's timer: not too often).
INTERVAL_STEPS = (RUN_INTERVAL, 0.2, 0.25, 0.3, 0.4, MAX_RUN_INTERVAL)
# Speed "auto": TensorFlow Playground trains one epoch per animation frame (~60 epochs/s);
# this pace is at least that with some margin, and a run trains what it owes in real time.
AUTO_EPOCHS_PER_SECOND = 80
# Share of real time one session on "auto" may spend training (measured seconds per epoch):
# past it, a big network trains fewer epochs/s (one epoch per frame at least).
AUTO_TRAIN_SHARE = 0.3
# Seconds of server work (training and frames) a fragment run aims to stay under: fewer frames
# per run when a frame is expensive. A click's rerun does not wait for the whole run (the run
# ends at the next frame's session-state read, see play_frames), so the budget is about as long
# as the slowest run interval: 0.2 s held [8,8,8] at speed 500 to ~3,100 epochs/s instead of
# ~5,900 (docs/benchmarks.md, "Pace and large networks").
RUN_WORK_BUDGET = 0.45
PACE_WINDOW = 2.0  # seconds of real time the epochs/s in the caption line is measured over
MIN_PACE_SPAN = 0.5  # seconds of playing before the caption line shows epochs/s
WHOLE_FRAME_EVERY = 1.0  # seconds between frames sent whole while playing (changes_only)
SMOOTHING = 0.3  # weight of the newest measurement in the smoothed server times
HOVER_INTERVAL = 0.5  # seconds between hover-data refreshes while playing
STATS_EVERY = 2.0  # seconds between the browser's reports of painted frames
FIGURE_HEIGHT = 560  # px; live_plotly's fixed height, not used while FIGURE_FIT is given
# (min px, max px, bottom margin px, max height / width): the graph fills the window below where
# it starts, so the whole view is on one screen from a 720-row projector to a 1080p monitor,
# without turning into a tall empty figure on a tablet held upright.
FIGURE_FIT = (400, 900, 12, 0.62)
VIEW_KEY = "playground_view"
_HOVER_SENT_AT = "_live_hover_sent_at"
_INTERVAL_SENT = "_live_frame_interval"
_CLIENT_PACING = "_live_client_pacing"
_EDIT_NOTICE = "_live_edit_notice"  # an edit left a notice: show it (a full rerun)
_TRAINING_PACE = "_live_training_pace"


class FramePacer:
    """The frame interval for every playing session, from the server process's CPU use.

    Every ``window`` seconds it compares the process's CPU time (all threads) with
    ``target`` (a fraction of one core) and scales the interval by busy / target, rounded
    up to one of ``INTERVAL_STEPS``; frames then stay cheap enough that every session keeps
    a steady rate instead of all of them stalling. Shared by the sessions of the process.
    """

    def __init__(
        self,
        target: float = 0.7,
        window: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        cpu_clock: Callable[[], float] = time.process_time,  # CPU seconds of all threads
    ) -> None:
        self.target = target
        self.window = window
        self.interval = RUN_INTERVAL
        self.busy = 0.0
        self._clock = clock
        self._cpu_clock = cpu_clock
        self._lock = threading.Lock()
        self._wall = clock()
        self._cpu = cpu_clock()

    def update(self) -> float:
        with self._lock:
            now = self._clock()
            if now - self._wall >= self.window:
                cpu = self._cpu_clock()
                self.busy = (cpu - self._cpu) / (now - self._wall)
                self._wall, self._cpu = now, cpu
                wanted = self.interval * self.busy / self.target
                # Hysteresis: keep the interval while the load is within ±25 % of the target.
                if wanted > self.interval * 1.25 or wanted < self.interval * 0.75:
                    self.interval = _step_at_least(wanted)
            return self.interval


def _step_at_least(seconds: float) -> float:
    for step in INTERVAL_STEPS:
        if step >= seconds * 0.999:
            return step
    return MAX_RUN_INTERVAL


@st.cache_resource
def server_pacer() -> FramePacer:
    """The process's one pacer: it measures the whole process, so all sessions share it
    (a Streamlit resource, created on first use; it holds no session's data)."""
    return FramePacer()


def paced_rate(rate: float, sent: int, painted: int, seconds: float) -> float:
    """The next frame rate (frames/s) of one session, from what its browser painted.

    ``sent`` frames went out and ``painted`` were drawn in ``seconds``. Below 80 % painted,
    the rate drops to a little above what the browser painted (freed from the surplus frames,
    it may paint faster); from 90 % on it grows a quarter, up to ``1 / FRAME_INTERVAL``.
    Surplus frames are not free: the server trains and encodes them, the browser receives them.
    """
    if sent <= 0 or seconds <= 0:
        return rate
    ratio = painted / sent
    if ratio < 0.8:
        return max(MIN_FRAME_RATE, min(rate, 1.1 * painted / seconds))
    if ratio >= 0.9:
        return min(MAX_FRAME_RATE, rate * 1.25)
    return rate


def run_plan(
    rate: float, min_interval: float = RUN_INTERVAL, frame_seconds: float = 0.0
) -> tuple[float, int]:
    """(seconds between fragment runs, frames each run carries) for ``rate`` frames/s.

    Runs carry ``FRAMES_PER_RUN`` frames, drawn ``interval / frames`` apart by the browser:
    what a browser pays per Streamlit run (~25 ms of Streamlit's own frontend work, more than
    drawing a frame) is shared by them. Runs come at most every ``MAX_RUN_INTERVAL`` s (fewer
    frames then at low rates) and never sooner than ``min_interval`` (the server's pacer).
    A frame that takes ``frame_seconds`` of server work means fewer frames per run, so that a
    run stays within ``RUN_WORK_BUDGET``, and runs as often as those frames need to keep the
    rate.
    """
    rate = min(MAX_FRAME_RATE, max(MIN_FRAME_RATE, rate))
    affordable = MAX_FRAMES_PER_RUN
    if frame_seconds > 0:
        affordable = max(1, min(affordable, int(RUN_WORK_BUDGET / frame_seconds)))
    per_run = min(FRAMES_PER_RUN, affordable)
    interval = _step_at_least(max(min_interval, min(MAX_RUN_INTERVAL, per_run / rate)))
    return interval, max(1, min(affordable, round(rate * interval)))


def auto_epochs_per_frame(owed: float, frames: int, seconds: float, epoch_seconds: float) -> int:
    r"""Epochs each of a run's ``frames`` frames trains on speed "auto".

    ``owed``: epochs the target pace owes since the previous run (``AUTO_EPOCHS_PER_SECOND``
    × the ``seconds`` of real time since then, plus what was left over). Training may take
    ``AUTO_TRAIN_SHARE`` of those seconds at ``epoch_seconds`` per epoch (measured; 0: not
    yet known). One epoch per frame at least: a network too big for the target pace trains
    at the pace its frames come.

    .. math:: e = \max(1, \lfloor \min(owed / frames,\;
              share \cdot seconds / (frames \cdot t_{epoch})) \rfloor)
    """
    wanted = owed / frames
    if epoch_seconds > 0:
        wanted = min(wanted, AUTO_TRAIN_SHARE * seconds / (frames * epoch_seconds))
    return max(1, int(wanted))


def epochs_per_second(samples: deque[tuple[float, int]]) -> float | None:
    """Epochs per second between the oldest and newest ``(seconds, epoch)`` sample, or None
    while they span less than ``MIN_PACE_SPAN`` seconds."""
    if len(samples) < 2:
        return None
    (start, first), (end, last) = samples[0], samples[-1]
    if end - start < MIN_PACE_SPAN:
        return None
    return (last - first) / (end - start)


@dataclass
class TrainingPace:
    """A session's measured training pace while playing (one stream of frames at a time).

    ``samples``: (time, epoch) after each trained frame over the last ``PACE_WINDOW`` s, for
    the epochs/s in the caption line. ``owed``: epochs speed "auto" still owes (fraction
    carried from run to run). ``epoch_seconds`` and ``frame_seconds``: smoothed server time to
    train one epoch, and to train and make one frame.
    """

    stream: int = -1  # Playback.started of the stream measured
    samples: deque[tuple[float, int]] = field(default_factory=deque)
    last_run_at: float | None = None
    owed: float = 0.0
    epoch_seconds: float = 0.0
    frame_seconds: float = 0.0

    def start_run(self, stream: int, now: float, planned: float) -> float:
        """Seconds of real time this run stands for: since the previous run of the same
        stream (at most ``MAX_RUN_INTERVAL``), ``planned`` for a stream's first run."""
        if stream != self.stream or self.last_run_at is None:
            self.stream, self.owed = stream, 0.0
            self.samples.clear()
            elapsed = planned
        else:
            elapsed = now - self.last_run_at
        self.last_run_at = now
        return min(max(elapsed, 0.0), MAX_RUN_INTERVAL)

    def auto_epochs(self, seconds: float, frames: int) -> int:
        """Epochs per frame on "auto" for a run standing for ``seconds`` (see
        ``auto_epochs_per_frame``); the fraction left over is carried to the next run."""
        owed = self.owed + AUTO_EPOCHS_PER_SECOND * seconds
        epochs = auto_epochs_per_frame(owed, frames, seconds, self.epoch_seconds)
        self.owed = min(max(owed - epochs * frames, 0.0), float(frames))
        return epochs

    def record(self, now: float, epoch: int, epochs: int, train_seconds: float) -> None:
        """A frame trained ``epochs`` epochs in ``train_seconds`` and reached ``epoch``."""
        if epochs > 0:
            self.epoch_seconds = _smoothed(self.epoch_seconds, train_seconds / epochs)
        self.samples.append((now, epoch))
        while len(self.samples) > 2 and self.samples[1][0] <= now - PACE_WINDOW:
            self.samples.popleft()

    def run_done(self, seconds: float, frames: int) -> None:
        """A run of ``frames`` frames took ``seconds`` of server work (training, pictures,
        sending)."""
        self.frame_seconds = _smoothed(self.frame_seconds, seconds / max(frames, 1))

    def epochs_per_second(self) -> float | None:
        return epochs_per_second(self.samples)


def _smoothed(previous: float, value: float) -> float:
    return value if previous <= 0 else previous + SMOOTHING * (value - previous)


@dataclass
class ClientPacing:
    """A session's frame rate as its browser keeps up (see ``paced_rate``)."""

    rate: float = MAX_FRAME_RATE
    sent: int = 0  # frames sent while playing
    sent_at_report: int = 0
    report: dict | None = None

    def update(self, report: dict | None) -> float:
        if not report or (self.report is not None and report.get("t") == self.report.get("t")):
            return self.rate
        previous, self.report = self.report, report
        sent, self.sent_at_report = self.sent - self.sent_at_report, self.sent
        if previous is not None:
            try:
                painted = int(report["painted"]) - int(previous["painted"])
                seconds = float(report["t"]) - float(previous["t"])
            except (KeyError, TypeError, ValueError):
                return self.rate
            if painted >= 0:  # a new graph in the page restarts its counters
                self.rate = paced_rate(self.rate, sent, painted, seconds)
        return self.rate


def client_pacing() -> ClientPacing:
    if _CLIENT_PACING not in st.session_state:
        st.session_state[_CLIENT_PACING] = ClientPacing()
    return st.session_state[_CLIENT_PACING]


def training_pace() -> TrainingPace:
    if _TRAINING_PACE not in st.session_state:
        st.session_state[_TRAINING_PACE] = TrainingPace()
    return st.session_state[_TRAINING_PACE]


def _set_frame_interval(seconds: float) -> None:
    """Change the running fragment's ``run_every`` without a full rerun.

    Streamlit's browser side restarts its timer when it receives an ``auto_rerun`` message
    with a new interval for the fragment (what ``st.fragment(run_every=...)`` sends).
    Uses Streamlit internals: if they change, the interval is only updated on full reruns.
    """
    if st.session_state.get(_INTERVAL_SENT) == seconds:
        return
    try:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.runtime.scriptrunner_utils.script_run_context import (
            ThreadState,
            get_script_run_ctx,
        )

        ctx = get_script_run_ctx()
        fragment_id = ThreadState.get().fragment_id
        if ctx is None or not fragment_id:
            return
        message = ForwardMsg()
        message.auto_rerun.interval = seconds
        message.auto_rerun.fragment_id = fragment_id
        ctx.enqueue(message)
    except (ImportError, AttributeError):
        return
    st.session_state[_INTERVAL_SENT] = seconds


def view_spec(run: TrainingRun, log_loss: bool, theme: str | None = None) -> ViewSpec:
    settings = run.settings
    if run.train.kind == "regression":
        mode = "regression"
    elif settings.output == "softmax" and settings.n_classes > 2:
        mode = "multiclass"
    elif settings.output in ("sigmoid", "softmax"):
        mode = "probability"
    else:
        mode = "binary"
    return ViewSpec(
        layer_sizes=tuple(run.model.layer_sizes),
        feature_labels=tuple(engine.FEATURES[name].label for name in settings.features),
        output_mode=mode,
        n_classes=settings.n_classes,
        show_test=settings.show_test,
        log_loss=log_loss,
        scale=PRESENTATION_SCALE if settings.present else 1.0,
        colors=figure_colors(settings.palette, theme),
    )


def frame_data(run: TrainingRun) -> FrameData:
    """Everything one frame shows, computed from the run (two kernel calls)."""
    model = run.model
    neuron_layers = model.activations(run.neuron_grid_inputs)[:-1]
    size = neuron_map_resolution(run.settings.hidden)
    neuron_maps = [
        layer[:, unit].reshape(size, size)
        for layer in neuron_layers
        for unit in range(layer.shape[1])
    ]
    output = model.forward(run.grid_inputs)
    output_grid = output.T.reshape(-1, GRID_RESOLUTION, GRID_RESOLUTION)
    history = run.trainer.history
    return FrameData(
        output_grid=output_grid,
        neuron_maps=neuron_maps,
        weights=[w.copy() for w in model.weights],
        biases=[b.copy() for b in model.biases],
        epochs=np.asarray(history.epochs),  # long runs keep thinned rows: not 1…length
        train_loss=np.asarray(history.column("train_loss")),
        test_loss=np.asarray(history.column("test_loss")),
    )


def _figure_for(run: TrainingRun, spec: ViewSpec) -> dict:
    """The figure structure, built once per (run, view) and kept on the run object."""
    cache_key = (id(run.train), spec)
    if run.figure_cache is None or run.figure_cache[0] != cache_key:
        figure = playground_figure(spec, run.train.X, run.train.y, run.test.X, run.test.y)
        run.figure_cache = (cache_key, figure)
    return run.figure_cache[1]


def _loss_text(value: float) -> str:
    """0.123; a diverging loss as 3.95e+59, not sixty digits that push the rest off the line."""
    return f"{value:.3f}" if abs(value) < 1e4 else f"{value:.3g}"


def metrics_line(run: TrainingRun, pace: float | None = None) -> str:
    """'Epoch 1,234 · 81 epochs/s · train loss 0.123 · test loss 0.145 · test accuracy 97.2%'
    (``pace``: the measured epochs per second while playing, else left out)."""
    values = metrics(run)
    parts = [f"Epoch {run.epoch:,}"]
    if pace is not None:
        parts.append(f"{pace:,.0f} epochs/s")
    parts += [
        f"train loss {_loss_text(values['train_loss'])}",
        f"test loss {_loss_text(values['test_loss'])}",
    ]
    if run.train.kind == "classification":
        parts += [
            f"train accuracy {values['train_accuracy']:.1%}",
            f"test accuracy {values['test_accuracy']:.1%}",
        ]
    return " · ".join(parts)


def _hover_due(playing: bool) -> bool:
    """Hover data goes with every frame while paused; while playing, every HOVER_INTERVAL s
    while the mouse is over the graph (at once when it enters), else never."""
    if playing:
        if not browser_state(VIEW_KEY)["pointer"]:
            st.session_state.pop(_HOVER_SENT_AT, None)
            return False
        now = time.monotonic()
        if now - st.session_state.get(_HOVER_SENT_AT, -1e9) < HOVER_INTERVAL:
            return False
        st.session_state[_HOVER_SENT_AT] = now
    return True


def current_spec(run: TrainingRun) -> ViewSpec:
    return view_spec(run, bool(st.session_state.get("control_log_loss", False)), state.theme_type())


def apply_edit(edit: dict) -> None:
    """``live_plotly``'s ``on_edit``: the user clicked a link or a bias in the diagram and
    typed a value. Applied at once (playing or not, as in TensorFlow Playground: training
    goes on from the new value); a value that cannot be used leaves a sentence."""
    run = state.run()
    try:
        try:
            layer, source, target = (int(part) for part in edit.get("customdata") or ())
        except (TypeError, ValueError):
            raise ValueError("That connection does not exist in this network.") from None
        is_bias = edit.get("trace") == BIAS_TRACE
        value = parse_parameter(edit.get("text"))
        set_parameter(run, layer, None if is_bias else source, target, value)
    except ValueError as error:
        state.notices().append(plain(error))  # it may quote what was typed: see ui/quote.py
        st.session_state[_EDIT_NOTICE] = True
        return
    state.set_run(run)
    # The expander's editor reloads its value field from the network when shown next.
    st.session_state.pop("edit_value", None)


def caption(run: TrainingRun, pace: float | None = None) -> dict:
    """The line above the graph, painted with the frame it describes (so the epoch counter
    moves with every frame, not every run). ``data-testid="np-metrics"``, ``data-epoch`` and
    ``data-pace`` (epochs/s, empty while paused) are for tests and bench/ui.py."""
    data = {"testid": "np-metrics", "epoch": run.epoch, "pace": "" if pace is None else pace}
    return {"text": metrics_line(run, pace), "data": data}


def snapshot(
    run: TrainingRun, spec: ViewSpec, hover: bool = False, pace: float | None = None
) -> dict:
    """One frame of ``run`` as it is now: ``{"updates", "images", "frame_id", "caption"}``."""
    updates, images = frame_updates(spec, frame_data(run), run.settings.discretize, hover=hover)
    return {
        "updates": updates,
        "images": images,
        "frame_id": run.epoch,
        "caption": caption(run, pace),
    }


def render_frame(
    run: TrainingRun,
    playing: bool = False,
    earlier: list[dict] | None = None,
    spacing: float | None = None,
    pace: float | None = None,
) -> dict | None:
    """Draw the current state of ``run`` (no training); returns the browser's last frame
    statistics (see ``live_plotly``).

    ``earlier``: snapshots taken during this run before the current state (oldest first);
    the browser draws them first and the current state last, ``spacing`` seconds apart.
    ``pace``: the measured epochs/s for the caption line (while playing).
    """
    spec = current_spec(run)
    figure = _figure_for(run, spec)
    frames = [*(earlier or []), snapshot(run, spec, hover=_hover_due(playing), pace=pace)]
    for frame in frames:
        # The run interval in effect (s), for bench/ui.py; empty while paused.
        frame["caption"]["data"]["interval"] = st.session_state.get(_INTERVAL_SENT) or ""
    first, later = frames[0], frames[1:]
    updates, images = first["updates"], first["images"]
    return live_plotly(
        figure,
        spec.version(id(run.train)),
        updates,
        key=VIEW_KEY,
        height=FIGURE_HEIGHT,
        images=images,
        hover_zoom=hover_zoom_option(spec),
        colorscale=spec.colors.image_colorscale,
        # The newest weights and biases, every run: what a click on a link or bias prefills
        # (nothing editable when the link hides editing: hide=edit).
        editable={}
        if "edit" in run.settings.hide
        else editable_option(spec, run.model.weights, run.model.biases),
        on_edit=apply_edit,
        # The epoch this frame shows, on the graph div once painted (data-frame-id): tests and
        # bench/ui.py use it to tell when a trained frame reached the screen.
        frame_id=first["frame_id"],
        stats_every=STATS_EVERY if playing else None,
        later_frames=later,
        frame_spacing=spacing,
        caption=first["caption"],
        fit_height=FIGURE_FIT,
        stream=str(state.playback().started) if playing else None,
        stop_on_click=f".st-key-{state.PLAY_BUTTON_KEY}",
        changes_only=WHOLE_FRAME_EVERY if playing else None,
    )["stats"]


def play_frames(run: TrainingRun, playback: state.Playback, interval: float, frames: int):
    """Train a run's ``frames`` frames; returns the snapshots of all but the last (drawn
    before it) and the measured epochs/s.

    Before each frame it reads the session's playback state. Reading session state is one of
    the points where Streamlit ends a run to start a waiting rerun: a Pause click (a rerun of
    the whole page) ends this run there, before another frame is trained.
    """
    pace = training_pace()
    seconds = pace.start_run(playback.started, time.monotonic(), interval)
    speed = run.settings.speed
    epochs = pace.auto_epochs(seconds, frames) if speed == AUTO_SPEED else speed
    spec = current_spec(run)
    earlier: list[dict] = []
    for index in range(frames):
        if not state.playback().playing:  # an interrupt point (see above)
            break
        if index > 0:
            earlier.append(snapshot(run, spec, pace=pace.epochs_per_second()))
        before, started = run.epoch, time.perf_counter()
        # Bounded in time, not only in epochs: a big network at a high speed trains what fits
        # in its share of the run, so its Pause and the other sessions never wait longer.
        train_chunk(run, epochs, time_budget=RUN_WORK_BUDGET / frames)
        trained = time.perf_counter()
        pace.record(time.monotonic(), run.epoch, run.epoch - before, trained - started)
        if run.stop_reason:
            break
    return earlier, pace.epochs_per_second()


def _plan(min_interval: float) -> tuple[float, int]:
    """This session's ``run_plan`` now."""
    return run_plan(client_pacing().rate, min_interval, training_pace().frame_seconds)


def live_view(playing: bool) -> None:
    """The fragment: while playing, train the run's frames (``run_plan``), then draw."""
    interval = _plan(server_pacer().update())[0] if playing else None
    st.session_state[_INTERVAL_SENT] = interval

    @st.fragment(run_every=interval)
    def frame() -> None:
        if st.session_state.pop(_EDIT_NOTICE, False):
            st.rerun(scope="app")  # the notices are shown outside the fragment
        run = state.run()
        playback = state.playback()
        earlier: list[dict] = []
        pace = None
        interval = st.session_state.get(_INTERVAL_SENT) or RUN_INTERVAL
        frames = _plan(interval)[1]
        started = time.perf_counter()
        # A click (Pause, a setting) ends this run at Streamlit's next interrupt point; epochs
        # trained for frames that were then never sent are undone, so the picture the browser
        # holds is the run's state, and a paused view shows the epoch it stopped on.
        saved = checkpoint(run) if playback.playing else None
        try:
            if playback.playing:
                earlier, pace = play_frames(run, playback, interval, frames)
                if run.stop_reason:
                    saved = None  # this run's training stands: the full rerun shows it
                    playback.playing = False
                    st.rerun(scope="app")  # stops the timer and shows why, outside the fragment
            spacing = interval / (1 + len(earlier))
            report = render_frame(run, playback.playing, earlier, spacing=spacing, pace=pace)
        except BaseException:  # Streamlit's RerunException/StopException included: re-raised
            if saved is not None:
                rewind(run, saved)
            raise
        if playback.playing:
            training_pace().run_done(time.perf_counter() - started, 1 + len(earlier))
            pacing = client_pacing()
            pacing.sent += 1 + len(earlier)
            pacing.update(report)
            _set_frame_interval(_plan(server_pacer().update())[0])

    frame()
