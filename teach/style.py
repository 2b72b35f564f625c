"""Colours and the common Plotly layout of the teaching pages' figures.

The colour scale is the Playground's (TensorFlow Playground's): orange for -1, grey for 0,
blue for +1 (the same values as ``ui.figures``, which cannot be imported here without
pulling in Streamlit).
"""

from __future__ import annotations

ORANGE = "#f59322"
GREY = "#e8eaeb"
BLUE = "#0877bd"
COLORSCALE = [[0.0, ORANGE], [0.5, GREY], [1.0, BLUE]]
CLASS_COLORS = (ORANGE, BLUE, "#2ca02c", "#d62728", "#9467bd")  # class 0, 1, 2, …
VARIANT_COLORS = ("#0877bd", "#f59322", "#2ca02c", "#9467bd")  # one per compared run
DERIVATIVE_COLOR = "#d62728"
SATURATED_FILL = "rgba(214, 39, 40, 0.08)"


def base_layout(height: int, legend: bool = False) -> dict:
    """White background, small margins, legend on top when there is one."""
    layout = {
        "height": height,
        "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
        "template": "plotly_white",
        "showlegend": legend,
        "font": {"size": 13},
    }
    if legend:
        layout["legend"] = {"orientation": "h", "yanchor": "bottom", "y": 1.06, "x": 0}
        layout["margin"]["t"] = 60
    return layout
