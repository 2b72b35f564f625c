"""Click until the page shows the click's effect: one helper for the browser tests.

A click that lands while an earlier rerun (an expander opening, the first frames of Play) is
still redrawing the page can be lost: the element clicked is replaced, or the rerun draws the
old state back. A person sees nothing happen and clicks again; so do these tests.
"""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout


def click_until(target, shown, *, tries: int = 3, timeout: float = 15_000) -> None:
    """Click the ``target`` locator until the ``shown`` locator is visible, at most ``tries``
    times, waiting ``timeout`` ms after each click. When the wait runs out and the target is
    no longer there to click (the click was not lost, something else happened), or after the
    last try, the wait's error is raised."""
    for attempt in range(tries):
        target.click()
        try:
            shown.wait_for(timeout=timeout)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1 or not target.is_visible():
                raise
