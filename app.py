"""NeuroPlay's entry point: it only routes. The Playground is the main page (at ``/``); the
teaching pages are the files in ``app_pages/`` (``app_pages/1_Lessons.py`` is ``/Lessons``),
listed by ``ui/navigation.py``."""

import pandas  # noqa: F401  (imported eagerly: two sessions importing it lazily at once crashed a run)
import streamlit as st

from ui.navigation import PLAYGROUND_TITLE, teaching_pages
from ui.playground_page import playground_page

st.set_page_config(page_title="NeuroPlay", page_icon="🧠", layout="wide")
playground = st.Page(playground_page, title=PLAYGROUND_TITLE, icon=":material/hub:", default=True)
lessons = [st.Page(p.path, title=p.title, url_path=p.url_path) for p in teaching_pages()]
st.navigation([playground, *lessons]).run()
