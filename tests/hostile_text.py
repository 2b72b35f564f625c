"""Values a hostile link could carry, and a reader of Markdown code spans, for the injection
tests (tests/unit/test_quote.py, tests/app, tests/browser/test_injection_browser.py).

Every attacker URL points at ``evil.example``, and every script sets ``window.__pwned``, so a
test can look for either in the page."""

from __future__ import annotations

import string

EVIL = "evil.example"
HOSTILE_VALUES = {
    "link": "[click to log in again](http://evil.example/login)",
    "image": "![logo](http://evil.example/logo.png)",
    "img tag": "<img src=x onerror=window.__pwned=1>",
    "a tag": '<a href="http://evil.example/a">log in</a>',
    "script": "<script>window.__pwned=1</script>",
    "javascript url": "[log in](javascript:window.__pwned=1)",
    "bare javascript": "javascript:window.__pwned=1",
    "autolinks": "<http://evil.example/x> www.evil.example me@evil.example",
    "table": "| a | b |\n|---|---|\n| evil | table |",
    "backticks": "a`b``c```d`",
    "colour and badge": ":red[evil] :blue-badge[evil]",
    "maths": "$x^2$ and $$y$$",
    "icon and emoji": ":material/warning: :smile:",
    "newlines": "line one\n\n# a heading\n- a list",
    "bidi override": "\u202eevil\u202c",
    "10 kB": "[x](http://evil.example/long)" + "A" * 10_000,
}


def split_code_spans(markdown: str) -> tuple[str, list[str]]:
    """``markdown`` read as CommonMark reads inline text for code spans: (the text outside
    them, backslash escapes resolved and each span replaced by ``\\0``; the spans' contents).

    A backtick run opens a span that the next run of the same length closes (if none does,
    the run is literal); inside, backslashes are literal; a space is stripped from each side
    of content that starts and ends with one (and is not all spaces).
    """
    outside: list[str] = []
    spans: list[str] = []
    i, n = 0, len(markdown)
    while i < n:
        char = markdown[i]
        if char == "\\" and i + 1 < n and markdown[i + 1] in string.punctuation:
            outside.append(markdown[i + 1])
            i += 2
            continue
        if char != "`":
            outside.append(char)
            i += 1
            continue
        end = i
        while end < n and markdown[end] == "`":
            end += 1
        run = end - i
        close = _closing_run(markdown, end, run)
        if close is None:
            outside.append(markdown[i:end])
            i = end
            continue
        content = markdown[end:close].replace("\n", " ")
        if len(content) >= 2 and content[0] == content[-1] == " " and content.strip(" "):
            content = content[1:-1]
        spans.append(content)
        outside.append("\0")
        i = close + run
    return "".join(outside), spans


def _closing_run(markdown: str, start: int, length: int) -> int | None:
    k = start
    while k < len(markdown):
        if markdown[k] != "`":
            k += 1
            continue
        end = k
        while end < len(markdown) and markdown[end] == "`":
            end += 1
        if end - k == length:
            return k
        k = end
    return None
