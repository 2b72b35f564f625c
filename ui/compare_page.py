"""The Compare page: 2–4 lanes, each the Playground's setup with a few settings changed, trained
in lockstep on the same data (``playground.compare``), side by side.

One object per session (``CompareState`` in ``st.session_state``): the comparison (base, lanes,
their runs) and the playback. The whole comparison is in the link (the base as the Playground
writes it, plus ``lanes=``), rewritten after every change. A lane's widgets are built from the
settings table (choices, URL spelling) and keyed ``compare_<lane>_<setting>``.

Playing is an ``st.fragment(run_every=TICK)``: each run trains every running lane the same
number of epochs (the base's speed, as on the Playground, and no more than fit in
``TRAIN_BUDGET`` by the last measurement), then redraws the maps, captions and the loss chart.
The buttons and a lane's widgets live outside it (a click is a full rerun); the lanes' lock
(``Comparison.lock``) keeps drawing and training apart, so no run shows one lane trained and
the next one not yet.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
import streamlit as st

import engine
from playground import words
from playground.compare import (
    LANE_NAMES,
    LANE_SETTINGS,
    MAX_LANES,
    MIN_LANES,
    Comparison,
    Lane,
    build_comparison,
    chunk_epochs,
    comparison_from_query,
    comparison_query,
    playground_query,
    restart_comparison,
    train_lockstep,
    weight_groups,
)
from playground.compare_figures import (
    LaneCurves,
    lane_map_figure,
    lane_map_hover,
    lane_map_picture,
    overlay_loss_figure,
    overlay_updates,
)
from playground.figures import data_points_image
from playground.frames import frame_data, metrics_line, view_spec
from playground.pacing import AUTO_EPOCHS_PER_SECOND
from playground.palette import LANE_COLORS
from playground.quote import code, plain
from playground.settings import AUTO_SPEED, FULL_BATCH, LAYERS, SETTING, PlaygroundSettings

from . import state
from .live_plotly import live_plotly
from .playground_page import warm_engine

COMPARE = "compare"  # the session's CompareState
TICK = 0.4  # s between fragment runs while playing
TRAIN_BUDGET = 0.15  # s of training per run, all lanes together: the page stays responsive
PLAY, PAUSE, STEP, RESTART = "Play", "Pause", "Step", "Restart"
PAGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 1rem; }
.st-key-np-compare-title h1 { font-size: 1.6rem; padding: 0; }
/* a caption's look in either theme: the text colour, faded */
.np-compare-captions { display: grid; gap: 1rem; font-size: 0.875rem; line-height: 1.4;
  opacity: 0.6; }
</style>
"""


@dataclass
class CompareState:
    comparison: Comparison
    playing: bool = False
    steps_handled: int = 0  # Step clicks already applied (a doubled click event is ignored)
    notices: list[str] = field(default_factory=list)  # sentences to show once (Markdown)
    points: tuple | None = None  # (data id, the data points' picture): the same for all lanes


def compare_state() -> CompareState:
    """This session's comparison: from the link the first time (else from the Playground's
    current setup, else the defaults), and again after Back/Forward to an address holding
    another comparison (``state.is_history_navigation``: other runs never read the address,
    which may lag the page's own last change)."""
    if COMPARE in st.session_state and state.is_history_navigation():
        shown = st.session_state[COMPARE].comparison
        playground = st.session_state.get(state.SETTINGS)
        base, lanes, _ = comparison_from_query(st.query_params.to_dict(), playground)
        if comparison_query(base, lanes) != comparison_query(shown.base, shown.lanes):
            del st.session_state[COMPARE]  # the address's comparison, built below
    if COMPARE not in st.session_state:
        playground = st.session_state.get(state.SETTINGS)
        base, lanes, problems = comparison_from_query(st.query_params.to_dict(), playground)
        current = CompareState(build_comparison(base, lanes))
        if problems:
            lines = "".join(f"\n- {problem}" for problem in problems)
            current.notices.append("Some of the link could not be used:\n" + lines)
        st.session_state[COMPARE] = current
        sync_widgets(current.comparison)
    return st.session_state[COMPARE]


