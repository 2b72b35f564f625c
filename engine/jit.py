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

``entry=True`` marks the kernels Python calls; the others get no CPython or C wrapper.

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
    is a large part of a small function's compile time).
    """

    def wrap(python_function):
        if numba.config.DISABLE_JIT:
            return _plain(python_function) if entry else python_function
        wrappers = {} if entry else {"no_cpython_wrapper": True, "no_cfunc_wrapper": True}
        dispatcher = njit(**OPTIONS, **wrappers, **extra_options)(python_function)
        compile_plain = dispatcher.compile

        def compile_with_slp(signature):
            with global_compiler_lock:
                previous = numba.config.SLP_VECTORIZE
                numba.config.SLP_VECTORIZE = int(slp)
                try:
                    return compile_plain(signature)
                finally:
                    numba.config.SLP_VECTORIZE = previous

        # Both calls from Python and references from other jitted functions compile
        # through ``dispatcher.compile``, so one instance attribute covers every path.
        dispatcher.compile = compile_with_slp
        return dispatcher

    return wrap(function) if function is not None else wrap


def _plain(python_function):
    """An entry kernel run as Python: silent about overflow, as the compiled one is."""

    @functools.wraps(python_function)
    def run(*arguments):
        with np.errstate(all="ignore"):
            return python_function(*arguments)

    return run
