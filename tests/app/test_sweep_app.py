"""AppTest: the Sweep page runs a small sweep to its table, refuses bad input with a sentence,
and finds a sweep again from its link (a reload).

The page is pointed at an in-process Dask cluster by its address (``NEUROPLAY_DASK_SCHEDULER``,
the way a server is pointed at an existing cluster): threads start in well under a second.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.sweep_cluster import SCHEDULER_ENV, remote_client

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "app_pages" / "6_Sweep.py")
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache
WAIT_SECONDS = 60  # a 2×2 sweep of 20 epochs takes well under a second; a loaded box is slower


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address
        remote_client.clear()  # closes the page's client before its scheduler goes


@pytest.fixture
def page(scheduler, monkeypatch) -> AppTest:
    monkeypatch.setenv(SCHEDULER_ENV, scheduler)
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def set_up(at: AppTest, values1: str, values2: str, epochs: int = 20) -> AppTest:
    at.text_input(key="sweep_values_1").input(values1)
    at.text_input(key="sweep_values_2").input(values2)
    at.number_input(key="sweep_epochs").set_value(epochs)
    return at


def run_to_the_end(at: AppTest) -> AppTest:
    """Press Run, then rerun the page (as its progress fragment does) until the table is there."""
    at.button(key="sweep_run").click().run()
    assert not at.exception, at.exception
    deadline = time.monotonic() + WAIT_SECONDS
    while not at.get("download_button") and time.monotonic() < deadline:
        time.sleep(0.2)
        at.run()
    assert at.get("download_button"), "the sweep did not finish"
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(element.value for element in [*at.markdown, *at.caption])


def test_a_small_sweep_runs_to_its_table_and_is_found_again_from_its_link(page):
    at = run_to_the_end(set_up(page, "0.03, 0.3", "tanh; relu"))
    assert not at.error
    assert "4/4 runs" in at.get("progress")[0].proto.text
    text = markdown_text(at)
    assert text.count("test loss ") == 4  # one caption per cell
    assert text.count("[open](/?") == 4  # each a link to the run in the Playground
    assert "lr=0.3" in text and "activation=relu" in text and "stop_epoch=20" in text
    top = at.dataframe[0].value
    assert len(top) == 4 and list(top["test_loss"]) == sorted(top["test_loss"])
    assert at.get("plotly_chart")  # the heat map
    # A reload (a new session with the page's link) finds the results on the server.
    params = {key: at.query_params[key] for key in at.query_params}
    again = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    for key, value in params.items():
        again.query_params[key] = value[-1] if isinstance(value, list) else value
    again.run()
    assert not again.exception, again.exception
    assert again.text_input(key="sweep_values_1").value == "0.03, 0.3"
    assert again.get("download_button")
    assert markdown_text(again).count("test loss ") == 4


@pytest.mark.parametrize(
    ("values1", "values2", "words"),
    [
        ("-1, 0.1", "tanh; relu", "`lr=-1` is not one of the choices"),
        ("0.1", "tanh; relu", "Learning rate has one value (0.1)"),
        ("0.1, 0.1", "tanh; relu", "Learning rate lists 0.1 more than once"),
        ("0.03, 0.3", "tanh; softmax", "the activation must be one of"),
    ],
)
def test_bad_input_gets_a_sentence_and_nothing_is_submitted(page, values1, values2, words):
    at = set_up(page, values1, values2)
    at.button(key="sweep_run").click().run()
    assert not at.exception, at.exception
    errors = [error.value for error in at.error]
    assert len(errors) == 1 and words in errors[0] and "Nothing was submitted" in errors[0]
    assert not at.get("progress") and "base" not in at.query_params


def test_more_than_400_runs_are_refused_with_the_count(page):
    page.selectbox(key="sweep_axis_3").select("noise").run()
    at = set_up(page, "0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1", "tanh; relu; sigmoid; linear")
    at.text_input(key="sweep_values_3").input("0 10 20 30 40 50")
    at.number_input(key="sweep_seeds").set_value(3)
    at.button(key="sweep_run").click().run()
    assert "This sweep has 504 runs; the page runs at most 400" in at.error[0].value


def test_an_unreachable_scheduler_gets_a_message_and_the_local_choice(page):
    at = set_up(page, "0.03, 0.3", "tanh; relu")
    at.text_input(key="sweep_scheduler").input("tcp://127.0.0.1:9")  # nothing listens there
    at.button(key="sweep_run").click().run()
    assert not at.exception, at.exception
    assert "Could not reach a Dask scheduler at `tcp://127.0.0.1:9`" in at.error[0].value
    at.button(key="sweep_use_local").click().run()
    assert at.text_input(key="sweep_scheduler").value == ""


def test_the_base_setup_starts_as_this_sessions_playground_setup():
    from playground.settings import PlaygroundSettings

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    at.session_state["settings"] = PlaygroundSettings(dataset="xor", hidden=(5,), lr=0.3)
    at.switch_page("app_pages/6_Sweep.py").run()
    assert not at.exception, at.exception
    base = at.text_area(key="sweep_base").value
    assert "dataset=xor" in base and "hidden=5" in base and "lr=0.3" in base
