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
neutral grey, +1 its positive end, linear in between (``FigureColors.scale_rgb``); the training
points (``ReplayPoints``) sit on it in their class colours with a white outline, as on screen.
The map has its axes' tick labels (the view's units) and the loss chart its own, on a log axis
when the Playground's "Log-scale loss axis" is on (``log_loss``).

Size: every frame is quantised to one shared palette (``shared_palette``), and each frame after
the first keeps only the pixels that changed (the others are the GIF's transparent index, the
previous frame showing through: ``disposal`` 1), which LZW packs into a few bytes; 100 frames at
the default size were 4.4 MB before, ~1 MB now (docs/benchmarks.md).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engine import DOMAIN

from .figures import nice_ceil
from .palette import DEFAULT_COLORS, FigureColors, hex_to_rgb

CAPTION_HEIGHT = 26  # px: the caption line above the pictures
LOSS_WIDTH = 220  # px: the loss chart's width (its height is the map's)
NETWORK_WIDTH = 240  # px: the network's width (its height is the map's), when frames have one
NEURON_GAP = 3  # px between two neurons of a layer
MAX_NEURON_SIZE = 28  # px: a neuron map's side in a small network
MARGIN = 8  # px around and between the pictures
CAPTION_SIZE = 14  # px: the caption's type
AXIS_TEXT_SIZE = 10  # px: the tick labels
TICK_WIDTH = 28  # px left of the map and of the loss chart: their y tick labels
TICK_HEIGHT = 13  # px under them: their x tick labels
POINT_RADIUS = 0.13  # a training point's radius in the view's units (as the live view's)
MIN_POINT_RADIUS = 3.5  # px: a point and its colour stay visible on a small map
TRANSPARENT = 255  # the palette index of "unchanged since the previous frame"
SCALE_STEPS = 64  # the maps' colours: this many steps of the diverging scale, -1 … +1
# A pixel whose colour moved at most this much (0-255, per channel) since the GIF last drew it
# is left as it is: ~2 steps of the scale (an invisible drift that was most of a map's bytes).
UNCHANGED = 12
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


@dataclass(frozen=True)
class ReplayPoints:
    """The training points drawn over the output map of every frame.

    Attributes:
        xy: (n, 2) their coordinates in the view's units (x₁, x₂).
        colors: (n, 3) uint8 RGB, each point's class colour as the live view shows it.
    """

    xy: np.ndarray
    colors: np.ndarray


@dataclass(frozen=True)
class FrameLayout:
    """Where a frame's parts are (px from its top left corner) and its size."""

    width: int
    height: int
    map_origin: tuple[int, int]
    network_origin: tuple[int, int] | None
    loss_origin: tuple[int, int]


