"""AppTest: what used to go wrong on the Playground page (issue 9, item 5), at the level of
the page's elements; tests/browser/test_playground_repairs_browser.py checks the same in
Chromium."""

from __future__ import annotations

import math

import pytest
from test_playground_app import epoch_of, metrics_text, start


@pytest.mark.parametrize(
    ("typed", "used", "sentence"),
    [
        (17, 16, "A layer can have at most 16 neurons; using 16."),
        (99, 16, "A layer can have at most 16 neurons; using 16."),
        (0, 1, "A layer needs at least 1 neuron; using 1."),
        (-3, 1, "A layer needs at least 1 neuron; using 1."),
        (7, 7, None),
    ],
)
def test_a_neurons_box_shows_the_number_the_network_uses(typed, used, sentence):
    at = start(open_panels=False)
    at.number_input(key="control_units_0").set_value(typed).run()
    assert not at.exception
    assert at.session_state["settings"].hidden == (used, 2)
    assert at.session_state["run"].model.layer_sizes == (2, used, 2, 1)
    assert at.number_input(key="control_units_0").value == used
    warnings = [w.value for w in at.warning]
    assert warnings == ([sentence] if sentence else [])
    assert at.query_params["hidden"] in (f"{used},2", [f"{used},2"])


def test_after_a_divergence_play_clears_the_banner_and_training_goes_on():
    at = start(open_panels=False, dataset="plane", hidden="8,8,8", activation="relu", lr="10")
    at.button(key="play").click().run()
    for _ in range(5):  # each run of the fragment trains a few frames (AppTest: one per run)
        if at.error:
            break
        at.run()
    assert at.error and "lower learning rate" in at.error[0].value
    assert not at.session_state["playback"].playing
    stopped_at = epoch_of(at)
    at.selectbox(key="control_lr").select(0.01).run()
    assert at.error  # still true: nothing has trained since
    at.button(key="play").click().run()
    assert not at.error
    at.run()
    at.run()
    assert not at.error and at.session_state["playback"].playing
    assert epoch_of(at) > stopped_at
    # By name: while playing the line also says how many epochs/s.
    parts = metrics_text(at).split(" · ")
    losses = [float(part.split()[-1]) for part in parts if part.split()[1:2] == ["loss"]]
    assert len(losses) == 2, parts
    assert all(math.isfinite(loss) and loss < 1 for loss in losses), metrics_text(at)


def test_the_data_set_picture_is_inline_not_a_media_file():
    at = start(open_panels=False, dataset="spiral")
    pictures = [m.value for m in at.markdown if "data:image/png;base64," in m.value]
    assert len(pictures) == 1 and 'alt="Spiral"' in pictures[0]
    assert not at.get("imgs")  # st.image's element: served by the media file manager
