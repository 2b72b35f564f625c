"""Lesson: linear regression and softmax regression, a network without hidden layers.

Linear regression: a linear output unit with the mean squared error has a closed-form
minimiser, the least-squares solution of ``[X 1] θ = y`` (``numpy.linalg.lstsq`` on the same
features, a column of ones for the bias). Full-batch gradient descent on the same loss walks
to it; mini-batches of 10 get near but keep jittering around it (each step follows a
different 10 points at a fixed learning rate).

Softmax regression: a softmax output with cross-entropy. Cross-entropy with one-hot targets is
the mean negative log-likelihood of the labels under the model's class probabilities, so
minimising it is maximum likelihood; the probe recomputes that likelihood with numpy from the
weights at every recorded epoch (``engine.snapshots``) and the lesson requires it to equal the
engine's reported loss.

The lesson is built by ``lesson(number)`` (``teach.lessons`` lists it); the classes come from
``teach.lessons`` inside that function, so this module can be imported first or second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from playground.run import TrainingRun

if TYPE_CHECKING:
    from .lessons import Lesson, LessonRun

EPOCHS = 300
# The largest distance between the gradient-descent and the least-squares parameters, and
# between the engine's cross-entropy and the likelihood recomputed with numpy, that the claim
# allows. Measured on the five seed pairs: at most 1.5e-5 after 300 full-batch epochs, and
# at most 1e-16 (rounding).
WEIGHT_TOLERANCE = 1e-4
LIKELIHOOD_TOLERANCE = 1e-12


def least_squares(inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(n_features + 1,) the weights and, last, the bias minimising Σ (xw + b − y)²:

    .. math:: \\theta^* = \\arg\\min_\\theta \\lVert [X\\ 1]\\,\\theta - y \\rVert^2

    Args:
        inputs: (n, n_features); targets: (n,).
    """
    design = np.hstack([inputs, np.ones((inputs.shape[0], 1))])
    solution, *_ = np.linalg.lstsq(design, targets, rcond=None)
    return solution


def mean_negative_log_likelihood(
    inputs: np.ndarray, labels: np.ndarray, weights: np.ndarray, biases: np.ndarray
) -> float:
    """−(1/n) Σᵢ log pᵢ(yᵢ) with p = softmax(xW + b), computed with numpy alone.

    .. math:: -\\frac1n \\sum_i \\log \\frac{e^{z_{i y_i}}}{\\sum_k e^{z_{ik}}},\\quad z = XW + b

    Args:
        inputs: (n, n_features); labels: (n,) class ids; weights: (n_features, k);
        biases: (k,).
    """
    logits = inputs @ weights + biases
    shifted = logits - logits.max(axis=1, keepdims=True)  # exp cannot overflow
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probabilities[np.arange(labels.size), labels].mean())


def snapshot_parameters(training_run: TrainingRun) -> list[tuple[int, list, list]]:
    """(epoch, weights, biases) of every snapshot the run recorded, oldest first."""
    model = training_run.model.copy()
    moments = []
    for epoch in training_run.snapshots.epochs:
        model.params[:] = training_run.snapshots.get(epoch).params
        moments.append((epoch, [w.copy() for w in model.weights], [b.copy() for b in model.biases]))
    return moments


def _history_at(training_run: TrainingRun, epochs: np.ndarray, column: str) -> np.ndarray:
    """The trainer's history column at ``epochs`` (NaN where it has no row)."""
    history = training_run.trainer.history
    rows = {int(epoch): value for epoch, value in zip(history.epochs, history.column(column))}
    return np.array([rows.get(int(epoch), np.nan) for epoch in epochs])


def regression_probe(training_run: TrainingRun) -> dict[str, np.ndarray]:
    """What the lesson compares, for a linear or a softmax output without hidden layers.

    Linear: ``least_squares`` (3,), ``parameters`` (3,) now, and per recorded epoch
    (``snapshot_epochs``) the largest distance from the least-squares parameters
    (``distance``); ``least_squares_loss``: ½·mean squared residual of the solution (the
    engine's MSE is ½(a − y)² per point). Softmax: per recorded epoch the engine's training
    loss (``engine_loss``) and the mean negative log-likelihood from numpy (``likelihood_loss``).
    """
    model, inputs = training_run.model, training_run.train_inputs
    moments = [m for m in snapshot_parameters(training_run) if m[0] > 0]  # epoch 0: no loss row
    epochs = np.array([epoch for epoch, _, _ in moments], dtype=np.int64)
    if model.architecture.output == "softmax":
        labels = np.asarray(training_run.train.y).astype(np.int64)
        return {
            "snapshot_epochs": epochs,
            "engine_loss": _history_at(training_run, epochs, "train_loss"),
            "likelihood_loss": np.array(
                [mean_negative_log_likelihood(inputs, labels, w[0], b[0]) for _, w, b in moments]
            ),
        }
    targets = training_run.train_targets[:, 0]
    solution = least_squares(inputs, targets)
    residuals = np.hstack([inputs, np.ones((inputs.shape[0], 1))]) @ solution - targets
    return {
        "least_squares": solution,
        "least_squares_loss": np.array(0.5 * np.mean(residuals**2)),
        "parameters": np.concatenate([model.weights[0][:, 0], model.biases[0]]),
        "snapshot_epochs": epochs,
        "distance": np.array(
            [np.abs(np.concatenate([w[0][:, 0], b[0]]) - solution).max() for _, w, b in moments]
        ),
    }


