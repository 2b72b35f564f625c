"""Compiled kernels: forward, backward, optimiser steps, whole training epochs.

Memory layout (built by ``engine.model.Model``; the entry kernels take these arrays in the
named tuples defined below, ``ModelArrays``, ``OptimizerArrays``, ``TrainingData``,
``Workspace``, ``Backup``, and their settings in ``TrainingSettings``):

* ``params``: every weight and bias in one flat float64 vector, *padded*: layer l's
  weights are ``weights[l, :fan_in, :fan_out]`` of a (n_layers, lanes, lanes) view and
  its biases ``biases[l, :fan_out]`` of a (n_layers, lanes) view, both sharing
  ``params``' memory (``lanes`` = 8 or 16).  Padding entries are zero and stay zero
  (their gradients are 0: padding weights and padding δ are 0), so the optimiser can sweep
  the flat vector and the hot loops can sweep whole blocks of eight lanes.  A model with
  batch normalisation has γ, β, running mean and running variance after the biases
  (``ModelArrays.norm``, a (4, n_layers, lanes) view; (4, 0, lanes) without).
* ``layout``: int64 (n_layers, 3); row l = (fan_in, fan_out, activation_code).
* A mini-batch's activations: ``acts`` (n_layers + 1, rows, lanes), the input features in
  ``acts[0]``; ``deltas`` (dL/dz) and dropout ``masks`` share that shape.

Numba compiles a named tuple's field access exactly like an index into a tuple, and runs
the same code as plain Python with ``NUMBA_DISABLE_JIT=1`` (see engine/jit.py).  Calling
an entry kernel from Python costs ~1 µs more per named tuple than per plain tuple (Numba
types plain tuples in C, named ones in Python): ~6 µs per ``Trainer.train`` call.  The
per-batch kernels take the arrays one by one: an array taken out of a tuple costs a
reference-count update, so ``train_epochs`` unpacks each tuple once, before its loops.

Why this shape: the batch goes through the network *layer by layer* (all rows through
layer l, then l + 1), so the activation of a whole layer is one contiguous block that a
single vectorised loop maps through ``fast_tanh``; and every index is a ``range`` counter
into a multi-dimensional array, which LLVM can prove non-negative, so Numba's
negative-index wraparound never blocks vectorisation.  Fixed-size padded views also
avoid creating array views inside the loops (each costs ~20 ns, more than the maths of a
small layer).  Within a layer, the dense, weight-gradient and δ loops keep eight running
sums per block of lanes in scalars, which LLVM's SLP vectoriser packs into vector
instructions (``@kernel(slp=True)``, engine/jit.py; unsigned lane offsets, see ``LANE_1``).
docs/benchmarks.md has the numbers.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .activations import (
    ELU,
    ELU_ALPHA,
    LEAKY_RELU,
    LEAKY_SLOPE,
    RELU,
    SIGMOID,
    SOFTMAX,
    SOFTPLUS,
    TANH,
    derivative_from_output,
    fast_tanh,
)
from .jit import kernel
from .schedules import Schedule, rate_multiplier

# Lanes per register block in the dense loops (padded widths are multiples of it).
BLOCK = 8
# Unsigned lane offsets for the blocked loops.  With a signed index ``b + 3`` Numba emits
# a negative-index wraparound select that hides from LLVM that lanes b … b+7 are adjacent,
# and the eight running sums stay scalar (measured 4.5× slower for a 10-row 8 → 8 layer).
# Unsigned indices have no wraparound, so SLP turns each group of eight into one vector.
LANE_1, LANE_2, LANE_3, LANE_4, LANE_5, LANE_6, LANE_7 = (np.uint64(k) for k in range(1, BLOCK))

# Loss codes (see engine.losses for names).
MSE = 0
MAE = 1
BCE = 2
CROSS_ENTROPY = 3

# Optimiser codes (see engine.optimizers for names).
SGD = 0
MOMENTUM = 1
NESTEROV = 2
ADAGRAD = 3
RMSPROP = 4
ADAM = 5
ADADELTA = 6

# What ``train_epochs`` does (``settings.mode``).  One entry point for all three keeps
# the compiled code in one place: each separately compiled caller re-optimises and
# re-emits its own copy of the forward and backward passes (seconds of cold compile).
TRAIN = 0  # mini-batch training epochs
EVALUATE = 1  # only the evaluation at the end of the (single) epoch
GRADIENTS = 2  # one full batch: loss and gradients, no update

# Columns of the per-epoch ``metrics`` table the training kernel fills.
TRAIN_LOSS = 0
TEST_LOSS = 1
TRAIN_ACCURACY = 2
TEST_ACCURACY = 3
DEAD_FRACTION = 4
BATCH_LOSS = 5
CLIPPED_FRACTION = 6  # fraction of the epoch's mini-batches whose gradient was clipped
N_METRICS = 7

# Status codes returned by the training kernel.
OK = 0
DIVERGED_LOSS = 1
DIVERGED_PARAMETERS = 2

# How ``forward_batch`` batch-normalises hidden layers (models with batch normalisation).
NORM_RUNNING = 0  # evaluation: the running mean and variance
NORM_BATCH = 1  # training: the batch's mean and (biased) variance, running statistics kept
NORM_UPDATE = 2  # training: as NORM_BATCH, and the running statistics move towards the batch's
# Rows of ``ModelArrays.norm`` (engine.model.NORM_ARRAYS) and PyTorch's BatchNorm1d defaults.
GAMMA, BETA, RUNNING_MEAN, RUNNING_VAR = 0, 1, 2, 3
NORM_EPSILON = 1e-5
NORM_MOMENTUM = 0.1

# Columns of ``layout``.
FAN_IN = 0
FAN_OUT = 1
ACTIVATION = 2


class ModelArrays(NamedTuple):
    """A model's arrays, as the kernels take them (``Model.kernel_arrays``)."""

    params: np.ndarray  # (n_parameters,) every weight and bias, padded, in one vector
    weights: np.ndarray  # (n_layers, lanes, lanes) view of params; layer l: [l, :fan_in, :fan_out]
    biases: np.ndarray  # (n_layers, lanes) view of params; layer l: [l, :fan_out]
    layout: np.ndarray  # int64 (n_layers, 3): fan_in, fan_out, activation code of each layer
    decay_mask: np.ndarray  # like params: 1 for a weight, 0 for a bias (never regularised)
    # (4, n_layers, lanes) view of params' tail: γ, β, running mean, running variance of each
    # batch-normalised hidden layer; (4, 0, lanes) for a model without batch normalisation.
    norm: np.ndarray


class OptimizerArrays(NamedTuple):
    """The gradient buffers and the optimiser's state, all shaped like the parameters."""

    gradients: np.ndarray  # like params: the mini-batch's gradient (then the step, in place)
    gradient_weights: np.ndarray  # (n_layers, lanes, lanes) view of gradients
    gradient_biases: np.ndarray  # (n_layers, lanes) view of gradients
    first_moment: np.ndarray  # like params: momentum's velocity, Adam's m, AdaDelta's E[Δ²]
    second_moment: np.ndarray  # like params: AdaGrad's G, RMSprop's / Adam's v, AdaDelta's E[g²]
    step_counter: np.ndarray  # int64 (1,): optimiser steps taken (Adam's t)
    gradient_norm: np.ndarray  # (4, n_layers or 0, lanes) view of gradients: ∂L/∂γ, ∂L/∂β, 0, 0


