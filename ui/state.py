"""Per-session state of the playground: one object per concern, all in ``st.session_state``.

* ``settings``: the ``PlaygroundSettings`` (mirrored to the URL on every change);
* ``run``: the ``TrainingRun`` (data, network, trainer), swapped whole;
* ``playback``: whether training is playing, and the last handled Step token;
* ``own_data``: your own points (``playground.own_data.OwnData``: drawn, uploaded or from the
  link), kept while another data set is shown, so choosing "Your own data" brings them back.

Nothing here is module-level mutable state: many browser sessions share one process.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from playground.run import (
    TrainingRun,
    apply_hyperparameters,
    build_run,
    updated_run,
    with_own_data,
)
from playground.settings import CUSTOM, PlaygroundSettings

SETTINGS = "settings"
RUN = "run"
PLAYBACK = "playback"
NOTICES = "notices"
OWN_DATA = "own_data"
PLAY_BUTTON_KEY = "play"  # the Play/Pause button; ui.live tells the browser to stop on its click


@dataclass
class Playback:
    playing: bool = False
    steps_handled: int = 0  # Step clicks already applied (makes the callback idempotent)
    started: int = 0  # times playing started: names the stream of frames of each play


def settings() -> PlaygroundSettings:
    """This session's settings, read from the URL the first time."""
    if SETTINGS not in st.session_state:
        st.session_state[SETTINGS] = _settings_in_url()
        write_url(st.session_state[SETTINGS])
    return st.session_state[SETTINGS]


def _settings_in_url() -> PlaygroundSettings:
    params = st.query_params.to_dict()
    loaded, problems = PlaygroundSettings.from_query_params(params)
    if loaded.dataset == CUSTOM and (loaded.points or "points" not in params):
        problems += _points_missing(loaded.points)  # (unreadable points have their sentence)
    if problems:
        # One line each (Markdown list): a link with many bad values stays readable.
        lines = "".join(f"\n- {problem}" for problem in problems)
        notices().append("Some settings in the link could not be used:\n" + lines)
    return loaded


def _points_missing(points: str) -> list[str]:
    """A sentence when a link of your own data carries only its shape, not its points."""
    from playground.own_data import LINK_PREFIX, MAX_LINK_POINTS  # pandas: own data only

    if points.startswith(LINK_PREFIX):
        return []
    return [
        "The link names your own data set but does not contain its points (a link holds at "
        f"most {MAX_LINK_POINTS}): draw them on the output map, or upload the file."
    ]


def follow_address_bar() -> bool:
    """After Back/Forward, take the settings of the address the browser went back to; True
    if they differ from the page's (the caller then re-syncs the widgets).

    Streamlit (1.67) writes each ``st.query_params`` change as a new browser history entry
    and has no way to replace the current one; Back/Forward reruns the script with the
    restored address and marks the run as a history navigation. Settings are only read from
    the address on such runs, never on others: a rerun may carry an address the browser had
    not updated yet, which would undo the user's last change.
    """
    if SETTINGS not in st.session_state or not is_history_navigation():
        return False
    loaded = _settings_in_url()
    current = st.session_state[SETTINGS]
    if loaded == current:
        return False
    if current.broken_locks(loaded):  # an address from before the assignment's locks
        write_url(current)
        return False
    set_settings(loaded)
    return True


def is_history_navigation() -> bool:
    """Whether this run is Streamlit's rerun after the browser's Back/Forward.

    Streamlit internals (``ScriptRunContext.is_history_navigation``, 1.67);
    tests/unit/test_streamlit_internals.py fails with a sentence if an upgrade moves it.
    """
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    return bool(getattr(get_script_run_ctx(), "is_history_navigation", False))


def set_settings(new: PlaygroundSettings) -> None:
    """Replace the settings, re-tune or rebuild the run as needed, and update the URL. Your own
    points are split anew when the train ratio moves (their split is in the link)."""
    old = st.session_state.get(SETTINGS)
    st.session_state[SETTINGS] = new
    own = own_data() if new.dataset == CUSTOM else None
    if own is not None and old is not None and old.ratio != new.ratio:
        set_own_data(own.resplit(new.ratio / 100, new.seed), keep_network=False)
        return
    run = st.session_state.get(RUN)
    st.session_state[RUN] = updated_run(run, new, own_data())
    write_url(new)


def own_data():
    """This session's own data (``OwnData``), or None before any; with ``dataset=custom``
    the data the settings' ``points`` carry when the session has none or other points (a
    link, Back/Forward)."""
    own = st.session_state.get(OWN_DATA)
    current = st.session_state.get(SETTINGS)
    if current is not None and current.dataset == CUSTOM and not _carries(current.points, own):
        from playground.drawing import from_link

        own = st.session_state[OWN_DATA] = from_link(current.points)
    return own


def _carries(points: str, own) -> bool:
    """Whether the settings' ``points`` value describes ``own`` (its points, or its shape when
    the link cannot carry them)."""
    from playground.drawing import link_value

    if own is None:
        return False
    return link_value(*own.split(0.5, 1)) == points  # own data carries its split


def set_own_data(own, keep_network: bool = True) -> bool:
    """Use ``own`` as the data set (dataset=custom, its points in the link): the run keeps its
    network when ``keep_network`` and the data's shape (kind, classes) stays, else gets a new
    one. ``own`` must carry its split (``is_train``). Returns whether the network was kept."""
    from playground.drawing import link_value

    train, test = own.split(0.5, 1)
    new = settings().with_changes(dataset=CUSTOM, points=link_value(train, test))
    st.session_state[OWN_DATA] = own
    st.session_state[SETTINGS] = new
    run = st.session_state.get(RUN)
    kept = (
        keep_network
        and run is not None
        and run.own is not None
        and run.structure_key == new.structure_key()
    )
    if kept:
        apply_hyperparameters(run, new)
        st.session_state[RUN] = with_own_data(run, own)
    else:
        st.session_state[RUN] = build_run(new, own)
    write_url(new)
    return kept


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
        st.session_state[RUN] = updated_run(None, settings(), own_data())
    return st.session_state[RUN]


def set_run(new: TrainingRun) -> None:
    st.session_state[RUN] = new


def playback() -> Playback:
    return st.session_state.setdefault(PLAYBACK, Playback())


def theme_type() -> str | None:
    """ "light" or "dark": the theme Streamlit shows (it follows the browser's preference
    unless the user picked one in the app menu); None before the browser said."""
    return st.context.theme.type


def notices() -> list[str]:
    """Sentences to show once (e.g. what was wrong with the link), as Markdown: anything a
    user sent goes in through ``playground.quote`` (``code`` for a value, ``plain`` for an error's
    text)."""
    return st.session_state.setdefault(NOTICES, [])
