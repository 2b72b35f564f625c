"""Your own data: read a CSV or TSV file, write one, and carry a small set in a link.

Pure Python over pandas and the engine, no Streamlit, so the Playground's upload, download and
link code (and tests, and notebooks) share it. Nothing in a file is ever executed or
unpickled: the bytes are decoded as text, split into cells, and each cell is read as a number
(or as ``train``/``test``).

**Reading** (``read_table``). A table of text, UTF-8 (or UTF-16 with its byte-order mark, as
Excel's "Unicode text" writes it), at most ``MAX_BYTES``; the cells separated by commas, tabs,
semicolons or runs of spaces, which is decided from the first row and must be the same on every
row (in a file not separated by commas, a decimal comma is read as a point); blank rows are
skipped, and so are comment rows (``#`` and a space) before the table. The first row is the
header when none of its cells is a number. Columns named ``x1, x2, label`` (classification) or
``x1, x2, target`` (regression), in any order and any letter case, with an optional ``split``
column of ``train``/``test`` (as ``to_csv`` writes it), are understood, and other columns left
out with a note; a headerless file of three columns (four, when the last is the split) is read
in that order, the third being a label if it holds at most five different whole numbers. Other
names raise ``UnknownColumnsError``, which carries the parsed ``Table``: a column-mapping step
shows its number columns and reads it with ``table.read(ColumnMapping(...))``. At most
``MAX_ROWS`` data rows: more are refused, never cut. At least two rows (a training and a test
point).

Labels are whole numbers, at most five different ones and at least two. Labels 0 … 4 are the
class ids as they are (a class below the largest may have no point: the note says so);
others, such as TensorFlow Playground's −1 and +1, are numbered 0, 1, … in increasing order,
with a note.

Every problem raises ``ValueError`` with one sentence that names the row (counted as a text
editor or a spreadsheet counts them: the file's lines, from 1) and the column where it can;
text from the file is quoted only through ``playground.quote.code``, so the sentences can be
shown as Markdown.

**Points outside the view are moved and scaled, not refused.** The Playground shows
[-6, 6]², and data from an exercise sheet (heights in cm, marks out of 100) rarely fit it;
refusing would send every such user to a spreadsheet first. When a point lies outside, both
axes are scaled by one factor (so a circle stays a circle and the two axes keep their ratio),
a "nice" one (1, 2, 2.5 or 5 times a power of ten: the note stays readable and the user can
undo it in their head), the largest that brings every point into the view. An axis whose
values leave the view and lie far from 0 (the origin outside the middle half of their range)
is first moved by a round number so they are centred; otherwise the origin stays where the
user put it. ``OwnData.notes`` says what was done ("Scaled by 0.05 to fit the view
(−6 … 6)."). Data that fit are never touched, nor are the points of a file ``to_csv`` wrote
(``VIEW_MARK``). Regression targets are kept as they are.

**Writing** (``to_csv``): reading the file gives back the same points, values and split, bit
for bit.

**Links** (``encode_points`` / ``decode_points``): up to ``MAX_LINK_POINTS`` points in
binary, base64url, behind the version prefix ``"1."``: 1,342 characters for 200 classified
points, 1,609 for 200 regression points (coordinates in hundredths, targets in thousandths).
The link carries the split (the number of training points; they come first) rather
than re-deriving it from the seed and the train ratio: drawn points get their side when they
are drawn and a file may bring its own split, and neither is what ``train_test_split`` would
give. ``link_problem`` says in a sentence why a set cannot go into a link (too many points).
"""

from __future__ import annotations

import base64
import io
import math
import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

import engine
from engine.checks import MAX_ABS_POINT, MAX_ABS_VALUE
from engine.datasets import DOMAIN, MULTICLASS_RANGE

from .quote import code

__all__ = [
    "MAX_BYTES",
    "MAX_LINK_POINTS",
    "MAX_ROWS",
    "ColumnMapping",
    "OwnData",
    "Table",
    "UnknownColumnsError",
    "decode_points",
    "encode_points",
    "link_problem",
    "parse_table",
    "read_table",
    "to_csv",
]

