"""What the live view's picture buttons download (issue 15): the whole view, and each of its
three figures on its own, as PNG at slide resolution, drawn by the browser
(``ui/live_plotly``'s ``pictures`` option; docs/live_view.md, "Pictures for a slide").

``pictures_option`` names the files (``neuroplay-<data set>``; the browser adds the epoch the
caption shows and the figure) and says which parts of the figure each picture holds: its axes
(the plot area, tick labels and titles), its annotations (the layout indices: the network's
column titles and feature names are on its axis x2, the colour legend above the output map is
the paper's), and the colour bar or the legend. Pure Python (no Streamlit).
"""

from __future__ import annotations

from .figures import LiveFigure


def pictures_option(figure: LiveFigure, dataset: str) -> dict:
    """``live_plotly``'s ``pictures`` for the Playground's figure and data set."""
    annotations = figure.plotly["layout"].get("annotations", [])

    def on(xref: str) -> list[int]:
        return [k for k, note in enumerate(annotations) if note.get("xref") == xref]

    return {
        "name": f"neuroplay-{dataset}",
        "figures": [
            {
                "id": "output-map",
                "title": "Download the output map as a PNG",
                "icon": "map",
                "axes": ["x", "y"],
                "annotations": on("paper"),
                "colorbar": True,
            },
            {
                "id": "network",
                "title": "Download the network as a PNG",
                "icon": "network",
                "axes": ["x2", "y2"],
                "annotations": on("x2"),
            },
            {
                "id": "loss",
                "title": "Download the loss chart as a PNG",
                "icon": "chart",
                "axes": ["x3", "y3"],
                "legend": True,
            },
        ],
    }
