"""AppTest: your own data on the Playground page. A file uploaded through the uploader trains;
every malformed file gets one sentence and the data set stays as it was; unknown column names
get the mapping step; any data set downloads and uploads again as the same points; own data
survives New weights and Replay and goes into the link."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from playground.own_data import read_table, to_csv
from tests.app.test_playground_app import epoch_of, metrics_text, start
from ui.own_data import UPLOAD_KEY

SPIRAL = engine.make_dataset("spiral", seed=2)
SPIRAL_CSV = to_csv(*engine.train_test_split(SPIRAL, 0.5, 1))
# Files that cannot be used, and a word of the sentence each one gets.
MALFORMED = {
    "letters.csv": (b"x1,x2,label\n1,2,0\n3,abc,1\n", "abc"),
    "nan.csv": (b"x1,x2,label\n1,2,0\nnan,1,1\n", "row 3"),
    "empty.csv": (b"", "empty"),
    "one-class.csv": (b"x1,x2,label\n1,2,0\n3,4,0\n5,6,0\n", "one class"),
    "six-classes.csv": (b"x1,x2,label\n1,1,0\n2,2,1\n3,3,2\n4,4,3\n5,5,4\n6,6,5\n", "5"),
    "half-labels.csv": (b"x1,x2,label\n1,2,0\n3,4,2.5\n", "2.5"),
    "image.csv": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
    "header-only.csv": (b"x1,x2,label\n", "no data"),
    "duplicate.csv": (b"x1,x1,label\n1,2,0\n3,4,1\n", "x1"),
    "mixed.csv": (b"x1,x2,label\n1,2,0\n3;4;1\n", "row"),
    "big.csv": (b"1,2,0\n" * 2_000_000, "MB"),
}


def upload(at, name: str, data: bytes):
    at.file_uploader(key=UPLOAD_KEY).set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def own_points(at) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    run = at.session_state["run"]
    X = np.concatenate([run.train.X, run.test.X])
    y = np.concatenate([run.train.y, run.test.y])
    return X, y, np.arange(len(y)) < len(run.train)


def test_an_uploaded_file_trains_and_goes_into_the_settings():
    at = upload(start(open_panels=False), "spiral.csv", SPIRAL_CSV)
    assert at.query_params["dataset"] == "custom"
    # 500 points: the link says so in a sentence instead of carrying them.
    assert at.query_params["points"] == "2-classes"
    captions = " ".join(caption.value for caption in at.caption)
    assert "does not contain the points" in captions
    assert metrics_text(at).endswith(" · 500 points (250 test)")
    at.button(key="play").click().run()
    at.run()
    assert epoch_of(at) > 0 and "train accuracy" in metrics_text(at)
    X, _, _ = own_points(at)
    assert np.array_equal(np.sort(X, axis=0), np.sort(SPIRAL.X, axis=0))


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_file_gets_one_sentence_and_the_data_stays(name):
    at = upload(start(open_panels=False), "spiral.csv", SPIRAL_CSV)
    before = own_points(at)
    data, word = MALFORMED[name]
    upload(at, name, data)
    assert len(at.warning) == 1, [w.value for w in at.warning]
    message = at.warning[0].value
    assert name in message and word.lower() in message.lower(), message
    after = own_points(at)
    assert all(np.array_equal(a, b) for a, b in zip(before, after))
    # The page keeps working: it trains on the data it had.
    at.button(key="play").click().run()
    at.run()
    assert epoch_of(at) > 0


def test_unknown_column_names_get_a_mapping_step():
    text = b"height,weight,kind,extra\n150,50,0,a\n180,80,1,b\n170,60,0,c\n160,75,1,d\n"
    at = upload(start(open_panels=False), "people.csv", text)
    assert [info.value for info in at.info], "the step says why it is there"
    at.selectbox(key="own_map_x1").set_value("weight")
    at.selectbox(key="own_map_x2").set_value("height")
    at.selectbox(key="own_map_value").set_value("kind")
    at.button(key="own_map_apply").click().run()
    assert not at.exception and not at.warning
    _, y, _ = own_points(at)
    assert len(y) == 4 and set(y) == {0, 1}
    captions = " ".join(caption.value for caption in at.caption)
    assert "Scaled" in captions or "Moved" in captions, captions  # the note of what was done
    assert not at.info  # the step is gone


def test_any_data_set_downloads_and_uploads_as_the_same_points_and_split():
    at = start(open_panels=False, dataset="xor", noise="25", ratio="70")
    run = at.session_state["run"]
    csv = at.session_state["_own_download"].csv()
    back = read_table(csv)
    assert np.array_equal(back.dataset.X, np.concatenate([run.train.X, run.test.X]))
    upload(at, "xor.csv", csv)
    X, y, is_train = own_points(at)
    assert np.array_equal(X, back.dataset.X) and np.array_equal(y, back.dataset.y)
    assert np.array_equal(is_train, back.is_train) and is_train.sum() == len(run.train)


def test_own_data_survive_new_weights_replay_and_another_data_set():
    at = upload(start(open_panels=False), "spiral.csv", SPIRAL_CSV)
    before = own_points(at)
    for button in ("reset", "restart"):
        at.button(key=button).click().run()
        assert all(np.array_equal(a, b) for a, b in zip(before, own_points(at))), button
    at.selectbox(key="control_dataset").set_value("circle").run()
    assert at.query_params["dataset"] == "circle" and "points" not in at.query_params
    at.selectbox(key="control_dataset").set_value("custom").run()
    assert all(np.array_equal(a, b) for a, b in zip(before, own_points(at)))


def test_draw_copies_the_generated_points_and_clear_empties_them():
    at = start(open_panels=False, dataset="gauss")
    run = at.session_state["run"]
    at.button(key="own_start_from").click().run()
    assert at.query_params["dataset"] == "custom"
    X, _, is_train = own_points(at)
    assert np.array_equal(X, np.concatenate([run.train.X, run.test.X]))
    assert is_train.sum() == len(run.train)
    at.button(key="own_clear").click().run()
    assert len(own_points(at)[1]) == 0
    at.button(key="play").click().run()
    at.run()
    assert "no training points yet" in metrics_text(at) or any(
        "training set is empty" in info.value for info in at.info
    )


def test_a_link_with_points_opens_them_and_one_without_says_so():
    small = engine.make_dataset("xor", n_points=40, seed=3)
    from playground.drawing import link_value

    value = link_value(*engine.train_test_split(small, 0.5, 1))
    at = start(open_panels=False, dataset="custom", points=value)
    assert not at.warning
    assert len(own_points(at)[1]) == 40
    at = start(open_panels=False, dataset="custom", points="3-classes")
    assert len(at.warning) == 1 and "does not contain its points" in at.warning[0].value
    assert at.session_state["settings"].n_classes == 3


def test_the_training_data_slider_splits_your_own_points_anew():
    small = engine.make_dataset("xor", n_points=40, seed=3)
    from playground.drawing import link_value

    at = start(dataset="custom", points=link_value(*engine.train_test_split(small, 0.5, 1)))
    X_before, _, _ = own_points(at)
    at.select_slider(key="control_ratio").set_value(80).run()
    X, y, is_train = own_points(at)
    assert is_train.sum() == 32 and len(y) == 40  # 80 % of the same 40 points train
    assert sorted(map(tuple, X)) == sorted(map(tuple, X_before))
    assert at.query_params["ratio"] == "80"
    # The new split is in the link: it opens with 32 training points.
    again = start(dataset="custom", points=at.query_params["points"], ratio="80")
    assert own_points(again)[2].sum() == 32


@pytest.mark.parametrize(
    ("output", "names"), [("tanh", ["−1", "+1", "new"]), ("sigmoid", ["0", "1", "new"])]
)
def test_the_class_picker_names_classes_as_the_legend_does(output, names):
    at = start(dataset="xor", output=output)
    at.button(key="own_start_from").click().run()
    assert at.button_group(key="draw_class").options == names
    legend = at.session_state["run"].figure_cache[1].plotly["layout"]["annotations"]
    assert any(f"■</span> {names[0]}" in note["text"] for note in legend)


def test_show_test_data_is_on_and_fixed_for_your_own_points():
    at = start(dataset="xor")
    assert not at.toggle(key="control_show_test").value
    at.button(key="own_start_from").click().run()
    shown = at.toggle(key="own_show_test")
    assert shown.value and shown.disabled
