"""Streamlit internals the app relies on: each test names the assumption in plain words,
so an upgrade that moves one fails here rather than silently on the page."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path


def app_config() -> dict:
    """The app's .streamlit/config.toml, parsed."""
    path = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


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


def test_a_fragment_run_can_send_its_own_timer_a_new_interval():
    # ui/live.py _set_frame_interval builds the message st.fragment(run_every=...) sends and
    # queues it from inside the running fragment (tests/browser/test_streamlit_internals_browser.py
    # checks that the browser then restarts the fragment's timer).
    import inspect

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime import fragment
    from streamlit.runtime.scriptrunner_utils.script_run_context import (
        FragmentThreadState,
        ScriptRunContext,
        ThreadState,
        get_script_run_ctx,
    )

    message = ForwardMsg()
    message.auto_rerun.interval = 0.25
    message.auto_rerun.fragment_id = "f"
    assert message.WhichOneof("type") == "auto_rerun", (
        "Streamlit's ForwardMsg no longer has auto_rerun {interval, fragment_id}: "
        "ui/live.py _set_frame_interval cannot change a playing fragment's interval."
    )
    assert "msg.auto_rerun.interval" in inspect.getsource(fragment), (
        "st.fragment(run_every=...) no longer starts its timer with an auto_rerun message: "
        "ui/live.py _set_frame_interval sends one that may now mean nothing."
    )
    fields = {field.name for field in dataclasses.fields(FragmentThreadState)}
    assert callable(ThreadState.get) and "fragment_id" in fields, (
        "Streamlit's ThreadState no longer says which fragment is running (fragment_id)."
    )
    assert callable(ScriptRunContext.enqueue) and callable(get_script_run_ctx), (
        "Streamlit's script run context can no longer queue a message for the browser."
    )


def test_the_main_scripts_static_folder_and_the_component_file_route():
    # ui/live_plotly _plotly_sources: the app's Plotly.js copy is served from the main script's
    # static/ folder (app/static/<file>), and Plotly's own file through a components v1 file
    # route (tests/browser/test_streamlit_internals_browser.py fetches it).
    from streamlit.components.v1 import declare_component
    from streamlit.file_util import get_app_static_dir
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    assert Path(get_app_static_dir("/x/app.py")) == Path("/x/static"), (
        "streamlit.file_util.get_app_static_dir no longer gives the main script's static/ "
        "folder: ui/live_plotly _plotly_sources would look for Plotly.js in the wrong place."
    )
    assert "main_script_path" in {f.name for f in dataclasses.fields(ScriptRunContext)}, (
        "Streamlit's ScriptRunContext no longer carries main_script_path."
    )
    assets = declare_component("pin_assets", path=Path(__file__).parent)
    assert isinstance(assets.name, str) and assets.name, (
        "streamlit.components.v1.declare_component no longer returns a component with a name "
        "(its files are served at component/<name>/<file>)."
    )


def test_the_post_script_garbage_collection_can_still_be_turned_off():
    # .streamlit/config.toml turns off Streamlit's gc.collect(2) after every script run, a
    # hidden (undocumented) option: measured in docs/benchmarks.md ("Private internals").
    import streamlit as st

    assert app_config()["runner"]["postScriptGC"] is False
    try:
        st.get_option("runner.postScriptGC")
    except RuntimeError:
        raise AssertionError(
            "Streamlit no longer has the runner.postScriptGC option: .streamlit/config.toml "
            "cannot turn off its garbage collection after every (fragment) run."
        ) from None


def test_the_app_runs_without_a_file_watcher():
    """.streamlit/config.toml's ``server.fileWatcherType = "none"``: with the venv inside the
    checkout, watching the imported modules' folders cost the server 60-64 ms a frame and half
    the painted frames/s (docs/benchmarks.md, "Playground in the browser")."""
    import streamlit as st

    assert app_config()["server"]["fileWatcherType"] == "none"
    st.get_option("server.fileWatcherType")  # a RuntimeError if Streamlit dropped the option
