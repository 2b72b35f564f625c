"""The engine's one compile decorator: ``njit(cache=True, nogil=True)`` with SLP vectorisation.

Why SLP: the hot loops keep eight running sums per block of padded lanes in scalar
variables (``z0 … z7``); LLVM's SLP vectoriser turns each group of eight into one AVX-512
(or two AVX2) instruction.  Numba switches SLP off by default since 0.57 (numba#8852,
miscompilations seen with older LLVMs), so ``kernel`` turns it on *only while one of the
engine's own functions compiles*: the switch is flipped and restored under Numba's
(re-entrant) global compiler lock, so other code in the process compiles as usual.  The
engine's results are checked against a plain NumPy reference and finite differences by
the test suite (``tests/unit``, ``tests/property``).  docs/benchmarks.md has the numbers:
a dense 8 → 8 layer over 10 rows went from ~200 ns to ~45 ns.
"""

from __future__ import annotations

import numba
from numba import njit
from numba.core.compiler_lock import global_compiler_lock

OPTIONS = {"cache": True, "nogil": True, "error_model": "numpy"}


def kernel(function=None, **extra_options):
    """``@kernel`` or ``@kernel(fastmath={...})``: a Numba dispatcher compiled with SLP on."""

    def wrap(python_function):
        dispatcher = njit(**OPTIONS, **extra_options)(python_function)
        compile_plain = dispatcher.compile

        def compile_with_slp(signature):
            with global_compiler_lock:
                previous = numba.config.SLP_VECTORIZE
                numba.config.SLP_VECTORIZE = 1
                try:
                    return compile_plain(signature)
                finally:
                    numba.config.SLP_VECTORIZE = previous

        # Both calls from Python and references from other jitted functions compile
        # through ``dispatcher.compile``, so one instance attribute covers every path.
        dispatcher.compile = compile_with_slp
        return dispatcher

    return wrap(function) if function is not None else wrap