class TrainingData(NamedTuple):
    """The data sets of one call; the test set may have no rows."""

    train_inputs: np.ndarray  # (n, n_inputs)
    train_targets: np.ndarray  # (n, n_outputs)
    test_inputs: np.ndarray  # (n_test, n_inputs)
    test_targets: np.ndarray  # (n_test, n_outputs)
    order: np.ndarray  # int64 (n,): the training rows in this epoch's order (shuffled in place)
    stored_order: np.ndarray  # int64 (max(n, n_test),): 0, 1, 2, …: rows as they are stored


class Workspace(NamedTuple):
    """Scratch arrays for ``rows`` rows at a time (``Model.workspace``)."""

    acts: np.ndarray  # (n_layers + 1, rows, lanes): input features, then each layer's output
    deltas: np.ndarray  # (n_layers + 1, rows, lanes): dL/dz of each layer
    masks: np.ndarray  # (n_layers + 1, rows, lanes): dropout factors, 0 or 1/keep
    logits: np.ndarray  # (rows, lanes): the output layer's z, for stable losses
    flat_acts: np.ndarray  # (n_layers + 1, rows · lanes) view of acts: whole-layer loops
    transposed: np.ndarray  # (lanes, lanes): scratch for one layer's Wᵀ
    alive: np.ndarray  # bool (n_layers, lanes): the unit was active on some training row
    normed: np.ndarray  # like acts (batch normalisation only, else (1, 1, lanes)): x̂ per layer
    inv_std: np.ndarray  # (n_layers + 1, lanes): 1/√(σ² + ε) of each layer's batch


class Backup(NamedTuple):
    """Copies taken at the start of each epoch, restored if that epoch diverges."""

    params: np.ndarray
    first_moment: np.ndarray
    second_moment: np.ndarray


class TrainingSettings(NamedTuple):
    """What ``train_epochs`` is asked to do, besides the arrays and the epoch count.

    Build it with these exact Python types (int, bool, float): each combination of
    types is a separate compiled signature.
    """

    mode: int  # TRAIN, EVALUATE or GRADIENTS
    loss_code: int  # MSE, MAE, BCE or CROSS_ENTROPY
    optimizer_code: int  # SGD … ADAM
    batch_size: int  # rows per mini-batch (≤ the workspace's rows)
    shuffle: bool  # shuffle ``order`` before each epoch
    evaluate_every: int  # evaluate the full sets every this many epochs (and after the last)
    learning_rate: float
    l1: float  # L1 regularisation strength (0: off)
    l2: float  # L2 regularisation strength (0: off)
    momentum: float  # μ of momentum and Nesterov
    beta1: float  # Adam's β₁
    beta2: float  # Adam's β₂
    rho: float  # RMSprop's ρ
    epsilon: float  # AdaGrad's, RMSprop's and Adam's ε
    clip_norm: float  # largest global gradient norm (0: no clipping)
    dropout: float  # probability of dropping a hidden unit (0: no dropout)
    class_threshold: float  # a single output ≥ it is class 1
    weight_decay: float  # decoupled (AdamW-style) weight decay λ: w ← w − η λ w (0: off)
    # The learning-rate schedule: epoch → multiplier of ``learning_rate`` (engine.schedules),
    # and the epochs trained before this call, where the schedule's count continues.
    schedule: Schedule
    first_epoch: int


# ---------------------------------------------------------------- forward pass


@kernel
def load_rows(inputs, order, start, rows, acts):
    """acts[0, s, :k] = inputs[order[start + s]] for the rows of one mini-batch."""
    width = inputs.shape[1]
    for s in range(rows):
        source = order[start + s]
        for j in range(width):
            acts[0, s, j] = inputs[source, j]


@kernel(slp=True)
def dense_forward(weights, biases, layout, layer, acts, rows, width):
    """z = a_prev · W + b for ``rows`` rows, written to acts[layer + 1][:, :width].

    .. math:: z^{(l)} = a^{(l-1)} W^{(l)} + b^{(l)}

    Hidden layers pass width = lanes: every lane is written (padding lanes get 0 from the
    zero padding), so the block can be activated as one contiguous run and the inner loop
    has the fixed lane count.  The output layer passes its true width (often 1).
    Indexing is direct (no views): each view costs a reference-count update.
    """
    fan_in = layout[layer, FAN_IN]
    if width % BLOCK == 0:
        # Eight running sums per block of lanes, kept in registers: LLVM packs them into
        # one AVX-512 (or two AVX2) vector FMA per input.  Accumulating in ``acts`` instead
        # made every step a store → load round trip, and a runtime lane count made LLVM
        # guard each 8-wide loop with alias checks and a scalar remainder.
        for s in range(rows):
            for block in range(0, width, BLOCK):
                b = np.uint64(block)
                z0 = biases[layer, b]
                z1 = biases[layer, b + LANE_1]
                z2 = biases[layer, b + LANE_2]
                z3 = biases[layer, b + LANE_3]
                z4 = biases[layer, b + LANE_4]
                z5 = biases[layer, b + LANE_5]
                z6 = biases[layer, b + LANE_6]
                z7 = biases[layer, b + LANE_7]
                for i in range(fan_in):
                    a = acts[layer, s, i]
                    z0 += a * weights[layer, i, b]
                    z1 += a * weights[layer, i, b + LANE_1]
                    z2 += a * weights[layer, i, b + LANE_2]
                    z3 += a * weights[layer, i, b + LANE_3]
                    z4 += a * weights[layer, i, b + LANE_4]
                    z5 += a * weights[layer, i, b + LANE_5]
                    z6 += a * weights[layer, i, b + LANE_6]
                    z7 += a * weights[layer, i, b + LANE_7]
                acts[layer + 1, s, b] = z0
                acts[layer + 1, s, b + LANE_1] = z1
                acts[layer + 1, s, b + LANE_2] = z2
                acts[layer + 1, s, b + LANE_3] = z3
                acts[layer + 1, s, b + LANE_4] = z4
                acts[layer + 1, s, b + LANE_5] = z5
                acts[layer + 1, s, b + LANE_6] = z6
                acts[layer + 1, s, b + LANE_7] = z7
        return
    for s in range(rows):  # the output layer's few true units
        for j in range(width):
            total = biases[layer, j]
            for i in range(fan_in):
                total += acts[layer, s, i] * weights[layer, i, j]
            acts[layer + 1, s, j] = total


@kernel
def activate_rows(code, flat_acts, layer, count):
    """a = g(z) in place over flat_acts[layer, :count] (a layer's rows × lanes, contiguous).

    One long loop per activation, the branch on ``code`` outside: the tanh and sigmoid
    loops vectorise.  (A single loop over the generic ``activate`` made LLVM emit a
    vectorised copy of every branch: seconds of compile time for rarely used code.)
    """
    if code == TANH:
        for k in range(count):
            flat_acts[layer, k] = fast_tanh(flat_acts[layer, k])
    elif code == RELU:
        for k in range(count):
            flat_acts[layer, k] = max(flat_acts[layer, k], 0.0)
    elif code == SIGMOID:
        for k in range(count):
            flat_acts[layer, k] = 0.5 + 0.5 * fast_tanh(0.5 * flat_acts[layer, k])
    elif code == LEAKY_RELU:
        for k in range(count):
            z = flat_acts[layer, k]
            flat_acts[layer, k] = z if z > 0.0 else LEAKY_SLOPE * z
    elif code == ELU:
        for k in range(count):
            z = flat_acts[layer, k]
            flat_acts[layer, k] = z if z > 0.0 else ELU_ALPHA * math.expm1(z)
    elif code == SOFTPLUS:
        for k in range(count):
            z = flat_acts[layer, k]
            flat_acts[layer, k] = max(z, 0.0) + math.log1p(math.exp(-abs(z)))


