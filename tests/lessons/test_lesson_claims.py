"""Every lesson's claim, checked by training its configurations with the lesson's fixed seeds.

The thresholds here are the lesson's words turned into numbers.  If one fails, the lesson
is wrong about our engine: change the lesson's setup or its wording, not these numbers.
"""

from __future__ import annotations

import pytest

from teach.lessons import LESSONS


@pytest.fixture(scope="module")
def measured() -> dict[str, dict[str, float]]:
    """Each lesson's ``check()``, computed once for this module (about 2 s in all)."""
    return {slug: lesson.check() for slug, lesson in LESSONS.items()}


def test_xor_needs_a_hidden_layer(measured):
    numbers = measured["xor"]
    assert numbers["test_accuracy_none"] <= 0.75
    assert numbers["test_accuracy_hidden"] >= 0.95


def test_linear_layers_collapse_into_one_affine_map(measured):
    numbers = measured["linear"]
    assert numbers["affine_error_linear"] < 1e-9  # the deep linear net *is* x·W + b
    assert numbers["affine_error_tanh"] > 0.1  # tanh layers are not
    assert numbers["test_accuracy_none"] <= 0.75
    assert numbers["test_accuracy_linear"] <= 0.75
    assert numbers["test_accuracy_tanh"] >= 0.95


def test_zero_init_keeps_units_identical_and_random_init_breaks_symmetry(measured):
    numbers = measured["symmetry"]
    assert numbers["unit_spread_zeros"] < 1e-12
    assert numbers["test_accuracy_zeros"] <= 0.75
    assert numbers["unit_spread_random"] > 0.1
    assert numbers["test_accuracy_random"] >= 0.95


def test_xavier_keeps_deep_tanh_units_out_of_saturation(measured):
    numbers = measured["xavier"]
    assert numbers["saturated_last_normal"] >= 0.5
    assert numbers["saturated_last_xavier"] <= 0.05
    # With normal weights saturation grows with depth.
    assert numbers["saturated_last_normal"] > numbers["saturated_first_normal"]


def test_sigmoid_gradients_vanish_with_depth_and_tanh_ones_do_not(measured):
    numbers = measured["vanishing"]
    assert numbers["first_over_last_sigmoid"] <= 0.01  # first layer ≥ 100× smaller
    assert numbers["first_over_last_tanh"] >= 0.1  # not even 10× smaller
    assert numbers["test_accuracy_sigmoid"] <= 0.6
    assert numbers["test_accuracy_tanh"] >= 0.95


def test_large_learning_rate_kills_relu_units(measured):
    numbers = measured["dead-relu"]
    assert numbers["dead_large"] >= 0.3
    assert numbers["dead_small"] <= 0.1


def test_learning_rate_too_low_crawls_right_converges_too_high_diverges(measured):
    numbers = measured["learning-rate"]
    assert numbers["relative_drop_low"] < 0.05
    assert numbers["diverged_low"] == 0
    assert numbers["relative_drop_right"] > 0.9
    assert numbers["diverged_right"] == 0
    assert numbers["diverged_high"] == 1
    assert numbers["epochs_high"] < 10


def test_batch_size_one_is_noisy_and_full_batch_is_smooth(measured):
    numbers = measured["batch-size"]
    assert numbers["rising_epochs_one"] >= 0.25
    assert numbers["rising_epochs_full"] == 0
    assert numbers["final_loss_one"] < numbers["final_loss_full"]


def test_l2_and_dropout_narrow_the_generalisation_gap(measured):
    numbers = measured["overfitting"]
    for regularised in ("l2", "dropout"):
        assert numbers[f"gap_{regularised}"] <= numbers["gap_plain"] / 2
        assert numbers[f"test_loss_{regularised}"] < numbers["test_loss_plain"]


def test_squared_features_make_the_circle_linearly_separable(measured):
    numbers = measured["features"]
    assert numbers["test_accuracy_plain"] <= 0.75
    assert numbers["test_accuracy_squares"] >= 0.95


def test_softmax_with_cross_entropy_beats_mse_on_three_classes(measured):
    numbers = measured["softmax"]
    assert numbers["train_accuracy_cross_entropy"] >= 0.9
    assert numbers["train_accuracy_mse"] < 0.8


def test_momentum_and_adam_beat_sgd_in_the_race(measured):
    numbers = measured["optimizers"]
    assert numbers["final_loss_sgd"] > 0.35
    assert numbers["final_loss_momentum"] < numbers["final_loss_sgd"] / 2
    assert numbers["final_loss_adam"] < numbers["final_loss_sgd"] / 2


CLAIMED = {
    "xor",
    "linear",
    "symmetry",
    "xavier",
    "vanishing",
    "dead-relu",
    "learning-rate",
    "batch-size",
    "overfitting",
    "features",
    "softmax",
    "optimizers",
}


def test_every_lesson_has_its_claim_tested():
    assert set(LESSONS) == CLAIMED
    assert len(LESSONS) >= 12


def test_checks_are_reproducible():
    # Fixed seeds: two checks of the same lesson give identical numbers.
    assert LESSONS["xor"].check() == LESSONS["xor"].check()
