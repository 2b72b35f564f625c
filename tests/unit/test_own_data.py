"""Your own data: ``engine.Dataset.from_arrays`` and ``playground/own_data.py`` (reading a
CSV/TSV file, writing one, carrying a small set in a link).

Property tests (any data set round-trips, any bytes give a result or a sentence) are in
tests/property/test_own_data_property.py."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import engine
from playground import own_data
from playground.own_data import (
    MAX_LINK_POINTS,
    MAX_ROWS,
    VIEW_MARK,
    ColumnMapping,
    OwnData,
    UnknownColumnsError,
    decode_points,
    encode_points,
    link_problem,
    parse_table,
    read_table,
    to_csv,
)
from tests.hostile_text import EVIL, HOSTILE_VALUES, split_code_spans

POINTS = [[0.5, -1.0], [2.0, 3.0], [-4.0, 1.5], [1.0, 1.0]]


def one_sentence(message: str) -> None:
    """One sentence: a capital (or the argument's name), no line break, a full stop."""
    assert message[0].isupper() or re.match(r"(X|y|n_classes)\b", message), message
    assert message.endswith(".") and "\n" not in message and len(message) < 300, message


def csv(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


# ---------------------------------------------------------------- engine.Dataset.from_arrays


def test_from_arrays_infers_classification_from_whole_numbers():
    data = engine.Dataset.from_arrays(POINTS, [0, 1, 2, 1])
    assert (data.kind, data.n_classes, data.name) == ("classification", 3, "custom")
    assert data.y.dtype == np.int64 and data.y.tolist() == [0, 1, 2, 1]
    assert data.X.dtype == np.float64 and data.X.flags.c_contiguous
    assert engine.Dataset.from_arrays(POINTS, [0.0, 1.0, 1.0, 0.0]).y.dtype == np.int64


def test_from_arrays_infers_regression_from_other_numbers():
    data = engine.Dataset.from_arrays(POINTS, [0.5, -1, 2, 0])
    assert (data.kind, data.n_classes) == ("regression", 0)
    assert data.y.dtype == np.float64 and data.y.tolist() == [0.5, -1.0, 2.0, 0.0]


def test_kind_and_n_classes_override_the_inference():
    assert engine.Dataset.from_arrays(POINTS, [0, 1, 2, 1], kind="regression").kind == (
        "regression"
    )
    assert engine.Dataset.from_arrays(POINTS, [0, 1, 2, 1], n_classes=0).kind == "regression"
    five = engine.Dataset.from_arrays(POINTS, [0, 1, 1, 0], n_classes=5)
    assert (five.kind, five.n_classes) == ("classification", 5)  # classes 2-4 without points
    assert engine.Dataset.from_arrays(POINTS, [2, 0, 0, 2]).n_classes == 3  # class 1 empty


def test_from_arrays_converts_lists_float32_fortran_and_strided_arrays():
    X = np.asfortranarray(np.array(POINTS, dtype=np.float32))
    strided = np.array([0, 9, 1, 9, 1, 9, 0, 9], dtype=np.int32)[::2]
    data = engine.Dataset.from_arrays(X, strided)
    assert data.X.flags.c_contiguous and data.X.dtype == np.float64
    np.testing.assert_array_equal(data.X, np.array(POINTS))
    assert data.y.tolist() == [0, 1, 1, 0] and data.y.dtype == np.int64
    assert engine.Dataset.from_arrays(POINTS, np.float32([0.5, 1, 2, 3])).kind == "regression"
    wide = np.zeros((4, 4))
    wide[:, ::2] = POINTS
    assert engine.Dataset.from_arrays(wide[:, ::2], [0, 1, 0, 1]).X.tolist() == POINTS


BAD_ARRAYS = {
    "X one column": (dict(X=[[1.0], [2.0]], y=[0, 1]), ValueError, r"X must have shape \(n, 2\)"),
    "X text": (dict(X="points", y=[0, 1]), TypeError, "X must be an array of numbers"),
    "X NaN": (
        dict(X=[[0, 0], [np.nan, 1]], y=[0, 1]),
        ValueError,
        r"X contains NaN or infinite values \(first at row 1, column 0",
    ),
    "X too far": (dict(X=[[0, 0], [1e7, 1]], y=[0, 1]), ValueError, r"X values must lie in"),
    "y None": (dict(X=POINTS, y=None), TypeError, "y must be an array of numbers"),
    "y 2-D": (dict(X=POINTS, y=[[0], [1], [0], [1]]), ValueError, r"y must have shape \(n,\)"),
    "y inf": (dict(X=POINTS, y=[0, 1, np.inf, 0]), ValueError, "y contains NaN or infinite"),
    "y strings": (dict(X=POINTS, y=["a", "b", "a", "b"]), TypeError, "y must hold numbers"),
    "y truth values": (dict(X=POINTS, y=[True, False, True, False]), ValueError, "truth values"),
    "rows differ": (dict(X=POINTS, y=[0, 1]), ValueError, "4 rows in X and 2 in y"),
    "one point": (dict(X=[[0, 0]], y=[1]), ValueError, r"from 2 to 20,000 points .*; got 1\."),
    "no points": (
        dict(X=np.zeros((0, 2)), y=[]),
        ValueError,
        r"from 2 to 20,000 points .*; got 0\.",
    ),
    "one class": (dict(X=POINTS, y=[1, 1, 1, 1]), ValueError, "y holds only class 1"),
    "six classes": (
        dict(X=POINTS * 2, y=[0, 1, 2, 3, 4, 5, 0, 1]),
        ValueError,
        r"class ids from 0 to 4 \(at most 5 classes\); got 5 at row 5",
    ),
    "negative id": (dict(X=POINTS, y=[0, -1, 1, 0]), ValueError, "got -1 at row 1"),
    "2.5 as a class": (
        dict(X=POINTS, y=[0, 1, 2.5, 1], kind="classification"),
        ValueError,
        "whole-number class ids .* got 2.5 at row 2",
    ),
    "id beyond n_classes": (
        dict(X=POINTS, y=[0, 1, 2, 1], n_classes=2),
        ValueError,
        "0 to 1 for n_classes=2; got 2 at row 2",
    ),
    "n_classes 1": (dict(X=POINTS, y=[0, 0, 0, 0], n_classes=1), ValueError, "n_classes"),
    "n_classes 6": (dict(X=POINTS, y=[0, 1, 0, 1], n_classes=6), ValueError, "n_classes"),
    "n_classes text": (dict(X=POINTS, y=[0, 1, 0, 1], n_classes="2"), TypeError, "n_classes"),
    "kind unknown": (dict(X=POINTS, y=[0, 1, 0, 1], kind="clustering"), ValueError, "kind"),
    "kind and n_classes": (
        dict(X=POINTS, y=[0.5, 1, 0, 1], kind="regression", n_classes=2),
        ValueError,
        "n_classes=2 does not fit kind='regression'",
    ),
    "too many points": (
        dict(X=np.zeros((20_001, 2)), y=np.arange(20_001) % 2),
        ValueError,
        "got 20001",
    ),
}


@pytest.mark.parametrize("case", list(BAD_ARRAYS))
def test_from_arrays_names_each_problem(case):
    arguments, exception, pattern = BAD_ARRAYS[case]
    with pytest.raises(exception) as error:
        engine.Dataset.from_arrays(**arguments)
    assert error.type is exception
    assert re.search(pattern, str(error.value)), str(error.value)
    one_sentence(str(error.value))


def test_the_rest_of_the_engine_works_on_own_data():
    rng = np.random.default_rng(5)
    X = rng.uniform(-5, 5, size=(60, 2)).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    data = engine.Dataset.from_arrays(X, y)
    train, test = engine.train_test_split(data, 0.5, seed=1)
    assert len(train) == len(test) == 30 and train.name == "custom"
    features = ["x1", "x2", "x1_sq"]
    inputs = engine.build_features(train.X, features)
    targets = engine.targets_for_output(train.y, "tanh", n_classes=2)
    model = engine.Model.create([3, 4, 1], activation="tanh", output="tanh", seed=2)
    trainer = engine.Trainer(model, "mse", optimizer="adam", learning_rate=0.03, batch_size=10)
    trainer.train(inputs, targets, epochs=150)
    predicted = np.sign(model.forward(engine.build_features(test.X, features))[:, 0])
    assert np.mean(predicted == np.where(test.y == 1, 1, -1)) >= 0.9  # x1 > 0 is learnable
    grid = engine.decision_grid(model, features)
    assert grid[-1].shape == (1, 100, 100) and np.isfinite(grid[-1]).all()


# ---------------------------------------------------------------- reading files


def test_a_file_with_the_documented_columns():
    result = read_table(csv("x1,x2,label", "0.5,-1,0", "2,3,1", "-4,1.5,1"))
    assert isinstance(result, OwnData)
    data = result.dataset
    assert (data.kind, data.n_classes) == ("classification", 2)
    assert data.X.tolist() == [[0.5, -1.0], [2.0, 3.0], [-4.0, 1.5]]
    assert data.y.tolist() == [0, 1, 1]
    assert result.is_train is None and result.notes == ()
    train, test = result.split(0.5, seed=3)
    reference = engine.train_test_split(data, 0.5, seed=3)
    assert train.X.tolist() == reference[0].X.tolist() and len(test) == len(reference[1])


def test_regression_by_its_target_column_even_with_whole_numbers():
    data = read_table(csv("x1,x2,target", "1,2,3", "3,4,5")).dataset
    assert (data.kind, data.y.tolist()) == ("regression", [3.0, 5.0])


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("tabs", "x1\tx2\tlabel\n1\t2\t0\n3\t4\t1\n"),
        ("semicolons", "x1;x2;label\n1;2;0\n3;4;1\n"),
        ("spaces", "  x1   x2  label\n 1 2    0\n3 4 1\n"),
        ("Windows line ends", "x1,x2,label\r\n1,2,0\r\n3,4,1\r\n"),
        ("old Mac line ends", "x1,x2,label\r1,2,0\r3,4,1"),
        ("capitals and spaces", " X1 , x2,LABEL \n1, 2, 0\n3 ,4,1\n"),
        ("another order", "label,x2,x1\n0,2,1\n1,4,3\n"),
        ("quoted names", '"x1","x2","label"\n1,2,0\n3,4,1\n'),
        (
            "blank rows and comments",
            "# my data\n\n#\n  # x1, x2, label\nx1,x2,label\n1,2,0\n\n3,4,1\n",
        ),
        ("a delimiter ending every row", "x1,x2,label,\n1,2,0,\n3,4,1,\n"),
    ],
)
def test_delimiters_and_layouts(name, text):
    data = read_table(text.encode()).dataset
    assert data.X.tolist() == [[1.0, 2.0], [3.0, 4.0]] and data.y.tolist() == [0, 1], name


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_byte_order_marks(encoding):
    text = "x1\tx2\tlabel\n1\t2\t0\n3\t4\t1\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert read_table(data).dataset.y.tolist() == [0, 1]


