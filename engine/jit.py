"""The engine's one compile decorator: ``njit(cache=True, nogil=True)``, plus two switches.

``slp=True`` turns on LLVM's SLP vectoriser for that kernel.  The hot loops keep eight
running sums per block of padded lanes in scalar variables (``z0 … z7``); SLP packs each
group of eight into vector instructions (measured on a 10-row, 8 → 8 layer's weight
gradient: 247 ns scalar, 55 ns with SLP and unsigned lane offsets).  Numba switches SLP
off by default (numba pull request #8852, 2023: miscompilations seen with older LLVMs), so
``kernel`` turns it on only while that one kernel compiles: the switch is flipped and
restored under Numba's (re-entrant) global compiler lock, so every other function in the
process, ours included, compiles as usual.  The engine's results are checked against a
plain NumPy reference and finite differences by the test suite (``tests/unit``,
``tests/property``).

``entry=True`` marks the kernels Python calls; the others get no CPython or C wrapper, and
no reference counting (Numba's private ``_nrt=False`` option, ``INNER_OPTIONS``).  Numba's
runtime (NRT) increments an array argument's reference count on entry and decrements it on
exit, an atomic pair per array, and its pass that removes such pairs gives up in a function
that calls another: with NRT, ``forward_batch`` and ``backward_batch`` would pay 11 and 12
pairs per mini-batch, ~37 in all per batch of a 2-8-8-8-1 network (~6 % of its training
time, docs/benchmarks.md).  An inner kernel only borrows its arguments from the entry kernel
that owns them, so the counts are not needed there, and the results are the same.  Without NRT
a kernel cannot allocate (Numba refuses ``np.empty`` at compile time), and it must not
return an array (its caller would release a reference it was never given), which
``kernel`` refuses when it compiles one.  ``tests/unit/test_numba_internals.py`` checks
both, and that Numba still takes the option.

The compiled kernels are cached on disk in a directory named after a digest of every engine
source file (``cache_directory``): Numba keys a cached kernel by its own file's time stamp
only, so a kernel in ``kernels.py`` whose helper in ``activations.py`` changed would otherwise
load the old machine code (it happened: an edited ``fast_tanh`` was not used until the cache
was deleted). Any change to the engine's sources now compiles afresh.

With ``NUMBA_DISABLE_JIT=1`` in the environment, ``kernel`` returns the plain Python
function (Numba's own ``njit`` does the same), so every kernel can be stepped through in a
debugger; training is then about 1,500 times slower, with the same results (checked by
``tests/unit/test_plain_python.py``).  Entry kernels then run under
``numpy.errstate(all="ignore")``: compiled kernels never warn (a float overflow just
gives inf, the random generator's 64-bit products wrap), and neither does the plain run.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import numba
import numpy as np
from numba import njit
from numba.core.compiler_lock import global_compiler_lock

OPTIONS = {"cache": True, "nogil": True, "error_model": "numpy"}
# Kernels called from compiled code only (see the module's docstring).
INNER_OPTIONS = {"no_cpython_wrapper": True, "no_cfunc_wrapper": True, "_nrt": False}
ENGINE_DIRECTORY = Path(__file__).resolve().parent


def source_digest(paths) -> str:
    """16 hex digits of SHA-256 over the files' names and bytes, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).name.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_directory() -> Path:
    """Where the kernels are cached: under ``NUMBA_CACHE_DIR`` if set, else the engine's
    ``__pycache__``, in ``kernels-<digest of the engine's sources>``."""
    base = os.environ.get("NUMBA_CACHE_DIR") or ENGINE_DIRECTORY / "__pycache__"
    return Path(base) / f"kernels-{source_digest(sorted(ENGINE_DIRECTORY.glob('*.py')))}"


# Read by Numba each time a ``cache=True`` function is defined, so before the first kernel.
numba.config.CACHE_DIR = str(cache_directory())


def kernel(function=None, *, entry=False, slp=False, **extra_options):
    """``@kernel`` or ``@kernel(slp=True, fastmath={...})``: a Numba dispatcher, compiled
    with SLP vectorisation on only when ``slp`` is set.

    Only ``entry=True`` kernels can be called from Python.  The others are called from
    compiled code only, so they skip the CPython and C-callable wrappers Numba would
    otherwise generate and compile for each (argument boxing code for tuples of arrays
    is a large part of a small function's compile time), and reference counting.
    """

    def wrap(python_function):
        if numba.config.DISABLE_JIT:
            return _plain(python_function) if entry else python_function
        inner = {} if entry else INNER_OPTIONS
        dispatcher = njit(**OPTIONS, **inner, **extra_options)(python_function)
        compile_plain = dispatcher.compile

        def compile_with_slp(signature):
            with global_compiler_lock:
                previous = numba.config.SLP_VECTORIZE
                numba.config.SLP_VECTORIZE = int(slp)
                try:
                    entry_point = compile_plain(signature)
                finally:
                    numba.config.SLP_VECTORIZE = previous
                if not entry:
                    _refuse_returned_arrays(dispatcher)
                return entry_point

        # Both calls from Python and references from other jitted functions compile
        # through ``dispatcher.compile``, so one instance attribute covers every path.
        dispatcher.compile = compile_with_slp
        return dispatcher

    return wrap(function) if function is not None else wrap


def _holds_an_array(kind) -> bool:
    if isinstance(kind, numba.types.BaseTuple):
        return any(_holds_an_array(member) for member in kind.types)
    return isinstance(kind, numba.types.ArrayCompatible)


def _refuse_returned_arrays(dispatcher) -> None:
    """An inner kernel has no reference counting (``INNER_OPTIONS``): an array it returned
    would reach its caller without the reference the caller releases later."""
    for signature in dispatcher.nopython_signatures:
        if _holds_an_array(signature.return_type):
            raise TypeError(
                f"{dispatcher.py_func.__qualname__} returns {signature.return_type}: a kernel "
                "called from compiled code must not return an array (it runs without reference "
                "counting); write into an array argument instead, or make it an entry kernel."
            )


def _plain(python_function):
    """An entry kernel run as Python: silent about overflow, as the compiled one is."""

    @functools.wraps(python_function)
    def run(*arguments):
        with np.errstate(all="ignore"):
            return python_function(*arguments)

    return run
