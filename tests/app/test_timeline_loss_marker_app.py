"""AppTest: the loss chart follows the timeline. Scrubbed back to epoch 10, the frame's loss
curves still run to the newest epoch and a marker line stands at epoch 10; at the present the
marker is hidden. (tests/browser/test_timeline_browser.py checks its pixels.)"""

from __future__ import annotations

from playground.frames import current_figure, view_spec
from tests.app.test_timeline_app import live_frame, timeline, trained_and_paused


def loss_chart(at) -> tuple[float, dict]:
    """(the last epoch of the train curve's path, the marker's x0/x1/visible) in the newest
    frame."""
    run = at.session_state["run"]
    index = current_figure(run, view_spec(run, log_loss=False)).index
    layout = live_frame(at)["updates"]["layout"]
    path = layout[f"shapes[{index.loss_shapes[0]}].path"]
    last_epoch = float(path.rsplit("L", 1)[-1].split(",")[0])
    marker = {
        name: layout[f"shapes[{index.loss_marker}].{name}"] for name in ("x0", "x1", "visible")
    }
    return last_epoch, marker


def test_scrubbed_back_the_whole_curve_shows_with_a_marker_at_the_shown_epoch():
    at = trained_and_paused(min_epoch=120)
    newest = at.session_state["run"].epoch
    last_epoch, marker = loss_chart(at)
    assert last_epoch == newest and marker["visible"] is False

    timeline(at).set_value(10).run()
    assert not at.exception, at.exception
    assert live_frame(at)["caption"]["text"].startswith("Epoch 10 ·")
    last_epoch, marker = loss_chart(at)
    assert last_epoch == newest  # the whole curve, not cut at epoch 10
    assert marker == {"x0": 10, "x1": 10, "visible": True}

    at.button(key="timeline_continue").click().run()  # epoch 10 is the present: no marker
    last_epoch, marker = loss_chart(at)
    assert last_epoch == 10 and marker["visible"] is False