MAX_BYTES = 5_000_000  # 5 MB: 10,000 rows of to_csv's longest numbers take under 1 MB
MAX_ROWS = 10_000
MAX_CLASSES = MULTICLASS_RANGE[1]
# Larger coordinates or targets are refused (the engine's limit for data values).
MAX_ABS_NUMBER = MAX_ABS_VALUE
SPLIT_VALUES = ("train", "test")
# to_csv's first line. A file that has it holds the view's own coordinates: they are kept as
# they are, even beyond ±6 (a noisy generated set has such points), so a download uploads
# again unchanged. No comma or quote in it: a spreadsheet saves it back as it is.
VIEW_MARK = "# NeuroPlay data set: x1 and x2 are the view's own coordinates (kept as they are)"
# Delimiters tried on the first row, most specific first (a tie goes to the earlier one: in a
# semicolon file "1,5;2" the comma is a decimal comma). None: runs of spaces or tabs.
DELIMITERS = {"\t": "tabs", ";": "semicolons", ",": "commas"}
WHITESPACE = "spaces"

# Links
LINK_PREFIX = "1."  # format version 1
MAX_LINK_POINTS = 200
POINT_STEP = 0.01  # a coordinate is a 16-bit count of hundredths: ±327.67
TARGET_STEP = 0.001  # a target is a 16-bit count of thousandths: ±32.767
MAX_LINK_CHARACTERS = 2048
_INT16 = np.iinfo(np.int16)
_MAX_LINK_TEXT = 4 * MAX_LINK_CHARACTERS  # longer link values are refused unread

# What a file's first bytes say it is, for the message (no text file starts like these).
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive or an Excel workbook"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word file"),
)
_QUOTED = re.compile(r'"[^"]*"')
_LINK_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")
_NAN = ("nan", "+nan", "-nan")  # what pandas reads as NaN


class UnknownColumnsError(ValueError):
    """The file's columns are not named x1, x2 and label or target: ``table`` holds the
    parsed file, its number columns and a suggested ``ColumnMapping``."""

    def __init__(self, message: str, table: Table) -> None:
        super().__init__(message)
        self.table = table


@dataclass(frozen=True)
class ColumnMapping:
    """Which column is which, by the names ``Table.columns`` shows.

    Exactly one of ``label`` (class ids: classification) and ``target`` (numbers:
    regression); ``split`` optionally names a column of train/test.
    """

    x1: str
    x2: str
    label: str | None = None
    target: str | None = None
    split: str | None = None


@dataclass(frozen=True, eq=False)  # arrays inside: compared by identity, not by ==
class OwnData:
    """A data set read from a file or a link.

    Attributes:
        dataset: every point, in the file's order (``name`` "custom").
        is_train: (n,) bool, the file's split (True: training point), or None: split by the
            train ratio and seed (``split``).
        notes: sentences (Markdown-safe) saying what reading changed or assumed.
        centre, scale: the view's point is (file's point − centre) · scale.
    """

    dataset: engine.Dataset
    is_train: np.ndarray | None = None
    notes: tuple[str, ...] = ()
    centre: tuple[float, float] = (0.0, 0.0)
    scale: float = 1.0

    def resplit(self, train_fraction: float, seed: int) -> OwnData:
        """The same points in the same order, split anew by ``train_fraction`` as
        ``engine.train_test_split`` would choose them (the training data slider moved)."""
        n = len(self.dataset)
        if n < 2:
            return self
        order = np.random.default_rng(seed).permutation(n)
        is_train = np.zeros(n, dtype=bool)
        is_train[order[: min(max(round(n * train_fraction), 1), n - 1)]] = True
        return replace(self, is_train=is_train)

    def split(self, train_fraction: float, seed: int) -> tuple[engine.Dataset, engine.Dataset]:
        """(train, test): the carried split if there is one, else ``engine.train_test_split``."""
        if self.is_train is None:
            return engine.train_test_split(self.dataset, train_fraction, seed)
        return (
            self.dataset.subset(np.flatnonzero(self.is_train)),
            self.dataset.subset(np.flatnonzero(~self.is_train)),
        )


@dataclass(frozen=True, eq=False)
class Table:
    """A parsed file before its columns are read as numbers.

    Attributes:
        columns: the column names (a headerless file's are "column 1", "column 2", …).
        header: whether the first row held the names.
        numbers: the columns whose cells are mostly numbers (what a mapping can choose).
        suggestion: for a mapping step, when the names say nothing: x1, x2 and label or
            target from the first three of ``numbers`` (None with fewer), and a train/test
            column if there is one.
        delimiter: what separates the cells (tabs, semicolons, commas or spaces).
    """

    columns: tuple[str, ...]
    header: bool
    numbers: tuple[str, ...]
    suggestion: ColumnMapping | None
    delimiter: str
    cells: pd.DataFrame = field(repr=False)  # strings, one column per name
    values: pd.DataFrame = field(repr=False)  # the cells as float64 (NaN: not a number)
    rows: np.ndarray = field(repr=False)  # (n,) the file's line number of each data row
    guess: ColumnMapping | None = field(default=None, repr=False)  # from the names
    view_coordinates: bool = False  # the file has VIEW_MARK: keep x1, x2 as they are

    def read(self, mapping: ColumnMapping | None = None) -> OwnData:
        """The data, reading the columns ``mapping`` names (None: by their names; raises
        ``UnknownColumnsError`` if they say nothing)."""
        if mapping is None:
            if self.guess is None:
                raise _mapping_needed(self)
            mapping = self.guess
        return _read_columns(self, _checked_mapping(self, mapping))


