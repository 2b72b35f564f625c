"""Activation functions and their derivatives, as scalar Numba kernels.

Each activation is identified by a small integer code (passed into compiled code) and a
lowercase name (used by the UI, the URL and the Python API).  The derivative sits next to
its function and is written in terms of the *output* ``a = g(z)``, which is all the
training kernels keep in memory.

The hidden-layer ``tanh`` is the hot path of every network the playground trains, and
libm's scalar ``tanh`` stops LLVM from vectorising the loops around it.  ``fast_tanh``
is branch-free arithmetic (a polynomial ``exp`` with exact power-of-two scaling), so the
loops vectorise; it agrees with ``numpy.tanh`` to a few ulp (see the unit tests).
"""

from __future__ import annotations

import math

import numpy as np
from numba import types
from numba.extending import intrinsic, overload

from . import checks
from .checks import lookup
from .jit import kernel

LINEAR = 0
RELU = 1
LEAKY_RELU = 2
TANH = 3
SIGMOID = 4
ELU = 5
SOFTPLUS = 6
SOFTMAX = 7

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0

HIDDEN_ACTIVATIONS: dict[str, int] = {
    "linear": LINEAR,
    "relu": RELU,
    "leaky_relu": LEAKY_RELU,
    "tanh": TANH,
    "sigmoid": SIGMOID,
    "elu": ELU,
    "softplus": SOFTPLUS,
}
OUTPUT_ACTIVATIONS: dict[str, int] = {
    "tanh": TANH,
    "sigmoid": SIGMOID,
    "softmax": SOFTMAX,
    "linear": LINEAR,
}

_LN2_HI = 6.93147180369123816490e-01  # fdlibm's split of ln 2: k*_LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
_TANH_SATURATION = 19.5  # tanh(19.5) rounds to 1.0 in float64
# k + 2^52 + 1023, for a whole number k in [-1023, 1024], is a float64 whose low 11
# mantissa bits are k + 1023: 2^k's exponent field, with no float → int conversion.
_EXPONENT_FIELD = 4503599627370496.0 + 1023.0
_EXPONENT_MASK = 0x7FF


def float_from_bits(bits):
    """The float64 whose IEEE-754 bit pattern is the int64 ``bits``.

    Numba has no scalar bit cast; the engine needs one each way (this and ``bits_of_float``)
    to build 2^k exactly from k's exponent bits, in vectorisable integer operations.  Plain
    Python (``NUMBA_DISABLE_JIT=1``) runs this body; compiled code calls the one-instruction
    ``bitcast`` that the overload below supplies.
    """
    return np.int64(bits).view(np.float64)


def _bitcast(source, target):
    """An intrinsic: LLVM's ``bitcast`` of a ``source`` value to ``target`` (numba types of
    one size), the same bits read as the other type: no instruction at all on x86-64."""

    def bitcast(typingctx, value):
        if value != source:
            return None

        def codegen(context, builder, signature, arguments):
            return builder.bitcast(arguments[0], context.get_value_type(target))

        return target(source), codegen

    bitcast.__name__ = bitcast.__qualname__ = f"bitcast_{source}_to_{target}"  # one each
    return intrinsic(bitcast)


_bitcast_to_float = _bitcast(types.int64, types.float64)
_bitcast_to_int = _bitcast(types.float64, types.int64)


@overload(float_from_bits)
def _float_from_bits_compiled(bits):
    if bits == types.int64:
        return lambda bits: _bitcast_to_float(bits)
    return None


def bits_of_float(value):
    """The IEEE-754 bit pattern (an int64) of the float64 ``value``: ``float_from_bits``
    backwards.  ``expm1_nonpositive`` reads k + 1023 out of the low bits of k + 2^52 + 1023
    with it: a float → int64 conversion has no vector instruction before AVX-512, so LLVM
    converted each lane on its own; a bit cast and a mask are one vector instruction each.
    """
    return np.float64(value).view(np.int64)


@overload(bits_of_float)
def _bits_of_float_compiled(value):
    if value == types.float64:
        return lambda value: _bitcast_to_int(value)
    return None


