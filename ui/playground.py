"""The Playground page: TensorFlow Playground's controls and views, live, and more."""

from __future__ import annotations

import streamlit as st

from . import controls, state
from .live import live_view
from .live_plotly import preload_plotly

MORE_SETTINGS = "expander_more_settings"  # session-state keys of the expanders' open state
WEIGHT_EDITOR = "expander_weight_editor"


@st.cache_resource(show_spinner="Compiling the training engine (first start only)…")
def warm_engine() -> bool:
    """Compile or load the Numba kernels once per process, not once per session."""
    import engine

    engine.warm_up()
    return True


def show_notices(run) -> None:
    """Plain sentences about bad links, bad edits, divergence or a reached stop condition."""
    notices = state.notices()
    for notice in notices:
        st.warning(notice, icon="⚠️")
    notices.clear()
    if run.stop_reason:
        if run.trainer.divergence is not None:
            st.error(run.stop_reason, icon="🛑")
        else:
            st.info(run.stop_reason)


def playground_page() -> None:
    """The whole page: title, controls, live view."""
    preload_plotly()  # fetch and compile Plotly.js while the controls are being built
    st.title("NeuroPlay", anchor=False)
    st.caption("Train a small neural network in your browser and watch it learn.")
    render()


def render() -> None:
    warm_engine()
    settings = state.settings()
    controls.ensure_widgets(settings)
    run = state.run()
    controls.playback_bar(settings)
    show_notices(run)
    data_column, view_column = st.columns([1, 4.2], gap="medium")
    with data_column:
        controls.data_panel(settings)
    with view_column:
        controls.network_panel(settings)
        live_view(state.playback().playing)
        st.toggle("Log-scale loss axis", key="control_log_loss")
    # The expanders' ~20 widgets are built only while open (opening one is a rerun): a new
    # visitor's page is ready ~0.2 s sooner without them (docs/benchmarks.md, session 4).
    # The settings object, not the widgets, holds their values, so nothing is lost meanwhile.
    more = st.expander(
        "More settings: output, loss, initialisation, optimiser, dropout, stopping",
        key=MORE_SETTINGS,
        on_change="rerun",
    )
    with more:
        if more.open:
            controls.advanced_panel(settings)
    editor = st.expander("Edit a weight or bias", key=WEIGHT_EDITOR, on_change="rerun")
    with editor:
        if editor.open:
            controls.weight_editor(settings)
