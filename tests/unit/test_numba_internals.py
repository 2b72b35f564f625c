"""Numba internals engine/jit.py relies on: each test names the assumption in plain words, so an
upgrade that moves one fails here rather than silently making the engine slower.

``engine.jit.kernel(slp=True)`` turns on LLVM's SLP vectoriser for one kernel (Numba has it off
by default) by flipping ``numba.config.SLP_VECTORIZE`` under Numba's global compiler lock while
that kernel's dispatcher compiles (its ``compile`` method is wrapped); ``entry=False`` kernels
skip the CPython and C wrappers (``no_cpython_wrapper``, ``no_cfunc_wrapper``) and reference
counting (the private ``_nrt=False``). The gains are in docs/benchmarks.md ("Private internals").
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numba

ROOT = Path(__file__).resolve().parents[2]

# Eight running sums over adjacent columns: the shape of the engine's register blocks, which SLP
# packs into vector instructions.
BODY = """
    z0 = z1 = z2 = z3 = z4 = z5 = z6 = z7 = 0.0
    for i in range(a.shape[0]):
        z0 += a[i, 0] * a[i, 0]
        z1 += a[i, 1] * a[i, 1]
        z2 += a[i, 2] * a[i, 2]
        z3 += a[i, 3] * a[i, 3]
        z4 += a[i, 4] * a[i, 4]
        z5 += a[i, 5] * a[i, 5]
        z6 += a[i, 6] * a[i, 6]
        z7 += a[i, 7] * a[i, 7]
    out[0] = z0
    out[1] = z1
    out[2] = z2
    out[3] = z3
    out[4] = z4
    out[5] = z5
    out[6] = z6
    out[7] = z7
"""
KERNELS = (
    ("with_slp", "@kernel(entry=True, slp=True)"),
    ("without_slp", "@kernel(entry=True)"),
    ("callee_with_slp", "@kernel(slp=True)"),  # compiled only as the caller's callee
)
CALLER = "\n@kernel(entry=True)\ndef caller(a, out):\n    callee_with_slp(a, out)\n"
# Counts, per kernel, the vector additions and multiplications in its optimised LLVM IR.
REPORT = """
import json, re
import numpy as np
import numba
import slp_kernels as m

vector = re.compile(r"= f(?:add|mul) (?:fast )?<\\d+ x double>")
a, out = np.random.default_rng(0).random((10, 8)), np.zeros(8)
m.with_slp(a, out)
m.without_slp(a, out)
m.caller(a, out)
count = lambda k: sum(len(vector.findall(c.library.get_llvm_str())) for c in k.overloads.values())
print(json.dumps({
    "with_slp": count(m.with_slp),
    "without_slp": count(m.without_slp),
    "callee_with_slp": count(m.callee_with_slp),
    "slp_after": numba.config.SLP_VECTORIZE,
}))
"""


def run_in_fresh_process(tmp_path, module_name: str, module: str, report: str):
    """Writes ``module`` as ``module_name``.py and runs ``report`` in a process of its own: an
    empty Numba cache (cached code cannot be inspected) and Numba's switches as it starts."""
    (tmp_path / f"{module_name}.py").write_text(module)
    env = {
        **os.environ,
        "NUMBA_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)]),
    }
    env.pop("NUMBA_SLP_VECTORIZE", None)
    env.pop("NUMBA_DISABLE_JIT", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(report)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        # Timeout: a few small kernels compile in ~2 s; a compiler lock that is not re-entrant
        # would hang (engine/jit.py takes it, then Numba's compile takes it again).
        timeout=180,
    )


def test_slp_is_on_for_exactly_the_kernels_that_ask_for_it(tmp_path):
    module = "from engine.jit import kernel\n" + "".join(
        f"\n{decorator}\ndef {name}(a, out):{BODY}\n" for name, decorator in KERNELS
    )
    result = run_in_fresh_process(tmp_path, "slp_kernels", module + CALLER, REPORT)
    assert result.returncode == 0, result.stderr[-3000:]
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["with_slp"] > 0, (
        "kernel(slp=True) no longer produces vector code: Numba no longer reads "
        "numba.config.SLP_VECTORIZE when it builds a kernel's optimisation passes, so "
        f"engine/jit.py's switch does nothing ({counts})."
    )
    assert counts["without_slp"] == 0, (
        f"A kernel without slp=True got SLP-vectorised code: the switch leaks ({counts})."
    )
    assert counts["callee_with_slp"] > 0, (
        "A kernel compiled because another kernel calls it no longer compiles through its "
        "dispatcher's compile method, so engine/jit.py's wrapper misses it and the engine's "
        f"register-blocked loops lose SLP ({counts})."
    )
    assert counts["slp_after"] == 0, "engine/jit.py left Numba's SLP switch on after compiling"


