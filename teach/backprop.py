"""One forward and backward pass through a tiny network, every number kept for display.

The network has 2 inputs, one hidden layer of 2–4 units and 1–3 outputs; the loss is MSE
(tanh, sigmoid or linear outputs) or cross-entropy (softmax outputs).  ``trace`` computes
with numpy, taking g(z) and g'(z) from ``engine.activation_values``; the tests check every
number against ``engine.Model.activations`` and ``engine.loss_and_gradients``.

.. math::
    z^{(1)} = x W^{(1)} + b^{(1)},\\ a^{(1)} = g(z^{(1)}),\\
    z^{(2)} = a^{(1)} W^{(2)} + b^{(2)},\\ a^{(2)} = g_{out}(z^{(2)})

    \\delta^{(2)} = (a^{(2)} - y)\\, g_{out}'(z^{(2)})\\ \\text{(MSE)},\\quad
    \\delta^{(2)} = a^{(2)} - y\\ \\text{(softmax + cross-entropy)}

    \\delta^{(1)} = (\\delta^{(2)} W^{(2)\\top}) \\odot g'(z^{(1)}),\\quad
    \\partial L / \\partial W^{(l)} = a^{(l-1)\\top} \\delta^{(l)},\\quad
    \\partial L / \\partial b^{(l)} = \\delta^{(l)}

Vectors are rows, as in the engine (``z = xW + b``, W of shape inputs × units); notes that
use column vectors write ``z = Wx + b`` with the transposed matrix.

What the page shows is ``hand_trace``: the same pass with every shown number rounded to
``DIGITS`` decimals and computed from the rounded numbers shown before it, so every line's
arithmetic can be redone by hand (``trace`` keeps full precision for the engine check).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import engine

HIDDEN_UNITS = (2, 3, 4)
OUTPUT_UNITS = (1, 2, 3)
OUTPUTS = ("tanh", "sigmoid", "linear", "softmax")
WEIGHT_LIMIT = 10.0  # editable weights and biases stay within ±10 (no overflow, readable)
INPUT_LIMIT = engine.DOMAIN  # the sample lies in the playground's square
DIGITS = 3  # decimals of every number the page shows (and computes by hand with)


@dataclass(frozen=True, eq=False)
class SmallNetwork:
    """2 inputs → H hidden units → O outputs.

    Attributes:
        hidden_weights: (2, H); hidden_biases: (H,).
        output_weights: (H, O); output_biases: (O,).
    """

    hidden_weights: np.ndarray
    hidden_biases: np.ndarray
    output_weights: np.ndarray
    output_biases: np.ndarray
    hidden_activation: str = "tanh"
    output_activation: str = "tanh"

    @property
    def hidden_units(self) -> int:
        return self.hidden_weights.shape[1]

    @property
    def outputs(self) -> int:
        return self.output_weights.shape[1]

    @property
    def loss(self) -> str:
        return "cross_entropy" if self.output_activation == "softmax" else "mse"

    @classmethod
    def random(
        cls,
        hidden_units: int,
        outputs: int,
        hidden_activation: str = "tanh",
        output_activation: str = "tanh",
        seed: int = 0,
    ) -> SmallNetwork:
        """Weights U(-1, 1) and biases U(-0.5, 0.5), rounded to 2 decimals to read easily."""
        rng = np.random.default_rng(seed)

        def draw(limit: float, *shape: int) -> np.ndarray:
            return np.round(rng.uniform(-limit, limit, shape), 2)

        return cls(
            draw(1.0, 2, hidden_units),
            draw(0.5, hidden_units),
            draw(1.0, hidden_units, outputs),
            draw(0.5, outputs),
            hidden_activation,
            output_activation,
        ).validated()

    def validated(self) -> SmallNetwork:
        """Self, or a ``ValueError`` with a plain sentence about what is wrong."""
        engine.activations.activation_code(self.hidden_activation)
        if self.output_activation not in OUTPUTS:
            raise ValueError(
                f"The output must be one of {', '.join(OUTPUTS)}, not {self.output_activation!r}."
            )
        h, o = self.hidden_units, self.outputs
        if h not in HIDDEN_UNITS or o not in OUTPUT_UNITS:
            raise ValueError("The network needs 2–4 hidden units and 1–3 outputs.")
        if self.hidden_weights.shape != (2, h) or self.hidden_biases.shape != (h,):
            raise ValueError("The hidden layer needs a weight from each of the 2 inputs.")
        if self.output_weights.shape != (h, o) or self.output_biases.shape != (o,):
            raise ValueError("The output layer needs a weight from each hidden unit.")
        if self.output_activation == "softmax" and o < 2:
            raise ValueError("A softmax output needs at least 2 outputs, one per class.")
        for values in self.parameters():
            if not np.all(np.isfinite(values)) or np.any(np.abs(values) > WEIGHT_LIMIT):
                raise ValueError(
                    f"Every weight and bias must be a number between −{WEIGHT_LIMIT:g} and "
                    f"{WEIGHT_LIMIT:g}."
                )
        return self

    def parameters(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (self.hidden_weights, self.hidden_biases, self.output_weights, self.output_biases)

    def to_model(self) -> engine.Model:
        """The same network as an ``engine.Model`` (for checking the trace)."""
        model = engine.Model.create(
            [2, self.hidden_units, self.outputs],
            activation=self.hidden_activation,
            output=self.output_activation,
        )
        model.weights = [self.hidden_weights, self.output_weights]
        model.biases = [self.hidden_biases, self.output_biases]
        return model


@dataclass(frozen=True, eq=False)
class Trace:
    """Every intermediate number of one forward/backward pass and one SGD step.

    Shapes: hidden_* are (H,), output_* and target are (O,), gradients match the weights.
    ``output_slope`` is NaN for softmax (its δ is a − y directly).
    """

    network: SmallNetwork
    sample: np.ndarray
    target: np.ndarray
    learning_rate: float
    hidden_z: np.ndarray
    hidden_a: np.ndarray
    hidden_slope: np.ndarray
    output_z: np.ndarray
    output_a: np.ndarray
    output_slope: np.ndarray
    loss: float
    output_delta: np.ndarray
    hidden_error: np.ndarray  # Σ_k w_jk δ_k, before multiplying by g'(z_j)
    hidden_delta: np.ndarray
    grad_hidden_weights: np.ndarray
    grad_hidden_biases: np.ndarray
    grad_output_weights: np.ndarray
    grad_output_biases: np.ndarray
    updated: SmallNetwork
    loss_after_step: float
    digits: int | None = None  # rounded by hand to this many decimals (None: full precision)


def softmax(z: np.ndarray) -> np.ndarray:
    """e^{z_i} / Σ_j e^{z_j}, shifted by max(z) so it cannot overflow."""
    shifted = np.exp(z - np.max(z))
    return shifted / shifted.sum()


def forward(network: SmallNetwork, sample: np.ndarray) -> tuple[np.ndarray, ...]:
    """(hidden z, hidden a, hidden g'(z), output z, output a, output g'(z) or NaN)."""
    hidden_z = sample @ network.hidden_weights + network.hidden_biases
    hidden_a, hidden_slope = engine.activation_values(network.hidden_activation, hidden_z)
    output_z = hidden_a @ network.output_weights + network.output_biases
    if network.output_activation == "softmax":
        output_a, output_slope = softmax(output_z), np.full_like(output_z, np.nan)
    else:
        output_a, output_slope = engine.activation_values(network.output_activation, output_z)
    return hidden_z, hidden_a, hidden_slope, output_z, output_a, output_slope


def loss_value(network: SmallNetwork, output_a: np.ndarray, target: np.ndarray) -> float:
    """½ Σ (a − y)² for MSE; −Σ y log a (= −log a_true) for cross-entropy."""
    if network.loss == "cross_entropy":
        return float(-np.sum(target * np.log(np.maximum(output_a, 1e-300))))
    return float(0.5 * np.sum((output_a - target) ** 2))


def check_sample(network: SmallNetwork, sample, target) -> tuple[np.ndarray, np.ndarray]:
    """The sample (2,) and target (O,) as arrays, or a ``ValueError`` with a sentence."""
    sample = np.asarray(sample, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if sample.shape != (2,) or not np.all(np.abs(sample) <= INPUT_LIMIT):
        raise ValueError(
            f"The sample needs two inputs between −{INPUT_LIMIT:g} and {INPUT_LIMIT:g}."
        )
    if target.shape != (network.outputs,) or not np.all(np.isfinite(target)):
        raise ValueError(f"The target needs one number per output ({network.outputs}).")
    if network.loss == "cross_entropy" and not (
        np.all((target == 0) | (target == 1)) and target.sum() == 1
    ):
        raise ValueError("With softmax, the target is one class: a single 1, the rest 0.")
    return sample, target


def trace(network: SmallNetwork, sample, target, learning_rate: float) -> Trace:
    """Forward pass, loss, backward pass and one SGD step for one sample."""
    network = network.validated()
    sample, target = check_sample(network, sample, target)
    if not (np.isfinite(learning_rate) and 0 < learning_rate <= 10):
        raise ValueError("The learning rate must be a number above 0 and at most 10.")
    hidden_z, hidden_a, hidden_slope, output_z, output_a, output_slope = forward(network, sample)
    loss = loss_value(network, output_a, target)
    if network.loss == "cross_entropy":
        output_delta = output_a - target  # softmax and cross-entropy fuse to a − y
    else:
        output_delta = (output_a - target) * output_slope
    hidden_error = network.output_weights @ output_delta
    hidden_delta = hidden_error * hidden_slope
    gradients = (
        np.outer(sample, hidden_delta),
        hidden_delta,
        np.outer(hidden_a, output_delta),
        output_delta,
    )
    updated = SmallNetwork(
        *(p - learning_rate * g for p, g in zip(network.parameters(), gradients)),
        network.hidden_activation,
        network.output_activation,
    )
    loss_after = loss_value(updated, forward(updated, sample)[4], target)
    return Trace(
        network,
        sample,
        target,
        float(learning_rate),
        hidden_z,
        hidden_a,
        hidden_slope,
        output_z,
        output_a,
        output_slope,
        loss,
        output_delta,
        hidden_error,
        hidden_delta,
        *gradients,
        updated,
        loss_after,
    )


def _rounder(digits: int):
    def rounded(values):
        return np.round(np.asarray(values, dtype=np.float64), digits) + 0.0  # no −0.000

    return rounded


def _hand_slope(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """g′ as the page writes it: from the shown output a for tanh and sigmoid (1 − a²,
    a(1 − a)), else from the shown z."""
    if name == "tanh":
        return 1.0 - a * a
    if name == "sigmoid":
        return a * (1.0 - a)
    return engine.activation_values(name, z)[1]


def _hand_forward(network: SmallNetwork, sample: np.ndarray, rounded) -> tuple[np.ndarray, ...]:
    """``forward`` with each shown number rounded and computed from the shown ones."""
    hidden_z = rounded(sample @ network.hidden_weights + network.hidden_biases)
    hidden_a = rounded(engine.activation_values(network.hidden_activation, hidden_z)[0])
    hidden_slope = rounded(_hand_slope(network.hidden_activation, hidden_z, hidden_a))
    output_z = rounded(hidden_a @ network.output_weights + network.output_biases)
    if network.output_activation == "softmax":
        output_a, output_slope = rounded(softmax(output_z)), np.full_like(output_z, np.nan)
    else:
        output_a = rounded(engine.activation_values(network.output_activation, output_z)[0])
        output_slope = rounded(_hand_slope(network.output_activation, output_z, output_a))
    return hidden_z, hidden_a, hidden_slope, output_z, output_a, output_slope


def hand_trace(result: Trace, digits: int = DIGITS) -> Trace:
    """``result``'s pass as done by hand: every number the page shows rounded to ``digits``
    decimals and computed from the rounded numbers shown before it (weights, sample and
    target rounded too), so each line's arithmetic checks out on paper."""
    rounded = _rounder(digits)
    source = result.network
    network = SmallNetwork(
        *(rounded(p) for p in source.parameters()),
        source.hidden_activation,
        source.output_activation,
    )
    sample, target, eta = rounded(result.sample), rounded(result.target), result.learning_rate
    hidden_z, hidden_a, hidden_slope, output_z, output_a, output_slope = _hand_forward(
        network, sample, rounded
    )
    loss = float(rounded(loss_value(network, output_a, target)))
    if network.loss == "cross_entropy":
        output_delta = rounded(output_a - target)
    else:
        output_delta = rounded((output_a - target) * output_slope)
    hidden_error = rounded(network.output_weights @ output_delta)
    hidden_delta = rounded(hidden_error * hidden_slope)
    gradients = (
        rounded(np.outer(sample, hidden_delta)),
        hidden_delta,
        rounded(np.outer(hidden_a, output_delta)),
        output_delta,
    )
    updated = SmallNetwork(
        *(rounded(p - eta * g) for p, g in zip(network.parameters(), gradients)),
        network.hidden_activation,
        network.output_activation,
    )
    after = _hand_forward(updated, sample, rounded)[4]
    loss_after = float(rounded(loss_value(updated, after, target)))
    return Trace(
        network,
        sample,
        target,
        eta,
        hidden_z,
        hidden_a,
        hidden_slope,
        output_z,
        output_a,
        output_slope,
        loss,
        output_delta,
        hidden_error,
        hidden_delta,
        *gradients,
        updated,
        loss_after,
        digits,
    )