@kernel
def softmax_rows(block, rows, width):
    """Row-wise softmax of block[:rows, :width] in place, shifted by the row maximum.

    .. math:: p_j = e^{o_j - \\max o} / \\sum_k e^{o_k - \\max o}
    """
    for s in range(rows):
        top = block[s, 0]
        for j in range(1, width):
            top = max(top, block[s, j])
        total = 0.0
        for j in range(width):
            e = math.exp(block[s, j] - top)
            block[s, j] = e
            total += e
        for j in range(width):
            block[s, j] /= total


@kernel
def apply_dropout(block, mask, rows, width, keep, rng_state):
    """Inverted dropout: zero each unit with probability 1-keep, scale survivors by 1/keep.

    ``mask`` records the factor (0 or 1/keep) for the backward pass.
    """
    scale = 1.0 / keep
    for s in range(rows):
        for j in range(width):
            factor = scale if next_uniform(rng_state) < keep else 0.0
            mask[s, j] = factor
            block[s, j] *= factor


@kernel
def batchnorm_forward(acts, layer, rows, lanes, norm, normed, inv_std, norm_mode):
    """Batch normalisation of hidden layer ``layer``'s z in acts[layer + 1], in place.

    .. math:: \\hat z = (z - \\mu) / \\sqrt{\\sigma^2 + \\epsilon},\\quad
              y = \\gamma \\hat z + \\beta

    Training (NORM_BATCH, NORM_UPDATE): μ and the biased σ² of the batch's rows; x̂ goes
    to ``normed`` and 1/√(σ² + ε) to ``inv_std`` for the backward pass.  NORM_UPDATE also
    moves the running statistics as PyTorch's BatchNorm1d does, the variance unbiased:
    r ← (1 − m) r + m · stat, m = NORM_MOMENTUM; a one-row batch has no unbiased variance
    and leaves them unchanged (its σ² is 0, so every ẑ is 0 and the layer outputs β).
    Evaluation (NORM_RUNNING): μ and σ² are the running ones.  Padding lanes have z = 0,
    γ = β = 0 and stay 0.
    """
    if norm_mode == NORM_RUNNING:
        for j in range(lanes):
            mean = norm[RUNNING_MEAN, layer, j]
            scale = norm[GAMMA, layer, j] / math.sqrt(norm[RUNNING_VAR, layer, j] + NORM_EPSILON)
            shift = norm[BETA, layer, j]
            for s in range(rows):
                acts[layer + 1, s, j] = (acts[layer + 1, s, j] - mean) * scale + shift
        return
    for j in range(lanes):
        total = 0.0
        for s in range(rows):
            total += acts[layer + 1, s, j]
        mean = total / rows
        squares = 0.0
        for s in range(rows):
            d = acts[layer + 1, s, j] - mean
            squares += d * d
        variance = squares / rows
        inverse = 1.0 / math.sqrt(variance + NORM_EPSILON)
        inv_std[layer + 1, j] = inverse
        gamma, beta = norm[GAMMA, layer, j], norm[BETA, layer, j]
        for s in range(rows):
            x_hat = (acts[layer + 1, s, j] - mean) * inverse
            normed[layer + 1, s, j] = x_hat
            acts[layer + 1, s, j] = gamma * x_hat + beta
        if norm_mode == NORM_UPDATE and rows > 1:
            unbiased = squares / (rows - 1)
            norm[RUNNING_MEAN, layer, j] += NORM_MOMENTUM * (mean - norm[RUNNING_MEAN, layer, j])
            norm[RUNNING_VAR, layer, j] += NORM_MOMENTUM * (unbiased - norm[RUNNING_VAR, layer, j])


@kernel
def batchnorm_backward(deltas, layer, rows, lanes, norm, grad_norm, normed, inv_std):
    """Turn dL/dy in deltas[layer] (y: hidden layer ``layer - 1``'s normalised output) into
    dL/dz, and write ∂L/∂γ and ∂L/∂β of that layer to ``grad_norm``.

    .. math:: \\frac{\\partial L}{\\partial \\gamma} = \\textstyle\\sum_s \\delta_s \\hat z_s,\\
              \\frac{\\partial L}{\\partial \\beta} = \\sum_s \\delta_s,\\
              \\frac{\\partial L}{\\partial z_s} = \\frac{\\gamma}{N\\sqrt{\\sigma^2+\\epsilon}}
              \\bigl(N \\delta_s - \\sum_r \\delta_r - \\hat z_s \\sum_r \\delta_r \\hat z_r\\bigr)

    (δ already carries the batch's 1/N, so these are batch means as the other gradients.)
    """
    hidden = layer - 1
    for j in range(lanes):
        sum_delta = 0.0
        sum_delta_x = 0.0
        for s in range(rows):
            d = deltas[layer, s, j]
            sum_delta += d
            sum_delta_x += d * normed[layer, s, j]
        grad_norm[GAMMA, hidden, j] = sum_delta_x
        grad_norm[BETA, hidden, j] = sum_delta
        factor = norm[GAMMA, hidden, j] * inv_std[layer, j] / rows
        for s in range(rows):
            deltas[layer, s, j] = factor * (
                rows * deltas[layer, s, j] - sum_delta - normed[layer, s, j] * sum_delta_x
            )


@kernel
def forward_batch(
    weights,
    biases,
    layout,
    acts,
    flat_acts,
    rows,
    logits,
    masks,
    keep,
    rng_state,
    norm,
    normed,
    inv_std,
    norm_mode,
):
    """Forward pass of ``rows`` rows already loaded into acts[0].

    Keeps the output layer's z in ``logits`` (for stable losses).  With keep < 1, hidden
    activations get inverted dropout (training only).  The per-batch kernels index
    ``acts[layer, s, j]`` directly instead of taking views: each view (or array taken
    out of a tuple) costs a reference-count update, ~8 % of a batch in all.  A model
    with batch normalisation (``norm`` has rows) normalises each hidden layer's z before
    its activation, as ``norm_mode`` says (see ``batchnorm_forward``).
    """
    n_layers = layout.shape[0]
    lanes = acts.shape[2]
    normalised = norm.shape[1] > 0
    for layer in range(n_layers - 1):
        dense_forward(weights, biases, layout, layer, acts, rows, lanes)
        if normalised:
            batchnorm_forward(acts, layer, rows, lanes, norm, normed, inv_std, norm_mode)
        activate_rows(layout[layer, ACTIVATION], flat_acts, layer + 1, rows * lanes)
        if keep < 1.0:
            apply_dropout(
                acts[layer + 1], masks[layer + 1], rows, layout[layer, FAN_OUT], keep, rng_state
            )
    last = n_layers - 1
    width = layout[last, FAN_OUT]
    dense_forward(weights, biases, layout, last, acts, rows, width)
    for s in range(rows):
        for j in range(width):
            logits[s, j] = acts[n_layers, s, j]
    code = layout[last, ACTIVATION]
    if code == SOFTMAX:
        softmax_rows(acts[n_layers], rows, width)
    elif code == TANH:
        # Rows inner: with one output unit (the usual case) a loop over j would have one
        # step; over the rows it has ``rows`` independent ones, which LLVM vectorises.
        for j in range(width):
            for s in range(rows):
                acts[n_layers, s, j] = fast_tanh(acts[n_layers, s, j])
    elif code == SIGMOID:
        for s in range(rows):
            for j in range(width):
                acts[n_layers, s, j] = 0.5 + 0.5 * fast_tanh(0.5 * acts[n_layers, s, j])


