"""A live_plotly graph fed frames in batches (tests/browser/test_live_plotly.py).

Every run sends one call carrying frames a<n>, b<n>, c<n> (``later_frames``, 0.3 s
apart), n = how often "Send batch" was clicked.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import streamlit as st

_ROOT = str(pathlib.Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from ui.live_plotly import live_plotly  # noqa: E402

FIGURE = {
    "data": [{"type": "scatter", "x": [0, 1], "y": [0, 1], "mode": "markers"}],
    "layout": {"images": [{"source": "", "xref": "x", "yref": "y", "x": 0, "y": 1,
                           "sizex": 1, "sizey": 1, "sizing": "stretch", "layer": "below"}],
               "margin": {"l": 20, "r": 20, "t": 20, "b": 20}},
}  # fmt: skip


def frame(label: str, level: int) -> dict:
    picture = np.full((4, 4), level, dtype=np.uint8)
    return {
        "updates": {"layout": {"title.text": label}},
        "images": [{"index": 0, "values": picture}],
        "frame_id": label,
    }


def send(batch: int) -> None:
    first, *later = (frame(f"{name}{batch}", 60 * k) for k, name in enumerate("abc"))
    live_plotly(
        FIGURE,
        "v1",
        first["updates"],
        key="batched",
        height=300,
        images=first["images"],
        frame_id=first["frame_id"],
        later_frames=later,
        frame_spacing=0.3,
    )


count = st.session_state.setdefault("batches", 0)
if st.button("Send batch"):
    count = st.session_state["batches"] = count + 1
send(count)
