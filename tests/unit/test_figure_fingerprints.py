"""The live figure and its frames stay exactly what they were for a set of views.

``tests/unit/fixtures/playground_figures.json`` holds, per view, a sha256 of every part of
the figure (each trace, each layout key, runs of images, shapes and annotations) and of the
frame patches, hover zoom and edit options built for a fixed frame, written from the code
before the figure builders were split. ``python -m tests.unit.test_figure_fingerprints
--write`` rewrites it: only do that for a change that is meant to alter the figure. A part
that differs is named in the failure, so a change shows where it is.

The views cover no hidden layer and the largest network (8 × 16), every output mode, 2 to 5
classes, test points on and off, the log-scale loss axis, presentation scale, both themes and
both palettes; the data are fixed random points (no settings or training run involved).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.figures import (
    FrameData,
    ViewSpec,
    editable_option,
    frame_updates,
    hover_zoom_option,
    playground_figure,
)
from playground.palette import FigureColors

FIXTURE = Path(__file__).parent / "fixtures" / "playground_figures.json"
CHUNK = 40  # layout images, shapes and annotations are hashed in runs of this many
FEATURES = ("X₁", "X₂", "X₁²", "X₂²", "X₁X₂", "sin(X₁)", "sin(X₂)")

# name: (layer sizes, output mode, classes, show test, log loss, scale, palette, theme)
VIEWS = {
    "default": ((2, 4, 2, 1), "binary", 2, False, False, 1.0, "playground", "light"),
    "no_hidden": ((2, 1), "binary", 2, False, False, 1.0, "playground", "light"),
    "largest": ((7, *([16] * 8), 1), "binary", 2, True, False, 1.0, "playground", "light"),
    "probability": ((3, 5, 2), "probability", 2, False, False, 1.0, "playground", "light"),
    "sigmoid": ((2, 3, 1), "probability", 2, True, True, 1.0, "playground", "dark"),
    "spiral_3": ((2, 8, 8, 3), "multiclass", 3, True, False, 1.0, "playground", "light"),
    "classes_5": ((4, 6, 5), "multiclass", 5, False, True, 1.0, "colorblind", "dark"),
    "regression": ((2, 4, 1), "regression", 2, False, False, 1.0, "playground", "light"),
    "regression_present": ((2, 5, 5, 1), "regression", 2, True, True, 1.5, "colorblind", "light"),
    "show_test": ((2, 4, 2, 1), "binary", 2, True, False, 1.0, "playground", "light"),
    "log_loss": ((2, 4, 2, 1), "binary", 2, False, True, 1.0, "playground", "light"),
    "present": ((2, 4, 2, 1), "binary", 2, True, False, 1.5, "playground", "light"),
    "dark": ((2, 4, 2, 1), "binary", 2, False, False, 1.0, "playground", "dark"),
    "present_dark_4": ((5, 8, 4), "multiclass", 4, True, True, 1.5, "colorblind", "dark"),
}


def view(name: str) -> ViewSpec:
    sizes, mode, classes, show_test, log_loss, scale, palette, theme = VIEWS[name]
    return ViewSpec(
        layer_sizes=sizes,
        feature_labels=FEATURES[: sizes[0]],
        output_mode=mode,
        n_classes=classes,
        show_test=show_test,
        log_loss=log_loss,
        scale=scale,
        colors=FigureColors(palette, theme),
    )


def points(spec: ViewSpec, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-6, 6, (n, spec.layer_sizes[0]))
    if spec.output_mode == "regression":
        return X, rng.uniform(-1, 1, n)
    if spec.output_mode == "binary":
        return X, rng.choice([-1.0, 1.0], n)
    return X, rng.integers(0, spec.n_classes, n).astype(np.float64)


def frame(spec: ViewSpec, seed: int) -> FrameData:
    """A fixed frame: random pictures, weights and a loss history (some of it not finite)."""
    rng = np.random.default_rng(seed)
    sizes = spec.layer_sizes
    outputs = rng.uniform(0, 1, (sizes[-1], 100, 100))
    if spec.output_mode == "multiclass":
        outputs /= outputs.sum(axis=0, keepdims=True)
    elif spec.output_mode in ("binary", "regression"):
        outputs = 2 * outputs - 1
    n_epochs = 30 if sizes[0] % 2 else 900  # long histories are thinned
    train_loss = rng.uniform(0.01, 2.0, n_epochs)
    test_loss = rng.uniform(0.01, 2.0, n_epochs)
    train_loss[n_epochs // 3] = np.nan
    test_loss[n_epochs // 2] = np.inf
    return FrameData(
        output_grid=outputs,
        neuron_maps=[rng.uniform(-1.5, 1.5, (20, 20)) for _ in range(sum(sizes[:-1]))],
        weights=[rng.normal(0, 1.5, (a, b)) for a, b in zip(sizes[:-1], sizes[1:])],
        biases=[rng.normal(0, 0.5, b) for b in sizes[1:]],
        epochs=np.arange(1, n_epochs + 1),
        train_loss=train_loss,
        test_loss=test_loss,
    )


def canonical(value) -> object:
    """JSON-able: arrays keep their dtype and shape; floats stay exact (json writes repr)."""
    if isinstance(value, np.ndarray):
        return {"dtype": value.dtype.name, "shape": list(value.shape), "data": value.tolist()}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    return value


def digest(value) -> str:
    text = json.dumps(canonical(value), sort_keys=True, ensure_ascii=False, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(name: str) -> dict[str, str]:
    """sha256 of every part of the view's figure and of one frame's patches and options."""
    spec = view(name)
    train_X, train_y = points(spec, 200, seed=1)
    test_X, test_y = points(spec, 100, seed=2)
    live = playground_figure(spec, train_X, train_y, test_X, test_y)
    figure = live.plotly
    parts = {f"data[{index}]": trace for index, trace in enumerate(figure["data"])}
    for key, value in figure["layout"].items():
        if key in ("images", "shapes", "annotations"):
            parts[f"layout.{key} count"] = len(value)
            for start in range(0, len(value), CHUNK):
                parts[f"layout.{key}[{start}:{start + CHUNK}]"] = value[start : start + CHUNK]
        else:
            parts[f"layout.{key}"] = value
    parts["figure keys"] = sorted(figure)
    shown = frame(spec, seed=3)
    for hover in (False, True):
        updates, images = frame_updates(live, shown, discretize=False, hover=hover)
        parts[f"frame_updates(hover={hover}).traces"] = updates["traces"]
        parts[f"frame_updates(hover={hover}).layout"] = updates["layout"]
        parts[f"frame_updates(hover={hover}).images"] = images
    parts["frame_updates(discretize=True)"] = frame_updates(live, shown, discretize=True)
    parts["hover_zoom_option"] = hover_zoom_option(live)
    parts["editable_option"] = editable_option(live, shown.weights, shown.biases)
    return {part: digest(value) for part, value in parts.items()}


def write_fixture() -> None:
    FIXTURE.parent.mkdir(exist_ok=True)
    fixture = {name: fingerprint(name) for name in VIEWS}
    FIXTURE.write_text(json.dumps(fixture, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_figure_and_frames_are_unchanged(name):
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))[name]
    actual = fingerprint(name)
    missing = sorted(set(expected) - set(actual))
    added = sorted(set(actual) - set(expected))
    changed = sorted(part for part in set(expected) & set(actual) if expected[part] != actual[part])
    assert not (missing or added or changed), (
        f"view {name!r}: parts changed {changed}, gone {missing}, new {added}"
    )


def test_the_fingerprint_sees_a_one_pixel_change():
    """A test that cannot fail proves nothing: move one neuron picture by a hair."""
    spec = view("default")
    X, y = points(spec, 20, seed=1)
    figure = playground_figure(spec, X, y, X, y).plotly
    before = digest(figure["layout"]["images"][0])
    figure["layout"]["images"][0]["x"] += 1e-12
    assert digest(figure["layout"]["images"][0]) != before


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_fixture()
        print(f"wrote {FIXTURE}")
