"""Measures the real Playground in headless Chromium: frames/s, server CPU, sessions, page load.

Run from the repository root (needs Debian's /usr/bin/chromium):

    .venv/bin/python -m bench.ui            # or: .venv/bin/python bench/ui.py [--seconds 10]

It starts ``streamlit run app.py`` (what scripts/run.sh serves) from the venv on a
free port (always stopped at the end) and prints, measured in this one run:

a. ``painted_fps``: frames Plotly finished drawing per second (the live component's
   ``data-painted-frames`` counter on the graph div), full default view (circle, [4, 2], every
   neuron map, output map, loss chart), playing at speed 1 (``?speed=1``), over ``--seconds``;
b. ``server_cpu_ms_per_frame``: utime+stime of the streamlit process (/proc/<pid>/stat) over the
   same window divided by the frames the server produced (= epochs advanced: one frame trains
   one epoch at speed 1; the page shows them in ``[data-testid=np-metrics]`` ``data-epoch``);
c. ``--pages`` browser contexts (separate sessions) playing at once, each with its own data set
   and learning rate in its URL: painted fps of each, and an isolation check (each page keeps its
   own URL, data set and epoch count; pausing one does not pause the others);
d. ``load_to_first_trained_frame_*_s``: a new session with a warm JIT cache: navigate, press
   Play as soon as it is there, time until a frame of epoch >= 1 is painted; for a new visitor
   (new browser context: Plotly.js' 4.8 MB not cached) and a returning one (same context again);
e. ``epochs_per_s_888``: training speed of [8, 8, 8] on 250 points while drawing, at the
   highest speed setting (``?hidden=8,8,8&speed=500``);
f. ``epochs_per_s_default``: training pace at the defaults (speed "auto"), epochs per second
   of real time from ``data-epoch``, and ``circle_converged_s``: seconds from the Play click
   until the caption line shows a test loss below 0.05;
g. ``painted_fps_8x16``: painted frames/s at ``?hidden=16,16,16,16,16,16,16,16``, and the
   lowest opacity of the live view's element container sampled meanwhile (Streamlit fades
   elements it considers stale while a run is in progress: 1.0 means never faded);
h. ``pause_latency_8x16_s``: Pause pressed while playing at 8x16, seconds from the click to
   the last change of the epoch counter (``data-epoch``, watched by a MutationObserver in
   the page), median of ``--loads`` pauses; the same at the defaults;
i. ``insight_fps_ratio_<view>``: painted frames/s of the default view (speed 1) playing with
   the Insight expander open on each view, divided by the mean of the closed measurements just
   before and after it (closed, view, closed, view, …, all in one session and one run). Each
   window lasts a whole number of the views' redraw intervals (at least two of the longest,
   and ``--seconds``): a 10 s window held one redraw of Distributions, or none, or two; each
   view is measured in ``--insight-rounds`` rounds and its ratio is over all of them.
   ``insight_server_ms_per_frame_<view>`` (and ``_closed``): the server's CPU per frame in
   those windows, as in b.

The load average is printed at the start and the end: the machine is shared, so say what it was.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/ui.py` as well as `python -m bench.ui`
from bench.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    cpu_seconds,
    free_port,
    streamlit_server,
)

APP = ROOT / "app.py"  # what scripts/run.sh serves
VIEWPORT = {"width": 1400, "height": 900}
GRAPH = ".np-live-plotly-graph"
METRICS = '[data-testid="np-metrics"]'
# (data set, learning rate) of each concurrent session: every page must keep its own.
SESSIONS = (
    ("circle", "0.03"),
    ("xor", "0.1"),
    ("gauss", "0.01"),
    ("spiral", "0.3"),
    ("plane", "0.003"),
    ("circle", "1"),
    ("xor", "0.001"),
    ("gauss", "3"),
)

# State of one page read in one evaluate: epoch shown, frames painted, epoch of the last painted
# frame (the component's data-frame-id, which ui/live.py sets to the epoch), URL.
PAGE_STATE = f"""() => {{
    const m = document.querySelector('{METRICS}');
    const gd = document.querySelector('{GRAPH}');
    return {{
        epoch: m ? +m.dataset.epoch : -1,
        interval: m ? m.dataset.interval : "",
        painted: gd ? +(gd.dataset.paintedFrames || 0) : 0,
        paintedEpoch: gd && gd.dataset.frameId ? +gd.dataset.frameId : -1,
        url: location.href,
    }};
}}"""


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def state(page) -> dict:
    return page.evaluate(PAGE_STATE)


def new_page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    return context.new_page()


def open_page(browser, url: str):
    """A new session on ``url``, once its graph painted the first time."""
    page = new_page(browser)
    page.goto(url)
    # Timeout: the first page of a server loads the JIT cache and Plotly.js; 60 s on a busy box.
    page.wait_for_selector(f"{GRAPH}:not([data-painted-frames='0'])", timeout=60_000)
    return page


def play(page) -> None:
    page.get_by_role("button", name="Play", exact=True).click()
    # Timeout: the click reruns the script (well under 1 s); margin for a loaded machine.
    page.get_by_role("button", name="Pause", exact=True).wait_for(timeout=30_000)


def pause(page) -> None:
    page.get_by_role("button", name="Pause", exact=True).click()
    page.get_by_role("button", name="Play", exact=True).wait_for(
        timeout=30_000
    )  # Timeout: one rerun.


def stats(page) -> dict:
    return page.evaluate("window.__npLivePlotly.stats.playground_view") or {}


def measure(pages: list, pid: int, seconds: float) -> dict:
    """Painted fps per page, epochs advanced per page and server CPU over ``seconds``."""
    before = [state(p) for p in pages]
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    cpu1, t1 = cpu_seconds(pid), time.monotonic()
    after = [state(p) for p in pages]
    elapsed = t1 - t0
    return {
        "fps": [(b["painted"] - a["painted"]) / elapsed for a, b in zip(before, after)],
        "epochs": [b["epoch"] - a["epoch"] for a, b in zip(before, after)],
        "elapsed": elapsed,
        "cpu": cpu1 - cpu0,
        "after": after,
    }


def time_to_trained_frame(page, url: str) -> float:
    """Seconds from navigation to a painted frame of epoch >= 1 (Play pressed when it appears)."""
    started = time.monotonic()
    page.goto(url)
    play(page)
    # Timeout: the bar is 3 s; 60 s only guards a stuck page.
    page.wait_for_function(f"({PAGE_STATE})().paintedEpoch >= 1", timeout=60_000, polling=10)
    return time.monotonic() - started


def load_times(browser, url: str) -> tuple[float, float]:
    """(new visitor: empty browser cache, returning visitor: the same browser loads the page
    again), each a new Streamlit session on a server whose JIT cache is warm."""
    page = new_page(browser)
    first = time_to_trained_frame(page, url)
    again = time_to_trained_frame(page, url)  # a reload starts a new session too
    page.context.close()
    return first, again


def default_view(browser, base: str, pid: int, seconds: float) -> None:
    # Speed 1 (the default before "auto"): one frame per epoch, so b stays comparable.
    page = open_page(browser, base + "?speed=1")
    play(page)
    time.sleep(2.0)  # steady state
    m = measure([page], pid, seconds)
    frames = m["epochs"][0]  # speed 1: one server frame per epoch
    print(f"painted_fps={m['fps'][0]:.1f}")
    print(f"server_frames_per_s={frames / m['elapsed']:.1f}")
    print(f"server_cpu_ms_per_frame={1000 * m['cpu'] / max(frames, 1):.1f}")
    print(f"server_cpu_percent={100 * m['cpu'] / m['elapsed']:.0f}")
    print(f"frame_interval_s={m['after'][0]['interval']}")
    print(f"browser_stats={json.dumps(stats(page), separators=(',', ':'))}")
    page.context.close()


def epochs_per_second(browser, base: str, seconds: float) -> None:
    page = open_page(browser, base + "?hidden=8,8,8&speed=500")
    play(page)
    time.sleep(2.0)
    before = state(page)
    t0 = time.monotonic()
    time.sleep(seconds)
    after = state(page)
    elapsed = time.monotonic() - t0
    epochs = after["epoch"] - before["epoch"]
    print(f"epochs_per_s_888={epochs / elapsed:.0f}")
    print(f"server_frames_per_s_888={epochs / 500 / elapsed:.1f}")  # 500 epochs a frame
    print(f"painted_fps_888={(after['painted'] - before['painted']) / elapsed:.1f}")
    print(f"frame_interval_s_888={after['interval']}")
    page.context.close()


LARGE_NETWORK = "?hidden=16,16,16,16,16,16,16,16"
# Lowest opacity of the live view's element container (Streamlit's stale fade), sampled every
# 50 ms for ``seconds`` in the page.
MIN_OPACITY = """async (seconds) => {
    let lowest = 1;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
        const graph = document.querySelector('.np-live-plotly-graph');
        for (let el = graph; el; el = el.parentElement) {
            lowest = Math.min(lowest, +getComputedStyle(el).opacity);
        }
        await new Promise((r) => setTimeout(r, 50));
    }
    return lowest;
}"""
# Installed before pressing Pause: the time of the first click and of every change of the epoch
# counter after it (the caption element may be replaced on a remount: observe the whole body).
WATCH_PAUSE = f"""() => {{
    const watch = {{clickAt: null, changes: []}};
    window.__npPauseWatch = watch;
    document.addEventListener('click', () => {{
        if (watch.clickAt === null) watch.clickAt = performance.now();
    }}, true);
    new MutationObserver(() => {{
        if (watch.clickAt !== null) {{
            const m = document.querySelector('{METRICS}');
            watch.changes.push([performance.now(), m ? m.dataset.epoch : null]);
        }}
    }}).observe(document.body, {{subtree: true, attributes: true,
                                 attributeFilter: ['data-epoch']}});
}}"""
PAUSE_LATENCY = """() => {
    const watch = window.__npPauseWatch;
    const last = watch.changes.length ? watch.changes[watch.changes.length - 1][0] : null;
    return {latency: last === null ? 0 : (last - watch.clickAt) / 1000,
            changes: watch.changes.length};
}"""


def pace_at_defaults(browser, base: str, seconds: float) -> None:
    page = open_page(browser, base)
    started = time.monotonic()
    play(page)
    # Timeout: the bar is 3 s; 60 s only guards a stuck page.
    page.wait_for_function(
        f"""() => {{
            const m = document.querySelector('{METRICS}');
            const found = m && /test loss ([0-9.]+)/.exec(m.textContent);
            return found && +found[1] < 0.05;
        }}""",
        timeout=60_000,
        polling=20,
    )
    converged = time.monotonic() - started
    time.sleep(max(0.0, 2.0 - converged))
    before, t0 = state(page), time.monotonic()
    time.sleep(seconds)
    after, elapsed = state(page), time.monotonic() - t0
    text = page.locator(METRICS).first.inner_text()
    print(f"circle_converged_s={converged:.2f}  (target <= 3)")
    print(
        f"epochs_per_s_default={(after['epoch'] - before['epoch']) / elapsed:.0f}  (target >= 60)"
    )
    print(f"painted_fps_default={(after['painted'] - before['painted']) / elapsed:.1f}")
    print(f"caption_default={text!r}")
    page.context.close()


def large_network(browser, base: str, seconds: float) -> None:
    page = open_page(browser, base + LARGE_NETWORK)
    play(page)
    time.sleep(2.0)
    before, t0 = state(page), time.monotonic()
    lowest = page.evaluate(MIN_OPACITY, seconds)
    after, elapsed = state(page), time.monotonic() - t0
    print(f"painted_fps_8x16={(after['painted'] - before['painted']) / elapsed:.1f}  (target >= 5)")
    print(f"epochs_per_s_8x16={(after['epoch'] - before['epoch']) / elapsed:.0f}")
    print(f"lowest_opacity_8x16={lowest:.2f}  (target 1.00: never faded)")
    print(f"frame_interval_s_8x16={after['interval']}")
    print(f"browser_stats_8x16={json.dumps(stats(page), separators=(',', ':'))}")
    page.context.close()


def pause_latencies(browser, base: str, query: str, repeats: int) -> list[float]:
    """Seconds from the Pause click to the epoch counter's last change, ``repeats`` times."""
    page = open_page(browser, base + query)
    latencies = []
    for _ in range(repeats):
        play(page)
        time.sleep(3.0)
        page.evaluate(WATCH_PAUSE)
        page.get_by_role("button", name="Pause", exact=True).click()
        time.sleep(4.0)  # long enough for any late frame to show up
        latencies.append(page.evaluate(PAUSE_LATENCY)["latency"])
        # Timeout: one rerun.
        page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
    page.context.close()
    return latencies


