"""AppTest: the Playground page loads, every control reaches the settings and the URL,
bad links get a warning (never an exception), and the live fragment trains when playing.

AppTest never fires ``run_every``: each ``at.run()`` executes the fragment once, which is
how these tests drive the live loop.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground.frames import current_figure, view_spec
from ui.playground_page import MORE_SETTINGS, WEIGHT_EDITOR

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache


def start(open_panels: bool = True, **query) -> AppTest:
    """The Playground after its first run; ``open_panels``: with both expanders open (their
    widgets are built only while open)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    if open_panels:
        at.session_state[MORE_SETTINGS] = True
        at.session_state[WEIGHT_EDITOR] = True
    at.run()
    assert not at.exception, at.exception
    return at


def newest_caption(at: AppTest) -> dict:
    """The caption line of the live view's newest frame (what the page shows once painted)."""
    for element in at.get("bidi_component"):
        if element.proto.component_name.endswith("neuroplay_live_plotly"):
            data = json.loads(element.proto.json)
            if data.get("preload"):
                continue
            frames = [data, *(data.get("later") or [])]
            return frames[-1]["caption"]
    raise AssertionError("no live view on the page")


def epoch_of(at: AppTest) -> int:
    return int(newest_caption(at)["data"]["epoch"])


def metrics_text(at: AppTest) -> str:
    return newest_caption(at)["text"]


def test_page_loads_with_tensorflow_playground_defaults():
    at = start()
    assert at.query_params["dataset"] == ["circle"] or at.query_params["dataset"] == "circle"
    assert at.selectbox(key="control_lr").value == 0.03
    assert at.selectbox(key="control_activation").value == "tanh"
    assert at.number_input(key="control_units_0").value == 4
    assert at.number_input(key="control_units_1").value == 2
    assert epoch_of(at) == 0
    assert not at.warning


def test_invalid_query_values_give_one_warning_and_defaults():
    at = start(dataset="nonsense", lr="banana", hidden="4,99", noise="7")
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert "banana" in text and "nonsense" in text
    assert at.selectbox(key="control_dataset").value == "circle"
    assert at.selectbox(key="control_lr").value == 0.03
    assert at.number_input(key="control_units_0").value == 4


def test_link_restores_setup():
    at = start(dataset="spiral", hidden="8,8", activation="relu", lr="0.01", noise="10")
    assert at.selectbox(key="control_dataset").value == "spiral"
    assert at.selectbox(key="control_activation").value == "relu"
    assert at.selectbox(key="control_lr").value == 0.01
    assert at.select_slider(key="control_noise").value == 10
    assert [at.number_input(key=f"control_units_{i}").value for i in range(2)] == [8, 8]


@pytest.mark.parametrize(
    ("kind", "key", "value", "query_key", "query_value"),
    [
        ("selectbox", "control_lr", 0.1, "lr", "0.1"),
        ("selectbox", "control_activation", "relu", "activation", "relu"),
        ("selectbox", "control_reg", "l2", "reg", "l2"),
        ("selectbox", "control_reg_rate", 0.01, "reg_rate", "0.01"),
        ("selectbox", "control_dataset", "xor", "dataset", "xor"),
        ("select_slider", "control_ratio", 70, "ratio", "70"),
        ("select_slider", "control_noise", 25, "noise", "25"),
        ("select_slider", "control_batch", 30, "batch", "30"),
        ("toggle", "control_show_test", True, "show_test", "true"),
        ("toggle", "control_discretize", True, "discretize", "true"),
        ("selectbox", "control_output", "sigmoid", "output", "sigmoid"),
        ("selectbox", "control_init", "xavier_uniform", "init", "xavier_uniform"),
        ("selectbox", "control_optimizer", "adam", "optimizer", "adam"),
        ("select_slider", "control_dropout", 0.2, "dropout", "0.2"),
        ("select_slider", "control_clip", 1.0, "clip", "1"),
        ("selectbox", "control_speed", 50, "speed", "50"),
        ("selectbox", "control_palette", "colorblind", "palette", "colorblind"),
    ],
)
def test_every_control_updates_settings_and_url(kind, key, value, query_key, query_value):
    at = start()
    widget = getattr(at, kind)(key=key)
    if kind in ("toggle", "select_slider"):
        widget.set_value(value).run()
    else:
        widget.select(value).run()
    assert not at.exception, at.exception
    assert at.session_state["settings"].to_query_params()[query_key] == query_value
    assert at.query_params[query_key] in (query_value, [query_value])


