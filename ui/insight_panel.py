"""The Insight views under the live view: gradient flow, distributions, hidden space, scores.

An expander (closed by default) holds a segmented control that chooses one of the four views
(``VIEWS``); only the chosen view of an open expander is built (opening, closing and choosing
rerun the page, so ``.open`` and the control's value say which). While playing, the view
redraws in its own fragment every few seconds (``LIVE_INTERVALS``, said under the chooser),
not with every frame. Its charts are drawn by the live view's component (``chart``): one
Plotly.js graph per chart stays mounted and is redrawn in place, where ``st.plotly_chart``
remounted the chart with every redraw. bench/ui.py (letter i) measures the live view's painted
frames/s with each view open against the expander closed.

Why a segmented control, not ``st.tabs``: every live-view fragment run re-renders every element
on the page in the browser (Streamlit's blocks and elements read the script run's state, which
changes as each run starts and ends), so whatever the open panel holds is rendered again 2-4
times a second between its redraws. ``st.tabs`` (react-aria: a collection rebuilt, a walk for
a tabbable element) made that +200-250 ms/s of React work with a view open (CPU profile, load
13-15); the segmented control +50-65 ms/s (load 9-14). docs/benchmarks.md, "Insight views'
cost", has the measurements.

``insight_panel(run, model=None, moment=None)``: ``model`` defaults to the run's own; the
timeline passes a model holding an earlier snapshot's parameters and its epoch as ``moment``
(marked on the per-epoch charts).
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import streamlit as st

import engine
from playground import insight
from playground.figures import PRESENTATION_SCALE
from playground.frames import output_mode
from playground.palette import figure_colors
from playground.run import TrainingRun

from . import state
from .live_plotly import live_plotly

EXPANDER_KEY = "expander_insight"
VIEW_KEY = "insight_view"
HIDDEN_LAYER_KEY = "insight_hidden_layer"
VIEWS = ("Gradient flow", "Distributions", "Hidden space", "Scores")
# Seconds between redraws of the chosen view while playing (said under the chooser). A redraw
# holds the session's script thread (~30 ms for Gradient flow at epoch 2,000) and has Plotly
# redraw the view's charts in place (Plotly.react at load 3: Gradient flow 33 ms, Distributions'
# three charts 120 ms; several times that on a loaded machine), time the live view does not
# paint. With the tabs gone (see above) these redraws are most of what an open view still costs
# (CPU profile at load 9-14, Gradient flow: Plotly +110 ms/s, React +50-65 ms/s). bench/ui.py i
# open/closed painted frames/s: docs/benchmarks.md, "Insight views' cost" (with st.tabs, load
# 2-12: Gradient flow 0.60-0.97, Distributions 0.62-0.84, Hidden space 0.78-0.99, Scores
# 0.76-1.11; with the segmented control, three runs at load 0.2-1.9: 0.83-0.96, 0.87-0.92,
# 0.88-1.00, 0.74-1.03, closed windows of one run varying up to ±20 %).
LIVE_INTERVALS = {"Gradient flow": 5.0, "Distributions": 10.0, "Hidden space": 5.0, "Scores": 5.0}
_PERCENTILES = "_insight_percentiles"  # (recorder id, SnapshotPercentiles) of this session
CHART_CONFIG = {"displaylogo": False}
# Trace types drawn in place by the live view's component (``live_plotly``: one Plotly.js graph
# kept mounted, redrawn with ``Plotly.react``), all in the cartesian bundle it loads
# (static/plotly-cartesian.min.js). Anything else (Hidden space's 3-D scatter) goes to
# ``st.plotly_chart``, which remounts its chart on every redraw and loads a second Plotly.js.
IN_PLACE_TRACES = frozenset({"scatter", "bar", "box", "heatmap"})
CHART_KEY = "insight_chart_{view}_{index}"  # the live_plotly key of a view's index-th chart


def insight_panel(
    run: TrainingRun, model: engine.Model | None = None, moment: int | None = None
) -> None:
    """The expander with the four views' chooser; builds only the chosen view, live while
    playing."""
    expander = st.expander(
        "Insight: gradient flow, distributions, hidden space, scores",
        key=EXPANDER_KEY,
        on_change="rerun",
        icon=":material/insights:",
    )
    with expander:
        if not expander.open:
            return
        st.session_state.setdefault(VIEW_KEY, VIEWS[0])  # (a default would warn in tests)
        name = st.segmented_control(
            "Insight view", VIEWS, required=True, key=VIEW_KEY, label_visibility="collapsed"
        )
        _open_view(name or VIEWS[0], model, moment)


def _open_view(name: str, model: engine.Model | None, moment: int | None) -> None:
    """One view's figures, in a fragment that reruns every LIVE_INTERVALS[name] s while playing (a
    given ``model``, an earlier moment, is drawn once: it does not change)."""
    live = model is None and state.playback().playing
    if live:
        st.caption(
            f"Live while playing: redrawn every {LIVE_INTERVALS[name]:g} s (more often would "
            "slow the network view down). Pause to see the epoch the view shows."
        )

    @st.fragment(run_every=LIVE_INTERVALS[name] if live else None)
    def views() -> None:
        run = state.run()  # the newest run object: the page swaps it whole
        shown = model if model is not None else run.model
        settings = run.settings
        colors = figure_colors(settings.palette, state.theme_type())
        scale = PRESENTATION_SCALE if settings.present else 1.0
        style = {"colors": colors, "scale": scale}
        for index, figure in enumerate(BUILDERS[name](run, shown, moment, style)):
            key = CHART_KEY.format(view=name.lower().replace(" ", "_"), index=index)
            chart(figure, key, f"{name} chart {index + 1}")

    views()


def chart(figure: dict, key: str, label: str) -> None:
    """One figure, redrawn in place when it changed (see ``IN_PLACE_TRACES``); ``label`` is its
    accessible name."""
    if not {trace.get("type", "scatter") for trace in figure["data"]} <= IN_PLACE_TRACES:
        st.plotly_chart(figure, config=CHART_CONFIG, theme=None)
        return
    # The user's zoom survives the redraws (the figure's version changes with each of them).
    figure = {**figure, "layout": {"uirevision": key, **figure["layout"]}}
    live_plotly(
        figure,
        figure_version(figure),
        {},
        key=key,
        height=figure["layout"]["height"],
        label=label,
    )


def figure_version(figure: dict) -> str:
    """A digest of the figure: the browser redraws only a figure it has not drawn."""
    text = json.dumps(figure, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def gradient_flow(run: TrainingRun, model, moment, style) -> list[dict]:
    history = run.trainer.history
    return [
        insight.gradient_flow_figure(
            history.epochs,
            history.grad_norms,
            history.delta_norms,
            history.column("clipped_fraction"),
            moment=moment,
            **style,
        )
    ]


def snapshot_percentiles(run: TrainingRun) -> tuple:
    """The parameter percentiles of the run's snapshots, each computed once in this session
    (kept per recorder: a new run starts a new cache)."""
    kept = st.session_state.get(_PERCENTILES)
    if kept is None or kept[0] != id(run.snapshots):
        kept = (id(run.snapshots), insight.SnapshotPercentiles())
        st.session_state[_PERCENTILES] = kept
    return kept[1].arrays(run.model.architecture, run.snapshots)


def distributions(run: TrainingRun, model, moment, style) -> list[dict]:
    epochs, weights, biases = snapshot_percentiles(run)
    if not len(epochs):  # nothing recorded before the first step: the weights shown now
        now = insight.parameter_percentiles(list(model.weights), list(model.biases))
        epochs, weights, biases = np.array([run.epoch]), now[0][:, None], now[1][:, None]
    figures = [
        insight.parameter_bands_figure(epochs, weights, biases, moment=moment, **style),
        insight.histogram_figure(model, **style),
    ]
    if len(run.train_inputs):  # an empty drawing has no activations to show
        figures.append(insight.activations_figure(model, run.train_inputs, **style))
    return figures


def hidden_space(run: TrainingRun, model, moment, style) -> list[dict]:
    hidden = len(model.layer_sizes) - 2
    if hidden < 1:
        st.info("This network has no hidden layer: add one to see how it bends the plane.")
        return []
    if not len(run.train.X):
        st.info("Add points to see where the hidden layer puts them.")
        return []
    layer = st.selectbox(
        "Hidden layer",
        range(hidden),
        format_func=lambda k: f"hidden layer {k + 1} ({model.layer_sizes[k + 1]} units)",
        key=HIDDEN_LAYER_KEY,
        width=320,
    )
    layer = min(layer or 0, hidden - 1)  # the network may have lost layers since
    return [
        insight.hidden_space_figure(
            model,
            layer,
            list(run.settings.features),
            run.train.X,
            run.train.y,
            run.train.kind,
            **style,
        )
    ]


def scores(run: TrainingRun, model, moment, style) -> list[dict]:
    if not len(run.train.y):
        st.info("Add points to see the scores.")
        return []
    return [
        insight.scores_figure(
            model,
            run.train_inputs,
            run.train.y,
            run.test_inputs,
            run.test.y,
            output_mode(run),
            run.train.n_classes,
            **style,
        )
    ]


BUILDERS = {
    "Gradient flow": gradient_flow,
    "Distributions": distributions,
    "Hidden space": hidden_space,
    "Scores": scores,
}