@pytest.mark.parametrize("delimiter", [";", "\t", " "])
def test_decimal_commas_in_a_file_not_separated_by_commas_with_a_note(delimiter):
    rows = ["x1;x2;label", "1,5;-2,25;0", "3;4;1", "-,5;1,2e0;0"]
    result = read_table(csv(*(row.replace(";", delimiter) for row in rows)))
    assert result.dataset.X.tolist() == [[1.5, -2.25], [3.0, 4.0], [-0.5, 1.2]]
    assert result.notes == ("Decimal commas were read as decimal points.",)
    with pytest.raises(ValueError, match=r"Row 3, column `x1`: `1,000,5` is not a number\."):
        read_table(csv("x1;x2;label", "1;2;0", "1,000,5;4;1"))


def test_a_headerless_file_is_read_in_order_with_a_note():
    result = read_table(csv("1,2,0", "3,4,1", "5,6,1"))
    assert result.dataset.kind == "classification" and result.dataset.y.tolist() == [0, 1, 1]
    assert result.notes == (
        "The file has no header row: its columns were read as x1, x2 and label.",
    )
    regression = read_table(csv("1 2 0.5", "3 4 7"))
    assert regression.dataset.kind == "regression"
    assert "x1, x2 and target" in regression.notes[0]
    many = read_table(csv(*(f"{k},{k},{k}" for k in range(6))))
    assert many.dataset.kind == "regression"  # six different whole numbers: not classes
    with_split = read_table(csv("1,2,0,train", "3,4,1,Test"))
    assert with_split.is_train.tolist() == [True, False]
    assert "x1, x2, label and split" in with_split.notes[0]


