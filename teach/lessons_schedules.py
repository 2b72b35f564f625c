"""The learning-rate schedules chapter: a rate too high at first and fine later.

Registered at the end of ``teach.lessons.LESSON_LIST`` (which numbers it). The rate per epoch
is the engine's own (``engine.TrainConfig.rate_at``), drawn by ``learning_rates``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from .style import VARIANT_COLORS, base_layout

if TYPE_CHECKING:
    from .lessons import Lesson, LessonRun

_SCHEDULES = 100
_DECAY = {"schedule": "exponential", "decay_epochs": 10, "decay_rate": 0.1}


def _measure_schedules(run: LessonRun) -> dict[str, float]:
    numbers = {}
    for key, result in run.results.items():
        numbers[f"final_loss_{key}"] = result.last("train_loss")
        numbers[f"test_accuracy_{key}"] = result.last("test_accuracy")
        numbers[f"epochs_{key}"] = float(result.epochs_run)
    return numbers


def learning_rates(run: LessonRun) -> go.Figure:
    """Each variant's learning rate per epoch, as the engine computes it (log scale)."""
    figure = go.Figure()
    for color, result in zip(VARIANT_COLORS, run.results.values()):
        config = result.settings.train_config(1)
        epochs = list(range(1, result.settings.stop_epoch + 1))
        figure.add_trace(
            go.Scatter(
                x=epochs,
                y=[config.rate_at(epoch - 1) for epoch in epochs],
                mode="lines",
                name=result.label,
                line={"color": color},
            )
        )
    figure.update_layout(base_layout(height=260, legend=True))
    figure.update_layout(xaxis={"title": "epoch"}, yaxis={"title": "learning rate", "type": "log"})
    return figure


SCHEDULE_FIGURES = {"learning_rates": learning_rates}


def lesson(number: int) -> Lesson:
    """The lesson on schedules, numbered where teach.lessons registers it (which imports this
    module: its classes are imported here, when both are loaded)."""
    from .lessons import Clause, Lesson, Readout, _variants

    return Lesson(
        number=number,
        slug="schedules",
        title="Learning-rate schedules: too high at first, fine later",
        story=(
            "A large learning rate covers ground quickly, but near a minimum its steps jump "
            "over it, and with tanh units a few huge early steps can push them into saturation "
            "where they barely learn again. A schedule multiplies the rate by a factor that "
            "changes with the epoch: exponential decay by γ^(epoch/D), so the rate starts "
            "large and shrinks smoothly. Warm-up does the opposite at the very start: it "
            "grows the rate linearly over the first epochs."
        ),
        claim=(
            f"On the circle with learning rate 3, a constant rate stalls: after {_SCHEDULES} "
            "epochs the training loss is still above 0.4. The same rate decayed exponentially "
            "(×0.1 every 10 epochs: 0.3 by epoch 10, 0.03 by epoch 20) ends below half of that "
            "loss and with a higher test accuracy. A warm-up of 20 epochs alone does not rescue "
            "it: afterwards the rate is 3 again, and the loss also ends above 0.4. Not on "
            "every data set: on 16 of the 110 we tried the decayed run ended above half of the "
            "constant rate's loss, on some as high, because its first steps at rate 3 had "
            "already pushed its units into saturation, which no later schedule undoes."
        ),
        look_for=(
            "The rate chart (log scale) and the loss curves: the decayed run's loss falls as "
            "soon as its rate comes down; the constant run's jumps about or stays flat."
        ),
        try_next=(
            "Open the warm-up run in the Playground and lower its rate to 1: warm-up is for "
            "a rate that is too high only at the start. Then try a cosine decay over 100 "
            "epochs from rate 3 (More settings → Optimisation)."
        ),
        variants=_variants(
            _SCHEDULES,
            {"dataset": "circle", "lr": 3.0},
            ("constant", "Rate 3, constant", {}),
            ("decay", "Rate 3, ×0.1 every 10 epochs", _DECAY),
            ("warmup", "Rate 3 after 20 warm-up epochs", {"warmup": 20}),
        ),
        epochs=_SCHEDULES,
        measure=_measure_schedules,
        clauses=(
            Clause(
                "Constant rate 3: training loss above 0.4",
                lambda n: n["final_loss_constant"] > 0.4,
            ),
            Clause(
                "Decayed: below half of the constant rate's loss",
                lambda n: n["final_loss_decay"] < n["final_loss_constant"] / 2,
            ),
            Clause(
                "Decayed: a higher test accuracy than the constant rate",
                lambda n: n["test_accuracy_decay"] > n["test_accuracy_constant"],
            ),
            Clause(
                "Warm-up alone: training loss also above 0.4",
                lambda n: n["final_loss_warmup"] > 0.4,
            ),
        ),
        readouts=(
            Readout("final_loss_constant", "Final loss, constant rate 3", "{:.3f}"),
            Readout("final_loss_decay", "Final loss, decayed from 3", "{:.3f}"),
            Readout("test_accuracy_decay", "Test accuracy, decayed from 3"),
        ),
        figures=("learning_rates", "loss_curves", "decision_maps"),
        equations=(
            ("Exponential decay", r"\eta_e = \eta\, \gamma^{e / D}"),
            ("Step decay", r"\eta_e = \eta\, \gamma^{\lfloor e / D \rfloor}"),
            (
                "Cosine decay",
                r"\eta_e = \eta \left(\alpha + (1-\alpha)\,"
                r"\tfrac{1 + \cos(\pi \min(e, D) / D)}{2}\right)",
            ),
            ("Warm-up (W epochs)", r"\eta_e = \eta\, \frac{e + 1}{W + 1} \quad (e < W)"),
        ),
    )
