"""The timeline row of the Playground: scrub back through a paused run's recorded epochs,
continue from one, or rewatch the run as an animation.

Shown while paused, in a slot above the play bar that keeps its height while playing (the
strip under Streamlit's header), so that pausing moves nothing. The session holds which
recorded epoch is shown (``shown_moment``; none: the run's present) and whether a rewatch is
playing; the live view draws ``shown_moment(run).run``, so every part of the frame (output
map, neuron maps, links, caption, loss chart) follows.
Play or Step while an earlier epoch is shown continues from it, as "Continue from here" does:
what you see is what trains. Keys: ← and → step through the recorded epochs (→ at the newest
one trains an epoch, as before). A click on the loss chart pauses and shows the recorded epoch
nearest to where it was clicked.
"""

from __future__ import annotations

import streamlit as st

from playground.history import Moment, continue_from, moment, recorded_epochs, step_epoch
from playground.run import TrainingRun

from . import state

SLIDER_KEY = "timeline_slider"  # + "_<n>": see slider_key
BACK_BUTTON_KEY = "timeline_back"
FORWARD_BUTTON_KEY = "timeline_forward"
CONTINUE_BUTTON_KEY = "timeline_continue"
REWATCH_BUTTON_KEY = "timeline_rewatch"
REWATCH_SPEED_KEY = "timeline_rewatch_speed"
# Snapshots per second a rewatch shows: the first 100 epochs at 10/s take 10 s.
REWATCH_SPEEDS = (2, 5, 10, 20)
DEFAULT_REWATCH_SPEED = 10
_SHOWN = "_timeline_shown"  # (id of the run's recorder, epoch) or absent: the present
_REWATCHING = "_timeline_rewatching"
_SLIDER_VERSION = "_timeline_slider_version"
_SLIDER_ECHO = "_timeline_slider_echo"  # (key, value) a new slider was made with, until moved
_FULL_RERUN = "_timeline_full_rerun"  # a click on the loss chart paused: redraw the whole page
# (key, name, button key, action): ui.keys' table format (see ui.controls.SHORTCUTS).
BACK_SHORTCUT = ("ArrowLeft", "←", BACK_BUTTON_KEY, "Show the previous recorded epoch (paused)")
FORWARD_SHORTCUT = ("ArrowRight", "→", FORWARD_BUTTON_KEY, "Show the next recorded epoch")


def shown_epoch(run: TrainingRun) -> int | None:
    """The earlier epoch the views show, or None for the run's present (also while playing,
    or when what was chosen belongs to another run or no longer exists)."""
    shown = st.session_state.get(_SHOWN)
    if shown is None or state.playback().playing or shown[0] != id(run.snapshots):
        return None
    epoch = shown[1]
    return epoch if epoch < run.epoch and epoch in recorded_epochs(run) else None


def shown_moment(run: TrainingRun) -> Moment:
    """What the views show now: the run at the chosen epoch, or as it is. Views that follow
    the timeline (the insight panels) draw ``shown_moment(state.run()).run``/``.model``."""
    return moment(run, shown_epoch(run))


def show(run: TrainingRun, epoch: int | None) -> None:
    """Show ``epoch`` (None or the newest: the present)."""
    if epoch is None or epoch >= run.epoch:
        st.session_state.pop(_SHOWN, None)
    else:
        st.session_state[_SHOWN] = (id(run.snapshots), epoch)


def continue_from_shown() -> None:
    """Make the shown epoch the run's present (Continue from here; Play and Step call it
    first, so they train from what is on screen). Stops a rewatch."""
    st.session_state.pop(_REWATCHING, None)
    run = state.run()
    epoch = shown_epoch(run)
    st.session_state.pop(_SHOWN, None)
    if epoch is not None:
        continue_from(run, epoch)
        state.set_run(run)


def shortcuts(base: tuple) -> tuple:
    """``base`` (ui.controls.SHORTCUTS) with ← and, while an earlier epoch is shown, → stepping
    through the timeline instead of training."""
    run = st.session_state.get(state.RUN)  # (not built here: the page builds it)
    if run is None or shown_epoch(run) is None:
        return (*base, BACK_SHORTCUT)
    kept = tuple(shortcut for shortcut in base if shortcut[0] != FORWARD_SHORTCUT[0])
    return (*kept, BACK_SHORTCUT, FORWARD_SHORTCUT)


# ---------------------------------------------------------------- callbacks


def slider_key() -> str:
    """The slider's widget key now. A new key (a new slider, created at the shown epoch) each
    time something else than the slider moves the shown epoch: a value written into an existing
    slider's state reaches Streamlit's browser side late, which then sends the old value back
    (the shown epoch jumped back) or, while the user drags or types, fights them."""
    return f"{SLIDER_KEY}_{st.session_state.get(_SLIDER_VERSION, 0)}"


def _on_slider() -> None:
    key = slider_key()
    value = st.session_state[key]
    # A new slider's browser side may report the value it was made with as a change (a rerun
    # sent before it mounted): not the user's, so a rewatch that moved on is not sent back.
    if st.session_state.pop(_SLIDER_ECHO, None) == (key, value):
        return
    st.session_state.pop(_REWATCHING, None)  # a drag during a rewatch ends it there
    show(state.run(), value)