def test_other_columns_are_left_out_with_a_note():
    result = read_table(csv('"",x1,x2,label,name', '"1",1,2,0,ann', '"2",3,4,1,bob'))
    assert result.dataset.X.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert result.notes == ('Columns `""`, `name` were not used.',)


def test_the_split_column_is_kept():
    result = read_table(csv("x1,x2,label,split", "1,2,0,test", "3,4,1,TRAIN", "5,6,1, train "))
    assert result.is_train.tolist() == [False, True, True]
    train, test = result.split(0.9, seed=0)  # the file's split wins over ratio and seed
    assert train.X.tolist() == [[3.0, 4.0], [5.0, 6.0]] and test.X.tolist() == [[1.0, 2.0]]


def test_tensorflow_playgrounds_minus_one_and_one_become_classes_0_and_1():
    result = read_table(csv("x1,x2,label", "1,2,-1", "3,4,1", "5,6,-1"))
    assert result.dataset.y.tolist() == [0, 1, 0]
    assert result.notes == ("The labels `-1`, `1` were read as classes 0, 1.",)
    renumbered = read_table(csv("x1,x2,label", "1,2,10", "3,4,30", "5,6,20"))
    assert renumbered.dataset.y.tolist() == [0, 2, 1]


def test_labels_0_to_4_are_kept_even_with_an_empty_class():
    result = read_table(csv("x1,x2,label", "1,2,1", "3,4,2"))
    assert result.dataset.y.tolist() == [1, 2] and result.dataset.n_classes == 3
    assert result.notes == (
        "No point has class 0: classes count from 0, so the data have 3 classes.",
    )