def hand_difference(result: Trace, shown: Trace) -> float:
    """Largest gap between the exact pass and the one done by hand (activations, loss,
    gradients and new weights)."""
    pairs = [
        (result.hidden_a, shown.hidden_a),
        (result.output_a, shown.output_a),
        (result.loss, shown.loss),
        (result.grad_hidden_weights, shown.grad_hidden_weights),
        (result.grad_output_weights, shown.grad_output_weights),
        *zip(result.updated.parameters(), shown.updated.parameters()),
    ]
    return float(max(np.max(np.abs(np.subtract(a, b))) for a, b in pairs))


def engine_difference(result: Trace) -> float:
    """Largest gap between the trace and the engine's own forward/backward pass."""
    model = result.network.to_model()
    X = result.sample[None, :]
    layers = model.activations(X)
    loss, grad_weights, grad_biases = engine.loss_and_gradients(
        model, X, result.target[None, :], result.network.loss
    )
    pairs = [
        (layers[1][0], result.hidden_a),
        (layers[2][0], result.output_a),
        (np.array([loss]), np.array([result.loss])),
        (grad_weights[0], result.grad_hidden_weights),
        (grad_biases[0], result.grad_hidden_biases),
        (grad_weights[1], result.grad_output_weights),
        (grad_biases[1], result.grad_output_biases),
    ]
    return float(max(np.max(np.abs(a - b)) for a, b in pairs))


