"""Argument checks at the engine's boundary: each bad value gets one plain sentence.

Every message names the argument, shows what was given (``repr``, cut to
``SHOWN_CHARACTERS``) and says what is allowed: ``"batch_size must be a whole number ≥ 1;
got 0."``.  A value of the wrong kind (a string where a number belongs, ``None`` where an
array belongs) raises ``TypeError``; a value of the right kind that cannot be used
(NaN, a negative size, an unknown name, a wrong shape) raises ``ValueError``.  ``True`` and
``False`` are ints to Python; as numbers they are refused with a ``ValueError``.

Arrays are converted, not refused: lists, float32, Fortran-ordered and non-contiguous
arrays come back as C-contiguous float64 (no copy when they already are).  An array's
values are checked in one compiled pass (``value_range``), with no temporary arrays, so the
checks cost a few µs per ``Trainer.train`` call.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence, Set
from typing import TypeVar

import numpy as np

from .jit import kernel

T = TypeVar("T")

SHOWN_CHARACTERS = 60  # of a given value's repr in a message
# One rule for every seed: what NumPy's generators and the kernels' 64-bit state both take.
MAX_SEED = 2**63 - 1
NON_NEGATIVE_INT64 = "a whole number from 0 to 2**63 - 1"  # seeds, epoch counts
# Largest magnitude of a data value (inputs, targets).  Generous for a playground (its data
# lie within ±6, its features within ±36), and far from float64's overflow: through 9 layers
# of 16 units with weights up to 5 a value grows at most (16·5)⁹ ≈ 1e17 times, so outputs
# stay below 1e29 and squared errors below 1e58.  Near 1e154, Σx² overflows already, and
# finite inputs could give NaN (∞ − ∞).
MAX_ABS_VALUE = 1e12
# Largest coordinate of a point (a data set's or the grid's): its squares and products,
# the input features, stay within MAX_ABS_VALUE.
MAX_ABS_POINT = 1e6


def shown(value: object) -> str:
    """``repr(value)``, cut to ``SHOWN_CHARACTERS`` with an ellipsis."""
    if isinstance(value, np.ndarray):
        text = f"array of shape {value.shape} and dtype {value.dtype}"
    else:
        try:
            text = repr(value)
        except Exception:  # a hostile __repr__ must not replace the real error
            text = f"<{type(value).__name__}>"
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def _kind(value: object) -> str:
    return f"{shown(value)} ({type(value).__name__})"


def _is_number(value: object) -> bool:
    """int, float and NumPy's numbers (and ``bool``, which the callers refuse as a value)."""
    return isinstance(value, numbers.Real | np.bool_)


def whole_number(
    value: object, name: str, low: int, high: int | None = None, *, allowed: str = ""
) -> int:
    """``value`` as an ``int`` in ``low … high``; integral floats (``500.0``) are accepted.

    ``allowed`` replaces the generated description of the range in the message.
    """
    if type(value) is int:  # the usual case, first: the checks below take ~1 µs
        number = value
    elif not _is_number(value):
        raise TypeError(f"{name} must be {_range(low, high, allowed)}; got {_kind(value)}.")
    elif isinstance(value, bool | np.bool_):
        raise ValueError(
            f"{name} must be {_range(low, high, allowed)}, not a truth value; got {value!r}."
        )
    elif isinstance(value, numbers.Integral):
        number = int(value)
    else:
        as_float = float(value)
        if not (math.isfinite(as_float) and as_float.is_integer()):
            raise ValueError(f"{name} must be {_range(low, high, allowed)}; got {shown(value)}.")
        number = int(as_float)
    if number < low or (high is not None and number > high):
        raise ValueError(f"{name} must be {_range(low, high, allowed)}; got {shown(value)}.")
    return number


def _range(low: int, high: int | None, allowed: str) -> str:
    if allowed:
        return allowed
    return (
        f"a whole number ≥ {low:,}" if high is None else f"a whole number from {low:,} to {high:,}"
    )


