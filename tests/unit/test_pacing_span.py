"""A slowdown of the live view's frame rate goes to what the browser painted over the last few
reports, so one stall of the page (an Insight chart redrawn) does not halve it."""

from __future__ import annotations

import pytest

from playground.pacing import PACE_SPAN_REPORTS, ClientPacing, paced_rate


def report_every_2_s(pacing: ClientPacing, frames: list[tuple[int, int]]) -> list[float]:
    """Feeds reports 2 s apart: (sent, painted) frames in each; returns the rate after each."""
    painted, rates = 0, []
    pacing.update({"painted": 0, "t": 0.0})  # the baseline
    for k, (sent, drawn) in enumerate(frames, start=1):
        pacing.sent += sent
        painted += drawn
        rates.append(pacing.update({"painted": painted, "t": 2.0 * k}))
    return rates


def test_one_stalled_report_slows_to_the_pace_of_the_last_reports():
    pacing = ClientPacing(rate=10.0)
    # 10 frames/s painted in full twice, then a stall: 6 of 20 painted in one report.
    rates = report_every_2_s(pacing, [(20, 20), (20, 20), (20, 6)])
    assert rates[:2] == [12.5, 15.625]  # kept up: a quarter faster each time
    # 46 frames in 6 s: 1.1 x 7.67 = 8.4 frames/s; one report alone said 1.1 x 3 = 3.3.
    assert rates[2] == pytest.approx(1.1 * 46 / 6)
    assert paced_rate(15.625, sent=20, painted=6, seconds=2.0) == pytest.approx(3.3)


def test_a_browser_that_stays_slow_is_followed_within_the_span():
    pacing = ClientPacing(rate=10.0)
    rates = report_every_2_s(pacing, [(20, 20)] + [(20, 6)] * PACE_SPAN_REPORTS)
    assert rates[-1] == pytest.approx(1.1 * 3.0)  # only slow reports left in the span
