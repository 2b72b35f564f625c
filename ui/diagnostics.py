"""The server's own memory accounting, for bench/soak.py: ``/_neuroplay/memory``.

Served only when the environment sets ``NEUROPLAY_DIAGNOSTICS=1`` (server.py). Resident
memory alone cannot show that a closed session was released, since Python keeps freed
arenas for reuse; counting the training runs still alive, and the bytes their arrays hold,
can.
"""

from __future__ import annotations

import gc
import os
import tracemalloc

import numpy as np
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from playground.run import TrainingRun

ENABLED = os.environ.get("NEUROPLAY_DIAGNOSTICS") == "1"
PATH = "/_neuroplay/memory"
TOP_LINES = 12  # source lines holding the most traced memory, in the report


def _array_bytes(value: object, seen: set[int]) -> int:
    """Bytes of the numpy arrays reachable from ``value`` through attributes, dicts, lists and
    tuples (each array's own buffer counted once)."""
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        owner = value if value.base is None else value.base
        if id(owner) in seen and owner is not value:
            return 0
        seen.add(id(owner))
        return int(getattr(owner, "nbytes", value.nbytes))
    if isinstance(value, dict):
        return sum(_array_bytes(v, seen) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_array_bytes(v, seen) for v in value)
    attributes = getattr(value, "__dict__", None)
    if attributes is None and hasattr(value, "__slots__"):
        attributes = {name: getattr(value, name, None) for name in value.__slots__}
    if attributes is None or type(value).__module__.split(".")[0] not in (
        "ui",
        "playground",
        "engine",
    ):
        return 0
    return sum(_array_bytes(v, seen) for v in attributes.values())


def memory_report() -> dict:
    """Live training runs, the bytes their arrays hold, and Python's traced memory if
    ``tracemalloc`` is on (``PYTHONTRACEMALLOC=1``)."""
    gc.collect()
    runs = [obj for obj in gc.get_objects() if isinstance(obj, TrainingRun)]
    seen: set[int] = set()
    report = {
        "training_runs": len(runs),
        "run_array_mb": sum(_array_bytes(run, seen) for run in runs) / 2**20,
        "history_rows": [run.trainer.history.length for run in runs],
    }
    if tracemalloc.is_tracing():
        report["traced_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
        top = tracemalloc.take_snapshot().statistics("lineno")[:TOP_LINES]
        report["traced_top"] = [f"{stat.size / 2**20:.1f} MB {stat.traceback}" for stat in top]
    return report


async def _memory(request: Request) -> JSONResponse:
    return JSONResponse(memory_report())


ROUTES = [Route(PATH, _memory)] if ENABLED else []