def read_table(
    data: bytes, filename: str | None = None, mapping: ColumnMapping | None = None
) -> OwnData:
    """Read an uploaded CSV/TSV file (see the module docstring).

    Args:
        data: the file's bytes.
        filename: shown in messages about a file that is not text.
        mapping: which column is which; None reads the columns by their names (or a
            headerless file's order) and raises ``UnknownColumnsError`` if they say nothing.

    Raises:
        ValueError: one sentence naming the problem (and its row and column).
        UnknownColumnsError: a ``ValueError`` carrying the parsed ``table`` for a mapping step.
    """
    return parse_table(data, filename).read(mapping)


def parse_table(data: bytes, filename: str | None = None) -> Table:
    """Decode, split and name the cells of a file, without reading them as numbers yet."""
    text = _text(data, filename)
    lines = text.split("\n")
    comments = 0  # leading "# …" lines; later ones are rows ("#N/A" is a spreadsheet's)
    while comments < len(lines) and (not lines[comments].strip() or _is_comment(lines[comments])):
        comments += 1
    numbered = [
        (number, line)
        for number, line in enumerate(lines[comments:], start=comments + 1)
        if line.strip()
    ]
    view_coordinates = any(line.startswith(VIEW_MARK) for line in lines[:comments])
    if not numbered:
        raise ValueError("The file is empty: it holds no rows of data.")
    delimiter = _delimiter(numbered[0][1])
    width = _cell_count(numbered[0][1], delimiter)
    if width < 3:
        raise ValueError(
            f"The file has {_count(width, 'column')}; NeuroPlay needs three: x1, x2 and a "
            "label or a target."
        )
    decimal_comma = delimiter != ","
    first = _cells(numbered[:1], delimiter, width)
    header = not _is_number(first.iloc[0], _numbers(first, decimal_comma)[0]).any()
    if len(numbered) - header > MAX_ROWS:  # counted before the rows are read
        raise ValueError(
            f"The file has {len(numbered) - header:,} rows of data; NeuroPlay reads at most "
            f"{MAX_ROWS:,} (none were read: shorten the file)."
        )
    if len(numbered) == header:
        raise ValueError(
            "The file has a header row but no data: add rows of x1, x2 and a label or target."
        )
    _check_rows(numbered, delimiter, width)
    cells = _cells(numbered[header:], delimiter, width).reset_index(drop=True)
    numbered = numbered[header:]
    if header:
        names = [name.strip() for name in first.iloc[0]]
    else:
        names = [f"column {k}" for k in range(1, width + 1)]
    names, cells = _without_empty_columns(names, cells)
    _check_unique(names)
    cells.columns = names
    values = pd.DataFrame(_numbers(cells, decimal_comma), columns=names)
    numbers = tuple(name for name in names if values[name].notna().mean() >= 0.5)
    guess = _guess(names, cells, values, header)
    return Table(
        columns=tuple(names),
        header=header,
        numbers=numbers,
        suggestion=None if guess else _suggestion(cells, values, numbers),
        delimiter=DELIMITERS.get(delimiter, WHITESPACE),
        cells=cells,
        values=values,
        rows=np.array([number for number, _ in numbered]),
        guess=guess,
        view_coordinates=view_coordinates,
    )


# ---------------------------------------------------------------- bytes → text → cells