# ---------------------------------------------------------------- fitting the view


@pytest.mark.parametrize(
    ("rows", "centre", "scale", "note"),
    [
        (["-100,2,0", "50,1,1"], (0.0, 0.0), 0.05, "Scaled by 0.05 to fit the view (−6 … 6)."),
        (
            ["0,0,0", "10,7,1"],
            (5.0, 3.5),
            1.0,
            "Moved by −5 along x1 and −3.5 along x2 to fit the view (−6 … 6).",
        ),
        (
            ["100,200,0", "110,250,1", "104,230,1"],
            (105.0, 225.0),
            0.2,
            "Moved by −105 along x1 and −225 along x2, then scaled by 0.2 to fit the view "
            "(−6 … 6).",
        ),
        (
            ["150,1,0", "190,2,1"],
            (170.0, 0.0),
            0.25,
            "Moved by −170 along x1, then scaled by 0.25 to fit the view (−6 … 6).",
        ),
        (
            ["1e9,-3e9,0", "2e9,4e9,1"],
            (1.5e9, 0.0),
            1e-9,
            "Moved by −1.5e+09 along x1, then scaled by 1e−09 to fit the view (−6 … 6).",
        ),
    ],
)
def test_points_outside_the_view_are_moved_and_scaled_with_a_note(rows, centre, scale, note):
    raw = np.array([[float(v) for v in row.split(",")[:2]] for row in rows])
    result = read_table(csv("x1,x2,label", *rows))
    assert result.centre == centre and result.scale == scale
    assert result.notes == (note,)
    np.testing.assert_allclose(result.dataset.X, (raw - centre) * scale, rtol=1e-12)
    assert np.abs(result.dataset.X).max() <= engine.datasets.DOMAIN
    # one factor for both axes, and the nice one just below what would fill the view
    assert scale <= 6 / np.abs(raw - centre).max() < 2.5 * max(scale, 1)


def test_points_that_fit_are_not_touched():
    result = read_table(csv("x1,x2,target", "6,-6,0.5", "0.001,0.002,1"))
    assert result.scale == 1.0 and result.notes == ()
    assert result.dataset.X.tolist() == [[6.0, -6.0], [0.001, 0.002]]


