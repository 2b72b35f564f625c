"""Where a Playground page load goes, as the browser tests load it: a new page in a browser
context that loaded the page before (tests/browser/conftest.py's shared context) against a new
context (what every test had before), alternating.

    .venv/bin/python -m bench.page_profile [--rounds 4] [--query "?dataset=xor"]

Starts ``streamlit run app.py`` on a free port, loads the page once to warm the server (and the
shared context's cache), then per round one load of each kind (order alternating), each timed
from ``goto`` to the live graph's first painted frame. Printed per load and as medians:

* ``wall_s``: goto → first painted frame;
* ``server_cpu_s``: utime+stime of the streamlit process over the load (its first script run
  for the new session, serialising and serving);
* ``script_s``, ``task_s``: Chromium's own counters (DevTools ``Performance.getMetrics``) for
  the page: JavaScript run and all main-thread tasks;
* ``transfer_kb``: bytes the network brought (0 for what came from the HTTP cache), and
  ``plotly_kb``: of those, Plotly.js';
* with ``--cpu-profile``: the page's JavaScript self time by script file (DevTools profiler,
  1 ms samples), the top ones.

The load average is printed at the start and the end: the machine is shared, so say what it was.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/page_profile.py` as well as `-m`
from bench.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    cpu_seconds,
    free_port,
    streamlit_server,
)
from bench.ui import APP, GRAPH, VIEWPORT  # noqa: E402

PAINTED = f"{GRAPH}:not([data-painted-frames='0'])"
RESOURCES = """() => performance.getEntriesByType('resource')
    .map((r) => [r.name, r.transferSize])"""


def by_script(profile: dict, top: int) -> dict[str, float]:
    """Self time (ms) of each script file in a DevTools CPU profile, the ``top`` largest."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    spent: collections.Counter = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[sample]["callFrame"]
        name = frame["url"].rsplit("/", 1)[-1] or f"({frame['functionName']})"
        spent[name] += delta / 1e3
    return {name: round(ms) for name, ms in spent.most_common(top)}


def load(context, url: str, server_pid: int, cpu_profile: bool) -> dict:
    """One load of ``url`` in a new page of ``context``, measured (see the module's docstring)."""
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("Performance.enable")
    if cpu_profile:
        devtools.send("Profiler.enable")
        devtools.send("Profiler.setSamplingInterval", {"interval": 1000})
        devtools.send("Profiler.start")
    cpu, started = cpu_seconds(server_pid), time.monotonic()
    page.goto(url)
    # Timeout: a load takes ~5 s on a quiet box; 120 s at load 15+ with other browsers.
    page.wait_for_selector(PAINTED, timeout=120_000)
    wall = time.monotonic() - started
    metrics = {m["name"]: m["value"] for m in devtools.send("Performance.getMetrics")["metrics"]}
    resources = page.evaluate(RESOURCES)
    result = {
        "wall_s": round(wall, 2),
        "server_cpu_s": round(cpu_seconds(server_pid) - cpu, 2),
        "script_s": round(metrics["ScriptDuration"], 2),
        "task_s": round(metrics["TaskDuration"], 2),
        "transfer_kb": round(sum(size for _, size in resources) / 1e3),
        "plotly_kb": round(sum(size for name, size in resources if "plotly" in name) / 1e3),
    }
    if cpu_profile:
        result["js_ms_by_script"] = by_script(devtools.send("Profiler.stop")["profile"], 8)
    devtools.detach()
    page.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--query", default="", help='e.g. "?dataset=xor"')
    parser.add_argument("--cpu-profile", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print("load average at start:", os.getloadavg())
    port = free_port()
    url = f"http://127.0.0.1:{port}/{args.query}"
    loads: dict[str, list[dict]] = {"new_context": [], "shared_context": []}
    with streamlit_server(APP, port) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            shared = browser.new_context(viewport=VIEWPORT)
            warm = shared.new_page()
            warm.goto(url)
            # Timeout: a fresh server may compile or load the Numba cache first.
            warm.wait_for_selector(PAINTED, timeout=300_000)
            warm.close()
            for round_ in range(args.rounds):
                kinds = ["new_context", "shared_context"][:: 1 if round_ % 2 == 0 else -1]
                for kind in kinds:
                    context = (
                        browser.new_context(viewport=VIEWPORT) if kind == "new_context" else shared
                    )
                    result = load(context, url, server.pid, args.cpu_profile)
                    if context is not shared:
                        context.close()
                    loads[kind].append(result)
                    print(kind, json.dumps(result), flush=True)
        finally:
            browser.close()
    for kind, results in loads.items():
        keys = [key for key in results[0] if key != "js_ms_by_script"]
        print(kind, "median", {key: statistics.median(r[key] for r in results) for key in keys})
    print("load average at end:", os.getloadavg())
    return 0


if __name__ == "__main__":
    sys.exit(main())
