"""Every lesson's claim, checked by training its configurations on several seeds.

Each lesson carries its claim as clauses (``teach.lessons.Clause``): the words and the
predicate that makes them true. ``test_every_claim_holds_on_every_seed_pair`` trains every
lesson on each (data seed, initial-weights seed) pair of ``SEED_PAIRS`` and requires every
clause on every pair. If one fails, the lesson is wrong about our engine: change the
lesson's setup or its wording (and its clause with it), never only the threshold here.

The other tests check what the issue-16 review found wrong (items 1–7), so it stays fixed.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import engine
from engine.initializers import CONSTANT_WEIGHT
from playground.run import build_run
from teach.activations import ACTIVATION_FACTS
from teach.lessons import LESSON_LIST, LESSONS, SEED_PAIRS, layer_deltas, point_deltas


@pytest.fixture(scope="module")
def measured() -> dict[tuple[str, tuple[int, int]], dict[str, float]]:
    """Each lesson's numbers on each seed pair, computed once for this module (~20 s)."""
    return {
        (lesson.slug, seeds): lesson.check(seeds) for lesson in LESSON_LIST for seeds in SEED_PAIRS
    }


def test_there_are_at_least_five_seed_pairs_and_the_first_is_the_lessons_own():
    assert len(set(SEED_PAIRS)) >= 5
    for lesson in LESSON_LIST:
        for variant in lesson.variants:
            assert (variant.settings.seed, variant.settings.init_seed) == SEED_PAIRS[0]


@pytest.mark.parametrize("lesson", LESSON_LIST, ids=lambda lesson: lesson.slug)
def test_every_claim_holds_on_every_seed_pair(lesson, measured):
    failures = {
        seeds: lesson.failed_clauses(measured[lesson.slug, seeds])
        for seeds in SEED_PAIRS
        if lesson.failed_clauses(measured[lesson.slug, seeds])
    }
    assert failures == {}, f"{lesson.slug}: clauses that do not hold, by (seed, init_seed)"


@pytest.mark.parametrize("lesson", LESSON_LIST, ids=lambda lesson: lesson.slug)
def test_every_clause_can_fail(lesson, measured):
    # A clause that holds whatever the numbers say checks nothing: with every measured
    # number replaced by NaN (every comparison false), each clause must report itself.
    numbers = {key: float("nan") for key in measured[lesson.slug, SEED_PAIRS[0]]}
    assert len(lesson.clauses) >= 2
    assert lesson.failed_clauses(numbers) == [clause.words for clause in lesson.clauses]


def test_checks_are_reproducible():
    # Fixed seeds: two checks of the same lesson give identical numbers.
    assert LESSONS["xor"].check() == LESSONS["xor"].check()
    assert LESSONS["xor"].check(SEED_PAIRS[1]) != LESSONS["xor"].check()


# ---------------------------------------------------------------- issue 16, items 1–7


def test_sigmoid_note_bounds_the_slope_not_the_layer():
    # Item 1: a sigmoid layer scales δ by up to 0.25·‖W‖, so with ‖W‖ > 4 it can grow.
    # One sigmoid unit at z = 0 (slope 0.25) feeding a linear output through w = 8:
    # δ_hidden = 8 · 0.25 · δ_out = 2 δ_out (the bias gradients are the δs).
    model = engine.Model.create([1, 1, 1], activation="sigmoid", output="linear")
    model.weights = [np.array([[0.0]]), np.array([[8.0]])]
    model.biases = [np.array([0.0]), np.array([0.0])]
    _, _, bias_gradients = engine.loss_and_gradients(
        model, np.array([[1.0]]), np.array([[0.0]]), "mse"
    )
    assert bias_gradients[0][0] == pytest.approx(2 * bias_gradients[1][0], rel=1e-12)
    notes = ACTIVATION_FACTS["sigmoid"].notes
    assert "at least 4×" not in notes and "‖W‖" in notes and "above 4" in notes


def test_linear_collapse_names_every_layer_and_the_output_tanh():
    # Item 2: three linear hidden layers and the output are four matrices, and the
    # output is tanh of the single affine map.
    lesson = LESSONS["linear"]
    settings = next(v.settings for v in lesson.variants if v.key == "linear")
    layers = len(settings.layer_sizes) - 1
    product = "".join(f"W{'₁₂₃₄₅₆₇₈₉'[i]}" for i in range(layers))
    assert layers == 4
    for text in (lesson.story, lesson.claim):
        assert product in text and "tanh(xW + b)" in text
    assert "three-layer" not in lesson.claim


