"""Colours (``playground.palette``: one place, used by every figure) and the diagram's
click-to-edit data."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from playground.figures import (
    FrameData,
    LiveFigure,
    ViewSpec,
    class_image_rgb,
    diagram_layout,
    editable_option,
    frame_updates,
    playground_figure,
    point_colors,
    weight_colors,
)
from playground.palette import DEFAULT_COLORSCALE, PALETTES, THEMES, figure_colors, hex_to_rgb
from playground.run import parse_parameter

SIZES = (2, 4, 2, 1)


def spec(palette: str = "playground", theme: str = "light", sizes=SIZES) -> ViewSpec:
    return ViewSpec(
        layer_sizes=sizes,
        feature_labels=("X₁", "X₂"),
        output_mode="binary",
        n_classes=2,
        show_test=False,
        log_loss=False,
        colors=figure_colors(palette, theme),
    )


def figure(view: ViewSpec) -> LiveFigure:
    X = np.array([[1.0, 1.0], [-1.0, -1.0]])
    y = np.array([0, 1])
    return playground_figure(view, X, y, X[:0], y[:0])


def frame(sizes=SIZES, seed: int = 0) -> FrameData:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(size=b) for b in sizes[1:]]
    return FrameData(
        output_grid=rng.uniform(-1, 1, size=(1, 100, 100)),
        neuron_maps=[rng.uniform(-1, 1, size=(40, 40)) for _ in range(sum(sizes[:-1]))],
        weights=weights,
        biases=biases,
        epochs=np.arange(1, 4),
        train_loss=np.array([0.5, 0.4, 0.3]),
        test_loss=np.array([0.6, 0.5, 0.4]),
    )


def luminance(color: str) -> float:
    r, g, b = hex_to_rgb(color)
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_the_palette_module_needs_no_streamlit_or_plotly():
    code = (
        "import sys, playground.palette; print('streamlit' in sys.modules, 'plotly' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_unknown_names_fall_back_to_tensorflow_playground_on_light():
    colors = figure_colors("rainbow", None)
    assert (colors.palette_name, colors.theme_name) == ("playground", "light")
    assert colors.colorscale == [[0.0, "#f59322"], [0.5, "#e8eaeb"], [1.0, "#0877bd"]]
    # The live component's default for its pictures: zero (uint8 128) is exactly the neutral.
    assert DEFAULT_COLORSCALE == ((0.0, "#f59322"), (128 / 255, "#e8eaeb"), (1.0, "#0877bd"))


def test_palettes_have_five_distinct_classes_and_differ_from_each_other():
    for palette in PALETTES.values():
        assert len(set(palette.classes)) == 5
        assert palette.classes[:2] == (palette.negative, palette.positive)
    assert not set(PALETTES["playground"].classes) & set(PALETTES["colorblind"].classes)


def test_the_dark_theme_is_dark_with_light_text():
    dark, light = THEMES["dark"], THEMES["light"]
    assert luminance(dark.background) < 0.15 < 0.85 < luminance(light.background)
    assert luminance(dark.text) > 0.6 > 0.4 > luminance(light.text)
    # Zero fades into the background in both themes (near-zero links and maps are quiet).
    for theme in (dark, light):
        assert abs(luminance(theme.neutral) - luminance(theme.background)) < 0.25


@pytest.mark.parametrize("palette", list(PALETTES))
def test_weight_colours_run_from_the_palettes_negative_through_neutral_to_positive(palette):
    colors = figure_colors(palette, "dark")
    low, zero, high = weight_colors(np.array([-5.0, 0.0, 5.0]), colors=colors)
    as_rgb = "rgb({},{},{})".format
    assert low == as_rgb(*hex_to_rgb(PALETTES[palette].negative))
    assert zero == as_rgb(*hex_to_rgb(THEMES["dark"].neutral))
    assert high == as_rgb(*hex_to_rgb(PALETTES[palette].positive))
    assert point_colors(np.array([0, 1, 2]), "binary", colors) == list(
        PALETTES[palette].classes[:3]
    )


def test_the_figure_uses_the_theme_and_palette_everywhere():
    dark = figure(spec("colorblind", "dark"))
    layout, theme = dark.plotly["layout"], THEMES["dark"]
    assert layout["font"]["color"] == theme.text
    assert layout["legend"]["bgcolor"] == theme.legend_background
    heat_map = dark.plotly["data"][dark.index.output_trace]
    assert heat_map["colorscale"][0][1] == PALETTES["colorblind"].negative
    # Column titles muted; feature names and the colour legend in the text colour.
    assert {a["font"]["color"] for a in layout["annotations"]} == {theme.muted, theme.text}
    links = [layout["shapes"][i] for i in dark.index.link_shapes]
    assert {s["line"]["color"] for s in links} == {theme.neutral}
    light = figure(spec())
    assert light.plotly["layout"]["font"]["color"] == THEMES["light"].text
    # The page's background shows through (no rectangle around the invisible diagram axes).
    assert layout["plot_bgcolor"] == layout["paper_bgcolor"] == "rgba(0,0,0,0)"
    # Colours are part of the view's identity: another theme is another figure.
    assert spec("playground", "dark").version(1) != spec().version(1)


def test_multiclass_maps_fade_to_the_themes_blank_colour():
    uncertain = np.full((3, 2, 2), 1 / 3)
    for theme in ("light", "dark"):
        picture = class_image_rgb(uncertain, figure_colors("colorblind", theme))
        blank, cls = np.array(hex_to_rgb(THEMES[theme].blank)), np.array(hex_to_rgb("#d55e00"))
        expected = blank + (cls - blank) * 0.25  # chance level: a quarter of the class colour
        assert np.abs(picture[0, 0] - expected).max() <= 1


def test_editable_points_carry_their_address_and_values_in_the_same_order():
    view = spec()
    built = figure(view)
    link_trace, bias_trace = built.index.link_trace, built.index.bias_trace
    data = frame()
    links = built.plotly["data"][link_trace]
    biases = built.plotly["data"][bias_trace]
    option = editable_option(built, data.weights, data.biases)
    assert links["customdata"] == [list(link) for link in diagram_layout(SIZES).links]
    for (layer, source, target), value in zip(
        links["customdata"], option[link_trace]["values"], strict=True
    ):
        assert value == np.float32(data.weights[layer][source, target])  # float32 on the wire
    for (layer, source, target), value in zip(
        biases["customdata"], option[bias_trace]["values"], strict=True
    ):
        assert source == -1 and value == np.float32(data.biases[layer][target])
    # The hover texts (what the user reads) list the weights in that order too.
    updates, _ = frame_updates(built, data, discretize=False, hover=True)
    texts = next(t["set"]["text"] for t in updates["traces"] if t["index"] == link_trace)
    shown = [float(text.split()[1]) for text in texts]
    assert np.allclose(shown, option[link_trace]["values"], atol=5e-4)
    # Click targets big enough to hit.
    assert links["marker"]["size"] >= 14 and biases["marker"]["size"] >= 12


@pytest.mark.parametrize(
    ("text", "value"),
    [("4", 4.0), (" -0.25 ", -0.25), ("1e-3", 0.001), ("0,5", 0.5), ("\u22122", -2.0)],
)
def test_typed_values_are_read_as_numbers(text, value):
    assert parse_parameter(text) == value


@pytest.mark.parametrize("text", ["abc", "", "1..2", "nan", "-inf", None])
def test_anything_else_gets_a_sentence(text):
    with pytest.raises(ValueError, match=r"(not a number|finite number).*\.$"):
        parse_parameter(text)


@pytest.mark.parametrize(
    ("sizes", "gap"),
    [((2, 4, 2, 1), 0.04), ((2, 2, 1), 0.06), ((8, 8, 1), 0.015), ((2, *[8] * 6, 1), 0.005)],
)
def test_every_link_has_its_own_click_target(sizes, gap):
    """Markers at the midpoints coincided for crossing links: one of them could not be hovered
    or clicked. ``gap`` in diagram units (the diagram is 1 unit tall, ~330 px at 1280×720):
    0.015 ≈ 5 px."""
    built = figure(spec(sizes=sizes))
    links = built.plotly["data"][built.index.link_trace]
    points = np.column_stack([links["x"], links["y"]])
    gaps = np.linalg.norm(points[:, None] - points[None], axis=2)
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() > gap, gaps.min()
