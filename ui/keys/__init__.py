"""Keyboard shortcuts of the Playground: Space play/pause, → step, R replay from the start.

A components-v2 element that draws nothing and puts one key listener on the page
(``keys.js``). A key clicks the Playground's own button, found by its Streamlit key, so the
keyboard cannot do anything a click would not. ``SHORTCUTS`` is the one table: the listener,
the help popover and the buttons' tooltips read it.
"""

from __future__ import annotations

import functools
import pathlib

import streamlit as st

__all__ = ["SHORTCUTS", "keyboard_shortcuts", "shortcuts_help"]

# (key as the browser names it, what people call it, Streamlit key of the button, what it does)
SHORTCUTS = (
    (" ", "Space", "play", "Play / Pause"),
    ("ArrowRight", "→", "step", "Train one epoch"),
    ("r", "R", "restart", "Replay from the same initial weights"),
)


@functools.lru_cache(maxsize=1)
def _component():
    js = (pathlib.Path(__file__).parent / "keys.js").read_text(encoding="utf-8")
    # isolate_styles=False: mounted in the page itself (no shadow root), so the element can
    # find and hide its container.
    return st.components.v2.component("neuroplay_keys", js=js, isolate_styles=False)


def keyboard_shortcuts() -> None:
    """Turn the shortcuts on for this page (call once per run of the Playground)."""
    _component()(key="np_keys", data={"keys": {key: button for key, _, button, _ in SHORTCUTS}})


def shortcuts_help() -> str:
    """The shortcuts as a Markdown table, for a help popover."""
    rows = [f"| {name} | {action} |" for _, name, _, action in SHORTCUTS]
    return "\n".join(
        [
            "| Key | Does |",
            "|---|---|",
            *rows,
            "",
            "Keys do nothing while you type in a box or move a slider.",
        ]
    )
