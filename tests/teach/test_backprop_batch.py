"""Back-prop on a mini-batch in matrix form (issue 16): the numbers agree with the engine, the
batch gradient is the mean of the single-example gradients, and every matrix the page shows
follows by hand arithmetic from the matrices shown before it."""

from __future__ import annotations

import re

import numpy as np
import pytest

import engine
from teach.backprop import DIGITS, SmallNetwork, trace
from teach.backprop_batch import (
    BATCH_PHASES,
    batch_phase_lines,
    batch_trace,
    check_batch,
    default_batch,
    engine_batch_difference,
    hand_batch_difference,
    hand_batch_trace,
    softmax_rows,
)

ROUNDING = 0.5 * 10**-DIGITS + 1e-12  # a shown number is the exact value of its inputs, rounded
NETWORKS = [
    (hidden, outputs, activation, output, seed)
    for seed, (hidden, outputs, activation, output) in enumerate(
        [
            (3, 1, "tanh", "tanh"),
            (2, 2, "relu", "sigmoid"),
            (4, 1, "sigmoid", "linear"),
            (3, 3, "leaky_relu", "softmax"),
            (2, 2, "tanh", "softmax"),
            (4, 3, "elu", "tanh"),
        ]
    )
]


def network_and_batch(hidden, outputs, activation, output, seed, rows=4):
    network = SmallNetwork.random(hidden, outputs, activation, output, seed=seed)
    inputs, targets = default_batch(network, rows)
    return network, inputs, targets


@pytest.mark.parametrize("case", NETWORKS, ids=lambda case: f"{case[2]}-{case[3]}")
def test_batch_numbers_are_the_engines(case):
    network, inputs, targets = network_and_batch(*case)
    result = batch_trace(network, inputs, targets, 0.5)
    assert engine_batch_difference(result) < 1e-12
    # The batch gradient is the mean of the one-example gradients (teach.backprop.trace).
    singles = [trace(network, x, y, 0.5) for x, y in zip(inputs, targets)]
    for name in ("grad_hidden_weights", "grad_output_weights", "grad_output_biases"):
        mean = np.mean([getattr(single, name) for single in singles], axis=0)
        np.testing.assert_allclose(getattr(result, name), mean, atol=1e-14)
    assert result.loss == pytest.approx(np.mean([s.loss for s in singles]), abs=1e-14)
    # The shown (rounded, by hand) numbers stay close to the exact ones.
    assert hand_batch_difference(result, hand_batch_trace(result)) < 0.02


