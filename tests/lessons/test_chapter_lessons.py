"""The regression and weights-over-time lessons' own arithmetic (their claims on every seed
pair are checked with the other lessons' in test_lesson_claims.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.insight import parameter_percentiles
from playground.run import build_run, train_chunk
from teach.lessons import LESSON_LIST, LESSONS
from teach.lessons_regression import least_squares, mean_negative_log_likelihood
from teach.lessons_weights import weight_probe

ROOT = Path(__file__).resolve().parents[2]


def test_least_squares_recovers_an_exact_plane_and_minimises_a_noisy_one():
    rng = np.random.default_rng(0)
    inputs = rng.uniform(-6, 6, (50, 2))
    exact = inputs @ np.array([0.3, -0.2]) + 0.5
    np.testing.assert_allclose(least_squares(inputs, exact), [0.3, -0.2, 0.5], atol=1e-12)
    noisy = exact + rng.normal(0, 0.1, 50)
    solution = least_squares(inputs, noisy)
    design = np.hstack([inputs, np.ones((50, 1))])
    # The normal equations hold at the minimum: the residual is orthogonal to every column.
    np.testing.assert_allclose(design.T @ (design @ solution - noisy), 0, atol=1e-9)


def test_negative_log_likelihood_by_hand():
    inputs = np.array([[1.0, 0.0], [0.0, 1.0]])
    labels = np.array([0, 2])
    # All-zero weights: every class has probability 1/3, so the NLL is log 3.
    zeros = np.zeros((2, 3))
    assert mean_negative_log_likelihood(inputs, labels, zeros, np.zeros(3)) == pytest.approx(
        np.log(3), rel=1e-15
    )
    # Logits (2, 0, 0) and (0, 0, 1): p(0 | x₁) = e²/(e² + 2), p(2 | x₂) = e/(e + 2).
    weights = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    expected = -(np.log(np.e**2 / (np.e**2 + 2)) + np.log(np.e / (np.e + 2))) / 2
    value = mean_negative_log_likelihood(inputs, labels, weights, np.zeros(3))
    assert value == pytest.approx(expected, rel=1e-14)


# Issue 16's chapters, after the clipping lesson (teach.lessons._CHAPTERS).
CHAPTER_ORDER = ["clipping", "batchnorm", "weights", "schedules", "regression"]


def test_the_chapters_follow_the_other_lessons_in_the_list():
    slugs = [lesson.slug for lesson in LESSON_LIST]
    assert slugs[slugs.index("clipping") :] == CHAPTER_ORDER
    assert [LESSONS[slug].number for slug in CHAPTER_ORDER] == list(
        range(LESSONS["clipping"].number, LESSONS["clipping"].number + len(CHAPTER_ORDER))
    )
    by_key = {v.key: v.settings for v in LESSONS["regression"].variants}
    assert all(settings.hidden == () for settings in by_key.values())
    assert by_key["full"].batch == 0 and by_key["softmax"].loss == "cross_entropy"
    weights = {v.key: v.settings for v in LESSONS["weights"].variants}
    assert (weights["l1"].reg, weights["l2"].reg, weights["plain"].reg) == ("l1", "l2", "none")


def test_a_chapter_module_imported_first_still_gets_its_lesson_listed():
    # teach.lessons imports the chapter modules; they import its classes only when building
    # their lesson, so importing one of them first works (no circular-import error).
    code = (
        "import teach.lessons_regression, teach.lessons_schedules, teach.lessons_weights\n"
        "import teach.lessons_batchnorm\n"
        "from teach.lessons import LESSONS\n"
        "print(LESSONS['regression'].number - LESSONS['weights'].number)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "2", result.stderr


def test_weight_probe_bands_are_the_insight_views_percentiles():
    # The probe computes every recorded epoch's percentiles at once; its newest row must be
    # what playground.insight (the Distributions view) computes from the model itself.
    lesson = LESSONS["weights"]
    settings = next(v.settings for v in lesson.variants if v.key == "l1")
    run = build_run(settings)
    train_chunk(run, 20)
    extras = weight_probe(run)
    weights, biases = parameter_percentiles(list(run.model.weights), list(run.model.biases))
    np.testing.assert_array_equal(extras["weight_percentiles"][:, -1], weights)
    np.testing.assert_array_equal(extras["bias_percentiles"][:, -1], biases)
    assert extras["snapshot_epochs"].tolist() == list(range(21))
    final = np.concatenate([w.ravel() for w in run.model.weights])
    assert extras["zero_weights"][-1] == np.sum(final == 0.0) > 0  # L1 has zeroed some already
