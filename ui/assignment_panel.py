"""Share as assignment: the teacher ticks which controls a link hides and which it locks,
optionally picks a goal (a challenge's check), and copies the link (the Playground's settings
as they are, with ``hide=``, ``lock=`` and ``challenge=``).

With a goal, the link also locks what the goal is checked on (the challenge's own locks, at the
challenge's values): a goal is only ever met on its own terms (``Challenge.met``).
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

import streamlit as st

from playground import words
from playground.challenges import CHALLENGES
from playground.settings import HIDEABLE, LOCKABLE, PlaygroundSettings

from . import state

EXPANDER_KEY = "expander_assignment"
HIDE_KEY, LOCK_KEY, GOAL_KEY = "assignment_hide", "assignment_lock", "assignment_goal"
LINK_KEY = "assignment_link"  # the st.code block's container (tests read the link there)
NO_GOAL = ""


def control_name(word: str) -> str:
    """A ``hide=``/``lock=`` word as people call its control."""
    return words.CONTROL_NAMES.get(word, word.replace("_", " "))


def assignment_settings(
    settings: PlaygroundSettings, hide: tuple[str, ...], lock: tuple[str, ...], goal: str
) -> PlaygroundSettings:
    """The settings an assignment link carries: these, hiding and locking as ticked; with a goal,
    also at the challenge's values for what it locks, and locking those too."""
    if goal:
        challenge = CHALLENGES[goal]
        settings = settings.with_changes(**challenge.terms())
        lock = tuple(dict.fromkeys((*lock, *challenge.lock)))
    return dataclasses.replace(settings, hide=hide, lock=lock, challenge=goal)


def link(settings: PlaygroundSettings, base: str | None) -> str:
    """The Playground address for ``settings`` (``base``: the app's address, else relative)."""
    root = (base or "").split("?")[0].rstrip("/")
    return f"{root}/?" + urlencode(settings.to_query_params(), safe=",")


def assignment_panel() -> None:
    """The expander (its widgets built only while open, like the page's other expanders)."""
    panel = st.expander(
        "Share as assignment: hide or lock controls, set a goal, copy the link",
        key=EXPANDER_KEY,
        on_change="rerun",
        icon=":material/assignment:",
    )
    with panel:
        if panel.open:
            _panel_widgets()


def _panel_widgets() -> None:
    settings = state.settings()
    st.session_state.setdefault(HIDE_KEY, list(settings.hide))
    st.session_state.setdefault(LOCK_KEY, list(settings.lock))
    st.session_state.setdefault(GOAL_KEY, settings.challenge)
    hide_column, lock_column, goal_column = st.columns([1, 1, 1])
    hide = hide_column.multiselect(
        "Hide these controls",
        HIDEABLE,
        key=HIDE_KEY,
        format_func=control_name,
        help="Students do not see them (hide=).",
    )
    lock = lock_column.multiselect(
        "Lock these controls",
        LOCKABLE,
        key=LOCK_KEY,
        format_func=control_name,
        help="Students see them, disabled: they cannot change them (lock=).",
    )
    goal = goal_column.selectbox(
        "Goal (optional)",
        [NO_GOAL, *CHALLENGES],
        key=GOAL_KEY,
        format_func=lambda slug: CHALLENGES[slug].goal if slug else "No goal",
        help="A challenge's check: the Playground shows the goal and a tick when a run meets "
        "it. The link then also locks what the goal is checked on.",
    )
    shared = assignment_settings(settings, tuple(hide), tuple(lock), goal)
    if goal:
        extra = [word for word in shared.lock if word not in lock]
        if extra:
            st.caption("The goal also locks: " + ", ".join(map(control_name, extra)) + ".")
    st.caption("The link opens the Playground as it is now, with these controls hidden or locked:")
    with st.container(key=LINK_KEY):
        st.code(link(shared, st.context.url), language=None, wrap_lines=True)
