"""NeuroPlay: the Playground (the app's main page). Lessons and explorers live in pages/."""

import pandas  # noqa: F401  (imported eagerly: two sessions importing it lazily at once crashed a run)
import streamlit as st

from ui.playground import render

st.set_page_config(page_title="NeuroPlay — Playground", page_icon="🧠", layout="wide")
st.title("NeuroPlay", anchor=False)
st.caption("Train a small neural network in your browser and watch it learn.")
render()