def _step(steps: int) -> None:
    st.session_state.pop(_REWATCHING, None)
    run = state.run()
    current = shown_epoch(run)
    show(run, step_epoch(run, run.epoch if current is None else current, steps))


def _toggle_rewatch() -> None:
    if st.session_state.pop(_REWATCHING, None):
        return
    run = state.run()
    if shown_epoch(run) is None:  # at the present: from the start
        show(run, recorded_epochs(run)[0])
    st.session_state[_REWATCHING] = True


def show_clicked_epoch(x: float) -> None:
    """The live view's click on the loss chart at epoch ``x``: pause, and show the recorded
    epoch nearest to it (the present if that is the newest). The page is then redrawn whole
    (``needs_full_rerun``): the play bar and the timeline row are outside the live view."""
    run = state.run()
    state.playback().playing = False
    st.session_state.pop(_REWATCHING, None)
    st.session_state[_FULL_RERUN] = True
    if run.snapshots.epochs:
        show(run, run.snapshots.nearest(round(min(max(x, 0.0), run.epoch))))


def needs_full_rerun() -> bool:
    """Whether a click on the loss chart changed more than the live view shows."""
    return bool(st.session_state.pop(_FULL_RERUN, False))


# ---------------------------------------------------------------- rewatch (in the live view)


def rewatch_interval() -> float | None:
    """The live view's run_every while a rewatch plays (one snapshot per run), else None."""
    if not st.session_state.get(_REWATCHING) or state.playback().playing:
        return None
    return 1.0 / st.session_state.get(REWATCH_SPEED_KEY, DEFAULT_REWATCH_SPEED)


def advance_rewatch(run: TrainingRun) -> None:
    """While a rewatch plays: show the next recorded epoch; after the newest, stop (a full
    rerun, so the timeline row shows where it ended)."""
    if rewatch_interval() is None:
        return
    current = shown_epoch(run)
    if current is None:  # reached the present
        st.session_state.pop(_REWATCHING, None)
        st.rerun(scope="app")
    show(run, step_epoch(run, current, 1))


# ---------------------------------------------------------------- the row


def timeline_row(run: TrainingRun) -> bool:
    """Back, the slider over the recorded epochs, forward, Continue from here, Rewatch and
    its speed; only while paused with at least two recorded epochs (returns whether shown)."""
    epochs = recorded_epochs(run)
    # Only while paused; the page keeps its slot's height while playing (ui/playground.css).
    if state.playback().playing or len(epochs) < 2 or epochs[-1] != run.epoch:
        return False
    current = shown_epoch(run)
    shown = run.epoch if current is None else current
    rewatching = bool(st.session_state.get(_REWATCHING))
    row = st.container(key="np-timeline", horizontal=True, vertical_alignment="center", gap="small")
    row.button(
        "",
        key=BACK_BUTTON_KEY,
        icon=":material/chevron_left:",
        on_click=_step,
        args=(-1,),
        disabled=shown == epochs[0],
        help="The previous recorded epoch. Key: ←.",
    )
    if st.session_state.get(slider_key()) != shown:  # moved by a button, a rewatch, training
        st.session_state[_SLIDER_VERSION] = st.session_state.get(_SLIDER_VERSION, 0) + 1
        st.session_state[_SLIDER_ECHO] = (slider_key(), shown)
    row.select_slider(
        "Timeline",
        options=epochs,
        value=shown,
        key=slider_key(),
        format_func=lambda epoch: f"epoch {epoch:,}",
        on_change=_on_slider,
        label_visibility="collapsed",
        help=(
            "Every epoch of the first 100, then 20 per factor of ten, and the last 50 frames. "
            "A click on the loss chart goes to the epoch clicked."
        ),
    )
    row.button(
        "",
        key=FORWARD_BUTTON_KEY,
        icon=":material/chevron_right:",
        on_click=_step,
        args=(1,),
        disabled=current is None,
        help="The next recorded epoch. Key: →.",
    )
    row.button(
        "Continue from here",
        key=CONTINUE_BUTTON_KEY,
        on_click=continue_from_shown,
        disabled=current is None,
        help="Train on from the epoch shown; the later history is dropped (Play does the same).",
    )
    row.button(
        "Stop" if rewatching else "Rewatch",
        key=REWATCH_BUTTON_KEY,
        icon=":material/stop:" if rewatching else ":material/movie:",
        on_click=_toggle_rewatch,
        help="Play the recorded history as an animation (from the epoch shown, or the start).",
    )
    row.selectbox(
        "Rewatch speed",
        REWATCH_SPEEDS,
        index=REWATCH_SPEEDS.index(DEFAULT_REWATCH_SPEED),
        key=REWATCH_SPEED_KEY,
        format_func=lambda speed: f"{speed}/s",
        label_visibility="collapsed",
        width=90,
        help="Recorded epochs shown per second while rewatching.",
    )
    return True
