"""A page playing for minutes: the browser's and the server's memory, every minute, and slopes.

    .venv/bin/python -m bench.soak [--minutes 10] [--query "?dataset=spiral&hidden=8,8,8&speed=50"]

One server (server.py, with ``NEUROPLAY_DIAGNOSTICS=1`` for its own accounting: training
runs alive and the bytes their arrays hold, ui/diagnostics.py) and one headless Chromium page
that plays from the start. Every ``--every`` seconds it prints: the epoch, the page's renderer
memory (resident set of Chromium's renderer processes, and the JS heap, DOM nodes and event
listeners from the DevTools protocol), the server's resident set and its training runs. At the
end: the slope of each from minute 2 on (MB a minute, least squares); then the page is closed
and, after Streamlit's disconnected-session TTL (shortened here to 10 s) and two more visits
(Streamlit drops expired sessions when its session store next changes), the server's count of
live training runs and their history rows: none of them the played page's.

Issue 10's bound: the renderer within +100 MB of its level at minute 2 after 60 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/soak.py` as well as `-m`
from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server  # noqa: E402
from bench.ui import PAGE_STATE, new_page, play  # noqa: E402

SESSION_TTL = 10  # s: Streamlit's server.disconnectedSessionTTL for this server (default 120)
BASELINE_MINUTE = 2.0


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def renderer_pids(browser_cdp) -> list[int]:
    info = browser_cdp.send("SystemInfo.getProcessInfo")
    return [p["id"] for p in info["processInfo"] if p["type"] == "renderer"]


def server_report(base: str) -> dict:
    # Timeout: the report walks the server's heap once (well under a second).
    with urllib.request.urlopen(base + "_neuroplay/memory", timeout=30) as response:
        return json.load(response)


def slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope, units per minute, of (minute, value) samples."""
    if len(samples) < 2:
        return float("nan")
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_v = sum(v for _, v in samples) / n
    spread = sum((t - mean_t) ** 2 for t, _ in samples)
    return sum((t - mean_t) * (v - mean_v) for t, v in samples) / spread if spread else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--every", type=float, default=60.0, help="seconds between samples")
    parser.add_argument("--query", default="?dataset=spiral&hidden=8,8,8&speed=50")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {
        "NEUROPLAY_DIAGNOSTICS": "1",
        "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL),
    }
    with streamlit_server(ROOT / "server.py", port, env) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        browser_cdp = browser.new_browser_cdp_session()
        page = new_page(browser)
        page.goto(base + args.query)
        play(page)
        page_cdp = page.context.new_cdp_session(page)
        page_cdp.send("Performance.enable")
        print(f"load_average_start={' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        print(
            "minute epoch renderer_mb js_heap_mb dom_nodes listeners server_mb "
            "training_runs run_array_mb",
            flush=True,
        )
        started = time.monotonic()
        series: dict[str, list[tuple[float, float]]] = {
            "renderer_mb": [],
            "js_heap_mb": [],
            "server_mb": [],
        }
        while True:
            minute = (time.monotonic() - started) / 60
            metrics = {
                m["name"]: m["value"] for m in page_cdp.send("Performance.getMetrics")["metrics"]
            }
            values = {
                "renderer_mb": sum(resident_mb(pid) for pid in renderer_pids(browser_cdp)),
                "js_heap_mb": metrics["JSHeapUsedSize"] / 2**20,
                "server_mb": resident_mb(server.pid),
            }
            report = server_report(base)
            print(
                f"{minute:6.1f} {page.evaluate(PAGE_STATE)['epoch']:>9} "
                f"{values['renderer_mb']:8.0f} {values['js_heap_mb']:7.1f} "
                f"{metrics['Nodes']:6.0f} {metrics['JSEventListeners']:6.0f} "
                f"{values['server_mb']:6.0f} {report['training_runs']:3} "
                f"{report['run_array_mb']:7.2f}",
                flush=True,
            )
            for name, value in values.items():
                series[name].append((minute, value))
            if minute >= args.minutes:
                break
            next_sample = started + len(series["server_mb"]) * args.every
            time.sleep(max(0.0, next_sample - time.monotonic()))
        for name, samples in series.items():
            later = [(t, v) for t, v in samples if t >= BASELINE_MINUTE - 0.01]
            growth = later[-1][1] - later[0][1] if later else float("nan")
            print(
                f"{name}: slope {slope(later):+.2f} MB/min from minute {BASELINE_MINUTE:g}, "
                f"growth {growth:+.0f} MB"
            )
        soaked_rows = max(server_report(base)["history_rows"])
        page.context.close()
        # Streamlit keeps a closed page's session for reconnection until its TTL has passed,
        # and drops it at the next change to its session store: two more visits, each opened
        # and closed after the TTL; then no run may still hold the played page's history.
        for _ in range(2):
            time.sleep(SESSION_TTL + 2)
            visit = new_page(browser)
            visit.goto(base)
            play(visit)
            visit.context.close()
        time.sleep(SESSION_TTL + 2)
        last = new_page(browser)
        last.goto(base)
        play(last)
        after = server_report(base)
        print(
            f"after_close: training_runs={after['training_runs']} , history rows "
            f"{after['history_rows']} (the played page's: {soaked_rows}) "
            f"run_array_mb={after['run_array_mb']:.2f} server_mb={resident_mb(server.pid):.0f}"
        )
        print(f"load_average_end={' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        browser.close()
    return 0 if soaked_rows not in after["history_rows"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
