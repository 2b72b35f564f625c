"""Challenges: tasks with a goal checked from the run's numbers, each opened in the Playground
with its constraints locked (ui/challenges_page.py)."""

import streamlit as st

from ui.challenges_page import render

st.set_page_config(page_title="NeuroPlay — Challenges", page_icon="🧠", layout="wide")
render()