def _text(data: bytes, filename: str | None) -> str:
    """The file as text with "\\n" line ends, or a ValueError saying why it is not text."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"data must be the file's bytes; got {type(data).__name__}.")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ValueError(
            f"The file is {len(data) / 1e6:.1f} MB; NeuroPlay reads files up to "
            f"{MAX_BYTES / 1e6:.0f} MB (at most {MAX_ROWS:,} rows)."
        )
    name = "The file" if filename is None else f"The file {code(filename)}"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ValueError(
                f"{name} is {what}, not text: NeuroPlay reads CSV or TSV text (save it as CSV)."
            )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
        nul = data.find(b"\0")
        if nul >= 0:
            raise ValueError(
                f"{name} is not text: byte {nul + 1:,} is a NUL byte (is it a CSV file?)."
            )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{name} is not {'UTF-16' if encoding == 'utf-16' else 'UTF-8'} text: byte "
            f"{error.start + 1:,} cannot be read; save it as CSV (UTF-8)."
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    if control:
        row = text.count("\n", 0, control.start()) + 1
        raise ValueError(
            f"{name} is not plain text: row {row:,} holds the control character "
            f"U+{ord(control.group()):04X} (is it a CSV file?)."
        )
    return text


def _is_comment(line: str) -> bool:
    """``#`` and a space (or nothing) at the start: a comment, as NumPy's ``savetxt`` writes
    its header; a spreadsheet's ``#N/A`` or ``#DIV/0!`` is a cell."""
    stripped = line.strip()
    return stripped == "#" or stripped.startswith(("# ", "#\t"))


def _delimiter(first: str) -> str | None:
    """The first row's delimiter: the character that splits it most (None: spaces)."""
    unquoted = _QUOTED.sub("", first)
    counts = {char: unquoted.count(char) for char in DELIMITERS}
    best = max(counts, key=counts.get)  # the first of equal counts
    return best if counts[best] else None


def _cell_count(line: str, delimiter: str | None) -> int:
    unquoted = _QUOTED.sub("", line) if '"' in line else line
    if delimiter is None:
        return len(unquoted.split())
    return unquoted.count(delimiter) + 1


def _check_rows(numbered: list[tuple[int, str]], delimiter: str | None, width: int) -> None:
    """ValueError for a row without ``width`` cells (or separated by another delimiter)."""
    first_row = numbered[0][0]
    for number, line in numbered[1:]:
        cells = _cell_count(line, delimiter)
        if cells == width:
            continue
        for other, name in (*DELIMITERS.items(), (None, WHITESPACE)):
            if other != delimiter and _cell_count(line, other) == width > 1:
                raise ValueError(
                    f"Row {number:,} is separated by {name} but row {first_row:,} by "
                    f"{DELIMITERS.get(delimiter, WHITESPACE)}: use one delimiter throughout "
                    "the file."
                )
        raise ValueError(
            f"Row {number:,} has {_count(cells, 'cell')} but row {first_row:,} has {width}: "
            "every row needs the same number of cells."
        )


def _cells(numbered: list[tuple[int, str]], delimiter: str | None, width: int) -> pd.DataFrame:
    """Every cell as a string (pandas' C parser; quotes are removed, nothing is converted)."""
    source = io.StringIO("\n".join(line for _, line in numbered))
    try:
        cells = pd.read_csv(
            source,
            sep=r"\s+" if delimiter is None else delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OverflowError):
        cells = None
    if cells is None or cells.shape != (len(numbered), width):
        raise ValueError(
            "The file's quotes (\") do not pair up within each row: remove them, or close "
            "each one on the row where it opens."
        )
    return cells


def _without_empty_columns(names: list[str], cells: pd.DataFrame) -> tuple[list, pd.DataFrame]:
    """Drop columns without a name or a value (a delimiter at the end of every row)."""
    keep = [k for k, name in enumerate(names) if name or (cells.iloc[:, k].str.strip() != "").any()]
    return [names[k] for k in keep], cells.iloc[:, keep].copy()


def _check_unique(names: list[str]) -> None:
    seen: dict[str, int] = {}
    for k, name in enumerate(names, start=1):
        key = name.casefold()
        if key in seen:
            raise ValueError(
                f"The column name {code(name)} appears twice (columns {seen[key]} and {k}): "
                "each column needs its own name."
            )
        seen[key] = k