def test_features_and_layers_change_the_network():
    at = start()
    at.button(key="add_layer").click().run()
    assert at.session_state["settings"].hidden == (4, 2, 2)
    at.number_input(key="control_units_2").set_value(5).run()
    assert at.session_state["settings"].hidden == (4, 2, 5)
    at.button(key="remove_layer").click().run()
    assert at.query_params["hidden"] in ("4,2", ["4,2"])
    at.pills(key="control_features").set_value(["x1", "x2", "x1_sq"]).run()
    assert at.session_state["run"].model.layer_sizes == (3, 4, 2, 1)


def test_play_trains_each_fragment_run_and_pause_stops():
    at = start(dataset="xor")
    at.button(key="play").click().run()
    first = epoch_of(at)
    at.run()
    assert epoch_of(at) > first >= 1
    at.button(key="play").click().run()  # now "Pause"
    paused = epoch_of(at)
    at.run()
    assert epoch_of(at) == paused


def test_step_trains_exactly_one_epoch():
    at = start()
    at.button(key="step").click().run()
    assert epoch_of(at) == 1
    at.button(key="step").click().run()
    assert epoch_of(at) == 2


def test_learning_rate_change_keeps_the_network():
    at = start(dataset="xor")
    at.button(key="step").click().run()
    at.button(key="step").click().run()
    params_before = at.session_state["run"].model.params.copy()
    at.selectbox(key="control_lr").select(0.1).run()
    run = at.session_state["run"]
    assert run.epoch == 2
    assert (run.model.params == params_before).all()
    assert run.trainer.config.learning_rate == 0.1


def test_structural_change_rebuilds_and_reset_draws_new_weights():
    at = start()
    at.button(key="step").click().run()
    at.button(key="reset").click().run()
    run = at.session_state["run"]
    assert run.epoch == 0
    assert at.query_params["init_seed"] in ("2", ["2"])
    at.button(key="step").click().run()
    first_weights = at.session_state["run"].initial_params.copy()
    at.button(key="restart").click().run()
    run = at.session_state["run"]
    assert run.epoch == 0
    assert (run.model.params == first_weights).all()


def test_divergence_pauses_with_a_sentence():
    at = start(dataset="plane", hidden="8,8,8", activation="relu", lr="10", speed="50")
    at.button(key="play").click().run()
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and "diverged" in errors[0] and "learning rate" in errors[0]
    assert not at.session_state["playback"].playing
    at.button(key="reset").click().run()
    assert not at.error


def test_the_expanders_build_their_widgets_only_when_open_and_lose_nothing():
    at = start(open_panels=False, init="he_normal", clip="1")
    keys = {widget.key for widget in at.selectbox} | {widget.key for widget in at.select_slider}
    assert "control_init" not in keys and "edit_layer" not in keys
    assert "control_lr" in keys  # the rest of the page is all there
    # Opening "More settings" shows the values from the link, and the URL still has them.
    at.session_state[MORE_SETTINGS] = True
    at.run()
    assert at.selectbox(key="control_init").value == "he_normal"
    assert at.select_slider(key="control_clip").value == 1.0
    # Changed there, then closed again: the setting stays.
    at.selectbox(key="control_init").select("xavier_uniform").run()
    at.session_state[MORE_SETTINGS] = False
    at.run()
    assert at.query_params["init"] in ("xavier_uniform", ["xavier_uniform"])
    assert at.session_state["settings"].init == "xavier_uniform"
    assert not at.exception