# ---------------------------------------------------------------- words and formulas


def unit_names(network: SmallNetwork) -> tuple[list[str], list[str], list[str]]:
    """Input, hidden and output unit names: x₁ x₂, h₁…, o₁…"""
    subscripts = "₁₂₃₄"
    return (
        [f"x{subscripts[i]}" for i in range(2)],
        [f"h{subscripts[j]}" for j in range(network.hidden_units)],
        [f"o{subscripts[k]}" for k in range(network.outputs)],
    )


def _n(value: float) -> str:
    """A number for a formula: 3 decimals, negatives in brackets when they follow a sign."""
    text = f"{value:.3f}"
    return f"({text})" if value < 0 else text


def _v(value: float) -> str:
    return f"{value:.3f}"


_ACTIVATION_TEX = {
    "tanh": r"\tanh",
    "sigmoid": r"\sigma",
    "relu": r"\mathrm{ReLU}",
    "leaky_relu": r"\mathrm{LeakyReLU}",
    "elu": r"\mathrm{ELU}",
    "softplus": r"\mathrm{softplus}",
    "linear": "",
}

_SLOPE_TEX = {
    "tanh": r"1 - a^2",
    "sigmoid": r"a\,(1 - a)",
    "relu": r"1 \text{ if } z > 0 \text{ else } 0",
    "leaky_relu": r"1 \text{ if } z > 0 \text{ else } 0.01",
    "elu": r"1 \text{ if } z > 0 \text{ else } e^{z}",
    "softplus": r"\sigma(z)",
    "linear": "1",
}


