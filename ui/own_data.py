"""Your own data on the Playground page: upload a file (and map its columns), download any data
set, draw points on the output map.

The data live in the session (``ui.state.own_data``), never in the module; the reading,
writing and drawing are ``playground.own_data`` and ``playground.drawing`` (no Streamlit). A
file that cannot be read leaves one sentence (``state.notices``, shown as a warning) and the
data set as it was. Drawing: the live view sends each click on the output map (``live_plotly``'s
``click_areas``) to ``draw_click``, which runs in the live view's fragment (no full rerun per
point); the run keeps its network and trainer, and the new point joins the training or the test
set by the train ratio (``playground.drawing.train_count``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import streamlit as st

import engine
from playground import drawing
from playground.figures import class_names
from playground.frames import output_mode
from playground.own_data import (
    MAX_LINK_POINTS,
    ColumnMapping,
    OwnData,
    UnknownColumnsError,
    link_problem,
    parse_table,
    to_csv,
)
from playground.palette import DEFAULT_THEME, figure_colors
from playground.quote import code
from playground.settings import CUSTOM, PlaygroundSettings

from . import state

UPLOAD_KEY = "own_upload"
DOWNLOAD_KEY = "own_download"
FILE_MENU_KEY = "own_file_menu"
DRAW_MODE_KEY = "draw_mode"
DRAW_CLASS_KEY = "draw_class"
DRAW_TARGET_KEY = "draw_target"
MAPPING_KEYS = {part: f"own_map_{part}" for part in ("x1", "x2", "value", "split")}
MAPPING_KIND_KEY = "own_map_kind"
START_FROM_KEY = "own_start_from"
CLEAR_KEY = "own_clear"
ADD, REMOVE = "Add", "Remove"
NO_SPLIT = "(none)"
_MAPPING = "_own_mapping"  # (Table, file name): a file waiting for its columns
_NOTES = "_own_notes"  # what reading the last file changed (sentences)
_DOWNLOAD = "_own_download"  # DownloadData: what the Download button writes
# What a click adds for regression: a target from the slider's range (TensorFlow Playground's
# regression targets lie in about -1 … 1).
TARGET_RANGE = (-1.0, 1.0)
CLICK_AREA = {"xaxis": "x", "yaxis": "y"}  # the output map's axes (playground.figures)


def dataset_title(name: str) -> str:
    """How the data set picker names a data set."""
    return "Your own data" if name == CUSTOM else engine.DATASETS[name].title


@dataclass
class DownloadData:
    """The data set the Download button writes when clicked. Streamlit makes the file on
    another thread, after the page was drawn, and a drawn point changes the data without a
    full rerun: the button reads this session object, updated with the run's data."""

    train: engine.Dataset | None = None
    test: engine.Dataset | None = None

    def csv(self) -> bytes:
        return to_csv(self.train, self.test)


def _download_data() -> DownloadData:
    return st.session_state.setdefault(_DOWNLOAD, DownloadData())


def _remember_download(run) -> None:
    holder = _download_data()
    holder.train, holder.test = run.train, run.test


# ---------------------------------------------------------------- callbacks


def _sync() -> None:
    from .controls import sync_widgets  # controls imports this module

    sync_widgets(state.settings())


def use_own_data(own: OwnData, keep_network: bool = False) -> None:
    """Show ``own`` as the data set (its split carried from now on: drawing keeps each point's
    side). A new network unless ``keep_network`` and the data's shape stays."""
    settings = state.settings()
    if settings.locks("dataset"):  # (its buttons are disabled: a stale page's click)
        state.notices().append("This assignment locks the data set: it stays as the link set it.")
        return
    if own.is_train is None:
        own = drawing.joined(*own.split(settings.ratio / 100, settings.seed))
    state.set_own_data(own, keep_network)
    _remember_download(state.run())
    _sync()


def choose_dataset() -> None:
    """The data set picker: your own data brings back this session's points (an empty drawing
    the first time); another choice is an ordinary setting."""
    from .controls import apply, key

    chosen = st.session_state[key("dataset")]
    if chosen != CUSTOM:
        apply(dataset=chosen)
        return
    own = state.own_data() or drawing.cleared(*drawing.DEFAULT_SHAPE)
    use_own_data(own)


def upload_file() -> None:
    """The uploader's callback: read the file; a bad one leaves a sentence and the data set as
    it was; unknown column names open the mapping step."""
    st.session_state.pop(_MAPPING, None)
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:
        return
    name = uploaded.name
    try:
        table = parse_table(uploaded.getvalue(), name)
        own = table.read()
    except UnknownColumnsError as problem:
        for widget in (*MAPPING_KEYS.values(), MAPPING_KIND_KEY):  # the last file's choices
            st.session_state.pop(widget, None)
        st.session_state[_MAPPING] = (problem.table, name, str(problem))
        return
    except ValueError as problem:  # the sentence is Markdown-safe (playground.own_data)
        state.notices().append(f"{code(name)} was not used: {problem}")
        return
    _loaded(own, name)