def seed(value: object, name: str = "seed") -> int:
    """A random seed: a whole number 0 … 2⁶³ − 1 (the same rule in every function)."""
    return whole_number(value, name, 0, MAX_SEED, allowed=NON_NEGATIVE_INT64)


def real_number(
    value: object,
    name: str,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a finite ``float`` in the interval [low, high] (ends open when asked)."""
    if type(value) is float or (_is_number(value) and not isinstance(value, bool | np.bool_)):
        number = float(value)
        if (
            math.isfinite(number)
            and (number > low if low_open else number >= low)
            and (number < high if high_open else number <= high)
        ):
            return number
    allowed = _interval(low, high, low_open, high_open)
    if not _is_number(value):
        raise TypeError(f"{name} must be {allowed}; got {_kind(value)}.")
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be {allowed}, not a truth value; got {value!r}.")
    raise ValueError(f"{name} must be {allowed}; got {shown(value)}.")


def _interval(low: float, high: float, low_open: bool, high_open: bool) -> str:
    if low == -math.inf and high == math.inf:
        return "a finite number"
    if high == math.inf:
        return f"a finite number {'>' if low_open else '≥'} {low:g}"
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    return f"a number in {left}{low:g}, {high:g}{right}"


def flag(value: object, name: str) -> bool:
    """A ``bool`` (or NumPy's); anything else, even 0 or "no", is a ``TypeError``."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise TypeError(f"{name} must be True or False; got {_kind(value)}.")


def is_list(value: object) -> bool:
    """True for a list-like of items: a sequence (not a string), a set, a 1-D array."""
    if isinstance(value, np.ndarray):
        return value.ndim == 1
    return isinstance(value, Sequence | Set) and not isinstance(value, str | bytes)


def instance(value: object, kind: type[T], name: str) -> T:
    """``value`` itself if it is a ``kind``, else a ``TypeError`` naming the argument."""
    if isinstance(value, kind):
        return value
    raise TypeError(f"{name} must be a {kind.__name__}; got {_kind(value)}.")


def lookup(registry: Mapping[str, T], name: object, what: str, argument: str | None = None) -> T:
    """``registry[name]``, or an error naming the argument and every valid key.

    >>> lookup({"a": 1}, "a", "thing")
    1
    """
    check_choice(name, registry, what, argument)
    return registry[name]  # type: ignore[index]


def check_choice(
    name: object, choices: Iterable[str], what: str, argument: str | None = None
) -> str:
    """``name`` if it is one of ``choices``; ``ValueError`` listing them (``TypeError`` if it
    is not a string).  ``argument`` is the parameter's name when it is not ``what``."""
    choices = tuple(choices)
    argument = argument or what
    if not isinstance(name, str):
        raise TypeError(
            f"{argument} must be the name of a {what} (one of {', '.join(choices)}); "
            f"got {_kind(name)}."
        )
    if name in choices:
        return name
    where = "" if argument == what else f" for {argument}"
    raise ValueError(
        f"Unknown {what} {shown(name)}{where}; valid choices are: {', '.join(choices)}."
    )


def float_array(
    value: object,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None,
    columns: int | None = None,
    low: float = -MAX_ABS_VALUE,
    high: float = MAX_ABS_VALUE,
    reason: str = "",
    check: bool = True,
) -> np.ndarray:
    """``value`` as a C-contiguous float64 array of ``ndim`` dimensions (one of them, if a
    tuple; any if None; ``columns`` wide if given) whose values are finite and in
    [low, high].
    ``reason`` ends the message of a value out of range (why the range); with ``check``
    False the values are not looked at (NaN and ±inf pass).

    ``TypeError`` for something that is not numbers (None, a string, an array of strings
    or objects); ``ValueError`` for ragged lists, a wrong shape or a value out of range,
    naming the first offending row and column.
    """
    if value is None or isinstance(value, str | bytes | Mapping):
        raise TypeError(f"{name} must be an array of numbers; got {_kind(value)}.")
    if not isinstance(value, np.ndarray):
        try:
            value = np.asarray(value)
        except (ValueError, TypeError):
            raise ValueError(
                f"{name} must be a rectangular array of numbers (rows of equal length); "
                f"got {shown(value)}."
            ) from None
    if value.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers; got an array of dtype {value.dtype}.")
    array = np.ascontiguousarray(value, dtype=np.float64)
    dims = (ndim,) if isinstance(ndim, int) else ndim
    if (dims is not None and array.ndim not in dims) or (
        columns is not None and array.shape[-1] != columns
    ):
        width = "k" if columns is None else columns
        wanted = " or ".join("(n,)" if d == 1 else f"(n, {width})" for d in dims or (2,))
        raise ValueError(f"{name} must have shape {wanted}; got {array.shape}.")
    if check:
        check_values(array, name, low, high, reason)
    return array


@kernel(entry=True)
def value_range(values):
    """(min, max) of a 1-D float64 array, (NaN, NaN) if it holds a NaN, (inf, -inf) if it
    is empty.

    Compiled, one pass, no temporaries: about 1 µs for 500 values where NumPy's min and
    max take 4–5 µs, and no floating-point warnings (a dot product's Σx², 0.6 µs, would
    overflow, and warn, for values beyond 1e154).
    """
    smallest, largest = math.inf, -math.inf
    for value in values:
        if value != value:
            return math.nan, math.nan
        smallest = min(smallest, value)
        largest = max(largest, value)
    return smallest, largest


def points(value: object, name: str) -> np.ndarray:
    """``value`` as (n, 2) float64 points, each coordinate within ±``MAX_ABS_POINT``."""
    return float_array(value, name, ndim=2, columns=2, low=-MAX_ABS_POINT, high=MAX_ABS_POINT)


def check_values(array: np.ndarray, name: str, low: float, high: float, reason: str = "") -> None:
    """``ValueError`` unless every value of ``array`` is finite and in [low, high].

    One compiled pass finds the smallest and largest value (NaN if there is one); the slow
    search for the first bad entry runs only to write the message.  ``array`` is
    C-contiguous.
    """
    if array.size == 0:
        return
    smallest, largest = value_range(array.reshape(-1))
    if low <= smallest and largest <= high and math.isfinite(smallest) and math.isfinite(largest):
        return  # (comparisons with NaN are False)
    bad = ~(np.isfinite(array) & (array >= low) & (array <= high))
    position = np.unravel_index(int(np.argmax(bad)), array.shape)
    where = ", ".join(f"{axis} {index}" for axis, index in zip(("row", "column"), position))
    given = float(array[position])
    if not math.isfinite(given):
        raise ValueError(
            f"{name} contains NaN or infinite values (first at {where}: {given!r}); "
            "remove or replace them first."
        )
    raise ValueError(
        f"{name} values must lie in [{low:g}, {high:g}]{reason}; got {given!r} at {where}."
    )


def finite_parameters(params: np.ndarray, name: str = "model") -> None:
    """``ValueError`` if a model's flat parameter vector holds NaN or infinity."""
    smallest, largest = value_range(params)
    if math.isfinite(smallest) and math.isfinite(largest):
        return
    raise ValueError(
        f"{name} has parameters that are NaN or infinite; set them to finite values "
        "(or create the model again) first."
    )


def class_ids(
    value: object, name: str, n_classes: int, what: str = "integer class ids"
) -> np.ndarray:
    """``value`` as an (n,) int64 array of class ids 0 … n_classes − 1 (or of any other
    indices 0 … n − 1: ``what`` says what they are)."""
    if value is None or isinstance(value, str | bytes | Mapping):
        raise TypeError(f"{name} must be an array of {what}; got {_kind(value)}.")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be a 1-D array of {what}; got {shown(value)}.") from None
    if array.dtype.kind not in "biufc":
        raise TypeError(f"{name} must hold {what}; got an array of dtype {array.dtype}.")
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a 1-D array of {what}; got {shown(array)}.")
    if array.size and (array.min() < 0 or array.max() >= n_classes):
        bad = int(array[(array < 0) | (array >= n_classes)][0])
        raise ValueError(f"{name} must lie in 0..{n_classes - 1}; got {bad!r}.")
    return array.astype(np.int64, copy=False)
