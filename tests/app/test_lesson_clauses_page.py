"""AppTest: a lesson page lists its claim part by part, each ticked from the measured numbers,
and the back-prop page says it rounds by hand and uses row vectors (issue 16)."""

from __future__ import annotations

import pytest

from teach.lessons import LESSONS, SEED_PAIRS
from tests.app.test_teaching_pages import markdown_text, start


@pytest.mark.parametrize("slug", ["symmetry", "vanishing", "optimizers"])
def test_the_lesson_page_ticks_every_clause_of_its_claim(slug):
    at = start("Lessons", lesson=slug)
    lesson = LESSONS[slug]
    labels = [expander.label for expander in at.expander]
    assert f"The claim, part by part (tested on {len(SEED_PAIRS)} pairs of seeds)" in labels
    text = markdown_text(at)
    for clause in lesson.clauses:
        assert f"✓ {clause.words}" in text
    assert "✗" not in text


def test_the_backprop_page_says_how_it_rounds_and_that_vectors_are_rows():
    at = start("Backprop")
    text = markdown_text(at)
    assert "Vectors are rows" in text and "$z = xW + b$" in text
    caption = "\n".join(element.value for element in at.caption)
    assert "computed by hand from one another" in caption
