"""AppTest: the Compare page renders its lanes, steps them together, changes one lane alone and
explains a bad link."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
from streamlit.testing.v1 import AppTest

from playground.compare import train_lockstep
from playground.settings import PlaygroundSettings
from ui.compare_page import COMPARE

PAGE = Path(__file__).resolve().parents[2] / "app_pages" / "5_Compare.py"
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache


def start(**query) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def epoch_captions(at: AppTest) -> list[str]:
    """Every lane's caption line (one element holds them all)."""
    for element in at.markdown:
        if element.value.startswith('<div class="np-compare-captions"'):
            return [
                html.unescape(text)
                for text in re.findall(r'data-epoch="\d+">([^<]*)<', element.value)
            ]
    raise AssertionError("no captions on the page")


def live_graphs(at: AppTest) -> dict[str, dict]:
    """The live graphs on the page (the lanes' maps, the loss chart): key -> what was sent."""
    graphs = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name.endswith("neuroplay_live_plotly"):
            data = json.loads(element.proto.json)
            graphs[data["key"]] = data
    return graphs


def query_value(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


def test_the_page_renders_two_lanes_from_the_defaults():
    at = start()
    assert epoch_captions(at) == [epoch_captions(at)[0]] * 2
    assert epoch_captions(at)[0].startswith("Epoch 0 ·")
    assert [box.value for box in at.selectbox] == [0.03, 0.3]
    graphs = live_graphs(at)
    assert sorted(graphs) == ["compare_loss", "compare_map_0", "compare_map_1"]
    assert len(graphs["compare_loss"]["updates"]["traces"]) == 4  # train and test per lane
    assert query_value(at, "lanes") == "lr:0.03|lr:0.3"
    assert query_value(at, "dataset") == "circle"
    links = [button.proto.url for button in at.get("link_button")]
    assert [parse_qs(urlsplit(url).query)["lr"] for url in links] == [["0.03"], ["0.3"]]
    assert "same data and initial weights in every lane" in at.caption[0].value


def test_step_advances_every_lane_to_the_same_epoch():
    at = start(lanes="lr:0.003|lr:0.3|optimizer:adam")
    for _ in range(3):
        at.button(key="compare_step").click().run()
    captions = epoch_captions(at)
    assert len(captions) == 3 and all(caption.startswith("Epoch 3 ·") for caption in captions)
    runs = at.session_state[COMPARE].comparison.runs
    assert [run.epoch for run in runs] == [3, 3, 3]
    # different settings, different losses
    assert len({run.trainer.history.last("train_loss") for run in runs}) == 3


def test_changing_a_lanes_learning_rate_changes_only_that_lane():
    at = start(lanes="lr:0.003|lr:0.3")
    before = at.session_state[COMPARE].comparison
    at.selectbox(key="compare_1_lr").set_value(1.0).run()
    assert not at.exception
    after = at.session_state[COMPARE].comparison
    assert after.runs[0].settings == before.runs[0].settings
    assert after.runs[1].settings == before.runs[1].settings.with_changes(lr=1.0)
    assert query_value(at, "lanes") == "lr:0.003|lr:1"
    assert at.selectbox(key="compare_0_lr").value == 0.003
    # still the same initial weights (both lanes start again, in step)
    assert np.array_equal(after.runs[0].model.params, after.runs[1].model.params)
    assert np.array_equal(after.runs[0].model.params, before.runs[0].initial_params)


def test_a_lane_can_vary_another_setting_and_a_different_shape_is_said():
    at = start()
    at.multiselect(key="compare_1_vary").set_value(["hidden", "lr"]).run()
    at.text_input(key="compare_1_hidden").input("8,8").run()
    assert not at.exception
    assert query_value(at, "lanes") == "lr:0.03|hidden:8,8;lr:0.3"
    line = at.caption[0].value
    assert "not the same network (A 2-4-2-1; B 2-8-8-1)" in line, line
    at.text_input(key="compare_1_hidden").input("8,many").run()
    assert "is not a list of hidden layers" in at.warning[0].value
    assert at.text_input(key="compare_1_hidden").value == "8,8"  # the lane kept its layers


def test_a_malformed_lanes_link_gets_a_sentence_and_the_default_lanes():
    at = start(lanes="lr:0.3")
    assert "describes 1 lane; a comparison has 2–4" in at.warning[0].value
    assert [box.value for box in at.selectbox] == [0.03, 0.3]
    assert query_value(at, "lanes") == "lr:0.03|lr:0.3"
    at = start(lanes="lr:0.003|lr:huge", noise="loud")
    text = at.warning[0].value
    assert "`noise=loud` is not valid" in text and "Lane B: `lr:huge` is not a valid value" in text
    assert query_value(at, "lanes") == "lr:0.003|-"


def test_the_playgrounds_setup_is_the_base_when_the_link_has_none():
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    at.session_state["settings"] = PlaygroundSettings().with_changes(dataset="xor", noise=20)
    at.run()
    assert not at.exception
    assert query_value(at, "dataset") == "xor" and query_value(at, "noise") == "20"


def test_a_diverging_lane_says_so_and_stops_while_the_other_goes_on():
    at = start(dataset="plane", hidden="16,16", lanes="lr:0.03|lr:10;batch:1")
    train_lockstep(at.session_state[COMPARE].comparison, 100)
    at.button(key="compare_step").click().run()
    assert not at.exception
    steady, wild = at.session_state[COMPARE].comparison.runs
    assert steady.epoch == 101 and wild.stop_reason
    assert len(at.error) == 1 and at.error[0].value.startswith("Lane B stopped. Training diverged")
    captions = epoch_captions(at)
    assert captions[0].startswith("Epoch 101 ·") and not captions[1].startswith("Epoch 101")


def test_the_playgrounds_newer_setup_can_become_the_base():
    at = start(lanes="lr:0.003|optimizer:adam")
    keys = [button.key for button in at.button]
    assert "compare_use_playground" not in keys  # no Playground visited in this session
    at.session_state["settings"] = PlaygroundSettings().with_changes(dataset="spiral")
    at.run()
    at.button(key="compare_use_playground").click().run()
    assert not at.exception
    assert query_value(at, "dataset") == "spiral"
    assert query_value(at, "lanes") == "lr:0.003|optimizer:adam"  # the lanes kept their changes
    runs = at.session_state[COMPARE].comparison.runs
    assert all(run.settings.dataset == "spiral" for run in runs)
