"""AppTest: every setting's widget follows the settings table: a link can hide each hideable
one, and the log-scale loss axis is a setting that goes into the link."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from playground.settings import HIDEABLE, SETTINGS
from ui.controls import key
from ui.playground_page import MORE_SETTINGS, WEIGHT_EDITOR

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache
# A data set with a choice of classes, so that every setting's widget is on the page.
EVERY_WIDGET = {"dataset": "blobs", "classes": "4"}


def start(**query) -> AppTest:
    """The Playground with both expanders open (their widgets are built only while open)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    at.session_state[MORE_SETTINGS] = True
    at.session_state[WEIGHT_EDITOR] = True
    at.run()
    assert not at.exception, at.exception
    return at


def widget_keys(at: AppTest) -> set[str]:
    kinds = ("selectbox", "select_slider", "toggle", "number_input", "button_group")
    return {widget.key for kind in kinds for widget in at.get(kind)}


def test_a_link_can_hide_the_widget_of_every_hideable_setting():
    # A schedule shows only the parameters it uses: step's and cosine's together are all.
    shown, hidden = (
        widget_keys(start(**EVERY_WIDGET, schedule=schedule, **hide))
        | widget_keys(start(**EVERY_WIDGET, schedule="cosine", **hide))
        for schedule, hide in (("step", {}), ("step", {"hide": ",".join(HIDEABLE)}))
    )
    controls = {spec.name: [key(spec.name)] for spec in SETTINGS if spec.widget and spec.hide}
    controls["hidden"] = [key("units_0"), key("units_1")]  # a box per layer
    for name, keys in controls.items():
        for widget in keys:
            assert widget in shown, f"{name}: no widget {widget!r} without hide="
            assert widget not in hidden, f"{name}: {widget!r} is still there with hide="
    assert key("lr") not in hidden and key("palette") in hidden  # palette cannot be hidden


def test_the_log_scale_loss_axis_goes_into_the_link_and_keeps_the_run():
    at = start()
    at.button(key="step").click().run()
    run = at.session_state["run"]
    assert at.query_params["log_loss"] in ("false", ["false"])
    at.toggle(key=key("log_loss")).set_value(True).run()
    assert at.query_params["log_loss"] in ("true", ["true"])
    assert at.session_state["run"] is run and run.epoch == 1  # a view: training stays
    assert loss_axis_type(at) == "log"
    # A link with it opens with the axis in log scale; a link from before it, in linear scale.
    assert loss_axis_type(start(log_loss="true")) == "log"
    assert start().toggle(key=key("log_loss")).value is False


def loss_axis_type(at: AppTest) -> str:
    """The loss chart's y axis type in the figure the live view was last sent."""
    for element in at.get("bidi_component"):
        data = json.loads(element.proto.json)
        if element.proto.component_name.endswith("neuroplay_live_plotly") and "figure" in data:
            return data["figure"]["layout"]["yaxis3"]["type"]
    raise AssertionError("no figure sent to the live view")
