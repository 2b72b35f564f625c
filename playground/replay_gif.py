"""An animated GIF of a training replay, from the frames' data (Pillow; no Streamlit, no Plotly).

``render_gif(frames)`` draws each ``ReplayFrame`` (the output map over the view, the network,
the epoch and the losses) as one picture: a caption line on top ("Epoch 120 · train loss 0.123
· test loss 0.145"), the output map in the figures' colours on the left, the network in the
middle (when the frame has one: a column of neuron maps per input and hidden layer, the links
coloured by their weights, as the live view's diagram without its labels), the loss curves on
the right (the whole replay's faint, the part up to that epoch in colour, a dotted line at the
epoch; the whole replay's range on both axes), and returns the GIF's bytes. Where the frames
come from (the recorded history of issue 13: ``playground.replay``) is the caller's business;
nothing here knows about a run.

The map is coloured as the live view colours it: -1 the palette's negative end, 0 the theme's
neutral grey, +1 its positive end, linear in between (``FigureColors.scale_rgb``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .palette import DEFAULT_COLORS, FigureColors, hex_to_rgb

CAPTION_HEIGHT = 26  # px: the caption line above the pictures
LOSS_WIDTH = 220  # px: the loss chart's width (its height is the map's)
NETWORK_WIDTH = 240  # px: the network's width (its height is the map's), when frames have one
NEURON_GAP = 3  # px between two neurons of a layer
MAX_NEURON_SIZE = 28  # px: a neuron map's side in a small network
MARGIN = 8  # px around and between the pictures
CAPTION_SIZE = 14  # px: the caption's type
AXIS_TEXT_SIZE = 11  # px: the loss chart's two labels
MAX_FRAMES = 1000
MIN_FRAME_SECONDS = 0.02  # GIF delays are in hundredths of a second; browsers slow faster ones


@dataclass(frozen=True)
class NetworkPicture:
    """The network of one frame, as the live view's diagram shows it.

    Attributes:
        layer_sizes: units per layer, inputs first, outputs last.
        neuron_maps: one (r, r) map per input and hidden neuron, layer by layer, -1 … 1
            (inputs scaled to their own largest value, as the live view does).
        weights: per dense layer, (fan_in, fan_out).
    """

    layer_sizes: tuple[int, ...]
    neuron_maps: tuple[np.ndarray, ...]
    weights: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class ReplayFrame:
    """What one frame of the replay shows.

    Attributes:
        output: (h, w) the network's output over the view, -1 … 1 (row 0 at the top, as
            ``engine.grid_points`` orders the grid); values beyond are clipped. Or (h, w, 3)
            uint8 RGB, already coloured (the class colours of a multiclass map).
        epoch: the epoch the frame shows (increasing over the replay).
        train_loss, test_loss: the losses at that epoch (NaN: not known, not drawn).
        network: the network's neuron maps and weights (None: the frame has no network).
    """

    output: np.ndarray
    epoch: int
    train_loss: float
    test_loss: float = math.nan
    network: NetworkPicture | None = None


def caption_text(frame: ReplayFrame) -> str:
    """The caption line of a frame: its epoch and losses."""
    parts = [f"Epoch {frame.epoch:,}"]
    for name, value in (("train loss", frame.train_loss), ("test loss", frame.test_loss)):
        if math.isfinite(value):
            parts.append(f"{name} {value:.3f}")
    return " · ".join(parts)


def output_picture(output: np.ndarray, colors: FigureColors = DEFAULT_COLORS) -> np.ndarray:
    """(h, w, 3) uint8: the output map in the diverging scale (-1, 0, +1 at its stops); an
    RGB picture as it is."""
    if np.ndim(output) == 3:
        return np.asarray(output, dtype=np.uint8)
    values = np.clip(np.nan_to_num(np.asarray(output, dtype=np.float64)), -1.0, 1.0)
    negative, neutral, positive = colors.scale_rgb()
    weight = np.abs(values)[..., None]
    end = np.where(values[..., None] < 0, negative, positive)
    return np.rint(neutral + weight * (end - neutral)).astype(np.uint8)


def render_gif(
    frames: Sequence[ReplayFrame],
    *,
    seconds_per_frame: float = 0.1,
    map_size: int = 240,
    colors: FigureColors = DEFAULT_COLORS,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The replay as an animated GIF (looping), one picture per frame.

    Args:
        frames: at least one, at most ``MAX_FRAMES``, epochs increasing.
        seconds_per_frame: how long each frame shows (≥ ``MIN_FRAME_SECONDS``).
        map_size: the output map's side in px (the map is resized to it).
        colors: the palette and theme of the figures.
        progress: called as ``progress(done, total)`` after each frame is drawn (a progress
            bar's hook).

    Raises ``ValueError`` with a sentence for frames it cannot draw.
    """
    if not 1 <= len(frames) <= MAX_FRAMES:
        raise ValueError(f"A replay needs 1 to {MAX_FRAMES:,} frames; got {len(frames):,}.")
    epochs = [frame.epoch for frame in frames]
    if any(later <= earlier for earlier, later in zip(epochs, epochs[1:])):
        raise ValueError("The frames' epochs must increase from one frame to the next.")
    if not math.isfinite(seconds_per_frame) or seconds_per_frame < MIN_FRAME_SECONDS:
        raise ValueError(f"A frame must show for at least {MIN_FRAME_SECONDS} s.")
    chart = _LossChart(frames, map_size, colors)
    font = ImageFont.load_default(CAPTION_SIZE)
    network_width = NETWORK_WIDTH + MARGIN if frames[0].network is not None else 0
    width = 3 * MARGIN + map_size + network_width + LOSS_WIDTH
    height = CAPTION_HEIGHT + 2 * MARGIN + map_size
    background = hex_to_rgb(colors.theme.background)
    text = hex_to_rgb(colors.theme.text)
    pictures = []
    for index, frame in enumerate(frames):
        picture = Image.new("RGB", (width, height), background)
        draw = ImageDraw.Draw(picture)
        draw.text((MARGIN, MARGIN), caption_text(frame), fill=text, font=font)
        output = Image.fromarray(output_picture(frame.output, colors))
        picture.paste(
            output.resize((map_size, map_size), Image.Resampling.BILINEAR),
            (MARGIN, CAPTION_HEIGHT + MARGIN),
        )
        if frame.network is not None:
            origin = (2 * MARGIN + map_size, CAPTION_HEIGHT + MARGIN)
            draw_network(picture, frame.network, origin, map_size, colors, output)
        chart.draw(draw, index, (2 * MARGIN + map_size + network_width, CAPTION_HEIGHT + MARGIN))
        pictures.append(picture)
        if progress is not None:
            progress(index + 1, len(frames))
    palette = shared_palette(pictures, colors)
    pictures = [picture.quantize(palette=palette, dither=Image.Dither.NONE) for picture in pictures]
    buffer = io.BytesIO()
    pictures[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=round(seconds_per_frame * 1000),
        loop=0,
        optimize=False,  # frames may look alike; every one must stay (its caption differs)
    )
    return buffer.getvalue()


