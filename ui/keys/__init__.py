"""Keyboard shortcuts: a key clicks a button of the page, found by its Streamlit key.

A components-v2 element that draws nothing and puts one key listener on the page
(``keys.js``); the keyboard cannot do anything a click would not. The page passes its table
of shortcuts (the Playground's is ``ui.controls.SHORTCUTS``: Space play/pause, → step, R replay),
and the same table makes the help text (``shortcuts_help``).
"""

from __future__ import annotations

import functools
import pathlib

import streamlit as st

__all__ = ["Shortcut", "keyboard_shortcuts", "shortcuts_help"]

# (key as the browser names it, what people call it, Streamlit key of the button, what it does)
Shortcut = tuple[str, str, str, str]


@functools.lru_cache(maxsize=1)
def _component():
    js = (pathlib.Path(__file__).parent / "keys.js").read_text(encoding="utf-8")
    # isolate_styles=False: mounted in the page itself (no shadow root), so the element can
    # find and hide its container.
    return st.components.v2.component("neuroplay_keys", js=js, isolate_styles=False)


def keyboard_shortcuts(shortcuts: tuple[Shortcut, ...]) -> None:
    """Turn ``shortcuts`` on for this page (call once per run of the page)."""
    _component()(key="np_keys", data={"keys": {key: button for key, _, button, _ in shortcuts}})


def shortcuts_help(shortcuts: tuple[Shortcut, ...]) -> str:
    """The shortcuts as Markdown lines, for a help tooltip."""
    lines = [f"**{name}**: {action}" for _, name, _, action in shortcuts]
    lines.append("Keys do nothing while you type in a box or move a slider.")
    return "  \n".join(lines)
