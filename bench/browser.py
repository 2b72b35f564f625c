"""Streamlit servers and headless Chromium for the browser benchmarks and browser tests.

Shared by ``bench/ui.py``, ``bench/live_fps.py`` and ``tests/browser/conftest.py``, so the
launch flags and the server start-up are written once.  Debian's Chromium is used
(Playwright cannot download its own browsers here).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CLK_TCK = os.sysconf("SC_CLK_TCK")
# Screen position of data points (x1, x2) on the live view's output map, as Plotly draws its
# axes (a page function: pass the points as its argument).
DATA_TO_SCREEN = """(points) => {
    const gd = document.querySelector('.np-live-plotly-graph');
    const box = gd.getBoundingClientRect();
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    return points.map(([x, y]) => [box.left + xa._offset + xa.d2p(x),
                                   box.top + ya._offset + ya.d2p(y)]);
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` (all its threads, children not included) in seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def start_streamlit(script: Path, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``streamlit run <script>`` from the venv, repository root as working directory, with
    ``env`` added to the environment; returns once the server answers its health check."""
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "streamlit"),
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Timeout: a cold start imports numpy/streamlit in 2-5 s; 60 s covers a loaded 2-core box.
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit run {script} exited with {proc.returncode}")
        try:
            # Timeout: one health probe; the loop retries until the deadline.
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            if time.monotonic() > deadline:
                stop(proc)
                raise RuntimeError(f"streamlit run {script} not healthy after 60 s") from None
            time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        # Timeout: streamlit shuts down in well under a second; 10 s before killing it.
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)  # Timeout: SIGKILL is immediate; 10 s is only a safety net.


@contextlib.contextmanager
def streamlit_server(
    script: Path, port: int, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """A running server for the duration of the ``with`` block, stopped whatever happens."""
    proc = start_streamlit(script, port, env)
    try:
        yield proc
    finally:
        stop(proc)
