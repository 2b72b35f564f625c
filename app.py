"""NeuroPlay's entry point: it only routes. The Playground is the main page (at ``/``);
the teaching pages are the files in ``pages/`` (``pages/1_Lessons.py`` is ``/Lessons``)."""

from pathlib import Path

import pandas  # noqa: F401  (imported eagerly: two sessions importing it lazily at once crashed a run)
import streamlit as st

from ui.playground_page import playground_page

PAGES_DIR = Path(__file__).parent / "pages"


def teaching_pages() -> list:
    """Every ``pages/<n>_<Name>.py``, in order, served at ``/<Name>``."""
    pages = []
    for path in sorted(PAGES_DIR.glob("[0-9]*_*.py")):
        name = path.stem.split("_", 1)[1]
        pages.append(st.Page(path, title=name.replace("_", " "), url_path=name))
    return pages


st.set_page_config(page_title="NeuroPlay", page_icon="🧠", layout="wide")
playground = st.Page(playground_page, title="Playground", icon=":material/hub:", default=True)
st.navigation([playground, *teaching_pages()]).run()
