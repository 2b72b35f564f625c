"""The Streamlit internals the live view leans on, exercised alone
(tests/browser/test_streamlit_internals_browser.py).

* A fragment started with ``run_every=SLOW`` s asks, from its own first run, for ``FAST`` s with
  ``ui.live._set_frame_interval`` (a hand-built ``auto_rerun`` message, what
  ``st.fragment(run_every=...)`` sends): the line below counts the fragment's runs.
* ``preload_plotly`` hands the browser the Plotly.js URLs of ``_plotly_sources``; this app's
  folder has no ``static/``, so the only one is Plotly's own file through Streamlit's
  components v1 file route.
"""

from __future__ import annotations

import pathlib
import sys

import streamlit as st

_ROOT = str(pathlib.Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from ui.live import _set_frame_interval  # noqa: E402
from ui.live_plotly import preload_plotly  # noqa: E402

SLOW = 5.0  # s: the interval the fragment starts with
FAST = 0.2  # s: the interval it asks for

preload_plotly()


@st.fragment(run_every=SLOW)
def ticker() -> None:
    runs = st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    st.markdown(f"Fragment runs: {runs}")
    _set_frame_interval(FAST)


ticker()