def shared_palette(pictures: Sequence[Image.Image], colors: FigureColors) -> Image.Image:
    """One 256-colour palette for every frame: the diverging scale in 64 steps and the theme's
    line and text colours, then what the first, middle and last frames use most.

    Pillow's own per-frame palette merges colours a few pixels use into their neighbours (the
    red test curve came out orange); one palette also makes the frames' colours agree.
    """
    negative, neutral, positive = colors.scale_rgb()
    steps = np.linspace(-1.0, 1.0, 64)[:, None]
    scale = np.where(
        steps < 0, neutral + -steps * (negative - neutral), neutral + steps * (positive - neutral)
    )
    theme = colors.theme
    fixed = [
        hex_to_rgb(c)
        for c in (*theme.loss, theme.text, theme.frame, theme.neutral, theme.background)
    ]
    fixed_colors = np.rint(np.vstack([scale, np.array(fixed, dtype=np.float64)])).astype(np.uint8)
    samples = [pictures[0], pictures[len(pictures) // 2], pictures[-1]]
    rest = Image.new("RGB", (samples[0].width, samples[0].height * len(samples)))
    for k, sample in enumerate(samples):
        rest.paste(sample, (0, k * sample.height))
    spare = 256 - len(fixed_colors)
    most_used = rest.quantize(colors=spare, dither=Image.Dither.NONE).getpalette()[: 3 * spare]
    palette = Image.new("P", (1, 1))
    palette.putpalette([*fixed_colors.ravel().tolist(), *most_used])
    return palette


def draw_network(
    picture: Image.Image,
    network: NetworkPicture,
    origin: tuple[int, int],
    height: int,
    colors: FigureColors = DEFAULT_COLORS,
    output: Image.Image | None = None,
) -> None:
    """The network in a ``NETWORK_WIDTH`` × ``height`` box at ``origin``: a column per input
    and hidden layer (its neurons' maps, centred), a last column with the output neuron (one
    square, showing ``output`` small), and a line per link coloured by its weight on the
    figures' scale (±1 the ends; 2 px for |w| ≥ 1). Links into several outputs (multiclass)
    share the one output square, so they are drawn in the frame colour: one colour could not
    say which class each is."""
    sizes = network.layer_sizes
    columns = len(sizes)
    tallest = max(sizes[:-1])
    side = int(min(MAX_NEURON_SIZE, (height - (tallest - 1) * NEURON_GAP) / tallest))
    left, top = origin
    step = (NETWORK_WIDTH - side) / max(columns - 1, 1)
    corners = []  # per layer, the top-left corner of each neuron's square
    for layer, size in enumerate(sizes[:-1]):
        column_height = size * side + (size - 1) * NEURON_GAP
        y0 = top + (height - column_height) / 2
        corners.append([(left + layer * step, y0 + k * (side + NEURON_GAP)) for k in range(size)])
    corners.append([(left + (columns - 1) * step, top + (height - side) / 2)])
    draw = ImageDraw.Draw(picture)
    negative, neutral, positive = colors.scale_rgb()
    frame_color = hex_to_rgb(colors.theme.frame)
    for layer, weights in enumerate(network.weights):
        for (source, target), weight in np.ndenumerate(weights):
            x0, y0 = corners[layer][source]
            x1, y1 = corners[layer + 1][min(target, len(corners[layer + 1]) - 1)]
            if len(corners[layer + 1]) < weights.shape[1]:  # several outputs, one square
                color = frame_color
            else:
                w = float(np.clip(np.nan_to_num(weight), -1.0, 1.0))
                end = negative if w < 0 else positive
                color = tuple(np.rint(neutral + abs(w) * (end - neutral)).astype(int).tolist())
            draw.line(
                (x0 + side, y0 + side / 2, x1, y1 + side / 2),
                fill=color,
                width=2 if abs(weight) >= 1 else 1,
            )
    maps = iter(network.neuron_maps)
    for layer_corners in corners[:-1]:
        for x, y in layer_corners:
            neuron = Image.fromarray(output_picture(next(maps), colors))
            picture.paste(
                neuron.resize((side, side), Image.Resampling.BILINEAR), (round(x), round(y))
            )
            draw.rectangle(
                (round(x) - 1, round(y) - 1, round(x) + side, round(y) + side), outline=frame_color
            )
    x, y = (round(value) for value in corners[-1][0])
    if output is not None:
        picture.paste(output.resize((side, side), Image.Resampling.BILINEAR), (x, y))
    draw.rectangle((x - 1, y - 1, x + side, y + side), outline=frame_color, width=2)


class _LossChart:
    """The loss curves, scaled to the whole replay (epochs on x, losses on y from 0)."""

    def __init__(self, frames: Sequence[ReplayFrame], size: int, colors: FigureColors):
        self.epochs = np.array([frame.epoch for frame in frames], dtype=np.float64)
        self.losses = {
            "train": np.array([frame.train_loss for frame in frames], dtype=np.float64),
            "test": np.array([frame.test_loss for frame in frames], dtype=np.float64),
        }
        finite = np.concatenate([v[np.isfinite(v)] for v in self.losses.values()])
        self.top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        self.size = size
        theme = colors.theme
        self.line_colors = {"train": hex_to_rgb(theme.loss[0]), "test": hex_to_rgb(theme.loss[1])}
        self.frame_color = hex_to_rgb(theme.frame)
        self.ahead_color = hex_to_rgb(theme.neutral)
        self.text_color = hex_to_rgb(theme.text)
        self.font = ImageFont.load_default(AXIS_TEXT_SIZE)

    def draw(self, draw: ImageDraw.ImageDraw, index: int, origin: tuple[int, int]) -> None:
        left, top = origin
        width, height = LOSS_WIDTH, self.size
        draw.rectangle((left, top, left + width - 1, top + height - 1), outline=self.frame_color)
        first, last = self.epochs[0], self.epochs[-1]
        span = max(last - first, 1.0)

        def x_of(epochs: np.ndarray) -> np.ndarray:
            return left + 2 + (epochs - first) / span * (width - 5)

        # The whole replay's curves faint, then the part up to this frame in colour, and a
        # dotted line at its epoch: early frames (many, as the recorder keeps early epochs) sit
        # at the left of an epoch axis, and the line says where.
        for upto, colors in ((len(self.epochs), None), (index + 1, self.line_colors)):
            for name, losses in self.losses.items():
                shown = np.isfinite(losses[:upto])
                x = x_of(self.epochs[:upto][shown])
                y = top + height - 3 - losses[:upto][shown] / self.top * (height - 6)
                points = list(zip(x.tolist(), y.tolist()))
                color = self.ahead_color if colors is None else colors[name]
                if len(points) >= 2:
                    draw.line(points, fill=color, width=2)
                elif points:
                    draw.ellipse((x[0] - 2, y[0] - 2, x[0] + 2, y[0] + 2), fill=color)
        at = float(x_of(self.epochs[index]))
        for y in range(top + 2, top + height - 2, 6):
            draw.line((at, y, at, y + 2), fill=self.text_color, width=1)
        draw.text(
            (left + 4, top + 2), f"loss up to {self.top:.2g}", fill=self.text_color, font=self.font
        )
        draw.text(
            (left + width - 4, top + height - 4),
            f"epoch {last:,.0f}",
            fill=self.text_color,
            font=self.font,
            anchor="rb",
        )
