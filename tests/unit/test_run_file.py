"""Run files (``playground/run_file.py``): a saved run loads back exactly, and every kind of bad
file gets its one sentence (and no other exception).

The round trip for any optimiser and data (continuing training bit-identically) is the
property test tests/property/test_run_file_property.py; the page's Save and Load are
tests/app/test_run_file_app.py and tests/browser/test_run_file_browser.py.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from playground import drawing, run_file
from playground.run import build_run, train_chunk
from playground.run_file import MAX_BYTES, RunFileError, load_run, save_run
from playground.settings import PlaygroundSettings
from tests.hostile_text import split_code_spans


def settings_for(**params: str) -> PlaygroundSettings:
    settings, problems = PlaygroundSettings.from_query_params(params)
    assert not problems
    return settings


@pytest.fixture(scope="module")
def trained():
    run = build_run(settings_for(dataset="xor", optimizer="adam", hidden="4,3", lr="0.01"))
    train_chunk(run, 30)
    return run


def document_of(run) -> dict:
    return json.loads(save_run(run))


def refused(data: bytes | dict) -> str:
    """The sentence a bad file gets (checked to be one plain sentence)."""
    if isinstance(data, dict):
        data = json.dumps(data).encode()
    with pytest.raises(RunFileError) as caught:
        load_run(data)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message and len(message) < 300, message
    assert message[0].isupper(), message
    return message


def test_the_document_names_its_format_and_holds_the_whole_run(trained):
    document = document_of(trained)
    assert (document["format"], document["version"]) == ("neuroplay-run", 1)
    assert document["settings"] == trained.settings.to_query_params()
    assert document["data"] == {"generator": "xor", "seed": 1}
    assert document["network"]["layer_sizes"] == [2, 4, 3, 1]
    assert np.array(document["network"]["weights"][1]).shape == (4, 3)
    assert document["optimizer"]["step"] == int(trained.trainer.step_counter[0]) > 0
    assert document["training"]["epoch"] == 30
    assert sorted(document["training"]["order"]) == list(range(len(trained.train)))
    assert document["history"]["rows"] == 30


def test_loading_restores_weights_state_history_and_settings(trained):
    loaded = load_run(save_run(trained))
    assert loaded.settings == trained.settings
    assert np.array_equal(loaded.model.params, trained.model.params)
    for name in ("first_moment", "second_moment", "step_counter", "rng_state", "_order"):
        assert np.array_equal(getattr(loaded.trainer, name), getattr(trained.trainer, name))
    assert loaded.epoch == trained.epoch
    assert np.array_equal(loaded.trainer.history.epochs, trained.trainer.history.epochs)
    for column in trained.trainer.history.COLUMNS:
        assert np.array_equal(
            loaded.trainer.history.column(column),
            trained.trainer.history.column(column),
            equal_nan=True,
        )
    assert np.array_equal(loaded.trainer.history.grad_norms, trained.trainer.history.grad_norms)
    assert loaded is not trained and loaded.model.params is not trained.model.params


def test_a_fresh_run_saves_and_loads_before_any_epoch():
    fresh = build_run(settings_for(dataset="gauss"))
    loaded = load_run(save_run(fresh))
    assert loaded.epoch == 0 and loaded.trainer._order is None
    assert np.array_equal(loaded.model.params, fresh.model.params)


def test_own_data_travels_as_its_points_with_their_split():
    generated = build_run(settings_for(dataset="spiral", noise="30"))
    own = drawing.joined(generated.train, generated.test)
    settings = settings_for(dataset="custom", points=drawing.link_value(*own.split(0.5, 1)))
    run = build_run(settings, own)
    train_chunk(run, 5)
    loaded = load_run(save_run(run))
    assert np.array_equal(loaded.train.X, run.train.X)  # bit for bit, not link-rounded
    assert np.array_equal(loaded.test.y, run.test.y)
    assert np.array_equal(loaded.model.params, run.model.params)


def test_a_history_too_big_for_the_cap_is_thinned_keeping_the_newest(monkeypatch, trained):
    full = len(save_run(trained))
    monkeypatch.setattr(run_file, "MAX_BYTES", full - 200)
    data = save_run(trained)
    assert len(data) <= full - 200
    monkeypatch.undo()
    loaded = load_run(data)
    epochs = loaded.trainer.history.epochs
    assert 2 <= len(epochs) < 30 and epochs[-1] == 30
    assert np.array_equal(loaded.model.params, trained.model.params)


# ---------------------------------------------------------------- bad files, one sentence each


def test_not_json(trained):
    assert "not JSON" in refused(b"x1,x2,label\n0.5,1,0\n")


def test_not_text():
    assert "not text" in refused(bytes(range(256)))


def test_truncated(trained):
    data = save_run(trained)
    assert "cut off" in refused(data[: len(data) // 2])
    assert "cut off" in refused(b'{"format": "neuroplay-run", "version": 1, "settings": {"data')
    assert "cut off" in refused(data[:-1])


def test_a_future_version(trained):
    document = document_of(trained)
    document["version"] = 7
    assert "version 7" in refused(document) and "newer" in refused(document)


def test_wrong_shapes_for_the_layer_sizes(trained):
    document = document_of(trained)
    document["network"]["weights"][1] = np.zeros((4, 2)).tolist()  # layer 2 is 4 × 3
    message = refused(document)
    assert "weights of layer 2" in message and "4 × 3" in message


def test_a_network_of_other_sizes_than_its_settings(trained):
    document = document_of(trained)
    document["settings"]["hidden"] = "5"
    assert "2-5-1" in refused(document)


def test_nan_weights(trained):
    text = save_run(trained).decode()
    weight = json.dumps(document_of(trained)["network"]["weights"][0][1][2])
    broken = text.replace(weight, "NaN", 1)
    assert broken != text
    message = refused(broken.encode())
    assert "network.weights[0][1][2]" in message and "not a number" in message


def test_infinite_or_overflowing_numbers(trained):
    document = document_of(trained)
    text = json.dumps(document).replace(json.dumps(document["network"]["biases"][2][0]), "1e400", 1)
    assert "network.biases[2][0]" in refused(text.encode())


def test_weights_beyond_the_editors_range(trained):
    document = document_of(trained)
    document["network"]["biases"][0][0] = 1e9
    message = refused(document)
    assert "network.biases[0][0]" in message and "-1,000,000 to 1,000,000" in message


def test_an_unknown_activation(trained):
    document = document_of(trained)
    document["settings"]["activation"] = "swish"
    message = refused(document)
    assert "swish" in message and "activation" in message


def test_an_absurd_setting(trained):
    document = document_of(trained)
    document["settings"]["lr"] = "1000000000"
    assert "lr=" in refused(document)


def test_an_unknown_setting_name(trained):
    document = document_of(trained)
    document["settings"]["colour"] = "red"
    assert "settings" in refused(document)


def test_twenty_megabytes():
    message = refused(b" " * 20_000_000)
    assert "20.0 MB" in message and "10 MB" in message
    assert MAX_BYTES == 10_000_000


@pytest.mark.parametrize(
    "other", [{"name": "my data", "values": [1, 2, 3]}, [1, 2, 3], "neuroplay-run", 42, None]
)
def test_a_valid_json_of_something_else(other):
    assert "not a NeuroPlay run file" in refused(json.dumps(other).encode())


def test_a_missing_part(trained):
    document = document_of(trained)
    del document["optimizer"]
    assert refused(document) == "The run file has no `optimizer`."


def test_a_row_order_that_is_not_a_permutation(trained):
    document = document_of(trained)
    order = document["training"]["order"]
    order[0] = order[1]
    assert "permutation" in refused(document)


def test_a_damaged_history(trained):
    document = document_of(trained)
    document["history"]["rows"] = 31
    assert "history is damaged" in refused(document)


def test_a_history_that_unpacks_to_gigabytes_is_refused_unread(trained):
    import base64
    import zlib

    bomb = base64.b64encode(zlib.compress(b"\0" * 50_000_000)).decode()
    document = document_of(trained)
    document["history"]["metrics"] = bomb
    assert "history is damaged" in refused(document)


def test_data_that_disagree_with_the_settings(trained):
    document = document_of(trained)
    document["data"]["seed"] = 2
    assert "seed 1" in refused(document)


def test_hostile_text_in_a_setting_is_quoted(trained):
    document = document_of(trained)
    document["settings"]["dataset"] = "[click](http://evil.example)"
    message = refused(document)
    outside, _ = split_code_spans(message)
    assert "](" not in outside, message


def test_every_sentence_is_markdown_safe_around_its_code_spans(trained):
    document = document_of(trained)
    document["network"]["weights"][0][0][0] = "[x](y)"
    message = refused(document)
    assert re.search(r"`network\.weights\[0\]\[0\]\[0\]`", message), message