def test_the_switch_the_lock_and_the_wrapper_options_exist():
    from numba.core import cpu, dispatcher

    assert isinstance(getattr(numba.config, "SLP_VECTORIZE", None), int), (
        "numba.config.SLP_VECTORIZE is gone: engine/jit.py cannot turn SLP on per kernel."
    )
    try:
        from numba.core.compiler_lock import global_compiler_lock
    except ImportError:
        raise AssertionError(
            "numba.core.compiler_lock.global_compiler_lock is gone: engine/jit.py flips the "
            "SLP switch under it so that no other compile sees it."
        ) from None
    assert hasattr(global_compiler_lock, "__enter__")
    assert list(inspect.signature(dispatcher.Dispatcher.compile).parameters) == ["self", "sig"], (
        "numba's Dispatcher.compile(sig) changed: engine/jit.py wraps it per kernel."
    )
    for option in ("no_cpython_wrapper", "no_cfunc_wrapper"):
        assert hasattr(cpu.CPUTargetOptions, option), (
            f"Numba no longer accepts the {option} option: engine/jit.py's internal kernels "
            "would need their wrappers again (cold compile ~2.5 s longer)."
        )


def test_a_change_to_any_engine_source_moves_the_kernel_cache(tmp_path):
    """engine/jit.py names the cache directory after a digest of every engine source file:
    Numba keys a cached kernel by its own file's time stamp only, so without it an edited helper
    in another module (fast_tanh in activations.py) ran as its old compiled code."""
    from engine import jit

    files = [tmp_path / "a.py", tmp_path / "b.py"]
    files[0].write_text("x = 1\n")
    files[1].write_text("def helper():\n    return 2\n")
    before = jit.source_digest(files)
    files[1].write_text("def helper():\n    return 3\n")  # same size, same name
    assert jit.source_digest(files) != before
    assert Path(numba.config.CACHE_DIR) == jit.cache_directory()
    assert jit.cache_directory().name.endswith(
        jit.source_digest(sorted(jit.ENGINE_DIRECTORY.glob("*.py")))
    )


def test_numba_caches_where_numba_config_cache_dir_says_when_a_kernel_is_defined(tmp_path):
    """The assumption behind engine/jit.py's source-keyed cache: Numba reads
    ``numba.config.CACHE_DIR`` when a ``cache=True`` function is defined, not only from the
    environment at import."""
    import importlib.util

    module_file = tmp_path / "cached_kernel_module.py"
    module_file.write_text(
        "from engine.jit import kernel\n\n@kernel(entry=True)\ndef double(x):\n    return 2 * x\n"
    )
    previous = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = str(tmp_path / "cache")
    try:
        spec = importlib.util.spec_from_file_location("cached_kernel_module", module_file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.double(2.0) == 4.0
    finally:
        numba.config.CACHE_DIR = previous
    assert list((tmp_path / "cache").rglob("*.nbi")), (
        "Numba no longer reads numba.config.CACHE_DIR when a cached function is defined: "
        "engine/jit.py's cache directory keyed by the engine's sources has no effect, and an "
        "edited engine helper could run as its old compiled code."
    )


# An inner kernel that takes arrays and calls another kernel: the case where Numba's pass that
# removes reference-count pairs gives up, and where engine/jit.py's inner kernels drop them.
NRT_MODULE = """
from numba import njit
from engine.jit import OPTIONS, kernel

@kernel
def leaf(a, out):
    out[0] += a[0]

@kernel
def inner(a, b, out):
    leaf(a, out)
    leaf(b, out)

# The same body with Numba's defaults (a function of its own: the cache is per function).
@njit(**OPTIONS)
def counted(a, b, out):
    leaf(a, out)
    leaf(b, out)

# Numba itself refuses to return a view without reference counting, but not the argument.
@kernel
def same(a):
    return a

@kernel(entry=True)
def returns_an_argument(a):
    return same(a).sum()

@kernel(entry=True)
def caller(a, b, out):
    inner(a, b, out)
"""
NRT_REPORT = """
import json, re
import numpy as np
import nrt_kernels as m

a, b, out = np.ones(3), np.ones(3), np.zeros(1)
m.caller(a, b, out)
m.counted(a, b, out)
calls = re.compile(r"call void @NRT_(?:incref|decref)")
count = lambda k: sum(len(calls.findall(c.library.get_llvm_str())) for c in k.overloads.values())
try:
    m.returns_an_argument(a)
    refused = ""
except Exception as error:
    refused = str(error)
print(json.dumps({
    "inner": count(m.inner), "counted": count(m.counted), "out": out[0], "refused": refused
}))
"""


def test_inner_kernels_do_no_reference_counting_and_return_no_arrays(tmp_path):
    result = run_in_fresh_process(tmp_path, "nrt_kernels", NRT_MODULE, NRT_REPORT)
    assert result.returncode == 0, (
        "Compiling a kernel with Numba's private _nrt=False option failed; engine/jit.py's "
        "INNER_OPTIONS uses it for every inner kernel:\n" + result.stderr[-3000:]
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["out"] == 4.0, report
    assert report["counted"] > 0, (
        "Numba now removes the reference counts of a function that calls another by itself: "
        f"engine/jit.py's _nrt=False may no longer be needed ({report})."
    )
    assert report["inner"] == 0, (
        "An inner kernel compiled with _nrt=False still increments and decrements reference "
        "counts: Numba no longer maps the private _nrt option to its nrt flag, and the "
        f"engine's mini-batch loop pays ~37 atomic pairs per batch again ({report})."
    )
    assert "same returns array(float64, 1d, C)" in report["refused"], (
        "An inner kernel that returns an array compiled: it runs without reference counting, "
        f"so its caller would release a reference it never took ({report})."
    )
