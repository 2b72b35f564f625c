"""The app's page list (ui/navigation.py): what app.py serves and the tests smoke-test."""

from __future__ import annotations

from ui.navigation import PAGES_DIR, ROOT, teaching_pages


def test_every_page_file_is_a_teaching_page_in_its_order():
    pages = teaching_pages()
    files = sorted(PAGES_DIR.glob("*.py"))
    assert files, f"no page files in {PAGES_DIR}: the smoke tests would test nothing"
    assert sorted(page.path for page in pages) == files, (
        "every file in app_pages/ must be named <n>_<Name>.py to be served"
    )
    numbers = [int(page.path.stem.split("_")[0]) for page in pages]
    assert numbers == sorted(numbers)
    assert len({page.url_path for page in pages}) == len(pages)
    assert all(page.url_path and "/" not in page.url_path for page in pages)


def test_the_page_folder_is_not_named_pages():
    # Streamlit (1.67: PagesManager) switches on its older multipage mode when a folder named
    # pages/ sits next to the main script; a fresh server's first visitor opening /Lessons
    # directly then gets that page run on its own, outside app.py's st.navigation.
    assert not (ROOT / "pages").exists(), (
        "A pages/ folder next to app.py turns on Streamlit's old multipage mode for the first "
        "visitor of a fresh server: keep the teaching pages in app_pages/ (ui/navigation.py)."
    )