def write_url(comparison: Comparison) -> None:
    """Mirror the comparison into the address bar (only the keys that changed)."""
    wanted = comparison_query(comparison.base, comparison.lanes)
    existing = st.query_params.to_dict()
    for name in set(existing) - set(wanted):
        del st.query_params[name]
    changed = {name: value for name, value in wanted.items() if existing.get(name) != value}
    if changed:
        st.query_params.update(changed)


# ---------------------------------------------------------------- a lane's widgets


def widget_key(lane: int, name: str) -> str:
    return f"compare_{lane}_{name}"


def _widget_value(name: str, value):
    """What a lane's widget shows for a setting's value."""
    if name == "hidden":
        return LAYERS.format(value)
    if name == "activation":
        return value[0]
    return value


def sync_widgets(comparison: Comparison) -> None:
    """Every lane widget's state from the lanes (after any change, and on the first run)."""
    for number, lane in enumerate(comparison.lanes):
        st.session_state[widget_key(number, "vary")] = [name for name, _ in lane.changes]
        for name, value in lane.changes:
            st.session_state[widget_key(number, name)] = _widget_value(name, value)


def set_lanes(lanes: tuple[Lane, ...]) -> None:
    """New lanes: every lane starts again from epoch 0 (lanes must stay at the same epoch), from
    the same initial weights; the playback goes on."""
    current = compare_state()
    current.comparison = build_comparison(current.comparison.base, lanes)
    sync_widgets(current.comparison)


def change_setting(number: int, name: str) -> None:
    """A lane's widget changed: that lane's value (a bad list of layers gets a sentence)."""
    current = compare_state()
    value = st.session_state[widget_key(number, name)]
    if name == "hidden":
        spec = SETTING["hidden"]
        try:
            value = spec.checked(LAYERS.parse(str(value).strip()), {})
        except ValueError:
            current.notices.append(
                f"Lane {LANE_NAMES[number]}: {code(str(value)[:40])} is not a list of hidden "
                f"layers; type neurons per layer like 4,2 (1–{engine.MAX_UNITS_PER_LAYER} each, "
                f"at most {engine.MAX_HIDDEN_LAYERS} layers)."
            )
            sync_widgets(current.comparison)
            return
    elif name == "activation":
        value = (value,)
    lanes = list(current.comparison.lanes)
    lanes[number] = lanes[number].with_value(name, value)
    try:
        lanes[number].settings(current.comparison.base)
    except ValueError as refused:  # batch 1 with batch normalisation: said, not applied
        current.notices.append(f"Lane {LANE_NAMES[number]}: {plain(refused)}")
        sync_widgets(current.comparison)
        return
    set_lanes(tuple(lanes))


def change_varying(number: int) -> None:
    current = compare_state()
    names = st.session_state[widget_key(number, "vary")]
    lanes = list(current.comparison.lanes)
    lanes[number] = lanes[number].varying(names, current.comparison.base)
    set_lanes(tuple(lanes))


def _choice_names(name: str):
    if name in ("lr", "reg_rate", "dropout"):
        return words.number
    if name == "batch":
        return lambda size: "full" if size == FULL_BATCH else str(size)
    return words.name


