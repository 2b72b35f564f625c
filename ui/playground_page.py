"""The Playground page: TensorFlow Playground's controls and views, live, and more.

Laid out for one screen (ui/playground.css): the play bar on top; under it the data on the
left and, on the right, the layer row and the live view, which fills the window's height.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from playground.figures import PRESENTATION_SCALE

from . import challenge_bar, controls, state, timeline
from .assignment_panel import assignment_panel
from .insight_panel import insight_panel
from .keys import keyboard_shortcuts, shortcuts_help
from .live import live_view
from .live_plotly import preload_plotly
from .run_file_panel import run_file_panel

MORE_SETTINGS = "expander_more_settings"  # session-state keys of the expanders' open state
WEIGHT_EDITOR = "expander_weight_editor"
PAGE_CSS = (Path(__file__).parent / "playground.css").read_text(encoding="utf-8")
# Width shares of the data column and the live view's column.
DATA_AND_VIEW = (1, 4.6)
# Where a diverged run's message points (the lesson on exploding gradients and clipping).
DIVERGENCE_LESSON = "See the lesson [Exploding gradients](/Lessons?lesson=clipping)."


@st.cache_resource(show_spinner="Compiling the training engine (first start only)…")
def warm_engine() -> bool:
    """Compile or load the Numba kernels once per process, not once per session."""
    import engine

    engine.warm_up()
    return True


def show_notices(run) -> None:
    """Sentences about bad links, bad edits, divergence or a reached stop condition (Markdown
    in which every value a user sent is quoted by ``playground.quote``: see ``state.notices``)."""
    notices = state.notices()
    for notice in notices:
        st.warning(notice, icon="⚠️")
    notices.clear()
    if run.stop_reason:
        if run.trainer.divergence is not None:
            st.error(f"{run.stop_reason} {DIVERGENCE_LESSON}", icon="🛑")
        else:
            st.info(run.stop_reason)


def page_style(present: bool) -> None:
    """The page's CSS; presentation mode sets the scale the CSS multiplies type by."""
    scale = f":root {{ --np-scale: {PRESENTATION_SCALE}; }}" if present else ""
    # Markdown, not st.html: one element kind fewer for a new visitor's browser to load. The
    # marker lets the CSS hide the element's own container (no gap at the top of the page).
    st.markdown(
        f'<style>{PAGE_CSS}{scale}</style><span class="np-page-style"></span>',
        unsafe_allow_html=True,
    )


def playground_page() -> None:
    """The whole page: play bar, data, network and live view on one screen, then the rest."""
    # The Playground needs the width; the other pages keep the sidebar open.
    st.set_page_config(initial_sidebar_state="collapsed")
    preload_plotly()  # fetch and compile Plotly.js while the controls are being built
    render()


def view_options(settings) -> None:
    """Presentation mode and the keyboard's help, at the end of the layer row."""
    options = st.container(horizontal=True, vertical_alignment="center", width="content")
    controls.setting_widget(
        settings,
        "present",
        options.toggle,
        "Present",
        help="Presentation mode: bigger type and lines for a projector (present=1 in the link).",
    )
    # The keys' help is a tooltip on a caption, not a popover: every new kind of element is one
    # more piece of Streamlit's code a new visitor's browser loads before the page is shown.
    options.caption(
        ":material/keyboard: Keys", help=shortcuts_help(timeline.shortcuts(controls.SHORTCUTS))
    )


def render() -> None:
    warm_engine()
    if state.follow_address_bar():  # Back/Forward: the page shows what the address says
        controls.sync_widgets(state.settings())
    settings = state.settings()
    page_style(settings.present)
    keyboard_shortcuts(timeline.shortcuts(controls.SHORTCUTS))
    controls.ensure_widgets(settings)
    run = state.run()
    # The timeline's slot: the strip above the play bar, the same height whether it holds the
    # row (paused) or not, so that pausing moves nothing on the page.
    with st.container(key="np-timeline-slot"):
        if not timeline.timeline_row(run):  # (an empty container would not be drawn at all)
            st.markdown('<span class="np-timeline-idle"></span>', unsafe_allow_html=True)
    controls.playback_bar(settings)
    show_notices(run)
    data_column, view_column = st.container(key="np-main").columns(DATA_AND_VIEW, gap="medium")
    with data_column:
        controls.data_panel(settings)
    with view_column:
        top = st.container(horizontal=True, vertical_alignment="center", gap="small")
        with top:
            controls.network_panel(settings)
            view_options(settings)
            challenge_bar.goal_line(settings)
        live_view(state.playback().playing)
        controls.setting_widget(settings, "log_loss", st.toggle, "Log-scale loss axis")
    # Gradient flow, distributions, hidden space, scores: at the epoch the timeline shows.
    shown = timeline.shown_moment(state.run())
    insight_panel(run, *((None, None) if shown.live else (shown.model, shown.epoch)))
    # The expanders' ~20 widgets are built only while open (opening one is a rerun): a new
    # visitor's page is ready ~0.2 s sooner without them (docs/benchmarks.md, session 4).
    # The settings object, not the widgets, holds their values, so nothing is lost meanwhile.
    more = st.expander(
        "More settings: output, loss, initialisation, batch normalisation, dropout, clipping, "
        "learning-rate schedule, "
        "stopping",
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
    run_file_panel()  # save, load, export: below the one-screen layout
    assignment_panel()  # a link for students, with controls hidden or locked and a goal
