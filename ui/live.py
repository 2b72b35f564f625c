"""The live view: trains a chunk of epochs and redraws, many times per second.

``live_view`` is an ``st.fragment`` that re-runs every ``RUN_INTERVAL`` seconds while
playing (controls live outside it, so widgets stay responsive).  Each run trains and sends
several frames (``run_plan``); each frame trains ``speed`` epochs, evaluates every neuron
over the plane in one kernel call, and goes to the mounted Plotly graph (``ui.live_plotly``)
as compact arrays, which the browser draws ``FRAME_INTERVAL`` apart (why several frames per
run: ``playground.pacing.RUN_INTERVAL``). The line above the graph (epoch, losses,
accuracies) travels with each frame and is painted with it.

Two kinds of frame data (see ``playground.figures``): what is drawn goes out every frame; the
hover data (trace data: Plotly redraws the whole figure for it) at most every
``HOVER_INTERVAL`` seconds while playing, and with every frame while paused.

How many frames a session gets and how many epochs each trains (speed "auto" included) is
``playground.pacing``; what a frame shows is ``playground.frames``. This module holds the
per-session pacing state, sends the frames and takes the browser's clicks.

Frames carry only the link colours, widths and pictures that changed (``live_plotly``'s
``changes_only``, everything every ``WHOLE_FRAME_EVERY`` s), runs carry fewer frames when a
frame is expensive (``RUN_WORK_BUDGET``), and a click on Pause stops the browser's queued
frames at once (``live_plotly``'s ``stream`` and ``stop_on_click``) and ends the fragment run
before another frame is trained: a big network stays live and pauses at once.
"""

from __future__ import annotations

import time

import streamlit as st

from playground.figures import (
    FIGURE_HEIGHT,
    LOSS_AXES,
    LiveFigure,
    ViewSpec,
    editable_option,
    frame_updates,
    hover_zoom_option,
)
from playground.frames import current_figure, frame_data, metrics_line, view_spec
from playground.pacing import (
    HOVER_INTERVAL,
    RUN_INTERVAL,
    RUN_WORK_BUDGET,
    STATS_EVERY,
    WHOLE_FRAME_EVERY,
    ClientPacing,
    FramePacer,
    TrainingPace,
    run_plan,
)
from playground.pictures import pictures_option
from playground.quote import plain
from playground.run import (
    TrainingRun,
    checkpoint,
    parse_parameter,
    rewind,
    set_parameter,
    train_chunk,
)
from playground.settings import AUTO_SPEED

from . import challenge_bar, own_data, state, timeline
from .live_plotly import browser_state, live_plotly

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


@st.cache_resource
def server_pacer() -> FramePacer:
    """The process's one pacer: it measures the whole process, so all sessions share it
    (a Streamlit resource, created on first use; it holds no session's data)."""
    return FramePacer()


def client_pacing() -> ClientPacing:
    return st.session_state.setdefault(_CLIENT_PACING, ClientPacing())


def training_pace() -> TrainingPace:
    return st.session_state.setdefault(_TRAINING_PACE, TrainingPace())


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
    return view_spec(run, state.settings().log_loss, state.theme_type())


def apply_edit(edit: dict) -> None:
    """``live_plotly``'s ``on_edit``: the user clicked a link or a bias in the diagram and
    typed a value. Applied at once (playing or not, as in TensorFlow Playground: training
    goes on from the new value); a value that cannot be used leaves a sentence. Shown an
    earlier epoch (the timeline), the edit goes on from that one: what you see is what you edit."""
    run = state.run()
    try:
        try:
            layer, source, target = (int(part) for part in edit.get("customdata") or ())
        except (TypeError, ValueError):
            raise ValueError("That connection does not exist in this network.") from None
        is_bias = edit.get("trace") == current_figure(run, current_spec(run)).index.bias_trace
        value = parse_parameter(edit.get("text"))
        timeline.continue_from_shown()  # (in place: ``run`` is the same object)
        set_parameter(run, layer, None if is_bias else source, target, value)
    except ValueError as error:
        state.notices().append(plain(error))  # it may quote what was typed: see playground/quote.py
        st.session_state[_EDIT_NOTICE] = True
        return
    state.set_run(run)
    # The expander's editor reloads its value field from the network when shown next.
    st.session_state.pop("edit_value", None)


LOSS_AREA, MAP_AREA = "loss", "map"  # the live view's click areas, by name


def click_areas(run: TrainingRun) -> dict[str, dict[str, str]]:
    """``live_plotly``'s ``click_areas``: the loss chart always, the output map while your
    own points can be drawn."""
    areas = {LOSS_AREA: LOSS_AXES}
    if own_data.can_draw(run.settings):
        areas[MAP_AREA] = own_data.CLICK_AREA
    return areas