def lane_controls(number: int, lane: Lane) -> None:
    """The lane's name (in its colour), which settings it changes, and a widget for each."""
    color = LANE_COLORS[number]
    header = st.container(horizontal=True, gap="small", vertical_alignment="center")
    header.markdown(
        f'<span style="color:{color};font-size:1.2rem">■</span> **Lane {LANE_NAMES[number]}**',
        unsafe_allow_html=True,
        width="content",
    )
    with header.popover("", icon=":material/tune:", help="Which settings this lane changes"):
        st.multiselect(
            "This lane changes",
            list(LANE_SETTINGS),
            key=widget_key(number, "vary"),
            format_func=LANE_SETTINGS.get,
            on_change=change_varying,
            args=(number,),
        )
    row = st.container(horizontal=True, gap="small", wrap=True, vertical_alignment="bottom")
    if not lane.changes:
        row.caption("Same as the base setup")
    for name, _ in lane.changes:
        label, key = LANE_SETTINGS[name], widget_key(number, name)
        if name == "hidden":
            row.text_input(
                label,
                key=key,
                on_change=change_setting,
                args=(number, name),
                help="Neurons per hidden layer, e.g. 4,2 (none: no hidden layer).",
                width=120,
            )
            continue
        options = engine.HIDDEN_ACTIVATIONS if name == "activation" else SETTING[name].choices
        row.selectbox(
            label,
            list(options),
            key=key,
            format_func=_choice_names(name),
            on_change=change_setting,
            args=(number, name),
            width=120,
        )


# ---------------------------------------------------------------- the play bar


def set_playing(playing: bool) -> None:
    compare_state().playing = playing


def request_step(token: int) -> None:
    """Every running lane trains one epoch, once per token."""
    current = compare_state()
    if token <= current.steps_handled:
        return
    current.steps_handled = token
    current.playing = False
    train_lockstep(current.comparison, 1)


def restart_all() -> None:
    current = compare_state()
    current.comparison = restart_comparison(current.comparison)
    current.playing = False


def change_lane_count(delta: int) -> None:
    lanes = compare_state().comparison.lanes
    if delta > 0 and len(lanes) < MAX_LANES:
        set_lanes((*lanes, lanes[-1]))  # a copy of the last lane, to change
    elif delta < 0 and len(lanes) > MIN_LANES:
        set_lanes(lanes[:-1])


def use_playground_setup() -> None:
    """The Playground's current setup as the base; the lanes keep their changes."""
    current = compare_state()
    base = st.session_state[state.SETTINGS]
    current.comparison = build_comparison(base, current.comparison.lanes)
    sync_widgets(current.comparison)


def play_bar(current: CompareState) -> None:
    bar = st.container(horizontal=True, vertical_alignment="center", gap="small", wrap=True)
    bar.button(
        PAUSE if current.playing else PLAY,
        key="compare_play",
        type="primary",
        on_click=set_playing,
        args=(not current.playing,),
        icon=":material/pause:" if current.playing else ":material/play_arrow:",
        help="Train every lane, in step (the same epoch).",
        width=104,
    )
    bar.button(
        STEP,
        key="compare_step",
        on_click=request_step,
        args=(current.steps_handled + 1,),
        icon=":material/skip_next:",
        help="Train every lane one epoch.",
    )
    bar.button(
        RESTART,
        key="compare_restart",
        on_click=restart_all,
        icon=":material/replay:",
        help="Every lane from its initial weights again.",
    )
    count = len(current.comparison.lanes)
    bar.button(
        "Lane",
        key="compare_add_lane",
        on_click=change_lane_count,
        args=(1,),
        disabled=count >= MAX_LANES,
        icon=":material/add:",
        help=f"Add a lane (a copy of the last one); at most {MAX_LANES}.",
    )
    bar.button(
        "Lane",
        key="compare_remove_lane",
        on_click=change_lane_count,
        args=(-1,),
        disabled=count <= MIN_LANES,
        icon=":material/remove:",
        help=f"Remove the last lane; at least {MIN_LANES}.",
    )
    playground = st.session_state.get(state.SETTINGS)
    if isinstance(playground, PlaygroundSettings) and playground != current.comparison.base:
        bar.button(
            "Use the Playground's setup",
            key="compare_use_playground",
            on_click=use_playground_setup,
            icon=":material/download:",
            help="Make the Playground's current setup the base of every lane (lanes keep their "
            "changes).",
        )
    bar.caption(f"{base_line(current.comparison.base)} · {weights_sentence(current.comparison)}")


