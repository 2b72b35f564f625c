"""A new and a returning visitor's page load on several copies of the app, interleaved.

    .venv/bin/python -m bench.page_load_ab base=/tmp/base main=. [--rounds 12]

Each ``name=folder`` is a checkout of NeuroPlay (for instance ``git worktree add --detach
/tmp/base 3be0cba``, with ``static/`` copied and ``.venv`` linked to this one). One server per
checkout runs at once; every round times one load on each (bench/ui.py's d: navigate, press
Play, first trained frame painted; new browser context, then the same again as a returning
visitor), in turn and in alternating order, so that a drift in the machine's load hits every
checkout alike. Separate runs of ``bench.ui --only d`` moved ±0.3 s between rounds on this
2-core machine; interleaved, a 0.28 s difference stood out (docs/benchmarks.md).
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
from bench.ui import load_times, open_page  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("variants", nargs="+", help="name=folder of a NeuroPlay checkout")
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    roots = dict(variant.split("=", 1) for variant in args.variants)
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as servers, sync_playwright() as pw:
        urls = {}
        for name, root in roots.items():
            port = free_port()
            servers.enter_context(streamlit_server(Path(root).resolve() / "server.py", port))
            urls[name] = f"http://127.0.0.1:{port}/"
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for url in urls.values():  # each server's first session loads the Numba cache
            open_page(browser, url).context.close()
        print("load_average_start=" + " ".join(f"{v:.2f}" for v in os.getloadavg()))
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in urls}
        for round_ in range(args.rounds):
            order = list(urls) if round_ % 2 == 0 else list(reversed(urls))
            for name in order:
                times[name].append(load_times(browser, urls[name]))
        for name, values in times.items():
            new = [t[0] for t in values]
            again = [t[1] for t in values]
            print(
                f"{name}: new visitor {statistics.median(new):.2f} s, returning "
                f"{statistics.median(again):.2f} s (new: {' '.join(f'{t:.2f}' for t in new)})"
            )
        print("load_average_end=" + " ".join(f"{v:.2f}" for v in os.getloadavg()))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
