"""Screenshots of the Playground for the README, at the sizes people use it.

    .venv/bin/python scripts/screenshots.py        # writes docs/screenshots/*.png

Starts ``app.py`` (what scripts/run.sh serves) on a free port, opens each view in headless
Chromium at its window size, presses Play, waits until the network has trained a while, pauses,
and saves the window as people would see it (not the whole page: what fits the screen is the
point). Needs Debian's /usr/bin/chromium (scripts/setup.sh --with-browser).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python scripts/screenshots.py` from anywhere
from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
METRICS = '[data-testid="np-metrics"]'
# (file name, window width, height, link query, colour scheme, epochs to train before the shot)
SHOTS = (
    ("playground-1280x720", 1280, 720, "", "light", 300),
    (
        "playground-1920x1080",
        1920,
        1080,
        "?dataset=spiral&hidden=8,8,6&features=x1,x2,sin_x1,sin_x2&lr=0.03&noise=10",
        "light",
        600,
    ),
    ("playground-820x1180", 820, 1180, "?dataset=xor", "light", 200),
    ("presentation-1280x720", 1280, 720, "?present=1&dataset=blobs&classes=4", "light", 100),
    ("dark-1280x720", 1280, 720, "?dataset=gauss", "dark", 100),
)


def shoot(browser, url: str, name: str, width: int, height: int, scheme: str, epochs: int):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(url)
        # Timeout: a first load may compile the Numba kernels and load Plotly.js.
        page.locator(METRICS).first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Play", exact=True).click()
        page.wait_for_function(
            f"+document.querySelector('{METRICS}')?.dataset.epoch >= {epochs}", timeout=180_000
        )  # Timeout: training that many epochs takes a few seconds.
        page.get_by_role("button", name="Pause", exact=True).click()
        page.get_by_role("button", name="Play", exact=True).wait_for(timeout=15_000)
        page.mouse.move(width / 2, 2)  # away from the buttons: no tooltip in the picture
        page.wait_for_timeout(1500)  # the last frames and the hover data settle
        path = OUT / f"{name}.png"
        page.screenshot(path=str(path))
        print(f"wrote {path.relative_to(ROOT)}")
    finally:
        context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with streamlit_server(ROOT / "app.py", port), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, width, height, query, scheme, epochs in SHOTS:
                url = f"http://127.0.0.1:{port}/{query}"
                shoot(browser, url, name, width, height, scheme, epochs)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
