"""Data sets: shapes, ranges, balance, seeding and TensorFlow Playground's formulas."""

from __future__ import annotations

import numpy as np
import pytest

import engine

CLASSIFICATION = [name for name, g in engine.DATASETS.items() if g.kind == "classification"]
REGRESSION = [name for name, g in engine.DATASETS.items() if g.kind == "regression"]
MULTICLASS = [name for name, g in engine.DATASETS.items() if g.n_classes == -1]
# Generators whose points are bounded by construction at any noise level (Gaussian jitter
# — gauss, blobs, moons — is unbounded at high noise, as in TF Playground).
BOUNDED = ["circle", "xor", "spiral", "checkerboard", "spiral_k", "plane", "multi_gauss"]


def test_registry_holds_the_expected_generators():
    assert set(engine.DATASETS) == {
        "circle",
        "xor",
        "gauss",
        "spiral",
        "moons",
        "checkerboard",
        "blobs",
        "spiral_k",
        "plane",
        "multi_gauss",
    }
    assert sorted(REGRESSION) == ["multi_gauss", "plane"]
    assert sorted(MULTICLASS) == ["blobs", "spiral_k"]


@pytest.mark.parametrize("name", list(engine.DATASETS))
def test_default_shapes_and_dtypes(name):
    data = engine.make_dataset(name, seed=1)
    n = 1200 if name in REGRESSION else 500
    assert len(data) == n
    assert data.X.shape == (n, 2) and data.X.dtype == np.float64
    assert data.X.flags.c_contiguous
    assert data.y.shape == (n,)
    assert data.name == name
    if name in REGRESSION:
        assert data.kind == "regression" and data.n_classes == 0
        assert data.y.dtype == np.float64
    else:
        assert data.kind == "classification"
        assert np.issubdtype(data.y.dtype, np.integer)
        assert data.n_classes == (3 if name in MULTICLASS else 2)
        assert set(np.unique(data.y)) == set(range(data.n_classes))
    assert np.all(np.isfinite(data.X)) and np.all(np.isfinite(data.y))


@pytest.mark.parametrize("name", list(engine.DATASETS))
@pytest.mark.parametrize("seed", [2, 3])
def test_points_lie_in_the_playground_square(name, seed):
    data = engine.make_dataset(name, noise=0.0, seed=seed)
    assert np.all(np.abs(data.X) <= 6.0)


@pytest.mark.parametrize("name", BOUNDED)
def test_bounded_generators_stay_in_the_square_at_maximum_noise(name):
    data = engine.make_dataset(name, noise=0.5, seed=3)
    assert np.all(np.abs(data.X) <= 6.0)


@pytest.mark.parametrize("name", list(engine.DATASETS))
def test_same_seed_same_data_different_seed_different_data(name):
    a = engine.make_dataset(name, noise=0.2, seed=7)
    b = engine.make_dataset(name, noise=0.2, seed=7)
    c = engine.make_dataset(name, noise=0.2, seed=8)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X) or not np.array_equal(a.y, c.y)


@pytest.mark.parametrize("name", list(engine.DATASETS))
def test_n_points_is_respected(name):
    assert len(engine.make_dataset(name, n_points=37, seed=0)) == 37
    assert len(engine.make_dataset(name, n_points=4, seed=0)) == 4


@pytest.mark.parametrize("name", ["circle", "gauss", "spiral", "moons"])
def test_two_class_generators_are_exactly_balanced(name):
    y = engine.make_dataset(name, seed=4).y
    assert np.bincount(y).tolist() == [250, 250]


@pytest.mark.parametrize("name", ["xor", "checkerboard"])
def test_quadrant_generators_are_roughly_balanced(name):
    y = engine.make_dataset(name, seed=4).y
    # Binomial(500, ½): 6 standard deviations ≈ ±67 points.
    assert 180 <= y.sum() <= 320


