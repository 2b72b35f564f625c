"""Facts about each hidden activation, and properties measured on the engine's own curves.

``ACTIVATION_FACTS`` has the same keys as ``engine.HIDDEN_ACTIVATIONS``.  The curves, the
range on [-6, 6] and where a function saturates are computed with
``engine.activation_values`` (the kernels the training code uses), not re-implemented.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import engine

Z_LIMIT = 6.0
CURVE_POINTS = 12_001  # a step of 0.001 on [-6, 6]: saturation edges to 3 decimals
SATURATION_SLOPE = 0.01  # |g'(z)| below this counts as saturated


@dataclass(frozen=True)
class ActivationFacts:
    """What the explorer says about one activation (LaTeX in ``formula``/``derivative``)."""

    title: str
    formula: str
    derivative: str
    output_range: str
    zero_centred: str  # "yes" (odd function), "nearly" (takes both signs), "no" (never < 0)
    centring: str  # one sentence explaining ``zero_centred``
    notes: str


ACTIVATION_FACTS: dict[str, ActivationFacts] = {
    "linear": ActivationFacts(
        title="Linear (identity)",
        formula=r"g(z) = z",
        derivative=r"g'(z) = 1",
        output_range="all real numbers",
        zero_centred="yes",
        centring="Yes: g(0) = 0 and outputs are symmetric around 0.",
        notes=(
            "Use it for regression outputs. In hidden layers it adds nothing: a stack of "
            "linear layers is a single linear map, so depth buys nothing."
        ),
    ),
    "relu": ActivationFacts(
        title="ReLU",
        formula=r"g(z) = \max(0,\ z)",
        derivative=r"g'(z) = \begin{cases} 0 & z < 0 \\ 1 & z > 0 \end{cases}",
        output_range="[0, ∞)",
        zero_centred="no",
        centring="No: outputs are never negative.",
        notes=(
            "Cheap, and it does not saturate for z > 0: the usual first choice for hidden "
            "layers. Many outputs are exactly 0 (sparsity). A unit whose z stays negative "
            "gets no gradient and stops learning: a dead ReLU."
        ),
    ),
    "leaky_relu": ActivationFacts(
        title="Leaky ReLU",
        formula=r"g(z) = \begin{cases} 0.01\,z & z \le 0 \\ z & z > 0 \end{cases}",
        derivative=r"g'(z) = \begin{cases} 0.01 & z \le 0 \\ 1 & z > 0 \end{cases}",
        output_range="all real numbers",
        zero_centred="nearly",
        centring="Not quite: negative outputs exist but are 100× smaller than positive ones.",
        notes=(
            "Fixes dead units: the small slope for z < 0 always lets some gradient through. "
            "PReLU learns that slope instead of fixing it at 0.01."
        ),
    ),
    "tanh": ActivationFacts(
        title="tanh",
        formula=r"g(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}",
        derivative=r"g'(z) = 1 - g(z)^2 \quad (\text{at most } 1)",
        output_range="(−1, 1)",
        zero_centred="yes",
        centring="Yes: g(0) = 0 and outputs are symmetric around 0.",
        notes=(
            "Zero-centred, so it usually trains faster than sigmoid; prefer it to sigmoid in "
            "hidden layers if you are not using ReLU. It still saturates beyond about ±3."
        ),
    ),
    "sigmoid": ActivationFacts(
        title="Sigmoid",
        formula=r"g(z) = \frac{1}{1 + e^{-z}}",
        derivative=r"g'(z) = g(z)\,\bigl(1 - g(z)\bigr) \quad (\text{at most } 0.25)",
        output_range="(0, 1)",
        zero_centred="no",
        centring="No: outputs are always positive (0.5 at z = 0).",
        notes=(
            "Its output is a probability: use it for binary outputs. It saturates for "
            "large |z|, and its slope is at most 0.25. Back-propagation multiplies the error "
            "by the next layer's weights and by this slope, δₗ = (δₗ₊₁Wₗ₊₁ᵀ) ⊙ g′(zₗ), so a "
            "sigmoid layer scales ‖δ‖ by at most 0.25·‖W‖ (‖W‖: the weights' largest "
            "stretch). With small weights that is well below 1 and gradients vanish within a "
            "few layers; with ‖W‖ above 4 they need not shrink at all."
        ),
    ),
    "elu": ActivationFacts(
        title="ELU",
        formula=r"g(z) = \begin{cases} e^{z} - 1 & z \le 0 \\ z & z > 0 \end{cases}",
        derivative=r"g'(z) = \begin{cases} e^{z} & z \le 0 \\ 1 & z > 0 \end{cases}",
        output_range="(−1, ∞)",
        zero_centred="nearly",
        centring="Nearly: outputs down to −1 pull the mean output towards 0.",
        notes=(
            "Like ReLU for z > 0, but smooth, with negative outputs for z < 0, so units do "
            "not die as easily. It saturates at −1 for very negative z."
        ),
    ),
    "softplus": ActivationFacts(
        title="Softplus",
        formula=r"g(z) = \ln\left(1 + e^{z}\right)",
        derivative=r"g'(z) = \frac{1}{1 + e^{-z}} \quad (\text{the sigmoid})",
        output_range="(0, ∞)",
        zero_centred="no",
        centring="No: outputs are always positive.",
        notes=(
            "A smooth ReLU: never exactly flat, but its slope (the sigmoid) becomes tiny for "
            "very negative z."
        ),
    ),
}


def check_activation(name: str) -> str:
    """``name`` if it is an engine hidden activation; else a ``ValueError`` listing them."""
    engine.activations.activation_code(name)
    return name


def curve(name: str, points: int = CURVE_POINTS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(z, g(z), g'(z)) on [-6, 6], each (points,), from the engine's kernels."""
    z = np.linspace(-Z_LIMIT, Z_LIMIT, points)
    values, slopes = engine.activation_values(check_activation(name), z)
    return z, values, slopes