# ---------------------------------------------------------------- losses


@kernel
def batch_loss(layout, acts, logits, targets, order, start, rows, loss_code):
    """Summed loss of the mini-batch whose targets are rows ``order[start:start+rows]``.

    ``acts[n_layers]`` holds ŷ and ``logits`` the output layer's z (for stable losses):

    .. math:: \\mathrm{mse} = \\tfrac12\\lVert\\hat y - y\\rVert^2,\\
              \\mathrm{mae} = \\lVert\\hat y - y\\rVert_1,\\
              \\mathrm{bce} = \\max(z,0) - yz + \\log(1+e^{-|z|}),\\
              \\mathrm{ce} = \\log\\textstyle\\sum_k e^{z_k} - \\sum_j y_j z_j

    One loop per loss, the branch outside (a function per row cost a call each).
    """
    n_layers = layout.shape[0]
    width = layout[n_layers - 1, FAN_OUT]
    top = n_layers
    total = 0.0
    if loss_code == MSE:
        for s in range(rows):
            row = order[start + s]
            for j in range(width):
                d = acts[top, s, j] - targets[row, j]
                total += 0.5 * d * d
    elif loss_code == MAE:
        for s in range(rows):
            row = order[start + s]
            for j in range(width):
                total += abs(acts[top, s, j] - targets[row, j])
    elif loss_code == BCE:
        for s in range(rows):
            row = order[start + s]
            for j in range(width):
                z = logits[s, j]
                total += max(z, 0.0) - targets[row, j] * z + math.log1p(math.exp(-abs(z)))
    else:
        for s in range(rows):
            row = order[start + s]
            top = logits[s, 0]
            for j in range(1, width):
                top = max(top, logits[s, j])
            log_sum = 0.0
            for j in range(width):
                log_sum += math.exp(logits[s, j] - top)
            log_sum = top + math.log(log_sum)
            for j in range(width):
                total += targets[row, j] * (log_sum - logits[s, j])
    return total


@kernel
def batch_output_delta(layout, acts, targets, order, start, rows, loss_code, deltas):
    """δ = dL/dz of the output layer for the mini-batch, averaged over its rows.

    Sigmoid+bce and softmax+cross-entropy fuse to ŷ - y.  Otherwise dL/dŷ goes through
    g'(z), or through the softmax Jacobian: δ_i = p_i (u_i - Σ_j p_j u_j).
    """
    n_layers = layout.shape[0]
    width = layout[n_layers - 1, FAN_OUT]
    out_code = layout[n_layers - 1, ACTIVATION]
    top = n_layers
    scale = 1.0 / rows
    fused = loss_code in (BCE, CROSS_ENTROPY)
    for s in range(rows):
        row = order[start + s]
        for j in range(width):
            d = acts[top, s, j] - targets[row, j]
            if loss_code == MAE:
                d = 1.0 if d > 0.0 else (-1.0 if d < 0.0 else 0.0)
            deltas[top, s, j] = d
    if fused:
        for s in range(rows):
            for j in range(width):
                deltas[top, s, j] *= scale
    elif out_code == SOFTMAX:
        for s in range(rows):
            weighted = 0.0
            for j in range(width):
                weighted += acts[top, s, j] * deltas[top, s, j]
            for j in range(width):
                deltas[top, s, j] = scale * acts[top, s, j] * (deltas[top, s, j] - weighted)
    elif out_code == TANH:  # the common case: derivative_from_output's formula, no branch
        for s in range(rows):
            for j in range(width):
                a = acts[top, s, j]
                deltas[top, s, j] *= scale * (1.0 - a * a)
    else:
        for s in range(rows):
            for j in range(width):
                deltas[top, s, j] *= scale * derivative_from_output(out_code, acts[top, s, j])


# ---------------------------------------------------------------- backward pass


@kernel(slp=True)
def backward_batch(
    weights,
    layout,
    acts,
    deltas,
    rows,
    grad_weights,
    grad_biases,
    masks,
    keep,
    transposed,
    norm,
    grad_norm,
    normed,
    inv_std,
):
    """Back-propagate δ from deltas[n_layers] and fill the gradient views.

    .. math:: \\frac{\\partial L}{\\partial W^{(l)}} = a^{(l-1)\\top} \\delta^{(l)},\\quad
              \\delta^{(l-1)} = (\\delta^{(l)} W^{(l)\\top}) \\odot g'(a^{(l-1)})

    δ already carries the 1/rows factor, so gradients are batch means.  Hidden layers
    sweep every padded lane in blocks of eight running sums held in registers (padding δ
    are 0, so padding gradients are 0); the output layer only its true units.
    ``transposed`` (lanes, lanes) is scratch for Wᵀ, which turns δ Wᵀ into the same
    running-sum form as the forward pass instead of one dot product per unit.  With batch
    normalisation (``norm`` has rows), ``batchnorm_backward`` turns each hidden layer's
    dL/dy into dL/dz and fills ``grad_norm`` (∂L/∂γ, ∂L/∂β).
    """
    last = layout.shape[0] - 1
    lanes = acts.shape[2]
    for layer in range(last, -1, -1):
        fan_in = layout[layer, FAN_IN]
        width = lanes if layer < last else layout[layer, FAN_OUT]
        blocked = width % BLOCK == 0
        if blocked:
            weight_gradients(acts, deltas, grad_weights, grad_biases, layer, rows, fan_in, width)
        else:
            for j in range(width):
                total = 0.0
                for s in range(rows):
                    total += deltas[layer + 1, s, j]
                grad_biases[layer, j] = total
            narrow_layer_backward(
                weights, acts, deltas, grad_weights, transposed, layer, rows, fan_in, width
            )
        if layer == 0:
            break
        prev_code = layout[layer - 1, ACTIVATION]
        if blocked:  # (narrow_layer_backward made the narrow layer's δ below)
            delta_below(weights, deltas, transposed, layer, rows, width)
        if keep < 1.0:
            # acts hold the dropped values m·g(z): δ gets the mask, g' needs g(z) itself.
            for s in range(rows):
                for i in range(fan_in):
                    factor = masks[layer, s, i]
                    a = acts[layer, s, i] / factor if factor > 0.0 else 0.0
                    deltas[layer, s, i] *= factor * derivative_from_output(prev_code, a)
        elif prev_code == TANH:  # the common case, branch-free so it vectorises
            for s in range(rows):
                for i in range(fan_in):
                    a = acts[layer, s, i]
                    deltas[layer, s, i] *= 1.0 - a * a
        else:
            for s in range(rows):
                for i in range(fan_in):
                    deltas[layer, s, i] *= derivative_from_output(prev_code, acts[layer, s, i])
        if norm.shape[1] > 0:
            batchnorm_backward(deltas, layer, rows, lanes, norm, grad_norm, normed, inv_std)