def measure(run: LessonRun) -> dict[str, float]:
    numbers = {}
    for key in ("full", "minibatch"):
        extras = run[key].extras
        gap = extras["parameters"] - extras["least_squares"]
        numbers[f"distance_{key}"] = float(np.abs(gap).max())
        numbers[f"loss_{key}"] = run[key].last("train_loss")
    numbers["least_squares_loss"] = float(run["full"].extras["least_squares_loss"])
    softmax = run["softmax"]
    gaps = np.abs(softmax.extras["engine_loss"] - softmax.extras["likelihood_loss"])
    numbers["likelihood_gap"] = float(gaps.max()) if gaps.size else float("nan")
    numbers["likelihood_epochs"] = float(gaps.size)
    # exp(−mean NLL): the geometric mean of the probabilities the model gives the true labels.
    numbers["label_probability_before"] = float(np.exp(-softmax.initial_loss))
    numbers["label_probability_after"] = float(np.exp(-softmax.last("train_loss")))
    numbers["test_accuracy_softmax"] = softmax.last("test_accuracy")
    return numbers


def lesson(number: int) -> Lesson:
    """The lesson, numbered ``number`` in the lessons list."""
    # Imported here, not above: teach.lessons imports this module to list the lesson.
    from .lessons import Clause, Lesson, Readout, _variants

    regression = {"dataset": "plane", "noise": 20, "hidden": (), "output": "linear", "loss": "mse"}
    return Lesson(
        number=number,
        slug="regression",
        title="Linear and softmax regression: no hidden layer",
        story=(
            "Without hidden layers a linear output computes xw + b, and with the mean squared "
            "error that is linear regression, whose best weights have a closed form: the "
            "least-squares solution of [X 1]θ = y. Gradient descent on the whole training set "
            "walks to the same weights; mini-batches get close but keep jittering, each step "
            "following 10 other points. A softmax output is softmax (multinomial logistic) "
            "regression, and its cross-entropy is exactly the mean negative log-likelihood of "
            "the labels, −(1/n) Σ log p(yᵢ | xᵢ), so training it is maximum likelihood."
        ),
        claim=(
            f"On the plane data after {EPOCHS} epochs, full-batch gradient descent's weights and "
            f"bias are within {WEIGHT_TOLERANCE:g} of numpy.linalg.lstsq's solution on the same "
            "features, and its loss equals the least-squares minimum (to 1e-8); with batches of "
            "10 they end more than 10× further from it. On three blobs, the engine's "
            "cross-entropy equals −(1/n) Σ log p(yᵢ) computed with numpy from the weights at "
            f"every recorded epoch (to {LIKELIHOOD_TOLERANCE:g}); training lifts the geometric "
            "mean of p(yᵢ) above 0.85 (from wherever the initial weights put it: 0.05 to 0.66 "
            "on the data sets we tried) and reaches at least 90% test accuracy."
        ),
        look_for=(
            "The regression output is a tilted plane of colour (orange low, blue high); the "
            "softmax regression's regions are bounded by straight lines, one per pair of classes."
        ),
        try_next=(
            "Add X₁² as a feature to the linear regression: least squares still has a closed "
            "form (the features are any numbers), and gradient descent still finds it."
        ),
        variants=_variants(
            EPOCHS,
            {"features": ("x1", "x2")},
            ("full", "Linear regression, full batch", {**regression, "batch": 0}),
            ("minibatch", "Linear regression, batches of 10", {**regression, "batch": 10}),
            (
                "softmax",
                "Softmax regression, 3 blobs",
                {
                    "dataset": "blobs",
                    "classes": 3,
                    "noise": 30,
                    "hidden": (),
                    "output": "softmax",
                    "loss": "cross_entropy",
                },
            ),
        ),
        epochs=EPOCHS,
        measure=measure,
        clauses=(
            Clause(
                f"Full batch: weights and bias within {WEIGHT_TOLERANCE:g} of least squares",
                lambda n: n["distance_full"] < WEIGHT_TOLERANCE,
            ),
            Clause(
                "Full batch: the loss equals the least-squares minimum (to 1e-8)",
                lambda n: abs(n["loss_full"] - n["least_squares_loss"]) < 1e-8,
            ),
            Clause(
                "Batches of 10: more than 10× further from least squares",
                lambda n: n["distance_minibatch"] > 10 * n["distance_full"],
            ),
            Clause(
                f"Softmax: cross-entropy = mean −log p(label) at every recorded epoch "
                f"(to {LIKELIHOOD_TOLERANCE:g})",
                lambda n: (
                    n["likelihood_gap"] < LIKELIHOOD_TOLERANCE and n["likelihood_epochs"] >= 100
                ),
            ),
            Clause(
                "Softmax: the geometric mean of p(label) rises to above 0.85",
                lambda n: n["label_probability_after"] > max(0.85, n["label_probability_before"]),
            ),
            Clause("Softmax: test accuracy ≥ 90%", lambda n: n["test_accuracy_softmax"] >= 0.9),
        ),
        readouts=(
            Readout("distance_full", "Full batch: largest distance from lstsq", "{:.1e}"),
            Readout("distance_minibatch", "Batches of 10: largest distance from lstsq", "{:.1e}"),
            Readout("likelihood_gap", "Cross-entropy − mean −log p(label), largest", "{:.0e}"),
            Readout("label_probability_after", "Geometric mean of p(label), trained", "{:.3f}"),
            Readout("test_accuracy_softmax", "Test accuracy, softmax regression"),
        ),
        figures=("least_squares_path", "likelihood_check", "regression_maps"),
        probe=regression_probe,
    )