def _apply(name: str, z: float) -> str:
    """'\\tanh(0.865)'; a linear unit passes z through, written 'z'."""
    function = _ACTIVATION_TEX[name]
    return f"{function}({_v(z)})" if function else "z"


def _setup_lines(result: Trace) -> list[str]:
    net, o_count = result.network, result.network.outputs
    loss_text = (
        r"cross-entropy $L = -\log a_{\text{true class}}$"
        if net.loss == "cross_entropy"
        else r"mean squared error $L = \tfrac12 \sum_k (a_k - y_k)^2$"
    )
    return [
        f"Sample: $x_1 = {_v(result.sample[0])}$, $x_2 = {_v(result.sample[1])}$; "
        "target: " + ", ".join(f"$y_{k + 1} = {_v(result.target[k])}$" for k in range(o_count)),
        f"Network: 2 inputs → {net.hidden_units} {net.hidden_activation} units → {o_count} "
        f"{net.output_activation} output{'s' if o_count > 1 else ''}; loss: {loss_text}.",
        "Each unit computes $z = \\sum_i w_i\\,a_i + b$, then $a = g(z)$. "
        "Press **Next** to run the network forward.",
        "Vectors are rows, as in the engine: a layer computes $z = xW + b$ with $W$ of shape "
        "(inputs × units), so $w_{ij}$ goes from unit $i$ to unit $j$; notes that use column "
        "vectors write $z = Wx + b$ with the transposed $W$. Every number is rounded to "
        f"{DIGITS} decimals and computed from the rounded numbers shown before it, so you can "
        "check each line by hand.",
    ]


