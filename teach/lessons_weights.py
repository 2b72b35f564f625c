"""Lesson: weights over time, TensorBoard-style, and what L2 and L1 do to them.

The probe reads every snapshot the run recorded (``engine.snapshots``: each epoch up to 100,
then log-spaced) and keeps, per recorded epoch, the percentiles of each layer's weights
(``playground.insight.PERCENTILES``, TensorBoard's distribution bands), the root
mean square of all weights and how many weights are exactly zero. The engine's L1 is
TensorFlow Playground's: a weight whose penalty step would cross zero is set to exactly 0 and
stays there, so under L1 the count of zeros can only grow; L2 pulls every weight towards 0 in
proportion to its size but makes none exactly 0.

The lesson is built by ``lesson(number)`` (``teach.lessons`` lists it); the classes come from
``teach.lessons`` inside that function, so this module can be imported first or second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

import engine
from playground.insight import PERCENTILES
from playground.run import TrainingRun

if TYPE_CHECKING:
    from .lessons import Lesson, LessonRun

EPOCHS = 300
L2_RATE = 0.01
L1_RATE = 0.003
ALL_FEATURES = ("x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2")


def _all_weights(weights: list[np.ndarray]) -> np.ndarray:
    return np.concatenate([w.ravel() for w in weights])


def parameter_positions(model: engine.Model) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per layer, where its weights and its biases sit in the flat parameter vector (the
    layers are views of it: filled with 0, 1, 2, … they read out their own positions)."""
    numbered = model.copy()
    numbered.params[:] = np.arange(numbered.params.size)
    return (
        [w.astype(np.int64).ravel() for w in numbered.weights],
        [b.astype(np.int64).ravel() for b in numbered.biases],
    )


def weight_probe(training_run: TrainingRun) -> dict[str, np.ndarray]:
    """Per recorded epoch (``snapshot_epochs``, E): ``weight_percentiles`` (layers, E, Q) and
    ``bias_percentiles``, ``playground.insight.PERCENTILES`` of each layer's weights and biases
    (as ``playground.insight.SnapshotPercentiles.arrays``); ``weight_rms`` (E,) and
    ``zero_weights`` (E,), the count of weights exactly 0; ``zeros_kept``, whether every
    weight once 0 stayed 0; and ``final_weights``, every weight now (for histograms)."""
    model, snapshots = training_run.model, training_run.snapshots
    final = _all_weights(list(model.weights))
    if not snapshots.epochs:  # before training: nothing recorded yet
        return {"final_weights": final}
    # (E, n_parameters): every recorded parameter vector, then each layer's columns at once.
    params = np.stack([snapshots.get(epoch).params for epoch in snapshots.epochs])
    weight_positions, bias_positions = parameter_positions(model)
    weights = params[:, np.concatenate(weight_positions)]

    def percentiles(positions: list[np.ndarray]) -> np.ndarray:
        return np.stack([np.percentile(params[:, p], PERCENTILES, axis=1).T for p in positions])

    zero = weights == 0.0
    return {
        "snapshot_epochs": np.array(snapshots.epochs, dtype=np.int64),
        "weight_percentiles": percentiles(weight_positions),
        "bias_percentiles": percentiles(bias_positions),
        "weight_rms": np.sqrt(np.mean(weights**2, axis=1)),
        "zero_weights": zero.sum(axis=1),
        # A weight 0 at one recorded epoch is 0 at the next (so at every later one).
        "zeros_kept": np.array(bool(np.all(zero[1:] | ~zero[:-1]))),
        "final_weights": final,
    }


def measure(run: LessonRun) -> dict[str, float]:
    numbers = {}
    for key, result in run.results.items():
        extras = result.extras
        weights = extras["final_weights"]
        numbers[f"rms_start_{key}"] = float(np.sqrt(np.mean(extras["before_final_weights"] ** 2)))
        numbers[f"rms_{key}"] = float(np.sqrt(np.mean(weights**2)))
        numbers[f"zero_share_{key}"] = float(np.mean(weights == 0.0))
        zeros = extras["zero_weights"]
        # 1 when the count of exact zeros never falls from one recorded epoch to the next.
        numbers[f"zeros_never_fall_{key}"] = float(np.all(np.diff(zeros) >= 0))
        numbers[f"zeros_kept_{key}"] = float(extras["zeros_kept"])
        numbers[f"test_accuracy_{key}"] = result.last("test_accuracy")
        # How much of the first layer's weight (Σ|w|) leaves from X₁² and X₂².
        first = np.abs(result.weights[0]).sum(axis=1)
        squares = [result.settings.features.index(name) for name in ("x1_sq", "x2_sq")]
        numbers[f"squares_share_{key}"] = float(first[squares].sum() / first.sum())
    return numbers


