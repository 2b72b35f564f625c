"""The Model: parameter views, forward pass, initialisers and size limits."""

from __future__ import annotations

import numpy as np
import pytest

import engine


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def numpy_forward(model: engine.Model, X: np.ndarray) -> list[np.ndarray]:
    """Reference forward pass from the weight/bias views, in plain numpy."""
    functions = {
        "linear": lambda z: z,
        "relu": lambda z: np.maximum(z, 0),
        "tanh": np.tanh,
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "softmax": softmax,
    }
    names = [*model.architecture.hidden_activations, model.architecture.output]
    outputs = [X]
    for w, b, name in zip(model.weights, model.biases, names):
        outputs.append(functions[name](outputs[-1] @ w + b))
    return outputs


# ---------------------------------------------------------------- views


def test_weights_and_biases_are_views_with_layer_shapes():
    model = engine.Model.create([3, 5, 2, 4], seed=0)
    assert [w.shape for w in model.weights] == [(3, 5), (5, 2), (2, 4)]
    assert [b.shape for b in model.biases] == [(5,), (2,), (4,)]
    for array in [*model.weights, *model.biases]:
        assert np.shares_memory(array, model.params)
    assert model.n_parameters == (3 + 1) * 5 + (5 + 1) * 2 + (2 + 1) * 4


def test_element_edits_through_views_change_the_forward_pass():
    model = engine.Model.create([2, 3, 1], seed=1)
    X = np.array([[0.5, -1.0], [2.0, 0.3]])
    before = model.forward(X)
    model.weights[0][1, 2] = 4.0
    assert model.weights[0][1, 2] == 4.0
    after = model.forward(X)
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, numpy_forward(model, X)[-1], rtol=1e-14)
    model.biases[1][0] = -3.0
    np.testing.assert_allclose(model.forward(X), numpy_forward(model, X)[-1], rtol=1e-14)


def test_assigning_a_layer_writes_through():
    model = engine.Model.create([2, 3, 1], seed=1)
    new = np.arange(6.0).reshape(2, 3) / 10
    model.weights[0] = new
    np.testing.assert_array_equal(model.weights[0], new)
    model.biases[0] = [0.1, 0.2, 0.3]
    np.testing.assert_array_equal(model.biases[0], [0.1, 0.2, 0.3])
    model.weights = [np.ones((2, 3)), np.full((3, 1), 2.0)]
    model.biases = [np.zeros(3), np.array([0.5])]
    X = np.array([[1.0, 1.0]])
    assert model.forward(X)[0, 0] == pytest.approx(np.tanh(3 * 2.0 * np.tanh(2.0) + 0.5))
    # Padding stays zero: only the real entries were written.
    assert np.count_nonzero(model.params) == 2 * 3 + 3 * 1 + 1


def test_assigning_the_wrong_shape_is_rejected():
    model = engine.Model.create([2, 3, 1], seed=1)
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        model.weights[0] = np.ones((3, 2))
    with pytest.raises(ValueError, match="one per layer"):
        model.weights = [np.ones((2, 3))]


def test_copy_is_independent():
    model = engine.Model.create([2, 3, 1], seed=1)
    clone = model.copy()
    clone.weights[0][0, 0] = 9.0
    assert model.weights[0][0, 0] != 9.0
    assert np.array_equal(clone.params[1:], model.params[1:])


# ---------------------------------------------------------------- forward


