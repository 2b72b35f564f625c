"""AppTest: save a run on the Playground page and load it in another session (same epoch,
settings, link and weights); every bad file gets one sentence under the uploader and the run
stays as it was; the export buttons are there.

The file comes from the Save button's own callable (``RunHolder.run_file``: AppTest does not
download); tests/browser/test_run_file_browser.py clicks the real button.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.app.test_playground_app import epoch_of, start
from ui.run_file_panel import _HOLDER, EXPANDER_KEY, EXPORT_KEYS, LOAD_KEY, SAVE_KEY

LINK = {
    "dataset": "spiral",
    "hidden": "5,3",
    "activation": "relu",
    "lr": "0.01",
    "optimizer": "adam",
    "noise": "10",
}


def opened(**query):
    at = start(open_panels=False, **query)
    at.session_state[EXPANDER_KEY] = True
    at.run()
    assert not at.exception, at.exception
    return at


def trained(**query):
    at = opened(**query)
    at.button(key="play").click().run()
    at.run()  # the live fragment trains once per run
    at.button(key="play").click().run()  # pause
    assert epoch_of(at) > 0
    return at


def saved(at) -> bytes:
    return at.session_state[_HOLDER].run_file()


def load(at, data: bytes, name: str = "run.json"):
    at.file_uploader(key=LOAD_KEY).set_value((name, data, "application/json")).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def saved_run():
    at = trained(**LINK)
    run = at.session_state["run"]
    return saved(at), run.epoch, run.settings, run.model.params.copy(), at.query_params


def test_the_panel_has_save_export_and_load():
    at = opened()
    keys = {button.key for button in at.get("download_button")}
    assert {SAVE_KEY, *EXPORT_KEYS.values()} <= keys, keys
    assert at.file_uploader(key=LOAD_KEY) is not None


def test_saving_then_loading_in_a_new_session_restores_epoch_settings_and_weights(saved_run):
    data, epoch, settings, params, _ = saved_run
    at = load(opened(), data)  # a new session with the default settings
    assert at.session_state["settings"] == settings
    assert at.session_state["run"].epoch == epoch == epoch_of(at)
    assert np.array_equal(at.session_state["run"].model.params, params)
    assert at.query_params["dataset"] in ("spiral", ["spiral"])
    assert at.query_params["hidden"] in ("5,3", ["5,3"])
    assert at.selectbox(key="control_activation").value == "relu"
    assert not at.session_state["playback"].playing
    assert any(f"epoch {epoch:,}" in message.value for message in at.success)
    # Play continues from there.
    at.button(key="play").click().run()
    at.run()
    assert epoch_of(at) > epoch


def test_loading_own_data_brings_back_its_points():
    at = opened()
    at.button(key="own_start_from").click().run()  # "Draw": own data from the circle's points
    at.button(key="play").click().run()
    at.run()
    at.button(key="play").click().run()
    run = at.session_state["run"]
    data = saved(at)
    other = load(opened(dataset="xor"), data)
    loaded = other.session_state["run"]
    assert other.session_state["settings"].dataset == "custom"
    assert np.array_equal(loaded.train.X, run.train.X)
    assert np.array_equal(loaded.model.params, run.model.params)
    assert epoch_of(other) == run.epoch


def bad_files(good: bytes) -> dict[str, tuple[bytes, str]]:
    """Files that are not usable run files, and a word of each one's sentence."""
    document = json.loads(good)

    def changed(change) -> bytes:
        copy = json.loads(good)
        change(copy)
        return json.dumps(copy).encode()

    weight = json.dumps(document["network"]["weights"][0][0][0])
    return {
        "not JSON": (b"x1,x2,label\n1,2,0\n", "not JSON"),
        "truncated": (good[: len(good) // 3], "cut off"),
        "future version": (changed(lambda d: d.update(version=2)), "newer"),
        "wrong shapes": (
            changed(lambda d: d["network"]["weights"].__setitem__(1, [[0.0] * 5] * 3)),
            "5 × 3",
        ),
        "NaN weights": (good.decode().replace(weight, "NaN", 1).encode(), "not a number"),
        "unknown activation": (
            changed(lambda d: d["settings"].update(activation="swish")),
            "swish",
        ),
        "20 MB": (b" " * 20_000_000, "10 MB"),
        "something else": (json.dumps({"name": "my data", "rows": [1, 2]}).encode(), "not a"),
        "absurd setting": (changed(lambda d: d["settings"].update(hidden="4,9999")), "9999"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "not JSON",
        "truncated",
        "future version",
        "wrong shapes",
        "NaN weights",
        "unknown activation",
        "20 MB",
        "something else",
        "absurd setting",
    ],
)
def test_a_bad_file_gets_one_sentence_and_the_run_stays(case, saved_run):
    at = trained(dataset="xor", hidden="3")
    before_run = at.session_state["run"]
    before = (before_run.epoch, before_run.model.params.copy(), at.session_state["settings"])
    data, word = bad_files(saved_run[0])[case]
    load(at, data, f"{case}.json")
    assert len(at.error) == 1, [error.value for error in at.error]
    message = at.error[0].value
    assert word.lower() in message.lower(), message
    assert message.endswith(".") and "\n" not in message, message
    run = at.session_state["run"]
    assert run is before_run and run.epoch == before[0]
    assert np.array_equal(run.model.params, before[1])
    assert at.session_state["settings"] == before[2]
    assert at.query_params["dataset"] in ("xor", ["xor"])
