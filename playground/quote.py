"""Text a user sent, made safe to repeat in a message that Streamlit renders as Markdown.

A link's value, a lesson's name, a typed weight, later a file or column name: anything that
did not come from our own code is untrusted. ``st.warning``, ``st.info``, ``st.error``,
``st.caption``, ``st.markdown``, ``st.toast``, ``help=`` tooltips and widget labels all render
their text as Markdown (CommonMark, GitHub's tables and autolinks, ``$…$`` maths, emoji
``:smile:``, and Streamlit's own ``:red[…]`` colours, ``:material/…:`` icons and badges), so
``[log in again](http://…)`` pasted into a link would become a live link in NeuroPlay's own
warning box. Two functions, used for every such message (docs/security.md):

* ``code(value)``: the value as an inline code span (``code("[x](y)")`` is ``"`[x](y)`"``),
  shown as sent, shortened: no Markdown, HTML, maths or emoji is read inside a code span;
* ``plain(text)``: a whole sentence we did not write ourselves (an exception's message, which
  may quote a value) as literal text: every Markdown character escaped.

Both neutralise control and formatting characters first (a newline would end the code span's
paragraph; a right-to-left override would turn the text around) and cap the length, so a 10 kB
value cannot fill the page. Nothing here imports Streamlit: ``playground.settings`` uses it too.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CODE_LIMIT", "ELLIPSIS", "PLAIN_LIMIT", "code", "plain", "visible"]

# Characters of a value shown in a message: enough to recognise what was sent (a data set
# name, a list of features), short enough to keep the sentence on one or two lines.
CODE_LIMIT = 48
# A whole sentence from an exception: ours are under 200 characters; a longer one quotes a
# long value.
PLAIN_LIMIT = 300
ELLIPSIS = "…"
REPLACEMENT = "\ufffd"  # "�": a character that cannot be shown as itself
# Streamlit rewrites ":material/" to ":material_" in the whole source before parsing, code
# spans included (its icon syntax); an invisible word joiner keeps a value's own text intact.
_ICON_PREFIX = ":material/"
_WORD_JOINER = "\u2060"
# Unicode categories that are not text: controls (Cc), formatting such as bidi overrides and
# zero-width characters (Cf), line and paragraph separators (Zl, Zp), surrogates and private
# use (Cs, Co), unassigned (Cn).
_NOT_TEXT = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_ASCII_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
# GitHub's literal autolinks (``http://…``, ``www.…``, ``name@host.org``) are found in the
# text *after* escapes are resolved, so escaping does not stop them (seen in Chromium):
# a word joiner in "://", after "www" and after "@" does, and is invisible.
_AUTOLINK_STARTS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def visible(value: object, limit: int = CODE_LIMIT) -> str:
    """``str(value)`` with whitespace controls as spaces, other invisible or formatting
    characters as "�", and at most ``limit`` characters (the last one "…" when cut)."""
    text = str(value)
    if len(text) > 4 * limit:  # a 10 MB value is not scanned to show 48 characters of it
        text = text[: 4 * limit]
        cut = True
    else:
        cut = False
    shown = "".join(
        " "
        if char in "\t\n\r\v\f\x85\u2028\u2029"
        else REPLACEMENT
        if unicodedata.category(char) in _NOT_TEXT
        else char
        for char in text
    )
    if cut or len(shown) > limit:
        shown = shown[: limit - 1].rstrip() + ELLIPSIS
    return shown


def code(value: object, limit: int = CODE_LIMIT) -> str:
    """``value`` as a Markdown code span that shows it literally (see the module docstring).

    The fence is one backtick longer than the longest run of backticks in the value, so none
    of them can close it; a space pads a value that starts or ends with a backtick or a space
    (CommonMark strips one from each side). An empty value is shown as ``""``. A word joiner
    goes after the colon of ``:material/`` (Streamlit would rewrite it, even inside code).
    """
    text = visible(value, limit).replace(_ICON_PREFIX, ":" + _WORD_JOINER + _ICON_PREFIX[1:])
    if not text.strip():
        text = f'"{text}"'
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text[0] in "` " or text[-1] in "` ":
        text = f" {text} "
    return f"{fence}{text}{fence}"


def plain(text: object, limit: int = PLAIN_LIMIT) -> str:
    """A sentence we did not write (e.g. ``str(error)``) as Markdown that shows it literally.

    Every ASCII punctuation character is backslash-escaped (CommonMark's rule: ``\\[`` is a
    bracket, never a link), so no link, image, HTML, table, heading, emphasis, maths, colour,
    icon or emoji shortcode can form; a word joiner breaks the literal autolinks (above).
    """
    unlinked = _AUTOLINK_STARTS.sub(_WORD_JOINER, visible(text, limit))
    return _ASCII_PUNCTUATION.sub(r"\\\1", unlinked)