def frame_layout(map_size: int, network: bool) -> FrameLayout:
    """The caption line on top; under it the map (its y tick labels left of it, x under it),
    the network (when the frames have one) and the loss chart (tick labels as the map's)."""
    top = CAPTION_HEIGHT + MARGIN
    map_x = MARGIN + TICK_WIDTH
    network_x = map_x + map_size + MARGIN
    loss_x = network_x + (NETWORK_WIDTH + MARGIN if network else 0) + TICK_WIDTH
    return FrameLayout(
        width=loss_x + LOSS_WIDTH + MARGIN,
        height=top + map_size + TICK_HEIGHT + MARGIN,
        map_origin=(map_x, top),
        network_origin=(network_x, top) if network else None,
        loss_origin=(loss_x, top),
    )


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values from ``low`` to ``high``, about ``count`` intervals apart (steps of 1, 2,
    2.5 or 5 × 10^k)."""
    span = high - low
    if not span > 0:
        return [low]
    rough = span / count
    base = 10.0 ** math.floor(math.log10(rough))
    step = next(k * base for k in (1, 2, 2.5, 5, 10) if k * base >= rough * (1 - 1e-9))
    first = math.ceil(low / step - 1e-9)
    values = [k * step for k in range(first, math.floor(high / step + 1e-9) + 1)]
    return [float(f"{value:.12g}") for value in values]


def tick_label(value: float) -> str:
    """A tick's text, short (an ASCII minus: Pillow's own font has no "−")."""
    return f"{value:g}" if value != 0 else "0"


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


def map_picture(
    values: np.ndarray, side: int, colors: FigureColors = DEFAULT_COLORS
) -> Image.Image:
    """A map (the output, a neuron's) ``side`` px square: values resized (bilinear), then
    snapped to the ``SCALE_STEPS`` colours of the scale that ``shared_palette`` holds, so a
    pixel keeps its colour from frame to frame until its value moves a step (what
    ``encode_gif`` leaves out of a frame). An RGB picture is resized as it is."""
    if np.ndim(values) == 3:
        picture = Image.fromarray(np.asarray(values, dtype=np.uint8))
        return picture.resize((side, side), Image.Resampling.BILINEAR)
    clean = np.clip(np.nan_to_num(np.asarray(values, dtype=np.float32)), -1.0, 1.0)
    resized = np.asarray(
        Image.fromarray(clean, mode="F").resize((side, side), Image.Resampling.BILINEAR)
    )
    steps = np.rint((resized + 1.0) / 2.0 * (SCALE_STEPS - 1))
    return Image.fromarray(output_picture(steps / (SCALE_STEPS - 1) * 2.0 - 1.0, colors))


def render_gif(
    frames: Sequence[ReplayFrame],
    *,
    seconds_per_frame: float = 0.1,
    map_size: int = 240,
    colors: FigureColors = DEFAULT_COLORS,
    points: ReplayPoints | None = None,
    log_loss: bool = False,
    view: tuple[float, float] = (-DOMAIN, DOMAIN),
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The replay as an animated GIF (looping), one picture per frame.

    Args:
        frames: at least one, at most ``MAX_FRAMES``, epochs increasing.
        seconds_per_frame: how long each frame shows (≥ ``MIN_FRAME_SECONDS``).
        map_size: the output map's side in px (the map is resized to it).
        colors: the palette and theme of the figures.
        points: the training points drawn over the map (None: none).
        log_loss: the loss chart's y axis is logarithmic (the Playground's setting).
        view: the (lowest, highest) value of x₁ and x₂ the map shows (its tick labels).
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
    layout = frame_layout(map_size, frames[0].network is not None)
    chart = _LossChart(frames, map_size, colors, log_loss)
    font = ImageFont.load_default(CAPTION_SIZE)
    background = hex_to_rgb(colors.theme.background)
    text = hex_to_rgb(colors.theme.text)
    # What every frame has: the background, the map's tick labels, the points' picture.
    base = Image.new("RGB", (layout.width, layout.height), background)
    _map_ticks(ImageDraw.Draw(base), layout.map_origin, map_size, view, colors)
    dots = None if points is None else points_picture(points, map_size, view)
    pictures = []
    for index, frame in enumerate(frames):
        picture = base.copy()
        draw = ImageDraw.Draw(picture)
        draw.text((MARGIN, MARGIN), caption_text(frame), fill=text, font=font)
        picture.paste(map_picture(frame.output, map_size, colors), layout.map_origin)
        if dots is not None:
            picture.paste(dots, layout.map_origin, dots)
        if layout.network_origin is not None and frame.network is not None:
            draw_network(
                picture, frame.network, layout.network_origin, map_size, colors, frame.output
            )
        chart.draw(draw, index, layout.loss_origin)
        pictures.append(picture)
        if progress is not None:
            progress(index + 1, len(frames))
    return encode_gif(pictures, shared_palette(pictures, colors, points), seconds_per_frame)


def encode_gif(
    pictures: Sequence[Image.Image], palette: Image.Image, seconds_per_frame: float
) -> bytes:
    """The pictures as a looping GIF in ``palette`` (at most 255 colours): the first whole,
    each later one with only the pixels whose colour moved more than ``UNCHANGED`` from what
    the GIF shows there (the others are the ``TRANSPARENT`` index: the frame before shows
    through them, disposal 1). A map's slow drift is drawn once it adds up to more than that,
    so a shown pixel is never further than ``UNCHANGED`` from its frame's own colour."""
    indexed = [
        np.asarray(picture.quantize(palette=palette, dither=Image.Dither.NONE))
        for picture in pictures
    ]
    colours = palette.getpalette()[: 3 * TRANSPARENT]
    rgb = np.zeros((256, 3), dtype=np.int16)
    rgb[: len(colours) // 3] = np.reshape(colours, (-1, 3))
    shown = indexed[0]
    frames = [shown]
    for later in indexed[1:]:
        moved = np.abs(rgb[later] - rgb[shown]).max(axis=2) > UNCHANGED
        frames.append(np.where(moved, later, np.uint8(TRANSPARENT)))
        shown = np.where(moved, later, shown)
    images = []
    for values in frames:
        image = Image.fromarray(values, mode="P")
        image.putpalette([*colours, 0, 0, 0])
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=round(seconds_per_frame * 1000),
        loop=0,
        transparency=TRANSPARENT,
        disposal=1,
        # Pillow's palette optimisation would renumber each frame's colours (and the
        # transparent index with them); the palette is already one for all frames.
        optimize=False,
    )
    return buffer.getvalue()


def points_picture(points: ReplayPoints, size: int, view: tuple[float, float]) -> Image.Image:
    """The points on a transparent ``size`` × ``size`` RGBA picture of the ``view``: discs of
    ``POINT_RADIUS`` (at least ``MIN_POINT_RADIUS`` px) in their colours, outlined white."""
    picture = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    low, high = view
    scale = size / (high - low)
    radius = max(MIN_POINT_RADIUS, POINT_RADIUS * scale)
    for (x, y), color in zip(np.asarray(points.xy, dtype=np.float64), points.colors):
        cx, cy = (x - low) * scale, (high - y) * scale
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            fill=(*(int(c) for c in color), 255),
            outline=(255, 255, 255, 255),
        )
    return picture


