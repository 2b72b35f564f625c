"""The lesson "Batch normalisation" (issue 16): its claim on every seed pair, and its
activation figures show what the claim says (a flat last layer without, spread boxes with)."""

from __future__ import annotations

import numpy as np

from teach.lesson_figures import FIGURES
from teach.lessons import LESSON_LIST, LESSONS, SEED_PAIRS
from teach.lessons_batchnorm import COLLAPSED_SPREAD, KEPT_SPREAD

LESSON = LESSONS["batchnorm"]


def test_the_claim_holds_on_every_seed_pair_and_each_clause_can_fail():
    assert LESSON in LESSON_LIST and LESSON.number == LESSON_LIST.index(LESSON) + 1
    for seeds in SEED_PAIRS:
        numbers = LESSON.check(seeds)
        assert LESSON.failed_clauses(numbers) == [], seeds
    # The variants differ only in the switch, and the links carry it.
    plain, normalised = (variant.settings for variant in LESSON.variants)
    assert not plain.batchnorm and normalised.batchnorm
    assert "batchnorm=true" in LESSON.variants[1].playground_link()
    stalled = {**numbers, "test_accuracy_plain": 0.9, "last_spread_plain": 10 * COLLAPSED_SPREAD}
    assert len(LESSON.failed_clauses(stalled)) == 2
    weak = {**numbers, "test_accuracy_batchnorm": 0.6, "smallest_spread_batchnorm": KEPT_SPREAD / 2}
    assert len(LESSON.failed_clauses(weak)) == 2


def test_the_activation_figures_show_a_flat_last_layer_without_and_spread_with():
    run = LESSON.run()
    widths = {}
    for key in ("without", "with"):
        figure = FIGURES[f"batchnorm_activations_{key}"](run)
        last = [box for box in figure.data if box.name.startswith("hidden 6 ")]
        assert len(last) == 6  # a box per unit of the last hidden layer
        widths[key] = max(box.upperfence[0] - box.lowerfence[0] for box in last)
        assert all(figure.layout[name].range == (-0.05, 1.05) for name in ("yaxis", "yaxis6"))
        assert figure.layout.title.text.startswith(("Without", "With"))
    assert widths["without"] < 1e-3 < 0.3 < widths["with"]
    assert np.isfinite(list(widths.values())).all()
