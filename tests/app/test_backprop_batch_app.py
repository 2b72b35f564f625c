"""AppTest: the Back-prop page's mini-batch mode (issue 16) — matrices for every phase, an
edited batch changes them, unusable cells get a sentence, softmax takes a class per row."""

from __future__ import annotations

import re

import numpy as np
from streamlit.testing.v1 import AppTest

from teach.backprop import PHASES
from teach.backprop_batch import BATCH_PHASES
from tests.app.test_teaching_pages import markdown_text, start

BATCH_EDITOR = "backprop_batch_tanh_1"  # the default network: one tanh output


def batch_mode() -> AppTest:
    at = start("Backprop")
    at.radio(key="backprop_mode").set_value("A mini-batch, in matrix form").run()
    assert not at.exception
    return at


def heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Step "))


def test_batch_mode_walks_through_every_phase_in_matrices_checked_against_the_engine():
    assert len(BATCH_PHASES) == len(PHASES)  # the shared Next/Back buttons clamp to PHASES
    at = batch_mode()
    assert heading(at) == f"**Step 1 of 8: {BATCH_PHASES[0]}**"
    text = markdown_text(at)
    assert "vectors are rows" in text and "Z = WX + b" in text
    assert text.count(r"\begin{bmatrix}") == 6  # X, Y, W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾
    for step in range(2, 9):
        at.button(key="backprop_next").click().run()
        assert not at.exception
        assert heading(at) == f"**Step {step} of 8: {BATCH_PHASES[step - 1]}**"
        if step == 7:
            assert r"\tfrac1n X^\top\Delta^{(1)}" in markdown_text(at)
    before, after = re.search(
        r"mean loss on this batch goes from ([\d.]+) to \*\*([\d.]+)\*\*", markdown_text(at)
    ).groups()
    assert float(after) < float(before)  # one step downhill on the batch
    caption = at.caption[-1].value
    gap = float(re.search(r"largest difference ([\d.e+-]+)\)", caption).group(1))
    assert gap < 1e-12
    at.button(key="backprop_keep").click().run()
    assert not at.exception and heading(at).startswith("**Step 2 of 8")


def test_an_edited_batch_row_changes_the_matrices_and_a_bad_cell_gets_a_sentence():
    at = batch_mode()
    at.button(key="backprop_next").click().run()  # forward: the hidden layer
    at.session_state[BATCH_EDITOR] = {
        "edited_rows": {0: {"x₁": 2.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert r"z_{11} = 2.000\cdot" in markdown_text(at)
    at.session_state[BATCH_EDITOR] = {
        "edited_rows": {1: {"x₂": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "must be a number between" in at.error[0].value
    at.session_state[BATCH_EDITOR] = {
        "edited_rows": {1: {"y₁": 3.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "target of a tanh output must be a number from" in at.error[0].value


def test_softmax_batch_takes_a_class_per_row():
    at = batch_mode()
    at.selectbox(key="backprop_output").set_value("softmax").run()
    text = markdown_text(at)
    y = re.search(r"Y = \\begin\{bmatrix\}(.*?)\\end", text).group(1)
    rows = np.array([[float(v) for v in row.split("&")] for row in y.split(r"\\")])
    assert np.all(rows.sum(axis=1) == 1)  # one-hot: one class per row
    at.session_state["backprop_batch_class_2"] = {
        "edited_rows": {0: {"class": 5}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert "class must be a whole number from 1 to 2" in at.error[0].value
