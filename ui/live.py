"""The live view: trains a chunk of epochs and redraws, many times per second.

``live_view`` is an ``st.fragment`` that re-runs every ``FRAME_INTERVAL`` seconds while
playing (controls live outside it, so widgets stay responsive).  Each frame trains
``speed`` epochs, evaluates every neuron over the plane in one kernel call, and sends
only compact arrays to the mounted Plotly graph (``ui.live_plotly``).
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

import engine

from . import state
from .figures import FrameData, ViewSpec, frame_updates, playground_figure
from .live_plotly import live_plotly
from .run import GRID_RESOLUTION, NEURON_MAP_RESOLUTION, TrainingRun, metrics, train_chunk

FRAME_INTERVAL = 0.05  # seconds between frames while playing (the browser paints ~15–20/s)
FIGURE_HEIGHT = 560


def view_spec(run: TrainingRun, log_loss: bool) -> ViewSpec:
    settings = run.settings
    if run.train.kind == "regression":
        mode = "regression"
    elif settings.output == "softmax" and settings.n_classes > 2:
        mode = "multiclass"
    elif settings.output in ("sigmoid", "softmax"):
        mode = "probability"
    else:
        mode = "binary"
    return ViewSpec(
        layer_sizes=tuple(run.model.layer_sizes),
        feature_labels=tuple(engine.FEATURES[name].label for name in settings.features),
        output_mode=mode,
        n_classes=settings.n_classes,
        show_test=settings.show_test,
        log_loss=log_loss,
    )


def frame_data(run: TrainingRun) -> FrameData:
    """Everything one frame shows, computed from the run (two kernel calls)."""
    model = run.model
    neuron_layers = model.activations(run.neuron_grid_inputs)[:-1]
    size = NEURON_MAP_RESOLUTION
    neuron_maps = [
        layer[:, unit].reshape(size, size)
        for layer in neuron_layers
        for unit in range(layer.shape[1])
    ]
    output = model.forward(run.grid_inputs)
    output_grid = output.T.reshape(-1, GRID_RESOLUTION, GRID_RESOLUTION)
    history = run.trainer.history
    return FrameData(
        output_grid=output_grid,
        neuron_maps=neuron_maps,
        weights=[w.copy() for w in model.weights],
        biases=[b.copy() for b in model.biases],
        epochs=np.arange(1, history.length + 1),
        train_loss=np.asarray(history.column("train_loss")),
        test_loss=np.asarray(history.column("test_loss")),
    )


def _figure_for(run: TrainingRun, spec: ViewSpec) -> dict:
    """The figure structure, built once per (run, view) and kept on the run object."""
    cache_key = (id(run.train), spec)
    cached = getattr(run, "_figure_cache", None)
    if cached is None or cached[0] != cache_key:
        figure = playground_figure(spec, run.train.X, run.train.y, run.test.X, run.test.y)
        run._figure_cache = (cache_key, figure)  # type: ignore[attr-defined]
    return run._figure_cache[1]  # type: ignore[attr-defined]


def metrics_line(run: TrainingRun) -> str:
    """'Epoch 1,234 · train loss 0.123 · test loss 0.145 · test accuracy 97.2%'."""
    values = metrics(run)
    parts = [
        f"Epoch {run.epoch:,}",
        f"train loss {values['train_loss']:.3f}",
        f"test loss {values['test_loss']:.3f}",
    ]
    if run.train.kind == "classification":
        parts += [
            f"train accuracy {values['train_accuracy']:.1%}",
            f"test accuracy {values['test_accuracy']:.1%}",
        ]
    return " · ".join(parts)


def render_frame(run: TrainingRun) -> None:
    """Draw the current state of ``run`` (no training)."""
    log_loss = bool(st.session_state.get("control_log_loss", False))
    spec = view_spec(run, log_loss)
    figure = _figure_for(run, spec)
    updates, images = frame_updates(spec, frame_data(run), run.settings.discretize)
    st.markdown(
        f'<div class="np-metrics" data-testid="np-metrics" data-epoch="{run.epoch}">'
        f"{metrics_line(run)}</div>",
        unsafe_allow_html=True,
    )
    live_plotly(
        figure,
        spec.version(id(run.train)),
        updates,
        key="playground_view",
        height=FIGURE_HEIGHT,
        images=images,
    )


def live_view(playing: bool) -> None:
    """The fragment: while playing, train ``speed`` epochs per frame, then draw."""

    @st.fragment(run_every=FRAME_INTERVAL if playing else None)
    def frame() -> None:
        run = state.run()
        playback = state.playback()
        if playback.playing:
            started = time.perf_counter()
            train_chunk(run, run.settings.speed)
            run.last_train_seconds = time.perf_counter() - started  # type: ignore[attr-defined]
            state.set_run(run)
            if run.stop_reason:
                playback.playing = False
                st.rerun(scope="app")  # stops the timer and shows why, outside the fragment
        render_frame(run)

    frame()
