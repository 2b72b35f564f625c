"""A diverged run's message in the Playground points to the lesson on exploding gradients and
clipping (issue 16), whose link opens that lesson."""

from __future__ import annotations

from test_playground_app import start

from teach.lessons import LESSONS
from ui.playground_page import DIVERGENCE_LESSON


def test_the_lesson_the_divergence_message_links_to_exists():
    assert "/Lessons?lesson=clipping" in DIVERGENCE_LESSON
    lesson = LESSONS["clipping"]
    assert any(v.settings.clip > 0 for v in lesson.variants)


def test_a_diverged_run_points_to_the_clipping_lesson():
    # The clipping lesson's own unclipped variant: learning rate 3 diverges in epoch 1.
    at = start(open_panels=False, dataset="circle", output="linear", loss="mse", lr="3")
    at.button(key="play").click().run()
    for _ in range(5):  # each run of the fragment trains a few frames (AppTest: one per run)
        if at.error:
            break
        at.run()
    assert at.error and "gradient clipping" in at.error[0].value
    assert "[Exploding gradients](/Lessons?lesson=clipping)" in at.error[0].value
