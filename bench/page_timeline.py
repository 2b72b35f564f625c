"""A new visitor's page load, step by step: when each thing happened, on the page's clock.

    .venv/bin/python -m bench.page_timeline [--loads 3]

Starts ``streamlit run app.py`` on a free port, loads the page once to warm the server, then
for each load opens a new browser context (empty cache, like bench/ui.py's "new visitor"),
presses Play as soon as it is there and waits for a painted frame of epoch >= 1. An init script
records ``performance.now()`` (ms since navigation) the first time each of these happens:

* ``ws_create``, ``ws_open``, ``ws_msg1``/``ws_msg30``/``ws_msg60``: Streamlit's WebSocket
  and its messages;
* ``plotly``: ``window.Plotly`` set (Plotly.js executed);
* ``h1``, ``play_button``, ``graph``: elements appearing; ``first_paint``: the graph's first
  drawn frame; ``click``: the pointer press on Play; ``pause_button``: the rerun's answer;
  ``trained_paint``: a frame of epoch >= 1 painted;

plus the navigation's ``dcl``/``load`` events and when Plotly.js was requested and received.
What it is for: seeing which step a page-load change moved (docs/benchmarks.md, session 4).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/page_timeline.py` as well as `-m`
from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server  # noqa: E402
from bench.ui import APP, PAGE_STATE, VIEWPORT, open_page  # noqa: E402

MARKS = r"""
window.__npTimeline = {};
const mark = (k) => {
  if (!(k in window.__npTimeline)) window.__npTimeline[k] = Math.round(performance.now());
};
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  mark("ws_create");
  const ws = new NativeWebSocket(...args);
  let n = 0;
  ws.addEventListener("open", () => mark("ws_open"));
  ws.addEventListener("message", () => {
    n += 1;
    if ([1, 30, 60].includes(n)) mark("ws_msg" + n);
  });
  return ws;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
Object.assign(window.WebSocket, NativeWebSocket);
let plotly;
Object.defineProperty(window, "Plotly", {
  configurable: true, get() { return plotly; }, set(v) { plotly = v; mark("plotly"); },
});
document.addEventListener("pointerdown", () => mark("click"), true);
new MutationObserver(() => {
  if (document.querySelector("h1")) mark("h1");
  const gd = document.querySelector(".np-live-plotly-graph");
  if (gd) mark("graph");
  if (gd && gd.dataset.paintedFrames && gd.dataset.paintedFrames !== "0") mark("first_paint");
  if (gd && gd.dataset.frameId && +gd.dataset.frameId >= 1) mark("trained_paint");
  for (const b of document.querySelectorAll("button")) {
    const text = b.innerText.trim();
    if (text.endsWith("Play")) mark("play_button");
    if (text.endsWith("Pause")) mark("pause_button");
  }
}).observe(document, { subtree: true, childList: true, attributes: true });
"""

NAVIGATION = """() => {
    const n = performance.getEntriesByType("navigation")[0];
    const p = performance.getEntriesByType("resource")
        .find((r) => /plotly[^/]*\\.js$/.test(r.name));
    return {dcl: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd),
            plotly_requested: p ? Math.round(p.startTime) : null,
            plotly_received: p ? Math.round(p.responseEnd) : null};
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with streamlit_server(APP, port), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            open_page(browser, base).context.close()
            for load in range(args.loads):
                context = browser.new_context(viewport=VIEWPORT)
                context.add_init_script(MARKS)
                page = context.new_page()
                started = time.monotonic()
                page.goto(base)
                page.get_by_role("button", name="Play", exact=True).click()
                # Timeout: a stuck page only; a load takes ~3 s here.
                page.wait_for_function(
                    f"({PAGE_STATE})().paintedEpoch >= 1", timeout=60_000, polling=10
                )
                wall = time.monotonic() - started
                marks = {**page.evaluate("window.__npTimeline"), **page.evaluate(NAVIGATION)}
                ordered = dict(sorted(marks.items(), key=lambda item: item[1] or 0))
                print(f"load {load}: {wall:.2f} s  {json.dumps(ordered)}")
                context.close()
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