def _is_number(cells: pd.Series | np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which cells read as numbers (``values`` from ``_numbers``), NaN and infinity included:
    they are data, refused later with their row."""
    spelled_nan = np.isin(np.char.lower(np.char.strip(np.asarray(cells, dtype=str))), _NAN)
    return ~np.isnan(values) | spelled_nan


def _numbers(cells: pd.DataFrame, decimal_comma: bool) -> np.ndarray:
    """(rows, columns) float64: each cell as a number, NaN where it is not one, in one call
    of pandas' parser (which reads every float exactly; 15 ms for 30,000 cells, and ten
    times that for its Arrow strings, hence ``object``).  With ``decimal_comma`` (a file not
    separated by commas) a comma is a decimal point: "1,5" is 1.5, while "1,000,5" or
    "1.000,5" stay text."""
    flat = cells.to_numpy(dtype=object).ravel()
    if decimal_comma:
        flat = np.array([cell.replace(",", ".") for cell in flat], dtype=object)
    values = pd.to_numeric(pd.Series(flat, dtype=object), errors="coerce")
    return values.to_numpy(np.float64, copy=True, na_value=np.nan).reshape(cells.shape)


# ---------------------------------------------------------------- which column is which


def _guess(
    names: list[str], cells: pd.DataFrame, values: pd.DataFrame, header: bool
) -> ColumnMapping | None:
    """The mapping the names give (x1, x2, label|target, split), or a headerless file's order."""
    if header:
        by_name = {name.casefold(): name for name in names}
        if not {"x1", "x2"} <= set(by_name) or ("label" in by_name) == ("target" in by_name):
            return None
        return ColumnMapping(
            by_name["x1"],
            by_name["x2"],
            label=by_name.get("label"),
            target=by_name.get("target"),
            split=by_name.get("split"),
        )
    if len(names) == 3 or (len(names) == 4 and _is_split(cells[names[3]])):
        split = names[3] if len(names) == 4 else None
        return _with_value(names[0], names[1], names[2], values[names[2]], split)
    return None


def _suggestion(
    cells: pd.DataFrame, values: pd.DataFrame, numbers: tuple[str, ...]
) -> ColumnMapping | None:
    if len(numbers) < 3:
        return None
    split = next((name for name in cells.columns if _is_split(cells[name])), None)
    return _with_value(numbers[0], numbers[1], numbers[2], values[numbers[2]], split)


def _with_value(x1: str, x2: str, value: str, column: pd.Series, split: str | None):
    """Label if the column holds at most five different whole numbers, else target."""
    values = column.dropna()
    whole = bool((values == np.round(values)).all()) and values.nunique() <= MAX_CLASSES
    return ColumnMapping(
        x1, x2, label=value if whole else None, target=None if whole else value, split=split
    )


def _is_split(column: pd.Series) -> bool:
    return bool(column.str.strip().str.lower().isin(SPLIT_VALUES).all())


def _mapping_needed(table: Table) -> ValueError:
    """UnknownColumnsError with a sentence, or a plain ValueError if no mapping can help."""
    names = _names(table.columns)
    if len(table.numbers) < 3:
        return ValueError(
            f"The file needs three columns of numbers (x1, x2 and a label or target); "
            f"{len(table.numbers)} of its columns ({names}) "
            f"{'holds' if len(table.numbers) == 1 else 'hold'} numbers."
        )
    if {"label", "target"} <= {name.casefold() for name in table.columns}:
        return UnknownColumnsError(
            "The file has both a label and a target column: choose which one to learn.", table
        )
    return UnknownColumnsError(
        f"The columns {names} are not named x1, x2 and label or target: choose which column "
        "is which.",
        table,
    )


def _names(columns: tuple[str, ...] | list[str], at_most: int = 8) -> str:
    """Column names as code, the first ``at_most`` of them."""
    shown = ", ".join(code(name) for name in columns[:at_most])
    return shown + (", …" if len(columns) > at_most else "")


def _checked_mapping(table: Table, mapping: ColumnMapping) -> ColumnMapping:
    if not isinstance(mapping, ColumnMapping):
        raise TypeError(f"mapping must be a ColumnMapping; got {type(mapping).__name__}.")
    if (mapping.label is None) == (mapping.target is None):
        raise ValueError("Choose one column as the label (classes) or the target (numbers).")
    chosen = [mapping.x1, mapping.x2, mapping.label or mapping.target]
    chosen += [mapping.split] if mapping.split is not None else []
    for name in chosen:
        if name not in table.columns:
            raise ValueError(
                f"There is no column {code(name)} in the file; its columns are "
                f"{_names(table.columns)}."
            )
    if len(set(chosen)) < len(chosen):
        raise ValueError(
            "Choose a different column for each of x1, x2, the label or target, and the split."
        )
    return mapping


# ---------------------------------------------------------------- columns → data set


