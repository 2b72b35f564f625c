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

The pace adapts to load, in two ways:

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
from collections.abc import Callable
from dataclasses import dataclass

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
from .run import (
    GRID_RESOLUTION,
    NEURON_MAP_RESOLUTION,
    TrainingRun,
    metrics,
    parse_parameter,
    set_parameter,
    train_chunk,
)

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
HOVER_INTERVAL = 0.5  # seconds between hover-data refreshes while playing
STATS_EVERY = 2.0  # seconds between the browser's reports of painted frames
FIGURE_HEIGHT = 560  # px before the browser fits the graph to its window (FIGURE_FIT)
# (min px, max px, bottom margin px, max height / width): the graph fills the window below where
# it starts, so the whole view is on one screen from a 720-row projector to a 1080p monitor,
# without turning into a tall empty figure on a tablet held upright.
FIGURE_FIT = (400, 900, 12, 0.62)
VIEW_KEY = "playground_view"
_HOVER_SENT_AT = "_live_hover_sent_at"
_INTERVAL_SENT = "_live_frame_interval"
_CLIENT_PACING = "_live_client_pacing"
_EDIT_NOTICE = "_live_edit_notice"  # an edit left a notice: show it (a full rerun)


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


def run_plan(rate: float, min_interval: float = RUN_INTERVAL) -> tuple[float, int]:
    """(seconds between fragment runs, frames each run carries) for ``rate`` frames/s.

    Runs carry ``FRAMES_PER_RUN`` frames, drawn ``interval / frames`` apart by the browser:
    what a browser pays per Streamlit run (~25 ms of Streamlit's own frontend work, more than
    drawing a frame) is shared by them. Runs come at most every ``MAX_RUN_INTERVAL`` s (fewer
    frames then at low rates) and never sooner than ``min_interval`` (the server's pacer).
    """
    rate = min(MAX_FRAME_RATE, max(MIN_FRAME_RATE, rate))
    interval = _step_at_least(max(min_interval, min(MAX_RUN_INTERVAL, FRAMES_PER_RUN / rate)))
    return interval, max(1, min(MAX_FRAMES_PER_RUN, round(rate * interval)))


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
    size = NEURON_MAP_RESOLUTION
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
        epochs=np.arange(1, history.length + 1),
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


def metrics_line(run: TrainingRun) -> str:
    """'Epoch 1,234 · train loss 0.123 · test loss 0.145 · test accuracy 97.2%'."""
    values = metrics(run)
    parts = [
        f"Epoch {run.epoch:,}",
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
        state.notices().append(str(error))
        st.session_state[_EDIT_NOTICE] = True
        return
    state.set_run(run)
    # The expander's editor reloads its value field from the network when shown next.
    st.session_state.pop("edit_value", None)


def caption(run: TrainingRun) -> dict:
    """The line above the graph, painted with the frame it describes (so the epoch counter
    moves with every frame, not every run). ``data-testid="np-metrics"`` and ``data-epoch``
    are for tests and bench/ui.py."""
    return {"text": metrics_line(run), "data": {"testid": "np-metrics", "epoch": run.epoch}}


def snapshot(run: TrainingRun, spec: ViewSpec, hover: bool = False) -> dict:
    """One frame of ``run`` as it is now: ``{"updates", "images", "frame_id", "caption"}``."""
    updates, images = frame_updates(spec, frame_data(run), run.settings.discretize, hover=hover)
    return {"updates": updates, "images": images, "frame_id": run.epoch, "caption": caption(run)}


def render_frame(
    run: TrainingRun,
    playing: bool = False,
    earlier: list[dict] | None = None,
    spacing: float | None = None,
) -> dict | None:
    """Draw the current state of ``run`` (no training); returns the browser's last frame
    statistics (see ``live_plotly``).

    ``earlier``: snapshots taken during this run before the current state (oldest first);
    the browser draws them first and the current state last, ``spacing`` seconds apart.
    """
    spec = current_spec(run)
    figure = _figure_for(run, spec)
    frames = [*(earlier or []), snapshot(run, spec, hover=_hover_due(playing))]
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
    )["stats"]


def live_view(playing: bool) -> None:
    """The fragment: while playing, train ``speed`` epochs per frame, then draw."""
    interval = run_plan(client_pacing().rate, server_pacer().update())[0] if playing else None
    st.session_state[_INTERVAL_SENT] = interval

    @st.fragment(run_every=interval)
    def frame() -> None:
        if st.session_state.pop(_EDIT_NOTICE, False):
            st.rerun(scope="app")  # the notices are shown outside the fragment
        run = state.run()
        playback = state.playback()
        earlier: list[dict] = []
        interval = st.session_state.get(_INTERVAL_SENT) or RUN_INTERVAL
        frames = run_plan(client_pacing().rate, interval)[1]
        if playback.playing:
            spec = current_spec(run)
            for index in range(frames):
                if index > 0:
                    earlier.append(snapshot(run, spec))
                train_chunk(run, run.settings.speed)
                if run.stop_reason:
                    break
            state.set_run(run)
            if run.stop_reason:
                playback.playing = False
                st.rerun(scope="app")  # stops the timer and shows why, outside the fragment
        report = render_frame(run, playback.playing, earlier, spacing=interval / frames)
        if playback.playing:
            pacing = client_pacing()
            pacing.sent += 1 + len(earlier)
            _set_frame_interval(run_plan(pacing.update(report), server_pacer().update())[0])

    frame()
