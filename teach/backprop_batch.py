"""Back-prop on a mini-batch in matrix form: the same tiny network as ``teach.backprop``, a
few rows at once, every number kept for display.

Rows are examples, as in the engine (row vectors, ``z = xW + b``), so a layer computes the
whole batch in one product; ``1b`` adds the bias row to every row:

.. math::
    Z^{(1)} = X W^{(1)} + \\mathbf 1 b^{(1)},\\ A^{(1)} = g(Z^{(1)}),\\
    Z^{(2)} = A^{(1)} W^{(2)} + \\mathbf 1 b^{(2)},\\ \\hat Y = g_{out}(Z^{(2)})

    \\Delta^{(2)} = (\\hat Y - Y) \\odot g_{out}'(Z^{(2)})\\ \\text{(MSE)},\\quad
    \\Delta^{(2)} = \\hat Y - Y\\ \\text{(softmax + cross-entropy)}

    \\Delta^{(1)} = (\\Delta^{(2)} W^{(2)\\top}) \\odot g'(Z^{(1)}),\\quad
    \\partial L / \\partial W^{(l)} = A^{(l-1)\\top} \\Delta^{(l)} / n,\\quad
    \\partial L / \\partial b^{(l)} = \\mathbf 1^\\top \\Delta^{(l)} / n

with ``A⁽⁰⁾ = X`` and L the mean over the n rows of each row's loss (the engine's). Notes
that use column vectors stack examples as columns and write ``Z = WX + b`` with the
transposed matrices.

``batch_trace`` keeps full precision (the tests check it against
``engine.loss_and_gradients``); ``hand_batch_trace`` is what the page shows: every matrix
rounded to ``DIGITS`` decimals and computed from the rounded matrices shown before it, so
each entry can be redone by hand, as ``teach.backprop.hand_trace`` does for one sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import engine

from .backprop import (
    _ACTIVATION_TEX,
    _SLOPE_TEX,
    DIGITS,
    INPUT_LIMIT,
    SmallNetwork,
    _hand_slope,
    _n,
    _rounder,
    _v,
)

BATCH_ROWS = (2, 3, 4, 5, 6)  # rows a batch may have; the page starts with 4
DEFAULT_ROWS = 4


@dataclass(frozen=True, eq=False)
class BatchTrace:
    """Every matrix of one forward/backward pass over a batch and one SGD step.

    Shapes (n rows, H hidden units, O outputs): inputs (n, 2), targets (n, O), hidden_*
    (n, H), output_* (n, O), row_losses (n,); gradients match the weights. ``output_slope``
    is NaN for softmax (its Δ is Ŷ − Y directly).
    """

    network: SmallNetwork
    inputs: np.ndarray
    targets: np.ndarray
    learning_rate: float
    hidden_z: np.ndarray
    hidden_a: np.ndarray
    hidden_slope: np.ndarray
    output_z: np.ndarray
    output_a: np.ndarray
    output_slope: np.ndarray
    row_losses: np.ndarray
    loss: float
    output_delta: np.ndarray
    hidden_error: np.ndarray  # Δ⁽²⁾ W⁽²⁾ᵀ, before multiplying by g′(Z⁽¹⁾)
    hidden_delta: np.ndarray
    grad_hidden_weights: np.ndarray
    grad_hidden_biases: np.ndarray
    grad_output_weights: np.ndarray
    grad_output_biases: np.ndarray
    updated: SmallNetwork
    loss_after_step: float
    digits: int | None = None  # rounded by hand to this many decimals (None: full precision)

    @property
    def rows(self) -> int:
        return self.inputs.shape[0]


def softmax_rows(z: np.ndarray) -> np.ndarray:
    """Softmax of each row, shifted by the row's max so it cannot overflow."""
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def row_losses(network: SmallNetwork, output_a: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """(n,) each row's loss: ½ Σₖ (âₖ − yₖ)² for MSE, −Σₖ yₖ log âₖ for cross-entropy."""
    if network.loss == "cross_entropy":
        return -np.sum(targets * np.log(np.maximum(output_a, 1e-300)), axis=1)
    return 0.5 * np.sum((output_a - targets) ** 2, axis=1)


def check_batch(network: SmallNetwork, inputs, targets) -> tuple[np.ndarray, np.ndarray]:
    """The batch (n, 2) and its targets (n, O) as arrays, or a ``ValueError`` with a sentence."""
    inputs = np.asarray(inputs, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    if inputs.ndim != 2 or inputs.shape[0] not in BATCH_ROWS or inputs.shape[1] != 2:
        raise ValueError(
            f"The batch needs {BATCH_ROWS[0]}–{BATCH_ROWS[-1]} rows of two inputs each."
        )
    if not np.all(np.abs(inputs) <= INPUT_LIMIT):  # NaN fails too
        raise ValueError(
            f"Every input must be a number between −{INPUT_LIMIT:g} and {INPUT_LIMIT:g}."
        )
    if targets.shape != (inputs.shape[0], network.outputs) or not np.all(np.isfinite(targets)):
        raise ValueError(f"Every row needs a target number for each output ({network.outputs}).")
    if network.loss == "cross_entropy" and not (
        np.all((targets == 0) | (targets == 1)) and np.all(targets.sum(axis=1) == 1)
    ):
        raise ValueError("With softmax, each row's target is one class: a single 1, the rest 0.")
    return inputs, targets


def default_batch(network: SmallNetwork, rows: int = DEFAULT_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """A small batch to start from: inputs on a readable grid, targets by quadrant.

    The class of a row is ``(x₁ > 0) + (x₂ > 0)`` (0–2, capped at the last output); a single
    tanh, sigmoid or linear output gets ±1 (0/1 for sigmoid) for x₁·x₂ > 0, like XOR.
    """
    points = np.array([[1.0, -0.5], [-1.5, 2.0], [2.5, 1.0], [-0.5, -2.0], [0.5, 1.5], [-2.0, 0.5]])
    inputs = points[:rows]
    if network.loss == "cross_entropy":
        classes = np.minimum((inputs > 0).sum(axis=1), network.outputs - 1)
        return inputs, np.eye(network.outputs)[classes]
    same_sign = (inputs[:, 0] * inputs[:, 1] > 0).astype(float)
    low = 0.0 if network.output_activation == "sigmoid" else -1.0
    column = low + (1.0 - low) * same_sign
    return inputs, np.repeat(column[:, None], network.outputs, axis=1)


def _activate(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """g(z) and g′(z) elementwise from the engine's kernels (any shape)."""
    values, slopes = engine.activation_values(name, z.ravel())
    return values.reshape(z.shape), slopes.reshape(z.shape)


def _forward(network: SmallNetwork, inputs: np.ndarray, rounded=None):
    """(Z1, A1, G1′, Z2, Ŷ, G2′ or NaN); with ``rounded``, each shown matrix is rounded and
    computed from the shown ones (slopes from the shown outputs, as the page writes them)."""
    keep = rounded or (lambda values: values)
    hidden_z = keep(inputs @ network.hidden_weights + network.hidden_biases)
    hidden_a, hidden_slope = _activate(network.hidden_activation, hidden_z)
    hidden_a = keep(hidden_a)
    if rounded:
        hidden_slope = keep(_hand_slope(network.hidden_activation, hidden_z, hidden_a))
    output_z = keep(hidden_a @ network.output_weights + network.output_biases)
    if network.output_activation == "softmax":
        return (
            hidden_z,
            hidden_a,
            hidden_slope,
            output_z,
            keep(softmax_rows(output_z)),
            np.full_like(output_z, np.nan),
        )
    output_a, output_slope = _activate(network.output_activation, output_z)
    output_a = keep(output_a)
    if rounded:
        output_slope = keep(_hand_slope(network.output_activation, output_z, output_a))
    return hidden_z, hidden_a, hidden_slope, output_z, output_a, output_slope


def _pass(
    network: SmallNetwork, inputs, targets, learning_rate: float, rounded=None, digits=None
) -> BatchTrace:
    keep = rounded or (lambda values: values)
    n = inputs.shape[0]
    hidden_z, hidden_a, hidden_slope, output_z, output_a, output_slope = _forward(
        network, inputs, rounded
    )
    losses = keep(row_losses(network, output_a, targets))
    loss = float(keep(losses.mean()))
    if network.loss == "cross_entropy":
        output_delta = keep(output_a - targets)
    else:
        output_delta = keep((output_a - targets) * output_slope)
    hidden_error = keep(output_delta @ network.output_weights.T)
    hidden_delta = keep(hidden_error * hidden_slope)
    gradients = (
        keep(inputs.T @ hidden_delta / n),
        keep(hidden_delta.sum(axis=0) / n),
        keep(hidden_a.T @ output_delta / n),
        keep(output_delta.sum(axis=0) / n),
    )
    updated = SmallNetwork(
        *(keep(p - learning_rate * g) for p, g in zip(network.parameters(), gradients)),
        network.hidden_activation,
        network.output_activation,
    )
    after = _forward(updated, inputs, rounded)[4]
    loss_after = float(keep(row_losses(updated, after, targets).mean()))
    return BatchTrace(
        network,
        inputs,
        targets,
        float(learning_rate),
        hidden_z,
        hidden_a,
        hidden_slope,
        output_z,
        output_a,
        output_slope,
        losses,
        loss,
        output_delta,
        hidden_error,
        hidden_delta,
        *gradients,
        updated,
        loss_after,
        digits,
    )


def batch_trace(network: SmallNetwork, inputs, targets, learning_rate: float) -> BatchTrace:
    """Forward pass, mean loss, backward pass and one SGD step for a batch (full precision)."""
    network = network.validated()
    inputs, targets = check_batch(network, inputs, targets)
    if not (np.isfinite(learning_rate) and 0 < learning_rate <= 10):
        raise ValueError("The learning rate must be a number above 0 and at most 10.")
    return _pass(network, inputs, targets, learning_rate)


def hand_batch_trace(result: BatchTrace, digits: int = DIGITS) -> BatchTrace:
    """``result``'s pass as done by hand: every shown matrix rounded to ``digits`` decimals
    and computed from the rounded matrices shown before it (weights, inputs and targets
    rounded too), so every entry's arithmetic checks out on paper."""
    rounded = _rounder(digits)
    source = result.network
    network = SmallNetwork(
        *(rounded(p) for p in source.parameters()),
        source.hidden_activation,
        source.output_activation,
    )
    return _pass(
        network,
        rounded(result.inputs),
        rounded(result.targets),
        result.learning_rate,
        rounded,
        digits,
    )


def engine_batch_difference(result: BatchTrace) -> float:
    """Largest gap between the batch trace and the engine's own pass over the same rows
    (activations, mean loss, every gradient)."""
    model = result.network.to_model()
    layers = model.activations(result.inputs)
    loss, grad_weights, grad_biases = engine.loss_and_gradients(
        model, result.inputs, result.targets, result.network.loss
    )
    pairs = [
        (layers[1], result.hidden_a),
        (layers[2], result.output_a),
        (np.array([loss]), np.array([result.loss])),
        (grad_weights[0], result.grad_hidden_weights),
        (grad_biases[0], result.grad_hidden_biases),
        (grad_weights[1], result.grad_output_weights),
        (grad_biases[1], result.grad_output_biases),
    ]
    return float(max(np.max(np.abs(a - b)) for a, b in pairs))


def hand_batch_difference(result: BatchTrace, shown: BatchTrace) -> float:
    """Largest gap between the exact pass and the one done by hand (outputs, loss,
    gradients and new weights)."""
    pairs = [
        (result.output_a, shown.output_a),
        (result.loss, shown.loss),
        (result.grad_hidden_weights, shown.grad_hidden_weights),
        (result.grad_output_weights, shown.grad_output_weights),
        *zip(result.updated.parameters(), shown.updated.parameters()),
    ]
    return float(max(np.max(np.abs(np.subtract(a, b))) for a, b in pairs))


# ---------------------------------------------------------------- words and matrices


def matrix(values: np.ndarray) -> str:
    """A LaTeX bmatrix of ``values`` (a vector is one row), ``DIGITS`` decimals."""
    rows = np.atleast_2d(values)
    body = r" \\ ".join(" & ".join(_v(value) for value in row) for row in rows)
    return f"\\begin{{bmatrix}} {body} \\end{{bmatrix}}"


def _applied(name: str, argument: str) -> str:
    """g applied entry by entry, in LaTeX: \\tanh(Z); a linear unit's output is Z itself."""
    function = _ACTIVATION_TEX[name]
    return f"{function}({argument})" if function else argument


def _display(*parts: str) -> str:
    return "$$" + " ".join(parts) + "$$"


def _setup_lines(result: BatchTrace) -> list[str]:
    net = result.network
    loss_text = (
        r"$L = \frac1n \sum_i -\log \hat y_{i,\text{true}}$ (cross-entropy)"
        if net.loss == "cross_entropy"
        else r"$L = \frac1n \sum_i \tfrac12 \sum_k (\hat y_{ik} - y_{ik})^2$ (mean squared error)"
    )
    return [
        f"A batch of $n = {result.rows}$ rows goes through the network together. Rows are "
        "examples and vectors are rows, as in the engine: one layer computes "
        "$Z = XW + \\mathbf 1 b$ for the whole batch ($W$ is inputs × units, $\\mathbf 1 b$ "
        "adds the bias row to every row). Notes that use column vectors stack the examples "
        "as columns and write $Z = WX + b$ with the transposed matrices.",
        _display("X =", matrix(result.inputs), r",\quad Y =", matrix(result.targets)),
        _display(
            "W^{(1)} =",
            matrix(net.hidden_weights),
            r",\ b^{(1)} =",
            matrix(net.hidden_biases),
            r",\quad W^{(2)} =",
            matrix(net.output_weights),
            r",\ b^{(2)} =",
            matrix(net.output_biases),
        ),
        f"The loss is the mean over the rows: {loss_text}. Every number is rounded to "
        f"{DIGITS} decimals and computed from the rounded numbers shown before it.",
    ]


def _hidden_forward_lines(result: BatchTrace) -> list[str]:
    net, x = result.network, result.inputs
    return [
        _display(
            r"Z^{(1)} = X W^{(1)} + \mathbf 1 b^{(1)} =",
            matrix(x),
            matrix(net.hidden_weights),
            "+",
            matrix(net.hidden_biases),
            "=",
            matrix(result.hidden_z),
        ),
        "Row 1, unit 1 by hand: "
        f"$z_{{11}} = {_n(x[0, 0])}\\cdot{_n(net.hidden_weights[0, 0])} + "
        f"{_n(x[0, 1])}\\cdot{_n(net.hidden_weights[1, 0])} + {_n(net.hidden_biases[0])} = "
        f"{_v(result.hidden_z[0, 0])}$",
        _display(
            f"A^{{(1)}} = {_applied(net.hidden_activation, 'Z^{(1)}')} =", matrix(result.hidden_a)
        ),
    ]


def _output_forward_lines(result: BatchTrace) -> list[str]:
    net, a = result.network, result.hidden_a
    terms = " + ".join(
        f"{_n(a[0, j])}\\cdot{_n(net.output_weights[j, 0])}" for j in range(net.hidden_units)
    )
    name = net.output_activation
    applied = (
        r"\operatorname{softmax}_{\text{rows}}(Z^{(2)})"
        if name == "softmax"
        else _applied(name, "Z^{(2)}")
    )
    return [
        _display(
            r"Z^{(2)} = A^{(1)} W^{(2)} + \mathbf 1 b^{(2)} =",
            matrix(a),
            matrix(net.output_weights),
            "+",
            matrix(net.output_biases),
            "=",
            matrix(result.output_z),
        ),
        f"Row 1, output 1 by hand: $z_{{11}} = {terms} + {_n(net.output_biases[0])} = "
        f"{_v(result.output_z[0, 0])}$",
        _display(f"\\hat Y = {applied} =", matrix(result.output_a)),
    ]


def _loss_lines(result: BatchTrace) -> list[str]:
    losses = " + ".join(_v(value) for value in result.row_losses)
    return [
        _display(r"\ell = \text{each row's loss} =", matrix(result.row_losses)),
        f"$L = ({losses}) / {result.rows} = {_v(result.loss)}$",
    ]


def _output_delta_lines(result: BatchTrace) -> list[str]:
    y, a = result.targets, result.output_a
    if result.network.loss == "cross_entropy":
        return [
            "With softmax and cross-entropy the output error is simply "
            r"$\Delta^{(2)} = \hat Y - Y$, one row per example:",
            _display(
                r"\Delta^{(2)} = \hat Y - Y =",
                matrix(a),
                "-",
                matrix(y),
                "=",
                matrix(result.output_delta),
            ),
            f"Row 1, output 1: $\\delta_{{11}} = {_v(a[0, 0])} - {_n(y[0, 0])} = "
            f"{_v(result.output_delta[0, 0])}$",
        ]
    slope = _SLOPE_TEX[result.network.output_activation]
    return [
        r"$\Delta^{(2)} = (\hat Y - Y) \odot g'(Z^{(2)})$, $\odot$ multiplying entry by entry, "
        f"with $g'(z) = {slope}$:",
        _display(
            r"\Delta^{(2)} = \left(",
            matrix(a),
            "-",
            matrix(y),
            r"\right) \odot",
            matrix(result.output_slope),
            "=",
            matrix(result.output_delta),
        ),
        f"Row 1, output 1: $\\delta_{{11}} = ({_v(a[0, 0])} - {_n(y[0, 0])})\\cdot "
        f"{_v(result.output_slope[0, 0])} = {_v(result.output_delta[0, 0])}$",
    ]


def _hidden_delta_lines(result: BatchTrace) -> list[str]:
    net, d = result.network, result.output_delta
    terms = " + ".join(
        f"{_n(d[0, k])}\\cdot{_n(net.output_weights[0, k])}" for k in range(net.outputs)
    )
    slope = _SLOPE_TEX[net.hidden_activation]
    return [
        r"$\Delta^{(1)} = (\Delta^{(2)} W^{(2)\top}) \odot g'(Z^{(1)})$: each row's output "
        "errors flow back through the transposed weights, then meet the hidden slopes "
        f"$g'(z) = {slope}$.",
        _display(
            r"\Delta^{(2)} W^{(2)\top} =",
            matrix(d),
            matrix(net.output_weights.T),
            "=",
            matrix(result.hidden_error),
        ),
        _display(
            r"\Delta^{(1)} =",
            matrix(result.hidden_error),
            r"\odot",
            matrix(result.hidden_slope),
            "=",
            matrix(result.hidden_delta),
        ),
        f"Row 1, unit 1: $({terms})\\cdot{_v(result.hidden_slope[0, 0])} = "
        f"{_v(result.hidden_error[0, 0])}\\cdot{_v(result.hidden_slope[0, 0])} = "
        f"{_v(result.hidden_delta[0, 0])}$",
    ]


def _gradient_lines(result: BatchTrace) -> list[str]:
    n, x, a = result.rows, result.inputs, result.hidden_a
    fraction = f"\\tfrac1{{{n}}}"
    hidden_terms = " + ".join(
        f"{_n(x[i, 0])}\\cdot{_n(result.hidden_delta[i, 0])}" for i in range(n)
    )
    output_terms = " + ".join(
        f"{_n(a[i, 0])}\\cdot{_n(result.output_delta[i, 0])}" for i in range(n)
    )
    return [
        r"$\partial L/\partial W = A_{\text{in}}^\top \Delta / n$: the sum over the rows of "
        "each row's single-example gradient, divided by $n$; a bias's gradient is its "
        "column of $\\Delta$ summed over the rows, divided by $n$.",
        _display(
            r"\partial L/\partial W^{(2)} = \tfrac1n A^{(1)\top}\Delta^{(2)} =",
            fraction,
            matrix(a.T),
            matrix(result.output_delta),
            "=",
            matrix(result.grad_output_weights),
        ),
        f"Entry (1, 1) by hand: $[{output_terms}]/{n} = {_v(result.grad_output_weights[0, 0])}$",
        _display(
            r"\partial L/\partial b^{(2)} = \tfrac1n \mathbf 1^\top \Delta^{(2)} =",
            matrix(result.grad_output_biases),
        ),
        _display(
            r"\partial L/\partial W^{(1)} = \tfrac1n X^\top\Delta^{(1)} =",
            fraction,
            matrix(x.T),
            matrix(result.hidden_delta),
            "=",
            matrix(result.grad_hidden_weights),
        ),
        f"Entry (1, 1) by hand: $[{hidden_terms}]/{n} = {_v(result.grad_hidden_weights[0, 0])}$",
        _display(
            r"\partial L/\partial b^{(1)} = \tfrac1n \mathbf 1^\top \Delta^{(1)} =",
            matrix(result.grad_hidden_biases),
        ),
    ]


def _step_lines(result: BatchTrace) -> list[str]:
    eta, new, old = _v(result.learning_rate), result.updated, result.network
    return [
        f"One step for the whole batch: $W \\leftarrow W - \\eta\\,\\partial L/\\partial W$ "
        f"with $\\eta = {eta}$ (the biases likewise).",
        _display(
            r"W^{(1)} \leftarrow",
            matrix(old.hidden_weights),
            f"- {eta}",
            matrix(result.grad_hidden_weights),
            "=",
            matrix(new.hidden_weights),
        ),
        _display(
            r"W^{(2)} \leftarrow",
            matrix(old.output_weights),
            f"- {eta}",
            matrix(result.grad_output_weights),
            "=",
            matrix(new.output_weights),
        ),
        f"For example $w^{{(1)}}_{{11}}: {_v(old.hidden_weights[0, 0])} - {eta}\\cdot"
        f"{_n(result.grad_hidden_weights[0, 0])} = {_v(new.hidden_weights[0, 0])}$.",
        f"With the new weights the mean loss on this batch goes from {_v(result.loss)} to "
        f"**{_v(result.loss_after_step)}**.",
    ]


_PHASES = (
    ("The batch and the network", _setup_lines),
    ("Forward: the hidden layer, all rows at once", _hidden_forward_lines),
    ("Forward: the output layer", _output_forward_lines),
    ("The loss: the mean over the rows", _loss_lines),
    ("Backward: Δ of the outputs", _output_delta_lines),
    ("Backward: Δ of the hidden layer", _hidden_delta_lines),
    ("Gradients: Xᵀ Δ / n", _gradient_lines),
    ("One SGD step for the batch", _step_lines),
)
BATCH_PHASES = tuple(title for title, _ in _PHASES)


def batch_phase_lines(result: BatchTrace, phase: int) -> list[str]:
    """Markdown (with $…$ and $$…$$ LaTeX) explaining one phase with the numbers of the pass
    done by hand (``hand_batch_trace``), whose arithmetic checks out."""
    shown = result if result.digits is not None else hand_batch_trace(result)
    return _PHASES[phase][1](shown)
