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
RENDER_KEY = "replay_render"
DOWNLOAD_KEY = "replay_download"
_MADE = "_replay_gif"  # ((id of the run's recorder, epoch, frames, speed), GIF bytes | sentence)


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
    made_for = (id(run.snapshots), run.epoch, int(count), int(speed))
    if row.button("Render the replay", key=RENDER_KEY, icon=":material/movie:"):
        st.session_state[_MADE] = (made_for, _render(run, int(count), int(speed)))
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


def _render(run: TrainingRun, count: int, speed: int) -> bytes | str:
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
        )
    except ValueError as problem:  # a sentence (playground.replay)
        bar.empty()
        return str(problem)
    bar.empty()
    return gif
