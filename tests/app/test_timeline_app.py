"""AppTest: the timeline. Train past epoch 200, pause, move the timeline to epoch 10: the caption
and the output map are epoch 10's; Continue from here trains on from epoch 10."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from playground.frames import current_figure, view_spec

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache


def live_frame(at: AppTest) -> dict:
    """The newest frame the live view sent (caption and pictures)."""
    for element in at.get("bidi_component"):
        if element.proto.component_name.endswith("neuroplay_live_plotly"):
            data = json.loads(element.proto.json)
            if not data.get("preload"):
                return [data, *(data.get("later") or [])][-1]
    raise AssertionError("no live view on the page")


def shown_epoch(at: AppTest) -> int:
    """The epoch the newest frame's caption describes."""
    return int(live_frame(at)["caption"]["data"]["epoch"])


def output_map(at: AppTest) -> str:
    """The output map's picture in the newest frame (base64 of its uint8 values)."""
    run = at.session_state["run"]
    index = current_figure(run, view_spec(run, log_loss=False)).index.output_image
    frame = live_frame(at)
    return next(item["values"]["b64"] for item in frame["images"] if item["index"] == index)


def timeline(at: AppTest):
    """The timeline's slider (its key changes when a button moves it: ui.timeline.slider_key)."""
    return next(slider for slider in at.select_slider if slider.label == "Timeline")


def trained_and_paused(min_epoch: int = 200) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["speed"] = "100"
    at.run()
    at.button(key="play").click().run()
    while at.session_state["run"].epoch < min_epoch:
        at.run()  # each run of the live fragment trains a few frames of 100 epochs
        assert not at.exception, at.exception
    at.button(key="play").click().run()  # Pause
    assert not at.exception, at.exception
    return at


def test_the_timeline_shows_epoch_10_and_continue_trains_from_there():
    at = trained_and_paused()
    newest = at.session_state["run"].epoch
    assert live_frame(at)["caption"]["text"].startswith(f"Epoch {newest:,} ·")
    slider = timeline(at)
    assert slider.value == newest and "epoch 10" in slider.options
    newest_map = output_map(at)

    timeline(at).set_value(10).run()
    assert not at.exception, at.exception
    caption = live_frame(at)["caption"]
    assert caption["text"].startswith("Epoch 10 ·") and int(caption["data"]["epoch"]) == 10
    assert output_map(at) != newest_map
    assert at.session_state["run"].epoch == newest  # only shown, nothing dropped yet

    at.button(key="timeline_continue").click().run()
    run = at.session_state["run"]
    assert run.epoch == 10 and run.trainer.history.last_epoch == 10
    assert max(run.snapshots.epochs) == 10
    at.button(key="step").click().run()
    assert at.session_state["run"].epoch == 11
    assert live_frame(at)["caption"]["text"].startswith("Epoch 11 ·")


def test_back_and_forward_step_through_the_recorded_epochs_and_play_continues():
    at = trained_and_paused()
    newest = at.session_state["run"].epoch
    recorded = at.session_state["run"].snapshots.epochs
    at.button(key="timeline_back").click().run()
    assert shown_epoch(at) == recorded[-2]
    at.button(key="timeline_back").click().run()
    assert shown_epoch(at) == recorded[-3]
    at.button(key="timeline_forward").click().run()
    assert shown_epoch(at) == recorded[-2]
    assert at.session_state["run"].epoch == newest
    # Play while an earlier epoch is shown: training goes on from it.
    at.button(key="play").click().run()
    run = at.session_state["run"]
    assert recorded[-2] < run.epoch and newest not in run.snapshots.epochs[:-1]


def test_rewatch_steps_the_shown_epoch_through_the_snapshots():
    at = trained_and_paused()
    at.button(key="timeline_rewatch").click().run()  # from the first recorded epoch
    shown = [shown_epoch(at)]
    for _ in range(3):
        at.run()  # AppTest does not fire run_every: each run is one tick of the rewatch
        shown.append(shown_epoch(at))
    assert shown == [1, 2, 3, 4]
    at.button(key="timeline_rewatch").click().run()  # Stop
    assert shown_epoch(at) == 4


def test_the_insight_views_follow_the_timeline():
    from tests.app.test_insight_app import charts
    from ui.insight_panel import EXPANDER_KEY, VIEW_KEY

    at = trained_and_paused()
    at.session_state[EXPANDER_KEY] = True
    at.session_state[VIEW_KEY] = "Scores"
    at.run()
    newest = charts(at)[0]
    timeline(at).set_value(10).run()
    assert not at.exception, at.exception
    earlier = charts(at)[0]
    # The confusion matrix of epoch 10's network, not the newest one's.
    assert earlier["data"][0]["z"] != newest["data"][0]["z"], (earlier["data"][0]["z"],)
