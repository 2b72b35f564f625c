"""What one frame of the live view shows, computed from a training run: the view's spec (which
figure), the frame's data (pictures, weights, losses) and the caption line. Pure Python (no
Streamlit); ``ui.live`` sends them to the browser."""

from __future__ import annotations

import math

import numpy as np

import engine

from .figures import (
    GRID_RESOLUTION,
    PRESENTATION_SCALE,
    FrameData,
    LiveFigure,
    ViewSpec,
    playground_figure,
)
from .palette import figure_colors
from .run import TrainingRun, metrics, neuron_map_resolution
from .settings import CUSTOM


def output_mode(run: TrainingRun) -> str:
    """How the output map reads the output: "regression", "multiclass" (softmax over 3+
    classes), "probability" (of class 1: sigmoid, or softmax over two) or "binary" (tanh)."""
    settings = run.settings
    if run.train.kind == "regression":
        return "regression"
    if settings.output == "softmax" and settings.n_classes > 2:
        return "multiclass"
    return "probability" if settings.output in ("sigmoid", "softmax") else "binary"


def view_spec(run: TrainingRun, log_loss: bool, theme: str | None = None) -> ViewSpec:
    settings = run.settings
    return ViewSpec(
        layer_sizes=tuple(run.model.layer_sizes),
        feature_labels=tuple(engine.FEATURES[name].label for name in settings.features),
        output_mode=output_mode(run),
        n_classes=settings.n_classes,
        # Your own points all show (test points with their dark outline): a drawn point that
        # joined the test set must appear where it was clicked.
        show_test=settings.show_test or settings.dataset == CUSTOM,
        log_loss=log_loss,
        scale=PRESENTATION_SCALE if settings.present else 1.0,
        colors=figure_colors(settings.palette, theme),
        batchnorm=run.model.architecture.batchnorm,
    )


def frame_data(run: TrainingRun, present: TrainingRun | None = None) -> FrameData:
    """Everything one frame shows, computed from the run (two kernel calls).

    ``present``: the run an earlier moment ``run`` was taken from (``history.moment``): the
    loss chart shows its whole history, with a marker at ``run``'s epoch, so the user sees
    where in training the moment is.
    """
    model = run.model
    neuron_layers = model.activations(run.neuron_grid_inputs)[:-1]
    size = neuron_map_resolution(run.settings.hidden)
    neuron_maps = [
        layer[:, unit].reshape(size, size)
        for layer in neuron_layers
        for unit in range(layer.shape[1])
    ]
    output = model.forward(run.grid_inputs)
    output_grid = output.T.reshape(-1, GRID_RESOLUTION, GRID_RESOLUTION)
    history = (present or run).trainer.history
    return FrameData(
        output_grid=output_grid,
        neuron_maps=neuron_maps,
        weights=[w.copy() for w in model.weights],
        biases=[b.copy() for b in model.biases],
        epochs=np.asarray(history.epochs),  # long runs keep thinned rows: not 1…length
        train_loss=np.asarray(history.column("train_loss")),
        test_loss=np.asarray(history.column("test_loss")),
        marker_epoch=None if present is None else run.epoch,
    )


def current_figure(run: TrainingRun, spec: ViewSpec) -> LiveFigure:
    """The figure structure, built once per (run, view) and kept on the run object."""
    cache_key = (id(run.train), spec)
    if run.figure_cache is None or run.figure_cache[0] != cache_key:
        figure = playground_figure(spec, run.train.X, run.train.y, run.test.X, run.test.y)
        run.figure_cache = (cache_key, figure)
    return run.figure_cache[1]


def _loss_text(value: float) -> str:
    """0.123; a diverging loss as 3.95e+59, not sixty digits that push the rest off the line."""
    return f"{value:.3f}" if abs(value) < 1e4 else f"{value:.3g}"


def _percent(value: float) -> str:
    """97.2%; "–" for no points to count (a drawing without test points yet)."""
    return "–" if math.isnan(value) else f"{value:.1%}"


# Hidden activations whose units can die: z ≤ 0 on every training point. A ReLU unit there
# gets no gradient; a leaky one gets 1% of it and, at a large learning rate, often stays.
DYING_ACTIVATIONS = ("relu", "leaky_relu")


def dead_units(run: TrainingRun) -> tuple[int, int]:
    """(units with z ≤ 0 on every training point, units that can die) over the hidden ReLU
    and leaky ReLU layers: the engine's ``dead_fraction`` as a count, for the model now."""
    layers = [
        index
        for index, name in enumerate(run.settings.hidden_activations)
        if name in DYING_ACTIVATIONS
    ]
    if not layers or not len(run.train_inputs):
        return 0, 0
    outputs = run.model.activations(run.train_inputs)[1:-1]
    dead = sum(int(np.sum(outputs[index].max(axis=0) <= 0.0)) for index in layers)
    return dead, sum(run.settings.hidden[index] for index in layers)


def metrics_line(run: TrainingRun, pace: float | None = None) -> str:
    """'Epoch 1,234 · 81 epochs/s · train loss 0.123 · test loss 0.145 · test accuracy 97.2%'
    (``pace``: the measured epochs per second while playing, else left out), and
    '· dead units 3/16' for a network with ReLU or leaky ReLU layers, '· learning rate 0.0152'
    (the next epoch's) when a learning-rate schedule is on."""
    parts = [f"Epoch {run.epoch:,}"]
    if not len(run.train):  # an empty drawing
        return " · ".join([*parts, "no training points yet: click on the output map to add some"])
    values = metrics(run)
    if pace is not None:
        parts.append(f"{pace:,.0f} epochs/s")
    parts += [
        f"train loss {_loss_text(values['train_loss'])}",
        f"test loss {_loss_text(values['test_loss'])}",
    ]
    if run.train.kind == "classification":
        parts += [
            f"train accuracy {_percent(values['train_accuracy'])}",
            f"test accuracy {_percent(values['test_accuracy'])}",
        ]
    dead, dying = dead_units(run)
    if dying:
        parts.append(f"dead units {dead}/{dying}")
    config = run.trainer.config
    if config.schedule != "constant" or config.warmup_epochs:  # the rate of the next epoch
        parts.append(f"learning rate {config.rate_at(run.epoch):.3g}")
    if run.settings.dataset == CUSTOM:  # a drawing's count changes with every click
        parts.append(f"{len(run.train) + len(run.test):,} points ({len(run.test):,} test)")
    return " · ".join(parts)
