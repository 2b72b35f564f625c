"""Compiled kernels: forward, backward, optimiser steps, whole training epochs.

Memory layout (built by ``engine.model.Model``; every kernel takes these arrays):

* ``params``: every weight and bias in one flat float64 vector.
* ``net``: int64 (n_layers, 5); row l = (fan_in, fan_out, weight_offset, bias_offset,
  activation_code) of dense layer l.  Layer l's weights are ``params[w:w+fan_in*fan_out]``
  read row-major as (fan_in, fan_out); its biases are ``params[b:b+fan_out]``.
* Activations of a mini-batch live in one flat workspace, layer after layer: layer l's
  block starts at ``offsets[l]`` and holds (rows, width_l) row-major, with width_0 the
  number of input features.  ``deltas`` (dL/dz) shares that layout.  Processing the batch
  *layer by layer* (all rows through layer l, then l+1) keeps inner loops contiguous
  over units, so LLVM vectorises them; see docs/benchmarks.md.

Naming: ``rows`` is the mini-batch size of the current call; ``n_out`` the output width.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .activations import (
    RELU,
    SOFTMAX,
    activate_block,
    derivative_from_output,
)

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

# Positions in the float64 ``settings`` vector passed to the training kernel.
LEARNING_RATE = 0
L1 = 1
L2 = 2
MOMENTUM_COEFFICIENT = 3
BETA1 = 4
BETA2 = 5
RHO = 6
EPSILON = 7
CLIP_NORM = 8
DROPOUT = 9
CLASS_THRESHOLD = 10
N_SETTINGS = 11

# Positions in the int64 ``options`` vector.
LOSS_CODE = 0
OPTIMIZER_CODE = 1
BATCH_SIZE = 2
SHUFFLE = 3
EVALUATE_EVERY = 4
N_OPTIONS = 5

# Columns of the per-epoch ``metrics`` table the training kernel fills.
TRAIN_LOSS = 0
TEST_LOSS = 1
TRAIN_ACCURACY = 2
TEST_ACCURACY = 3
DEAD_FRACTION = 4
BATCH_LOSS = 5
N_METRICS = 6

# Status codes returned by the training kernel.
OK = 0
DIVERGED_LOSS = 1
DIVERGED_PARAMETERS = 2


def layer_offsets(net: np.ndarray, rows: int) -> np.ndarray:
    """Start of each layer's block in an activation workspace for ``rows`` rows.

    Returns int64 (n_layers + 2,): offsets[l] for l = 0 (inputs) … n_layers (output), and
    the total size last.
    """
    widths = np.concatenate(([net[0, 0]], net[:, 1]))
    return np.concatenate(([0], np.cumsum(widths * rows))).astype(np.int64)


# ---------------------------------------------------------------- forward pass


@njit(cache=True, nogil=True, error_model="numpy")
def copy_all(source, target):
    """target[:] = source, as a loop (see ``copy_span``)."""
    for i in range(source.shape[0]):
        target[i] = source[i]


@njit(cache=True, nogil=True, error_model="numpy")
def copy_span(source, source_start, target, count):
    """target[:count] = source[source_start:source_start+count].

    An explicit loop: Numba's slice assignment generates far more code to compile.
    """
    for i in range(count):
        target[i] = source[source_start + i]


@njit(cache=True, nogil=True, error_model="numpy")
def dense_forward(params, net, layer, acts, offsets, rows, logits):
    """z = a_prev · W + b for ``rows`` rows, then a = g(z), in the workspace.

    .. math:: a^{(l)} = g\\left(a^{(l-1)} W^{(l)} + b^{(l)}\\right)

    For the output layer (``logits`` non-empty) z is also kept, for stable losses.
    """
    fan_in, fan_out, w_off, b_off, code = (
        net[layer, 0],
        net[layer, 1],
        net[layer, 2],
        net[layer, 3],
        net[layer, 4],
    )
    src = offsets[layer]
    dst = offsets[layer + 1]
    for s in range(rows):
        row = dst + s * fan_out
        for j in range(fan_out):
            acts[row + j] = params[b_off + j]
        for i in range(fan_in):
            a = acts[src + s * fan_in + i]
            w_row = w_off + i * fan_out
            for j in range(fan_out):
                acts[row + j] += a * params[w_row + j]
    if logits.shape[0] > 0:
        copy_span(acts, dst, logits, rows * fan_out)
    if code == SOFTMAX:
        softmax_rows(acts, dst, rows, fan_out)
    else:
        activate_block(code, acts, dst, rows * fan_out)


@njit(cache=True, nogil=True, error_model="numpy")
def softmax_rows(values, start, rows, width):
    """Row-wise softmax in place, shifted by the row maximum so exp never overflows.

    .. math:: p_j = e^{o_j - \\max o} / \\sum_k e^{o_k - \\max o}
    """
    for s in range(rows):
        base = start + s * width
        top = values[base]
        for j in range(1, width):
            top = max(top, values[base + j])
        total = 0.0
        for j in range(width):
            e = math.exp(values[base + j] - top)
            values[base + j] = e
            total += e
        for j in range(width):
            values[base + j] /= total


@njit(cache=True, nogil=True, error_model="numpy")
def apply_dropout(acts, masks, start, count, keep, rng_state):
    """Inverted dropout: zero each unit with probability 1-keep, scale survivors by 1/keep.

    ``masks`` records the factor (0 or 1/keep) for the backward pass.
    """
    scale = 1.0 / keep
    for i in range(start, start + count):
        factor = scale if next_uniform(rng_state) < keep else 0.0
        masks[i] = factor
        acts[i] *= factor


@njit(cache=True, nogil=True, error_model="numpy")
def forward_batch(params, net, acts, offsets, rows, logits, masks, keep, rng_state):
    """Forward pass of ``rows`` rows already copied into the input block of ``acts``.

    With keep < 1, hidden activations get inverted dropout (training only).
    """
    n_layers = net.shape[0]
    for layer in range(n_layers):
        is_output = layer == n_layers - 1
        dense_forward(params, net, layer, acts, offsets, rows, logits if is_output else logits[:0])
        if keep < 1.0 and not is_output:
            apply_dropout(acts, masks, offsets[layer + 1], rows * net[layer, 1], keep, rng_state)


# ---------------------------------------------------------------- losses


@njit(cache=True, nogil=True, error_model="numpy")
def row_loss(loss_code, out_code, acts, logits, base, targets, t_row, width):
    """Loss of one row; ``acts[base:base+width]`` is ŷ and ``logits[…]`` is z of the output.

    .. math:: \\mathrm{mse} = \\tfrac12\\lVert\\hat y - y\\rVert^2,\\
              \\mathrm{mae} = \\lVert\\hat y - y\\rVert_1,\\
              \\mathrm{bce} = \\max(z,0) - yz + \\log(1+e^{-|z|}),\\
              \\mathrm{ce} = \\log\\textstyle\\sum_k e^{z_k} - \\sum_j y_j z_j
    """
    total = 0.0
    if loss_code == MSE:
        for j in range(width):
            d = acts[base + j] - targets[t_row, j]
            total += 0.5 * d * d
    elif loss_code == MAE:
        for j in range(width):
            total += abs(acts[base + j] - targets[t_row, j])
    elif loss_code == BCE:
        for j in range(width):
            z = logits[base + j]
            total += max(z, 0.0) - targets[t_row, j] * z + math.log1p(math.exp(-abs(z)))
    else:
        top = logits[base]
        for j in range(1, width):
            top = max(top, logits[base + j])
        log_sum = 0.0
        for j in range(width):
            log_sum += math.exp(logits[base + j] - top)
        log_sum = top + math.log(log_sum)
        for j in range(width):
            total += targets[t_row, j] * (log_sum - logits[base + j])
    return total


@njit(cache=True, nogil=True, error_model="numpy")
def output_delta(loss_code, out_code, acts, base, targets, t_row, width, deltas, scale):
    """dL/dz of one output row, times ``scale`` (1/rows, so gradients are averaged).

    Sigmoid+bce and softmax+cross-entropy fuse to ŷ - y.  Otherwise dL/dŷ goes through
    g'(z), or through the softmax Jacobian: δ_i = p_i (u_i - Σ_j p_j u_j).
    """
    if loss_code in (BCE, CROSS_ENTROPY):
        for j in range(width):
            deltas[base + j] = scale * (acts[base + j] - targets[t_row, j])
        return
    for j in range(width):
        d = acts[base + j] - targets[t_row, j]
        if loss_code == MAE:
            d = 1.0 if d > 0.0 else (-1.0 if d < 0.0 else 0.0)
        deltas[base + j] = d
    if out_code == SOFTMAX:
        weighted = 0.0
        for j in range(width):
            weighted += acts[base + j] * deltas[base + j]
        for j in range(width):
            deltas[base + j] = scale * acts[base + j] * (deltas[base + j] - weighted)
    else:
        for j in range(width):
            deltas[base + j] *= scale * derivative_from_output(out_code, acts[base + j])


@njit(cache=True, nogil=True, error_model="numpy")
def batch_loss(net, acts, offsets, logits, targets, order, start, rows, loss_code):
    """Summed loss of the mini-batch whose targets are rows ``order[start:start+rows]``."""
    n_layers = net.shape[0]
    width = net[n_layers - 1, 1]
    out_code = net[n_layers - 1, 4]
    outputs = acts[offsets[n_layers] :]
    total = 0.0
    for s in range(rows):
        total += row_loss(
            loss_code, out_code, outputs, logits, s * width, targets, order[start + s], width
        )
    return total


@njit(cache=True, nogil=True, error_model="numpy")
def batch_output_delta(net, acts, offsets, targets, order, start, rows, loss_code, deltas):
    """δ = dL/dz of the output block for the mini-batch, averaged over its rows."""
    n_layers = net.shape[0]
    width = net[n_layers - 1, 1]
    out_code = net[n_layers - 1, 4]
    out_start = offsets[n_layers]
    for s in range(rows):
        output_delta(
            loss_code,
            out_code,
            acts[out_start:],
            s * width,
            targets,
            order[start + s],
            width,
            deltas[out_start:],
            1.0 / rows,
        )


# ---------------------------------------------------------------- backward pass


@njit(cache=True, nogil=True, error_model="numpy", fastmath={"reassoc", "contract", "nsz"})
def backward_batch(params, net, acts, deltas, offsets, rows, grads, masks):
    """Back-propagate δ from the output block of ``deltas`` and fill ``grads``.

    .. math:: \\frac{\\partial L}{\\partial W^{(l)}} = a^{(l-1)\\top} \\delta^{(l)},\\quad
              \\delta^{(l-1)} = (\\delta^{(l)} W^{(l)\\top}) \\odot g'(a^{(l-1)})

    δ already carries the 1/rows factor, so gradients are batch means.  ``fastmath``
    reassociation (no nnan/ninf: divergence checks still see NaN) lets the dot products
    vectorise.  An empty ``masks`` means no dropout.
    """
    use_dropout = masks.shape[0] > 0
    for p in range(grads.shape[0]):
        grads[p] = 0.0
    for layer in range(net.shape[0] - 1, -1, -1):
        fan_in, fan_out, w_off, b_off = net[layer, 0], net[layer, 1], net[layer, 2], net[layer, 3]
        src = offsets[layer]
        dst = offsets[layer + 1]
        for s in range(rows):
            d_row = dst + s * fan_out
            for j in range(fan_out):
                grads[b_off + j] += deltas[d_row + j]
            for i in range(fan_in):
                a = acts[src + s * fan_in + i]
                w_row = w_off + i * fan_out
                for j in range(fan_out):
                    grads[w_row + j] += a * deltas[d_row + j]
        if layer == 0:
            break
        prev_code = net[layer - 1, 4]
        for s in range(rows):
            d_row = dst + s * fan_out
            for i in range(fan_in):
                w_row = w_off + i * fan_out
                total = 0.0
                for j in range(fan_out):
                    total += params[w_row + j] * deltas[d_row + j]
                k = src + s * fan_in + i
                a = acts[k]
                if use_dropout:
                    # a is the dropped value m·g(z); g' needs g(z) itself.
                    factor = masks[k]
                    a = a / factor if factor > 0.0 else 0.0
                    total *= factor
                deltas[k] = total * derivative_from_output(prev_code, a)


# ---------------------------------------------------------------- optimiser step


@njit(cache=True, nogil=True, error_model="numpy")
def clip_gradients(grads, clip_norm):
    """Scale all gradients so their global L2 norm is at most ``clip_norm`` (if > 0)."""
    if clip_norm <= 0.0:
        return
    total = 0.0
    for g in grads:
        total += g * g
    norm = math.sqrt(total)
    if norm > clip_norm:
        grads *= clip_norm / norm


@njit(cache=True, nogil=True, error_model="numpy")
def update_span(params, grads, first, second, start, stop, settings, optimizer_code, step, l1, l2):
    """One optimiser step for params[start:stop]; returns False if any result is non-finite.

    Regularisation (weights only, TensorFlow Playground's semantics) adds
    l1·sign(w) + l2·w to the gradient; with l1 a weight that would cross zero stops at 0.

    .. math:: \\text{sgd: } w \\leftarrow w - \\eta g;\\quad
              \\text{adam: } m \\leftarrow \\beta_1 m + (1-\\beta_1) g,\\
              v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2,\\
              w \\leftarrow w - \\eta\\,\\hat m / (\\sqrt{\\hat v} + \\epsilon),\\
              \\hat m = m / (1-\\beta_1^t),\\ \\hat v = v / (1-\\beta_2^t)
    """
    lr = settings[LEARNING_RATE]
    mu = settings[MOMENTUM_COEFFICIENT]
    eps = settings[EPSILON]
    beta1 = settings[BETA1]
    beta2 = settings[BETA2]
    rho = settings[RHO]
    correction1 = 1.0 - beta1**step
    correction2 = 1.0 - beta2**step
    finite = True
    for p in range(start, stop):
        w = params[p]
        sign = 1.0 if w > 0.0 else (-1.0 if w < 0.0 else 0.0)
        g = grads[p] + l1 * sign + l2 * w
        if optimizer_code == SGD:
            delta = lr * g
        elif optimizer_code == MOMENTUM:
            first[p] = mu * first[p] + g
            delta = lr * first[p]
        elif optimizer_code == NESTEROV:
            first[p] = mu * first[p] + g
            delta = lr * (g + mu * first[p])
        elif optimizer_code == ADAGRAD:
            second[p] += g * g
            delta = lr * g / (math.sqrt(second[p]) + eps)
        elif optimizer_code == RMSPROP:
            second[p] = rho * second[p] + (1.0 - rho) * g * g
            delta = lr * g / (math.sqrt(second[p]) + eps)
        else:
            first[p] = beta1 * first[p] + (1.0 - beta1) * g
            second[p] = beta2 * second[p] + (1.0 - beta2) * g * g
            delta = lr * (first[p] / correction1) / (math.sqrt(second[p] / correction2) + eps)
        updated = w - delta
        if l1 > 0.0 and updated * w < 0.0:
            updated = 0.0
        params[p] = updated
        finite = finite and math.isfinite(updated)
    return finite


@njit(cache=True, nogil=True, error_model="numpy")
def optimizer_step(params, grads, first, second, net, settings, optimizer_code, step):
    """Apply one step to every layer; returns -1, or the first layer that went non-finite."""
    bad_layer = -1
    for layer in range(net.shape[0]):
        fan_in, fan_out, w_off, b_off = net[layer, 0], net[layer, 1], net[layer, 2], net[layer, 3]
        ok_w = update_span(
            params,
            grads,
            first,
            second,
            w_off,
            w_off + fan_in * fan_out,
            settings,
            optimizer_code,
            step,
            settings[L1],
            settings[L2],
        )
        ok_b = update_span(
            params,
            grads,
            first,
            second,
            b_off,
            b_off + fan_out,
            settings,
            optimizer_code,
            step,
            0.0,  # biases are never regularised
            0.0,
        )
        if bad_layer < 0 and not (ok_w and ok_b):
            bad_layer = layer
    return bad_layer


@njit(cache=True, nogil=True, error_model="numpy")
def layer_gradient_norms(grads, net, out, epoch_row):
    """Add each layer's weight-gradient L2 norm to out[epoch_row, layer]."""
    for layer in range(net.shape[0]):
        fan_in, fan_out, w_off = net[layer, 0], net[layer, 1], net[layer, 2]
        total = 0.0
        for p in range(w_off, w_off + fan_in * fan_out):
            total += grads[p] * grads[p]
        out[epoch_row, layer] += math.sqrt(total)


# ---------------------------------------------------------------- random numbers


@njit(cache=True, nogil=True, error_model="numpy")
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


@njit(cache=True, nogil=True, error_model="numpy")
def shuffle_in_place(order, rng_state):
    """Fisher–Yates shuffle of an int64 array."""
    for i in range(order.shape[0] - 1, 0, -1):
        j = int(next_uniform(rng_state) * (i + 1))
        order[i], order[j] = order[j], order[i]


# ---------------------------------------------------------------- whole epochs


@njit(cache=True, nogil=True, error_model="numpy")
def load_rows(inputs, order, start, rows, acts):
    """Copy input rows ``order[start:start+rows]`` into the input block of ``acts``."""
    width = inputs.shape[1]
    for s in range(rows):
        src = order[start + s]
        for j in range(width):
            acts[s * width + j] = inputs[src, j]


@njit(cache=True, nogil=True, error_model="numpy")
def train_one_epoch(
    model_arrays, optimizer_arrays, data, work, settings, options, rng_state, grad_norms, epoch_row
):
    """Mini-batch training over one shuffled (or fixed-order) pass of the training set.

    Returns (status, bad_layer, mean batch loss).  Stops at the first non-finite loss or
    parameter; the caller restores the epoch's starting state.
    """
    params, net = model_arrays
    grads, first, second, step_counter = optimizer_arrays
    inputs, targets, order = data[0], data[1], data[4]
    acts, deltas, masks, logits, offsets = work
    loss_code, optimizer_code, batch_size, shuffle = options[0], options[1], options[2], options[3]
    keep = 1.0 - settings[DROPOUT]
    active_masks = masks if keep < 1.0 else masks[:0]
    n = inputs.shape[0]
    if shuffle:
        shuffle_in_place(order, rng_state)
    loss_total = 0.0
    for start in range(0, n, batch_size):
        rows = min(batch_size, n - start)
        load_rows(inputs, order, start, rows, acts)
        forward_batch(params, net, acts, offsets, rows, logits, masks, keep, rng_state)
        loss_here = batch_loss(net, acts, offsets, logits, targets, order, start, rows, loss_code)
        if not math.isfinite(loss_here):
            return DIVERGED_LOSS, net.shape[0] - 1, loss_total / n
        loss_total += loss_here
        batch_output_delta(net, acts, offsets, targets, order, start, rows, loss_code, deltas)
        backward_batch(params, net, acts, deltas, offsets, rows, grads, active_masks)
        layer_gradient_norms(grads, net, grad_norms, epoch_row)
        clip_gradients(grads, settings[CLIP_NORM])
        step_counter[0] += 1
        bad_layer = optimizer_step(
            params, grads, first, second, net, settings, optimizer_code, step_counter[0]
        )
        if bad_layer >= 0:
            return DIVERGED_PARAMETERS, bad_layer, loss_total / n
    n_batches = (n + batch_size - 1) // batch_size
    for layer in range(net.shape[0]):
        grad_norms[epoch_row, layer] /= n_batches
    return OK, -1, loss_total / n


@njit(cache=True, nogil=True, error_model="numpy")
def train_epochs(
    model_arrays,
    optimizer_arrays,
    data,
    work,
    settings,
    options,
    rng_state,
    n_epochs,
    metrics,
    grad_norms,
    backup,
):
    """Run up to ``n_epochs`` epochs; fill one row of ``metrics``/``grad_norms`` per epoch.

    ``data`` = (train inputs, train targets, test inputs, test targets, order).  Every
    ``options[EVALUATE_EVERY]`` epochs (and after the last) the full train and test sets
    are evaluated; other rows keep NaN.  On divergence the parameters and optimiser state
    are restored to the start of the failing epoch (never half-NaN) and the kernel stops.

    Returns (epochs completed, status, bad layer).
    """
    params = model_arrays[0]
    first, second, step_counter = optimizer_arrays[1], optimizer_arrays[2], optimizer_arrays[3]
    evaluate_every = options[EVALUATE_EVERY]
    for epoch in range(n_epochs):
        for source, target in ((params, backup[0]), (first, backup[1]), (second, backup[2])):
            copy_all(source, target)
        saved_step = step_counter[0]
        status, bad_layer, mean_loss = train_one_epoch(
            model_arrays,
            optimizer_arrays,
            data,
            work,
            settings,
            options,
            rng_state,
            grad_norms,
            epoch,
        )
        if status != OK:
            for source, target in ((backup[0], params), (backup[1], first), (backup[2], second)):
                copy_all(source, target)
            step_counter[0] = saved_step
            return epoch, status, bad_layer
        metrics[epoch, BATCH_LOSS] = mean_loss
        if (epoch + 1) % evaluate_every == 0 or epoch == n_epochs - 1:
            evaluate_into(model_arrays, data, work, settings, options, metrics, epoch)
    return n_epochs, OK, -1


# ---------------------------------------------------------------- evaluation


@njit(cache=True, nogil=True, error_model="numpy")
def evaluate_into(model_arrays, data, work, settings, options, metrics, epoch_row):
    """Full-set loss and accuracy on train and test data, and the dead-ReLU fraction."""
    params, net = model_arrays
    acts, _, _, logits, _ = work
    train = evaluate_set(
        params,
        net,
        data[0],
        data[1],
        acts,
        logits,
        options[LOSS_CODE],
        settings[CLASS_THRESHOLD],
    )
    metrics[epoch_row, TRAIN_LOSS] = train[0]
    metrics[epoch_row, TRAIN_ACCURACY] = train[1]
    metrics[epoch_row, DEAD_FRACTION] = train[2]
    if data[2].shape[0] > 0:
        test = evaluate_set(
            params,
            net,
            data[2],
            data[3],
            acts,
            logits,
            options[LOSS_CODE],
            settings[CLASS_THRESHOLD],
        )
        metrics[epoch_row, TEST_LOSS] = test[0]
        metrics[epoch_row, TEST_ACCURACY] = test[1]


@njit(cache=True, nogil=True, error_model="numpy")
def predicted_class(values, base, width, threshold):
    """Class of one row: argmax for several outputs, else 1 if the output ≥ threshold."""
    if width == 1:
        return 1 if values[base] >= threshold else 0
    best = 0
    for j in range(1, width):
        if values[base + j] > values[base + best]:
            best = j
    return best


@njit(cache=True, nogil=True, error_model="numpy")
def evaluate_set(params, net, inputs, targets, acts, logits, loss_code, threshold):
    """(mean loss, accuracy, fraction of ReLU hidden units never active) over a data set.

    Evaluated in chunks that fit the workspace; no dropout.
    """
    n_layers = net.shape[0]
    width = net[n_layers - 1, 1]
    n = inputs.shape[0]
    chunk = logits.shape[0] // width
    offsets = np.empty(n_layers + 2, np.int64)
    offsets[0] = 0
    offsets[1] = chunk * inputs.shape[1]
    for layer in range(n_layers):
        offsets[layer + 2] = offsets[layer + 1] + chunk * net[layer, 1]
    hidden_units = 0
    for layer in range(n_layers - 1):
        hidden_units += net[layer, 1]
    alive = np.zeros(max(hidden_units, 1), np.bool_)
    identity = np.arange(n)
    flat_targets = targets.ravel()
    total = 0.0
    correct = 0
    for start in range(0, n, chunk):
        rows = min(chunk, n - start)
        load_rows(inputs, identity, start, rows, acts)
        forward_batch(
            params, net, acts, offsets, rows, logits, acts[:0], 1.0, np.zeros(1, np.uint64)
        )
        out_start = offsets[n_layers]
        total += batch_loss(net, acts, offsets, logits, targets, identity, start, rows, loss_code)
        for s in range(rows):
            guess = predicted_class(acts, out_start + s * width, width, threshold)
            truth = predicted_class(flat_targets, (start + s) * width, width, threshold)
            correct += guess == truth
        mark_alive_units(net, acts, offsets, rows, alive)
    dead = count_dead_relu(net, alive)
    return total / n, correct / n, dead


@njit(cache=True, nogil=True, error_model="numpy")
def mark_alive_units(net, acts, offsets, rows, alive):
    """Set alive[unit] for every hidden unit with a positive output on some row."""
    unit = 0
    for layer in range(net.shape[0] - 1):
        width = net[layer, 1]
        block = offsets[layer + 1]
        for s in range(rows):
            for j in range(width):
                if acts[block + s * width + j] > 0.0:
                    alive[unit + j] = True
        unit += width


@njit(cache=True, nogil=True, error_model="numpy")
def count_dead_relu(net, alive):
    """Fraction of ReLU hidden units that were never active (0 if there are none)."""
    unit = 0
    relu_units = 0
    dead = 0
    for layer in range(net.shape[0] - 1):
        width = net[layer, 1]
        if net[layer, 4] == RELU:
            relu_units += width
            for j in range(width):
                dead += not alive[unit + j]
        unit += width
    return dead / relu_units if relu_units > 0 else 0.0


# ---------------------------------------------------------------- whole-set kernels


@njit(cache=True, nogil=True, error_model="numpy")
def full_batch_gradients(
    params, net, inputs, targets, loss_code, acts, deltas, logits, offsets, grads
):
    """Mean loss over every row (one batch) and its gradient in ``grads``; no regularisation."""
    n = inputs.shape[0]
    order = np.arange(n)
    first_row = order[0]  # 0, as a variable: a literal argument would compile a second copy
    load_rows(inputs, order, first_row, n, acts)
    forward_batch(params, net, acts, offsets, n, logits, acts[:0], 1.0, np.zeros(1, np.uint64))
    total = batch_loss(net, acts, offsets, logits, targets, order, first_row, n, loss_code)
    batch_output_delta(net, acts, offsets, targets, order, first_row, n, loss_code, deltas)
    backward_batch(params, net, acts, deltas, offsets, n, grads, acts[:0])
    return total / n


@njit(cache=True, nogil=True, error_model="numpy")
def all_layer_outputs(params, net, inputs, chunk, out):
    """Every layer's activation for every row: out (n, total_units) with input features first.

    Runs in chunks of ``chunk`` rows so the workspace stays small (cache-resident).
    """
    n_layers = net.shape[0]
    n = inputs.shape[0]
    widths = np.empty(n_layers + 1, np.int64)
    widths[0] = inputs.shape[1]
    for layer in range(n_layers):
        widths[layer + 1] = net[layer, 1]
    offsets = np.zeros(n_layers + 2, np.int64)
    for layer in range(n_layers + 1):
        offsets[layer + 1] = offsets[layer] + chunk * widths[layer]
    acts = np.empty(offsets[n_layers + 1])
    logits = np.empty(chunk * widths[n_layers])
    identity = np.arange(n)
    for start in range(0, n, chunk):
        rows = min(chunk, n - start)
        load_rows(inputs, identity, start, rows, acts)
        forward_batch(
            params, net, acts, offsets, rows, logits, acts[:0], 1.0, np.zeros(1, np.uint64)
        )
        column = 0
        for layer in range(n_layers + 1):
            width = widths[layer]
            block = offsets[layer]
            for s in range(rows):
                for j in range(width):
                    out[start + s, column + j] = acts[block + s * width + j]
            column += width
