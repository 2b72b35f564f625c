"""Lessons are complete, their links open the Playground in exactly their state, and their
figures build from their runs."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import plotly.graph_objects as go
import pytest

from playground.settings import PlaygroundSettings
from teach.lesson_figures import FIGURES
from teach.lessons import LESSON_LIST, LESSONS, lesson_label


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](\s|$)", text))


@pytest.mark.parametrize("lesson", LESSON_LIST, ids=lambda lesson: lesson.slug)
def test_lesson_has_every_part(lesson):
    assert lesson.title and lesson.look_for and lesson.try_next and lesson.claim
    assert 2 <= sentences(lesson.story) <= 4, lesson.story
    assert len(lesson.variants) >= 2
    assert len({v.key for v in lesson.variants}) == len(lesson.variants)
    assert lesson.figures and all(name in FIGURES for name in lesson.figures)
    assert lesson.readouts
    assert lesson_label(lesson.slug).startswith(f"{lesson.number}. ")


def test_lessons_are_numbered_in_order():
    assert [lesson.number for lesson in LESSON_LIST] == list(range(1, len(LESSON_LIST) + 1))
    assert len(LESSONS) == len(LESSON_LIST)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(v, id=f"{lesson.slug}-{v.key}")
        for lesson in LESSON_LIST
        for v in lesson.variants
    ],
)
def test_playground_link_restores_the_lesson_settings_exactly(variant):
    link = variant.playground_link()
    parts = urlsplit(link)
    assert parts.path == "/"  # the Playground is the app's root page
    params = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    restored, problems = PlaygroundSettings.from_query_params(params)
    assert problems == []
    assert restored == variant.settings
    # The settings are consistent as they are (no value would be replaced).
    assert variant.settings.normalized() == (variant.settings, [])


@pytest.mark.parametrize("lesson", LESSON_LIST, ids=lambda lesson: lesson.slug)
def test_playground_stops_where_the_lesson_measures(lesson):
    for variant in lesson.variants:
        assert variant.settings.stop_epoch == lesson.epochs


@pytest.mark.parametrize("lesson", LESSON_LIST, ids=lambda lesson: lesson.slug)
def test_readouts_and_figures_come_from_the_run(lesson):
    run = lesson.run()
    numbers = lesson.measure(run)
    for readout in lesson.readouts:
        assert readout.key in numbers
        assert readout.text(numbers)
    for name in lesson.figures:
        figure = FIGURES[name](run)
        assert isinstance(figure, go.Figure)
        assert figure.data