@pytest.mark.parametrize("output", ["tanh", "sigmoid", "linear", "softmax"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_forward_matches_numpy(activation, output):
    model = engine.Model.create([3, 6, 4, 3], activation=activation, output=output, seed=2)
    X = np.random.default_rng(0).uniform(-3, 3, size=(300, 3))  # > one 256-row chunk
    out = model.forward(X)
    assert out.shape == (300, 3)
    np.testing.assert_allclose(out, numpy_forward(model, X)[-1], rtol=1e-12, atol=1e-14)
    if output == "softmax":
        np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-14)


def test_activations_lists_every_layer():
    model = engine.Model.create([2, 4, 3, 1], activation=["relu", "sigmoid"], seed=3)
    X = np.random.default_rng(1).normal(size=(7, 2))
    layers = model.activations(X)
    assert [a.shape for a in layers] == [(7, 2), (7, 4), (7, 3), (7, 1)]
    np.testing.assert_array_equal(layers[0], X)
    for engine_layer, numpy_layer in zip(layers, numpy_forward(model, X)):
        np.testing.assert_allclose(engine_layer, numpy_layer, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(layers[-1], model.forward(X))


def test_a_layer_with_16_units_uses_the_wide_layout():
    model = engine.Model.create([2, 16, 9, 1], seed=4)
    X = np.random.default_rng(2).normal(size=(5, 2))
    np.testing.assert_allclose(model.forward(X), numpy_forward(model, X)[-1], rtol=1e-13)


# ---------------------------------------------------------------- initialisers


def test_initializer_registry():
    assert set(engine.INITIALIZERS) == {
        "playground",
        "zeros",
        "constant",
        "normal",
        "xavier_uniform",
        "xavier_normal",
        "he_normal",
    }


def test_playground_init():
    model = engine.Model.create([2, 8, 8, 1], init="playground", seed=0)
    weights = np.concatenate([w.ravel() for w in model.weights])
    assert np.all(np.abs(weights) <= 0.5) and weights.std() == pytest.approx(0.289, abs=0.06)
    assert all(np.all(b == 0.1) for b in model.biases)


def test_same_seed_same_weights():
    a = engine.Model.create([2, 5, 1], seed=8)
    b = engine.Model.create([2, 5, 1], seed=8)
    c = engine.Model.create([2, 5, 1], seed=9)
    assert np.array_equal(a.params, b.params) and not np.array_equal(a.params, c.params)


def test_xavier_uniform_bounds_and_spread():
    model = engine.Model.create([16, 16, 4], init="xavier_uniform", seed=0)
    for w, (fan_in, fan_out) in zip(model.weights, [(16, 16), (16, 4)]):
        limit = np.sqrt(6 / (fan_in + fan_out))
        assert np.abs(w).max() <= limit
        assert np.abs(w).max() > 0.8 * limit  # it uses the range, not a fraction of it
    # Variance 2/(a+b) = 1/16 for the 16×16 layer (256 samples: ±25%).
    assert model.weights[0].var() == pytest.approx(1 / 16, rel=0.25)
    assert all(np.all(b == 0) for b in model.biases)


def test_he_normal_standard_deviation():
    stds = [
        engine.Model.create([16, 16, 1], init="he_normal", seed=s).weights[0].std()
        for s in range(8)
    ]
    assert np.mean(stds) == pytest.approx(np.sqrt(2 / 16), rel=0.1)


def test_xavier_normal_and_normal_standard_deviations():
    xavier = [
        engine.Model.create([16, 16, 1], init="xavier_normal", seed=s).weights[0].std()
        for s in range(8)
    ]
    assert np.mean(xavier) == pytest.approx(np.sqrt(2 / 32), rel=0.1)
    normal = [
        engine.Model.create([16, 16, 1], init="normal", seed=s).weights[0].std() for s in range(8)
    ]
    assert np.mean(normal) == pytest.approx(1.0, rel=0.1)


def test_zeros_init_keeps_hidden_units_identical_after_training():
    model = engine.Model.create([2, 4, 3, 1], activation="tanh", init="zeros", seed=0)
    data = engine.make_dataset("gauss", seed=0)
    X = engine.build_features(data.X, ["x1", "x2"])
    Y = engine.targets_for_output(data.y, "tanh", 2)
    # Shuffling and a momentum optimiser do not break the symmetry either.
    trainer = engine.Trainer(model, "mse", optimizer="momentum", learning_rate=0.05)
    trainer.train(X, Y, 20)
    w0, w1, w2 = model.weights
    # Training moved the weights away from zero...
    assert np.abs(w0).max() > 0.05 and np.abs(w1).max() > 0.05
    # ...but every unit of a layer is still a copy of the others: equal columns of w0
    # (the units of layer 1), all of w1 equal (identical inputs and identical units), equal
    # rows of w2, and equal biases within each layer.
    np.testing.assert_allclose(w0, np.repeat(w0[:, :1], 4, axis=1), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(w1, np.full_like(w1, w1[0, 0]), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(w2, np.repeat(w2[:1], 3, axis=0), rtol=1e-12, atol=1e-15)
    for b in model.biases[:2]:
        np.testing.assert_allclose(b, np.full_like(b, b[0]), rtol=1e-12, atol=1e-15)


def test_constant_init_moves_the_units_but_keeps_them_exact_twins():
    # Issue 16, item 3: every weight c (not 0, a saddle where the hidden weights barely
    # move): the units move, and every unit of a layer stays a bit-for-bit copy.
    model = engine.Model.create([2, 4, 3, 1], activation="tanh", init="constant", seed=0)
    assert np.all(model.weights[0] == engine.initializers.CONSTANT_WEIGHT)
    data = engine.make_dataset("circle", seed=0)
    X = engine.build_features(data.X, ["x1", "x2"])
    Y = engine.targets_for_output(data.y, "tanh", 2)
    trainer = engine.Trainer(model, "mse", optimizer="momentum", learning_rate=0.03)
    trainer.train(X, Y, 30)
    w0, w1, _ = model.weights
    assert np.abs(w0 - engine.initializers.CONSTANT_WEIGHT).max() > 0.05  # they moved
    assert np.all(w0 == w0[:, :1])  # equal columns: the 4 units of layer 1 are twins
    assert np.all(w1 == w1[0, 0])
    for b in model.biases[:2]:
        assert np.all(b == b[0])


def test_random_init_breaks_symmetry():
    model = engine.Model.create([2, 4, 1], init="playground", seed=0)
    w0 = model.weights[0]
    assert not np.allclose(w0, np.repeat(w0[:, :1], 4, axis=1))


# ---------------------------------------------------------------- limits


def test_largest_allowed_network():
    sizes = [16, *[engine.MAX_UNITS_PER_LAYER] * engine.MAX_HIDDEN_LAYERS, 16]
    model = engine.Model.create(sizes, output="softmax")
    assert model.architecture.n_layers == 9
    assert model.forward(np.zeros((2, 16))).shape == (2, 16)


@pytest.mark.parametrize(
    ("sizes", "message"),
    [
        ([2, *[3] * 9, 1], "At most 8 hidden layers"),
        ([2, 17, 1], "Hidden layer 1 needs 1–16 units; got 17"),
        ([2, 4, 0, 1], "Hidden layer 2 needs 1–16 units; got 0"),
        ([2, -1, 1], "got -1"),
        ([0, 3, 1], "input layer"),
        ([17, 3, 1], "input layer"),
        ([2, 3, 0], "output layer"),
        ([2, 3, 17], "output layer"),
        ([2], "at least an input and an output"),
        ([2, 3.5, 1], "whole numbers"),
    ],
)
def test_bad_sizes_are_rejected(sizes, message):
    with pytest.raises(ValueError, match=message):
        engine.Model.create(sizes)


def test_sizes_of_the_wrong_type_are_a_type_error():
    # A string is a sequence, but of characters: "21" must not become [2, 1].
    for sizes in ("ab", "21", None, 3):
        with pytest.raises(TypeError, match="layer_sizes must be a list of integers"):
            engine.Model.create(sizes)


def test_softmax_needs_two_outputs_and_activation_count_must_match():
    with pytest.raises(ValueError, match="softmax output needs at least 2"):
        engine.Model.create([2, 3, 1], output="softmax")
    with pytest.raises(ValueError, match="one per hidden layer"):
        engine.Model.create([2, 3, 3, 1], activation=["relu"])


def test_histograms_per_layer():
    model = engine.Model.create([2, 4, 1], seed=0)
    histograms = model.histograms(bins=5)
    assert len(histograms) == 2
    counts, edges = histograms[0]["weights"]
    assert counts.sum() == 8 and edges.shape == (6,)
    assert histograms[1]["biases"][0].sum() == 1