def base_line(base: PlaygroundSettings) -> str:
    """The base setup in one line: what every lane shares."""
    network = "-".join(map(str, base.layer_sizes))
    data = engine.DATASETS[base.dataset].title if base.dataset in engine.DATASETS else "your data"
    return (
        f"Base: {data}, noise {base.noise}, network {network} "
        f"({', '.join(words.name(a) for a in base.activation)}), {words.name(base.optimizer)}, "
        f"learning rate {words.number(base.lr)}, batch {base.batch or 'full'}"
    )


def weights_sentence(comparison: Comparison) -> str:
    """Whether the lanes start from the same initial weights (they do where shapes agree)."""
    groups = weight_groups(comparison.runs)
    if len(set(groups)) == 1:
        return "the same data and initial weights in every lane"
    together: dict[int, list[str]] = {}
    for number, group in enumerate(groups):
        together.setdefault(group, []).append(LANE_NAMES[number])
    shapes = [
        f"{' and '.join(names)} {'-'.join(map(str, comparison.runs[group].model.layer_sizes))}"
        for group, names in together.items()
    ]
    return (
        f"the same data in every lane, but not the same network ({'; '.join(shapes)}): the "
        "same initial weights only where the network is the same"
    )


# ---------------------------------------------------------------- the lanes' views


def points_picture(current: CompareState, spec) -> dict:
    """The data points' picture, shared by every lane (same data), built once per data."""
    run = current.comparison.runs[0]
    cache_key = (id(run.train), spec.show_test, spec.colors, spec.output_mode)
    if current.points is None or current.points[0] != cache_key:
        picture = data_points_image(spec, run.train.X, run.train.y, run.test.X, run.test.y)
        current.points = (cache_key, picture)
    return current.points[1]


def captions_html(runs: list, columns_spec: list[float]) -> str:
    """The lanes' caption lines (``playground.frames.metrics_line``) side by side, laid out
    like the lanes' columns; ``data-lane`` and ``data-epoch`` are for tests."""
    cells = "".join(
        f'<div class="np-compare-caption" data-lane="{number}" data-epoch="{run.epoch}">'
        f"{html.escape(metrics_line(run))}</div>"
        for number, run in enumerate(runs)
    )
    template = " ".join(f"{share}fr" for share in columns_spec)
    return (
        f'<div class="np-compare-captions" style="grid-template-columns: {template}">{cells}</div>'
    )


def stop_notice(where, number: int, run) -> None:
    """Why a lane stopped (it diverged, or met a stop condition), right under its caption."""
    if not run.stop_reason:
        return
    if run.trainer.divergence is not None:
        where.error(f"Lane {LANE_NAMES[number]} stopped. {plain(run.stop_reason)}")
    else:
        where.info(plain(run.stop_reason))


def lane_view(current: CompareState, number: int, theme: str | None) -> None:
    """A lane's output map (a live graph: it stays mounted and only its picture changes) and
    its link to the Playground."""
    comparison = current.comparison
    run, lane = comparison.runs[number], comparison.lanes[number]
    spec = view_spec(run, comparison.base.log_loss, theme)
    points = points_picture(current, spec)
    lanes = len(comparison.runs)
    hover = not current.playing  # hover values are trace data: sent only while paused
    figure = lane_map_figure(spec, points, lanes, hover)
    grid, discretize = frame_data(run).output_grid, comparison.base.discretize
    live_plotly(
        figure,
        spec.version((id(run.train), lanes, hover)),
        lane_map_hover(spec, grid, discretize) if hover else {},
        key=f"compare_map_{number}",
        height=figure["layout"]["height"],
        images=[{"index": 0, "values": lane_map_picture(spec, grid, discretize)}],
        colorscale=spec.colors.image_colorscale,
        frame_id=run.epoch,
    )
    st.link_button(
        "Open in Playground",
        "/?" + urlencode(playground_query(comparison.base, lane)),
        key=f"compare_open_{number}",
        icon=":material/open_in_new:",
        help="This lane's setup in the Playground (a new tab).",
    )


