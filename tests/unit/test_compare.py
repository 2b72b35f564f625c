"""The Compare page's core (playground/compare.py, compare_figures.py): the ``lanes=`` link both
ways, what a bad link gets, the same-initial-weights rule, lockstep training, the overlay."""

from __future__ import annotations

import numpy as np
import pytest

from playground.compare import (
    LANE_SETTINGS,
    Lane,
    build_comparison,
    comparison_from_query,
    comparison_query,
    default_lanes,
    lanes_from_text,
    lanes_to_text,
    playground_query,
    restart_comparison,
    train_lockstep,
    weight_groups,
)
from playground.compare_figures import (
    LaneCurves,
    lane_map_figure,
    lane_map_picture,
    overlay_loss_figure,
)
from playground.frames import frame_data, view_spec
from playground.palette import LANE_COLORS
from playground.settings import SETTINGS, PlaygroundSettings

BASE = PlaygroundSettings()


def test_lane_settings_follow_the_settings_table_order():
    names = [spec.name for spec in SETTINGS]
    assert list(LANE_SETTINGS) == [name for name in names if name in LANE_SETTINGS]


def test_default_lanes_are_the_base_learning_rate_and_ten_times_it():
    lanes = default_lanes(BASE)
    assert lanes == (Lane((("lr", 0.03),)), Lane((("lr", 0.3),)))
    assert lanes_to_text(lanes) == "lr:0.03|lr:0.3"


def test_a_lane_link_reads_back_as_the_same_lanes():
    text = "lr:0.003|hidden:8,8;activation:relu,tanh;lr:0.3|-|batch:full;reg:l2;reg_rate:0.01"
    lanes, problems = lanes_from_text(text, BASE)
    assert problems == []
    assert lanes[0] == Lane((("lr", 0.003),))
    assert dict(lanes[1].changes) == {"hidden": (8, 8), "activation": ("relu", "tanh"), "lr": 0.3}
    assert lanes[2] == Lane()
    assert dict(lanes[3].changes) == {"batch": 0, "reg": "l2", "reg_rate": 0.01}
    # Written in the table's order, the Playground's own spelling.
    assert lanes_to_text(lanes) == (
        "lr:0.003|hidden:8,8;activation:relu,tanh;lr:0.3|-|batch:full;reg:l2;reg_rate:0.01"
    )


@pytest.mark.parametrize(
    ("text", "expected", "sentence"),
    [
        ("lr:0.3", "default", "describes 1 lane; a comparison has 2–4"),
        ("a|b|c|d|e", "default", "describes 5 lanes"),
        ("lr:7|lr:0.3", (Lane(), Lane((("lr", 0.3),))), "Lane A: `lr=7` is not one of"),
        ("lr:fast|-", (Lane(), Lane()), "Lane A: `lr:fast` is not a valid value"),
        ("seed:4|-", (Lane(), Lane()), "Lane A: `seed:4` is not a setting a lane can change"),
        ("-|hidden:99", (Lane(), Lane()), "Lane B: `hidden=99` is not a network"),
        # activations are checked against the lane's own layers
        ("-|activation:relu,tanh,tanh", (Lane(), Lane()), "Lane B: `activation=relu,tanh,tanh`"),
        ("<script>|-", (Lane(), Lane()), "`<script>`"),
    ],
)
def test_a_malformed_lane_link_gets_a_sentence_and_falls_back(text, expected, sentence):
    lanes, problems = lanes_from_text(text, BASE)
    assert lanes == (default_lanes(BASE) if expected == "default" else expected)
    assert len(problems) == 1 and sentence in problems[0], problems


def test_the_whole_comparison_is_in_the_query():
    lanes = (Lane((("lr", 0.003),)), Lane((("optimizer", "adam"),)), Lane())
    base = BASE.with_changes(dataset="xor", noise=10)
    query = comparison_query(base, lanes)
    assert query["dataset"] == "xor" and query["lanes"] == "lr:0.003|optimizer:adam|-"
    assert comparison_from_query(query) == (base, lanes, [])


def test_without_settings_in_the_link_the_playgrounds_setup_is_the_base():
    playground = BASE.with_changes(dataset="spiral", hidden=(8, 8))
    base, lanes, problems = comparison_from_query({"lanes": "lr:0.1|lr:1"}, playground)
    assert base == playground and problems == []
    assert lanes == (Lane((("lr", 0.1),)), Lane((("lr", 1.0),)))
    assert base == comparison_from_query({}, playground)[0]
    assert comparison_from_query({}, None)[0] == BASE