def _loaded(own: OwnData, name: str) -> None:
    st.session_state[_NOTES] = (f"From {code(name)}.", *own.notes)
    state.playback().playing = False
    use_own_data(own)


def apply_mapping() -> None:
    """The mapping step's "Use these columns"."""
    table, name, _ = st.session_state[_MAPPING]
    values = {part: st.session_state.get(widget) for part, widget in MAPPING_KEYS.items()}
    kind = st.session_state.get(MAPPING_KIND_KEY) or "label"
    split = values["split"] if values["split"] != NO_SPLIT else None
    try:
        value = {kind: values["value"]}  # label=… or target=…
        own = table.read(ColumnMapping(values["x1"], values["x2"], **value, split=split))
    except ValueError as problem:
        state.notices().append(f"{code(name)} was not used: {problem}")
        return
    st.session_state.pop(_MAPPING, None)
    _loaded(own, name)


def cancel_mapping() -> None:
    st.session_state.pop(_MAPPING, None)


def start_from_shown() -> None:
    """Copy the data set on show (generated) into your own data, to edit it."""
    run = state.run()
    st.session_state[_NOTES] = (f"A copy of {dataset_title(run.settings.dataset)}.",)
    use_own_data(drawing.joined(run.train, run.test))


def clear_points() -> None:
    """No point left; the same kind and classes (the network stays)."""
    settings = state.settings()
    st.session_state.pop(_NOTES, None)
    use_own_data(drawing.cleared(settings.kind, settings.n_classes), keep_network=True)


def draw_click(click: dict) -> None:
    """A click on the output map (the live view's ``on_click``): add a point of the chosen
    class or target there, or remove the nearest point. The run keeps its weights (training
    goes on while playing)."""
    settings = state.settings()
    if not can_draw(settings):
        return
    run = state.run()
    x, y = click["x"], click["y"]
    if st.session_state.get(DRAW_MODE_KEY) == REMOVE:
        own, changed = drawing.remove_nearest(run.train, run.test, x, y)
        if not changed:
            return
    else:
        if settings.kind == "regression":
            value = float(st.session_state.get(DRAW_TARGET_KEY, TARGET_RANGE[1]))
        else:
            value = int(st.session_state.get(DRAW_CLASS_KEY) or 0)
        own, _ = drawing.add_point(run.train, run.test, x, y, value, settings.ratio / 100)
    kept = state.set_own_data(own)
    _remember_download(state.run())
    if not kept:  # a new class: a new network (and widgets that follow it)
        _sync()
        st.session_state["_own_full_rerun"] = True


def can_draw(settings: PlaygroundSettings) -> bool:
    """Whether a click on the output map adds or removes a point: your own data is shown,
    and the link neither hides nor locks the data set."""
    return settings.dataset == CUSTOM and not (
        settings.hides("dataset") or settings.locks("dataset")
    )


def needs_full_rerun() -> bool:
    """Whether a click changed more than the live view shows (a new class: new widgets)."""
    return bool(st.session_state.pop("_own_full_rerun", False))


# ---------------------------------------------------------------- widgets


def data_buttons(settings: PlaygroundSettings) -> None:
    """Under the data set picker: edit or clear the points, and the file menu (upload and
    download)."""
    run = state.run()
    _remember_download(run)
    locked = settings.locks("dataset")  # (lock=dataset: the points stay as the link set them)
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    if settings.dataset == CUSTOM:
        row.button(
            "Clear",
            key=CLEAR_KEY,
            icon=":material/delete_sweep:",
            on_click=clear_points,
            disabled=locked,
            help="Remove every point (the network stays).",
        )
    else:
        row.button(
            "Draw",
            key=START_FROM_KEY,
            icon=":material/edit:",
            on_click=start_from_shown,
            disabled=locked,
            help="Start your own data from these points: then click on the output map to add "
            "points, or remove them.",
        )
    menu = row.popover("File", icon=":material/upload_file:", key=FILE_MENU_KEY)
    with menu:
        st.file_uploader(
            "Upload a CSV or TSV file",
            type=["csv", "tsv", "txt"],
            key=UPLOAD_KEY,
            on_change=upload_file,
            disabled=locked,
            help="Columns x1, x2 and label (classes) or target (regression), header optional; "
            "a split column (train/test) is kept. At most 10,000 rows and 5 MB. Points "
            "outside the view (−6 … 6) are moved and scaled to fit, with a note.",
        )
        st.download_button(
            "Download this data set (CSV)",
            data=functools.partial(DownloadData.csv, _download_data()),
            file_name=f"neuroplay-{settings.dataset}.csv",
            mime="text/csv",
            key=DOWNLOAD_KEY,
            on_click="ignore",
            icon=":material/download:",
            help="x1, x2, label or target, and split (train/test): uploading it gives back the "
            "same points and split.",
        )


