"""The app's pages: the Playground at ``/`` and one teaching page per file in ``app_pages/``.

``app.py`` builds its ``st.navigation`` from :func:`teaching_pages`, and the tests take the
same list, so a new file ``app_pages/5_Name.py`` is served at ``/Name`` and smoke-tested
(tests/app/test_teaching_pages.py, tests/browser/test_every_page_browser.py) with no other edit.

The folder is not called ``pages/``: next to the main script, that name switches on Streamlit's
older multipage mode, in which the first visitor of a fresh server who opens ``/Lessons``
directly gets the page run on its own (a sidebar reading "app", Lessons, ...) instead of
through ``st.navigation``. tests/unit/test_navigation.py keeps the name away.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "app_pages"
PLAYGROUND_TITLE = "Playground"  # the default page, at "/"


@dataclass(frozen=True)
class TeachingPage:
    path: Path  # the page's script
    title: str  # its name in the sidebar
    url_path: str  # served at /<url_path>


def teaching_pages() -> list[TeachingPage]:
    """Every ``app_pages/<n>_<Name>.py``, in the order of ``<n>``, served at ``/<Name>``."""
    pages = []
    for path in sorted(PAGES_DIR.glob("[0-9]*_*.py"), key=lambda p: int(p.stem.split("_")[0])):
        name = path.stem.split("_", 1)[1]
        pages.append(TeachingPage(path=path, title=name.replace("_", " "), url_path=name))
    return pages