@kernel(fastmath={"contract"})
def expm1_nonpositive(y):
    """exp(y) - 1 for y in [-40, 0] with branch-free, vectorisable arithmetic.

    .. math:: e^y - 1 = 2^k (e^r - 1) + (2^k - 1),\\quad k = \\mathrm{round}(y / \\ln 2),
              \\ |r| \\le \\ln 2 / 2

    e^r - 1 is a degree-13 Taylor polynomial (truncation < 5e-18) with no constant term,
    so small arguments lose nothing to cancellation; 2^k (-58 ≤ k ≤ 0, always a normal
    number) is built exactly from its exponent bits, taken from a float's bits (no float →
    int conversion, which AVX2 cannot vectorise).  ``contract`` lets the polynomial's steps
    become fused multiply-adds.  Used by ``fast_tanh``; libm's scalar ``tanh`` blocks
    vectorisation.
    """
    k = np.floor(y * _INV_LN2 + 0.5)  # a float: NaN stays NaN (math.floor would convert)
    r = (y - k * _LN2_HI) - k * _LN2_LO
    # Horner's scheme. Estrin's (pairs, then r², r⁴, r⁸) took ~17 % less time per value but
    # changed one value in ~200 by an ulp, and at learning rate 1 training amplified that
    # into other lesson outcomes (docs/benchmarks.md, engine, session 10): the engine's
    # results stay bit for bit what they were.
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    e_r_minus_1 = (p * r) * r + r
    # k is a whole number in [-58, 0]; 2^k's exponent field comes out of k + 2^52 + 1023's
    # low bits (a NaN y gives some scale, and stays NaN through r).
    exponent = bits_of_float(k + _EXPONENT_FIELD) & _EXPONENT_MASK
    scale = float_from_bits(exponent << 52)
    return scale * e_r_minus_1 + (scale - 1.0)


@kernel
def fast_tanh(z):
    """tanh(z) accurate to a few ulp, written so that loops over it vectorise.

    .. math:: \\tanh z = \\operatorname{sign}(z)\\,\\frac{-m}{2 + m},\\quad m = e^{-2|z|} - 1

    NaN stays NaN (so divergence is detected); |z| > 19.5 gives exactly ±1.
    """
    x = min(abs(z), _TANH_SATURATION)
    m = expm1_nonpositive(-2.0 * x)
    return math.copysign(-m / (2.0 + m), z)


@kernel
def activate(code, z):
    """g(z) for one pre-activation value; ``code`` is one of the module's integer codes.

    The training and grid kernels apply the same formulas a whole layer at a time
    (``engine.kernels.activate_rows``); tests/property/test_activation_paths_property.py
    checks that both give the same values and derivatives.
    """
    if code == TANH:
        return fast_tanh(z)
    if code == RELU:
        return max(z, 0.0)  # NaN stays NaN, as in the whole-layer loops (kernels.activate_rows)
    if code == SIGMOID:
        return 0.5 + 0.5 * fast_tanh(0.5 * z)  # σ(z) = (1 + tanh(z/2)) / 2
    if code == LEAKY_RELU:
        return z if z > 0.0 else LEAKY_SLOPE * z
    if code == ELU:
        return z if z > 0.0 else ELU_ALPHA * math.expm1(z)
    if code == SOFTPLUS:
        return max(z, 0.0) + math.log1p(math.exp(-abs(z)))
    return z


@kernel
def derivative_from_output(code, a):
    """g'(z) written in terms of the output a = g(z) (the kernels keep only a).

    .. math:: \\tanh' = 1 - a^2,\\ \\sigma' = a(1-a),\\ \\mathrm{softplus}' = 1 - e^{-a},
              \\ \\mathrm{elu}' = a + \\alpha\\ (z<0)
    """
    if code == TANH:
        return 1.0 - a * a
    if code == RELU:
        return 1.0 if a > 0.0 else 0.0
    if code == SIGMOID:
        return a * (1.0 - a)
    if code == LEAKY_RELU:
        return 1.0 if a > 0.0 else LEAKY_SLOPE
    if code == ELU:
        return 1.0 if a > 0.0 else a + ELU_ALPHA
    if code == SOFTPLUS:
        return -math.expm1(-a)
    return 1.0


@kernel(entry=True)
def activation_curve(code, z, values, derivatives):
    """Fill ``values`` with g(z) and ``derivatives`` with g'(z) for a 1-D array z."""
    for i in range(z.shape[0]):
        a = activate(code, z[i])
        values[i] = a
        derivatives[i] = derivative_from_output(code, a)


def activation_code(name: str, *, output: bool = False, argument: str = "") -> int:
    """Integer code for an activation name; raises ``ValueError`` listing valid names.

    ``argument``: the caller's parameter name, for the message (default ``activation``,
    or ``output`` for an output activation).
    """
    if output:
        return lookup(OUTPUT_ACTIVATIONS, name, "output activation", argument or "output")
    return lookup(HIDDEN_ACTIVATIONS, name, "activation", argument or "activation")


def activation_values(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """g(z) and g'(z) for a hidden activation, computed by the engine's own kernels.

    Args:
        name: a key of ``HIDDEN_ACTIVATIONS``.
        z: any-shaped array of pre-activations.

    Returns:
        ``(values, derivatives)``, each shaped like ``z``.
    """
    code = activation_code(name, argument="name")
    z = checks.float_array(z, "z", ndim=None, check=False)  # NaN in, NaN out
    flat = z.ravel()
    values = np.empty_like(flat)
    derivatives = np.empty_like(flat)
    activation_curve(code, flat, values, derivatives)
    shape = np.shape(z)
    return values.reshape(shape), derivatives.reshape(shape)