@pytest.mark.parametrize("name", MULTICLASS)
@pytest.mark.parametrize("k", [3, 4, 5])
def test_multiclass_generators(name, k):
    data = engine.make_dataset(name, n_classes=k, seed=5)
    assert data.n_classes == k
    counts = np.bincount(data.y, minlength=k)
    assert counts.size == k and counts.max() - counts.min() <= 1
    assert np.all(np.abs(data.X) <= 6.0)


@pytest.mark.parametrize("name", MULTICLASS)
@pytest.mark.parametrize("k", [2, 6, 3.5, True])
def test_multiclass_generators_reject_bad_class_counts(name, k):
    with pytest.raises(ValueError, match="n_classes from 3 to 5"):
        engine.make_dataset(name, n_classes=k)


def test_blob_centres_are_on_a_circle_of_radius_3_5():
    data = engine.make_dataset("blobs", n_points=3000, n_classes=4, seed=0)
    for label in range(4):
        centre = data.X[data.y == label].mean(axis=0)
        assert np.hypot(*centre) == pytest.approx(3.5, abs=0.1)


# ---------------------------------------------------------------- TF Playground's formulas


def test_circle_without_noise_labels_by_radius():
    data = engine.make_dataset("circle", noise=0.0, seed=6)
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    assert np.array_equal(data.y == 1, radius < 2.5)
    # Inner disc up to 2.5, outer ring from 3.5 to 5.
    assert radius[data.y == 1].max() < 2.5
    assert radius[data.y == 0].min() >= 3.5 and radius.max() <= 5.0


def test_circle_noise_flips_labels_but_does_not_move_points():
    clean = engine.make_dataset("circle", noise=0.0, seed=6)
    noisy = engine.make_dataset("circle", noise=0.5, seed=6)
    radius = np.hypot(noisy.X[:, 0], noisy.X[:, 1])
    assert radius.max() <= 5.0  # points still come from the disc and the ring
    disagreements = np.mean((noisy.y == 1) != (radius < 2.5))
    assert 0.05 < disagreements < 0.5
    assert np.array_equal(np.sort(np.hypot(*clean.X.T)) < 2.5, np.sort(radius) < 2.5)


def test_xor_without_noise_labels_by_quadrant():
    data = engine.make_dataset("xor", noise=0.0, seed=6)
    x, y = data.X[:, 0], data.X[:, 1]
    assert np.array_equal(data.y == 1, x * y >= 0)
    # Points are pushed 0.3 off both axes: |x|, |y| ∈ [0.3, 5.3].
    assert np.abs(x).min() >= 0.3 and np.abs(y).min() >= 0.3
    assert np.abs(data.X).max() <= 5.3


def test_gauss_centres_and_variance():
    data = engine.make_dataset("gauss", n_points=4000, noise=0.0, seed=0)
    positive, negative = data.X[data.y == 1], data.X[data.y == 0]
    np.testing.assert_allclose(positive.mean(axis=0), [2, 2], atol=0.05)
    np.testing.assert_allclose(negative.mean(axis=0), [-2, -2], atol=0.05)
    np.testing.assert_allclose(positive.var(axis=0), [0.5, 0.5], rtol=0.1)
    noisy = engine.make_dataset("gauss", n_points=4000, noise=0.5, seed=0)
    np.testing.assert_allclose(noisy.X[noisy.y == 1].var(axis=0), [4, 4], rtol=0.1)


def test_spiral_without_noise_follows_the_formula():
    data = engine.make_dataset("spiral", noise=0.0, seed=0)
    n = 250
    i = np.arange(n)
    r = 5 * i / n
    for label, delta in ((1, 0.0), (0, np.pi)):
        t = 1.75 * 2 * np.pi * i / n + delta
        expected = np.column_stack([r * np.sin(t), r * np.cos(t)])
        np.testing.assert_allclose(data.X[data.y == label], expected, atol=1e-12)


def test_spiral_noise_is_bounded_by_the_noise_level():
    clean = engine.make_dataset("spiral", noise=0.0, seed=0)
    noisy = engine.make_dataset("spiral", noise=0.3, seed=0)
    offsets = np.abs(noisy.X - clean.X)
    assert offsets.max() <= 0.3 and offsets.max() > 0.25


