"""Softmax, cross-entropy and MSE on one vector of logits, and why MSE is "too strict".

Closed forms in numpy; ``engine_loss_and_gradient`` gets the same numbers from the engine
(a linear softmax model whose output is exactly the logits), and the tests compare them.

.. math::
    p_i = \\frac{e^{o_i}}{\\sum_j e^{o_j}},\\quad
    \\mathrm{CE} = -\\log p_c,\\quad
    \\mathrm{MSE} = \\tfrac12 \\sum_i (p_i - y_i)^2

    \\frac{\\partial\\,\\mathrm{CE}}{\\partial o_i} = p_i - y_i,\\quad
    \\frac{\\partial\\,\\mathrm{MSE}}{\\partial o_i} = p_i\\,\\Bigl(u_i - \\sum_j p_j u_j\\Bigr),
    \\ u = p - y
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import engine

CLASS_COUNTS = (2, 3, 4, 5)
LOGIT_LIMIT = 8.0


def check_logits(logits, true_class: int) -> np.ndarray:
    """Logits as a (k,) float array, or a ``ValueError`` with a plain sentence."""
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 1 or logits.size not in CLASS_COUNTS:
        raise ValueError(f"Give one logit per class, {CLASS_COUNTS[0]}–{CLASS_COUNTS[-1]} classes.")
    if not np.all(np.isfinite(logits)) or np.any(np.abs(logits) > LOGIT_LIMIT):
        raise ValueError(f"Logits must be numbers between −{LOGIT_LIMIT:g} and {LOGIT_LIMIT:g}.")
    if not 0 <= int(true_class) < logits.size:
        raise ValueError(f"The true class must be one of 1–{logits.size}.")
    return logits


def one_hot(true_class: int, k: int) -> np.ndarray:
    target = np.zeros(k)
    target[true_class] = 1.0
    return target


def softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities from logits (shifted by the largest logit: no overflow)."""
    shifted = np.exp(logits - np.max(logits))
    return shifted / shifted.sum()


def cross_entropy(probabilities: np.ndarray, true_class: int) -> float:
    """−log p(true class): only the true class's probability matters."""
    return float(-np.log(probabilities[true_class]))


def mse(probabilities: np.ndarray, true_class: int) -> float:
    """½ Σ (p_i − y_i)²: every class's probability matters."""
    target = one_hot(true_class, probabilities.size)
    return float(0.5 * np.sum((probabilities - target) ** 2))


def cross_entropy_gradient(logits: np.ndarray, true_class: int) -> np.ndarray:
    """dCE/d logits = p − y."""
    return softmax(logits) - one_hot(true_class, logits.size)


def mse_gradient(logits: np.ndarray, true_class: int) -> np.ndarray:
    """dMSE/d logits through the softmax Jacobian: p_i (u_i − Σ_j p_j u_j), u = p − y."""
    p = softmax(logits)
    u = p - one_hot(true_class, logits.size)
    return p * (u - np.dot(p, u))


@dataclass(frozen=True, eq=False)
class Prediction:
    """A probability vector and what each loss makes of it."""

    label: str
    probabilities: np.ndarray
    predicted_class: int
    cross_entropy: float
    mse: float


def prediction(label: str, probabilities: np.ndarray, true_class: int) -> Prediction:
    return Prediction(
        label,
        probabilities,
        int(np.argmax(probabilities)),
        cross_entropy(probabilities, true_class),
        mse(probabilities, true_class),
    )


def same_true_probability(logits, true_class: int) -> list[Prediction]:
    """Three predictions that give the true class the same probability.

    Yours; the rest spread evenly over the wrong classes; the rest all on the strongest
    wrong class.  Cross-entropy is the same for all three, MSE is not.
    """
    logits = check_logits(logits, true_class)
    p = softmax(logits)
    k = p.size
    rest = 1.0 - p[true_class]
    wrong = [i for i in range(k) if i != true_class]
    even = np.full(k, rest / (k - 1))
    even[true_class] = p[true_class]
    strongest = max(wrong, key=lambda i: p[i])
    piled = np.zeros(k)
    piled[true_class] = p[true_class]
    piled[strongest] = rest
    return [
        prediction("Your prediction", p, true_class),
        prediction("Rest spread evenly", even, true_class),
        prediction("Rest on one wrong class", piled, true_class),
    ]


def engine_loss_and_gradient(logits, true_class: int, loss: str) -> tuple[float, np.ndarray]:
    """The engine's loss and d loss / d logits, from a model whose output layer's z = logits.

    The model is one dense layer with identity weights and zero biases fed the logits, so
    the gradient of its biases is exactly d loss / d logits.
    """
    logits = check_logits(logits, true_class)
    k = logits.size
    model = engine.Model.create([k, k], output="softmax")
    model.weights = [np.eye(k)]
    model.biases = [np.zeros(k)]
    value, _, grad_biases = engine.loss_and_gradients(
        model, logits[None, :], one_hot(true_class, k)[None, :], loss
    )
    return value, grad_biases[0]