def loss_view(comparison: Comparison, theme: str | None) -> None:
    """Every lane's loss curves on one live graph (only the curves and ranges change)."""
    curves = []
    for number, run in enumerate(comparison.runs):
        history = run.trainer.history
        curves.append(
            LaneCurves(
                name=LANE_NAMES[number],
                epochs=np.asarray(history.epochs),
                train_loss=np.asarray(history.column("train_loss")),
                test_loss=np.asarray(history.column("test_loss")),
                stopped=run.trainer.divergence is not None,
            )
        )
    spec = view_spec(comparison.runs[0], comparison.base.log_loss, theme)
    figure = overlay_loss_figure(curves, spec)
    live_plotly(
        figure,
        repr((len(curves), spec.log_loss, spec.colors)),
        overlay_updates(figure),
        key="compare_loss",
        height=figure["layout"]["height"],
        frame_id=comparison.epoch,
    )


def tick_epochs(comparison: Comparison) -> int:
    """Epochs a fragment run trains at most: the base's speed, as on the Playground (auto: about
    ``AUTO_EPOCHS_PER_SECOND``; else its epochs per frame), so a class sees the same pace."""
    speed = comparison.base.speed
    return max(1, round(AUTO_EPOCHS_PER_SECOND * TICK)) if speed == AUTO_SPEED else speed


def lanes_view(columns_spec: list[float]) -> None:
    """The fragment: while playing, train every running lane a chunk, then draw."""
    current = compare_state()

    @st.fragment(run_every=TICK if current.playing else None)
    def view() -> None:
        current = compare_state()
        comparison = current.comparison
        if current.playing:
            # No Streamlit call until every lane has trained: the lanes stay in step.
            train_lockstep(
                comparison, chunk_epochs(comparison, TRAIN_BUDGET, tick_epochs(comparison))
            )
            if not comparison.running():
                current.playing = False
                st.rerun(scope="app")  # stops the timer and shows Play again
        theme = state.theme_type()
        # Drawn under the lanes' lock: never while another run of the page is part-way
        # through training them.
        with comparison.lock:
            # Every lane's caption in one element: the browser paints them at once, so the
            # epochs a viewer reads always agree (separate elements arrive one by one).
            st.markdown(captions_html(comparison.runs, columns_spec), unsafe_allow_html=True)
            columns = st.columns(columns_spec, gap="small")
            for number, run in enumerate(comparison.runs):
                with columns[number].container(key=f"np-compare-lane-{number}"):
                    stop_notice(st, number, run)
                    lane_view(current, number, theme)
            with columns[-1]:
                loss_view(comparison, theme)

    view()


def render() -> None:
    warm_engine()
    st.markdown(PAGE_CSS, unsafe_allow_html=True)
    current = compare_state()
    st.container(key="np-compare-title").title("Compare runs", anchor=False)
    play_bar(current)
    for notice in current.notices:
        st.warning(notice, icon="⚠️")
    current.notices.clear()
    comparison = current.comparison
    write_url(comparison)
    # The lanes, then the loss chart, in one row: a projector shows every map and the chart.
    columns_spec = [1.0] * len(comparison.lanes) + [1.4]
    # Every run, not only after a change: a widget whose state was set in an earlier run is
    # sent without its value, and a browser that mounts it then (a second run right after the
    # first) shows and reports its first option, which would become the lane's value.
    sync_widgets(comparison)
    columns = st.columns(columns_spec, gap="small")
    for number, lane in enumerate(comparison.lanes):
        with columns[number]:
            lane_controls(number, lane)
    with columns[-1]:
        st.markdown("**Loss** · train solid, test dashed")
    lanes_view(columns_spec)
