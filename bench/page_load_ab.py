"""A new and a returning visitor's page load on several copies of the app, interleaved.

    .venv/bin/python -m bench.page_load_ab base=/tmp/base main=. [--rounds 12]
    .venv/bin/python -m bench.page_load_ab early=/tmp/old/server.py plain=/tmp/old/app.py

Each ``name=path`` is a checkout of NeuroPlay, served as its scripts/run.sh served it (for
instance ``git worktree add --detach /tmp/base 3be0cba``, with ``static/`` copied and ``.venv``
linked to this one), or a main script to serve (``early=/tmp/old/server.py
plain=/tmp/old/app.py``: an old checkout's app with and without its middleware, as measured in
docs/benchmarks.md). One server per variant runs at once; every round times one load on each
(bench/ui.py's d: navigate, press Play, first trained frame painted; new browser context, then
the same again as a returning visitor), in turn and in alternating order, so that a drift in
the machine's load hits every variant alike. Separate runs of ``bench.ui --only d`` moved
±0.3 s between rounds on this 2-core machine; interleaved, a 0.28 s difference stood out
(docs/benchmarks.md).

Printed per variant, new and returning visitor: the median and the interquartile range of the
first trained frame (s after navigation, wall clock) and of the graph's first paint (the page's
clock: when the live graph first showed a frame, before Play; what loading Plotly.js earlier
can change), and the load average before every round. ``--mbit 10 --latency 40`` throttles
each page's network (Chromium's emulation) instead of localhost's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/page_load_ab.py` as well as `-m`
from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server  # noqa: E402
from bench.ui import GRAPH, new_page, open_page, time_to_trained_frame  # noqa: E402

# Records in the page when the live graph first shows a painted frame (performance.now(), ms
# since navigation): an observer on the painted-frames counter the component keeps.
FIRST_PAINT_OBSERVER = f"""
(() => {{
  const seen = () => document.querySelector("{GRAPH}:not([data-painted-frames='0'])");
  const observer = new MutationObserver(() => {{
    if (window.__npFirstPaintMs === undefined && seen()) {{
      window.__npFirstPaintMs = performance.now();
      observer.disconnect();
    }}
  }});
  observer.observe(document, {{subtree: true, childList: true, attributes: true,
                               attributeFilter: ["data-painted-frames"]}});
}})();
"""


def script_of(path: str) -> Path:
    """The main script a variant serves: the given .py file, or a checkout's server.py (what
    scripts/run.sh served up to issue 11, with its middleware) or else its app.py."""
    target = Path(path).resolve()
    if target.suffix == ".py":
        return target
    middleware = (target / "ui" / "early_plotly.py").exists()
    return target / ("server.py" if middleware else "app.py")


def one_load(page, url: str) -> tuple[float, float]:
    """(first trained frame s, wall clock; graph's first paint s, page clock) of one load."""
    trained = time_to_trained_frame(page, url)
    return trained, page.evaluate("window.__npFirstPaintMs") / 1000


def throttle(page, mbit: float, latency_ms: float) -> None:
    """Chromium's network emulation for ``page``: ``mbit`` Mbit/s down (a quarter of it up)
    and ``latency_ms`` more per request, as over a school's Wi-Fi rather than localhost."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": mbit * 1e6 / 8,
            "uploadThroughput": mbit * 1e6 / 32,
        },
    )


def load_pair(
    browser, url: str, mbit: float = 0.0, latency_ms: float = 0.0
) -> tuple[tuple[float, float], tuple[float, float]]:
    """One new visitor's load (empty browser cache) and a returning one's (same context)."""
    page = new_page(browser)
    page.context.add_init_script(FIRST_PAINT_OBSERVER)
    if mbit > 0:
        throttle(page, mbit, latency_ms)
    first = one_load(page, url)
    again = one_load(page, url)  # a reload starts a new Streamlit session too
    page.context.close()
    return first, again


def summary(values: list[float]) -> str:
    """``median [q1, q3]`` of ``values`` in seconds (the middle half of them lies in [q1, q3])."""
    if len(values) < 2:
        return f"{values[0]:.2f}"
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    sign = "+" if min(values) < 0 else ""  # differences carry their sign
    return f"{median:{sign}.2f} [{q1:{sign}.2f}, {q3:{sign}.2f}]"


def paired(first: tuple[str, list], second: tuple[str, list]) -> str:
    """Two variants' new-visitor loads compared round by round (each round's two loads ran
    back to back, so the machine's drift cancels): the median difference and who won."""
    (a, a_pairs), (b, b_pairs) = first, second
    lines = []
    for what, which in (("first trained frame", 0), ("graph's first paint", 1)):
        diffs = [pb[0][which] - pa[0][which] for pa, pb in zip(a_pairs, b_pairs)]
        wins = sum(d > 0 for d in diffs)
        lines.append(
            f"new visitor, {what}: {b} - {a} per round {summary(diffs)} s (median [IQR]), "
            f"{a} sooner in {wins} of {len(diffs)} rounds"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("variants", nargs="+", help="name=path: a checkout or a main script")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--mbit", type=float, default=0.0, help="throttle the network (Mbit/s)")
    parser.add_argument("--latency", type=float, default=0.0, help="ms per request, throttled")
    args = parser.parse_args()
    scripts = {name: script_of(path) for name, path in (v.split("=", 1) for v in args.variants)}
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as servers, sync_playwright() as pw:
        urls = {}
        for name, script in scripts.items():
            port = free_port()
            servers.enter_context(streamlit_server(script, port))
            urls[name] = f"http://127.0.0.1:{port}/"
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for url in urls.values():  # each server's first session loads the Numba cache
            open_page(browser, url).context.close()
        print("load_average_start=" + " ".join(f"{v:.2f}" for v in os.getloadavg()))
        # name -> [(new visitor (trained, first paint), returning visitor (trained, first paint))]
        times: dict[str, list] = {name: [] for name in urls}
        for round_ in range(args.rounds):
            order = list(urls) if round_ % 2 == 0 else list(reversed(urls))
            loads = " ".join(f"{v:.2f}" for v in os.getloadavg())
            for name in order:
                times[name].append(load_pair(browser, urls[name], args.mbit, args.latency))
            line = ", ".join(f"{n} {times[n][-1][0][0]:.2f}" for n in order)
            print(f"round {round_ + 1} (load {loads}): new visitor, first trained frame: {line}")
        for name, pairs in times.items():
            for visitor, which in (("new", 0), ("returning", 1)):
                trained = [pair[which][0] for pair in pairs]
                painted = [pair[which][1] for pair in pairs]
                print(
                    f"{name} {visitor} visitor: first trained frame {summary(trained)} s, "
                    f"graph's first paint {summary(painted)} s (median [IQR], n={len(pairs)})"
                )
            print(f"{name} new, trained: {' '.join(f'{p[0][0]:.2f}' for p in pairs)}")
        if len(times) == 2:
            print(paired(*times.items()))
        print("load_average_end=" + " ".join(f"{v:.2f}" for v in os.getloadavg()))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
