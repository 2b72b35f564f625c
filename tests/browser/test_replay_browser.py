"""Download the replay (GIF) in real headless Chromium: train past epoch 150, pause, ask for 20
frames at 5 per second, render: the downloaded file is a GIF of 20 frames, 0.2 s each, the
first and the last different; the sentence for too long a replay shows on the page."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image

from tests.browser.test_playground_browser import epoch, open_playground, press_play
from tests.browser.test_run_file_browser import open_panel

pytestmark = pytest.mark.browser


def set_number(page, key: str, value: int) -> None:
    field = page.locator(f".st-key-{key} input")
    field.fill(str(value))
    field.press("Enter")  # a number input sends its value on Enter (then reruns)
    # Timeout: one rerun (well under 1 s); 15 s for a loaded machine.
    page.wait_for_function(
        f"document.querySelector('.st-key-{key} input')?.value === '{value}'", timeout=15_000
    )


def test_render_and_download_a_20_frame_replay(page, streamlit_url, tmp_path):
    open_playground(page, streamlit_url, "?dataset=xor&hidden=3&speed=50")
    press_play(page)
    deadline = time.monotonic() + 60  # 150 epochs at 50 a frame: a second or two here
    while time.monotonic() < deadline and epoch(page) < 150:
        time.sleep(0.25)
    page.get_by_role("button", name="Pause", exact=True).click()
    # Timeout: the pause is a rerun; the Play button comes back with it.
    page.get_by_role("button", name="Play", exact=True).wait_for(timeout=15_000)
    open_panel(page)

    set_number(page, "replay_frames", 200)  # more than this run has recorded
    page.get_by_role("button", name="Render the replay").click()
    # Timeout: one rerun that stops at the sentence (no rendering).
    page.get_by_text("too few for a 200-frame replay").wait_for(timeout=15_000)

    set_number(page, "replay_frames", 20)
    set_number(page, "replay_speed", 5)
    page.get_by_role("button", name="Render the replay").click()
    download = page.get_by_role("button", name="Download the replay (GIF)")
    # Timeout: 20 frames render in well under a second; 30 s for a loaded machine.
    download.wait_for(timeout=30_000)
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith("-replay.gif")
    path = tmp_path / "replay.gif"
    info.value.save_as(path)
    picture = Image.open(io.BytesIO(path.read_bytes()))
    assert picture.format == "GIF" and picture.n_frames == 20
    assert picture.info["duration"] == 200 and picture.width > 600
    first = np.asarray(picture.convert("RGB"), dtype=np.int16)
    picture.seek(19)
    assert np.abs(first - np.asarray(picture.convert("RGB"), dtype=np.int16)).max() > 50
    assert "Traceback" not in page.inner_text("body")
    assert not page.errors
