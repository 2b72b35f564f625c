"""The Softmax page's numbers equal the engine's (a linear softmax model whose output layer's z
is exactly the chosen logits) and the closed forms; the "MSE is too strict" demonstration
holds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teach import softmax
from teach.softmax import LOGIT_LIMIT

logit_vectors = st.integers(2, 5).flatmap(
    lambda k: st.lists(
        st.floats(-LOGIT_LIMIT, LOGIT_LIMIT, allow_nan=False), min_size=k, max_size=k
    )
)


@settings(max_examples=60, deadline=None)
@given(logits=logit_vectors, data=st.data())
def test_losses_and_gradients_equal_the_engine(logits, data):
    true_class = data.draw(st.integers(0, len(logits) - 1))
    logits = np.array(logits)
    p = softmax.softmax(logits)
    ce, ce_gradient = softmax.engine_loss_and_gradient(logits, true_class, "cross_entropy")
    squared, squared_gradient = softmax.engine_loss_and_gradient(logits, true_class, "mse")
    assert softmax.cross_entropy(p, true_class) == pytest.approx(ce, rel=1e-9, abs=1e-12)
    assert softmax.mse(p, true_class) == pytest.approx(squared, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(
        softmax.cross_entropy_gradient(logits, true_class), ce_gradient, rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(
        softmax.mse_gradient(logits, true_class), squared_gradient, rtol=1e-9, atol=1e-12
    )


def test_softmax_closed_form_sums_to_one_and_keeps_the_argmax():
    logits = np.array([2.0, 1.0, 0.1])
    p = softmax.softmax(logits)
    np.testing.assert_allclose(p, np.exp(logits) / np.exp(logits).sum())
    assert p.sum() == pytest.approx(1.0)
    assert np.argmax(p) == np.argmax(logits)
    assert softmax.cross_entropy(p, 0) == pytest.approx(-np.log(p[0]))
    assert softmax.mse(p, 0) == pytest.approx(0.5 * ((p[0] - 1) ** 2 + p[1] ** 2 + p[2] ** 2))


def test_mse_is_too_strict_same_prediction_different_mse_same_cross_entropy():
    predictions = softmax.same_true_probability([2.0, 1.0, 0.1], true_class=0)
    assert len({p.predicted_class for p in predictions}) == 1  # same prediction
    entropies = [p.cross_entropy for p in predictions]
    assert max(entropies) - min(entropies) < 1e-12  # CE only sees p(true class)
    errors = [p.mse for p in predictions]
    assert max(errors) - min(errors) > 0.02  # MSE also sees the wrong classes
    # Spreading the rest evenly is what MSE likes best; piling it on one class, least.
    assert errors[1] == min(errors) and errors[2] == max(errors)
    for p in predictions:
        assert p.probabilities.sum() == pytest.approx(1.0)


def test_two_classes_leave_nothing_to_share():
    predictions = softmax.same_true_probability([0.5, -1.0], true_class=1)
    errors = [p.mse for p in predictions]
    assert max(errors) - min(errors) < 1e-12


def test_confidently_wrong_mse_barely_pushes_the_true_logit():
    logits = np.array([-4.0, 5.0, 0.0])  # class 2 dominates, class 1 is true
    ce_push = -softmax.cross_entropy_gradient(logits, 0)[0]
    mse_push = -softmax.mse_gradient(logits, 0)[0]
    assert ce_push > 0.99
    assert 0 < mse_push < 0.001


@pytest.mark.parametrize(
    ("logits", "true_class", "message"),
    [
        ([1.0], 0, "one logit per class"),
        ([1.0, float("nan")], 0, "between"),
        ([1.0, 99.0], 0, "between"),
        ([1.0, 2.0], 2, "true class"),
    ],
)
def test_bad_input_gets_plain_sentences(logits, true_class, message):
    with pytest.raises(ValueError, match=message):
        softmax.check_logits(logits, true_class)
