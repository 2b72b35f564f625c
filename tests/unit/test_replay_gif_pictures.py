"""What the replay GIF's frames show besides the maps (issue 15's leftovers): the training
points in their colours, the axes' tick labels, a log loss axis when asked; and that leaving
out what did not change (``encode_gif``) keeps each decoded frame within ``UNCHANGED`` of the
picture drawn for it."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from playground.palette import DEFAULT_COLORS, hex_to_rgb
from playground.replay_gif import (
    LOSS_WIDTH,
    UNCHANGED,
    ReplayFrame,
    ReplayPoints,
    encode_gif,
    frame_layout,
    nice_ticks,
    render_gif,
    shared_palette,
)
from tests.unit.test_replay_gif import decoded

SIZE = 120
TEXT = np.array(hex_to_rgb(DEFAULT_COLORS.theme.text))
TRAIN = np.array(hex_to_rgb(DEFAULT_COLORS.theme.loss[0]))


def near(pixels: np.ndarray, color: np.ndarray, within: int = 10) -> np.ndarray:
    return np.abs(pixels - color).max(axis=-1) <= within


def falling(n: int) -> list[ReplayFrame]:
    """Losses from 1 down to 0.001 over ``n`` frames, on a neutral map."""
    return [
        ReplayFrame(np.zeros((10, 10)), epoch=10 * (k + 1), train_loss=10.0 ** (-3 * k / (n - 1)))
        for k in range(n)
    ]


def test_the_points_are_drawn_in_their_colours_where_they_are():
    colors = DEFAULT_COLORS.palette
    points = ReplayPoints(
        xy=np.array([[-3.0, 3.0], [3.0, -3.0]]),
        colors=np.array([hex_to_rgb(colors.negative), hex_to_rgb(colors.positive)], np.uint8),
    )
    with_points = decoded(render_gif(falling(2), map_size=SIZE, points=points))[-1]
    without = decoded(render_gif(falling(2), map_size=SIZE))[-1]
    left, top = frame_layout(SIZE, network=False).map_origin
    for (x, y), color in zip(points.xy, points.colors):
        # The view is -6 … 6 on both axes; x₂ grows upwards.
        column, row = left + round((x + 6) / 12 * SIZE), top + round((6 - y) / 12 * SIZE)
        assert near(with_points[row, column], color), (x, y, with_points[row, column])
        assert not near(without[row, column], color)
        ring = with_points[row - 6 : row + 7, column - 6 : column + 7]
        assert near(ring, np.array([255, 255, 255])).sum() >= 8  # the white outline


def test_the_map_and_the_loss_chart_have_tick_labels():
    picture = decoded(render_gif(falling(3), map_size=SIZE))[-1]
    layout = frame_layout(SIZE, network=False)
    left, top = layout.map_origin
    below_map = picture[top + SIZE + 1 : top + SIZE + 13, left - 4 : left + SIZE + 4]
    left_of_map = picture[top : top + SIZE, : left - 1]
    chart_left, _ = layout.loss_origin
    below_chart = picture[top + SIZE + 1 : top + SIZE + 13, chart_left : chart_left + LOSS_WIDTH]
    left_of_chart = picture[top : top + SIZE, chart_left - 26 : chart_left - 1]
    for name, area in (
        ("x₁", below_map),
        ("x₂", left_of_map),
        ("epochs", below_chart),
        ("losses", left_of_chart),
    ):
        # Seven labels of the map's axes, three of the chart's: tens of text pixels each.
        assert near(area, TEXT, 60).sum() > 40, name
    assert nice_ticks(-6, 6, 6) == [-6, -4, -2, 0, 2, 4, 6]
    assert nice_ticks(0, 2000, 3) == [0, 1000, 2000]


def test_the_log_loss_axis_spreads_the_decades():
    n = 9
    linear, log = (
        decoded(render_gif(falling(n), map_size=SIZE, log_loss=flag))[-1] for flag in (False, True)
    )
    layout = frame_layout(SIZE, network=False)
    chart_left, top = layout.loss_origin

    def curve_height(picture: np.ndarray, epoch: int) -> float:
        """The train curve's height at ``epoch`` over the chart's bottom, as a fraction."""
        column = chart_left + 2 + round(epoch / 100 * (LOSS_WIDTH - 5))  # x axis 0 … 100
        rows = np.flatnonzero(near(picture[top : top + SIZE, column], TRAIN, 30))
        assert rows.size, epoch
        return 1 - rows.mean() / SIZE

    # Loss 10^-1.5 at epoch 50: near the bottom of a 0 … 1 axis, halfway up 0.001 … 1.
    assert curve_height(linear, 50) < 0.15
    assert 0.35 < curve_height(log, 50) < 0.65
    # The labels left of the chart differ (0, 0.5, 1 against 0.001, 0.01, 0.1, 1).
    labels = (slice(top, top + SIZE), slice(chart_left - 26, chart_left - 1))
    assert np.abs(linear[labels] - log[labels]).max() > 100


def test_each_decoded_frame_is_within_unchanged_of_its_picture():
    rng = np.random.default_rng(5)
    pictures = []
    base = rng.integers(0, 256, (40, 60, 3)).astype(np.int16)
    for k in range(6):
        # Small drift everywhere (left out while it adds up to ≤ UNCHANGED), and a mark that
        # moves (always drawn).
        drift = base + 3 * k
        picture = Image.fromarray(np.clip(drift, 0, 255).astype(np.uint8))
        ImageDraw.Draw(picture).rectangle((5 * k, 5, 5 * k + 6, 15), fill=(0, 0, 0))
        pictures.append(picture)
    palette = shared_palette(pictures, DEFAULT_COLORS)
    quantised = [
        np.asarray(p.quantize(palette=palette, dither=Image.Dither.NONE).convert("RGB"), np.int16)
        for p in pictures
    ]
    shown = decoded(encode_gif(pictures, palette, 0.1))
    assert len(shown) == len(pictures)
    for k, (want, got) in enumerate(zip(quantised, shown)):
        assert np.abs(want - got).max() <= UNCHANGED, k
        mark = (slice(5, 16), slice(5 * k, 5 * k + 7))
        assert (got[mark] == 0).all(), k  # the moving mark is where this frame drew it
