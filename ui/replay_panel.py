"""Download the replay (GIF): a part of the run file expander (``ui.run_file_panel``).

The number of frames and their speed, a button that renders the run's recorded history
(``playground.replay``) with a progress bar, then a download button with the GIF. The GIF is
kept in the session for the run and epoch it was made from (a rerun keeps the download
button; training on, or another run, drops it). A length the history cannot fill gets one
sentence instead.
"""

from __future__ import annotations

import streamlit as st

from playground import replay
from playground.run import TrainingRun

from . import state

FRAMES_KEY = "replay_frames"
SPEED_KEY = "replay_speed"
SIZE_KEY = "replay_size"
RENDER_KEY = "replay_render"
DOWNLOAD_KEY = "replay_download"
# ((id of the run's recorder, epoch, frames, speed, size, log axis), GIF bytes | sentence)
_MADE = "_replay_gif"


def replay_part(run: TrainingRun) -> None:
    """The inputs, Render the replay, and the GIF's download button (or a sentence)."""
    st.markdown("**Download the replay (GIF)**")
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    count = row.number_input(
        "Frames",
        min_value=replay.MIN_FRAMES,
        max_value=replay.MAX_FRAMES,
        value=replay.DEFAULT_FRAMES,
        step=10,
        key=FRAMES_KEY,
        width=140,
        help="Pictures in the GIF, spread over the recorded epochs (every epoch of the first "
        "100, then fewer): the first is the start, the last the epoch now.",
    )
    speed = row.number_input(
        "Frames per second",
        min_value=replay.MIN_SPEED,
        max_value=replay.MAX_SPEED,
        value=replay.DEFAULT_SPEED,
        key=SPEED_KEY,
        width=160,
    )
    size = row.selectbox(
        "Size",
        options=list(replay.MAP_SIZES),
        index=list(replay.MAP_SIZES).index(replay.DEFAULT_SIZE),
        format_func=lambda name: f"{name} ({replay.MAP_SIZES[name]} px map)",
        key=SIZE_KEY,
        width=170,
        help="The GIF's size: small is about half the bytes (for a chat or a page).",
    )
    log_loss = state.settings().log_loss  # the loss chart's axis, as the live view's
    made_for = (id(run.snapshots), run.epoch, int(count), int(speed), size, log_loss)
    if row.button("Render the replay", key=RENDER_KEY, icon=":material/movie:"):
        st.session_state[_MADE] = (
            made_for,
            _render(run, int(count), int(speed), size, log_loss),
        )
    made = st.session_state.get(_MADE)
    if made is None or made[0] != made_for:
        return
    result = made[1]
    if isinstance(result, str):
        st.error(result)
        return
    st.download_button(
        "Download the replay (GIF)",
        data=result,
        file_name=f"neuroplay-{run.settings.dataset}-epoch-{run.epoch}-replay.gif",
        mime="image/gif",
        key=DOWNLOAD_KEY,
        on_click="ignore",
        icon=":material/download:",
        type="primary",
        help=f"{int(count)} frames, {int(speed)} per second: output map, network and loss, "
        "with each frame's epoch.",
    )


def _render(run: TrainingRun, count: int, speed: int, size: str, log_loss: bool) -> bytes | str:
    """The GIF, with a progress bar while it renders; or the sentence saying why not."""
    bar = st.progress(0.0, text="Rendering the replay…")
    try:
        gif = replay.replay_gif(
            run,
            count,
            speed,
            theme=state.theme_type(),
            progress=lambda fraction: bar.progress(
                min(fraction, 1.0), text=f"Rendering the replay… {fraction:.0%}"
            ),
            log_loss=log_loss,
            size=size,
        )
    except ValueError as problem:  # a sentence (playground.replay)
        bar.empty()
        return str(problem)
    bar.empty()
    return gif
