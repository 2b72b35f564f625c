"""Streamlit internals the app relies on: each test names the assumption in plain words,
so an upgrade that moves one fails here rather than silently on the page."""

from __future__ import annotations

import dataclasses


def test_a_script_run_says_whether_it_follows_back_or_forward():
    # ui.state.is_history_navigation reads ScriptRunContext.is_history_navigation: without
    # it, Back/Forward would leave the page's settings and the address bar disagreeing.
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    names = {field.name for field in dataclasses.fields(ScriptRunContext)}
    assert "is_history_navigation" in names, (
        "Streamlit's ScriptRunContext no longer has is_history_navigation: "
        "ui/state.py follow_address_bar needs another way to tell a Back/Forward rerun."
    )
    assert "is_history_navigation" in {field.name for field in dataclasses.fields(RerunData)}, (
        "Streamlit's RerunData no longer carries is_history_navigation from the browser."
    )