@kernel(slp=True)
def narrow_layer_backward(
    weights, acts, deltas, grad_weights, transposed, layer, rows, fan_in, width
):
    """∂L/∂W and the δ below for a layer narrower than BLOCK (the output layer, 1–7 units).

    The same sums as a plain loop over the units, in the same order (each starts at 0.0
    and adds one product per row, or per unit, in turn), so the same bits; but the
    ``fan_in`` side, not the output's 1–7 units, is the vectorised one: eight running
    sums per block of input lanes, which SLP packs (``weight_gradients`` does this for
    wide layers).  A plain loop over one output unit was a scalar chain per input:
    ~6 % of a 2-8-8-8-1 batch (perf, docs/benchmarks.md).

    Lanes past ``fan_in`` are summed too (their activations may be non-zero, sigmoid's
    0.5), but their weight gradients are not stored: padding gradients stay 0.  Their δ
    are stored: 0.0 + Σ 0·δ = 0.0 (padding weights are 0 and this δ is finite, or the
    loss was not), the value those lanes always hold.  ``transposed`` is scratch.
    """
    lanes = acts.shape[2]
    # Weight gradients, into transposed[j, :] first (consecutive stores for SLP).
    for j in range(width):
        for block in range(0, lanes, BLOCK):
            b = np.uint64(block)
            g0 = g1 = g2 = g3 = g4 = g5 = g6 = g7 = 0.0
            for s in range(rows):
                d = deltas[layer + 1, s, j]
                g0 += acts[layer, s, b] * d
                g1 += acts[layer, s, b + LANE_1] * d
                g2 += acts[layer, s, b + LANE_2] * d
                g3 += acts[layer, s, b + LANE_3] * d
                g4 += acts[layer, s, b + LANE_4] * d
                g5 += acts[layer, s, b + LANE_5] * d
                g6 += acts[layer, s, b + LANE_6] * d
                g7 += acts[layer, s, b + LANE_7] * d
            transposed[j, b] = g0
            transposed[j, b + LANE_1] = g1
            transposed[j, b + LANE_2] = g2
            transposed[j, b + LANE_3] = g3
            transposed[j, b + LANE_4] = g4
            transposed[j, b + LANE_5] = g5
            transposed[j, b + LANE_6] = g6
            transposed[j, b + LANE_7] = g7
        for i in range(fan_in):
            grad_weights[layer, i, j] = transposed[j, i]
    if layer > 0:
        delta_below(weights, deltas, transposed, layer, rows, width)


@kernel(slp=True)
def delta_below(weights, deltas, transposed, layer, rows, width):
    """δ of the layer below ``layer``, before g': δ_i = Σ_j w_ij δ_j over the layer's
    ``width`` units, for every lane i (wide and narrow layers alike).

    Wᵀ's first ``width`` rows go into ``transposed`` (scratch), which turns δ Wᵀ into the
    same running-sum form as the forward pass, eight lanes per block in registers, instead
    of one dot product per unit.  Each sum starts at 0.0 and adds one product per unit in
    turn.
    """
    lanes = deltas.shape[2]
    for j in range(width):
        for i in range(lanes):
            transposed[j, i] = weights[layer, i, j]
    for s in range(rows):
        for block in range(0, lanes, BLOCK):
            b = np.uint64(block)
            p0 = p1 = p2 = p3 = p4 = p5 = p6 = p7 = 0.0
            for j in range(width):
                d = deltas[layer + 1, s, j]
                p0 += transposed[j, b] * d
                p1 += transposed[j, b + LANE_1] * d
                p2 += transposed[j, b + LANE_2] * d
                p3 += transposed[j, b + LANE_3] * d
                p4 += transposed[j, b + LANE_4] * d
                p5 += transposed[j, b + LANE_5] * d
                p6 += transposed[j, b + LANE_6] * d
                p7 += transposed[j, b + LANE_7] * d
            deltas[layer, s, b] = p0
            deltas[layer, s, b + LANE_1] = p1
            deltas[layer, s, b + LANE_2] = p2
            deltas[layer, s, b + LANE_3] = p3
            deltas[layer, s, b + LANE_4] = p4
            deltas[layer, s, b + LANE_5] = p5
            deltas[layer, s, b + LANE_6] = p6
            deltas[layer, s, b + LANE_7] = p7


@kernel(slp=True)
def weight_gradients(acts, deltas, grad_weights, grad_biases, layer, rows, fan_in, width):
    """∂L/∂W = a^(l-1)ᵀ δ^(l) and ∂L/∂b = Σ_s δ^(l) for a layer whose width is a multiple
    of BLOCK.

    Eight running sums over the rows per block of lanes, in registers (SLP packs them
    into one vector).  A function of its own on purpose: inlined into the much larger
    backward pass, LLVM left the same loop scalar (measured 4× slower).  The bias sums
    are the same sums a loop per lane makes (0.0, then each row's δ in turn), as one
    register block: per lane they were a scalar chain, ~3.5 % of a 2-8-8-8-1 batch.
    """
    for block in range(0, width, BLOCK):
        b = np.uint64(block)
        t0 = t1 = t2 = t3 = t4 = t5 = t6 = t7 = 0.0
        for s in range(rows):
            t0 += deltas[layer + 1, s, b]
            t1 += deltas[layer + 1, s, b + LANE_1]
            t2 += deltas[layer + 1, s, b + LANE_2]
            t3 += deltas[layer + 1, s, b + LANE_3]
            t4 += deltas[layer + 1, s, b + LANE_4]
            t5 += deltas[layer + 1, s, b + LANE_5]
            t6 += deltas[layer + 1, s, b + LANE_6]
            t7 += deltas[layer + 1, s, b + LANE_7]
        grad_biases[layer, b] = t0
        grad_biases[layer, b + LANE_1] = t1
        grad_biases[layer, b + LANE_2] = t2
        grad_biases[layer, b + LANE_3] = t3
        grad_biases[layer, b + LANE_4] = t4
        grad_biases[layer, b + LANE_5] = t5
        grad_biases[layer, b + LANE_6] = t6
        grad_biases[layer, b + LANE_7] = t7
    for i in range(fan_in):
        for block in range(0, width, BLOCK):
            b = np.uint64(block)
            g0 = g1 = g2 = g3 = g4 = g5 = g6 = g7 = 0.0
            for s in range(rows):
                a = acts[layer, s, i]
                g0 += a * deltas[layer + 1, s, b]
                g1 += a * deltas[layer + 1, s, b + LANE_1]
                g2 += a * deltas[layer + 1, s, b + LANE_2]
                g3 += a * deltas[layer + 1, s, b + LANE_3]
                g4 += a * deltas[layer + 1, s, b + LANE_4]
                g5 += a * deltas[layer + 1, s, b + LANE_5]
                g6 += a * deltas[layer + 1, s, b + LANE_6]
                g7 += a * deltas[layer + 1, s, b + LANE_7]
            grad_weights[layer, i, b] = g0
            grad_weights[layer, i, b + LANE_1] = g1
            grad_weights[layer, i, b + LANE_2] = g2
            grad_weights[layer, i, b + LANE_3] = g3
            grad_weights[layer, i, b + LANE_4] = g4
            grad_weights[layer, i, b + LANE_5] = g5
            grad_weights[layer, i, b + LANE_6] = g6
            grad_weights[layer, i, b + LANE_7] = g7