def saturation_intervals(
    name: str, threshold: float = SATURATION_SLOPE
) -> list[tuple[float, float]]:
    """Intervals of [-6, 6] where |g'(z)| < threshold, edges midway between grid points.

    Returns a list of (start, end); an edge at ±6 means the interval runs on past the plot.
    """
    z, _, slopes = curve(name)
    flat = np.abs(slopes) < threshold
    intervals = []
    index = 0
    while index < len(z):
        if not flat[index]:
            index += 1
            continue
        end = index
        while end + 1 < len(z) and flat[end + 1]:
            end += 1
        start_z = z[0] if index == 0 else (z[index - 1] + z[index]) / 2
        end_z = z[-1] if end == len(z) - 1 else (z[end] + z[end + 1]) / 2
        intervals.append((float(start_z), float(end_z)))
        index = end + 1
    return intervals


def _number(value: float) -> str:
    """-4.5955 → '−4.6', 0.0 → '0' (two decimals at most, a real minus sign)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace("-", "−")


def describe_saturation(name: str) -> str:
    """Where |g'(z)| < 0.01 on [-6, 6], in words, e.g. 'z < −4.6 and z > 4.6'."""
    parts = []
    for start, end in saturation_intervals(name):
        if start <= -Z_LIMIT and end >= Z_LIMIT:
            parts.append("everywhere")
        elif start <= -Z_LIMIT:
            parts.append(f"z < {_number(end)}")
        elif end >= Z_LIMIT:
            parts.append(f"z > {_number(start)}")
        else:
            parts.append(f"{_number(start)} < z < {_number(end)}")
    return " and ".join(parts) if parts else "nowhere on [−6, 6]"


def value_range(name: str) -> tuple[float, float]:
    """Smallest and largest g(z) for z in [-6, 6]."""
    _, values, _ = curve(name)
    return float(values.min()), float(values.max())


def describe_range(name: str) -> str:
    """'−1.000 to 1.000': g's smallest and largest value on [-6, 6], to 3 decimals."""
    low, high = value_range(name)
    return f"{low:.3f} to {high:.3f}".replace("-", "−")
