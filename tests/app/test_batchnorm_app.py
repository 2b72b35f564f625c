"""AppTest: the Playground's batch normalisation toggle (issue 16) builds a batch-normalised
network and goes into the link; a batch of one point is refused with a sentence on the page,
and the user's setup stays."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.controls import key
from ui.playground_page import MORE_SETTINGS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache


def test_the_toggle_builds_a_normalised_network_and_a_batch_of_one_is_refused():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["batch"] = "25"
    at.session_state[MORE_SETTINGS] = True  # the toggle is in "More settings"
    at.run()
    assert not at.exception, at.exception
    assert not at.session_state["run"].model.architecture.batchnorm
    at.toggle(key=key("batchnorm")).set_value(True).run()
    assert not at.exception, at.exception
    run = at.session_state["run"]
    assert run.model.architecture.batchnorm and run.settings.batchnorm
    assert at.query_params["batchnorm"] in ("true", ["true"])
    at.button(key="step").click().run()
    assert at.session_state["run"].epoch == 1
    at.select_slider(key=key("batch")).set_value(1).run()
    assert not at.exception, at.exception
    # The warning's Markdown escapes punctuation (playground.quote.plain); it reads as text.
    shown = " ".join(warning.value.replace("\\", "") for warning in at.warning)
    assert (
        "That change could not be applied: Batch normalisation needs at least 2 points per "
        "mini-batch (it normalises with the batch's mean and variance); choose a larger batch "
        "size or turn batch normalisation off." in shown
    )
    assert at.session_state["run"].settings.batch == 25  # kept, not replaced by a default
    assert at.select_slider(key=key("batch")).value == 25
    assert at.session_state["run"].epoch == 1  # the run is kept too


def test_a_compare_lane_with_a_batch_of_one_on_a_normalised_base_gets_a_sentence():
    page = Path(APP).parent / "app_pages" / "5_Compare.py"
    at = AppTest.from_file(str(page), default_timeout=TIMEOUT)
    at.query_params["batchnorm"] = "on"
    at.query_params["lanes"] = "batch:5|batch:1"  # lane B's batch is refused by the link
    at.run()
    assert not at.exception, at.exception
    comparison = at.session_state["compare"].comparison
    assert [run.settings.batch for run in comparison.runs] == [5, 10]
    assert all(run.model.architecture.batchnorm for run in comparison.runs)
    at.multiselect(key="compare_1_vary").set_value(["batch", "lr"]).run()
    at.selectbox(key="compare_1_batch").set_value(1).run()  # and by the lane's control
    assert not at.exception, at.exception
    shown = " ".join(warning.value.replace("\\", "") for warning in at.warning)
    assert "Lane B: Batch normalisation needs at least 2 points per mini-batch" in shown
    assert "choose a larger batch size or turn batch normalisation off." in shown
    assert at.session_state["compare"].comparison.runs[1].settings.batch == 10
