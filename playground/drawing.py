"""Your own data in the Playground: drawn points, and what the settings' ``points`` value says.

Pure Python over the engine and ``playground.own_data`` (no Streamlit), so the page, its
tests and a notebook share it.

**Drawing** works on the run's split, ``(train, test)``: ``add_point`` and ``remove_nearest``
return new ``OwnData`` holding the training points first, then the test points, with the
split carried (``is_train``), so the points keep their side when more are drawn; a new point's
side keeps the train ratio (``train_count``). A drawing may hold no point or one class: the run
then waits (``playground.run.train_chunk`` says why) until there is something to learn.

**The settings' ``points`` value** (``PlaygroundSettings.points``, the link's ``points=``): the
points themselves (``own_data.encode_points``, up to ``MAX_LINK_POINTS``), or only the data
set's shape when the link cannot carry them (``"2-classes"`` … ``"5-classes"``, or
``"regression"``): more points, an empty drawing, or a single point. ``own_shape`` reads the
kind and the number of classes from either; ``from_link`` gives the data (an empty drawing of
that shape when the link has no points).
"""

from __future__ import annotations

import re

import numpy as np

import engine
from engine.datasets import MULTICLASS_RANGE

from .own_data import LINK_PREFIX, OwnData, decode_points, encode_points, link_problem

__all__ = [
    "add_point",
    "cleared",
    "from_link",
    "joined",
    "link_value",
    "own_shape",
    "remove_nearest",
    "shape_text",
    "train_count",
    "waiting_reason",
]

MAX_CLASSES = MULTICLASS_RANGE[1]
REGRESSION = "regression"
_SHAPE = re.compile(r"([2-9])-classes")
# An empty drawing's shape: two classes, as TensorFlow Playground's data sets.
DEFAULT_SHAPE = ("classification", 2)


def shape_text(kind: str, n_classes: int) -> str:
    """The ``points`` value of a data set the link does not carry: "2-classes" or "regression"."""
    return REGRESSION if kind == "regression" else f"{n_classes}-classes"


def own_shape(points: str) -> tuple[str, int]:
    """(kind, number of classes: 0 for regression) of the own data ``points`` names; raises
    ``ValueError`` with a sentence if it names none. "" is an empty two-class drawing."""
    if not points:
        return DEFAULT_SHAPE
    if points == REGRESSION:
        return "regression", 0
    shape = _SHAPE.fullmatch(points)
    if shape:
        n_classes = int(shape.group(1))
        if n_classes > MAX_CLASSES:
            raise ValueError(f"Own data has at most {MAX_CLASSES} classes; the link says {points}.")
        return "classification", n_classes
    own = decode_points(points)  # its sentence names what is wrong
    return own.dataset.kind, own.dataset.n_classes


def from_link(points: str) -> OwnData:
    """The own data ``points`` carries: its points, or an empty drawing of its shape."""
    if points.startswith(LINK_PREFIX):
        return decode_points(points)
    return cleared(*own_shape(points))


def link_value(train: engine.Dataset, test: engine.Dataset) -> str:
    """The ``points`` value for this split: the points when a link can carry them, else the
    shape (``link_problem`` says why not)."""
    if link_problem(train, test) is None and _classes_present(joined(train, test).dataset) >= 2:
        return encode_points(train, test)
    return shape_text(train.kind, train.n_classes)


def cleared(kind: str, n_classes: int) -> OwnData:
    """An empty drawing (no point yet) of this shape."""
    y = np.zeros(0, np.int64 if kind == "classification" else np.float64)
    return OwnData(engine.Dataset(np.zeros((0, 2)), y, n_classes, kind), np.zeros(0, bool))


def joined(train: engine.Dataset, test: engine.Dataset, n_classes: int | None = None) -> OwnData:
    """``train`` and ``test`` as one own data set (training points first), the split carried;
    ``n_classes`` may raise the number of classes (a point of a new class)."""
    k = train.n_classes if n_classes is None else max(n_classes, train.n_classes)
    X = np.concatenate([train.X, test.X]).reshape(-1, 2)
    y = np.concatenate([train.y, test.y])
    is_train = np.arange(len(y)) < len(train)
    return OwnData(engine.Dataset(X, y, k, train.kind), is_train)


def train_count(n: int, train_fraction: float) -> int:
    """How many of ``n`` points train: ``engine.train_test_split``'s count (one of each side
    at least), and the only point of a one-point set. So the first point drawn trains, the
    second tests, the same drawing always splits the same way, and the training set never
    empties while there are points."""
    if n < 2:
        return n
    return min(max(round(n * train_fraction), 1), n - 1)


def add_point(
    train: engine.Dataset,
    test: engine.Dataset,
    x1: float,
    x2: float,
    value: float,
    train_fraction: float,
) -> tuple[OwnData, bool]:
    """The data with one more point at (x1, x2) of class ``value`` (a class id) or target
    ``value`` (regression); and whether it joined the training set (see the module
    docstring). Raises ``ValueError`` for a class the Playground does not have."""
    if train.kind == "classification":
        label = int(value)
        if not 0 <= label < MAX_CLASSES or label != value:
            raise ValueError(f"A point's class must be 1 to {MAX_CLASSES}.")
        n_classes = max(train.n_classes, label + 1)
    else:
        label, n_classes = float(value), 0
    to_train = train_count(len(train) + len(test) + 1, train_fraction) > len(train)
    point = engine.Dataset(
        np.array([[float(x1), float(x2)]]), np.array([label]), n_classes, train.kind
    )
    if to_train:
        train = _concatenated(train, point)
    else:
        test = _concatenated(test, point)
    return joined(train, test, n_classes), to_train


def remove_nearest(
    train: engine.Dataset, test: engine.Dataset, x1: float, x2: float
) -> tuple[OwnData, bool]:
    """The data without the point nearest to (x1, x2) (training and test points alike); and
    whether there was a point to remove."""
    own = joined(train, test)
    n = len(own.dataset)
    if n == 0:
        return own, False
    nearest = int(np.argmin(np.hypot(*(own.dataset.X - (x1, x2)).T)))
    keep = np.flatnonzero(np.arange(n) != nearest)
    dataset = own.dataset.subset(keep)
    return OwnData(dataset, own.is_train[keep]), True


def waiting_reason(train: engine.Dataset) -> str | None:
    """Why a run on this training set cannot learn anything yet, as a sentence; None if it can."""
    if len(train) == 0:
        return "Add points to train on: the training set is empty."
    if train.kind == "classification" and _classes_present(train) < 2:
        return "Add points of a second class: with one class there is no boundary to learn."
    return None


def _classes_present(dataset: engine.Dataset) -> int:
    return len(np.unique(dataset.y)) if len(dataset) else 0


def _concatenated(part: engine.Dataset, point: engine.Dataset) -> engine.Dataset:
    """``part`` and then ``point``, with the point's number of classes (it may add one)."""
    X = np.concatenate([part.X, point.X]).reshape(-1, 2)
    return engine.Dataset(X, np.concatenate([part.y, point.y]), point.n_classes, part.kind)