def test_weight_edit_changes_the_output():
    at = start()
    run = at.session_state["run"]
    before = run.model.forward(run.grid_inputs[:5]).copy()
    at.selectbox(key="edit_layer").select(2).run()
    at.number_input(key="edit_value").set_value(3.0).run()
    at.button(key="edit_apply").click().run()
    run = at.session_state["run"]
    assert run.model.weights[2][0, 0] == 3.0
    assert not (run.model.forward(run.grid_inputs[:5]) == before).all()
    assert "train loss" in metrics_text(at)


def test_hide_removes_controls_for_classroom_use():
    at = start(hide="lr,noise")
    keys = {w.key for w in at.selectbox} | {w.key for w in at.select_slider}
    assert "control_lr" not in keys and "control_noise" not in keys
    assert "control_activation" in keys


def test_multiclass_and_regression_pages_render():
    for query in ({"dataset": "blobs", "classes": "4"}, {"dataset": "plane"}):
        at = start(**query)
        at.button(key="step").click().run()
        assert not at.exception
        assert epoch_of(at) == 1
    assert at.session_state["settings"].output == "linear"


def test_the_play_bar_says_what_its_buttons_do_and_names_choices_for_people():
    at = start()
    labels = {button.key: button.label for button in at.button}
    assert labels["reset"] == "New weights" and labels["restart"] == "Replay"
    assert "SGD" in at.selectbox(key="control_optimizer").options
    assert "0.00001" in at.selectbox(key="control_lr").options
    assert "He (normal)" in at.selectbox(key="control_init").options
    assert not any("_" in option for option in at.selectbox(key="control_loss").options)
    # Choosing L2 while the rate is 0 sets a rate that does something.
    at.selectbox(key="control_reg").select("l2").run()
    assert at.selectbox(key="control_reg_rate").value == 0.003
    assert at.session_state["run"].trainer.config.l2 == 0.003


def test_presentation_mode_goes_into_the_link_and_keeps_the_run():
    at = start()
    at.button(key="step").click().run()
    run = at.session_state["run"]
    at.toggle(key="control_present").set_value(True).run()
    assert at.query_params["present"] in ("1", ["1"])
    assert at.session_state["run"] is run and run.epoch == 1
    assert not at.exception


def _editable_traces(at: AppTest) -> list[int]:
    for element in at.get("bidi_component"):
        data = json.loads(element.proto.json)
        if element.proto.component_name.endswith("neuroplay_live_plotly") and "editable" in data:
            return [item["trace"] for item in data["editable"]]
    raise AssertionError("no live view on the page")


def test_links_and_biases_are_editable_unless_the_link_hides_editing():
    at = start(open_panels=False)
    run = at.session_state["run"]
    index = current_figure(run, view_spec(run, log_loss=False)).index
    assert sorted(_editable_traces(at)) == [index.link_trace, index.bias_trace]
    assert _editable_traces(start(open_panels=False, hide="edit")) == []


def test_the_speed_control_sits_by_play_and_round_trips_through_the_link():
    at = start(open_panels=False)  # in the playback bar: there without opening "More settings"
    speed = at.selectbox(key="control_speed")
    assert speed.value == 0 and speed.label == "Speed"  # Auto
    assert at.query_params["speed"] in ("auto", ["auto"])
    speed.select(20).run()
    assert at.session_state["settings"].speed == 20
    assert at.query_params["speed"] in ("20", ["20"])
    at.selectbox(key="control_speed").select(0).run()
    assert at.query_params["speed"] in ("auto", ["auto"])
    # An old link with a number of epochs per frame opens with that choice.
    assert start(open_panels=False, speed="50").selectbox(key="control_speed").value == 50


def test_playing_shows_the_measured_pace_and_pausing_hides_it():
    at = start(dataset="xor")
    at.button(key="play").click().run()
    assert newest_caption(at)["data"]["pace"] == ""  # not measured yet: the first runs
    time.sleep(0.6)  # the caption shows epochs/s once play spans MIN_PACE_SPAN of real time
    at.run()
    pace = float(newest_caption(at)["data"]["pace"])
    assert pace > 0 and f"{pace:,.0f} epochs/s" in metrics_text(at)
    at.button(key="play").click().run()  # Pause
    assert newest_caption(at)["data"]["pace"] == "" and "epochs/s" not in metrics_text(at)
