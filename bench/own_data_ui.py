"""Drawing while playing: painted frames/s with a point added every second vs. none (issue 12).

    .venv/bin/python -m bench.own_data_ui                 # 3 rounds of 2 × 8 s
    .venv/bin/python -m bench.own_data_ui --seconds 10 --rounds 4 --every 0.5

Starts ``streamlit run app.py`` on a free port (stopped at the end), opens the Playground in
headless Chromium on your own data (20 points of two classes from the link), presses Play and
then measures, in alternating windows of ``--seconds``, the live view's painted frames per
second (``data-painted-frames``) while

* ``still``: the mouse rests over the output map (hover data flow as when drawing), no click;
* ``drawing``: a click on the output map every ``--every`` seconds adds a point (alternating
  classes, at fresh places: each one is a new figure structure for the browser).

Prints every window, the median of each kind, their ratio (the issue's bar: ≥ 0.9) and the
load average before and after: the 2-core machine is shared, so say what it was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import engine  # noqa: E402
from bench.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DATA_TO_SCREEN,
    free_port,
    streamlit_server,
)
from playground.drawing import link_value  # noqa: E402
from playground.own_data import decode_points  # noqa: E402

GRAPH = ".np-live-plotly-graph"
PAINTED = f"() => Number(document.querySelector('{GRAPH}')?.dataset.paintedFrames || 0)"


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def start_link() -> str:
    rng = np.random.default_rng(1)
    X = np.concatenate([rng.uniform(-5, -1, (10, 2)), rng.uniform(1, 5, (10, 2))])
    dataset = engine.Dataset.from_arrays(X, np.repeat([0, 1], 10))
    return f"?dataset=custom&points={link_value(*engine.train_test_split(dataset, 0.5, 1))}"


def window(page, seconds: float, every: float | None, rng) -> float:
    """Painted frames/s over ``seconds``; a click every ``every`` s (None: none)."""
    before, started = page.evaluate(PAINTED), time.monotonic()
    next_click = started
    while (now := time.monotonic()) < started + seconds:
        if every is not None and now >= next_click:
            x = float(rng.uniform(-5, 5))
            y = float(rng.uniform(-5, 5))
            ((sx, sy),) = page.evaluate(DATA_TO_SCREEN, [[x, y]])
            page.mouse.click(sx, sy)
            next_click += every
        time.sleep(0.02)
    return (page.evaluate(PAINTED) - before) / (time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--every", type=float, default=1.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average at start: {load_average()}")
    port = free_port()
    with streamlit_server(ROOT / "app.py", port), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.goto(f"http://127.0.0.1:{port}/{start_link()}")
        # Timeout: the first page of a server loads the JIT cache and Plotly.js.
        page.wait_for_selector(f"{GRAPH}:not([data-painted-frames='0'])", timeout=120_000)
        page.get_by_role("button", name="Play", exact=True).click()
        # Timeout: one rerun; margin for a loaded machine.
        page.get_by_role("button", name="Pause", exact=True).wait_for(timeout=30_000)
        ((sx, sy),) = page.evaluate(DATA_TO_SCREEN, [[0.0, 5.5]])
        page.mouse.move(sx, sy)  # over the map in both kinds of window
        time.sleep(3.0)  # the pace settles
        rng = np.random.default_rng(2)
        results: dict[str, list[float]] = {"still": [], "drawing": []}
        for round_number in range(args.rounds):
            for kind in ("still", "drawing") if round_number % 2 == 0 else ("drawing", "still"):
                fps = window(page, args.seconds, args.every if kind == "drawing" else None, rng)
                results[kind].append(fps)
                print(f"round {round_number + 1} {kind:8s} {fps:5.1f} painted frames/s")
        clicks = page.evaluate(f"() => document.querySelector('{GRAPH}').dataset.clicks")
        time.sleep(1.0)  # the last click's run
        points = parse_qs(urlparse(page.url).query)["points"][0]
        n_points = len(decode_points(points).dataset) if points.startswith("1.") else points
        browser.close()
    still, drawn = (statistics.median(results[k]) for k in ("still", "drawing"))
    print(
        f"median still {still:.1f}, drawing {drawn:.1f} painted frames/s; ratio "
        f"{drawn / still:.2f} (bar: >= 0.90); clicks sent {clicks}, points now {n_points} "
        "(20 at the start)"
    )
    print(f"load average at end: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
