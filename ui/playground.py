"""The Playground page: TensorFlow Playground's controls and views, live, and more."""

from __future__ import annotations

import streamlit as st

from . import controls, state
from .live import live_view
from .live_plotly import preload_plotly


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
    with st.expander("More settings: output, loss, initialisation, optimiser, dropout, speed"):
        controls.advanced_panel(settings)
    with st.expander("Edit a weight or bias"):
        controls.weight_editor(settings)