def _read_columns(table: Table, mapping: ColumnMapping) -> OwnData:
    value_name = mapping.label or mapping.target
    names = [mapping.x1, mapping.x2, value_name]
    values = table.values[names].to_numpy()
    _check_numbers(table, names, values)
    notes = []
    if _any_decimal_comma(table, names):
        notes.append("Decimal commas were read as decimal points.")
    if not table.header:
        read_as = ["x1", "x2", "label" if mapping.label else "target"]
        read_as += ["split"] if mapping.split else []
        notes.append(
            "The file has no header row: its columns were read as "
            f"{', '.join(read_as[:-1])} and {read_as[-1]}."
        )
    ignored = [name for name in table.columns if name not in (*names, mapping.split)]
    if ignored and table.header:
        were = "Columns {} were" if len(ignored) > 1 else "Column {} was"
        notes.append(were.format(_names(ignored, 5)) + " not used.")
    X, centre, scale, note = _fit_to_view(values[:, :2], table.view_coordinates)
    if note:
        notes.append(note)
    if mapping.label is not None:
        labels, label_notes = _class_ids(table, mapping.label, values[:, 2])
        notes += label_notes
        dataset = engine.Dataset.from_arrays(X, labels, kind="classification")
    else:
        dataset = engine.Dataset.from_arrays(X, values[:, 2], kind="regression")
    is_train = None if mapping.split is None else _split(table, mapping.split)
    return OwnData(dataset, is_train, tuple(notes), centre, scale)


def _column_name(table: Table, name: str) -> str:
    return code(name) if table.header else name


def _check_numbers(table: Table, names: list[str], values: np.ndarray) -> None:
    """ValueError for the first (by row, then column) cell that is not a usable number."""
    usable = np.isfinite(values) & (np.abs(values) <= MAX_ABS_NUMBER)
    if usable.all():
        if len(values) < 2:
            raise ValueError(
                "The file has only one row of data; NeuroPlay needs at least two points (one "
                "to train on, one to test)."
            )
        return
    row, k = np.unravel_index(int(np.argmin(usable)), usable.shape)
    where = f"Row {table.rows[row]:,}, column {_column_name(table, names[k])}"
    cell = table.cells[names[k]].iloc[row].strip()
    value = values[row, k]
    if not cell:
        raise ValueError(f"{where} is empty: every row needs x1, x2 and a label or target.")
    if np.isnan(value) and cell.lower() not in _NAN:
        raise ValueError(f"{where}: {code(cell)} is not a number.")
    if np.isnan(value) or (np.isinf(value) and "inf" in cell.lower()):
        raise ValueError(
            f"{where}: {code(cell)} is not a finite number: remove that row or fill in a value."
        )
    raise ValueError(
        f"{where}: {code(cell)} is too large; NeuroPlay reads values up to 10¹² in size."
    )


def _any_decimal_comma(table: Table, names: list[str]) -> bool:
    return table.delimiter != DELIMITERS[","] and any(
        table.cells[name].str.contains(",", regex=False).any() for name in names
    )