def matrices(lines: list[str]) -> list[np.ndarray]:
    """Every bmatrix in the lines, in order, as the numbers written there."""
    found = []
    for body in re.findall(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", "\n".join(lines)):
        rows = [row.split("&") for row in body.split(r"\\")]
        found.append(np.array([[float(entry) for entry in row] for row in rows]))
    return found


def activation(name: str, z: np.ndarray) -> np.ndarray:
    return engine.activation_values(name, z.ravel())[0].reshape(z.shape)


def assert_by_hand(shown: np.ndarray, exact_from_shown: np.ndarray) -> None:
    np.testing.assert_array_less(np.abs(shown - np.atleast_2d(exact_from_shown)), ROUNDING)


@pytest.mark.parametrize("case", NETWORKS, ids=lambda case: f"{case[2]}-{case[3]}")
def test_every_shown_matrix_follows_from_the_shown_ones(case):
    network, inputs, targets = network_and_batch(*case, rows=3 + case[-1] % 3)
    result = batch_trace(network, inputs, targets, 0.3)
    phases = [matrices(batch_phase_lines(result, phase)) for phase in range(len(BATCH_PHASES))]
    X, Y, W1, b1, W2, b2 = phases[0]
    X_, W1_, b1_, Z1, A1 = phases[1]
    A1_, W2_, b2_, Z2, Yhat = phases[2]
    for operand, shown in ((X_, X), (W1_, W1), (b1_, b1), (A1_, A1), (W2_, W2), (b2_, b2)):
        np.testing.assert_array_equal(operand, shown)  # the same numbers as shown before
    n = X.shape[0]
    assert_by_hand(Z1, X @ W1 + b1)
    assert_by_hand(A1, activation(network.hidden_activation, Z1))
    assert_by_hand(Z2, A1 @ W2 + b2)
    if network.output_activation == "softmax":
        assert_by_hand(Yhat, softmax_rows(Z2))
        Yhat_, Y_, D2 = phases[4]
        assert_by_hand(D2, Yhat - Y)
    else:
        assert_by_hand(Yhat, activation(network.output_activation, Z2))
        Yhat_, Y_, slope, D2 = phases[4]
        assert_by_hand(D2, (Yhat - Y) * slope)
    np.testing.assert_array_equal(Yhat_, Yhat)
    np.testing.assert_array_equal(Y_, Y)
    D2_, W2T, error, error_, hidden_slope, D1 = phases[5]
    np.testing.assert_array_equal(W2T, W2.T)
    assert_by_hand(error, D2 @ W2.T)
    assert_by_hand(D1, error * hidden_slope)
    A1T, D2__, dW2, db2, XT, D1_, dW1, db1 = phases[6]
    np.testing.assert_array_equal(A1T, A1.T)
    np.testing.assert_array_equal(XT, X.T)
    assert_by_hand(dW2, A1.T @ D2 / n)  # ∂L/∂W = Aᵀ Δ / n, from the shown Aᵀ and Δ
    assert_by_hand(db2, D2.sum(axis=0) / n)
    assert_by_hand(dW1, X.T @ D1 / n)
    assert_by_hand(db1, D1.sum(axis=0) / n)
    for same, shown in ((D2_, D2), (error_, error), (D2__, D2), (D1_, D1)):
        np.testing.assert_array_equal(same, shown)
    W1__, dW1_, W1_new, W2__, dW2_, W2_new = phases[7]
    assert_by_hand(W1_new, W1 - 0.3 * dW1)
    assert_by_hand(W2_new, W2 - 0.3 * dW2)
    for same, shown in ((W1__, W1), (dW1_, dW1), (W2__, W2), (dW2_, dW2)):
        np.testing.assert_array_equal(same, shown)


def test_worked_entries_add_up():
    # The one-entry examples written out ("$… = expression = 0.123$") evaluate to the number
    # written after them, up to its rounding.
    network, inputs, targets = network_and_batch(3, 1, "tanh", "tanh", 0)
    result = batch_trace(network, inputs, targets, 0.5)
    checked = 0
    for phase in range(len(BATCH_PHASES)):
        for line in batch_phase_lines(result, phase):
            for part in re.findall(r"(?<!\$)\$([^$]+)\$(?!\$)", line):
                pieces = part.split(" = ")
                written = pieces[-1].strip()
                if not re.fullmatch(r"-?\d+\.\d+", written):
                    continue
                for piece in pieces[:-1]:
                    expression = piece.split(":")[-1].replace(r"\cdot", "*")
                    expression = expression.replace("[", "(").replace("]", ")")
                    if not re.fullmatch(r"[\d.+\-*/() ]+", expression):
                        continue
                    assert abs(eval(expression) - float(written)) <= ROUNDING, part
                    checked += 1
    assert checked >= 8


def test_row_vectors_are_said():
    network, inputs, targets = network_and_batch(3, 1, "tanh", "tanh", 0)
    text = " ".join(batch_phase_lines(batch_trace(network, inputs, targets, 0.5), 0))
    assert "vectors are rows" in text and "Z = XW" in text and "Z = WX + b" in text


@pytest.mark.parametrize(
    ("inputs", "targets", "words"),
    [
        ([[1.0, 2.0]], [[1.0]], "rows of two inputs"),
        ([[1.0, 2.0], [7.0, 0.0]], [[1.0], [1.0]], "between"),
        ([[1.0, 2.0], [0.0, float("nan")]], [[1.0], [1.0]], "between"),
        ([[1.0, 2.0], [0.0, 0.0]], [[1.0], [float("nan")]], "target number"),
    ],
)
def test_unusable_batches_get_a_sentence(inputs, targets, words):
    network = SmallNetwork.random(2, 1)
    with pytest.raises(ValueError, match=words):
        check_batch(network, inputs, targets)
    softmax = SmallNetwork.random(2, 2, output_activation="softmax")
    with pytest.raises(ValueError, match="one class"):
        check_batch(softmax, [[0.0, 0.0], [1.0, 1.0]], [[1.0, 1.0], [0.0, 1.0]])