def _map_ticks(
    draw: ImageDraw.ImageDraw,
    origin: tuple[int, int],
    size: int,
    view: tuple[float, float],
    colors: FigureColors,
) -> None:
    """The map's tick labels: x₁'s under it, x₂'s left of it, and its outline."""
    left, top = origin
    low, high = view
    text = hex_to_rgb(colors.theme.text)
    font = ImageFont.load_default(AXIS_TEXT_SIZE)
    for value in nice_ticks(low, high, 6):
        at = (value - low) / (high - low) * size
        draw.text((left + at, top + size + 2), tick_label(value), fill=text, font=font, anchor="mt")
        draw.text((left - 4, top + size - at), tick_label(value), fill=text, font=font, anchor="rm")
    frame = hex_to_rgb(colors.theme.frame)
    draw.rectangle((left - 1, top - 1, left + size, top + size), outline=frame)


def shared_palette(
    pictures: Sequence[Image.Image], colors: FigureColors, points: ReplayPoints | None = None
) -> Image.Image:
    """One palette of ``TRANSPARENT`` (255) colours for every frame: the diverging scale in
    ``SCALE_STEPS`` steps (every colour a map has: ``map_picture``), the theme's line and
    text colours, white and the points' colours, then what the first, middle and last frames
    use most.

    Pillow's own per-frame palette merges colours a few pixels use into their neighbours (the
    red test curve came out orange); one palette also makes the frames' colours agree, and
    an unchanged pixel keeps its index from frame to frame (what ``encode_gif`` leaves out).
    """
    negative, neutral, positive = colors.scale_rgb()
    steps = np.linspace(-1.0, 1.0, SCALE_STEPS)[:, None]
    scale = np.where(
        steps < 0, neutral + -steps * (negative - neutral), neutral + steps * (positive - neutral)
    )
    theme = colors.theme
    fixed = [
        hex_to_rgb(c)
        for c in (*theme.loss, theme.text, theme.frame, theme.neutral, theme.background)
    ]
    fixed.append((255, 255, 255))
    if points is not None:
        fixed.extend({tuple(int(c) for c in color) for color in points.colors})
    fixed_colors = np.rint(np.vstack([scale, np.array(fixed, dtype=np.float64)])).astype(np.uint8)
    fixed_colors = np.unique(fixed_colors, axis=0)[: TRANSPARENT - 16]
    samples = [pictures[0], pictures[len(pictures) // 2], pictures[-1]]
    rest = Image.new("RGB", (samples[0].width, samples[0].height * len(samples)))
    for k, sample in enumerate(samples):
        rest.paste(sample, (0, k * sample.height))
    spare = TRANSPARENT - len(fixed_colors)
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
    output: np.ndarray | None = None,
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
            picture.paste(map_picture(next(maps), side, colors), (round(x), round(y)))
            draw.rectangle(
                (round(x) - 1, round(y) - 1, round(x) + side, round(y) + side), outline=frame_color
            )
    x, y = (round(value) for value in corners[-1][0])
    if output is not None:
        picture.paste(map_picture(output, side, colors), (x, y))
    draw.rectangle((x - 1, y - 1, x + side, y + side), outline=frame_color, width=2)


class _LossChart:
    """The loss curves on the axes the live view would give the whole replay: epochs from 0
    to a round number past the last, losses from 0 (or, on a log axis, whole decades around
    them), with tick labels."""

    def __init__(
        self, frames: Sequence[ReplayFrame], size: int, colors: FigureColors, log: bool
    ) -> None:
        self.epochs = np.array([frame.epoch for frame in frames], dtype=np.float64)
        self.losses = {
            "train": np.array([frame.train_loss for frame in frames], dtype=np.float64),
            "test": np.array([frame.test_loss for frame in frames], dtype=np.float64),
        }
        self.log = log
        finite = np.concatenate([v[np.isfinite(v)] for v in self.losses.values()])
        if log:
            positive = finite[finite > 0]
            low = math.floor(math.log10(positive.min())) if positive.size else -2
            high = math.ceil(math.log10(positive.max())) if positive.size else 0
            self.y_range = (float(low), float(max(high, low + 1)))  # log10 units
            self.y_ticks = [10.0**k for k in range(int(low), int(max(high, low + 1)) + 1)]
        else:
            top = nice_ceil(max(float(finite.max()), 1e-3)) if finite.size else 1.0
            self.y_range = (0.0, top)
            self.y_ticks = nice_ticks(0.0, top, 3)
        self.x_max = nice_ceil(max(float(self.epochs[-1]), 10.0))
        self.x_ticks = nice_ticks(0.0, self.x_max, 3)
        self.size = size
        theme = colors.theme
        self.line_colors = {"train": hex_to_rgb(theme.loss[0]), "test": hex_to_rgb(theme.loss[1])}
        self.frame_color = hex_to_rgb(theme.frame)
        self.ahead_color = hex_to_rgb(theme.neutral)
        self.text_color = hex_to_rgb(theme.text)
        self.font = ImageFont.load_default(AXIS_TEXT_SIZE)

    def _y_fraction(self, losses: np.ndarray) -> np.ndarray:
        """Height on the chart, 0 … 1 (NaN: not drawn, e.g. a loss ≤ 0 on a log axis)."""
        low, high = self.y_range
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(losses > 0, np.log10(losses), np.nan) if self.log else losses
        return (values - low) / (high - low)

    def draw(self, draw: ImageDraw.ImageDraw, index: int, origin: tuple[int, int]) -> None:
        left, top = origin
        width, height = LOSS_WIDTH, self.size
        draw.rectangle((left, top, left + width - 1, top + height - 1), outline=self.frame_color)

        def x_of(epochs: np.ndarray) -> np.ndarray:
            return left + 2 + epochs / self.x_max * (width - 5)

        def y_of(losses: np.ndarray) -> np.ndarray:
            return top + height - 3 - self._y_fraction(losses) * (height - 6)

        for value in self.x_ticks:
            label = f"{value:,.0f}"
            # The last label ends at the chart's right edge (centred on its tick, half of it
            # would be past the picture's).
            half = self.font.getlength(label) / 2
            x = min(float(x_of(np.array(value))), left + width - half)
            draw.text(
                (x, top + height + 2), label, fill=self.text_color, font=self.font, anchor="mt"
            )
        for value in self.y_ticks:
            y = float(y_of(np.array(value)))
            label = f"{value:g}"
            draw.text((left - 4, y), label, fill=self.text_color, font=self.font, anchor="rm")
        # The whole replay's curves faint, then the part up to this frame in colour, and a
        # dotted line at its epoch: early frames (many, as the recorder keeps early epochs) sit
        # at the left of an epoch axis, and the line says where.
        for upto, colors in ((len(self.epochs), None), (index + 1, self.line_colors)):
            for name, losses in self.losses.items():
                x = x_of(self.epochs[:upto])
                y = y_of(losses[:upto])
                shown = np.isfinite(y)
                points = list(zip(x[shown].tolist(), y[shown].tolist()))
                color = self.ahead_color if colors is None else colors[name]
                if len(points) >= 2:
                    draw.line(points, fill=color, width=2)
                elif points:
                    ((px, py),) = points
                    draw.ellipse((px - 2, py - 2, px + 2, py + 2), fill=color)
        at = float(x_of(self.epochs[index]))
        for y in range(top + 2, top + height - 2, 6):
            draw.line((at, y, at, y + 2), fill=self.text_color, width=1)
