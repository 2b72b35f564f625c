"""Wait until the page stops moving something: one helper for the browser tests.

Streamlit reports a script run over before the browser has mounted its last elements, and the
widgets' code loads after the graph is drawn (the layer row then grows and moves the view): a
look taken at once can see a page still settling.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

Value = TypeVar("Value")


def steady(page, read: Callable[[], Value], *, every_ms: int, seconds: float) -> Value:
    """``read()`` once three looks ``every_ms`` apart agree, or its last value after
    ``seconds`` (the caller's assertions then see what is there)."""
    values, deadline = [read()], time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.wait_for_timeout(every_ms)
        values.append(read())
        if values[-3:] == [values[-1]] * 3:
            break
    return values[-1]
