"""Drawn points (playground.drawing) and runs on your own data (playground.run): which side a
new point joins, removing the nearest, the settings' points value both ways, and that drawing
keeps the network while training goes on."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from playground import drawing
from playground.own_data import decode_points, read_table, to_csv
from playground.run import build_run, restart, train_chunk, updated_run, with_own_data
from playground.settings import CUSTOM, PlaygroundSettings


def empty_split(kind: str = "classification", n_classes: int = 2):
    return drawing.cleared(kind, n_classes).split(0.5, 1)


def draw(points, ratio: float = 0.5, n_classes: int = 2):
    """Own data of ``points`` [(x1, x2, class)], drawn one after the other."""
    train, test = empty_split(n_classes=n_classes)
    sides = []
    for x1, x2, value in points:
        own, to_train = drawing.add_point(train, test, x1, x2, value, ratio)
        train, test = own.split(ratio, 1)
        sides.append(to_train)
    return own, sides


@pytest.mark.parametrize("ratio", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_new_points_keep_the_train_ratio_and_both_sides_soon_have_one(ratio):
    own, sides = draw([(k / 10, -k / 10, k % 2) for k in range(40)], ratio)
    assert sides[:2] == [True, False]  # the first point trains, the second tests
    for n in range(2, 41):
        assert sum(sides[:n]) == drawing.train_count(n, ratio)  # as train_test_split counts
    assert own.is_train.sum() == round(40 * ratio)


def test_the_same_drawing_splits_the_same_way():
    points = [(np.sin(k), np.cos(k), k % 3) for k in range(25)]
    first, _ = draw(points, 0.6, n_classes=3)
    again, _ = draw(points, 0.6, n_classes=3)
    assert np.array_equal(first.is_train, again.is_train)
    assert np.array_equal(first.dataset.X, again.dataset.X)


def test_a_point_of_a_new_class_raises_the_number_of_classes_and_a_sixth_is_refused():
    own, _ = draw([(0, 0, 0), (1, 1, 1), (2, 2, 2)])
    assert own.dataset.n_classes == 3
    train, test = own.split(0.5, 1)
    with pytest.raises(ValueError, match="class must be 1 to 5"):
        drawing.add_point(train, test, 0, 0, 5, 0.5)


def test_remove_takes_the_nearest_point_of_either_side():
    own, _ = draw([(0, 0, 0), (3, 3, 1), (-3, 2, 1), (5, -5, 0)])
    train, test = own.split(0.5, 1)
    smaller, removed = drawing.remove_nearest(train, test, 2.6, 3.3)
    assert removed and len(smaller.dataset) == 3
    assert not any(np.allclose(point, (3, 3)) for point in smaller.dataset.X)
    assert smaller.is_train.sum() + (~smaller.is_train).sum() == 3
    empty = drawing.cleared("classification", 2)
    assert drawing.remove_nearest(*empty.split(0.5, 1), 0, 0)[1] is False


def test_points_value_carries_small_sets_and_only_the_shape_of_others():
    own, _ = draw([(k / 7, 5 - k / 3, k % 2) for k in range(30)])
    value = drawing.link_value(*own.split(0.5, 1))
    back = drawing.from_link(value)
    assert np.allclose(back.dataset.X, own.dataset.X, atol=0.005)
    assert np.array_equal(back.dataset.y, own.dataset.y)
    assert np.array_equal(back.is_train, own.is_train)
    assert drawing.own_shape(value) == ("classification", 2)
    # One class, too many points, nothing: the shape only.
    one_class, _ = draw([(0, 0, 1), (1, 1, 1)])
    assert drawing.link_value(*one_class.split(0.5, 1)) == "2-classes"
    big = engine.make_dataset("blobs", n_points=300, n_classes=4, seed=1)
    assert drawing.link_value(*engine.train_test_split(big, 0.5, 1)) == "4-classes"
    plane = engine.make_dataset("plane", n_points=300, seed=1)
    assert drawing.link_value(*engine.train_test_split(plane, 0.5, 1)) == "regression"
    assert len(drawing.from_link("4-classes").dataset) == 0
    assert drawing.own_shape("regression") == ("regression", 0)
    with pytest.raises(ValueError, match="cannot be read"):
        drawing.own_shape("1.zz")


def test_a_link_of_drawn_points_restores_them_in_the_settings_and_the_run():
    own, _ = draw([(1, 1, 0), (-1, -1, 1), (2, -2, 0), (-2, 2, 1)])
    link = {"dataset": "custom", "points": drawing.link_value(*own.split(0.5, 1))}
    settings, problems = PlaygroundSettings.from_query_params(link)
    assert problems == [] and settings.dataset == CUSTOM
    assert settings.to_query_params()["points"] == link["points"]
    run = build_run(settings)
    assert len(run.train) + len(run.test) == 4
    assert np.array_equal(run.own.is_train, decode_points(link["points"]).is_train)


def test_bad_points_in_a_link_get_a_sentence_and_an_empty_drawing():
    settings, problems = PlaygroundSettings.from_query_params(
        {"dataset": "custom", "points": "1.AAAA"}
    )
    assert len(problems) == 1 and "points cannot be read" in problems[0], problems
    assert settings.points == "" and len(build_run(settings).train) == 0
    _, problems = PlaygroundSettings.from_query_params({"dataset": "xor", "points": "1.AAAA"})
    assert len(problems) == 1 and "belong to your own data set" in problems[0]


def test_drawing_while_training_keeps_the_network_and_training_goes_on():
    own, _ = draw([(2, 2, 0), (-2, -2, 1), (2, 1, 0), (-1, -2, 1)])
    settings = PlaygroundSettings(CUSTOM).with_changes(
        points=drawing.link_value(*own.split(0.5, 1))
    )
    run = build_run(settings, own)
    train_chunk(run, 30)
    weights = run.model.params.copy()
    more, to_train = drawing.add_point(run.train, run.test, 3, 3, 0, 0.5)
    after = with_own_data(run, more)
    assert after.model is run.model and after.trainer is run.trainer
    assert np.array_equal(after.model.params, weights) and after.epoch == 30
    assert len(after.train) == len(run.train) + to_train
    train_chunk(after, 10)
    assert after.epoch == 40 and after.stop_reason is None
    # Replay keeps the points and goes back to the first weights.
    again = restart(after)
    assert again.epoch == 0 and len(again.train) == len(after.train)


def test_an_empty_drawing_waits_with_a_sentence_instead_of_training():
    run = build_run(PlaygroundSettings(CUSTOM).normalized()[0])
    assert len(run.train) == 0
    train_chunk(run, 5)
    assert run.epoch == 0 and "training set is empty" in run.stop_reason
    one, _ = draw([(1, 1, 0)])
    after = with_own_data(run, one)
    train_chunk(after, 5)  # one training point, no test point yet: it trains
    assert after.epoch == 5 and after.stop_reason is None


def test_a_new_class_is_a_new_network_through_the_settings():
    own, _ = draw([(1, 1, 0), (-1, -1, 1), (2, 2, 0)])
    settings = PlaygroundSettings(CUSTOM).with_changes(
        points=drawing.link_value(*own.split(0.5, 1))
    )
    run = build_run(settings, own)
    bigger, _ = drawing.add_point(*own.split(0.5, 1), 0, 3, 2, 0.5)
    new = settings.with_changes(points=drawing.link_value(*bigger.split(0.5, 1)))
    assert new.n_classes == 3 and new.output == "softmax"
    after = updated_run(run, new, bigger)
    assert after.model is not run.model and after.model.layer_sizes[-1] == 3


def test_a_downloaded_drawing_uploads_as_the_same_points_and_split():
    own, _ = draw([(k * 0.37 - 5, 4 - k * 0.29, k % 3) for k in range(23)], 0.7, n_classes=3)
    train, test = own.split(0.7, 1)
    back = read_table(to_csv(train, test))
    assert np.array_equal(back.dataset.X, own.dataset.X)
    assert np.array_equal(back.dataset.y, own.dataset.y)
    assert np.array_equal(back.is_train, own.is_train)