def view_click(click: dict) -> None:
    """``live_plotly``'s ``on_click`` (see ``click_areas``; another area name is ignored)."""
    if click["area"] == LOSS_AREA:
        timeline.show_clicked_epoch(click["x"])
    elif click["area"] == MAP_AREA:
        own_data.draw_click(click)


def caption(run: TrainingRun, pace: float | None = None) -> dict:
    """The line above the graph, painted with the frame it describes (so the epoch counter
    moves with every frame, not every run). ``data-testid="np-metrics"``, ``data-epoch`` and
    ``data-pace`` (epochs/s, empty while paused) are for tests and bench/ui.py."""
    data = {"testid": "np-metrics", "epoch": run.epoch, "pace": "" if pace is None else pace}
    # A challenge's goal, checked for this frame's run (``data-goal``: met/open, for tests).
    text, goal = challenge_bar.caption_text(run, metrics_line(run, pace))
    if goal:
        data["goal"] = goal
    return {"text": text, "data": data}


def snapshot(
    run: TrainingRun,
    figure: LiveFigure,
    hover: bool = False,
    pace: float | None = None,
    present: TrainingRun | None = None,
) -> dict:
    """One frame of ``run`` as it is now: ``{"updates", "images", "frame_id", "caption"}``
    (``present``: the run an earlier moment was taken from, ``frame_data``'s)."""
    data = frame_data(run, present)
    updates, images = frame_updates(figure, data, run.settings.discretize, hover=hover)
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
    present: TrainingRun | None = None,
) -> dict | None:
    """Draw the current state of ``run`` (no training); returns the browser's last frame
    statistics (see ``live_plotly``).

    ``earlier``: snapshots taken during this run before the current state (oldest first);
    the browser draws them first and the current state last, ``spacing`` seconds apart.
    ``pace``: the measured epochs/s for the caption line (while playing).
    ``present``: the run that ``run``, an earlier moment (the timeline), was taken from.
    """
    spec = current_spec(run)
    figure = current_figure(run, spec)
    frames = [*(earlier or []), snapshot(run, figure, _hover_due(playing), pace, present)]
    for frame in frames:
        # The run interval in effect (s), for bench/ui.py; empty while paused.
        frame["caption"]["data"]["interval"] = st.session_state.get(_INTERVAL_SENT) or ""
    first, later = frames[0], frames[1:]
    updates, images = first["updates"], first["images"]
    return live_plotly(
        figure.plotly,
        spec.version(id(run.train)),
        updates,
        key=VIEW_KEY,
        # The height before the graph fits the window (FIGURE_FIT).
        height=FIGURE_HEIGHT,
        images=images,
        hover_zoom=hover_zoom_option(figure),
        colorscale=spec.colors.image_colorscale,
        # The newest weights and biases, every run: what a click on a link or bias prefills
        # (nothing editable when the link hides editing: hide=edit).
        editable={}
        if run.settings.hides("edit") or run.settings.locks("edit")
        else editable_option(figure, run.model.weights, run.model.biases),
        on_edit=apply_edit,
        # A click on the loss chart shows that epoch (the timeline); on the output map, with
        # your own data, it adds or removes a point (ui.own_data).
        click_areas=click_areas(run),
        on_click=view_click,
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
        # The PNG buttons: the whole view and each figure, named by data set and epoch.
        pictures=pictures_option(figure, run.settings.dataset),
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
    figure = current_figure(run, current_spec(run))
    earlier: list[dict] = []
    for index in range(frames):
        if not state.playback().playing:  # an interrupt point (see above)
            break
        if index > 0:
            earlier.append(snapshot(run, figure, pace=pace.epochs_per_second()))
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
    # Paused: no timer, unless the timeline is rewatching the recorded history.
    interval = _plan(server_pacer().update())[0] if playing else timeline.rewatch_interval()
    st.session_state[_INTERVAL_SENT] = interval

    @st.fragment(run_every=interval)
    def frame() -> None:
        if (
            st.session_state.pop(_EDIT_NOTICE, False)
            or own_data.needs_full_rerun()
            or timeline.needs_full_rerun()
        ):
            st.rerun(scope="app")  # the notices (new widgets, the timeline) are outside it
        run = state.run()
        playback = state.playback()
        if not playback.playing:
            timeline.advance_rewatch(run)
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
            shown = run if playback.playing else timeline.shown_moment(run).run  # (the timeline)
            present = None if shown is run else run  # (the loss chart marks the shown epoch)
            report = render_frame(
                shown, playback.playing, earlier, spacing=spacing, pace=pace, present=present
            )
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
