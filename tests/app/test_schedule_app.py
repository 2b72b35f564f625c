"""The learning-rate schedule in the Playground: its link, its controls, the rate in the caption."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from playground.frames import metrics_line
from playground.run import build_run, train_chunk
from playground.settings import PlaygroundSettings
from ui.controls import key
from ui.playground_page import MORE_SETTINGS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache


def start(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.session_state[MORE_SETTINGS] = True  # the schedule's controls are in More settings
    at.run()
    assert not at.exception, at.exception
    return at


def keys(at: AppTest) -> set[str]:
    return {widget.key for kind in ("selectbox", "select_slider") for widget in at.get(kind)}


def test_a_schedule_shows_only_its_parameters_and_goes_into_the_link():
    at = start(optimizer="adadelta", lr="1")
    assert at.selectbox(key=key("optimizer")).value == "adadelta"
    schedule = {key(name) for name in ("decay_epochs", "decay_rate", "final_fraction")}
    assert key("schedule") in keys(at) and key("warmup") in keys(at)
    assert not schedule & keys(at)  # constant: nothing to set
    at.selectbox(key=key("schedule")).set_value("cosine").run()
    assert schedule & keys(at) == {key("decay_epochs"), key("final_fraction")}
    assert at.query_params["schedule"] in ("cosine", ["cosine"])
    at.select_slider(key=key("final_fraction")).set_value(0.1).run()
    assert at.query_params["final_fraction"] in ("0.1", ["0.1"])
    assert at.session_state["run"].trainer.config.final_fraction == 0.1  # applied live
    at.selectbox(key=key("schedule")).set_value("step").run()
    assert schedule & keys(at) == {key("decay_epochs"), key("decay_rate")}


def test_a_bad_schedule_in_a_link_gets_a_sentence_and_the_rest_survives():
    at = start(schedule="linear", warmup="7", lr="0.1")
    text = " ".join(element.value for element in at.warning) + " ".join(
        element.value for element in at.markdown
    )
    assert "There is no learning-rate schedule called `linear`" in text
    assert "`warmup=7` is not one of the choices; using 0 instead." in text
    assert at.selectbox(key=key("schedule")).value == "constant"
    assert at.selectbox(key=key("lr")).value == 0.1


def test_the_caption_shows_the_rate_of_the_next_epoch_only_with_a_schedule():
    run = build_run(PlaygroundSettings(lr=0.1, warmup=10))
    assert "learning rate 0.00909" in metrics_line(run)  # epoch 0 of 10 warm-up: η/11
    train_chunk(run, 4)
    assert "learning rate 0.0455" in metrics_line(run)  # epoch 4: 5/11 of η
    assert "learning rate" not in metrics_line(build_run(PlaygroundSettings(lr=0.1)))


def test_the_optimisers_lesson_shows_every_update_rule_and_the_schedules_lesson_its_formulas():
    from teach.optimizer_paths import UPDATE_RULES
    from tests.app.test_teaching_pages import start as open_page

    at = open_page("Lessons", lesson="optimizers")
    shown = [element.value.strip("$\n") for element in at.latex]  # st.latex wraps it in $$
    assert shown == [formula for _, formula in UPDATE_RULES]
    assert r"\hat m = \frac{m}{1-\beta_1^t}" in shown[-1]  # Adam with its bias correction
    text = " ".join(element.value for element in at.markdown)
    assert all(f"**{name}**" in text for name, _ in UPDATE_RULES)
    at = open_page("Lessons", lesson="schedules")
    assert not at.error and len(at.latex) == 4