# ---------------------------------------------------------------- optimiser step


@kernel
def clip_gradients(grads, clip_norm):
    """Scale all gradients so their global L2 norm is at most ``clip_norm`` (if > 0);
    True if they were scaled (a clipping event)."""
    if clip_norm <= 0.0:
        return False
    total = 0.0
    for p in range(grads.shape[0]):
        total += grads[p] * grads[p]
    norm = math.sqrt(total)
    if norm > clip_norm:
        scale = clip_norm / norm
        for p in range(grads.shape[0]):
            grads[p] *= scale
        return True
    return False


@kernel(fastmath={"reassoc"})
def optimizer_step(params, grads, first, second, decay_mask, settings, step, lr):
    """One optimiser step with learning rate ``lr`` (this epoch's: the schedule's multiplier
    times ``settings.learning_rate``) over the whole flat parameter vector; False if any
    result is non-finite.

    Regularisation touches weights only (``decay_mask``: 1 for a weight, 0 for a bias).
    L2 adds ``l2·w`` to the gradient, so an adaptive optimiser rescales it (coupled L2).
    L1 is TensorFlow Playground's separate step after the optimiser's (``nn.ts``
    ``updateWeights``): ``w′ = w − step``, then ``w″ = w′ − η·l1·sign(w)``; if that penalty
    step crosses zero (``w′·w″ < 0``) the weight becomes exactly 0 and stays there while L1
    is on (TF Playground marks the link dead; here a weight that is exactly 0 is frozen, so
    one that starts at 0, as with ``zeros``, never moves under L1).
    Weight decay is decoupled (AdamW): ``w ← w − η·weight_decay·w − step``, never rescaled.

    .. math:: \\text{sgd: } w \\leftarrow w - \\eta g;\\quad
              \\text{adam: } m \\leftarrow \\beta_1 m + (1-\\beta_1) g,\\
              v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2,\\
              w \\leftarrow w - \\eta\\,\\hat m / (\\sqrt{\\hat v} + \\epsilon),\\
              \\hat m = m / (1-\\beta_1^t),\\ \\hat v = v / (1-\\beta_2^t)

    The finiteness check is folded into a sum (NaN or ±inf times 0 is NaN) instead of a
    branch, so the loop vectorises.
    """
    optimizer_code = settings.optimizer_code
    l1 = settings.l1
    l2 = settings.l2
    mu = settings.momentum
    eps = settings.epsilon
    n = params.shape[0]
    # L2 joins the gradient first, so each rule below is one short loop.
    if l2 > 0.0:
        for p in range(n):
            grads[p] += decay_mask[p] * l2 * params[p]
    decay = lr * settings.weight_decay
    if optimizer_code == SGD and l1 <= 0.0 and decay <= 0.0:
        # Plain SGD (the common case) in one pass instead of two: the same lr·g, then the
        # same subtraction, so the same bits.
        check = 0.0
        for p in range(n):
            params[p] -= lr * grads[p]
            check += params[p] * 0.0
        return check == 0.0
    # Each rule turns ``grads`` into its step in place (the gradient is not needed after
    # this), then one loop moves the parameters: one copy of the L1 stop, not six.
    if optimizer_code == SGD:
        for p in range(n):
            grads[p] *= lr
    elif optimizer_code == MOMENTUM:
        for p in range(n):
            first[p] = mu * first[p] + grads[p]
            grads[p] = lr * first[p]
    elif optimizer_code == NESTEROV:
        for p in range(n):
            first[p] = mu * first[p] + grads[p]
            grads[p] = lr * (grads[p] + mu * first[p])
    elif optimizer_code == ADAGRAD:
        for p in range(n):
            second[p] += grads[p] * grads[p]
            grads[p] = lr * grads[p] / (math.sqrt(second[p]) + eps)
    elif optimizer_code == RMSPROP:
        rho = settings.rho
        for p in range(n):
            second[p] = rho * second[p] + (1.0 - rho) * grads[p] * grads[p]
            grads[p] = lr * grads[p] / (math.sqrt(second[p]) + eps)
    elif optimizer_code == ADADELTA:
        # Zeiler (2012), as torch.optim.Adadelta: E[g²] in ``second``, E[Δ²] in ``first``;
        # η only scales the step (1 is Zeiler's own rule).
        rho = settings.rho
        for p in range(n):
            second[p] = rho * second[p] + (1.0 - rho) * grads[p] * grads[p]
            delta = math.sqrt(first[p] + eps) / math.sqrt(second[p] + eps) * grads[p]
            first[p] = rho * first[p] + (1.0 - rho) * delta * delta
            grads[p] = lr * delta
    else:
        beta1 = settings.beta1
        beta2 = settings.beta2
        correction1 = 1.0 - beta1**step
        correction2 = 1.0 - beta2**step
        for p in range(n):
            first[p] = beta1 * first[p] + (1.0 - beta1) * grads[p]
            second[p] = beta2 * second[p] + (1.0 - beta2) * grads[p] * grads[p]
            grads[p] = lr * (first[p] / correction1) / (math.sqrt(second[p] / correction2) + eps)
    check = 0.0
    if l1 > 0.0:
        penalty = lr * l1
        for p in range(n):
            old = params[p]
            new = old - grads[p]
            if decay_mask[p] > 0.0:  # biases are never regularised
                sign = 1.0 if old > 0.0 else (-1.0 if old < 0.0 else 0.0)
                shrunk = new - penalty * sign
                # The penalty step crossed zero, or the weight was already clamped: 0.
                new = 0.0 if new * shrunk < 0.0 or old == 0.0 else shrunk
            params[p] = new
            check += new * 0.0
    elif decay > 0.0:
        for p in range(n):
            params[p] -= decay * decay_mask[p] * params[p] + grads[p]
            check += params[p] * 0.0
    else:
        for p in range(n):
            params[p] -= grads[p]
            check += params[p] * 0.0
    return check == 0.0


@kernel
def first_nonfinite_layer(model):
    """Index of the first layer holding a NaN or infinite weight or bias (-1 if none)."""
    weights, biases, layout = model.weights, model.biases, model.layout
    for layer in range(layout.shape[0]):
        for j in range(layout[layer, FAN_OUT]):
            if not math.isfinite(biases[layer, j]):
                return layer
            for i in range(layout[layer, FAN_IN]):
                if not math.isfinite(weights[layer, i, j]):
                    return layer
    return -1


@kernel(fastmath={"reassoc"})
def add_gradient_norms(grad_weights, layout, out, epoch_row):
    """Add each layer's weight-gradient L2 norm to out[epoch_row, layer].

    Called once per mini-batch.  Each input's row is swept over every lane (padding
    gradients are 0): a fixed-length loop that, with ``reassoc``, LLVM splits into vector
    sums, where a loop over the true units only would be one scalar chain of ~200 dependent
    additions per 2-8-8-8-1 batch (~3.5 % of its training time, docs/benchmarks.md).  Only
    the norms' last bits depend on the order (≤ 5e-16 relative); the training does not.
    """
    lanes = grad_weights.shape[2]
    for layer in range(layout.shape[0]):
        total = 0.0
        for i in range(layout[layer, FAN_IN]):  # indexed directly: a view per layer cost more
            for j in range(lanes):
                g = grad_weights[layer, i, j]
                total += g * g
        out[epoch_row, layer] += math.sqrt(total)


