"""The Insight views' pure builders (playground.insight) on inputs whose answer is known."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import engine
from playground import insight
from playground.figures import ViewSpec, colour_legend, swatch
from playground.palette import DEFAULT_COLORS


def identity_network(units: int = 2) -> engine.Model:
    """x1, x2 → a linear hidden layer that copies them (the first two units) → 1 output."""
    model = engine.Model.create([2, units, 1], activation="linear", seed=0)
    weights = np.zeros((2, units))
    weights[0, 0] = weights[1, 1] = 1.0
    model.weights[0] = weights
    model.biases[0] = np.zeros(units)
    return model


def test_an_identity_hidden_layer_maps_the_grid_onto_itself():
    points = np.array([[1.0, -2.0], [3.0, 4.0], [0.0, 0.5]])
    space = insight.hidden_space(identity_network(), 0, ["x1", "x2"], points)
    assert space.dims == 2 and space.explained is None
    np.testing.assert_allclose(space.lines, insight.grid_lines(), atol=1e-12)
    np.testing.assert_allclose(space.points, points, atol=1e-12)
    figure = insight.hidden_space_figure(identity_network(), 0, ["x1", "x2"], points, [0, 1, 1])
    grid, markers = figure["data"]
    drawn = np.array([[x, y] for x, y in zip(grid["x"], grid["y"]) if x is not None])
    np.testing.assert_allclose(drawn, insight.grid_lines().reshape(-1, 2), atol=1e-12)
    assert markers["x"] == [1.0, 3.0, 0.0] and markers["y"] == [-2.0, 4.0, 0.5]
    layout = figure["layout"]
    assert "its 2 units" in layout["title"]["text"]
    # Equal scales that narrow the plot area on a wide page instead of padding the x range
    # with empty plane; the title just above the plot area, clear of the modebar.
    assert layout["yaxis"]["scaleanchor"] == "x" and layout["xaxis"]["constrain"] == "domain"
    assert (layout["title"]["yref"], layout["title"]["y"], layout["title"]["yanchor"]) == (
        "paper",
        1,
        "bottom",
    )


def test_grid_lines_cover_the_plane():
    lines = insight.grid_lines(count=3, points=5)
    assert lines.shape == (6, 5, 2)
    assert lines[0, :, 0].tolist() == [-engine.DOMAIN] * 5  # the first vertical line
    assert lines[3, :, 1].tolist() == [-engine.DOMAIN] * 5  # the first horizontal line
    assert lines.min() == -engine.DOMAIN and lines.max() == engine.DOMAIN


def test_three_units_draw_in_3d_and_more_are_projected_with_their_variance():
    points = np.random.default_rng(0).uniform(-5, 5, (50, 2))
    three = insight.hidden_space_figure(identity_network(3), 0, ["x1", "x2"], points, [0] * 50)
    assert {trace["type"] for trace in three["data"]} == {"scatter3d"}
    # 5 units of which only two are non-zero: 2 principal axes explain all the variance.
    many = insight.hidden_space(identity_network(5), 0, ["x1", "x2"], points)
    assert many.dims == 2 and many.explained == pytest.approx(1.0)
    figure = insight.hidden_space_figure(identity_network(5), 0, ["x1", "x2"], points, [0] * 50)
    assert "explain 100% of the variance" in figure["layout"]["title"]["text"]


def test_pca_of_a_line_explains_everything_along_it():
    values = np.outer(np.arange(10.0), [3.0, 4.0, 0.0])
    mean, axes, explained = insight.pca_projection(values)
    np.testing.assert_allclose(axes[0], [0.6, 0.8, 0.0], atol=1e-12)
    assert explained[0] == pytest.approx(1.0) and explained[1] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(mean, values.mean(axis=0))


def test_confusion_matrix_of_known_predictions():
    true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    predicted = np.array([0, 1, 0, 1, 1, 2, 0, 2, 2])
    matrix = insight.confusion_matrix(true, predicted, 3)
    assert matrix.tolist() == [[2, 1, 0], [0, 2, 0], [1, 0, 3]]
    np.testing.assert_allclose(insight.per_class_accuracy(matrix), [2 / 3, 1.0, 3 / 4])
    assert np.isnan(insight.per_class_accuracy(insight.confusion_matrix([0], [0], 2))[1])


def test_r_squared_of_perfect_mean_and_known_regressors():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert insight.r_squared(y, y) == 1.0
    assert insight.r_squared(y, np.full(4, y.mean())) == 0.0
    assert insight.r_squared(y, y + 1) == pytest.approx(1 - 4 / 5)
    assert np.isnan(insight.r_squared(np.ones(3), np.ones(3)))


def test_scores_of_a_perfect_regressor_say_r2_is_1():
    # A linear network that outputs x1 exactly, on targets that are x1.
    model = engine.Model.create([2, 1], output="linear", seed=0)
    model.weights[0] = np.array([[1.0], [0.0]])
    model.biases[0] = np.zeros(1)
    X = np.random.default_rng(1).uniform(-1, 1, (20, 2))
    figure = insight.scores_figure(model, X, X[:, 0], X[:5], X[:5, 0], "regression", 0)
    titles = [a["text"] for a in figure["layout"]["annotations"]]
    assert titles == ["train: R² = 1.000", "test: R² = 1.000"]


def test_scores_of_a_classifier_count_its_predictions():
    # tanh output of x1: class 1 where x1 ≥ 0 (the threshold of tanh is 0).
    model = engine.Model.create([2, 1], output="tanh", seed=0)
    model.weights[0] = np.array([[1.0], [0.0]])
    model.biases[0] = np.zeros(1)
    X = np.array([[-1.0, 0], [-2, 0], [1, 0], [2, 0], [3, 0]])
    y = np.array([0, 1, 1, 1, 0])
    assert insight.predicted_classes(model, X).tolist() == [0, 0, 1, 1, 1]
    figure = insight.scores_figure(model, X, y, X[:0], y[:0], "binary", 2)
    heatmap = figure["data"][0]
    assert heatmap["z"] == [[1, 1], [1, 2]]
    # The classes are named and coloured as the output map's legend has them (tanh: −1, +1).
    low, high = DEFAULT_COLORS.palette.negative, DEFAULT_COLORS.palette.positive
    assert heatmap["x"] == [swatch(low, "−1"), swatch(high, "+1")]
    assert heatmap["y"] == [swatch(low, "−1") + " · 50%", swatch(high, "+1") + " · 67%"]
    assert figure["layout"]["annotations"][0]["text"] == "train: 60% correct"
    assert figure["layout"]["annotations"][1]["text"] == "test: no points"
    # What the rows say is a note above the panels, not a y-axis title over the rows' labels.
    assert figure["layout"]["annotations"][2]["text"] == "rows: true class · its accuracy"
    assert "title" not in figure["layout"]["yaxis"]


@pytest.mark.parametrize(
    ("output_mode", "n_classes", "names"),
    [("probability", 2, ["0", "1"]), ("multiclass", 3, ["1", "2", "3"])],
)
def test_scores_name_each_class_as_the_maps_legend_does(output_mode, n_classes, names):
    model = engine.Model.create([2, n_classes if n_classes > 2 else 1], seed=0)
    X = np.random.default_rng(0).uniform(-1, 1, (12, 2))
    y = np.arange(12) % n_classes
    heatmap = insight.scores_figure(model, X, y, X, y, output_mode, n_classes)["data"][0]
    spec = ViewSpec((2, 1), ("x1", "x2"), output_mode, n_classes, show_test=False, log_loss=False)
    legend = colour_legend(spec).annotations[0]["text"]
    for k, name in enumerate(names):
        label = swatch(DEFAULT_COLORS.palette.classes[k], name)
        assert heatmap["x"][k] == label and heatmap["y"][k].startswith(label + " · ")
        assert label in legend


def test_dead_relu_and_saturated_units_are_counted():
    # Hidden layer of 3 relu units over x1 ∈ [1, 2]: +x1 alive, -x1 dead, a -5 bias dead.
    X = np.array([[1.0, 0.0], [1.5, 0.0], [2.0, 0.0]])
    relu = engine.Model.create([2, 3, 1], activation="relu", seed=0)
    relu.weights[0] = np.array([[1.0, -1.0, 1.0], [0.0, 0.0, 0.0]])
    relu.biases[0] = np.array([0.0, 0.0, -5.0])
    (activity,) = insight.layer_activity(relu, X)
    assert activity.dead.tolist() == [False, True, True]
    assert insight.activity_title(activity) == "hidden 1 (relu): 2 of 3 dead"
    # tanh units: 10·x1 (saturated on every point: tanh(10) > 0.97), x1 (not), and
    # a unit saturated on one point only (counted in the share, not as a saturated unit).
    tanh = engine.Model.create([2, 3, 1], activation="tanh", seed=0)
    tanh.weights[0] = np.array([[10.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    tanh.biases[0] = np.array([0.0, 0.0, 0.1])  # tanh(2.1) = 0.9705, tanh(1.6) = 0.92
    (activity,) = insight.layer_activity(tanh, X)
    assert activity.saturated.tolist() == [True, False, False]
    assert activity.saturated_share == pytest.approx(4 / 9)
    # A sigmoid saturates near 0 and 1: |2a − 1| > 0.97.
    assert insight.saturated_outputs(np.array([0.01, 0.5, 0.99]), "sigmoid").tolist() == [
        True,
        False,
        True,
    ]
    assert insight.saturated_outputs(np.array([100.0]), "relu") is None


def test_percentile_bands_of_known_arrays():
    weights = [np.arange(101.0).reshape(1, 101)]  # 0 … 100: percentile p is p itself
    biases = [np.array([5.0])]
    w, b = insight.parameter_percentiles(weights, biases)
    np.testing.assert_allclose(w[0], insight.PERCENTILES)
    np.testing.assert_allclose(b[0], [5.0] * len(insight.PERCENTILES))
    traces = insight.band_traces(
        np.array([1, 2]), np.stack([w[0], w[0] + 1]), "#000000", "x", "y", "w"
    )
    # 4 bands (outline up the high percentile, back down the low one) and the median line.
    assert len(traces) == 5
    outer = traces[0]
    assert outer["x"] == [1, 2, 2, 1]
    assert outer["y"] == [100.0, 101.0, 1.0, 0.0]  # 100th percentile there, 0th back
    assert traces[-1]["y"] == [50.0, 51.0]


def test_gradient_flow_draws_positive_values_on_log_axes_and_shades_clipping():
    epochs = np.arange(1, 7)
    grad = np.array([[1.0, 0.1], [0.5, 0.0], [0.25, np.nan], [0.1, 0.01], [1, 1], [1, 1]])
    delta = grad * 2
    clipped = np.array([0, 1, 1, 0, 0.5, 0])
    figure = insight.gradient_flow_figure(epochs, grad, delta, clipped, moment=3)
    layout = figure["layout"]
    assert layout["yaxis"]["type"] == layout["yaxis2"]["type"] == "log"
    lines = [t for t in figure["data"] if t.get("mode") == "lines"]
    assert [t["name"] for t in lines] == ["hidden 1", "output"] * 2
    assert lines[1]["y"] == [0.1, None, None, 0.01, 1.0, 1.0]  # 0 and NaN: gaps
    assert lines[2]["y"] == [2.0, 1.0, 0.5, 0.2, 2.0, 2.0]
    spans = [(s["x0"], s["x1"]) for s in layout["shapes"] if s["type"] == "rect"]
    assert spans == [(1.5, 3.5), (4.5, 5.5)] * 2  # two runs of clipped epochs, both panels
    assert insight.clipped_spans(epochs, np.zeros(6)) == []
    moments = [s["x0"] for s in layout["shapes"] if s["type"] == "line"]
    assert moments == [3, 3]


def test_long_histories_are_thinned_for_drawing():
    rows = 10_000
    figure = insight.gradient_flow_figure(
        np.arange(1, rows + 1), np.ones((rows, 1)), np.ones((rows, 1))
    )
    x = figure["data"][0]["x"]
    assert len(x) <= insight.MAX_LINE_POINTS and x[0] == 1 and x[-1] == rows


def test_decimation_keeps_each_columns_extremes_gaps_ends_and_the_moment():
    rows, columns = 10_000, 100
    x = np.arange(1, rows + 1)
    values = np.sin(x / 300.0) + 2.0
    values[4321], values[7000], values[8000] = 50.0, 0.001, np.nan  # spike, dip, gap
    keep = insight.decimated_indices(x, values, columns=columns, keep=5555)
    assert np.all(np.diff(keep) > 0) and keep[0] == 0 and keep[-1] == rows - 1
    assert {4321, 7000, 8000, 5554} <= set(keep.tolist())  # 5554: the row of epoch 5555
    assert len(keep) <= 2 * columns + 4  # + the ends, the moment and the one gap
    column = np.minimum((x - 1) * columns // (rows - 1), columns - 1)
    for c in range(columns):  # each column's drawn line reaches its highest and lowest value
        every, kept = values[column == c], values[keep[column[keep] == c]]
        assert np.nanmax(kept) == np.nanmax(every) and np.nanmin(kept) == np.nanmin(every)
    short = insight.decimated_indices(x[:50], values[:50], columns=columns)
    assert short.tolist() == list(range(50))  # fewer rows than columns can show: all of them


def test_gradient_flow_of_a_long_run_shows_its_spike_and_the_moments_value():
    rows = 5_000
    grad = np.full((rows, 1), 0.5)
    grad[3333, 0] = 40.0  # one epoch's gradient blew up
    figure = insight.gradient_flow_figure(np.arange(1, rows + 1), grad, grad, moment=1234)
    line = figure["data"][0]
    assert max(line["y"]) == 40.0 and line["x"][line["y"].index(40.0)] == 3334
    assert line["y"][line["x"].index(1234)] == 0.5  # the marked epoch is a point of the line
    moments = [s["x0"] for s in figure["layout"]["shapes"] if s["type"] == "line"]
    assert moments == [1234, 1234]


def test_clipping_on_and_off_makes_a_span_per_pixel_column_at_most():
    epochs = np.arange(1, 2_001)
    clipped = (epochs % 2).astype(float)  # every other epoch
    assert len(insight.clipped_spans(epochs, clipped)) == 1_000
    merged = insight.clipped_spans(epochs, clipped, columns=200)
    assert merged == [(0.5, 1999.5)]  # runs 2 epochs apart, a column is 10: one span


def test_every_builder_makes_a_valid_plotly_figure():
    go = pytest.importorskip("plotly.graph_objects")
    model = engine.Model.create([2, 4, 3, 2], activation=["relu", "tanh"], output="softmax", seed=1)
    X = np.random.default_rng(2).uniform(-5, 5, (30, 2))
    y = (X[:, 0] > 0).astype(int)
    weights, biases = insight.parameter_percentiles(list(model.weights), list(model.biases))
    bands = (np.arange(2), np.stack([weights] * 2, axis=1), np.stack([biases] * 2, axis=1))
    figures = [
        insight.gradient_flow_figure(np.arange(1, 4), np.ones((3, 3)), np.ones((3, 3)), np.ones(3)),
        insight.parameter_bands_figure(*bands),
        insight.histogram_figure(model),
        insight.activations_figure(model, X),
        insight.hidden_space_figure(model, 0, ["x1", "x2"], X, y),
        insight.hidden_space_figure(model, 1, ["x1", "x2"], X, y),
        insight.scores_figure(model, X, y, X, y, "binary", 2),
    ]
    for figure in figures:
        go.Figure(figure)  # raises on any property Plotly does not know


def test_the_builders_import_neither_streamlit_nor_plotly():
    code = (
        "import sys, playground.insight; print('streamlit' in sys.modules, 'plotly' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_snapshot_percentiles_cover_the_recorded_run_and_follow_a_rewind():
    X = np.random.default_rng(0).uniform(-1, 1, (40, 2))
    Y = (X[:, :1] > 0).astype(float)
    model = engine.Model.create([2, 3, 1], seed=0)
    trainer = engine.Trainer(model, "mse", learning_rate=0.1, batch_size=8)
    recorder = engine.SnapshotRecorder()
    trainer.train(X, Y, 30, recorder=recorder)
    percentiles = insight.SnapshotPercentiles()
    epochs, weights, biases = percentiles.arrays(model.architecture, recorder)
    assert list(epochs) == recorder.epochs and epochs[0] == 0 and epochs[-1] == 30
    assert weights.shape == biases.shape == (2, len(epochs), len(insight.PERCENTILES))
    first = engine.Model(model.architecture, recorder.get(0).params)
    assert np.array_equal(weights[0, 0], np.percentile(first.weights[0], insight.PERCENTILES))
    # Back to epoch 10, then on with another rate: epochs 11-30 are new weights.
    recorder.restore(trainer, 10)
    recorder.truncate(10)
    trainer.config = trainer.config.replace(learning_rate=0.5)
    trainer.train(X, Y, 20, recorder=recorder)
    again = percentiles.arrays(model.architecture, recorder)[1]
    now = engine.Model(model.architecture, recorder.get(30).params)
    assert np.array_equal(again[0, -1], np.percentile(now.weights[0], insight.PERCENTILES))
    assert not np.array_equal(again[0, -1], weights[0, -1])
    assert np.array_equal(again[0, :11], weights[0, :11])  # the kept moments are unchanged