def pause_latency(browser, base: str, repeats: int) -> None:
    for label, query in (("8x16", LARGE_NETWORK), ("default", "")):
        values = pause_latencies(browser, base, query, repeats)
        print(
            f"pause_latency_{label}_s={statistics.median(values):.2f}"
            f" (runs: {', '.join(f'{v:.2f}' for v in values)})  (target <= 0.3)"
        )


def concurrent_sessions(
    browser, base: str, pid: int, n: int, seconds: float, settle: float
) -> bool:
    setups = [SESSIONS[i % len(SESSIONS)] for i in range(n)]
    pages = [open_page(browser, f"{base}?dataset={d}&lr={lr}") for d, lr in setups]
    for page in pages:
        play(page)
    # Each browser reports what it painted every 2 s and its session's pacing adapts to it
    # (ui/live.py); measure the steady state after a few reports.
    time.sleep(settle)
    m = measure(pages, pid, seconds)
    for i, ((dataset, lr), fps, epochs, after) in enumerate(
        zip(setups, m["fps"], m["epochs"], m["after"])
    ):
        print(
            f"session{i}_{dataset}_lr{lr}_painted_fps={fps:.1f} epochs={epochs}"
            f" frame_interval_s={after['interval']}"
        )
    print(f"sessions{n}_total_painted_fps={sum(m['fps']):.1f}")
    frames = sum(m["epochs"])
    print(f"sessions{n}_server_frames_per_s={frames / m['elapsed']:.1f}")
    print(f"sessions{n}_server_cpu_ms_per_frame={1000 * m['cpu'] / max(frames, 1):.1f}")

    # Isolation: each page still shows its own setup, and pausing page 0 leaves the others playing.
    import engine  # data set titles, as the page shows them

    ok = True
    for i, ((dataset, lr), page) in enumerate(zip(setups, pages)):
        url = page.url
        shown = page.get_by_label("Data set", exact=True).first.input_value()
        shown_lr = page.get_by_label("Learning rate", exact=True).first.input_value()
        if f"dataset={dataset}" not in url or f"lr={lr}" not in url:
            print(f"ISOLATION FAILED: session{i} URL is {url}")
            ok = False
        if shown != engine.DATASETS[dataset].title or float(shown_lr) != float(lr):
            print(
                f"ISOLATION FAILED: session{i} shows data set {shown!r}, learning rate {shown_lr}"
            )
            ok = False
    pause(pages[0])
    time.sleep(0.5)
    before = [state(p)["epoch"] for p in pages]
    time.sleep(3.0)
    after = [state(p)["epoch"] for p in pages]
    if after[0] != before[0]:
        print(f"ISOLATION FAILED: paused session0 advanced {before[0]} -> {after[0]}")
        ok = False
    for i in range(1, n):
        if after[i] <= before[i]:
            print(f"ISOLATION FAILED: session{i} stopped when session0 paused")
            ok = False
    # Different sessions started at different times and train at different rates: they must not
    # all show one shared epoch counter.
    if n > 1 and len(set(after)) == 1:
        print(f"ISOLATION FAILED: every session shows epoch {after[0]}")
        ok = False
    print(f"sessions{n}_epochs_after_pausing_session0={before} -> {after}")
    print(f"sessions{n}_isolated={'yes' if ok else 'NO'}")
    for page in pages:
        page.context.close()
    return ok