@kernel(fastmath={"reassoc"})
def add_delta_norms(deltas, layout, rows, out, epoch_row):
    """Add each layer's back-propagated error norm to out[epoch_row, n_layers + layer].

    δ in ``deltas`` carries the batch's 1/rows factor; times ``rows`` it is each row's own
    dℓ/dz, and the norm recorded is the root mean square over the rows of that row's
    L2 norm over the layer's units (independent of the batch size):

    .. math:: \\lVert\\delta^{(l)}\\rVert = \\sqrt{\\tfrac{1}{B}\\textstyle\\sum_s
              \\lVert B\\,\\delta^{(l)}_s\\rVert^2} = \\sqrt{B \\textstyle\\sum_{s,j}
              (\\delta^{(l)}_{sj})^2}

    Called for the epoch's last mini-batch only: once per batch, it cost ~9 % of a
    2-8-8-8-1 epoch's time (bench/engine.py, 10-row batches); once per epoch it is within
    noise, and a gradient-flow chart needs one value per epoch, not a mean. Every lane is
    swept (padding δ are 0, as are the output layer's unused lanes): a fixed-length loop
    that vectorises (``reassoc`` lets LLVM split the sum).
    """
    n_layers = layout.shape[0]
    lanes = deltas.shape[2]
    for layer in range(n_layers):
        total = 0.0
        for s in range(rows):
            for j in range(lanes):
                d = deltas[layer + 1, s, j]
                total += d * d
        out[epoch_row, n_layers + layer] += math.sqrt(rows * total)


# ---------------------------------------------------------------- random numbers


