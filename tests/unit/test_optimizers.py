"""Every optimiser's first two steps against values worked out by hand.

The problem is one linear neuron ŷ = w·x + b trained with mse (½(ŷ - y)²) on a single
point, batch size 1, no shuffling, so one ``train(X, Y, 1)`` is exactly one step with

    r = ŷ - y,   g_w = r·x,   g_b = r.

With x = 2, y = 3, w₀ = 0.5, b₀ = 0 and η = 0.1 the first gradient is
ŷ = 1, r = -2, g_w = -4, g_b = -2.  The update rules are those of engine/optimizers.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import engine

X = np.array([[2.0]])
Y = np.array([[3.0]])
LR = 0.1
EPS = 1e-8  # OptimizerSettings' default epsilon
MU = 0.9  # default momentum
RHO = 0.9  # default rho
BETA1, BETA2 = 0.9, 0.999  # default Adam betas


def one_neuron(w: float = 0.5, b: float = 0.0) -> engine.Model:
    model = engine.Model.create([1, 1], output="linear", seed=0)
    model.weights[0] = [[w]]
    model.biases[0] = [b]
    return model


def make_trainer(model: engine.Model, optimizer: str = "sgd", **options) -> engine.Trainer:
    options = {"learning_rate": LR, "batch_size": 1, "shuffle": False, **options}
    return engine.Trainer(model, "mse", optimizer=optimizer, **options)


def step(trainer: engine.Trainer) -> tuple[float, float]:
    result = trainer.train(X, Y, 1)
    assert result.epochs_run == 1 and result.divergence is None
    return float(trainer.model.weights[0][0, 0]), float(trainer.model.biases[0][0])


def test_sgd_first_two_steps():
    trainer = make_trainer(one_neuron(), "sgd")
    # Step 1: g_w = -4, g_b = -2 → w = 0.5 + 0.1·4 = 0.9, b = 0 + 0.1·2 = 0.2
    assert step(trainer) == pytest.approx((0.9, 0.2), rel=1e-14)
    # Step 2: ŷ = 0.9·2 + 0.2 = 2.0, r = -1, g_w = -2, g_b = -1 → w = 1.1, b = 0.3
    assert step(trainer) == pytest.approx((1.1, 0.3), rel=1e-14)


def test_momentum_first_two_steps():
    trainer = make_trainer(one_neuron(), "momentum")
    # Step 1: v_w = -4, v_b = -2 → w = 0.5 + 0.4 = 0.9, b = 0.2
    assert step(trainer) == pytest.approx((0.9, 0.2), rel=1e-14)
    # Step 2: g_w = -2, g_b = -1; v_w = 0.9·(-4) - 2 = -5.6, v_b = 0.9·(-2) - 1 = -2.8
    #   w = 0.9 + 0.1·5.6 = 1.46, b = 0.2 + 0.1·2.8 = 0.48
    assert step(trainer) == pytest.approx((1.46, 0.48), rel=1e-14)


def test_nesterov_first_two_steps():
    trainer = make_trainer(one_neuron(), "nesterov")
    # Step 1: v_w = -4 → w = 0.5 - 0.1·(-4 + 0.9·(-4)) = 0.5 + 0.76 = 1.26
    #         v_b = -2 → b = 0 - 0.1·(-2 + 0.9·(-2)) = 0.38
    assert step(trainer) == pytest.approx((1.26, 0.38), rel=1e-14)
    # Step 2: ŷ = 1.26·2 + 0.38 = 2.9, r = -0.1, g_w = -0.2, g_b = -0.1
    #   v_w = 0.9·(-4) - 0.2 = -3.8 → w = 1.26 - 0.1·(-0.2 + 0.9·(-3.8)) = 1.622
    #   v_b = 0.9·(-2) - 0.1 = -1.9 → b = 0.38 - 0.1·(-0.1 + 0.9·(-1.9)) = 0.561
    assert step(trainer) == pytest.approx((1.622, 0.561), rel=1e-13)


def test_adagrad_first_two_steps():
    trainer = make_trainer(one_neuron(), "adagrad")
    # Step 1: G_w = 16, G_b = 4
    w1 = 0.5 - 0.1 * (-4.0) / (math.sqrt(16.0) + EPS)  # ≈ 0.6
    b1 = 0.0 - 0.1 * (-2.0) / (math.sqrt(4.0) + EPS)  # ≈ 0.1
    assert step(trainer) == pytest.approx((w1, b1), rel=1e-14)
    assert (w1, b1) == pytest.approx((0.6, 0.1), rel=1e-8)
    # Step 2: ŷ = 2·w1 + b1 ≈ 1.3, r ≈ -1.7, g_w ≈ -3.4, g_b ≈ -1.7
    r2 = 2.0 * w1 + b1 - 3.0
    w2 = w1 - 0.1 * (r2 * 2.0) / (math.sqrt(16.0 + (r2 * 2.0) ** 2) + EPS)
    b2 = b1 - 0.1 * r2 / (math.sqrt(4.0 + r2**2) + EPS)
    assert step(trainer) == pytest.approx((w2, b2), rel=1e-13)
    # Numerically: w2 = 0.6 + 0.34/√27.56 ≈ 0.664764, b2 = 0.1 + 0.17/√6.89 ≈ 0.164764
    assert (w2, b2) == pytest.approx((0.664764, 0.164764), abs=1e-6)


def test_rmsprop_first_two_steps():
    trainer = make_trainer(one_neuron(), "rmsprop")
    # Step 1: s_w = 0.1·16 = 1.6, s_b = 0.1·4 = 0.4
    w1 = 0.5 - 0.1 * (-4.0) / (math.sqrt(1.6) + EPS)  # ≈ 0.5 + 0.316228
    b1 = 0.0 - 0.1 * (-2.0) / (math.sqrt(0.4) + EPS)  # ≈ 0.316228
    assert step(trainer) == pytest.approx((w1, b1), rel=1e-14)
    assert (w1, b1) == pytest.approx((0.816228, 0.316228), abs=1e-6)
    # Step 2: s ← 0.9·s + 0.1·g²
    r2 = 2.0 * w1 + b1 - 3.0  # ≈ -1.051317
    g_w, g_b = r2 * 2.0, r2
    w2 = w1 - 0.1 * g_w / (math.sqrt(0.9 * 1.6 + 0.1 * g_w**2) + EPS)
    b2 = b1 - 0.1 * g_b / (math.sqrt(0.9 * 0.4 + 0.1 * g_b**2) + EPS)
    assert step(trainer) == pytest.approx((w2, b2), rel=1e-13)


def test_adam_first_two_steps():
    trainer = make_trainer(one_neuron(), "adam")
    # Step 1 (t = 1): m = 0.1·g, v = 0.001·g²; m̂ = g, v̂ = g² → step = η·g/(|g| + ε)
    w1 = 0.5 - 0.1 * (0.1 * -4.0 / 0.1) / (math.sqrt(0.001 * 16.0 / 0.001) + EPS)  # ≈ 0.6
    b1 = 0.0 - 0.1 * (0.1 * -2.0 / 0.1) / (math.sqrt(0.001 * 4.0 / 0.001) + EPS)  # ≈ 0.1
    assert step(trainer) == pytest.approx((w1, b1), rel=1e-13)
    assert (w1, b1) == pytest.approx((0.6, 0.1), rel=1e-8)
    # Step 2 (t = 2): ŷ ≈ 1.3, g_w ≈ -3.4, g_b ≈ -1.7
    r2 = 2.0 * w1 + b1 - 3.0
    g_w, g_b = r2 * 2.0, r2
    m_w = 0.9 * (0.1 * -4.0) + 0.1 * g_w  # ≈ -0.7
    v_w = 0.999 * (0.001 * 16.0) + 0.001 * g_w**2  # ≈ 0.027544
    m_b = 0.9 * (0.1 * -2.0) + 0.1 * g_b  # ≈ -0.35
    v_b = 0.999 * (0.001 * 4.0) + 0.001 * g_b**2  # ≈ 0.006886
    w2 = w1 - 0.1 * (m_w / (1 - 0.9**2)) / (math.sqrt(v_w / (1 - 0.999**2)) + EPS)
    b2 = b1 - 0.1 * (m_b / (1 - 0.9**2)) / (math.sqrt(v_b / (1 - 0.999**2)) + EPS)
    assert step(trainer) == pytest.approx((w2, b2), rel=1e-13)
    # ≈ 0.6 + 0.1·3.684211/3.712000 and 0.1 + 0.1·1.842105/1.856000
    assert (w2, b2) == pytest.approx((0.699251, 0.199251), abs=1e-6)


def test_every_optimizer_has_a_hand_worked_test():
    # AdaDelta's first step by hand: tests/unit/test_adadelta_and_schedules.py
    assert set(engine.OPTIMIZERS) == {
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adadelta",
    }


def test_optimizer_settings_are_used():
    settings = engine.OptimizerSettings(momentum=0.5)
    trainer = make_trainer(one_neuron(), "momentum", optimizer_settings=settings)
    step(trainer)
    # Step 2: v_w = 0.5·(-4) - 2 = -4 → w = 0.9 + 0.4 = 1.3; v_b = 0.5·(-2) - 1 = -2 → b = 0.4
    assert step(trainer) == pytest.approx((1.3, 0.4), rel=1e-14)


# ---------------------------------------------------------------- regularisation


def test_l2_applies_to_weights_only():
    # w₀ = 0.5, b₀ = 0.5: ŷ = 1.5, r = -1.5, g_w = -3, g_b = -1.5
    trainer = make_trainer(one_neuron(0.5, 0.5), "sgd", l2=0.1)
    # w = 0.5 - 0.1·(-3 + 0.1·0.5) = 0.795; b = 0.5 + 0.1·1.5 = 0.65 (0.645 if decayed)
    assert step(trainer) == pytest.approx((0.795, 0.65), rel=1e-14)


def test_l1_applies_to_weights_only():
    trainer = make_trainer(one_neuron(0.5, 0.5), "sgd", l1=0.1)
    # w = 0.5 - 0.1·(-3 + 0.1·sign(0.5)) = 0.79; b = 0.65 (0.64 if it were regularised)
    assert step(trainer) == pytest.approx((0.79, 0.65), rel=1e-14)


def test_l1_stops_a_weight_that_would_cross_zero():
    # x = 2, y = 0, w₀ = 0.05, b₀ = 0: ŷ = 0.1, g_w = 0.2; with l1 = 1: step 0.1·1.2 = 0.12
    # would give 0.05 - 0.12 = -0.07: the weight is clamped to exactly 0 instead.
    target = np.array([[0.0]])
    model = one_neuron(0.05, 0.0)
    trainer = make_trainer(model, "sgd", l1=1.0)
    trainer.train(X, target, 1)
    assert model.weights[0][0, 0] == 0.0
    # The bias is not regularised: b = 0 - 0.1·0.1 = -0.01 (it crosses nothing: it was 0).
    assert model.biases[0][0] == pytest.approx(-0.01, rel=1e-14)


def test_l2_does_not_clamp_at_zero():
    # Same start with l2 = 10: g_w = 0.2 + 10·0.05 = 0.7 → w = 0.05 - 0.07 = -0.02 (no clamp).
    target = np.array([[0.0]])
    model = one_neuron(0.05, 0.0)
    make_trainer(model, "sgd", l2=10.0).train(X, target, 1)
    assert model.weights[0][0, 0] == pytest.approx(-0.02, rel=1e-12)


def test_l1_does_not_clamp_when_the_data_step_crosses_zero():
    # TF Playground clamps only when the penalty step crosses zero. Adam's first step is
    # ≈ η·sign(g) = 0.1, taking w from 0.05 to -0.05 (the data step crosses); the penalty
    # step η·l1·sign(w₀) = 0.1·0.5·(+1) then gives -0.1: no clamp.
    target = np.array([[0.0]])
    model = one_neuron(0.05, 0.0)
    make_trainer(model, "adam", l1=0.5).train(X, target, 1)
    assert model.weights[0][0, 0] == pytest.approx(-0.1, rel=1e-6)


def test_l1_clamps_with_adaptive_optimizers_when_the_penalty_crosses():
    # Adam's step ≈ 0.1·sign(-4) moves w from 0.05 to 0.15; the penalty 0.1·2·(+1) = 0.2
    # would give -0.05: clamped to 0.
    model = one_neuron(0.05, 0.0)
    make_trainer(model, "adam", l1=2.0).train(X, Y, 1)
    assert model.weights[0][0, 0] == 0.0


def test_l1_keeps_a_clamped_weight_at_zero_until_l1_is_off():
    # x = 2, y = 0, w₀ = 0.05, b₀ = 0: clamped in the first step (see above), then the
    # data gradient (r = b ≠ 0, g_w = 2r) would move it, but a clamped weight stays 0 (TF
    # Playground's dead link) while L1 is on.
    target = np.array([[0.0]])
    model = one_neuron(0.05, 0.0)
    trainer = make_trainer(model, "sgd", l1=1.0)
    trainer.train(X, target, 1)
    assert model.weights[0][0, 0] == 0.0
    trainer.train(X, target, 5)
    assert model.weights[0][0, 0] == 0.0 and model.biases[0][0] != 0.0
    trainer.config = trainer.config.replace(l1=0.0)
    trainer.train(X, target, 1)
    assert model.weights[0][0, 0] != 0.0


# ---------------------------------------------------------------- weight decay (decoupled)


def test_weight_decay_equals_l2_with_sgd():
    decayed = make_trainer(one_neuron(), "sgd", weight_decay=0.1)
    coupled = make_trainer(one_neuron(), "sgd", l2=0.1)
    for _ in range(3):
        assert step(decayed) == pytest.approx(step(coupled), rel=1e-14)


def test_weight_decay_with_adam_is_decoupled_from_the_adaptive_scaling():
    # AdamW: w ← w − η·λ·w − η·m̂/(√v̂ + ε). Step 1: m̂ = g, v̂ = g², so the Adam part is
    # η·sign(g)·(1 − ~ε): w = 0.5 − 0.1·0.1·0.5 + 0.1 = 0.595 (b: 0 + 0.1, not decayed).
    trainer = make_trainer(one_neuron(), "adam", weight_decay=0.1)
    assert step(trainer) == pytest.approx((0.595, 0.1), rel=1e-6)
    # Coupled L2 passes λw through Adam's scaling instead: g_w = -4 + 0.05, step ≈ η:
    # w = 0.6, the decay lost in the normalisation.
    coupled = make_trainer(one_neuron(), "adam", l2=0.1)
    assert step(coupled) == pytest.approx((0.6, 0.1), rel=1e-6)


# ---------------------------------------------------------------- clipping


def test_clip_norm_scales_the_gradient_to_the_limit():
    trainer = make_trainer(one_neuron(), "sgd", clip_norm=1.0)
    # ‖(g_w, g_b)‖ = ‖(-4, -2)‖ = √20 > 1 → g ← g/√20
    expected = (0.5 + 0.1 * 4.0 / math.sqrt(20.0), 0.0 + 0.1 * 2.0 / math.sqrt(20.0))
    assert step(trainer) == pytest.approx(expected, rel=1e-14)


def test_clip_norm_leaves_small_gradients_alone():
    trainer = make_trainer(one_neuron(), "sgd", clip_norm=100.0)
    assert step(trainer) == pytest.approx((0.9, 0.2), rel=1e-14)


# ---------------------------------------------------------------- changing settings mid-run


def test_changing_learning_rate_keeps_weights_and_moments():
    model = one_neuron()
    trainer = make_trainer(model, "momentum")
    assert step(trainer) == pytest.approx((0.9, 0.2), rel=1e-14)
    trainer.config = trainer.config.replace(learning_rate=0.05)
    # Velocity survives: v_w = 0.9·(-4) - 2 = -5.6 → w = 0.9 + 0.05·5.6 = 1.18;
    # v_b = -2.8 → b = 0.2 + 0.05·2.8 = 0.34 (0.9 + 0.05·2 = 1.0 if it had been reset)
    assert step(trainer) == pytest.approx((1.18, 0.34), rel=1e-14)
    assert trainer.model is model


def test_changing_optimizer_resets_moments():
    trainer = make_trainer(one_neuron(), "momentum")
    step(trainer)
    assert np.any(trainer.first_moment != 0.0)
    trainer.config = trainer.config.replace(optimizer="nesterov")
    assert not np.any(trainer.first_moment) and not np.any(trainer.second_moment)
    # Weights kept (0.9, 0.2); fresh velocity: g_w = -2 → v_w = -2,
    #   w = 0.9 - 0.1·(-2 + 0.9·(-2)) = 1.28; v_b = -1 → b = 0.2 + 0.1·1.9 = 0.39
    assert step(trainer) == pytest.approx((1.28, 0.39), rel=1e-14)


def test_setting_the_same_optimizer_keeps_moments():
    trainer = make_trainer(one_neuron(), "momentum")
    step(trainer)
    trainer.config = trainer.config.replace(optimizer="momentum")
    assert step(trainer) == pytest.approx((1.46, 0.48), rel=1e-14)


def test_changing_optimizer_restarts_adam_bias_correction():
    trainer = make_trainer(one_neuron(), "adam")
    step(trainer)
    trainer.config = trainer.config.replace(optimizer="sgd")
    trainer.config = trainer.config.replace(optimizer="adam")
    w1, b1 = float(trainer.model.weights[0][0, 0]), float(trainer.model.biases[0][0])
    # A first Adam step again (t = 1): w ← w - η·g/(|g| + ε) with g = 2·(2·w1 + b1 - 3)
    g_w = 2.0 * (2.0 * w1 + b1 - 3.0)
    g_b = 2.0 * w1 + b1 - 3.0
    expected = (w1 - 0.1 * g_w / (abs(g_w) + EPS), b1 - 0.1 * g_b / (abs(g_b) + EPS))
    assert step(trainer) == pytest.approx(expected, rel=1e-13)
