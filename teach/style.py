"""Colours and the common Plotly layout of the teaching pages' figures.

The colour scale is the Playground's default (TensorFlow Playground's): orange for -1, grey
for 0, blue for +1, from ``playground.palette`` (which imports neither Streamlit nor Plotly).
"""

from __future__ import annotations

from playground.palette import DEFAULT_COLORS, translucent

ORANGE = DEFAULT_COLORS.palette.negative
GREY = DEFAULT_COLORS.theme.neutral
BLUE = DEFAULT_COLORS.palette.positive
COLORSCALE = DEFAULT_COLORS.colorscale
CLASS_COLORS = DEFAULT_COLORS.palette.classes  # class 0, 1, 2, …
VARIANT_COLORS = (BLUE, ORANGE, CLASS_COLORS[2], CLASS_COLORS[4])  # one per compared run
DERIVATIVE_COLOR = "#d62728"
SATURATED_FILL = translucent(DERIVATIVE_COLOR, 0.08)  # where an activation saturates
SATURATED_SWATCH = translucent(DERIVATIVE_COLOR, 0.2)  # its legend entry (a small square)
NOTE_COLOR = DEFAULT_COLORS.theme.muted  # labels beside a figure's data: targets, "argmax"
CAPTION_COLOR = "#777777"  # column titles and the key line of the back-prop diagram
ZERO_LINE_COLOR = "#bbbbbb"


def base_layout(height: int, legend: bool = False) -> dict:
    """Small margins, legend on top when there is one. No template of its own: st.plotly_chart's
    Streamlit theme then draws it light or dark with the page."""
    layout = {
        "height": height,
        "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
        "showlegend": legend,
        "font": {"size": 13},
    }
    if legend:
        layout["legend"] = {"orientation": "h", "yanchor": "bottom", "y": 1.06, "x": 0}
        layout["margin"]["t"] = 60
    return layout
