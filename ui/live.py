"""The live view: trains a chunk of epochs and redraws, many times per second.

``live_view`` is an ``st.fragment`` that re-runs every ``FRAME_INTERVAL`` seconds while
playing (controls live outside it, so widgets stay responsive).  Each frame trains
``speed`` epochs, evaluates every neuron over the plane in one kernel call, and sends
only compact arrays to the mounted Plotly graph (``ui.live_plotly``).

Two kinds of frame data (see ``ui.figures``): what is drawn goes out every frame; the
hover data (trace data: Plotly redraws the whole figure for it) at most every
``HOVER_INTERVAL`` seconds while playing, and with every frame while paused.

The frame interval adapts to load, in two ways:

* ``server_pacer()`` (server): from the process's CPU use, for all playing sessions. One Python
  process runs one thread at a time, so past about one busy core every session slows down
  and the total frame rate *falls* (measured: 95 → 53 frames/s in total).
* ``ClientPacing`` (per session): the browser reports every ``STATS_EVERY`` seconds how
  many frames it painted; when it paints clearly fewer than it was sent (a slow or busy
  computer), the interval grows to what it paints, and shrinks again step by step while
  it keeps up. Every fragment run costs the browser ~15-25 ms in Streamlit's own
  frontend even when nothing is painted, so surplus runs only slow it down further.

A longer interval does not mean fewer frames: a run then carries several
(``frames_per_run``), trained one after the other and drawn by the browser spread over the
interval, so Streamlit's per-run cost is shared by all of them.
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
from .figures import FrameData, ViewSpec, frame_updates, hover_zoom_option, playground_figure
from .live_plotly import browser_state, live_plotly
from .run import GRID_RESOLUTION, NEURON_MAP_RESOLUTION, TrainingRun, metrics, train_chunk

FRAME_INTERVAL = 0.04  # seconds between frames while playing and the server is not busy
MAX_FRAME_INTERVAL = 0.5
# Frames one fragment run may carry when its interval is longer than FRAME_INTERVAL: the
# browser then draws them FRAME_INTERVAL-ish apart (see frames_per_run).
MAX_FRAMES_PER_RUN = 6
# Interval steps the pacer chooses from (a change restarts the browser's timer: not too often).
INTERVAL_STEPS = (0.04, 0.05, 0.06, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
HOVER_INTERVAL = 0.5  # seconds between hover-data refreshes while playing
STATS_EVERY = 2.0  # seconds between the browser's reports of painted frames
FIGURE_HEIGHT = 560
VIEW_KEY = "playground_view"
_HOVER_SENT_AT = "_live_hover_sent_at"
_INTERVAL_SENT = "_live_frame_interval"
_CLIENT_PACING = "_live_client_pacing"


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
        self.interval = FRAME_INTERVAL
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
    return MAX_FRAME_INTERVAL


@st.cache_resource
def server_pacer() -> FramePacer:
    """The process's one pacer: it measures the whole process, so all sessions share it
    (a Streamlit resource, created on first use; it holds no session's data)."""
    return FramePacer()


def paced_interval(interval: float, sent: int, painted: int, seconds: float) -> float:
    """The next frame interval of one session, from what its browser painted.

    ``sent`` frames went out and ``painted`` were drawn in ``seconds``. Below 80 % painted,
    the interval becomes a little shorter than the browser's paint period (freed from the
    surplus frames it paints faster); from 90 % on it shrinks one step towards
    ``FRAME_INTERVAL``. Measured with 5 pages on a loaded 2-core machine: 2.4 painted
    frames/s per page with this, 1.0 without.
    """
    if sent <= 0 or seconds <= 0:
        return interval
    ratio = painted / sent
    if ratio < 0.8:
        wanted = 0.8 * seconds / painted if painted > 0 else 2 * interval
        return max(interval, _step_at_least(wanted))
    if ratio >= 0.9:
        smaller = [step for step in INTERVAL_STEPS if step < interval * 0.999]
        return smaller[-1] if smaller else FRAME_INTERVAL
    return interval


@dataclass
class ClientPacing:
    """A session's frame interval as its browser keeps up (see ``paced_interval``)."""

    interval: float = FRAME_INTERVAL
    sent: int = 0  # frames sent while playing
    sent_at_report: int = 0
    report: dict | None = None

    def update(self, report: dict | None) -> float:
        if not report or (self.report is not None and report.get("t") == self.report.get("t")):
            return self.interval
        previous, self.report = self.report, report
        sent, self.sent_at_report = self.sent - self.sent_at_report, self.sent
        if previous is not None:
            try:
                painted = int(report["painted"]) - int(previous["painted"])
                seconds = float(report["t"]) - float(previous["t"])
            except (KeyError, TypeError, ValueError):
                return self.interval
            if painted >= 0:  # a new graph in the page restarts its counters
                self.interval = paced_interval(self.interval, sent, painted, seconds)
        return self.interval


def frames_per_run(interval: float) -> int:
    """How many frames one fragment run trains and sends, at a run interval of ``interval``.

    When the pacing lengthens the interval (a busy browser or server), each run carries
    several frames that the browser draws ``interval / frames`` apart: what a browser pays
    per Streamlit run (~20 ms of Streamlit's own frontend work, more than drawing a frame)
    is then shared by those frames.  Measured with 5 pages on the 2-core machine: see
    docs/benchmarks.md.
    """
    return max(1, min(MAX_FRAMES_PER_RUN, round(interval / FRAME_INTERVAL)))


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


def view_spec(run: TrainingRun, log_loss: bool) -> ViewSpec:
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


def metrics_line(run: TrainingRun) -> str:
    """'Epoch 1,234 · train loss 0.123 · test loss 0.145 · test accuracy 97.2%'."""
    values = metrics(run)
    parts = [
        f"Epoch {run.epoch:,}",
        f"train loss {values['train_loss']:.3f}",
        f"test loss {values['test_loss']:.3f}",
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
    return view_spec(run, bool(st.session_state.get("control_log_loss", False)))


def snapshot(run: TrainingRun, spec: ViewSpec, hover: bool = False) -> dict:
    """One frame of ``run`` as it is now: ``{"updates", "images", "frame_id"}``."""
    updates, images = frame_updates(spec, frame_data(run), run.settings.discretize, hover=hover)
    return {"updates": updates, "images": images, "frame_id": run.epoch}


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
    first, later = frames[0], frames[1:]
    updates, images = first["updates"], first["images"]
    st.markdown(
        f'<div class="np-metrics" data-testid="np-metrics" data-epoch="{run.epoch}" '
        # The frame interval in effect (s), for bench/ui.py; empty while paused.
        f'data-interval="{st.session_state.get(_INTERVAL_SENT) or ""}">'
        f"{metrics_line(run)}</div>",
        unsafe_allow_html=True,
    )
    return live_plotly(
        figure,
        spec.version(id(run.train)),
        updates,
        key=VIEW_KEY,
        height=FIGURE_HEIGHT,
        images=images,
        hover_zoom=hover_zoom_option(spec),
        # The epoch this frame shows, on the graph div once painted (data-frame-id): tests and
        # bench/ui.py use it to tell when a trained frame reached the screen.
        frame_id=first["frame_id"],
        stats_every=STATS_EVERY if playing else None,
        later_frames=later,
        frame_spacing=spacing,
    )["stats"]


def live_view(playing: bool) -> None:
    """The fragment: while playing, train ``speed`` epochs per frame, then draw."""
    interval = max(server_pacer().update(), client_pacing().interval) if playing else None
    st.session_state[_INTERVAL_SENT] = interval

    @st.fragment(run_every=interval)
    def frame() -> None:
        run = state.run()
        playback = state.playback()
        earlier: list[dict] = []
        interval = st.session_state.get(_INTERVAL_SENT) or FRAME_INTERVAL
        frames = frames_per_run(interval)
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
            _set_frame_interval(max(server_pacer().update(), pacing.update(report)))

    frame()
