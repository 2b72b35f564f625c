"""Per-session state of the playground: one object per concern, all in ``st.session_state``.

* ``settings``: the ``PlaygroundSettings`` (mirrored to the URL on every change);
* ``run``: the ``TrainingRun`` (data, network, trainer), swapped whole;
* ``playback``: whether training is playing, and the last handled Step token.

Nothing here is module-level mutable state: many browser sessions share one process.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from .run import TrainingRun, updated_run
from .settings import PlaygroundSettings

SETTINGS = "settings"
RUN = "run"
PLAYBACK = "playback"
NOTICES = "notices"
PLAY_BUTTON_KEY = "play"  # the Play/Pause button; ui.live tells the browser to stop on its click


@dataclass
class Playback:
    playing: bool = False
    steps_handled: int = 0  # Step clicks already applied (makes the callback idempotent)
    started: int = 0  # times playing started: names the stream of frames of each play


def settings() -> PlaygroundSettings:
    """This session's settings, read from the URL the first time."""
    if SETTINGS not in st.session_state:
        loaded, problems = PlaygroundSettings.from_query_params(st.query_params.to_dict())
        st.session_state[SETTINGS] = loaded
        if problems:
            notices().append("Some settings in the link could not be used: " + " ".join(problems))
        write_url(loaded)
    return st.session_state[SETTINGS]


def set_settings(new: PlaygroundSettings) -> None:
    """Replace the settings, re-tune or rebuild the run as needed, and update the URL."""
    st.session_state[SETTINGS] = new
    run = st.session_state.get(RUN)
    st.session_state[RUN] = updated_run(run, new)
    write_url(new)


def write_url(current: PlaygroundSettings) -> None:
    """Mirror the settings into the address bar (only the keys that changed are written)."""
    wanted = current.to_query_params()
    existing = st.query_params.to_dict()
    for key in set(existing) - set(wanted):
        del st.query_params[key]
    changed = {key: value for key, value in wanted.items() if existing.get(key) != value}
    if changed:
        st.query_params.update(changed)


def run() -> TrainingRun:
    """This session's training run (built on first use)."""
    if RUN not in st.session_state:
        st.session_state[RUN] = updated_run(None, settings())
    return st.session_state[RUN]


def set_run(new: TrainingRun) -> None:
    st.session_state[RUN] = new


def playback() -> Playback:
    if PLAYBACK not in st.session_state:
        st.session_state[PLAYBACK] = Playback()
    return st.session_state[PLAYBACK]


def notices() -> list[str]:
    """Plain sentences to show once (e.g. what was wrong with the link)."""
    return st.session_state.setdefault(NOTICES, [])