def test_a_file_neuroplay_wrote_keeps_points_outside_the_view():
    text = csv(VIEW_MARK, "x1,x2,label,split", "7.5,0,0,train", "1,-9,1,test", "1,1,1,train")
    result = read_table(text)
    assert result.dataset.X.tolist() == [[7.5, 0.0], [1.0, -9.0], [1.0, 1.0]]
    assert result.notes == ("2 points lie outside the view (−6 … 6): trained on, not shown.",)


# ---------------------------------------------------------------- column mapping


def test_other_column_names_ask_for_a_mapping_then_read_with_it():
    data = csv("height,weight,group,name", "170,60,1,ann", "180,80,0,bob", "165,55,1,cy")
    with pytest.raises(UnknownColumnsError) as error:
        read_table(data)
    one_sentence(str(error.value))
    assert "`height`, `weight`, `group`, `name`" in str(error.value)
    table = error.value.table
    assert table.columns == ("height", "weight", "group", "name")
    assert table.numbers == ("height", "weight", "group")
    assert table.suggestion == ColumnMapping("height", "weight", label="group")
    result = table.read(table.suggestion)
    assert result.dataset.y.tolist() == [1, 0, 1]
    assert (result.centre, result.scale) == ((172.5, 68.0), 0.25)
    again = read_table(data, mapping=ColumnMapping("weight", "height", target="group"))
    assert again.dataset.kind == "regression"


def test_both_label_and_target_ask_which_to_learn():
    with pytest.raises(UnknownColumnsError, match="both a label and a target"):
        read_table(csv("x1,x2,label,target", "1,2,0,0.5", "3,4,1,0.7"))


def test_a_headerless_file_of_five_columns_offers_a_suggestion():
    with pytest.raises(UnknownColumnsError) as error:
        read_table(csv("1,2,0,9,train", "3,4,1,9,test"))
    table = error.value.table
    assert table.columns == tuple(f"column {k}" for k in range(1, 6))
    assert table.suggestion == ColumnMapping(
        "column 1", "column 2", label="column 3", split="column 5"
    )
    assert table.read(table.suggestion).is_train.tolist() == [True, False]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (ColumnMapping("a", "b"), "Choose one column as the label"),
        (ColumnMapping("a", "b", label="c", target="c"), "Choose one column as the label"),
        (ColumnMapping("a", "zz", label="c"), "There is no column `zz` in the file"),
        (ColumnMapping("a", "a", label="c"), "Choose a different column for each"),
        (ColumnMapping("a", "b", target="c", split="d"), "Row 2, column `d`: `x` is neither"),
    ],
)
def test_a_bad_mapping_gets_a_sentence(mapping, message):
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        read_table(csv("a,b,c,d", "1,2,0,x", "3,4,1,test"), mapping=mapping)
    one_sentence(str(error.value))


def test_too_few_number_columns_cannot_be_mapped():
    with pytest.raises(ValueError) as error:
        read_table(csv("a,b,c", "1,x,y", "2,z,w"))
    assert error.type is ValueError
    assert str(error.value) == (
        "The file needs three columns of numbers (x1, x2 and a label or target); 1 of its "
        "columns (`a`, `b`, `c`) holds numbers."
    )


# ---------------------------------------------------------------- bad files (the list)

