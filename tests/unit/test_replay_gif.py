"""The replay GIF (``playground/replay_gif.py``), on its own: frames' data in, a GIF out with
the requested number of frames, the first and the last different, the caption's epochs
increasing, the map in the figures' colours. (Which frames a replay has comes from the recorded
history, issue 13; render time for 100 frames: bench/replay_gif.py.)"""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from playground.palette import DEFAULT_COLORS, figure_colors, hex_to_rgb
from playground.replay_gif import (
    CAPTION_HEIGHT,
    MARGIN,
    ReplayFrame,
    caption_text,
    frame_layout,
    output_picture,
    render_gif,
)


def frames(n: int, size: int = 50) -> list[ReplayFrame]:
    """A boundary turning from frame to frame, losses falling."""
    axis = np.linspace(-1, 1, size)
    x, y = np.meshgrid(axis, -axis)
    return [
        ReplayFrame(
            np.tanh(3 * (np.cos(k / n * np.pi) * x + np.sin(k / n * np.pi) * y)),
            epoch=10 * (k + 1),
            train_loss=0.5 / (k + 1),
            test_loss=0.6 / (k + 1),
        )
        for k in range(n)
    ]


def decoded(gif: bytes) -> list[np.ndarray]:
    picture = Image.open(io.BytesIO(gif))
    out = []
    for index in range(picture.n_frames):
        picture.seek(index)
        out.append(np.asarray(picture.convert("RGB"), dtype=np.int16))
    return out


@pytest.mark.parametrize("n", [1, 2, 17])
def test_the_gif_has_the_requested_frames_first_and_last_differ(n):
    gif = render_gif(frames(n), seconds_per_frame=0.05)
    assert gif[:6] == b"GIF89a"
    pictures = decoded(gif)
    assert len(pictures) == n
    if n > 1:
        assert np.abs(pictures[0] - pictures[-1]).max() > 50
    assert Image.open(io.BytesIO(gif)).info["duration"] == 50


def test_the_captions_epochs_increase_and_each_caption_is_drawn():
    replay = frames(5)
    captions = [caption_text(frame) for frame in replay]
    assert captions[0] == "Epoch 10 · train loss 0.500 · test loss 0.600"
    epochs = [int(text.split()[1].replace(",", "")) for text in captions]
    assert epochs == sorted(epochs) and len(set(epochs)) == 5
    pictures = decoded(render_gif(replay))
    strip = [picture[:CAPTION_HEIGHT] for picture in pictures]  # the caption line
    for earlier, later in zip(strip, strip[1:]):
        assert np.abs(earlier - later).max() > 50  # another epoch, other text


def test_the_map_is_in_the_figures_colours():
    colors = DEFAULT_COLORS
    picture = output_picture(np.array([[-1.0, 0.0, 1.0, 5.0]]), colors)
    negative, neutral, positive = (hex_to_rgb(c) for _, c in colors.colorscale)
    assert picture[0].tolist() == [list(negative), list(neutral), list(positive), list(positive)]
    dark = output_picture(np.zeros((1, 1)), figure_colors("colorblind", "dark"))
    assert dark[0, 0].tolist() == list(
        hex_to_rgb(figure_colors("colorblind", "dark").colorscale[1][1])
    )
    gif = decoded(render_gif([ReplayFrame(np.full((4, 4), -1.0), 1, 0.1)], map_size=40))[0]
    left, top = frame_layout(40, network=False).map_origin
    centre = gif[top + 20, left + 20]
    assert np.abs(centre - np.array(negative)).max() <= 8  # (GIF palette rounding)


def test_unknown_losses_are_left_out_and_progress_is_reported():
    calls = []
    replay = [ReplayFrame(np.zeros((3, 3)), 1, math.nan), ReplayFrame(np.ones((3, 3)), 2, 0.2)]
    render_gif(replay, progress=lambda done, total: calls.append((done, total)))
    assert caption_text(replay[0]) == "Epoch 1"
    assert calls == [(1, 2), (2, 2)]


@pytest.mark.parametrize(
    "bad, words",
    [
        ([], "1 to"),
        (
            [ReplayFrame(np.zeros((2, 2)), 5, 0.1), ReplayFrame(np.zeros((2, 2)), 5, 0.1)],
            "increase",
        ),
    ],
)
def test_frames_it_cannot_draw_get_a_sentence(bad, words):
    with pytest.raises(ValueError, match=words):
        render_gif(bad)
    with pytest.raises(ValueError, match="at least"):
        render_gif(frames(2), seconds_per_frame=0.001)


def test_the_curves_keep_their_colours_and_a_line_marks_each_frames_epoch():
    # One palette for all frames (replay_gif.shared_palette): a curve a few pixels wide keeps
    # its colour (Pillow's own per-frame palette turned the red test curve orange).
    pictures = decoded(render_gif(frames(12), map_size=120))
    chart = slice(frame_layout(120, network=False).loss_origin[0], None)
    theme = DEFAULT_COLORS.theme
    for colour in theme.loss:
        distance = np.abs(pictures[-1][:, chart] - np.array(hex_to_rgb(colour))).max(axis=2)
        assert np.count_nonzero(distance <= 8) > 30, colour
    # The dotted line at the frame's epoch moves right from frame to frame.
    text = np.array(hex_to_rgb(theme.text))
    columns = [
        np.argmax(
            (np.abs(picture[CAPTION_HEIGHT + MARGIN + 20 :, chart] - text).max(axis=2) <= 8).sum(
                axis=0
            )
        )
        for picture in pictures
    ]
    assert columns == sorted(columns) and columns[0] < columns[-1], columns
