"""AppTest: a link full of Markdown and HTML gets one warning that quotes every value as code,
keeps the link's usable values, and leaves a working page (issue 10, part 1).

AppTest sees the Markdown source the page is sent; what Chromium makes of it is
tests/browser/test_injection_browser.py's job."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from playground.quote import code, visible
from teach.lessons import LESSON_LIST
from tests.hostile_text import EVIL, HOSTILE_VALUES, split_code_spans

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache


def start(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_hostile_link_gets_one_warning_with_every_value_as_code():
    hostile = {
        "dataset": HOSTILE_VALUES["link"],
        "noise": HOSTILE_VALUES["image"],
        "lr": HOSTILE_VALUES["10 kB"],
        "hidden": HOSTILE_VALUES["table"],
        "palette": HOSTILE_VALUES["img tag"],
        "features": HOSTILE_VALUES["javascript url"],
        "output": HOSTILE_VALUES["backticks"],
    }
    at = start("app.py", **hostile, activation="relu", optimizer="adam", ratio="70")
    assert len(at.warning) == 1
    outside, spans = split_code_spans(at.warning[0].value)
    assert EVIL not in outside and "window" not in outside
    shown = " ".join(spans)
    for value in hostile.values():
        # Each value is quoted (some after its key, "lr=…"), cut to a few dozen characters.
        assert visible(value)[:20].lower() in shown.lower(), value
    settings = at.session_state["settings"]
    assert (settings.dataset, settings.noise, settings.lr, settings.hidden) == (
        "circle",
        0,
        0.03,
        (4, 2),
    )
    # The usable values of the same link are kept.
    assert (settings.activation, settings.optimizer, settings.ratio) == (("relu",), "adam", 70)
    at.button(key="play").click().run()  # the page still works
    assert not at.exception and at.session_state["run"].epoch > 0


def test_a_hostile_lesson_name_is_quoted_as_code():
    value = HOSTILE_VALUES["link"]
    at = start("app_pages/1_Lessons.py", lesson=value)
    assert at.info[0].value == (
        f"There is no lesson called {code(value)}, so here is the first one."
    )
    assert not at.error
    # The address names the lesson shown, not the value sent.
    assert at.query_params["lesson"] in (LESSON_LIST[0].slug, [LESSON_LIST[0].slug])
