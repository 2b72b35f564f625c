"""AppTest: every teaching page loads without exceptions, and its key interactions work —
pick a lesson, pick an activation, step through back-prop, move a logit slider."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from playground.settings import PlaygroundSettings
from teach.lessons import LESSON_LIST, LESSONS
from ui.navigation import teaching_pages

ROOT = Path(__file__).resolve().parents[2]
# The app's own list (app.py's navigation): a new page is smoke-tested with no edit here.
PAGES = {page.url_path: page for page in teaching_pages()}
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache


def start(name: str, **query) -> AppTest:
    """The teaching page served at ``/<name>``, run on its own (``app.py``: the app)."""
    path = PAGES[name].path if name in PAGES else ROOT / name
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(element.value for element in at.markdown)


def metric_values(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def query_value(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_through_the_apps_navigation_without_exceptions(name):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception  # the Playground, the default page
    at.switch_page(str(PAGES[name].path.relative_to(ROOT))).run()
    assert not at.exception, at.exception
    assert not at.error
    assert at.title  # the page's own heading, not the Playground's


# ---------------------------------------------------------------- Lessons


def test_lessons_page_shows_the_first_lesson_with_its_numbers_and_links():
    at = start("Lessons")
    first = LESSON_LIST[0]
    assert at.selectbox(key="lesson").value == first.slug
    assert at.subheader[0].value == f"1. {first.title}"
    assert set(metric_values(at)) == {readout.label for readout in first.readouts}
    urls = [button.proto.url for button in at.link_button]
    assert urls == [variant.playground_link() for variant in first.variants]
    assert len(at.get("plotly_chart")) == len(first.figures)


def test_picking_a_lesson_shows_it_and_puts_it_in_the_link():
    at = start("Lessons")
    at.selectbox(key="lesson").set_value("optimizers").run()
    assert not at.exception
    lesson = LESSONS["optimizers"]
    assert at.subheader[0].value == f"{lesson.number}. {lesson.title}"
    assert query_value(at, "lesson") == "optimizers"
    assert "Final loss, Adam" in metric_values(at)


def test_next_and_previous_buttons_walk_through_the_lessons():
    at = start("Lessons")
    at.button(key="lesson_next").click().run()
    assert at.selectbox(key="lesson").value == LESSON_LIST[1].slug
    at.button(key="lesson_next").click().run()
    at.button(key="lesson_previous").click().run()
    assert at.selectbox(key="lesson").value == LESSON_LIST[1].slug
    assert query_value(at, "lesson") == LESSON_LIST[1].slug


@pytest.mark.parametrize("lesson", LESSON_LIST, ids=lambda lesson: lesson.slug)
def test_every_lesson_renders_from_its_link(lesson):
    at = start("Lessons", lesson=lesson.slug)
    assert at.selectbox(key="lesson").value == lesson.slug
    assert not at.error
    assert len(at.get("plotly_chart")) == len(lesson.figures)
    assert len(at.link_button) == len(lesson.variants)


def test_unknown_lesson_in_the_link_gets_a_sentence_not_a_traceback():
    at = start("Lessons", lesson="no-such-lesson")
    assert "no lesson called" in at.info[0].value
    assert at.selectbox(key="lesson").value == LESSON_LIST[0].slug


@pytest.mark.parametrize(("slug", "variant_index"), [("xor", 1), ("softmax", 0)])
def test_lesson_link_opens_the_playground_in_the_lesson_state(slug, variant_index):
    variant = LESSONS[slug].variants[variant_index]
    query = {k: v[-1] for k, v in parse_qs(urlsplit(variant.playground_link()).query).items()}
    at = start("app.py", **query)
    assert not at.warning  # every value in the link was usable
    settings = at.session_state["settings"]
    assert isinstance(settings, PlaygroundSettings)
    assert settings == variant.settings


# ---------------------------------------------------------------- Activations


def test_picking_activations_updates_both_columns():
    at = start("Activations")
    assert at.selectbox(key="activation_left").value == "tanh"
    assert at.selectbox(key="activation_right").value == "sigmoid"
    assert "z < −2.99 and z > 2.99" in markdown_text(at)
    at.selectbox(key="activation_left").set_value("relu").run()
    at.selectbox(key="activation_right").set_value("leaky_relu").run()
    assert not at.exception
    text = markdown_text(at)
    assert "z < 0" in text and "nowhere on [−6, 6]" in text
    assert len(at.get("plotly_chart")) == 2


# ---------------------------------------------------------------- Back-prop


def phase_heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Step "))


def test_backprop_steps_forward_and_back_through_every_phase():
    at = start("Backprop")
    assert phase_heading(at).startswith("**Step 1 of 8")
    for step in range(2, 9):
        at.button(key="backprop_next").click().run()
        assert not at.exception
        assert phase_heading(at).startswith(f"**Step {step} of 8")
    assert at.button(key="backprop_next").disabled
    assert "With the new weights the loss on this sample goes from" in markdown_text(at)
    at.button(key="backprop_back").click().run()
    assert phase_heading(at).startswith("**Step 7 of 8")
    at.button(key="backprop_restart").click().run()
    assert phase_heading(at).startswith("**Step 1 of 8")
    assert at.button(key="backprop_back").disabled


def test_backprop_edited_weight_changes_the_forward_pass():
    at = start("Backprop")
    at.button(key="backprop_next").click().run()  # forward: hidden layer
    at.session_state["backprop_hidden_editor"] = {
        "edited_rows": {0: {"h₁": 2.5}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "z_{h_1} = 2.500\\cdot1.000" in markdown_text(at)


def test_backprop_empty_weight_cell_gets_a_sentence():
    at = start("Backprop")
    at.session_state["backprop_hidden_editor"] = {
        "edited_rows": {1: {"h₂": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "must be a number between" in at.error[0].value


def test_backprop_softmax_and_continuing_from_the_new_weights():
    at = start("Backprop")
    at.selectbox(key="backprop_output").set_value("softmax").run()
    at.selectbox(key="backprop_outputs_softmax").set_value(3).run()
    at.selectbox(key="backprop_true_class").set_value(2).run()
    for _ in range(7):
        at.button(key="backprop_next").click().run()
    assert not at.exception
    text = markdown_text(at)
    before_after = text.split("goes from ")[1]
    before, after = (float(part.strip("*. ")) for part in before_after.split("\n")[0].split(" to "))
    assert after < before  # one small step downhill
    at.button(key="backprop_keep").click().run()
    assert not at.exception
    assert phase_heading(at).startswith("**Step 2 of 8")


# ---------------------------------------------------------------- Softmax


def test_moving_a_logit_slider_changes_probabilities_and_losses():
    at = start("Softmax")
    before = metric_values(at)
    assert before["Predicted"] == "class 1"
    at.slider(key="softmax_logit_2").set_value(4.0).run()
    assert not at.exception
    after = metric_values(at)
    assert after["Predicted"] == "class 3"
    assert float(after["p(true class)"]) < float(before["p(true class)"])
    assert float(after["Cross-entropy"]) > float(before["Cross-entropy"])


def test_changing_the_true_class_and_the_number_of_classes():
    at = start("Softmax")
    at.selectbox(key="softmax_true_class_3").set_value(2).run()
    assert metric_values(at)["p(true class)"] == "0.099"
    at.selectbox(key="softmax_classes").set_value(5).run()
    assert not at.exception
    assert len(at.slider) == 5
    at.selectbox(key="softmax_classes").set_value(2).run()
    assert "two classes" in "\n".join(m.value for m in at.markdown)


def test_confidently_wrong_button_sets_the_logits():
    at = start("Softmax")
    at.button(key="softmax_confidently_wrong").click().run()
    assert not at.exception
    assert at.slider(key="softmax_logit_0").value == -4.0
    assert at.slider(key="softmax_logit_1").value == 5.0
    assert metric_values(at)["Predicted"] == "class 2"
