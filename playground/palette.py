"""Every colour of the Playground's figures, declared once (no Streamlit, no Plotly).

Two independent choices make the colours of a view:

* a **palette** (the data colours): the two ends of the weight / output colour scale
  (negative, positive) and one colour per class. ``playground`` is TensorFlow Playground's
  orange and blue; ``colorblind`` is Okabe and Ito's colour-blind-safe set (Okabe & Ito 2008,
  "Color Universal Design"; Wong 2011, Nature Methods 8:441): vermillion and blue, and for
  classes 2-4 bluish green, reddish purple and orange instead of the default's green and red,
  which deuteranopes and protanopes cannot tell apart.
* a **theme** (light or dark, following the browser through Streamlit): the figure's
  background, text, frames, loss curves and the colour of zero on the scale (light grey on
  light, dark grey on dark, so near-zero weights fade into the background in both).

``figure_colors(palette, theme)`` joins them; ``playground.figures`` draws with the result, the live
component gets its ``colorscale`` in the payload, the data-set thumbnails and the teaching
pages use the same constants.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Palette:
    """Data colours: the ends of the diverging scale and one colour per class."""

    title: str
    negative: str  # -1 on the scale; class 0
    positive: str  # +1 on the scale; class 1
    more_classes: tuple[str, ...]  # classes 2, 3, 4

    @property
    def classes(self) -> tuple[str, ...]:
        return (self.negative, self.positive, *self.more_classes)


@dataclass(frozen=True)
class Theme:
    """Colours of everything around the data, for a light or a dark page."""

    neutral: str  # 0 on the colour scale (output map, links, bias squares)
    background: str  # an opaque stand-in for the page's background (thumbnails, blank maps)
    text: str  # tick labels, axis titles, legend, colour bar
    muted: str  # column titles of the diagram
    frame: str  # outlines of the neuron pictures
    bias_outline: str
    legend_background: str
    axis_line: str
    loss: tuple[str, str]  # train, test curves
    blank: str  # a multi-class map where the network is at chance level
    thumbnail: str  # background of the data set's small picture


PALETTES: dict[str, Palette] = {
    "playground": Palette(
        title="TensorFlow Playground (orange, blue)",
        negative="#f59322",
        positive="#0877bd",
        more_classes=("#2ca02c", "#d62728", "#9467bd"),
    ),
    "colorblind": Palette(
        title="Colour-blind safe (Okabe-Ito)",
        negative="#d55e00",
        positive="#0072b2",
        more_classes=("#009e73", "#cc79a7", "#e69f00"),
    ),
}
DEFAULT_PALETTE = "playground"

THEMES: dict[str, Theme] = {
    "light": Theme(
        neutral="#e8eaeb",
        background="#ffffff",
        text="#444444",
        muted="#555555",
        frame="#888888",
        bias_outline="#555555",
        legend_background="rgba(255,255,255,0.6)",
        axis_line="#eeeeee",  # Plotly's own grid colour on white
        loss=("#1f1f1f", "#d62728"),  # near-black and red: told apart at a glance
        blank="#ffffff",
        thumbnail="#f5f5f5",
    ),
    "dark": Theme(
        neutral="#3a3d44",
        background="#171614",  # Streamlit 1.67's dark background (measured in Chromium)
        text="#d5d7dc",
        muted="#b0b4bd",
        frame="#8a8f99",
        bias_outline="#b0b4bd",
        legend_background="rgba(23,22,20,0.6)",
        axis_line="#3a3d44",
        loss=("#e4e6eb", "#ff6b6b"),
        blank="#171614",
        thumbnail="#2a2927",
    ),
}
DEFAULT_THEME = "light"


@dataclass(frozen=True)
class FigureColors:
    """A palette on a theme: what a figure needs (hashable: part of a view's identity)."""

    palette_name: str = DEFAULT_PALETTE
    theme_name: str = DEFAULT_THEME

    @property
    def palette(self) -> Palette:
        return PALETTES[self.palette_name]

    @property
    def theme(self) -> Theme:
        return THEMES[self.theme_name]

    @property
    def dark(self) -> bool:
        return self.theme_name == "dark"

    @property
    def colorscale(self) -> list[list]:
        """The diverging scale as Plotly wants it: negative, neutral (0), positive."""
        return [
            [0.0, self.palette.negative],
            [0.5, self.theme.neutral],
            [1.0, self.palette.positive],
        ]

    @property
    def image_colorscale(self) -> list[list]:
        """The same scale for the live component's uint8 pictures: ``playground.figures.to_uint8``
        puts 0 at 128, so the neutral stop sits at 128 / 255 (exactly grey there)."""
        scale = self.colorscale
        scale[1][0] = 128 / 255
        return scale

    def scale_rgb(self) -> np.ndarray:
        """(3, 3) float RGB of the scale's stops: negative, neutral, positive."""
        return np.array([hex_to_rgb(color) for _, color in self.colorscale], dtype=np.float64)


def figure_colors(palette: str | None, theme: str | None) -> FigureColors:
    """The colours for a palette name and a theme type; unknown or missing names get the
    defaults (``st.context.theme.type`` is None before the browser said)."""
    return FigureColors(
        palette if palette in PALETTES else DEFAULT_PALETTE,
        theme if theme in THEMES else DEFAULT_THEME,
    )


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """'#rrggbb' -> (r, g, b)."""
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def translucent(color: str, alpha: float) -> str:
    """'#rrggbb' seen through: 'rgba(r, g, b, alpha)'."""
    r, g, b = hex_to_rgb(color)
    return f"rgba({r}, {g}, {b}, {alpha})"


#: The default colours (TensorFlow Playground's palette on a light page).
DEFAULT_COLORS = FigureColors()
#: The live component's default scale for its pictures (the default colours' image scale).
DEFAULT_COLORSCALE: tuple[tuple[float, str], ...] = tuple(
    (position, color) for position, color in DEFAULT_COLORS.image_colorscale
)
#: One colour per lane of the Compare page (its name and its loss curves), in lane order:
#: Okabe and Ito's blue, vermillion, bluish green and reddish purple, told apart by colour-blind
#: eyes and readable on light and dark pages.
LANE_COLORS: tuple[str, ...] = ("#0072b2", "#d55e00", "#009e73", "#cc79a7")
