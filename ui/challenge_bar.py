"""The Playground's side of a challenge (``challenge=`` in its link): the goal beside the layer
row, and the goal's state at the start of the live view's caption line, checked on the server
for every frame from the run's own numbers (``playground.challenges``).

Progress (which goals were met) is this browser session's only: a set in ``st.session_state``,
gone with the session; nothing about a student is stored on the server.
"""

from __future__ import annotations

import streamlit as st

from playground.challenges import MET, challenge_of, goal_words
from playground.challenges import goal_state as checked_goal
from playground.run import TrainingRun
from playground.settings import PlaygroundSettings

from .assignment_panel import control_name

PROGRESS = "challenge_progress"  # session state: the slugs of the goals met in this session


def progress() -> set[str]:
    """The challenges whose goal a run met in this browser session."""
    return st.session_state.setdefault(PROGRESS, set())


def goal_state(run: TrainingRun) -> str | None:
    """``MET`` or ``OPEN`` for a run with a challenge (None without one); a met goal joins this
    session's progress."""
    state = checked_goal(run)
    if state == MET:
        progress().add(run.settings.challenge)
    return state


def caption_text(run: TrainingRun, line: str) -> tuple[str, str]:
    """The caption line with the goal's state first ('✓ Goal met · Epoch 120 · …'): first, so
    that a narrow window's ellipsis never cuts it off; and the state for ``data-goal`` (""
    without a challenge)."""
    state = goal_state(run)
    return (f"{goal_words(state)} · {line}" if state else line), state or ""


def goal_line(settings: PlaygroundSettings) -> None:
    """The challenge's goal in a few words, its statement and hint in the tooltip."""
    challenge = challenge_of(settings)
    if challenge is None:
        return
    done = " ✓" if challenge.slug in progress() else ""
    st.caption(
        f":material/flag: **{challenge.title}**{done} · Goal: {challenge.goal}",
        help=f"{challenge.statement}\n\nHint: {challenge.hint}\n\nLocked: "
        + ", ".join(map(control_name, challenge.lock)),
        width="content",
    )
