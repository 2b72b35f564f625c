"""Input features and the evaluation grid behind the decision map and neuron maps."""

from __future__ import annotations

import numpy as np
import pytest

import engine

POINTS = np.array([[1.0, 2.0], [-0.5, 3.0], [0.0, -1.5]])


def test_feature_registry_in_playground_order():
    assert list(engine.FEATURES) == ["x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2"]
    assert engine.DEFAULT_FEATURES == ("x1", "x2")


def test_build_features_values_for_every_feature():
    X = engine.build_features(POINTS, list(engine.FEATURES))
    x1, x2 = POINTS[:, 0], POINTS[:, 1]
    expected = np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)])
    assert X.shape == (3, 7) and X.dtype == np.float64 and X.flags.c_contiguous
    np.testing.assert_array_equal(X, expected)


def test_build_features_follows_registry_order_whatever_the_request_order():
    X = engine.build_features(POINTS, ["sin_x2", "x1_sq", "x1"])
    np.testing.assert_array_equal(
        X, np.column_stack([POINTS[:, 0], POINTS[:, 0] ** 2, np.sin(POINTS[:, 1])])
    )
    assert engine.check_features(["sin_x2", "x1", "x1"]) == ("x1", "sin_x2")
    assert engine.check_features("x2") == ("x2",)


def test_unknown_feature_lists_the_valid_names():
    with pytest.raises(ValueError, match="Unknown feature 'x3'") as error:
        engine.build_features(POINTS, ["x1", "x3"])
    for name in engine.FEATURES:
        assert name in str(error.value)


def test_no_feature_or_bad_points_are_rejected():
    with pytest.raises(ValueError, match="at least one"):
        engine.build_features(POINTS, [])
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        engine.build_features(np.zeros((4, 3)), ["x1"])


# ---------------------------------------------------------------- grid


def test_grid_points_row_zero_is_the_top():
    points = engine.grid_points(4)
    assert points.shape == (16, 2)
    # Cell centres of a 4×4 grid over [-6, 6]²: -4.5, -1.5, 1.5, 4.5.
    np.testing.assert_allclose(points[:4], [[-4.5, 4.5], [-1.5, 4.5], [1.5, 4.5], [4.5, 4.5]])
    np.testing.assert_allclose(points[-1], [4.5, -4.5])
    image_y = points[:, 1].reshape(4, 4)
    image_x = points[:, 0].reshape(4, 4)
    assert np.all(np.diff(image_y, axis=0) < 0)  # y decreases down the image
    assert np.all(np.diff(image_x, axis=1) > 0)  # x increases to the right


def test_grid_points_default_resolution_and_extent():
    points = engine.grid_points()
    assert points.shape == (10_000, 2)
    assert points[0, 1] == pytest.approx(6 - 0.06) and points[0, 0] == pytest.approx(-6 + 0.06)
    small = engine.grid_points(2, extent=1.0)
    np.testing.assert_allclose(small, [[-0.5, 0.5], [0.5, 0.5], [-0.5, -0.5], [0.5, -0.5]])


@pytest.mark.parametrize("resolution", [1, 401, 2.5, True])
def test_grid_points_rejects_bad_resolutions(resolution):
    with pytest.raises(ValueError, match="resolution"):
        engine.grid_points(resolution)


def test_decision_grid_shapes_and_values():
    features = ["x1", "x2", "x1_x2"]
    model = engine.Model.create([3, 5, 4, 1], activation="relu", seed=3)
    resolution = 30
    grids = engine.decision_grid(model, features, resolution)
    assert [g.shape for g in grids] == [(3, 30, 30), (5, 30, 30), (4, 30, 30), (1, 30, 30)]
    layers = model.activations(engine.build_features(engine.grid_points(resolution), features))
    for grid, layer in zip(grids, layers):
        # Unit u's image is that unit's output over the grid points, row-major.
        for unit in range(grid.shape[0]):
            np.testing.assert_array_equal(grid[unit].ravel(), layer[:, unit])
    # The first input map is x1 itself: constant down each column, increasing rightwards.
    x1_image = grids[0][0]
    assert np.all(x1_image == x1_image[0]) and np.all(np.diff(x1_image[0]) > 0)


def test_decision_grid_top_left_is_the_top_left_of_the_plane():
    # A network that outputs tanh(x2): high at the top of the image.
    model = engine.Model.create([2, 1], output="tanh")
    model.weights[0] = [[0.0], [1.0]]
    model.biases[0] = [0.0]
    output = engine.decision_grid(model, ["x1", "x2"], 10)[-1][0]
    assert output[0, 0] == pytest.approx(np.tanh(5.4))
    assert output[-1, 0] == pytest.approx(np.tanh(-5.4))
