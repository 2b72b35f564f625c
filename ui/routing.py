"""Every page goes through app.py's ``st.navigation``, even on a first load straight to it.

Streamlit still supports its older multipage mode, in which each file in ``pages/`` is run
on its own and the main script shows in the sidebar as "app".  It switches that mode off
for the whole process the first time a script calls ``st.navigation``; but when the first
visitor of a freshly started server opens ``/Lessons`` directly, the old mode runs
``pages/1_Lessons.py`` by itself (sidebar: "app", Lessons, ...).  ``route_through_app``,
called first by every page, notices that case and reruns through app.py instead.
"""

from __future__ import annotations

import streamlit as st


def route_through_app() -> None:
    """Rerun through app.py's navigation if Streamlit ran this page in its old mode."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without it has no old mode to leave
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        # What st.navigation itself sets: the pages/ folder is not a list of pages here.
        PagesManager.uses_pages_directory = False
        st.rerun()
