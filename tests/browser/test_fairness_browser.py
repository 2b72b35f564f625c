"""Sessions share one server fairly (issue 10, part 4): a heavy session does not starve light ones.

One page alone sets the light pace (the defaults: speed "auto", about 80 epochs/s); then a
heavy page (8 layers of 16 neurons, 500 epochs a frame) and three light pages play at once in
the same browser, and every light page must keep at least half of the pace it had alone. Both
measured in this one run, so a slow machine slows both sides alike.
"""

from __future__ import annotations

import time

import pytest
from test_playground_browser import APP, epoch, open_playground, press_play

pytestmark = pytest.mark.browser

HEAVY = "?hidden=16,16,16,16,16,16,16,16&speed=500"
LIGHT = ""  # the defaults
WARM_UP = 3.0  # s of play before measuring: the pace settles, the first frames are drawn
MEASURE = 8.0  # s


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def epochs_per_second(pages: list) -> list[float]:
    before = [epoch(p) for p in pages]
    started = time.monotonic()
    time.sleep(MEASURE)
    after = [epoch(p) for p in pages]
    elapsed = time.monotonic() - started
    return [(b - a) / elapsed for a, b in zip(before, after)]


def test_a_heavy_session_leaves_every_light_one_at_least_half_its_pace(browser, streamlit_url):
    streamlit_url(APP)  # the server, started before any page is timed
    alone = new_page(browser)
    open_playground(alone, streamlit_url, LIGHT)
    press_play(alone)
    time.sleep(WARM_UP)
    (pace_alone,) = epochs_per_second([alone])
    alone.context.close()

    heavy = new_page(browser)
    open_playground(heavy, streamlit_url, HEAVY)
    lights = [new_page(browser) for _ in range(3)]
    for light in lights:
        open_playground(light, streamlit_url, LIGHT)
    for page in [heavy, *lights]:
        press_play(page)
    time.sleep(WARM_UP)
    heavy_before = epoch(heavy)
    paces = epochs_per_second(lights)
    heavy_epochs = epoch(heavy) - heavy_before
    print(
        f"light pace alone {pace_alone:.0f} epochs/s; with a heavy session: "
        f"{', '.join(f'{p:.0f}' for p in paces)} epochs/s; heavy: "
        f"{heavy_epochs / MEASURE:.0f} epochs/s"
    )
    try:
        assert pace_alone > 20  # it played
        assert heavy_epochs > 0  # the heavy session trained too
        for pace in paces:
            assert pace >= 0.5 * pace_alone, (pace, pace_alone)
        for page in [heavy, *lights]:
            assert not page.errors
    finally:
        for page in [heavy, *lights]:
            page.context.close()
