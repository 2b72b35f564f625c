"""Layout images of the live figure: each one can be seen.

Plotly.js keys layout images by their position (xref, x, sizex, yref, y, sizey): two pictures
in exactly the same place share one page element and only the first is ever drawn. "Show test
data" once added a second points picture at the training points' place and nothing changed on
screen; the browser test in tests/browser/test_playground_repairs_browser.py checks the pixels.
"""

from __future__ import annotations

import base64
import io
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from playground.figures import data_points_image, playground_figure
from playground.frames import view_spec
from playground.run import build_run
from playground.settings import PlaygroundSettings


def position(image: dict) -> tuple:
    return tuple(image[name] for name in ("xref", "x", "sizex", "yref", "y", "sizey", "layer"))


@pytest.mark.parametrize("show_test", [False, True])
def test_no_two_layout_images_share_a_place(show_test):
    run = build_run(PlaygroundSettings(show_test=show_test))
    spec = view_spec(run, log_loss=False)
    figure = playground_figure(spec, run.train.X, run.train.y, run.test.X, run.test.y)
    images = figure.plotly["layout"]["images"]
    places = [position(image) for image in images]
    assert len(set(places)) == len(places)
    assert len(images) == figure.index.output_image + 1


def decoded(image: dict) -> np.ndarray:
    data = base64.b64decode(image["source"].split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))


def test_test_points_are_drawn_in_the_same_picture_with_a_black_outline():
    run = build_run(PlaygroundSettings(show_test=True))
    spec = view_spec(run, log_loss=False)
    without = replace(spec, show_test=False)
    train_only = decoded(
        data_points_image(without, run.train.X, run.train.y, run.test.X, run.test.y)
    )
    both = decoded(data_points_image(spec, run.train.X, run.train.y, run.test.X, run.test.y))
    black = (both[..., :3].max(axis=2) < 40) & (both[..., 3] > 200)
    assert np.count_nonzero(black) > 1000  # 250 test points, each with a dark ring
    assert not np.any((train_only[..., :3].max(axis=2) < 40) & (train_only[..., 3] > 200))
    # Every training point is still there: what is opaque without test points stays opaque.
    assert np.all(both[..., 3][train_only[..., 3] == 255] > 0)