def mapping_step() -> None:
    """A file whose columns have other names: which column is which."""
    waiting = st.session_state.get(_MAPPING)
    if waiting is None:
        return
    table, _, sentence = waiting
    st.info(sentence)
    numbers = list(table.numbers) or list(table.columns)
    guess = table.suggestion or ColumnMapping(*(numbers * 3)[:3])
    value = guess.label or guess.target or numbers[min(2, len(numbers) - 1)]
    defaults = {"x1": guess.x1, "x2": guess.x2, "value": value, "split": guess.split or NO_SPLIT}
    for part, default in defaults.items():
        st.session_state.setdefault(MAPPING_KEYS[part], default)
    st.selectbox("x₁", numbers, key=MAPPING_KEYS["x1"])
    st.selectbox("x₂", numbers, key=MAPPING_KEYS["x2"])
    st.segmented_control(
        "The third column holds",
        ["label", "target"],
        key=MAPPING_KIND_KEY,
        default="target" if guess.target else "label",
        format_func=lambda kind: "classes" if kind == "label" else "targets",
    )
    st.selectbox("Label or target", numbers, key=MAPPING_KEYS["value"])
    st.selectbox("Split (train/test)", [NO_SPLIT, *table.columns], key=MAPPING_KEYS["split"])
    row = st.container(horizontal=True, gap="small")
    row.button("Use these columns", key="own_map_apply", type="primary", on_click=apply_mapping)
    row.button("Cancel", key="own_map_cancel", on_click=cancel_mapping)


def _class_css(colors: tuple[str, ...]) -> str:
    """The class picker's buttons in the classes' colours (a bar under each number)."""
    rules = "".join(
        f".st-key-{DRAW_CLASS_KEY} button[role='radio']:nth-of-type({k + 1}) "
        f"{{box-shadow: inset 0 -5px 0 {color};}}"
        for k, color in enumerate(colors)
    )
    return f"<style>{rules}</style>"


def draw_controls(settings: PlaygroundSettings) -> None:
    """While your own data is shown: add or remove, the class (or target) of a new point, and
    what the link and the reading of the file said."""
    if settings.dataset != CUSTOM:
        return
    run = state.run()
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small", wrap=True)
    st.session_state.setdefault(DRAW_MODE_KEY, ADD)
    row.segmented_control(
        "A click on the output map",
        [ADD, REMOVE],
        key=DRAW_MODE_KEY,
        format_func=lambda mode: "adds" if mode == ADD else "removes",
        help="Add a point where you click, or remove the nearest point. New points join the "
        f"training set or the test set so that {settings.ratio} % train (the training data "
        "slider); test points have a dark outline.",
    )
    if settings.kind == "regression":
        st.slider(
            "Target of a new point",
            *TARGET_RANGE,
            value=TARGET_RANGE[1],
            step=0.1,
            key=DRAW_TARGET_KEY,
        )
    else:
        palette = figure_colors(settings.palette, state.theme_type() or DEFAULT_THEME).palette
        names = class_names(output_mode(run), settings.n_classes)
        classes = list(range(min(settings.n_classes + 1, drawing.MAX_CLASSES)))
        if st.session_state.get(DRAW_CLASS_KEY) not in classes:
            st.session_state[DRAW_CLASS_KEY] = 0
        st.markdown(_class_css(palette.classes), unsafe_allow_html=True)
        st.segmented_control(
            "Class of a new point",
            classes,
            key=DRAW_CLASS_KEY,
            format_func=lambda k: names[k] if k < len(names) else "new",
            help="The colour under each name is its class's, as in the output map's legend. "
            '"new" adds a class: a new network (one more output).',
        )
    # The point count is in the caption line above the map: it follows every click.
    lines = list(st.session_state.get(_NOTES, ()))
    train, test = run.train, run.test
    if len(train) + len(test) > MAX_LINK_POINTS:
        lines.append(link_problem(train, test))
    if lines:
        st.caption(" ".join(lines))


__all__ = [
    "can_draw",
    "data_buttons",
    "dataset_title",
    "draw_click",
    "draw_controls",
    "mapping_step",
]