def _hidden_forward_lines(result: Trace) -> list[str]:
    net = result.network
    lines = []
    for j in range(net.hidden_units):
        terms = " + ".join(
            f"{_n(net.hidden_weights[i, j])}\\cdot{_n(result.sample[i])}" for i in range(2)
        )
        lines.append(
            f"$z_{{h_{j + 1}}} = {terms} + {_n(net.hidden_biases[j])} = "
            f"{_v(result.hidden_z[j])}$, "
            f"$a_{{h_{j + 1}}} = {_apply(net.hidden_activation, result.hidden_z[j])} = "
            f"{_v(result.hidden_a[j])}$"
        )
    return lines


def _output_forward_lines(result: Trace) -> list[str]:
    net, o_count = result.network, result.network.outputs
    lines = []
    for k in range(o_count):
        terms = " + ".join(
            f"{_n(net.output_weights[j, k])}\\cdot{_n(result.hidden_a[j])}"
            for j in range(net.hidden_units)
        )
        lines.append(
            f"$z_{{o_{k + 1}}} = {terms} + {_n(net.output_biases[k])} = {_v(result.output_z[k])}$"
        )
    if net.output_activation == "softmax":
        lines.append(
            "Softmax: $a_k = e^{z_k} / \\sum_i e^{z_i}$ gives "
            + ", ".join(f"$a_{{o_{k + 1}}} = {_v(result.output_a[k])}$" for k in range(o_count))
        )
    else:
        lines += [
            f"$a_{{o_{k + 1}}} = {_apply(net.output_activation, result.output_z[k])} = "
            f"{_v(result.output_a[k])}$"
            for k in range(o_count)
        ]
    return lines


def _loss_lines(result: Trace) -> list[str]:
    if result.network.loss == "cross_entropy":
        true_class = int(np.argmax(result.target))
        return [
            f"The true class is $o_{true_class + 1}$: "
            f"$L = -\\log a_{{o_{true_class + 1}}} = -\\log {_v(result.output_a[true_class])} "
            f"= {_v(result.loss)}$"
        ]
    terms = " + ".join(
        f"({_v(result.output_a[k])} - {_n(result.target[k])})^2"
        for k in range(result.network.outputs)
    )
    return [f"$L = \\tfrac12\\,[{terms}] = {_v(result.loss)}$"]


def _output_delta_lines(result: Trace) -> list[str]:
    net, o_count = result.network, result.network.outputs
    if net.loss == "cross_entropy":
        return [
            "With softmax and cross-entropy, the output δ is simply $a - y$:",
            *(
                f"$\\delta_{{o_{k + 1}}} = {_v(result.output_a[k])} - {_n(result.target[k])} "
                f"= {_v(result.output_delta[k])}$"
                for k in range(o_count)
            ),
        ]
    slope = _SLOPE_TEX[net.output_activation]
    return [
        f"$\\delta = (a - y)\\cdot g'(z)$ with $g'(z) = {slope}$:",
        *(
            f"$\\delta_{{o_{k + 1}}} = ({_v(result.output_a[k])} - {_n(result.target[k])})"
            f"\\cdot {_v(result.output_slope[k])} = {_v(result.output_delta[k])}$"
            for k in range(o_count)
        ),
    ]


