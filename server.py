"""NeuroPlay's server: app.py on Streamlit's server, plus an early start for Plotly.js.

    .venv/bin/streamlit run server.py     (what scripts/run.sh does)

``streamlit run`` sees the ``st.App`` below and serves app.py with the middleware of
ui/early_plotly.py, which lets a new visitor's browser fetch Plotly.js together with the page
instead of after Streamlit has built it. ``streamlit run app.py`` serves the same app without it.
With ``NEUROPLAY_DIAGNOSTICS=1`` it also answers ``/_neuroplay/memory`` (ui/diagnostics.py).
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from ui import diagnostics
from ui.early_plotly import EarlyPlotly

HERE = Path(__file__).resolve().parent

app = st.App(
    HERE / "app.py",
    middleware=[Middleware(EarlyPlotly, static_dir=HERE / "static")],
    routes=diagnostics.ROUTES,  # empty unless NEUROPLAY_DIAGNOSTICS=1 (bench/soak.py)
)