def lesson(number: int) -> Lesson:
    """The lesson, numbered ``number`` in the lessons list."""
    # Imported here, not above: teach.lessons imports this module to list the lesson.
    from .lessons import Clause, Lesson, Readout, _variants

    return Lesson(
        number=number,
        slug="weights",
        title="Weights over time: L2 shrinks them, L1 zeroes them",
        story=(
            "TensorBoard shows each layer's weights over training as bands: the median, and "
            "around it the ranges holding 38%, 68%, 87% and all of the weights. L2 adds rate·w "
            "to each weight's gradient, a pull towards 0 proportional to the weight, so all "
            "weights shrink but none reaches 0 exactly. L1 subtracts learning rate·rate·sign(w) "
            "at each step; as in TensorFlow Playground, a weight whose step would cross 0 is "
            "set to exactly 0 and stays there, so L1 switches whole connections off."
        ),
        claim=(
            f"On the circle with all seven inputs and two hidden layers of 8, after {EPOCHS} "
            "epochs: without regularisation no weight is exactly 0; L2 (0.01) leaves none at 0 "
            "either but ends with the weights' root mean square below 60% of the unregularised "
            "network's and below its own start; L1 (0.003) sets at least 60% of the weights to "
            "exactly 0, and a weight once 0 is still 0 at every later recorded epoch; the weights "
            "it keeps leave from X₁² and X₂² (at least 90% of the first layer's Σ|w|); all three "
            "still reach at least 95% test accuracy."
        ),
        look_for=(
            "In the bands, L2's layers narrow towards 0 while the plain network's widen; L1's "
            "median sits on 0. In the Playground, L1's zero weights are links that vanish, and "
            "the inputs left connected are X₁² and X₂², the ones a circle needs."
        ),
        try_next=(
            "Raise L1's rate to 0.03: how many weights survive, and does the network still "
            "find the circle?"
        ),
        variants=_variants(
            EPOCHS,
            {"dataset": "circle", "hidden": (8, 8), "features": ALL_FEATURES},
            ("plain", "No regularisation", {}),
            ("l2", f"L2 {L2_RATE:g}", {"reg": "l2", "reg_rate": L2_RATE}),
            ("l1", f"L1 {L1_RATE:g}", {"reg": "l1", "reg_rate": L1_RATE}),
        ),
        epochs=EPOCHS,
        measure=measure,
        clauses=(
            Clause("No regularisation: no weight exactly 0", lambda n: n["zero_share_plain"] == 0),
            Clause("L2: no weight exactly 0", lambda n: n["zero_share_l2"] == 0),
            Clause(
                "L2: weights' RMS below 60% of the unregularised network's",
                lambda n: n["rms_l2"] < 0.6 * n["rms_plain"],
            ),
            Clause("L2: weights' RMS below its start", lambda n: n["rms_l2"] < n["rms_start_l2"]),
            Clause("L1: at least 60% of weights exactly 0", lambda n: n["zero_share_l1"] >= 0.6),
            Clause(
                "L1: a weight once exactly 0 stays 0, so their count never falls",
                lambda n: n["zeros_kept_l1"] == 1 and n["zeros_never_fall_l1"] == 1,
            ),
            Clause(
                "L1: X₁² and X₂² carry at least 90% of the first layer's Σ|w|",
                lambda n: n["squares_share_l1"] >= 0.9,
            ),
            Clause(
                "All three: test accuracy ≥ 95%",
                lambda n: min(n[f"test_accuracy_{key}"] for key in ("plain", "l2", "l1")) >= 0.95,
            ),
        ),
        readouts=(
            Readout("rms_plain", "Weights' RMS, no regularisation", "{:.3f}"),
            Readout("rms_l2", "Weights' RMS, L2", "{:.3f}"),
            Readout("zero_share_l1", "Weights exactly 0, L1"),
            Readout("zero_share_l2", "Weights exactly 0, L2"),
            Readout("squares_share_l1", "L1: first-layer Σ|w| from X₁² and X₂²"),
        ),
        figures=("weight_bands", "weight_sparsity"),
        probe=weight_probe,
    )
