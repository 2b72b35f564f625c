"""Compare: 2–4 runs of the Playground's setup side by side, each with a few settings changed,
trained in step on the same data from the same initial weights (ui/compare_page.py)."""

import streamlit as st

from ui.compare_page import render

# The lanes need the width: a projector shows three lanes and the loss chart side by side.
st.set_page_config(
    page_title="NeuroPlay — Compare",
    page_icon="🧠",
    layout="wide",
    initial_sidebar_state="collapsed",
)
render()