@kernel
def next_uniform(rng_state):
    """SplitMix64 step on ``rng_state[0]`` (uint64); returns a float in [0, 1).

    The state is an explicit array owned by one trainer, so sessions never share a stream.
    """
    rng_state[0] += np.uint64(0x9E3779B97F4A7C15)
    z = rng_state[0]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return float(z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@kernel
def shuffle_in_place(order, rng_state):
    """Fisher–Yates shuffle of an int64 array."""
    for i in range(order.shape[0] - 1, 0, -1):
        j = int(next_uniform(rng_state) * (i + 1))
        order[i], order[j] = order[j], order[i]


# ---------------------------------------------------------------- whole epochs


@kernel
def copy_all(source, target):
    """target[:] = source as a loop (Numba's slice assignment compiles to far more code)."""
    for i in range(source.shape[0]):
        target[i] = source[i]


@kernel(entry=True)
def train_epochs(
    model, optimizer, data, work, settings, rng_state, n_epochs, metrics, grad_norms, backup
):
    """Run up to ``n_epochs`` epochs of mini-batch training; one row of ``metrics`` and
    ``grad_norms`` per epoch (``grad_norms`` (rows, 2 · n_layers): each layer's mean
    weight-gradient norm over the epoch's mini-batches, then its ‖δ‖ in the epoch's last
    mini-batch, see ``add_delta_norms``).

    ``model`` is a ``ModelArrays``, ``optimizer`` an ``OptimizerArrays``, ``data`` a
    ``TrainingData``, ``work`` a ``Workspace``, ``settings`` a ``TrainingSettings`` and
    ``backup`` a ``Backup``; ``rng_state`` is the uint64 (1,) random state.  Every
    ``settings.evaluate_every`` epochs (and after the last) the full train and test sets
    are evaluated; other rows keep NaN.  At the first non-finite loss or parameter the
    parameters and optimiser state are restored to the start of that epoch (never
    half-NaN) and the kernel stops.  Returns (epochs completed, status, bad layer).

    ``settings.mode``: TRAIN as above; EVALUATE runs one epoch without batches (only
    the evaluation: ``Trainer.evaluate``); GRADIENTS runs one batch (all rows, in
    order) up to the gradients and returns them without an update
    (``loss_and_gradients``; the mean loss goes to ``metrics[0, BATCH_LOSS]``).

    The epoch and batch loops share one function on purpose: Numba re-optimises a
    callee's whole body inside every caller, so each extra level of calls above
    ``forward_batch`` added ~2 s to the cold compile.
    """
    params, weights, biases = model.params, model.weights, model.biases
    layout, decay_mask = model.layout, model.decay_mask
    grads, grad_weights = optimizer.gradients, optimizer.gradient_weights
    grad_biases, step_counter = optimizer.gradient_biases, optimizer.step_counter
    first, second = optimizer.first_moment, optimizer.second_moment
    inputs, targets, order = data.train_inputs, data.train_targets, data.order
    acts, deltas, masks, logits = work.acts, work.deltas, work.masks, work.logits
    flat_acts, transposed, alive = work.flat_acts, work.transposed, work.alive
    loss_code, batch_size, mode = settings.loss_code, settings.batch_size, settings.mode
    keep = 1.0 - settings.dropout
    norm, grad_norm = model.norm, optimizer.gradient_norm
    normed, inv_std = work.normed, work.inv_std
    # Batch statistics while training; only real training steps move the running ones.
    train_norm_mode = NORM_UPDATE if mode == TRAIN else NORM_BATCH
    running_norm_mode = NORM_RUNNING + 0 * mode  # not a literal: that would compile a 2nd copy
    n = inputs.shape[0]
    n_layers = layout.shape[0]
    out_width, threshold = layout[n_layers - 1, FAN_OUT], settings.class_threshold
    chunk = acts.shape[1]
    stored_order = data.stored_order
    for epoch in range(n_epochs):
        rate = settings.learning_rate * rate_multiplier(
            settings.schedule, settings.first_epoch + epoch
        )
        copy_all(params, backup.params)
        copy_all(first, backup.first_moment)
        copy_all(second, backup.second_moment)
        saved_step = step_counter[0]
        if settings.shuffle:
            shuffle_in_place(order, rng_state)
        status, bad_layer, loss_total, n_batches = OK, -1, 0.0, 0
        clipped = 0  # mini-batches whose gradient clip_gradients scaled down
        for start in range(0, n if mode != EVALUATE else 0, batch_size):
            rows = min(batch_size, n - start)
            load_rows(inputs, order, start, rows, acts)
            forward_batch(
                weights,
                biases,
                layout,
                acts,
                flat_acts,
                rows,
                logits,
                masks,
                keep,
                rng_state,
                norm,
                normed,
                inv_std,
                train_norm_mode,
            )
            loss_here = batch_loss(layout, acts, logits, targets, order, start, rows, loss_code)
            if not math.isfinite(loss_here):
                status, bad_layer = DIVERGED_LOSS, n_layers - 1
                break
            loss_total += loss_here
            n_batches += 1
            batch_output_delta(layout, acts, targets, order, start, rows, loss_code, deltas)
            backward_batch(
                weights,
                layout,
                acts,
                deltas,
                rows,
                grad_weights,
                grad_biases,
                masks,
                keep,
                transposed,
                norm,
                grad_norm,
                normed,
                inv_std,
            )
            if mode == GRADIENTS:
                metrics[epoch, BATCH_LOSS] = loss_here / rows
                return 1, OK, -1
            add_gradient_norms(grad_weights, layout, grad_norms, epoch)
            if start + batch_size >= n:  # the epoch's last mini-batch (see add_delta_norms)
                add_delta_norms(deltas, layout, rows, grad_norms, epoch)
            clipped += clip_gradients(grads, settings.clip_norm)
            step_counter[0] += 1
            if not optimizer_step(
                params, grads, first, second, decay_mask, settings, step_counter[0], rate
            ):
                status, bad_layer = DIVERGED_PARAMETERS, first_nonfinite_layer(model)
                break
        if status != OK:
            copy_all(backup.params, params)
            copy_all(backup.first_moment, first)
            copy_all(backup.second_moment, second)
            step_counter[0] = saved_step
            return epoch, status, bad_layer
        for layer in range(n_layers):
            grad_norms[epoch, layer] /= max(n_batches, 1)
        metrics[epoch, BATCH_LOSS] = loss_total / n
        metrics[epoch, CLIPPED_FRACTION] = clipped / max(n_batches, 1)
        if (epoch + 1) % settings.evaluate_every == 0 or epoch == n_epochs - 1:
            # Full-set loss and accuracy of the train set (which = 0) and the test set (1),
            # in chunks of the workspace's rows, no dropout; the dead-ReLU fraction of the
            # train set.  Written out here, not called: a separate function would be
            # compiled, optimised and emitted once more on its own (~1 s of cold compile).
            for which in range(2):
                set_inputs = data.train_inputs if which == 0 else data.test_inputs
                set_targets = data.train_targets if which == 0 else data.test_targets
                size = set_inputs.shape[0]
                total, correct = 0.0, 0
                if which == 0:  # dead units are a property of the training data
                    for layer in range(n_layers):
                        for j in range(alive.shape[1]):
                            alive[layer, j] = False
                for start in range(0, size, chunk):
                    rows = min(chunk, size - start)
                    load_rows(set_inputs, stored_order, start, rows, acts)
                    forward_batch(
                        weights,
                        biases,
                        layout,
                        acts,
                        flat_acts,
                        rows,
                        logits,
                        acts,
                        1.0,
                        rng_state,
                        norm,
                        normed,
                        inv_std,
                        running_norm_mode,
                    )
                    total += batch_loss(
                        layout, acts, logits, set_targets, stored_order, start, rows, loss_code
                    )
                    outputs = acts[n_layers]
                    for s in range(rows):
                        guess = predicted_class(outputs, s, out_width, threshold)
                        truth = predicted_class(set_targets, start + s, out_width, threshold)
                        correct += guess == truth
                    if which == 0:
                        mark_alive_units(layout, acts, rows, alive)
                if size == 0:
                    continue
                metrics[epoch, TRAIN_LOSS if which == 0 else TEST_LOSS] = total / size
                metrics[epoch, TRAIN_ACCURACY if which == 0 else TEST_ACCURACY] = correct / size
                if which == 0:
                    metrics[epoch, DEAD_FRACTION] = dead_relu_fraction(layout, alive)
    return n_epochs, OK, -1


# ---------------------------------------------------------------- evaluation


@kernel
def predicted_class(values, row, width, threshold):
    """Class of one row: argmax for several outputs, else 1 if the output ≥ threshold."""
    if width == 1:
        return 1 if values[row, 0] >= threshold else 0
    best = 0
    for j in range(1, width):
        if values[row, j] > values[row, best]:
            best = j
    return best


@kernel
def mark_alive_units(layout, acts, rows, alive):
    """Set alive[layer, unit] for every hidden unit with a positive output on some row."""
    for layer in range(layout.shape[0] - 1):
        for s in range(rows):
            for j in range(layout[layer, FAN_OUT]):
                if acts[layer + 1, s, j] > 0.0:
                    alive[layer, j] = True


@kernel
def dead_relu_fraction(layout, alive):
    """Fraction of ReLU and leaky ReLU hidden units that were never active (0 if there are
    none): z ≤ 0 on every training row.  A leaky unit there is not strictly dead (slope
    0.01), but it is negative everywhere, which is what a learning rate too large causes."""
    relu_units = 0
    dead = 0
    for layer in range(layout.shape[0] - 1):
        code = layout[layer, ACTIVATION]
        if code in (RELU, LEAKY_RELU):
            for j in range(layout[layer, FAN_OUT]):
                relu_units += 1
                dead += not alive[layer, j]
    return dead / relu_units if relu_units > 0 else 0.0


# ---------------------------------------------------------------- whole-set kernels


@kernel(entry=True)
def all_layer_outputs(model, out, n, n_inputs, chunk):
    """Every neuron's output for every point, feature-major, in place.

    ``model`` is a ``ModelArrays``; ``out`` is the flat (total units × n) row-major
    buffer: rows 0…n_inputs-1 hold the input features of the n points (one feature per
    row); the kernel fills the rows of every following layer.  Points are the *inner*
    dimension here (unlike training, whose batches are tiny): each weight is broadcast
    over a long contiguous run of points, which vectorises, and each layer's rows are
    exactly the per-neuron heat maps.  Points go in chunks of ``chunk`` so the working
    rows stay cache-resident.
    """
    weights, biases, layout, norm = model.weights, model.biases, model.layout, model.norm
    only_row = n_inputs - n_inputs  # 0, but not a literal: that would compile a 2nd copy
    for first in range(0, n, chunk):
        width = min(chunk, n - first)
        source = 0
        target = n_inputs
        for layer in range(layout.shape[0]):
            fan_in, fan_out, code = (
                layout[layer, FAN_IN],
                layout[layer, FAN_OUT],
                layout[layer, ACTIVATION],
            )
            for j in range(fan_out):
                start = (target + j) * n + first
                row = out[start : start + width]
                bias = biases[layer, j]
                for s in range(width):
                    row[s] = bias
                for i in range(fan_in):
                    w = weights[layer, i, j]
                    origin = (source + i) * n + first
                    inputs = out[origin : origin + width]
                    for s in range(width):
                        row[s] += w * inputs[s]
                if norm.shape[1] > 0 and layer < layout.shape[0] - 1:
                    # Evaluation: batch normalisation with the running statistics.
                    mean = norm[RUNNING_MEAN, layer, j]
                    scale = norm[GAMMA, layer, j] / math.sqrt(
                        norm[RUNNING_VAR, layer, j] + NORM_EPSILON
                    )
                    for s in range(width):
                        row[s] = (row[s] - mean) * scale + norm[BETA, layer, j]
            if code == SOFTMAX:
                softmax_columns(out, n, target, fan_out, first, width)
            else:
                for j in range(fan_out):
                    start = (target + j) * n + first
                    view = out[start : start + width].reshape((1, width))
                    activate_rows(code, view, only_row, width)
            source = target
            target += fan_out


@kernel
def softmax_columns(out, n, target, classes, first, width):
    """Softmax across the ``classes`` rows starting at row ``target``, for each point."""
    for s in range(first, first + width):
        top = out[target * n + s]
        for j in range(1, classes):
            top = max(top, out[(target + j) * n + s])
        total = 0.0
        for j in range(classes):
            e = math.exp(out[(target + j) * n + s] - top)
            out[(target + j) * n + s] = e
            total += e
        for j in range(classes):
            out[(target + j) * n + s] /= total