def test_a_lanes_playground_link_carries_its_settings():
    lane = Lane((("hidden", (3,)), ("lr", 0.3)))
    query = playground_query(BASE, lane)
    assert query["hidden"] == "3" and query["lr"] == "0.3" and query["dataset"] == "circle"
    assert PlaygroundSettings.from_query_params(query) == (lane.settings(BASE), [])


def test_lanes_of_the_same_shape_start_from_the_same_initial_weights():
    lanes = (
        Lane((("lr", 0.003),)),
        Lane((("hidden", (8,)),)),
        Lane((("activation", ("relu",)), ("lr", 0.3))),
        Lane((("hidden", (8,)), ("optimizer", "adam"))),
    )
    comparison = build_comparison(BASE.with_changes(init="he_normal"), lanes)
    runs = comparison.runs
    assert weight_groups(runs) == [0, 1, 0, 1]
    assert np.array_equal(runs[0].model.params, runs[2].model.params)
    assert np.array_equal(runs[1].model.params, runs[3].model.params)
    # (He initialisation is drawn per activation's fan: equal only because they are shared)
    assert not np.array_equal(runs[0].model.params[:4], np.zeros(4))
    # Restart gives every lane its initial weights again.
    train_lockstep(comparison, 5)
    restarted = restart_comparison(comparison)
    assert np.array_equal(restarted.runs[2].model.params, runs[0].initial_params)
    assert all(run.epoch == 0 for run in restarted.runs)


def test_same_data_in_every_lane():
    comparison = build_comparison(BASE, (Lane((("batch", 1),)), Lane((("hidden", (2,)),))))
    first, second = comparison.runs
    assert np.array_equal(first.train.X, second.train.X)
    assert np.array_equal(first.test.y, second.test.y)


def test_lanes_train_in_step_and_a_diverging_lane_stops_alone():
    lanes = (Lane((("lr", 0.03),)), Lane((("lr", 10.0), ("batch", 1))))
    comparison = build_comparison(BASE.with_changes(dataset="plane", hidden=(16, 16)), lanes)
    for _ in range(20):
        train_lockstep(comparison, 5)
    steady, wild = comparison.runs
    assert wild.trainer.divergence is not None and "diverged" in wild.stop_reason.lower()
    assert steady.stop_reason is None and steady.epoch == 100
    assert comparison.epoch == 100 and comparison.running() == [steady]


def test_the_overlay_has_a_colour_per_lane_train_solid_test_dashed():
    comparison = build_comparison(BASE, (*default_lanes(BASE), Lane((("lr", 1.0),))))
    train_lockstep(comparison, 3)
    curves = [
        LaneCurves(
            name,
            run.trainer.history.epochs,
            *map(run.trainer.history.column, ("train_loss", "test_loss")),
        )
        for name, run in zip("ABC", comparison.runs)
    ]
    figure = overlay_loss_figure(curves, view_spec(comparison.runs[0], False))
    lines = [(trace["line"]["color"], trace["line"]["dash"]) for trace in figure["data"]]
    assert lines == [(color, dash) for color in LANE_COLORS[:3] for dash in ("solid", "dash")]
    assert [trace["name"] for trace in figure["data"] if trace["showlegend"]] == [
        "Lane A",
        "Lane B",
        "Lane C",
    ]
    assert list(figure["data"][0]["x"]) == [1, 2, 3]


@pytest.mark.parametrize(
    ("changes", "shape"),
    [
        ({}, (100, 100)),  # two classes, tanh: the diverging scale
        ({"dataset": "plane"}, (100, 100)),  # regression
        ({"dataset": "blobs", "classes": 4}, (100, 100, 3)),  # the most likely class's colour
    ],
)
def test_a_lanes_map_shows_its_networks_output_like_the_playground(changes, shape):
    base = BASE.with_changes(**changes)
    comparison = build_comparison(base, default_lanes(base))
    run = comparison.runs[1]
    spec = view_spec(run, False)
    picture = lane_map_picture(spec, frame_data(run).output_grid, False)
    assert picture.shape == shape and picture.dtype == np.uint8
    train_lockstep(comparison, 20)
    assert not np.array_equal(picture, lane_map_picture(spec, frame_data(run).output_grid, False))
    figure = lane_map_figure(spec, {"source": "points"}, lanes=3)
    assert figure["layout"]["images"][1] == {"source": "points"}  # the data on top of the output
