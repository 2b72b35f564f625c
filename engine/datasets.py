"""Two-dimensional data sets on the square [-6, 6]².

The first six generators reproduce TensorFlow Playground's formulas (``dataset.ts``);
class 1 is its label +1 and class 0 its label -1.  ``noise`` is TensorFlow Playground's
slider value divided by 100 (0 … 0.5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import checks
from .checks import lookup

DOMAIN = 6.0  # the plane is [-DOMAIN, DOMAIN]²: data, grids and every figure of it
CLASSIFICATION_POINTS = 500
REGRESSION_POINTS = 1200
MAX_NOISE = 0.5
MAX_POINTS = 20_000
KINDS = ("classification", "regression")


@dataclass(frozen=True)
class Dataset:
    """Points and labels.

    Attributes:
        X: (n, 2) float64 coordinates.
        y: (n,) int64 class ids 0..k-1, or (n,) float64 targets for regression.
        n_classes: k for classification, 0 for regression.
        kind: ``"classification"`` or ``"regression"``.
        name: the generator's registry key.
    """

    X: np.ndarray
    y: np.ndarray
    n_classes: int
    kind: str
    name: str = "custom"

    def __post_init__(self) -> None:
        """Check (and convert) a data set built by hand; generated ones pass unchanged."""
        X = checks.points(self.X, "Dataset.X")
        kind = checks.check_choice(self.kind, KINDS, "kind", "Dataset.kind")
        low, high = (2, MULTICLASS_RANGE[1]) if kind == "classification" else (0, 0)
        allowed = f"a whole number from {low} to {high} for kind {kind!r}"
        n_classes = checks.whole_number(
            self.n_classes, "Dataset.n_classes", low, high, allowed=allowed
        )
        if not isinstance(self.name, str):
            raise TypeError(f"Dataset.name must be a string; got {checks.shown(self.name)}.")
        y = self.y
        if kind == "classification":
            y = checks.class_ids(y, "Dataset.y", n_classes)
        else:
            y = checks.float_array(y, "Dataset.y", ndim=1)
        if y.shape[0] != X.shape[0]:
            raise ValueError(
                f"Dataset.X and Dataset.y need the same number of rows; got {X.shape[0]} "
                f"and {y.shape[0]}."
            )
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "n_classes", n_classes)

    @classmethod
    def from_arrays(
        cls,
        X: object,
        y: object,
        kind: str | None = None,
        n_classes: int | None = None,
        name: str = "custom",
    ) -> Dataset:
        """Your own points as a data set that every function takes like a generated one.

        Args:
            X: (n, 2) coordinates; lists, float32 and strided arrays are converted. Finite and
                within ±10⁶ (the engine's rule for points; the Playground shows [-6, 6]²).
            y: (n,) class ids 0 … k − 1 (whole numbers, as ints or floats) or regression
                targets (finite, within ±10¹²).
            kind: ``"classification"`` or ``"regression"``; None decides from ``n_classes``
                if given (0 means regression), else from ``y``: whole numbers are class ids,
                anything else is a target.  Pass ``kind="regression"`` for whole-number
                targets.
            n_classes: k, 2 … 5, for classification (None: the largest id + 1, so a class
                above every given id cannot be inferred); None or 0 for regression.  A class
                below k may have no point (a drawing that has none of class 1 yet).
            name: shown as the data set's name.

        At least 2 points (``train_test_split`` puts one in each part) and at most
        ``MAX_POINTS``; a classification set needs points of at least two classes (with
        one class there is no boundary to learn: every network that outputs a constant
        is perfect).  Each problem raises ``ValueError`` (``TypeError`` for values that
        are not numbers at all) with one sentence naming the argument, what was given
        (rows counted from 0) and what is allowed.
        """
        X = checks.points(X, "X")
        if kind is not None:
            kind = checks.check_choice(kind, KINDS, "kind")
        high = MULTICLASS_RANGE[1]
        if n_classes is not None:
            n_classes = checks.whole_number(
                n_classes, "n_classes", 0, high, allowed=f"None, 0 or a whole number 2 … {high}"
            )
            if n_classes == 1:
                raise ValueError(
                    f"n_classes must be None, 0 or a whole number 2 … {high}; got 1 "
                    "(a data set with one class has nothing to separate)."
                )
            implied = "regression" if n_classes == 0 else "classification"
            if kind is not None and kind != implied:
                raise ValueError(
                    f"n_classes={n_classes} does not fit kind={kind!r}: a classification data "
                    f"set has 2 … {high} classes, a regression one 0 (or None)."
                )
            kind = implied
        if _holds_truth_values(y):
            raise ValueError(
                "y must hold class ids or targets as numbers, not truth values; convert it "
                "first (e.g. y.astype(int))."
            )
        values = checks.float_array(y, "y", ndim=1)
        if values.shape[0] != X.shape[0]:
            raise ValueError(
                f"X and y need one row per point each; got {X.shape[0]} rows in X and "
                f"{values.shape[0]} in y."
            )
        if not 2 <= len(values) <= MAX_POINTS:
            raise ValueError(
                f"X and y must hold from 2 to {MAX_POINTS:,} points (a training and a test "
                f"point at least); got {len(values)}."
            )
        whole = values == np.round(values)
        hint = ""
        if kind is None:
            kind = "classification" if whole.all() else "regression"
            hint = " (pass kind='regression' for whole-number targets)"
        if kind == "regression":
            return cls(X, values, 0, kind, name)
        if not whole.all():
            row = int(np.argmin(whole))
            raise ValueError(
                f"y must hold whole-number class ids for a classification data set; got "
                f"{float(values[row])!r} at row {row}."
            )
        if n_classes is None:
            k, allowed = (
                min(int(values.max()) + 1, high),
                f"0 to {high - 1} (at most {high} classes)",
            )
        else:
            k, allowed = n_classes, f"0 to {n_classes - 1} for n_classes={n_classes}"
        outside = (values < 0) | (values >= k)
        if outside.any():
            row = int(np.argmax(outside))
            raise ValueError(
                f"y must hold class ids from {allowed}; got {int(values[row])} at row {row}{hint}."
            )
        labels = values.astype(np.int64)
        present = np.unique(labels)
        if len(present) < 2:
            raise ValueError(
                f"y holds only class {int(present[0])}; a classification data set needs "
                "points of at least two classes (one class has no boundary to learn)."
            )
        return cls(X, labels, k, kind, name)

    def __len__(self) -> int:
        return self.X.shape[0]

    def subset(self, indices: np.ndarray) -> Dataset:
        """The points at ``indices`` (whole numbers 0 … len − 1), in that order."""
        indices = checks.class_ids(indices, "indices", len(self), "point indices")
        return Dataset(self.X[indices], self.y[indices], self.n_classes, self.kind, self.name)


def _holds_truth_values(value: object) -> bool:
    """True for an array or list of bools (which NumPy would quietly turn into 0 and 1)."""
    if isinstance(value, np.ndarray):
        return value.dtype.kind == "b"
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(item, bool | np.bool_) for item in value)
    )


# ---------------------------------------------------------------- TensorFlow Playground's six


def make_circle(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Inner disc (r < 2.5, class 1) and outer ring (3.5 < r < 5, class 0).

    Noise does not move points: the label is taken from a noisy copy of each point.
    """
    radius = 5.0
    half = n // 2
    r = np.concatenate(
        [rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)]
    )
    angle = rng.uniform(0, 2 * np.pi, n)
    x, y = r * np.sin(angle), r * np.cos(angle)
    noisy_x = x + rng.uniform(-radius, radius, n) * noise
    noisy_y = y + rng.uniform(-radius, radius, n) * noise
    labels = (np.hypot(noisy_x, noisy_y) < radius * 0.5).astype(np.int64)
    return np.column_stack([x, y]), labels


