"""Optimisers: names, default hyper-parameters and the update rules' documentation.

The update rules themselves are compiled (``engine.kernels.optimizer_step``); conventions
follow PyTorch:

========  ===================================================================
sgd       w ← w − η g
momentum  v ← μ v + g;  w ← w − η v
nesterov  v ← μ v + g;  w ← w − η (g + μ v)
adagrad   G ← G + g²;  w ← w − η g / (√G + ε)
rmsprop   s ← ρ s + (1 − ρ) g²;  w ← w − η g / (√s + ε)
adadelta  s ← ρ s + (1 − ρ) g²;  Δ = g √(u + ε) / √(s + ε);  u ← ρ u + (1 − ρ) Δ²;
          w ← w − η Δ  (Zeiler 2012; η = 1 is his rule, ε = ``adadelta_epsilon``)
adam      m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
          w ← w − η m̂ / (√v̂ + ε),  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
========  ===================================================================

Regularisation (weights only; ``engine.kernels.optimizer_step``): L2 adds λw to g before the
rule (coupled: an adaptive rule rescales it); weight decay is decoupled (AdamW),
w ← w − ηλw − step; L1 is TensorFlow Playground's step w″ = w′ − ηλ·sign(w) after the rule's
w′, which clamps the weight to 0 when it crosses zero and keeps it there while L1 is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import checks, kernels

OPTIMIZERS: dict[str, int] = {
    "sgd": kernels.SGD,
    "momentum": kernels.MOMENTUM,
    "nesterov": kernels.NESTEROV,
    "adagrad": kernels.ADAGRAD,
    "rmsprop": kernels.RMSPROP,
    "adam": kernels.ADAM,
    "adadelta": kernels.ADADELTA,
}


@dataclass(frozen=True)
class OptimizerSettings:
    """Hyper-parameters of every optimiser (each uses the ones its rule names)."""

    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    rho: float = 0.9
    epsilon: float = 1e-8
    # AdaDelta's ε is no mere guard against 0: √ε is the size of its first steps (with 1e-8
    # they are 100 times smaller than with PyTorch's default 1e-6, which it uses).
    adadelta_epsilon: float = 1e-6

    def __post_init__(self) -> None:
        for name in ("momentum", "beta1", "beta2", "rho"):
            checks.real_number(getattr(self, name), name, 0.0, 1.0, high_open=True)
        checks.real_number(self.epsilon, "epsilon", 0.0, 1.0, low_open=True)
        checks.real_number(self.adadelta_epsilon, "adadelta_epsilon", 0.0, 1.0, low_open=True)

    def epsilon_of(self, optimizer: str) -> float:
        """The ε the optimiser ``optimizer`` uses."""
        return self.adadelta_epsilon if optimizer == "adadelta" else self.epsilon
