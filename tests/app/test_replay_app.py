"""AppTest: Download the replay (GIF) in the run file expander. Train past epoch 150, pause,
render a 20-frame replay: a GIF with 20 frames, the first and the last different, and its
download button; a run with too few recorded epochs gets one plain sentence and no button.

The GIF comes from what the button renders (kept in the session for the download button:
AppTest does not download); tests/browser/test_run_file_browser.py clicks the real button."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from tests.app.test_playground_app import epoch_of
from tests.app.test_run_file_app import opened
from ui.replay_panel import _MADE, DOWNLOAD_KEY, FRAMES_KEY, RENDER_KEY, SPEED_KEY

TINY = {"dataset": "xor", "hidden": "3", "speed": "50"}


def rendered(at, frames: int, speed: int = 10):
    at.number_input(key=FRAMES_KEY).set_value(frames)
    at.number_input(key=SPEED_KEY).set_value(speed)
    at.button(key=RENDER_KEY).click().run()
    assert not at.exception, at.exception
    return at


def download_buttons(at) -> set[str]:
    return {button.key for button in at.get("download_button")}


def test_a_20_frame_replay_of_150_epochs_is_a_gif_of_20_frames():
    at = opened(**TINY)
    at.button(key="play").click().run()
    while at.session_state["run"].epoch < 150:
        at.run()  # each run of the live fragment trains a few frames of 50 epochs
        assert not at.exception, at.exception
    at.button(key="play").click().run()  # pause
    epoch = epoch_of(at)
    rendered(at, 20, speed=4)
    assert DOWNLOAD_KEY in download_buttons(at)
    assert not at.error
    gif = at.session_state[_MADE][1]
    picture = Image.open(io.BytesIO(gif))
    assert picture.format == "GIF" and picture.n_frames == 20
    assert picture.info["duration"] == 250
    first = np.asarray(picture.convert("RGB"), dtype=np.int16)
    picture.seek(19)
    assert np.abs(first - np.asarray(picture.convert("RGB"), dtype=np.int16)).max() > 50
    assert at.session_state["run"].epoch == epoch  # rendering trains nothing


def test_too_few_recorded_epochs_get_a_sentence_and_no_download():
    at = opened(**TINY)
    for _ in range(4):
        at.button(key="step").click().run()  # epochs 1 … 4: five recorded with epoch 0
    rendered(at, 20)
    assert DOWNLOAD_KEY not in download_buttons(at)
    sentences = [message.value for message in at.error]
    assert any("too few for a 20-frame replay" in text for text in sentences), sentences
    assert any("at most 5 frames" in text for text in sentences), sentences
    rendered(at, 5)  # what the sentence says works
    assert DOWNLOAD_KEY in download_buttons(at) and not at.error