def make_xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Quadrants: class 1 where x·y ≥ 0 (label from a noisy copy; points pushed off the axes)."""
    padding = 0.3
    x = rng.uniform(-5, 5, n)
    y = rng.uniform(-5, 5, n)
    x += np.where(x > 0, padding, -padding)
    y += np.where(y > 0, padding, -padding)
    noisy_x = x + rng.uniform(-5, 5, n) * noise
    noisy_y = y + rng.uniform(-5, 5, n) * noise
    return np.column_stack([x, y]), (noisy_x * noisy_y >= 0).astype(np.int64)


def make_gauss(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs at (2, 2) (class 1) and (-2, -2); variance 0.5 … 4 with noise."""
    variance = 0.5 + (4.0 - 0.5) * noise / 0.5
    half = n // 2
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [half, n - half], axis=0)
    points = centres + rng.normal(0, np.sqrt(variance), size=(n, 2))
    labels = np.repeat([1, 0], [half, n - half]).astype(np.int64)
    return points, labels


def make_spiral(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved arms of 1.75 turns: r = 5i/m, t = 3.5πi/m + Δ (Δ = 0 → class 1, π)."""
    return _spiral_arms(rng, n, noise, 2, labels_by_arm=(1, 0))


def make_plane(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Regression: target (x' + y') / 10 with x', y' noisy copies of the point."""
    x = rng.uniform(-DOMAIN, DOMAIN, n)
    y = rng.uniform(-DOMAIN, DOMAIN, n)
    noisy_x = x + rng.uniform(-DOMAIN, DOMAIN, n) * noise
    noisy_y = y + rng.uniform(-DOMAIN, DOMAIN, n) * noise
    return np.column_stack([x, y]), (noisy_x + noisy_y) / 10.0


_BUMPS = np.array(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]]
)


