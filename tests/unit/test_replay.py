"""The replay of a run's recorded history (``playground/replay.py``): frames at the chosen
recorded epochs, each one that epoch's network (its output map and losses), a GIF with the
requested number of frames whose first and last differ, and a sentence for a length it cannot
make."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from playground.history import moment, recorded_epochs
from playground.replay import MAX_FRAMES, replay_epochs, replay_frames, replay_gif
from playground.replay_gif import caption_text
from playground.run import build_run, metrics, train_chunk
from playground.settings import PlaygroundSettings


@pytest.fixture(scope="module")
def run():
    settings, _ = PlaygroundSettings.from_query_params(
        {"dataset": "xor", "hidden": "3,2", "lr": "0.03", "seed": "3"}
    )
    trained = build_run(settings)
    for _ in range(6):
        train_chunk(trained, 30)  # 180 epochs: every one of the first 100 recorded, then fewer
    return trained


def test_the_epochs_spread_over_the_recorded_ones_first_and_newest_included(run):
    recorded = recorded_epochs(run)
    for count in (2, 7, 20, len(recorded)):
        epochs = replay_epochs(recorded, count)
        assert len(epochs) == count == len(set(epochs))
        assert epochs == sorted(epochs) and set(epochs) <= set(recorded)
        assert epochs[0] == recorded[0] and epochs[-1] == recorded[-1] == run.epoch
    # Evenly by position: the gaps in the list differ by at most one place.
    positions = [recorded.index(epoch) for epoch in replay_epochs(recorded, 20)]
    assert max(np.diff(positions)) - min(np.diff(positions)) <= 1


def test_each_frame_is_its_recorded_epoch(run):
    epochs = replay_epochs(recorded_epochs(run), 6)
    frames = replay_frames(run, epochs)
    assert [frame.epoch for frame in frames] == epochs
    assert [caption_text(frame).split(" · ")[0] for frame in frames] == [
        f"Epoch {epoch:,}" for epoch in epochs
    ]
    for frame, epoch in zip(frames, epochs):
        shown = moment(run, epoch).run
        assert frame.train_loss == metrics(shown)["train_loss"]
        # The output map is that epoch's network over the view (tanh output: -1 … 1, in the
        # live view's 1/127.5 steps).
        output = shown.model.forward(shown.grid_inputs)[:, 0].reshape(frame.output.shape)
        assert np.abs(frame.output - output).max() <= 1 / 127.5 + 1e-9
        assert frame.network.layer_sizes == (2, 3, 2, 1)
        assert len(frame.network.neuron_maps) == 2 + 3 + 2
        assert all(np.array_equal(w, v) for w, v in zip(frame.network.weights, shown.model.weights))
    assert not np.array_equal(frames[0].output, frames[-1].output)


def test_the_gif_has_the_chosen_frames_first_and_last_differ_progress_reaches_one(run):
    reported = []
    gif = replay_gif(run, 12, speed=5, progress=reported.append)
    picture = Image.open(io.BytesIO(gif))
    assert picture.format == "GIF" and picture.n_frames == 12
    assert picture.info["duration"] == 200  # 5 frames per second
    first = np.asarray(picture.convert("RGB"), dtype=np.int16)
    picture.seek(11)
    last = np.asarray(picture.convert("RGB"), dtype=np.int16)
    assert np.abs(first - last).max() > 50
    assert reported == sorted(reported) and reported[-1] == 1.0 and len(reported) == 24


@pytest.mark.parametrize(
    "count, words",
    [
        (1, "2 to 200"),
        (MAX_FRAMES + 1, "2 to 200"),
        (0, "2 to 200"),
    ],
)
def test_a_length_out_of_range_gets_a_sentence(run, count, words):
    with pytest.raises(ValueError, match=words):
        replay_gif(run, count, speed=10)


def test_too_short_a_history_gets_a_sentence(run):
    with pytest.raises(ValueError, match=r"has 5 recorded epochs, too few for a 20-frame replay"):
        replay_epochs([0, 1, 2, 3, 4], 20)
    with pytest.raises(ValueError, match="no history to replay yet"):
        replay_epochs([0], 2)
    with pytest.raises(ValueError, match="1 to 25 frames per second"):
        replay_gif(run, 10, speed=0)
