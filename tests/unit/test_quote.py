"""playground/quote.py: a value a user sent is shown literally, short, inside one code
span (``code``) or as escaped text (``plain``), whatever Markdown, HTML or Streamlit syntax it
carries; and every sentence about a bad link quotes the link's values that way
(playground/settings.py).

What Chromium actually renders is checked by tests/browser/test_injection_browser.py."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.quote import CODE_LIMIT, ELLIPSIS, PLAIN_LIMIT, code, plain, visible
from playground.settings import QUERY_KEYS, PlaygroundSettings
from tests.hostile_text import EVIL, HOSTILE_VALUES, split_code_spans

JOINER = "\u2060"


def only_span(markdown: str) -> str:
    """The content of ``markdown`` if it is exactly one code span (else the test fails)."""
    outside, spans = split_code_spans(markdown)
    assert outside == "\0" and len(spans) == 1, markdown
    return spans[0]


def unescaped(markdown: str) -> str:
    """``markdown`` with its backslash escapes resolved, after checking every ASCII
    punctuation character in it is escaped (none can start any Markdown syntax)."""
    out, i = [], 0
    while i < len(markdown):
        char = markdown[i]
        if char in string.punctuation:
            assert char == "\\" and markdown[i + 1] in string.punctuation, (markdown, i)
            out.append(markdown[i + 1])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


@pytest.mark.parametrize("kind", HOSTILE_VALUES)
def test_code_shows_the_value_itself_in_one_code_span(kind):
    value = HOSTILE_VALUES[kind]
    shown = only_span(code(value)).replace(JOINER, "")
    assert shown == visible(value)
    assert "\n" not in code(value) and len(shown) <= CODE_LIMIT


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("`", "`` ` ``"),
        ("a`b", "``a`b``"),
        ("a``b```c", "````a``b```c````"),
        ("`x`", "`` `x` ``"),
        (" x ", "`  x  `"),  # CommonMark strips one space a side: the spaces survive
        ("", '`""`'),
        ("spiral", "`spiral`"),
    ],
)
def test_backticks_inside_a_value_cannot_close_its_code_span(value, expected):
    assert code(value) == expected
    assert only_span(expected) == (value if value else '""')


def test_newlines_and_controls_are_neutralised():
    assert visible("a\nb\r\nc\td") == "a b  c d"
    assert visible("\x00\x1b[31m\u202eevil\u200b") == "\ufffd\ufffd[31m\ufffdevil\ufffd"
    # A blank line would end the paragraph, and with it the code span.
    assert only_span(code("line one\n\n# heading")) == "line one  # heading"


def test_a_10_kb_value_is_cut_to_the_limit_with_an_ellipsis():
    value = "x" * 10_000
    shown = only_span(code(value))
    assert len(shown) == CODE_LIMIT and shown.endswith(ELLIPSIS) and shown[:-1] == "x" * 47
    assert len(plain(value)) == PLAIN_LIMIT and plain(value).endswith(ELLIPSIS)
    assert visible("abc", limit=3) == "abc" and visible("abcd", limit=3) == "ab…"


def test_streamlit_icon_syntax_is_not_rewritten_inside_the_code_span():
    # Streamlit replaces ":material/" with ":material_" in the whole source, code included.
    assert ":material/" not in code(":material/warning:")
    assert only_span(code(":material/warning:")).replace(JOINER, "") == ":material/warning:"


@pytest.mark.parametrize("kind", HOSTILE_VALUES)
def test_plain_escapes_every_markdown_character(kind):
    value = HOSTILE_VALUES[kind]
    text = unescaped(plain(value))
    assert text.replace(JOINER, "") == visible(value, PLAIN_LIMIT)
    for start in ("://", "www.", "@e"):  # GitHub's literal autolinks need these unbroken
        assert start not in text.lower()


@given(st.text(max_size=200))
def test_any_text_is_one_code_span_or_escaped_text_of_what_was_sent(text):
    shown = visible(text)
    assert only_span(code(text)).replace(JOINER, "") == (shown if shown.strip() else f'"{shown}"')
    assert unescaped(plain(text)).replace(JOINER, "") == visible(text, PLAIN_LIMIT)


# -------------------------------------------------------------- the link's sentences


@pytest.mark.parametrize("kind", HOSTILE_VALUES)
def test_no_link_value_reaches_a_sentence_outside_a_code_span(kind):
    """Every URL key at once gets the hostile value; the sentences quote it only in code."""
    value = HOSTILE_VALUES[kind]
    settings, problems = PlaygroundSettings.from_query_params(dict.fromkeys(QUERY_KEYS, value))
    assert settings == PlaygroundSettings() or settings.hide == ()
    assert problems
    for problem in problems:
        outside, spans = split_code_spans(problem)
        assert EVIL not in outside and "window" not in outside, problem
        assert not set(outside) & set("[]<>`$|*\n"), problem
        for span in spans:
            assert len(span) <= CODE_LIMIT


def test_a_link_value_is_quoted_as_code_with_the_key():
    _, problems = PlaygroundSettings.from_query_params({"noise": HOSTILE_VALUES["link"]})
    assert problems == [
        "The link's `noise=[click to log in again](http://evil.examp…` is not valid; "
        "using 0 instead."
    ]
    _, problems = PlaygroundSettings.from_query_params({"dataset": HOSTILE_VALUES["image"]})
    assert problems == [
        "There is no data set called `![logo](http://evil.example/logo.png)`; using circle instead."
    ]
