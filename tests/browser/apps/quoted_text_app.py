"""Every hostile value (tests/hostile_text.py) through ``playground.quote.code`` and
``playground.quote.plain``
in each kind of Streamlit element that renders Markdown (tests/browser/test_injection_browser.py).

A value appears in a warning, an error, an info box, a caption with a help tooltip, Markdown,
a button label with a help tooltip, a toggle label, and a toast.
"""

from __future__ import annotations

import pathlib
import sys

import streamlit as st

_ROOT = str(pathlib.Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from playground.quote import code, plain  # noqa: E402
from tests.hostile_text import HOSTILE_VALUES  # noqa: E402

for index, value in enumerate(HOSTILE_VALUES.values()):
    quoted = f"The link's {code(value)} is not valid."
    error = f"That change could not be applied: {plain(f'The value {value!r} is bad: {value}')}"
    st.warning(quoted, icon="⚠️")
    st.error(error)
    st.info(f"{quoted} {error}")
    st.caption(quoted, help=error)
    st.markdown(f"{quoted}\n\n{error}")
    st.button(quoted, key=f"button_{index}", help=quoted)
    st.toggle(error, key=f"toggle_{index}")
st.toast(f"The link's {code(HOSTILE_VALUES['link'])} is not valid.")
st.markdown("<span id='np-quoted-done'>done</span>", unsafe_allow_html=True)