def test_symmetry_lesson_moves_identical_units_from_constant_weights():
    # Item 3: from all-zero weights nothing moves (a saddle), so "stay identical" was
    # trivially true. From constant weights the units move and stay twins.
    lesson = LESSONS["symmetry"]
    run = lesson.run()
    constant = run["constant"]
    assert constant.settings.init == "constant"
    assert np.abs(constant.weights[0] - CONSTANT_WEIGHT).max() > 0.1  # moved
    assert np.all(constant.weights[0] == constant.weights[0][:, :1])  # twins, bit for bit
    assert np.abs(run["zeros"].weights[0]).max() < 0.01  # the saddle
    assert "constant" in lesson.claim or "0.3" in lesson.claim


def test_vanishing_lesson_measures_the_back_propagated_error():
    # Item 4: ‖δ‖ per layer, not the weight-gradient norm. δ is ∂L/∂z: its mean over the
    # points is the engine's bias gradient, layer by layer.
    lesson = LESSONS["vanishing"]
    for variant in lesson.variants:
        training_run = build_run(variant.settings)
        deltas = point_deltas(training_run)
        _, _, bias_gradients = engine.loss_and_gradients(
            training_run.model,
            training_run.train_inputs,
            training_run.train_targets,
            variant.settings.loss,
        )
        for delta, gradient in zip(deltas, bias_gradients, strict=True):
            np.testing.assert_allclose(delta.mean(axis=0), gradient, rtol=1e-9, atol=1e-15)
        norms = layer_deltas(training_run)["delta_norms"]
        assert norms.shape == (len(variant.settings.hidden) + 1,)
    assert lesson.probe is layer_deltas
    assert "0.25" in lesson.story and "tanh" in lesson.story and "δ" in lesson.claim


def test_optimizer_race_compares_momentum_with_sgd_at_its_effective_step():
    # Item 5: momentum's steady step is η/(1 − μ); the race includes SGD at that step.
    lesson = LESSONS["optimizers"]
    by_key = {v.key: v.settings for v in lesson.variants}
    momentum = by_key["momentum"]
    mu = engine.OptimizerSettings().momentum
    effective = momentum.lr / (1 - mu)
    assert any(s.optimizer == "sgd" and s.lr == pytest.approx(effective) for s in by_key.values())
    assert "η/(1 − μ)" in lesson.story


def test_dead_relu_lesson_counts_leaky_units_and_does_not_promise_their_return():
    # Item 6: at learning rate 1 many leaky units stay negative on every point.
    lesson = LESSONS["dead-relu"]
    leaky = next(v.settings for v in lesson.variants if "leaky_relu" in v.settings.activation)
    assert leaky.lr == 1.0
    assert any("Leaky" in clause.words for clause in lesson.clauses)
    assert not re.search(r"always .* come back", lesson.try_next)


def test_regularisation_lesson_names_coupled_l2_and_decoupled_weight_decay():
    # Item 7: with Adam, L2 in the gradient is not weight decay; the lesson has both and
    # says which is which, and the setting reaches the trainer as weight_decay.
    lesson = LESSONS["overfitting"]
    by_key = {v.key: v.settings for v in lesson.variants}
    assert by_key["l2"].optimizer == "adam"
    assert (
        by_key["l2"].train_config(100).l2 > 0 and by_key["l2"].train_config(100).weight_decay == 0
    )
    decay = by_key["decay"].train_config(100)
    assert decay.weight_decay > 0 and decay.l2 == 0
    assert "coupled" in lesson.claim and "decoupled" in lesson.claim


def test_divergence_is_measured_where_it_happened_not_where_the_network_was_put_back():
    # The engine puts a diverged network back to its last good state (often epoch 0), so
    # "diverges within N epochs" must read the divergence's own epoch.
    numbers = LESSONS["learning-rate"].check()
    assert numbers["diverged_high"] == 1
    assert numbers["diverged_in_epoch_high"] >= 1
    assert numbers["epochs_high"] < numbers["diverged_in_epoch_high"]


def test_the_loss_chart_says_the_epoch_it_diverged_in():
    from teach.lesson_figures import FIGURES

    run = LESSONS["learning-rate"].run()
    texts = [annotation.text for annotation in FIGURES["loss_curves"](run).layout.annotations]
    assert run["high"].diverged_epoch > 1  # not the epoch it was put back to (0) plus one
    assert any(f"diverged in epoch {run['high'].diverged_epoch}" in text for text in texts)