BAD_FILES = {
    "non-numeric cell": (
        csv("x1,x2,label", "1,2,0", "3,abc,1"),
        "Row 3, column `x2`: `abc` is not a number.",
    ),
    "NaN": (
        csv("x1,x2,label", "1,NaN,0", "3,4,1"),
        "Row 2, column `x2`: `NaN` is not a finite number: remove that row or fill in a value.",
    ),
    "infinity": (csv("x1,x2,label", "1,2,0", "-inf,4,1"), "Row 3, column `x1`: `-inf` is not a"),
    "overflow": (csv("x1,x2,target", "1,2,1e999", "3,4,1"), "`1e999` is too large"),
    "too large": (csv("x1,x2,label", "1,2,0", "3,1e13,1"), "`1e13` is too large"),
    "empty cell": (csv("x1,x2,label", "1,,0", "3,4,1"), "Row 2, column `x2` is empty"),
    "empty file": (b"", "The file is empty"),
    "blank file": (b" \n\r\n\t\n", "The file is empty"),
    "header only": (csv("x1,x2,label"), "The file has a header row but no data"),
    "one row": (csv("x1,x2,label", "1,2,0"), "only one row of data"),
    "one class": (
        csv("x1,x2,label", "1,2,1", "3,4,1"),
        "Column `label` has only one class (`1`); NeuroPlay needs points of at least two",
    ),
    "more than five classes": (
        csv("x1,x2,label", *(f"{k},{k},{k}" for k in range(7))),
        "Column `label` has 7 different labels; NeuroPlay learns 2 to 5 classes",
    ),
    "2.5 as a label": (
        csv("x1,x2,label", "1,2,0", "3,4,2.5"),
        "Row 3, column `label`: `2.5` is not a class id",
    ),
    "PNG renamed .csv": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "The file `data.csv` is a PNG image, not text",
    ),
    "Excel workbook": (b"PK\x03\x04" + b"\x00" * 50, "a zip archive or an Excel workbook"),
    "NUL bytes": (b"x1,x2,label\n1,2,0\x00\n", "The file `data.csv` is not text: byte 18"),
    "invalid UTF-8": (b"x1,x2,label\n1,2,\xff\n", "is not UTF-8 text: byte 17 cannot be read"),
    "control character": (b"x1,x2,label\n1,2\x1b,0\n", "row 2 holds the control character"),
    "spreadsheet error": (
        csv("# exported", "x1,x2,label", "1,2,0", "#N/A,4,1", "# 5,6,1"),
        "Row 4, column `x1`: `#N/A` is not a number.",
    ),
    "50 MB": (lambda: b"x1,x2,label\n" + b"1,2,0\n" * 8_400_000, "The file is 50.4 MB"),
    "duplicate columns": (
        csv("x1,x2,x1,label", "1,2,3,0", "4,5,6,1"),
        "The column name `x1` appears twice (columns 1 and 3)",
    ),
    "duplicate columns by case": (
        csv("x1,x2,label,X2", "1,2,0,3", "4,5,1,6"),
        "The column name `X2` appears twice (columns 2 and 4)",
    ),
    "mixed delimiters": (
        csv("x1,x2,label", "1,2,0", "3;4;1"),
        "Row 3 is separated by semicolons but row 1 by commas",
    ),
    "mixed tabs": (
        csv("x1\tx2\tlabel", "1\t2\t0", "3,4,1"),
        "Row 3 is separated by commas but row 1 by tabs",
    ),
    "ragged row": (
        csv("x1,x2,label", "1,2,0", "", "3,4,1,7"),
        "Row 4 has 4 cells but row 1 has 3: every row needs the same number of cells.",
    ),
    "short row": (csv("x1,x2,label", "1,2,0", "3,4"), "Row 3 has 2 cells but row 1 has 3"),
    "two columns": (csv("x1,x2", "1,2"), "The file has 2 columns; NeuroPlay needs three"),
    "one column": (csv("x1", "1"), "The file has 1 column; NeuroPlay needs three"),
    "open quote": (csv("x1,x2,label", '"1,2,0', "3,4,1"), 'quotes (") do not pair up'),
    "too many rows": (
        csv("x1,x2,label", *["1,2,0"] * (MAX_ROWS + 1)),
        "The file has 10,001 rows of data; NeuroPlay reads at most 10,000",
    ),
    "bad split": (
        csv("x1,x2,label,split", "1,2,0,train", "3,4,1,validation"),
        "Row 3, column `split`: `validation` is neither train nor test.",
    ),
    "no test rows": (
        csv("x1,x2,label,split", "1,2,0,train", "3,4,1,train"),
        "Column `split` has no test rows",
    ),
    "no number columns": (csv("a,b,c", "x,y,z"), "0 of its columns (`a`, `b`, `c`) hold"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_each_bad_file_gets_one_sentence_naming_the_problem(case):
    data, expected = BAD_FILES[case]
    with pytest.raises(ValueError) as error:
        read_table(data() if callable(data) else data, filename="data.csv")
    assert error.type is ValueError  # a sentence, not a mapping step
    assert expected in str(error.value), str(error.value)
    one_sentence(str(error.value))


def test_the_size_limit_is_checked_before_anything_is_parsed(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(pd, "read_csv", no_parsing)
    good_rows = csv("x1,x2,label", *["1,2,0", "3,4,1"] * 5)
    too_big = good_rows + b" " * (own_data.MAX_BYTES + 1 - len(good_rows))
    with pytest.raises(ValueError, match=r"The file is 5\.0 MB; NeuroPlay reads files up to 5"):
        read_table(too_big)


def test_the_row_limit_is_checked_before_the_rows_are_read(monkeypatch):
    calls = []
    original = pd.read_csv

    def counting(source, *args, **kwargs):
        calls.append(source.getvalue().count("\n") + 1)
        return original(source, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", counting)
    with pytest.raises(ValueError, match="10,001 rows"):
        read_table(csv("x1,x2,label", *["1,2,0"] * (MAX_ROWS + 1)))
    assert calls == [1]  # the header row only
    assert len(read_table(csv("x1,x2,label", *["1,2,0", "3,4,1"] * (MAX_ROWS // 2))).dataset) == (
        MAX_ROWS
    )


@pytest.mark.parametrize("kind", list(HOSTILE_VALUES))
def test_text_from_the_file_appears_only_inside_code_spans(kind):
    value = HOSTILE_VALUES[kind].replace("\n", " ").replace(",", " ").replace('"', "'")
    for data in (
        b"\x89PNG\r\n",
        csv("x1,x2,label", f"1,{value},0", "3,4,1"),
        csv(f"x1,x2,label,{value}", "1,2,0,3", "3,4,1,3"),
        csv(f"a,{value},c", "1,2,0", "3,4,1"),
        csv("x1,x2,label,split", f"1,2,0,{value}", "3,4,1,test"),
    ):
        try:
            result = read_table(data, filename=value)
        except ValueError as error:
            messages = [str(error)]
        else:
            messages = list(result.notes)
        for message in messages:
            outside, _ = split_code_spans(message)
            assert EVIL not in outside and "<" not in outside and "[" not in outside, message


def test_parse_table_reports_what_it_found():
    table = parse_table(csv("x1;x2;label", "1;2;0", "3;4;1"))
    assert table.header and table.delimiter == "semicolons" and table.rows.tolist() == [2, 3]


# ---------------------------------------------------------------- writing


def test_to_csv_writes_the_mark_the_columns_and_the_split():
    data = engine.Dataset.from_arrays([[0.1, -2.0], [1 / 3, 5.5], [-0.0, 1e-300]], [1, 0, 1])
    text = to_csv(data.subset(np.array([2, 0])), data.subset(np.array([1])))
    assert text.decode() == (
        f"{VIEW_MARK}\nx1,x2,label,split\n-0.0,1e-300,1,train\n0.1,-2.0,1,train\n"
        "0.3333333333333333,5.5,0,test\n"
    )
    result = read_table(text)
    assert result.is_train.tolist() == [True, True, False]
    assert np.signbit(result.dataset.X[0, 0]) and result.dataset.X[2, 0] == 1 / 3


@pytest.mark.parametrize("name", list(engine.DATASETS))
def test_every_generated_data_set_uploads_back_the_same(name):
    data = engine.make_dataset(name, noise=0.5, seed=4)  # noisy: some points leave the view
    train, test = engine.train_test_split(data, 0.3, seed=9)
    back_train, back_test = read_table(to_csv(train, test)).split(0.5, seed=0)
    for original, back in ((train, back_train), (test, back_test)):
        assert original.X.tobytes() == back.X.tobytes()
        assert original.y.tobytes() == back.y.tobytes()
        assert (original.kind, original.n_classes) == (back.kind, back.n_classes)


def test_to_csv_needs_two_parts_of_one_data_set():
    circle = engine.make_dataset("circle", n_points=10)
    plane = engine.make_dataset("plane", n_points=10)
    with pytest.raises(TypeError, match=r"test must be an engine\.Dataset"):
        to_csv(circle, None)
    with pytest.raises(ValueError, match="train and test must come from one data set"):
        to_csv(circle, plane)


# ---------------------------------------------------------------- links


def split_of(data: engine.Dataset, seed: int = 1) -> tuple[engine.Dataset, engine.Dataset]:
    return engine.train_test_split(data, 0.5, seed=seed)


@pytest.mark.parametrize(("name", "size"), [("blobs", 1342), ("plane", 1609), ("spiral", 1342)])
def test_200_points_fit_a_link_of_under_2_kb(name, size):
    classes = 5 if name == "blobs" else None
    train, test = split_of(engine.make_dataset(name, n_points=MAX_LINK_POINTS, n_classes=classes))
    assert link_problem(train, test) is None
    text = encode_points(train, test)
    assert len(text) == size <= own_data.MAX_LINK_CHARACTERS
    assert re.fullmatch(r"1\.[A-Za-z0-9_-]+", text)  # safe in a URL as it is
    result = decode_points(text)
    back_train, back_test = result.split(0.9, seed=5)  # the link's split, not a new one
    assert len(back_train) == len(train) and len(back_test) == len(test)
    assert np.abs(back_train.X - train.X).max() <= 0.005 + 1e-12
    assert np.abs(back_test.X - test.X).max() <= 0.005 + 1e-12
    if train.kind == "classification":
        assert back_train.y.tolist() == train.y.tolist()
        assert back_train.n_classes == train.n_classes
    else:
        assert np.abs(back_train.y - train.y).max() <= 0.0005 + 1e-12


def test_a_link_reopens_to_itself():
    train, test = split_of(engine.make_dataset("xor", n_points=50, seed=3))
    once = decode_points(encode_points(train, test))
    twice = decode_points(encode_points(*once.split(0.5, 0)))
    assert once.dataset.X.tobytes() == twice.dataset.X.tobytes()
    assert once.is_train.tolist() == twice.is_train.tolist()


def test_larger_sets_say_plainly_that_the_link_cannot_hold_them():
    train, test = split_of(engine.make_dataset("circle", n_points=MAX_LINK_POINTS + 1))
    problem = link_problem(train, test)
    assert problem == (
        "The link does not contain the points: it holds at most 200 (download the data set "
        "as a file instead)."
    )
    with pytest.raises(ValueError, match=re.escape(problem)):
        encode_points(train, test)
    far = engine.Dataset.from_arrays([[0, 0], [400, 0]], [0, 1])
    assert "coordinates up to ±327.67" in link_problem(far.subset([0]), far.subset([1]))
    big = engine.Dataset.from_arrays([[0, 0], [1, 0]], [0.5, 40.0])
    assert "targets up to ±32.767" in link_problem(big.subset([0]), big.subset([1]))


def link(payload: bytes) -> str:
    return "1." + own_data.base64.urlsafe_b64encode(payload).decode().rstrip("=")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is not in the form NeuroPlay writes"),
        ("2.AAAA", "`2.AAAA` is not in the form NeuroPlay writes"),
        ("1.", "cut short"),
        ("1.A", "cut short or changed"),
        ("1.AAA$", "cut short or changed"),
        ("1.AA==", "cut short or changed"),
        ("1." + "A" * 9000, "longer than any link"),
        (link(b"\x02\x00\x00\x00\x00"), "they count 0 points"),
        (link(b"\x02\x00\x03\x00\x03" + bytes(15)), "they count 3 points, 3 for training"),
        (link(b"\x07\x00\x02\x00\x01" + bytes(10)), "they name 7 classes"),
        (link(b"\x01\x00\x02\x00\x01" + bytes(10)), "they name 1 classes"),
        (link(b"\x02\x00\x02\x00\x01" + bytes(11)), "cut short or changed"),
        (link(b"\x02\x00\x02\x00\x01" + bytes(10)), "all points are of one class"),
    ],
)
def test_a_broken_link_gets_a_sentence(text, message):
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        decode_points(text)
    assert error.type is ValueError
    one_sentence(str(error.value))


def test_a_changed_class_id_or_a_cut_link_is_refused():
    train, test = split_of(engine.make_dataset("circle", n_points=6, seed=2))
    text = encode_points(train, test)
    with pytest.raises(ValueError, match="cut short or changed"):
        decode_points(text[:-4])
    payload = bytearray(own_data.base64.urlsafe_b64decode(text[2:] + "=" * (-len(text) % 4)))
    payload[-1] = 9  # class 9 of 2
    with pytest.raises(ValueError, match="do not fit 2 classes"):
        decode_points(link(bytes(payload)))
