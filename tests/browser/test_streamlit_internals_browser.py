"""Streamlit internals the live view relies on, pinned in real Chromium
(tests/unit/test_streamlit_internals.py checks the Python side of the same assumptions).

* ``ui/live.py`` ``_set_frame_interval``: a hand-built ``auto_rerun`` message for the running
  fragment makes Streamlit's browser side restart that fragment's timer at the new interval,
  with no full rerun (the pacing changes a playing session's run interval this way).
* ``ui/live_plotly`` ``_plotly_sources``: Plotly's own file is served through Streamlit's
  components v1 file route at ``component/<name>/plotly.min.js`` (apps without ``static/``).
"""

from __future__ import annotations

import re
import time

import pytest

APP = "tests/browser/apps/streamlit_internals_app.py"
RUNS = re.compile(r"Fragment runs: (\d+)")

pytestmark = pytest.mark.browser


def fragment_runs(page) -> int:
    match = RUNS.search(page.get_by_text(RUNS).first.inner_text())
    return int(match.group(1))


def test_an_auto_rerun_message_changes_the_interval_and_plotly_comes_by_the_file_route(
    page, streamlit_url
):
    page.goto(streamlit_url(APP))
    # Timeout: a fresh server's first script run; 60 s on a loaded 2-core box.
    page.get_by_text(RUNS).first.wait_for(timeout=60_000)
    first = fragment_runs(page)
    # 5 runs: 1 s at the asked 0.2 s (a few s on a loaded machine), never within 12 s at the
    # 5 s it started with (at most 3 runs).
    deadline = time.monotonic() + 12
    while (runs := fragment_runs(page) - first) < 5 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert runs >= 5, (
        f"The fragment ran {runs} times in 12 s: Streamlit's browser no longer restarts a "
        "fragment's timer on an auto_rerun message with its id (ui/live.py "
        "_set_frame_interval), so the live view's pace only changes on full reruns."
    )

    # Plotly's own file, served through the component file route (the same page: both pins
    # read the one app, which they once opened twice).
    # Timeout: preload_plotly's element hands over the URLs on the first script run.
    page.wait_for_function("window.__npLivePlotly?.sources?.length > 0", timeout=60_000)
    sources = page.evaluate("window.__npLivePlotly.sources")
    assert any("/component/" in source for source in sources), sources
    for source in sources:
        answer = page.evaluate(
            """async (url) => {
                const r = await fetch(url);
                return {status: r.status, type: r.headers.get('content-type') || '',
                        start: (await r.text()).slice(0, 200)};
            }""",
            source,
        )
        assert answer["status"] == 200 and "javascript" in answer["type"], (
            f"Streamlit no longer serves {source} (the components v1 file route that "
            f"ui/live_plotly _plotly_sources points at): {answer['status']} {answer['type']}"
        )
        assert "plotly.js" in answer["start"]
    # Timeout: the preloaded 4.8 MB file runs within a few seconds here.
    page.wait_for_function("typeof window.Plotly?.react === 'function'", timeout=30_000)
    assert page.errors == []
