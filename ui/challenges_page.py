"""The Challenges page: every task of ``playground.challenges`` with its statement, a hint and
a button that opens it in the Playground in this browser session (its setup, locks and goal),
so the ticks it earns there show here; and each task's link, to hand out.

Opening a challenge is an in-app page switch, not a new tab: a new tab is a new session, and
progress lives in the session only (``ui.challenge_bar.progress``).
"""

from __future__ import annotations

import streamlit as st

from playground.challenges import CHALLENGES, Challenge

from . import challenge_bar, controls, state
from .assignment_panel import control_name, link
from .navigation import PLAYGROUND_TITLE
from .playground_page import playground_page

KINDS = {"classification": "Classification", "regression": "Regression"}


def open_key(slug: str) -> str:
    return f"open_challenge_{slug}"


def open_in_playground(challenge: Challenge) -> None:
    """This session's Playground becomes the challenge (paused, fresh weights), then the
    Playground page is shown with the challenge's link as its address."""
    settings = challenge.settings()
    state.playback().playing = False
    state.set_settings(settings)
    controls.sync_widgets(settings)
    # The same page st.navigation registers in app.py (a callable page is known by its URL
    # path, which Streamlit derives from the function's name).
    page = st.Page(playground_page, title=PLAYGROUND_TITLE, default=True)
    st.switch_page(page, query_params=settings.to_query_params())


def challenge_card(challenge: Challenge, done: bool) -> None:
    with st.container(border=True, key=f"challenge_{challenge.slug}"):
        mark = " ✓ done" if done else ""
        st.markdown(f"**{challenge.title}**{mark}")
        st.write(challenge.statement)
        st.caption("Locked: " + ", ".join(map(control_name, challenge.lock)))
        if st.button(
            "Open in the Playground",
            key=open_key(challenge.slug),
            icon=":material/play_arrow:",
            type="secondary" if done else "primary",
        ):
            open_in_playground(challenge)
        with st.expander("Hint and link"):
            st.write(challenge.hint)
            st.code(link(challenge.settings(), st.context.url), language=None, wrap_lines=True)


def render() -> None:
    st.title("Challenges")
    done = challenge_bar.progress()
    st.write(
        "Each task opens the Playground with its setup; some controls are locked (visible, but "
        "they cannot be changed). The goal shows above the network, and the line above the "
        "output map says **✓ Goal met** as soon as the run meets it, checked on the server from "
        "the run's own numbers."
    )
    st.caption(
        f"{len(done & set(CHALLENGES))} of {len(CHALLENGES)} goals met in this browser session. "
        "Nothing is stored about you: a new tab or a reload starts afresh."
    )
    for kind, heading in KINDS.items():
        st.subheader(heading)
        columns = st.columns(2)
        tasks = [c for c in CHALLENGES.values() if c.kind == kind]
        for index, challenge in enumerate(tasks):
            with columns[index % 2]:
                challenge_card(challenge, challenge.slug in done)
