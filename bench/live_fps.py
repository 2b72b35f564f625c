"""Measures the live Plotly view: painted frames/s in headless Chromium and server CPU per frame.

Run from the repository root (needs Debian's /usr/bin/chromium):

    .venv/bin/python bench/live_fps.py [--seconds 10] [--pages 5]

It starts ``streamlit run bench/live_demo_app.py`` on a free port, opens the page with Playwright,
presses Play and counts frames *painted* by the component (its ``data-painted-frames`` attribute,
incremented after each ``Plotly.react`` resolves) for ``--seconds``. Server CPU is utime+stime of
the streamlit process from /proc/<pid>/stat over the same window, divided by the frames the server
produced (the "Server frame N" caption). Then the same with ``--pages`` pages at once.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/live_fps.py` as well as `python -m bench.live_fps`
from bench.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    cpu_seconds,
    free_port,
    streamlit_server,
)

APP = ROOT / "bench" / "live_demo_app.py"
GRAPH = ".np-live-plotly-graph"


def painted(page) -> int:
    return int(page.get_attribute(GRAPH, "data-painted-frames") or 0)


def graph_meta(page) -> dict:
    """``layout.meta`` of the last painted frame: server_frame and component_cpu_ms."""
    return page.evaluate(f"document.querySelector('{GRAPH}').layout.meta") or {}


def server_frame(page) -> int:
    return int(graph_meta(page).get("server_frame", 0))


def open_and_play(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url)
    # First paint needs Plotly.js (4.8 MB) loaded and parsed once: 60 s is generous on 2 cores.
    page.wait_for_selector(f"{GRAPH}:not([data-painted-frames='0'])", timeout=60_000)
    page.get_by_role("button", name="Play", exact=True).click()
    # The Play click reruns the script; the Pause label confirms it is running.
    page.get_by_role("button", name="Pause", exact=True).wait_for(timeout=30_000)
    return page


def measure(pages: list, pid: int, seconds: float) -> tuple[list[float], float, int]:
    """Returns (fps per page, server CPU seconds, server frames) over ``seconds``."""
    time.sleep(2.0)  # let the loop reach its steady state
    start_painted = [painted(p) for p in pages]
    start_frames = [server_frame(p) for p in pages]
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    cpu1, t1 = cpu_seconds(pid), time.monotonic()
    end_painted = [painted(p) for p in pages]
    end_frames = [server_frame(p) for p in pages]
    fps = [(b - a) / (t1 - t0) for a, b in zip(start_painted, end_painted, strict=True)]
    frames = sum(b - a for a, b in zip(start_frames, end_frames, strict=True))
    return fps, cpu1 - cpu0, frames


def single_page(browser, url: str, pid: int, seconds: float, suffix: str) -> None:
    page = open_and_play(browser, url)
    fps, cpu, frames = measure([page], pid, seconds)
    print(f"painted_fps{suffix}={fps[0]:.1f}")
    print(f"server_frames_per_s{suffix}={frames / seconds:.1f}")
    print(f"server_cpu_ms_per_frame{suffix}={1000 * cpu / max(frames, 1):.1f}")
    print(f"component_cpu_ms_per_frame{suffix}={graph_meta(page)['component_cpu_ms']:.2f}")
    stats = page.evaluate("JSON.stringify(window.__npLivePlotly.stats.demo_live)")
    print(f"browser_stats{suffix}={stats}")
    page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument(
        "--no-svg", action="store_true", help="skip the run with 500 SVG scatter markers"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with streamlit_server(APP, port) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # The demo's default view: data points pre-rendered as one PNG layout image.
            single_page(browser, url, server.pid, args.seconds, "")
            if not args.no_svg:
                # The same view with the points as a Plotly scatter trace (500 SVG markers).
                single_page(browser, url + "?points=svg", server.pid, args.seconds, "_svg_markers")
            if args.pages > 0:
                pages = [open_and_play(browser, url) for _ in range(args.pages)]
                fps, cpu, frames = measure(pages, server.pid, args.seconds)
                for i, value in enumerate(fps):
                    print(f"page{i}_painted_fps={value:.1f}")
                print(f"pages{args.pages}_total_painted_fps={sum(fps):.1f}")
                print(
                    f"pages{args.pages}_server_cpu_ms_per_frame={1000 * cpu / max(frames, 1):.1f}"
                )
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
