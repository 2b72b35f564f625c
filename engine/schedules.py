"""Learning-rate schedules: epoch → multiplier of the base learning rate η.

The training kernel (``engine.kernels.train_epochs``) calls ``rate_multiplier`` at the start
of every epoch, so the rate changes per epoch inside one ``Trainer.train`` call, and the
epoch count continues across calls (the kernel is told how many epochs came before; a
snapshot or run file restores that count with the weights). ``e`` is the 0-based epoch (the
number of epochs trained before it), ``W`` the warm-up epochs, ``D`` the decay epochs,
``γ`` the decay rate, ``α`` the final fraction, and ``t = e − W`` the epochs after warm-up:

===========  ==================================================  ===========================
warm-up      m(e) = (e + 1) / (W + 1) for e < W                   torch LinearLR(1/(W+1), W)
constant     m = 1
step         m = γ^⌊t / D⌋                                        torch StepLR(D, γ)
exponential  m = γ^(t / D): γ per D epochs, smoothly              torch ExponentialLR(γ^(1/D))
cosine       m = α + (1 − α)·(1 + cos(π·min(t, D) / D)) / 2        torch CosineAnnealingLR(D, αη)
===========  ==================================================  ===========================

Step and exponential are TensorFlow's ``ExponentialDecay(η, D, γ, staircase)`` with
and without the staircase; cosine is its ``CosineDecay(η, D, alpha=α)``: after ``D`` epochs it
stays at ``α`` (PyTorch's ``CosineAnnealingLR`` would rise again). The multiplier scales every
use of η in a step: the optimiser's, L1's and decoupled weight decay's.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from .jit import kernel

# Schedule codes (the training kernel branches on them).
CONSTANT = 0
STEP = 1
EXPONENTIAL = 2
COSINE = 3

SCHEDULES: dict[str, int] = {
    "constant": CONSTANT,
    "step": STEP,
    "exponential": EXPONENTIAL,
    "cosine": COSINE,
}


class Schedule(NamedTuple):
    """A schedule as the kernels take it (``TrainingSettings.schedule``); build it with these
    exact Python types (each combination of types is compiled separately)."""

    code: int  # CONSTANT, STEP, EXPONENTIAL or COSINE
    warmup_epochs: int  # W: linear warm-up epochs before the schedule proper (0: none)
    decay_epochs: int  # D ≥ 1: step's epochs per step, exponential's per factor γ, cosine's length
    decay_rate: float  # γ: step's and exponential's factor per D epochs
    final_fraction: float  # α: cosine's multiplier after D epochs


@kernel(entry=True)  # also called from Python: TrainConfig.rate_at, the tests
def rate_multiplier(schedule, epoch):
    """The multiplier of η for 0-based ``epoch`` (see the module docstring).

    .. math:: m(e) = \\begin{cases} \\frac{e+1}{W+1} & e < W \\\\
              \\gamma^{\\lfloor t/D \\rfloor},\\ \\gamma^{t/D},\\
              \\alpha + (1-\\alpha)\\frac{1+\\cos(\\pi \\min(t,D)/D)}{2} & t = e - W
              \\end{cases}
    """
    warmup = schedule.warmup_epochs
    if epoch < warmup:
        return (epoch + 1) / (warmup + 1)
    after = epoch - warmup
    code = schedule.code
    if code == STEP:
        return schedule.decay_rate ** (after // schedule.decay_epochs)
    if code == EXPONENTIAL:
        return schedule.decay_rate ** (after / schedule.decay_epochs)
    if code == COSINE:
        progress = min(after, schedule.decay_epochs) / schedule.decay_epochs
        final = schedule.final_fraction
        return final + (1.0 - final) * 0.5 * (1.0 + math.cos(math.pi * progress))
    return 1.0
