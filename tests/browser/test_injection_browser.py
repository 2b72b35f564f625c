"""A link full of Markdown, HTML and scripts shows its values as text, never as content
(issue 10, part 1), in real Chromium.

Every URL parameter the Playground reads (``playground.settings.QUERY_KEYS``) and the Lessons page's
``lesson`` get hostile values (tests/hostile_text.py): links, images, HTML tags, scripts,
``javascript:`` URLs, Markdown tables, Streamlit's colour/icon/maths syntax, 10 kB. The page
must show one warning with the values as code, no ``<a>``/``<img>``/``<script>``/``<table>``
made from them (in the page and in every frame), keep the link's usable values, and play.
The other pages (Activations, Back-prop, Softmax) read no URL parameters.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import expect
from test_playground_browser import APP, ARTIFACTS, METRICS, open_playground, press_play

from playground.quote import visible
from playground.settings import QUERY_KEYS, PlaygroundSettings
from tests.hostile_text import HOSTILE_VALUES

pytestmark = pytest.mark.browser

ALERT = '[data-testid="stAlert"]'
# A usable value for every key, none of them the default: what a link may also carry.
USABLE = {
    **PlaygroundSettings(
        dataset="spiral",
        noise=10,
        ratio=70,
        batch=20,
        seed=7,
        init_seed=3,
        features=("x1", "x2", "sin_x1"),
        hidden=(5, 3),
        activation=("relu",),
        output="sigmoid",
        loss="bce",
        init="he_normal",
        dropout=0.1,
        optimizer="adam",
        lr=0.1,
        reg="l2",
        reg_rate=0.01,
        clip=1.0,
        speed=5,
        stop_epoch=5000,
        stop_loss=0.01,
        show_test=True,
        discretize=True,
        present=True,
        palette="colorblind",
        hide=("seed",),
    ).to_query_params(),
    "classes": "4",  # written to a link only for the 3–5 class data sets
}
# Two links, each with hostile values for one group of keys and usable ones for the rest.
# Keys that depend on each other (data set, classes, output, loss) share a group.
FIRST = ("dataset", "classes", "output", "loss", "noise", "batch", "init_seed", "hidden", "init")
FIRST += ("optimizer", "reg_rate", "speed", "stop_loss", "discretize", "palette")
SECOND = tuple(key for key in QUERY_KEYS if key not in FIRST)
# In the page and in every frame: what a hostile value would have made.
INJECTED = """() => {
    const found = [];
    const evil = (text) => /evil\\.example|__pwned|^\\s*javascript:/i.test(text || "");
    for (const a of document.querySelectorAll("a")) {
        if (evil(a.getAttribute("href"))) found.push(a.outerHTML);
    }
    for (const img of document.querySelectorAll("img, image")) {
        const src = img.getAttribute("src") || img.getAttribute("href") || "";
        if (evil(src) || src === "x") found.push(img.outerHTML);
    }
    for (const script of document.querySelectorAll("script")) {
        if (evil(script.textContent) || evil(script.getAttribute("src"))) found.push("script");
    }
    for (const table of document.querySelectorAll("table")) {
        if (/evil/.test(table.textContent)) found.push(table.outerHTML.slice(0, 200));
    }
    // Any attribute at all (onerror, style, title, …) carrying a hostile value.
    const attributes = document.evaluate("//@*", document, null, 7, null);
    for (let i = 0; i < attributes.snapshotLength; i++) {
        const attribute = attributes.snapshotItem(i);
        if (/evil\\.example|__pwned/.test(attribute.value)) {
            found.push(attribute.name + "=" + attribute.value.slice(0, 100));
        }
    }
    // Markdown the alerts must not contain: Streamlit's colours, icons, maths, emphasis,
    // headings, lists other than the list of problems.
    const alerts = document.querySelectorAll('[data-testid="stAlert"]');
    for (const alert of alerts) {
        for (const el of alert.querySelectorAll(
            "table, h1, h2, h3, ol, ul ul, em, strong, del, .katex, [class*=Colored], "
            + "[class*=Badge], span[role=img]"
        )) {
            found.push("in a warning: " + el.outerHTML.slice(0, 200));
        }
    }
    if (window.__pwned) found.push("a script ran");
    return found;
}"""


def hostile_link(hostile_keys: tuple[str, ...], offset: int) -> dict[str, str]:
    """Usable values, and for ``hostile_keys`` the hostile ones in turn from ``offset``."""
    kinds = list(HOSTILE_VALUES.values())
    params = dict(USABLE)
    for index, key in enumerate(hostile_keys):
        params[key] = kinds[(index + offset) % len(kinds)]
    return params


def injected(page) -> list[str]:
    """What ``INJECTED`` finds in the page and in every frame in it."""
    return [item for frame in page.frames for item in frame.evaluate(INJECTED)]


def address(page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def check_the_warning_quotes(page, params: dict[str, str], hostile_keys) -> None:
    """One warning, each hostile value in it as code (as much as fits), nothing injected."""
    alert = page.locator(ALERT).filter(has_text="could not be used")
    # Timeout: Streamlit draws a placeholder until the Markdown plugins a text needs are
    # loaded (emoji for ":smile:", even inside code); a second or two on a busy machine.
    expect(alert).to_have_count(1, timeout=15_000)
    assert injected(page) == []
    quoted = " ".join(alert.locator("code").all_inner_texts()).replace("\u2060", "").lower()
    for key in hostile_keys:
        if key == "hide":
            continue  # names of controls it cannot hide are dropped without a word
        start = visible(params[key])[:16].lower().strip()
        assert start in quoted, (key, start, quoted[:300])


def test_a_hostile_link_shows_its_values_as_text_and_keeps_the_usable_ones(page, streamlit_url):
    page.set_viewport_size({"width": 1280, "height": 720})  # a classroom projector
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for hostile_keys, offset in ((FIRST, 0), (SECOND, len(FIRST))):
        params = hostile_link(hostile_keys, offset)
        open_playground(page, streamlit_url, "?" + urlencode(params))
        check_the_warning_quotes(page, params, hostile_keys)
        if hostile_keys is FIRST:
            # Timeout: the play bar's widgets draw within a second or two of the graph.
            page.get_by_role("button", name="Play", exact=True).wait_for(timeout=15_000)
            ARTIFACTS.mkdir(exist_ok=True)  # to look at: a plain sentence with code in it
            page.screenshot(path=str(ARTIFACTS / "injection-warning-1280x720.png"))
        # The link's usable values are kept (the page rewrites the address from its settings).
        kept = {key: address(page).get(key) for key in params if key not in hostile_keys}
        kept.pop("classes", None)  # not written for a two-class data set
        assert kept == {key: USABLE[key] for key in kept}
        if hostile_keys is FIRST:
            start = int(page.locator(METRICS).first.get_attribute("data-epoch"))
            press_play(page)
            page.wait_for_function(
                f"+document.querySelector('{METRICS}')?.dataset.epoch >= {start + 10}",
                timeout=30_000,
            )  # Timeout: 10 epochs at 5 a frame take a few frames; 30 s on a loaded machine.
            assert injected(page) == []
    assert dialogs == [] and not page.errors


def test_a_hostile_lesson_name_is_shown_as_text(page, streamlit_url):
    for value in (
        HOSTILE_VALUES["link"],
        "<img src=x onerror=window.__pwned=1>\n\n| a | b |\n|---|---|\n" + "A" * 10_000,
    ):
        page.goto(streamlit_url(APP).rstrip("/") + "/Lessons?" + urlencode({"lesson": value}))
        notice = page.locator(ALERT).filter(has_text="There is no lesson called")
        # Timeout: a fresh session, and the first lesson's networks trained once per server.
        notice.wait_for(timeout=60_000)
        assert injected(page) == []
        text = notice.inner_text()
        assert re.search(r"There is no lesson called .+, so here is the first one\.", text)
        assert notice.locator("code").inner_text().replace("\u2060", "") == visible(value)
    assert not page.errors


QUOTED_APP = "tests/browser/apps/quoted_text_app.py"


def test_quoted_values_stay_text_in_every_kind_of_element(page, streamlit_url):
    """``code`` and ``plain`` in warnings, errors, info boxes, captions, Markdown, labels,
    tooltips and a toast (tests/browser/apps/quoted_text_app.py)."""
    page.goto(streamlit_url(QUOTED_APP))
    # Timeout: a fresh session's first run; 30 s on a loaded machine.
    page.locator("#np-quoted-done").wait_for(timeout=30_000)
    warnings = page.locator('[data-testid="stAlertContentWarning"]')
    expect(warnings).to_have_count(len(HOSTILE_VALUES), timeout=15_000)  # Timeout: as above.
    # Timeout: Markdown placeholders until Streamlit's emoji and KaTeX plugins are loaded.
    expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=15_000)
    for index, value in enumerate(HOSTILE_VALUES.values()):
        shown = warnings.nth(index).locator("code").inner_text().replace("\u2060", "")
        assert shown == visible(value), (shown, value)
    # Tooltips are drawn on hover, with the same Markdown: a few of them.
    targets = page.locator('[data-testid="stTooltipHoverTarget"]')
    for index in (0, 1, 2, 7):  # the captions' tooltips of link, image, img tag, autolinks
        targets.nth(2 * index).hover()
        # Timeout: the tooltip opens after a short delay.
        tip = page.locator('[data-testid="stTooltipContent"]').filter(has_text="be applied")
        tip.last.wait_for(timeout=5_000)
        assert injected(page) == []
    assert injected(page) == []
    assert "[click to log in again](http:" in page.inner_text("body").replace("\u2060", "")
    assert not page.errors
