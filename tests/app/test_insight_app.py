"""AppTest: each Insight view renders for binary, multi-class and regression data.

Only the chosen view of the open expander is built (``ui.insight_panel``), so each test
chooses one view through session state, trains a few steps and checks the page has that
view's charts and no exception.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.insight_panel import EXPANDER_KEY, HIDDEN_LAYER_KEY, VIEW_KEY, VIEWS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120  # seconds: the first run may compile the Numba kernels on a cold cache
DATA = {
    "binary": {"dataset": "circle"},
    "multi-class": {"dataset": "blobs", "classes": "3"},
    "regression": {"dataset": "plane"},
}
# Charts each view shows: gradient flow 1; bands, histograms, activations 3; hidden space 1;
# scores 1.
CHARTS = {"Gradient flow": 1, "Distributions": 3, "Hidden space": 1, "Scores": 1}


def open_view(view: str | None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    if view is not None:
        at.session_state[EXPANDER_KEY] = True
        at.session_state[VIEW_KEY] = view
    at.run()
    assert not at.exception, at.exception
    for _ in range(3):  # a few epochs of history for the per-epoch charts
        at.button(key="step").click().run()
        assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> list[dict]:
    """The chosen view's figures: drawn in place by the live view's component (``live_plotly``)
    or, for a 3-D figure, by ``st.plotly_chart``. The component carries a figure only when it
    changed since the last run: one that did not is asked for again, as the browser would."""
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    for element in at.get("bidi_component"):
        data = json.loads(element.proto.json)
        key = str(data.get("key", ""))
        if key.startswith("insight_chart_"):
            if "figure" not in data:
                del at.session_state[f"_live_plotly_sent_version:{key}"]  # (need_figure)
                at.run()
                assert not at.exception, at.exception
                return charts(at)
            figures.append(data["figure"])
    return figures


@pytest.mark.parametrize("kind", DATA)
@pytest.mark.parametrize("view", VIEWS)
def test_each_view_renders_for_each_kind_of_data(view, kind):
    at = open_view(view, **DATA[kind])
    figures = charts(at)
    assert len(figures) == CHARTS[view], [f["layout"].get("title") for f in figures]
    assert all(figure["data"] for figure in figures)
    if view == "Scores":
        traces = {trace["type"] for trace in figures[0]["data"]}
        assert traces == ({"scatter"} if kind == "regression" else {"heatmap"})
    if view == "Gradient flow":
        # 3 layers ([2, 4, 2, 1]) × 2 panels, each line with one point per epoch.
        lines = [t for t in figures[0]["data"] if t.get("mode") == "lines"]
        assert len(lines) == 6 and all(len(t["x"]) == 3 for t in lines)


def test_closed_panel_builds_nothing():
    at = open_view(None)
    assert charts(at) == []
    assert not at.session_state[EXPANDER_KEY]


def test_hidden_layer_choice_changes_the_view():
    at = open_view("Hidden space", hidden="3,2")
    first = charts(at)[0]
    assert "3 units" in first["layout"]["title"]["text"]
    at.selectbox(key=HIDDEN_LAYER_KEY).select(1).run()
    assert not at.exception
    assert "its 2 units" in charts(at)[0]["layout"]["title"]["text"]


def test_the_chooser_opens_on_gradient_flow_and_switches_views():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[EXPANDER_KEY] = True
    at.run()
    chooser = at.button_group(key=VIEW_KEY)
    assert chooser.value == "Gradient flow"
    assert "back-propagated error" in json.dumps(charts(at)[0]["layout"], ensure_ascii=False)
    chooser.set_value("Scores").run()
    assert not at.exception, at.exception
    assert {trace["type"] for trace in charts(at)[0]["data"]} == {"heatmap"}