def make_multi_gauss(
    rng: np.random.Generator, n: int, noise: float
) -> tuple[np.ndarray, np.ndarray]:
    """Regression: six signed cone bumps sign·max(0, 1 - d/2); the strongest one wins."""
    x = rng.uniform(-DOMAIN, DOMAIN, n)
    y = rng.uniform(-DOMAIN, DOMAIN, n)
    noisy_x = x + rng.uniform(-DOMAIN, DOMAIN, n) * noise
    noisy_y = y + rng.uniform(-DOMAIN, DOMAIN, n) * noise
    distances = np.hypot(noisy_x[:, None] - _BUMPS[:, 0], noisy_y[:, None] - _BUMPS[:, 1])
    contributions = _BUMPS[:, 2] * np.maximum(0.0, 1.0 - distances / 2.0)
    strongest = np.argmax(np.abs(contributions), axis=1)
    return np.column_stack([x, y]), contributions[np.arange(n), strongest]


# ---------------------------------------------------------------- beyond TensorFlow Playground


def make_moons(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's moons, scaled to the playground square).

    Noise adds Gaussian jitter with standard deviation 2·noise (in playground units).
    """
    half = n // 2
    t_upper = rng.uniform(0, np.pi, half)
    t_lower = rng.uniform(0, np.pi, n - half)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    points = (np.vstack([upper, lower]) - [0.5, 0.25]) * 3.2
    points += rng.normal(0, 2.0 * noise, size=points.shape)
    labels = np.repeat([1, 0], [half, n - half]).astype(np.int64)
    return points, labels


def make_checkerboard(
    rng: np.random.Generator, n: int, noise: float
) -> tuple[np.ndarray, np.ndarray]:
    """A 4×4 board of 2.5-wide squares on [-5, 5]²; label from a noisy copy, as XOR."""
    x = rng.uniform(-5, 5, n)
    y = rng.uniform(-5, 5, n)
    noisy_x = x + rng.uniform(-5, 5, n) * noise
    noisy_y = y + rng.uniform(-5, 5, n) * noise
    labels = (np.floor(noisy_x / 2.5) + np.floor(noisy_y / 2.5)) % 2
    return np.column_stack([x, y]), labels.astype(np.int64)


def make_blobs(
    rng: np.random.Generator, n: int, noise: float, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """k Gaussian blobs on a circle of radius 3.5; standard deviation 0.6 … 2 with noise."""
    labels = np.arange(n) % k
    angles = 2 * np.pi * labels / k + np.pi / 2
    centres = 3.5 * np.column_stack([np.cos(angles), np.sin(angles)])
    std = 0.6 + (2.0 - 0.6) * noise / 0.5
    return centres + rng.normal(0, std, size=(n, 2)), labels.astype(np.int64)


def make_spiral_k(
    rng: np.random.Generator, n: int, noise: float, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """k interleaved spiral arms (TensorFlow Playground's spiral with Δ = 2πc/k)."""
    return _spiral_arms(rng, n, noise, k, labels_by_arm=tuple(range(k)))


def _spiral_arms(rng, n: int, noise: float, k: int, labels_by_arm) -> tuple[np.ndarray, np.ndarray]:
    points, labels = [], []
    for arm, label in enumerate(labels_by_arm):
        m = n // k + (1 if arm < n % k else 0)
        i = np.arange(m)
        r = 5.0 * i / m
        t = 1.75 * 2 * np.pi * i / m + 2 * np.pi * arm / k
        x = r * np.sin(t) + rng.uniform(-1, 1, m) * noise
        y = r * np.cos(t) + rng.uniform(-1, 1, m) * noise
        points.append(np.column_stack([x, y]))
        labels.append(np.full(m, label, dtype=np.int64))
    return np.vstack(points), np.concatenate(labels)


@dataclass(frozen=True)
class Generator:
    make: Callable
    kind: str
    n_classes: int  # 2 for binary, 0 for regression, -1 for "choose 3–5"
    title: str


DATASETS: dict[str, Generator] = {
    "circle": Generator(make_circle, "classification", 2, "Circle"),
    "xor": Generator(make_xor, "classification", 2, "Exclusive or"),
    "gauss": Generator(make_gauss, "classification", 2, "Gaussian"),
    "spiral": Generator(make_spiral, "classification", 2, "Spiral"),
    "moons": Generator(make_moons, "classification", 2, "Moons"),
    "checkerboard": Generator(make_checkerboard, "classification", 2, "Checkerboard"),
    "blobs": Generator(make_blobs, "classification", -1, "Blobs (3–5 classes)"),
    "spiral_k": Generator(make_spiral_k, "classification", -1, "Spiral (3–5 arms)"),
    "plane": Generator(make_plane, "regression", 0, "Plane"),
    "multi_gauss": Generator(make_multi_gauss, "regression", 0, "Multi Gaussian"),
}
MULTICLASS_RANGE = (3, 5)


def make_dataset(
    name: str,
    n_points: int | None = None,
    noise: float = 0.0,
    seed: int = 0,
    n_classes: int | None = None,
) -> Dataset:
    """Generate a data set; same arguments ⇒ identical data.

    Args:
        name: a key of ``DATASETS``.
        n_points: how many points (default 500 for classification, 1,200 for regression).
        noise: 0 … 0.5 (TensorFlow Playground's slider / 100).
        seed: random seed, 0 … 2⁶³ − 1.
        n_classes: classes for ``blobs`` / ``spiral_k`` (3–5, default 3); other data sets
            take None or their own count (2; 0 for regression).
    """
    generator = lookup(DATASETS, name, "dataset", "name")
    if n_points is None:
        n_points = REGRESSION_POINTS if generator.kind == "regression" else CLASSIFICATION_POINTS
    n_points = checks.whole_number(n_points, "n_points", 4, MAX_POINTS)
    noise = checks.real_number(noise, "noise", 0.0, MAX_NOISE)
    rng = np.random.default_rng(checks.seed(seed))
    if generator.n_classes == -1:
        low, high = MULTICLASS_RANGE
        try:
            k = low if n_classes is None else checks.whole_number(n_classes, "n_classes", low, high)
        except ValueError:
            raise ValueError(
                f"{name} needs n_classes from {low} to {high}; got {checks.shown(n_classes)}."
            ) from None
        X, y = generator.make(rng, n_points, noise, k)
        classes = k
    else:
        classes = generator.n_classes
        if n_classes is not None and checks.whole_number(n_classes, "n_classes", 0) != classes:
            has = f"always has {classes} classes" if classes else "is a regression data set"
            raise ValueError(
                f"{name} {has}; n_classes must be None (or {classes}); got {n_classes!r}."
            )
        X, y = generator.make(rng, n_points, noise)
    return Dataset(np.ascontiguousarray(X, dtype=np.float64), y, classes, generator.kind, name)


def train_test_split(
    dataset: Dataset, train_fraction: float, seed: int = 0
) -> tuple[Dataset, Dataset]:
    """Shuffle once, then the first ``train_fraction`` of points train (as TensorFlow Playground).

    Returns:
        (train, test); each keeps at least one point.
    """
    checks.instance(dataset, Dataset, "dataset")
    train_fraction = checks.real_number(
        train_fraction, "train_fraction", 0.0, 1.0, low_open=True, high_open=True
    )
    seed = checks.seed(seed)
    n = len(dataset)
    if n < 2:
        raise ValueError(f"dataset needs at least two points for a split; it has {n}.")
    order = np.random.default_rng(seed).permutation(n)
    n_train = min(max(round(n * train_fraction), 1), n - 1)
    return dataset.subset(order[:n_train]), dataset.subset(order[n_train:])
