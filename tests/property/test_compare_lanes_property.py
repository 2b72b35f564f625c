"""Hypothesis: any lanes a page can make survive the link, and any text in ``lanes=`` gives
2–4 usable lanes without raising."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from playground.compare import (
    LANE_SETTINGS,
    MAX_LANES,
    MIN_LANES,
    Lane,
    lanes_from_text,
    lanes_to_text,
)
from playground.settings import SETTING, PlaygroundSettings

BASE = PlaygroundSettings()
hidden = st.lists(st.integers(1, engine.MAX_UNITS_PER_LAYER), max_size=engine.MAX_HIDDEN_LAYERS)
VALUES = {
    "hidden": hidden.map(tuple),
    "activation": st.sampled_from(list(engine.HIDDEN_ACTIVATIONS)).map(lambda name: (name,)),
    **{
        name: st.sampled_from(SETTING[name].choices)
        for name in LANE_SETTINGS
        if name not in ("hidden", "activation")
    },
}


@st.composite
def lanes(draw) -> tuple[Lane, ...]:
    count = draw(st.integers(MIN_LANES, MAX_LANES))
    made = []
    for _ in range(count):
        names = draw(st.lists(st.sampled_from(list(LANE_SETTINGS)), unique=True))
        lane = Lane()
        for name in names:
            lane = lane.with_value(name, draw(VALUES[name]))
        made.append(lane)
    return tuple(made)


@settings(max_examples=150, deadline=None)
@given(lanes())
def test_lanes_round_trip_through_the_link(made):
    assert lanes_from_text(lanes_to_text(made), BASE) == (made, [])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("lr:0.3|;-,hidden8activationrelu,xyz%<>"), max_size=60))
def test_any_lanes_text_gives_usable_lanes_and_never_raises(text):
    read, problems = lanes_from_text(text, BASE)
    assert MIN_LANES <= len(read) <= MAX_LANES
    for lane in read:
        settings_of_lane = lane.settings(BASE)
        assert settings_of_lane.normalized() == (settings_of_lane, [])
    # What was read is written back and reads the same, with nothing left to complain about.
    assert lanes_from_text(lanes_to_text(read), BASE) == (read, [])
    assert all(isinstance(problem, str) and problem for problem in problems)