def test_plane_targets():
    data = engine.make_dataset("plane", noise=0.0, seed=0)
    np.testing.assert_allclose(data.y, (data.X[:, 0] + data.X[:, 1]) / 10, atol=1e-15)
    assert np.all(np.abs(data.y) <= 1.2) and np.abs(data.y).max() > 1.0
    noisy = engine.make_dataset("plane", noise=0.5, seed=0)
    # Noisy copies move each coordinate by at most 6·0.5 = 3: |target| ≤ (9 + 9)/10.
    assert np.abs(noisy.y).max() <= 1.8
    assert not np.allclose(noisy.y, (noisy.X[:, 0] + noisy.X[:, 1]) / 10)


def test_multi_gauss_targets():
    data = engine.make_dataset("multi_gauss", noise=0.0, seed=0)
    assert np.all(np.abs(data.y) <= 1.0)
    assert data.y.max() > 0.8 and data.y.min() < -0.8
    # Concrete values: at a bump's centre its signed height, far from every bump 0.
    centres = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    x, y = data.X[:, 0], data.X[:, 1]
    expected = np.zeros(len(data))
    for cx, cy, sign in centres:
        contribution = sign * np.maximum(0.0, 1 - np.hypot(x - cx, y - cy) / 2)
        stronger = np.abs(contribution) > np.abs(expected)
        expected[stronger] = contribution[stronger]
    np.testing.assert_allclose(data.y, expected, atol=1e-15)
    noisy = engine.make_dataset("multi_gauss", noise=0.5, seed=0)
    assert np.all(np.abs(noisy.y) <= 1.0)


def test_checkerboard_without_noise():
    data = engine.make_dataset("checkerboard", noise=0.0, seed=0)
    x, y = data.X[:, 0], data.X[:, 1]
    expected = (np.floor(x / 2.5) + np.floor(y / 2.5)) % 2
    assert np.array_equal(data.y, expected.astype(int))


@pytest.mark.parametrize("noise", [-0.01, 0.51, 50])
def test_noise_outside_0_to_0_5_is_rejected(noise):
    with pytest.raises(ValueError, match="noise"):
        engine.make_dataset("circle", noise=noise)


@pytest.mark.parametrize("n_points", [3, 0, -5, 20_001, 10.5, True])
def test_bad_n_points_is_rejected(n_points):
    with pytest.raises(ValueError, match="n_points"):
        engine.make_dataset("circle", n_points=n_points)


def test_unknown_dataset_lists_the_valid_names():
    with pytest.raises(ValueError, match="valid choices are: circle, xor, gauss, spiral"):
        engine.make_dataset("swirl")


# ---------------------------------------------------------------- train/test split


def test_train_test_split_partitions_the_points():
    data = engine.make_dataset("spiral", seed=0)
    train, test = engine.train_test_split(data, 0.5, seed=1)
    assert len(train) == len(test) == 250
    both = np.vstack([train.X, test.X])
    assert np.array_equal(np.unique(both, axis=0), np.unique(data.X, axis=0))
    assert train.n_classes == test.n_classes == 2 and train.name == "spiral"
    # Same seed, same split; another seed, another split.
    again, _ = engine.train_test_split(data, 0.5, seed=1)
    other, _ = engine.train_test_split(data, 0.5, seed=2)
    assert np.array_equal(train.X, again.X) and not np.array_equal(train.X, other.X)


@pytest.mark.parametrize(("fraction", "n_train"), [(0.1, 50), (0.3, 150), (0.9, 450)])
def test_train_test_split_sizes(fraction, n_train):
    train, test = engine.train_test_split(engine.make_dataset("xor"), fraction)
    assert (len(train), len(test)) == (n_train, 500 - n_train)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.5, 1.5])
def test_train_test_split_rejects_bad_fractions(fraction):
    with pytest.raises(ValueError, match="train_fraction"):
        engine.train_test_split(engine.make_dataset("xor"), fraction)
