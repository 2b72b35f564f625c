"""NeuroPlay with its own memory accounting, for bench/soak.py.

    NEUROPLAY_DIAGNOSTICS=1 .venv/bin/streamlit run server.py

``streamlit run`` sees the ``st.App`` below and serves app.py (what scripts/run.sh serves)
with one more route, ``/_neuroplay/memory`` (ui/diagnostics.py), when the environment sets
``NEUROPLAY_DIAGNOSTICS=1``; without it the app is app.py alone.
"""

from pathlib import Path

import streamlit as st

from ui import diagnostics

HERE = Path(__file__).resolve().parent

app = st.App(HERE / "app.py", routes=diagnostics.ROUTES)