def insight_cost(browser, base: str, pid: int, seconds: float, rounds: int) -> None:
    """i: painted fps with each Insight view open against the panel closed, alternating, for
    ``rounds`` rounds over the four views."""
    from ui.insight_panel import EXPANDER_KEY, LIVE_INTERVALS, VIEWS

    longest = max(LIVE_INTERVALS.values())
    seconds = longest * max(2, math.ceil(seconds / longest))
    page = open_page(browser, base + "?speed=1")
    play(page)
    expander = page.locator(f".st-key-{EXPANDER_KEY} summary")

    server_ms: dict[str, list[float]] = {"closed": []}  # server CPU per frame, per window

    def settled_fps(state: str = "closed") -> float:
        # The live view in sight, as before the clicks scrolled down to the panel: the same
        # viewport open and closed.
        page.evaluate("window.scrollTo(0, 0)")
        # The click's rerun, then time for the live view's pacing to settle (it lowers its
        # frame rate at once after a stall and raises it by a quarter every 2 s).
        time.sleep(8.0)
        m = measure([page], pid, seconds)
        frames = max(m["epochs"][0], 1)  # speed 1: one server frame per epoch
        server_ms.setdefault(state, []).append(1000 * m["cpu"] / frames)
        return m["fps"][0]

    # The first baseline after a longer warm-up: the session starts at the highest frame rate
    # and its pacing finds the browser's pace in the first ~10 s; measured at once, the first
    # closed window (the one Gradient flow is compared with) was the highest of the run.
    time.sleep(12.0)
    closed = [settled_fps()]
    opened: dict[str, list[float]] = {name: [] for name in VIEWS}
    around: dict[str, list[float]] = {name: [] for name in VIEWS}  # closed windows' means
    for _ in range(rounds):
        for name in VIEWS:
            expander.click()  # open (a rerun; the chosen view is built, live while playing)
            page.locator(f".st-key-{EXPANDER_KEY}").get_by_role("radio", name=name).click()
            # Timeout: the view's rerun and Plotly's first draw of its chart, on a busy machine.
            page.locator(f".st-key-{EXPANDER_KEY} .js-plotly-plot").first.wait_for(timeout=30_000)
            opened[name].append(settled_fps(name))
            expander.click()  # closed again
            closed.append(settled_fps())
            around[name].append((closed[-2] + closed[-1]) / 2)
    # The host's share of these 2 cores moves the closed windows by up to ±10 % from one to the
    # next: each view's ratio is over all its rounds, and each round's ratio is printed too.
    for name in VIEWS:
        key = name.lower().replace(" ", "_")
        ratio = statistics.mean(opened[name]) / max(statistics.mean(around[name]), 1e-9)
        each = ", ".join(f"{o / max(c, 1e-9):.2f}" for o, c in zip(opened[name], around[name]))
        print(
            f"insight_fps_{key}={statistics.mean(opened[name]):.1f}  "
            f"insight_fps_ratio_{key}={ratio:.2f}  (rounds: {each})"
        )
        print(f"insight_server_ms_per_frame_{key}={statistics.mean(server_ms[name]):.1f}")
    print(f"insight_fps_closed={', '.join(f'{fps:.1f}' for fps in closed)}")
    print(f"insight_server_ms_per_frame_closed={statistics.mean(server_ms['closed']):.1f}")
    page.context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument(
        "--settle", type=float, default=6.0, help="seconds of play before measuring c."
    )
    parser.add_argument("--loads", type=int, default=3, help="page loads to time (median)")
    parser.add_argument(
        "--insight-rounds", type=int, default=2, help="i: rounds over the four views"
    )
    parser.add_argument(
        "--only", default="abcdefghi", help="which measurements to run, e.g. 'ab' (default all)"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    print(f"load_average_start={load_average()}  (cores: {os.cpu_count()})")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    ok = True
    with streamlit_server(APP, port) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # Warm the process: the first session loads the Numba cache (st.cache_resource).
            warm_started = time.monotonic()
            open_page(browser, base).context.close()
            print(f"first_page_of_new_server_s={time.monotonic() - warm_started:.2f}")
            if "d" in args.only:
                times = [load_times(browser, base) for _ in range(args.loads)]
                for label, values in (
                    ("new_visitor", [t[0] for t in times]),
                    ("returning_visitor", [t[1] for t in times]),
                ):
                    print(
                        f"load_to_first_trained_frame_{label}_s={statistics.median(values):.2f}"
                        f" (runs: {', '.join(f'{t:.2f}' for t in values)})"
                    )
            if "a" in args.only or "b" in args.only:
                default_view(browser, base, server.pid, args.seconds)
            if "e" in args.only:
                epochs_per_second(browser, base, args.seconds)
            if "f" in args.only:
                pace_at_defaults(browser, base, args.seconds)
            if "g" in args.only:
                large_network(browser, base, args.seconds)
            if "h" in args.only:
                pause_latency(browser, base, args.loads)
            if "i" in args.only:
                insight_cost(browser, base, server.pid, args.seconds, args.insight_rounds)
            if "c" in args.only and args.pages > 0:
                ok = concurrent_sessions(
                    browser, base, server.pid, args.pages, args.seconds, args.settle
                )
        finally:
            browser.close()
    print(f"load_average_end={load_average()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