def _hidden_delta_lines(result: Trace) -> list[str]:
    net = result.network
    slope = _SLOPE_TEX[net.hidden_activation]
    lines = [
        "Each hidden unit's δ is the weighted sum of the δs it feeds, times its own "
        f"$g'(z) = {slope}$:"
    ]
    for j in range(net.hidden_units):
        terms = " + ".join(
            f"{_n(net.output_weights[j, k])}\\cdot{_n(result.output_delta[k])}"
            for k in range(net.outputs)
        )
        lines.append(
            f"$\\delta_{{h_{j + 1}}} = ({terms})\\cdot {_v(result.hidden_slope[j])} = "
            f"{_v(result.hidden_error[j])}\\cdot{_v(result.hidden_slope[j])} = "
            f"{_v(result.hidden_delta[j])}$"
        )
    return lines


def _gradient_lines(result: Trace) -> list[str]:
    return [
        "A weight's gradient is the activation it carries times the δ it feeds: "
        "$\\partial L/\\partial w_{ij} = a_i\\,\\delta_j$; a bias's gradient is "
        "$\\partial L/\\partial b_j = \\delta_j$.",
        f"For example $\\partial L/\\partial w_{{x_1 h_1}} = {_n(result.sample[0])}\\cdot"
        f"{_n(result.hidden_delta[0])} = {_v(result.grad_hidden_weights[0, 0])}$ and "
        f"$\\partial L/\\partial w_{{h_1 o_1}} = {_n(result.hidden_a[0])}\\cdot"
        f"{_n(result.output_delta[0])} = {_v(result.grad_output_weights[0, 0])}$.",
    ]


def _step_lines(result: Trace) -> list[str]:
    eta = _v(result.learning_rate)
    return [
        f"Every parameter moves against its gradient: $w \\leftarrow w - \\eta\\,"
        f"\\partial L/\\partial w$ with $\\eta = {eta}$.",
        f"For example $w_{{x_1 h_1}}: {_v(result.network.hidden_weights[0, 0])} - {eta}\\cdot"
        f"{_n(result.grad_hidden_weights[0, 0])} = {_v(result.updated.hidden_weights[0, 0])}$.",
        f"With the new weights the loss on this sample goes from {_v(result.loss)} to "
        f"**{_v(result.loss_after_step)}**.",
    ]


# Each phase of the walk-through: its title and what explains it with a trace's numbers.
_PHASES = (
    ("The network and the sample", _setup_lines),
    ("Forward: the hidden layer", _hidden_forward_lines),
    ("Forward: the output layer", _output_forward_lines),
    ("The loss", _loss_lines),
    ("Backward: δ of the outputs", _output_delta_lines),
    ("Backward: δ of the hidden units", _hidden_delta_lines),
    ("Gradients of every weight and bias", _gradient_lines),
    ("One SGD step", _step_lines),
)
PHASES = tuple(title for title, _ in _PHASES)


def phase_lines(result: Trace, phase: int) -> list[str]:
    """Markdown (with $…$ LaTeX) explaining one phase (0 … ``len(PHASES) - 1``) with the
    numbers of the pass done by hand (``hand_trace``), whose arithmetic checks out."""
    shown = result if result.digits is not None else hand_trace(result)
    return _PHASES[phase][1](shown)


# ---------------------------------------------------------------- tables (editor layout)


def parameter_frame(weights: np.ndarray, biases: np.ndarray, sources, targets) -> pd.DataFrame:
    """One layer as a table: a row per source unit plus a 'bias' row, a column per target."""
    return pd.DataFrame(
        np.vstack([weights, biases[None, :]]), index=[*sources, "bias"], columns=list(targets)
    )


def layer_from_frame(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(weights, biases) back from a ``parameter_frame`` (empty cells become NaN)."""
    values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    return values[:-1], values[-1]


def network_frames(network: SmallNetwork) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both layers of ``network`` as editor tables."""
    inputs, hidden, outputs = unit_names(network)
    return (
        parameter_frame(network.hidden_weights, network.hidden_biases, inputs, hidden),
        parameter_frame(network.output_weights, network.output_biases, hidden, outputs),
    )


def network_from_frames(
    hidden: pd.DataFrame, output: pd.DataFrame, hidden_activation: str, output_activation: str
) -> SmallNetwork:
    """A validated network from the two editor tables (``ValueError`` if a cell is unusable)."""
    hidden_weights, hidden_biases = layer_from_frame(hidden)
    output_weights, output_biases = layer_from_frame(output)
    return SmallNetwork(
        hidden_weights,
        hidden_biases,
        output_weights,
        output_biases,
        hidden_activation,
        output_activation,
    ).validated()