def _class_ids(table: Table, name: str, values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Class ids 0 … k − 1 from a label column, and notes on what was assumed."""
    column = _column_name(table, name)
    whole = values == np.round(values)
    if not whole.all():
        row = int(np.argmin(whole))
        raise ValueError(
            f"Row {table.rows[row]:,}, column {column}: "
            f"{code(table.cells[name].iloc[row].strip())} is not a class id (a whole number); "
            "for numbers to predict, name the column target."
        )
    classes = np.unique(values)
    if len(classes) > MAX_CLASSES:
        raise ValueError(
            f"Column {column} has {len(classes)} different labels; NeuroPlay learns 2 to "
            f"{MAX_CLASSES} classes (for numbers to predict, name the column target)."
        )
    if len(classes) < 2:
        raise ValueError(
            f"Column {column} has only one class ({code(_shown_number(classes[0]))}); "
            "NeuroPlay needs points of at least two classes."
        )
    notes = []
    if classes[0] < 0 or classes[-1] >= MAX_CLASSES:
        shown = ", ".join(code(_shown_number(c)) for c in classes)
        notes.append(
            f"The labels {shown} were read as classes {', '.join(map(str, range(len(classes))))}."
        )
        return np.searchsorted(classes, values).astype(np.int64), notes
    missing = sorted(set(range(int(classes[-1]))) - {int(c) for c in classes})
    if missing:
        notes.append(
            f"No point has class {', '.join(map(str, missing))}: classes count from 0, so "
            f"the data have {int(classes[-1]) + 1} classes."
        )
    return values.astype(np.int64), notes


def _shown_number(value: float) -> str:
    return str(int(value)) if value == round(value) and abs(value) < 1e15 else repr(float(value))


def _split(table: Table, name: str) -> np.ndarray:
    words = table.cells[name].str.strip().str.lower()
    bad = ~words.isin(SPLIT_VALUES)
    column = _column_name(table, name)
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        raise ValueError(
            f"Row {table.rows[row]:,}, column {column}: {code(table.cells[name].iloc[row])} "
            "is neither train nor test."
        )
    is_train = (words == "train").to_numpy()
    for side, count in (("train", is_train.sum()), ("test", (~is_train).sum())):
        if not count:
            raise ValueError(
                f"Column {column} has no {side} rows: a split needs both train and test "
                "rows (or remove the column to split by the train ratio)."
            )
    return is_train


# ---------------------------------------------------------------- fitting the view


def _fit_to_view(
    points: np.ndarray, keep: bool = False
) -> tuple[np.ndarray, tuple[float, float], float, str]:
    """(points in the view, centre, scale, note): unchanged (note "") if they fit; with
    ``keep`` (a file ``to_csv`` wrote) unchanged, noting the points outside the view."""
    outside = int((np.abs(points) > DOMAIN).any(axis=1).sum())
    if not outside:
        return points, (0.0, 0.0), 1.0, ""
    if keep and np.abs(points).max() <= MAX_ABS_POINT:
        lie = "point lies" if outside == 1 else "points lie"
        note = (
            f"{outside:,} {lie} outside the view (−{DOMAIN:g} … {DOMAIN:g}): trained on, not shown."
        )
        return points, (0.0, 0.0), 1.0, note
    low, high = points.min(axis=0), points.max(axis=0)
    middle, half = (low + high) / 2, (high - low) / 2
    centre = tuple(
        0.0
        if abs(m) <= h / 2 or max(-lo, hi) <= DOMAIN
        else _round_to(m, _power_of_ten(h if h > 0 else abs(m)) / 10)  # 2 significant digits
        for m, h, lo, hi in zip(middle, half, low, high)
    )
    reach = float(np.abs(points - centre).max())
    scale = _nice_at_most(DOMAIN / reach) if reach > DOMAIN else 1.0
    fitted = np.clip((points - centre) * scale, -DOMAIN, DOMAIN)  # clip: ≤ 1 ulp over
    moves = [f"{-c:g} along {axis}" for c, axis in zip(centre, ("x1", "x2")) if c]
    changes = [f"moved by {' and '.join(moves)}"] if moves else []
    changes += [f"scaled by {scale:g}"] if scale != 1.0 else []
    note = f"{', then '.join(changes)} to fit the view (−{DOMAIN:g} … {DOMAIN:g})."
    return fitted, centre, scale, (note[0].upper() + note[1:]).replace("-", "−")


def _power_of_ten(value: float) -> float:
    return 10.0 ** math.floor(math.log10(value))


def _round_to(value: float, step: float) -> float:
    return float(f"{round(value / step) * step:.12g}")


def _nice_at_most(value: float) -> float:
    """The largest 1, 2, 2.5 or 5 × 10ᵏ that is ≤ value."""
    power = _power_of_ten(value)
    for mantissa in (5.0, 2.5, 2.0, 1.0):
        nice = float(f"{mantissa * power:.12g}")
        if nice <= value:
            return nice
    return power


# ---------------------------------------------------------------- writing


def to_csv(train: engine.Dataset, test: engine.Dataset) -> bytes:
    """The data set as CSV text: ``VIEW_MARK``, then ``x1,x2,label|target,split``, training
    rows first.

    Numbers are written as ``repr`` (the shortest text that reads back as the same float),
    so ``read_table`` gives back the same points, values and split.
    """
    train, test = _train_and_test(train, test)
    value = "label" if train.kind == "classification" else "target"
    lines = [VIEW_MARK, f"x1,x2,{value},split"]
    for part, side in ((train, "train"), (test, "test")):
        labels = part.y.tolist()
        lines += [
            f"{x1!r},{x2!r},{label!r},{side}"
            for (x1, x2), label in zip(part.X.tolist(), labels, strict=True)
        ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _train_and_test(train: object, test: object) -> tuple[engine.Dataset, engine.Dataset]:
    for name, part in (("train", train), ("test", test)):
        if not isinstance(part, engine.Dataset):
            raise TypeError(f"{name} must be an engine.Dataset; got {type(part).__name__}.")
    if (train.kind, train.n_classes) != (test.kind, test.n_classes):
        raise ValueError(
            "train and test must come from one data set (the same kind and classes); got "
            f"{train.kind} with {train.n_classes} classes and {test.kind} with "
            f"{test.n_classes}."
        )
    return train, test


# ---------------------------------------------------------------- links


def link_problem(train: engine.Dataset, test: engine.Dataset) -> str | None:
    """Why the set cannot go into a link, as a sentence; None if it can."""
    train, test = _train_and_test(train, test)
    n, cannot = len(train) + len(test), "The link does not contain the points: it"
    if n > MAX_LINK_POINTS:
        return (
            f"{cannot} holds at most {MAX_LINK_POINTS} (download the data set as a file instead)."
        )
    if n < 2 or not len(train) or not len(test):
        return f"{cannot} needs a training and a test point."
    limits = [("coordinates", np.concatenate([train.X, test.X]), POINT_STEP)]
    if train.kind == "regression":
        limits.append(("targets", np.concatenate([train.y, test.y]), TARGET_STEP))
    for what, values, step in limits:
        if np.abs(values).max() > _INT16.max * step:
            return (
                f"{cannot} holds {what} up to ±{_INT16.max * step:g} (download the data set as "
                "a file instead)."
            )
    return None


def encode_points(train: engine.Dataset, test: engine.Dataset) -> str:
    """The points for a link (see the module docstring); ValueError if ``link_problem``.

    Layout (big-endian): n_classes (1 byte, 0 for regression), n and n_train (2 bytes
    each), n × 2 coordinates (int16 hundredths), then n class ids (1 byte) or n targets
    (int16 thousandths).
    """
    problem = link_problem(train, test)
    if problem:
        raise ValueError(problem)
    X = np.concatenate([train.X, test.X])
    y = np.concatenate([train.y, test.y])
    header = np.array([train.n_classes], ">u1").tobytes()
    header += np.array([len(X), len(train)], ">u2").tobytes()
    coordinates = np.round(X / POINT_STEP).astype(">i2").tobytes()
    if train.kind == "classification":
        values = y.astype(">u1").tobytes()
    else:
        values = np.round(y / TARGET_STEP).astype(">i2").tobytes()
    payload = base64.urlsafe_b64encode(header + coordinates + values).rstrip(b"=")
    return LINK_PREFIX + payload.decode("ascii")


def decode_points(text: str) -> OwnData:
    """The points a link carries; ValueError with a sentence for anything else."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}.")
    broken = "The link's points cannot be read"
    if not text.startswith(LINK_PREFIX):
        raise ValueError(
            f"{broken}: {code(text)} is not in the form NeuroPlay writes (it starts with "
            f"{LINK_PREFIX})."
        )
    body = text[len(LINK_PREFIX) :]
    if len(body) > _MAX_LINK_TEXT:
        raise ValueError(f"{broken}: they are longer than any link NeuroPlay writes.")
    if not _LINK_ALPHABET.fullmatch(body) or len(body) % 4 == 1:
        raise ValueError(f"{broken}: the link was cut short or changed.")
    payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    if len(payload) < 5:
        raise ValueError(f"{broken}: the link was cut short.")
    n_classes = payload[0]
    n, n_train = (int(v) for v in np.frombuffer(payload[1:5], ">u2"))
    value_bytes = 2 if n_classes == 0 else 1
    if n_classes not in (0, *range(2, MAX_CLASSES + 1)):
        raise ValueError(f"{broken}: they name {n_classes} classes (NeuroPlay has 2 to 5).")
    if not 2 <= n <= MAX_LINK_POINTS or not 1 <= n_train < n:
        raise ValueError(f"{broken}: they count {n} points, {n_train} for training.")
    if len(payload) != 5 + n * (4 + value_bytes):
        raise ValueError(f"{broken}: the link was cut short or changed.")
    coordinates = np.frombuffer(payload[5 : 5 + 4 * n], ">i2").reshape(n, 2)
    X = coordinates.astype(np.float64) * POINT_STEP
    raw = payload[5 + 4 * n :]
    if n_classes:
        y = np.frombuffer(raw, ">u1").astype(np.int64)
        if y.max() >= n_classes or len(np.unique(y)) < 2:
            raise ValueError(
                f"{broken}: their class ids do not fit {n_classes} classes, or all points "
                "are of one class."
            )
        dataset = engine.Dataset.from_arrays(X, y, n_classes=n_classes)
    else:
        y = np.frombuffer(raw, ">i2").astype(np.float64) * TARGET_STEP
        dataset = engine.Dataset.from_arrays(X, y, kind="regression")
    return OwnData(dataset, np.arange(n) < n_train)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
