"""The replay of a run as an animated GIF: frames from its recorded history (issue 13), drawn by
``playground.replay_gif``.

``replay_epochs`` spreads the chosen number of frames evenly over the recorded epochs (by
position in the list, as Rewatch steps through them: the recorder keeps every early epoch and
fewer later ones, so the replay spends its frames where the network changes most).
``replay_frames`` draws each as the live view would (``playground.frames.frame_data`` and
``figures.frame_updates`` on ``history.moment``: the same output map, neuron maps and weights,
the losses of that epoch's caption). ``replay_gif`` is the two with ``render_gif``.
Pure Python (no Streamlit).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import ImageColor

from .figures import frame_updates, playground_figure, point_colors
from .frames import frame_data, view_spec
from .history import moment, recorded_epochs
from .replay_gif import NetworkPicture, ReplayFrame, ReplayPoints, render_gif
from .run import TrainingRun, metrics

MIN_FRAMES = 2
MAX_FRAMES = 200
DEFAULT_FRAMES = 50
MIN_SPEED = 1  # frames per second
MAX_SPEED = 25  # a GIF's delay is in hundredths of a second: 25/s is 4, faster ones blur
DEFAULT_SPEED = 10
# The output map's side in px: the GIF's size ("large": ~800 × 300 px in all, ~1 MB for 100
# frames; "small" for a page or a chat: about half the bytes).
MAP_SIZES = {"large": 240, "small": 160}
DEFAULT_SIZE = "large"


def replay_epochs(recorded: list[int], count: int) -> list[int]:
    """``count`` of the ``recorded`` epochs, evenly spread over the list, the first and the
    newest included. Raises ``ValueError`` with a sentence for a count out of range or more
    frames than recorded epochs."""
    if not MIN_FRAMES <= count <= MAX_FRAMES:
        raise ValueError(f"A replay has {MIN_FRAMES} to {MAX_FRAMES} frames; got {count:,}.")
    if len(recorded) < count:
        raise ValueError(
            f"This run has {len(recorded):,} recorded epochs, too few for a {count}-frame "
            f"replay: train longer, or choose at most {len(recorded):,} frames."
            if len(recorded) >= MIN_FRAMES
            else "This run has no history to replay yet: press Play and train a few epochs."
        )
    # Half-up rounding of steps ≥ 1 keeps the positions distinct (NumPy's half-to-even does not).
    positions = np.floor(np.linspace(0, len(recorded) - 1, count) + 0.5).astype(int)
    return [recorded[position] for position in positions]


def replay_frames(
    run: TrainingRun,
    epochs: list[int],
    theme: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[ReplayFrame]:
    """One ``ReplayFrame`` per recorded epoch in ``epochs``, with the live view's pictures in
    the run's palette on a ``theme`` ("light", "dark"; ``progress(done)`` after each)."""
    spec = view_spec(run, log_loss=False, theme=theme)
    figure = playground_figure(spec, run.train.X, run.train.y, run.test.X, run.test.y)
    layer_sizes = tuple(run.model.layer_sizes)
    frames = []
    for done, epoch in enumerate(epochs, start=1):
        shown = moment(run, epoch).run
        data = frame_data(shown)
        _, pictures = frame_updates(figure, data, run.settings.discretize, hover=False)
        *neurons, output = (picture["values"] for picture in pictures)
        values = metrics(shown)
        frames.append(
            ReplayFrame(
                output=output if output.ndim == 3 else _signed(output),
                epoch=shown.epoch,
                train_loss=values["train_loss"],
                test_loss=values["test_loss"],
                network=NetworkPicture(
                    layer_sizes, tuple(_signed(n) for n in neurons), tuple(data.weights)
                ),
            )
        )
        if progress is not None:
            progress(done)
    return frames


def replay_points(run: TrainingRun, theme: str | None = None) -> ReplayPoints:
    """The run's training points in their class colours, as the live view draws them."""
    spec = view_spec(run, log_loss=False, theme=theme)
    colors = point_colors(run.train.y, spec.output_mode, spec.colors)
    return ReplayPoints(
        xy=np.asarray(run.train.X[:, :2], dtype=np.float64),
        # "#rrggbb" for classes, "rgb(r,g,b)" for a regression's targets.
        colors=np.array([ImageColor.getrgb(c)[:3] for c in colors], dtype=np.uint8).reshape(-1, 3),
    )


def replay_gif(
    run: TrainingRun,
    count: int,
    speed: float,
    theme: str | None = None,
    progress: Callable[[float], None] | None = None,
    log_loss: bool | None = None,
    size: str = DEFAULT_SIZE,
) -> bytes:
    """The run's recorded history as a GIF of ``count`` frames shown ``speed`` per second.

    ``log_loss``: the loss chart's y axis is logarithmic (None: the run's setting). ``size``:
    a key of ``MAP_SIZES``.

    ``progress(fraction)`` goes from 0 to 1: the first half while the frames are computed,
    the second while they are drawn. Raises ``ValueError`` with a sentence for a count or
    speed out of range, or too short a history.
    """
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValueError(f"A replay shows {MIN_SPEED} to {MAX_SPEED} frames per second.")
    if size not in MAP_SIZES:
        raise ValueError(f"A replay is {' or '.join(MAP_SIZES)}; not {size!r}.")
    epochs = replay_epochs(recorded_epochs(run), count)
    report = progress or (lambda fraction: None)
    frames = replay_frames(run, epochs, theme, lambda done: report(done / (2 * count)))
    return render_gif(
        frames,
        seconds_per_frame=1.0 / speed,
        map_size=MAP_SIZES[size],
        colors=view_spec(run, log_loss=False, theme=theme).colors,
        points=replay_points(run, theme),
        log_loss=run.settings.log_loss if log_loss is None else log_loss,
        progress=lambda done, total: report(0.5 + done / (2 * total)),
    )


def _signed(picture: np.ndarray) -> np.ndarray:
    """The live view's uint8 picture values (0 … 255, 127.5 ≈ 0) back on -1 … 1."""
    return picture.astype(np.float64) / 127.5 - 1.0
