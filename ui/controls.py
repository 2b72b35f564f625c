"""The playground's widgets, each bound to one field of ``PlaygroundSettings``.

Every widget has an explicit key ``control_<field>`` (tests drive them by key) and shows what
the field's ``Setting.widget`` says (``widget_values``).  Its callback turns the widget's value
into new settings with ``with_changes`` (dependent choices follow, e.g. a regression data set
switches the output to linear) and then every widget is re-synced from the settings, so
widgets and URL never disagree. ``setting_widget`` makes one such widget, unless the link
hides it.
"""

from __future__ import annotations

import base64
import functools
import html
import io

import numpy as np
import streamlit as st

import engine
from playground import words
from playground.figures import point_colors
from playground.pacing import AUTO_EPOCHS_PER_SECOND
from playground.palette import DEFAULT_PALETTE, DEFAULT_THEME, PALETTES, figure_colors, hex_to_rgb
from playground.quote import plain
from playground.run import restart, set_parameter, train_chunk
from playground.settings import (
    AUTO_SPEED,
    CUSTOM,
    FULL_BATCH,
    MAX_SEED,
    MAX_STOP_EPOCH,
    MULTICLASS_RANGE,
    SETTING,
    SETTINGS,
    PlaygroundSettings,
    losses_for,
    outputs_for,
)

from . import own_data, state, timeline

KEY_PREFIX = "control_"
# Width (px) of the play bar's choosers: the bar wraps onto a second row on a narrow screen
# instead of squeezing every label to one letter.
BAR_SELECT_WIDTH = 112
# px of a hidden layer's neuron count; from 5 layers on the narrower width keeps all 8 in the
# row above the diagram at 1280 px (a second row pushes the whole view down).
UNITS_INPUT_WIDTH, UNITS_INPUT_WIDTH_DEEP, MAX_WIDE_UNITS_INPUTS = 96, 52, 4


def key(name: str) -> str:
    return KEY_PREFIX + name


def widget_values(settings: PlaygroundSettings) -> dict[str, object]:
    """The value every widget should show for ``settings``: each setting's (``Setting.widget``),
    then the per-layer ones."""
    values = {
        spec.name: spec.widget(getattr(settings, spec.name)) for spec in SETTINGS if spec.widget
    }
    values["per_layer"] = len(settings.activation) > 1
    for layer, units in enumerate(settings.hidden):
        values[f"units_{layer}"] = units
        values[f"activation_{layer}"] = settings.hidden_activations[layer]
    return values


def sync_widgets(settings: PlaygroundSettings) -> None:
    """Set every widget's state to the settings (call from callbacks or before widgets)."""
    for name, value in widget_values(settings).items():
        st.session_state[key(name)] = value


def ensure_widgets(settings: PlaygroundSettings) -> None:
    """Initialise widget state that does not exist yet (first run, or new layers)."""
    for name, value in widget_values(settings).items():
        st.session_state.setdefault(key(name), value)


def apply(**changes) -> None:
    """Apply setting changes from a callback and re-sync every widget. A change of a setting
    the link locks (``lock=``), itself or as a consequence, is refused with a sentence: the
    widget is disabled, but a keyboard shortcut or a stale page can still ask."""
    try:
        new = state.settings().with_changes(**changes)
    except (ValueError, TypeError) as error:
        state.notices().append(f"That change could not be applied: {plain(error)}")
        new = state.settings()
    broken = state.settings().broken_locks(new)
    if broken:
        state.notices().append(locked_sentence(broken))
        new = state.settings()
    state.set_settings(new)
    sync_widgets(new)


def locked_sentence(names: tuple[str, ...]) -> str:
    """Why a change was not applied: the link locks these settings."""
    from .assignment_panel import control_name  # (it builds links from these controls)

    shown = ", ".join(dict.fromkeys(control_name(SETTING[name].lock or name) for name in names))
    return f"This assignment locks {shown}: it stays as the link set it."


def _on_change(name: str, convert=None) -> None:
    value = st.session_state[key(name)]
    apply(**{name: convert(value) if convert else value})


def bound(name: str, convert=None):
    """The on_change callback for the widget of setting ``name``."""
    return functools.partial(_on_change, name, convert)


# ---------------------------------------------------------------- callbacks with logic


def set_playing(playing: bool) -> None:
    """Idempotent: a doubled click event cannot undo itself. Play clears why training last
    stopped (a divergence banner must not outlive it; it comes back if training stops again)."""
    playback = state.playback()
    if playing and not playback.playing:
        timeline.continue_from_shown()  # what is on screen trains on
        playback.started += 1
    playback.playing = playing
    if playing:
        state.run().stop_reason = None


def request_step(token: int) -> None:
    """Train one epoch, once per token (a doubled click event is ignored)."""
    playback = state.playback()
    if token <= playback.steps_handled:
        return
    playback.steps_handled = token
    playback.playing = False
    timeline.continue_from_shown()
    run = state.run()
    train_chunk(run, 1)
    state.set_run(run)


def reset_weights() -> None:
    """New random initial weights (the next init seed, so the URL still reproduces it)."""
    apply(init_seed=state.settings().init_seed % MAX_SEED + 1)
    state.playback().playing = False


def restart_run() -> None:
    """The same initial weights again, history cleared."""
    state.set_run(restart(state.run()))
    state.playback().playing = False


def regenerate_data() -> None:
    apply(seed=state.settings().seed % MAX_SEED + 1)


def change_depth(delta: int) -> None:
    hidden = list(state.settings().hidden)
    if delta > 0 and len(hidden) < engine.MAX_HIDDEN_LAYERS:
        hidden.append(2)  # TensorFlow Playground starts a new layer with 2 neurons
    elif delta < 0 and hidden:
        hidden.pop()
    apply(hidden=tuple(hidden))


def change_units(layer: int) -> None:
    """The box has no bounds of its own (Streamlit's would keep 17 in the box and use 16):
    a number out of range is clamped here, the box shows what is used, a sentence says why."""
    hidden = list(state.settings().hidden)
    typed = int(st.session_state[key(f"units_{layer}")])
    units = min(max(typed, 1), engine.MAX_UNITS_PER_LAYER)
    if typed > units:
        state.notices().append(f"A layer can have at most {units} neurons; using {units}.")
    elif typed < units:
        state.notices().append("A layer needs at least 1 neuron; using 1.")
    hidden[layer] = units
    apply(hidden=tuple(hidden))


def change_layer_activation(layer: int) -> None:
    names = list(state.settings().hidden_activations)
    names[layer] = st.session_state[key(f"activation_{layer}")]
    apply(activation=tuple(names))


def toggle_per_layer() -> None:
    current = state.settings()
    if st.session_state[key("per_layer")] and current.hidden:
        apply(activation=current.hidden_activations)
    else:
        apply(activation=current.activation[:1])


def edited_parameter() -> tuple[int, int | None, int]:
    """(layer, source unit or None for the bias, target unit) selected in the editor."""
    source = st.session_state.get("edit_source", 0)
    layer, target = st.session_state.get("edit_layer", 0), st.session_state.get("edit_target", 0)
    return layer, None if source == "bias" else int(source), target


def edited_value() -> float:
    """The current value of the weight or bias selected in the editor."""
    model = state.run().model
    layer, source, target = edited_parameter()
    try:
        if source is None:
            return float(model.biases[layer][target])
        return float(model.weights[layer][source, target])
    except IndexError:
        return 0.0


def load_edited_value() -> None:
    st.session_state["edit_value"] = round(edited_value(), 3)


def apply_weight_edit() -> None:
    """Set the weight or bias chosen in the editor; a bad value gets a sentence, not a crash."""
    run = state.run()
    try:
        set_parameter(run, *edited_parameter(), st.session_state["edit_value"])
    except ValueError as error:
        state.notices().append(plain(error))
        return
    state.set_run(run)


# ---------------------------------------------------------------- widgets


def setting_widget(
    settings: PlaygroundSettings, name: str, make, label: str, *args, convert=None, **kwargs
) -> None:
    """``make(label, *args, **kwargs)`` (``st.toggle``, ``bar.selectbox``, …) as the widget of
    setting ``name``: keyed ``control_<name>``, bound to it (``convert``: widget value -> setting
    value), left out when the link hides it, disabled when it locks it."""
    if not settings.hides(name):
        kwargs["disabled"] = kwargs.get("disabled", False) or settings.locks(name)
        make(label, *args, key=key(name), on_change=bound(name, convert), **kwargs)


def setting_select(
    settings: PlaygroundSettings, name: str, label: str, where=st, options=None, **kwargs
) -> None:
    """A selectbox for setting ``name`` in ``where``, of the setting's choices unless ``options``
    are given, shown by their human names (playground/words.py)."""
    kwargs = {"format_func": words.name, "width": BAR_SELECT_WIDTH, **kwargs}
    options = SETTING[name].choices if options is None else options
    setting_widget(settings, name, where.selectbox, label, options, **kwargs)


def setting_slider(settings: PlaygroundSettings, name: str, label: str, **kwargs) -> None:
    """A select slider over setting ``name``'s choices."""
    setting_widget(settings, name, st.select_slider, label, SETTING[name].choices, **kwargs)


# Button names, declared once (the tests click them by these names).
PLAY, PAUSE, STEP, NEW_WEIGHTS, REPLAY = "Play", "Pause", "Step", "New weights", "Replay"
STEP_BUTTON_KEY, NEW_WEIGHTS_BUTTON_KEY, REPLAY_BUTTON_KEY = "step", "reset", "restart"
# The Playground's keyboard (ui.keys): (key as the browser names it, as people call it, the
# button it clicks, what it does).
SHORTCUTS = (
    (" ", "Space", state.PLAY_BUTTON_KEY, "Play / Pause"),
    ("ArrowRight", "→", STEP_BUTTON_KEY, "Train one epoch"),
    ("r", "R", REPLAY_BUTTON_KEY, "Replay from the same initial weights"),
)


def speed_name(speed: int) -> str:
    return "Auto" if speed == AUTO_SPEED else f"{speed} per frame"  # epochs: see its help


def playback_bar(settings: PlaygroundSettings) -> None:
    """Play/Pause, Step, New weights, Replay, Speed and the hyper-parameters TF Playground puts
    on top, in one row that wraps onto a second one on a narrow screen."""
    playback = state.playback()
    bar = st.container(
        key="np-playbar", horizontal=True, vertical_alignment="bottom", gap="xsmall", wrap=True
    )
    bar.button(
        PAUSE if playback.playing else PLAY,
        key=state.PLAY_BUTTON_KEY,
        type="primary",
        on_click=set_playing,
        args=(not playback.playing,),
        icon=":material/pause:" if playback.playing else ":material/play_arrow:",
        help="Train continuously; the views update live. Key: Space.",
        width=104,
    )
    bar.button(
        STEP,
        key=STEP_BUTTON_KEY,
        on_click=request_step,
        args=(playback.steps_handled + 1,),
        icon=":material/skip_next:",
        help="Train one epoch. Key: →.",
    )
    bar.button(
        NEW_WEIGHTS,
        key=NEW_WEIGHTS_BUTTON_KEY,
        on_click=reset_weights,
        icon=":material/casino:",
        help="Start again from new random initial weights (the next weight seed).",
    )
    bar.button(
        REPLAY,
        key=REPLAY_BUTTON_KEY,
        on_click=restart_run,
        icon=":material/replay:",
        help="Start again from the same initial weights: the same run replays. Key: R.",
    )
    setting_select(
        settings,
        "speed",
        "Speed",
        bar,
        format_func=speed_name,
        help=f"Epochs trained per painted frame. Auto: about {AUTO_EPOCHS_PER_SECOND} epochs a "
        "second.",
        width=BAR_SELECT_WIDTH + 28,  # "500 per frame"
    )
    setting_select(settings, "lr", "Learning rate", bar, format_func=words.number)
    setting_select(
        settings,
        "activation",
        "Activation",
        bar,
        list(engine.HIDDEN_ACTIVATIONS),
        convert=lambda name: (name,),
        disabled=len(settings.activation) > 1,
        help="For every hidden layer (one per layer: More settings).",
    )
    setting_select(settings, "optimizer", "Optimiser", bar)
    setting_select(settings, "reg", "Regularisation", bar)
    setting_select(
        settings,
        "reg_rate",
        "Regularisation rate",
        bar,
        format_func=words.number,
        width=BAR_SELECT_WIDTH + 20,  # its label is the bar's longest
    )


@st.cache_data(show_spinner=False, max_entries=64)
def dataset_preview(
    name: str, noise: int, classes: int, palette: str = DEFAULT_PALETTE, theme: str = DEFAULT_THEME
) -> np.ndarray:
    """A small RGB picture of a data set (cached: the same for every session)."""
    colors = figure_colors(palette, theme)
    data = engine.make_dataset(
        name,
        n_points=300,
        noise=noise / 100,
        seed=3,
        n_classes=classes if engine.DATASETS[name].n_classes == -1 else None,
    )
    size = 64
    picture = np.full((size, size, 3), hex_to_rgb(colors.theme.thumbnail), dtype=np.uint8)
    # Each point's pixel on the whole plane, [-DOMAIN, DOMAIN]² (row 0 at the top).
    where = (data.X * (1, -1) + engine.DOMAIN) / (2 * engine.DOMAIN) * (size - 1)
    columns, rows = np.clip(where.round().astype(int), 0, size - 1).T
    mode = "regression" if data.kind == "regression" else "classes"
    rgb = [_rgb(color) for color in point_colors(data.y, mode, colors)]
    for r, c, color in zip(rows, columns, rgb):
        picture[max(r - 1, 0) : r + 2, max(c - 1, 0) : c + 2] = color
    return picture


@st.cache_data(show_spinner=False, max_entries=64)
def dataset_thumbnail(name: str, noise: int, classes: int, palette: str, theme: str) -> str:
    """The preview as an <img> with its PNG inline (~2 KB): ``st.image`` would serve it
    through Streamlit's media files, and when the data set changes quickly the browser asks
    for a file already replaced (404)."""
    from PIL import Image

    buffer = io.BytesIO()
    picture = dataset_preview(name, noise, classes, palette, theme)
    Image.fromarray(picture).save(buffer, format="PNG")
    source = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    title = html.escape(engine.DATASETS[name].title)
    # 48 px beside the data set's name (the picker names it: no caption).
    return (
        f'<img src="{source}" alt="{title}" title="{title}" width="48" height="48" '
        'style="display:block;border-radius:4px">'
    )


def _rgb(color: str) -> tuple[int, int, int]:
    """'#rrggbb' or 'rgb(r,g,b)' -> (r, g, b)."""
    if color.startswith("#"):
        return hex_to_rgb(color)
    return tuple(int(part) for part in color[4:-1].split(","))  # type: ignore[return-value]


def data_panel(settings: PlaygroundSettings) -> None:
    """The data set, the input features and how the data is drawn: TF Playground's left column."""
    own = settings.dataset == CUSTOM
    if not settings.hides("dataset"):
        picker = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
        if not own:  # (your own data: the output map shows them)
            thumbnail = dataset_thumbnail(
                settings.dataset,
                settings.noise,
                settings.classes,
                settings.palette,
                state.theme_type() or DEFAULT_THEME,
            )
            picker.markdown(thumbnail, unsafe_allow_html=True, width="content")
        picker.selectbox(  # not setting_select: your own data comes back from the session
            "Data set",
            SETTING["dataset"].choices,
            key=key("dataset"),
            on_change=own_data.choose_dataset,
            format_func=own_data.dataset_title,
            disabled=settings.locks("dataset"),
            help="Classification (two or more classes) or regression (plane, multi Gaussian), "
            "or your own points: draw them on the output map or upload a file.",
            width="stretch",
        )
        if not own and engine.DATASETS[settings.dataset].n_classes == -1:
            classes = list(range(MULTICLASS_RANGE[0], MULTICLASS_RANGE[1] + 1))
            setting_widget(settings, "classes", st.select_slider, "Classes", classes)
        own_data.data_buttons(settings)
        own_data.mapping_step()
        own_data.draw_controls(settings)
    setting_widget(
        settings,
        "features",
        st.pills,
        "Input features",
        list(engine.FEATURES),
        convert=tuple,
        selection_mode="multi",
        format_func=lambda name: engine.FEATURES[name].label,
        width="stretch",
    )
    setting_slider(settings, "ratio", "Training data (%)")
    if not own:  # your own points have no noise and no seed of their own
        setting_slider(settings, "noise", "Noise")
    setting_slider(
        settings, "batch", "Batch size", format_func=lambda n: "full" if n == FULL_BATCH else str(n)
    )
    if not settings.hides("seed") and not own:
        row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
        setting_widget(
            settings,
            "seed",
            row.number_input,
            "Data seed",
            min_value=0,
            max_value=MAX_SEED,
            step=1,
            convert=int,
        )
        row.button(
            "New",
            key="regenerate",
            on_click=regenerate_data,
            disabled=settings.locks("seed"),
            help="Regenerate the data with the next seed.",
        )
    if not own:
        setting_widget(settings, "show_test", st.toggle, "Show test data")
    elif not settings.hides("show_test"):  # your own points all show (frames.view_spec)
        st.toggle(
            "Show test data",
            value=True,
            disabled=True,
            key="own_show_test",
            help="Your own points always show, test points with a dark outline: a point you "
            "draw must appear where you clicked.",
        )
    setting_widget(settings, "discretize", st.toggle, "Discretize output")


def network_panel(settings: PlaygroundSettings) -> None:
    """Hidden layers and their neurons, in one row right above the diagram."""
    if settings.hides("hidden"):
        return
    count = len(settings.hidden)
    locked = settings.locks("hidden")
    row = st.container(
        key="np-layers", horizontal=True, vertical_alignment="center", gap="small", wrap=True
    )
    row.button(
        "",
        key="remove_layer",
        on_click=change_depth,
        args=(-1,),
        disabled=count == 0 or locked,
        icon=":material/remove:",
        help="Remove the last hidden layer.",
    )
    row.button(
        "",
        key="add_layer",
        on_click=change_depth,
        args=(1,),
        disabled=count >= engine.MAX_HIDDEN_LAYERS or locked,
        icon=":material/add:",
        help="Add a hidden layer.",
    )
    row.markdown(f"**{count} hidden layer{'s' if count != 1 else ''}**", width="content")
    for layer in range(count):
        row.number_input(
            f"Layer {layer + 1}",
            step=1,
            key=key(f"units_{layer}"),
            on_change=change_units,
            args=(layer,),
            disabled=locked,
            help=f"Neurons in hidden layer {layer + 1} (1–{engine.MAX_UNITS_PER_LAYER}).",
            label_visibility="collapsed",
            width=UNITS_INPUT_WIDTH if count <= MAX_WIDE_UNITS_INPUTS else UNITS_INPUT_WIDTH_DEEP,
        )


def advanced_panel(settings: PlaygroundSettings) -> None:
    """Everything beyond TensorFlow Playground: outputs, losses, init, optimisers, stopping."""
    left, middle, right = st.columns(3)
    with left:
        st.markdown("**Network**")
        outputs = outputs_for(settings.dataset, settings.n_classes)
        setting_select(settings, "output", "Output activation", st, outputs, width="stretch")
        losses = losses_for(settings.output, settings.dataset)
        setting_select(settings, "loss", "Loss", st, losses, width="stretch")
        setting_select(settings, "init", "Initialisation", width="stretch")
        setting_widget(
            settings,
            "batchnorm",
            st.toggle,
            "Batch normalisation",
            help="Normalise each hidden layer's inputs to its activation over the mini-batch "
            "(then scale and shift them by a learned γ and β); predictions use running averages.",
        )
        if not settings.hides("activation") and settings.hidden:
            st.toggle(
                "A different activation per layer",
                key=key("per_layer"),
                on_change=toggle_per_layer,
                disabled=settings.locks("activation"),
            )
            if len(settings.activation) > 1:
                for layer in range(len(settings.hidden)):
                    st.selectbox(
                        f"Layer {layer + 1} activation",
                        list(engine.HIDDEN_ACTIVATIONS),
                        key=key(f"activation_{layer}"),
                        format_func=words.name,
                        on_change=change_layer_activation,
                        args=(layer,),
                        disabled=settings.locks("activation"),
                    )
    with middle:
        st.markdown("**Optimisation**")
        setting_slider(settings, "dropout", "Dropout (hidden units)")
        setting_slider(
            settings,
            "clip",
            "Clip gradient norm",
            format_func=lambda norm: "off" if norm == 0 else words.number(norm),
        )
        schedule_controls(settings)
    with right:
        st.markdown("**Stopping**")
        setting_widget(
            settings,
            "stop_epoch",
            st.number_input,
            "Stop at epoch (0 = never)",
            min_value=0,
            max_value=MAX_STOP_EPOCH,
            step=100,
            convert=int,
        )
        setting_widget(
            settings,
            "stop_loss",
            st.number_input,
            "Stop when test loss ≤ (0 = never)",
            min_value=0.0,
            max_value=99.0,
            step=0.01,
            format="%.3f",
            convert=float,
        )
        setting_select(settings, "palette", "Colours", format_func=lambda n: PALETTES[n].title)


def schedule_controls(settings: PlaygroundSettings) -> None:
    """The learning-rate schedule, its warm-up, and only the parameters the chosen one uses."""
    setting_select(
        settings,
        "schedule",
        "Learning-rate schedule",
        format_func=words.SCHEDULE_NAMES.get,
        width="stretch",
        help="How the learning rate changes from epoch to epoch: the rate on the bar times a "
        "factor that starts at 1 (after the warm-up) and decays. The current rate shows beside "
        "the loss.",
    )
    setting_slider(
        settings,
        "warmup",
        "Warm-up epochs",
        help="Start at a fraction of the rate and grow it linearly to the full rate over these "
        "epochs (0: no warm-up).",
    )
    if settings.schedule != "constant":
        setting_slider(
            settings,
            "decay_epochs",
            "Decay epochs",
            help={
                "step": "Multiply the rate by the decay rate every this many epochs.",
                "exponential": "The rate shrinks smoothly by the decay rate per this many epochs.",
                "cosine": "The rate follows half a cosine down to its final fraction over this "
                "many epochs, then stays there.",
            }[settings.schedule],
        )
    if settings.schedule in ("step", "exponential"):
        setting_slider(settings, "decay_rate", "Decay rate", format_func=words.number)
    if settings.schedule == "cosine":
        setting_slider(
            settings, "final_fraction", "Final fraction of the rate", format_func=words.number
        )


def weight_editor(settings: PlaygroundSettings) -> None:
    """Pick one weight or bias and set its value; the views update at once."""
    if settings.hides("edit"):
        return
    if settings.locks("edit"):
        st.caption("This assignment locks the weights: they change only by training.")
        return
    run = state.run()
    sizes = run.model.layer_sizes
    columns = st.columns([1, 1, 1, 1.2, 0.8], vertical_alignment="bottom")
    layer = columns[0].selectbox(
        "Layer",
        list(range(len(sizes) - 1)),
        key="edit_layer",
        on_change=load_edited_value,
        format_func=lambda index: f"{index + 1} ({sizes[index]}→{sizes[index + 1]})",
    )
    if st.session_state.get("edit_source") not in ["bias", *range(sizes[layer])]:
        st.session_state["edit_source"] = 0
    columns[1].selectbox(
        "From",
        ["bias", *range(sizes[layer])],
        key="edit_source",
        on_change=load_edited_value,
        format_func=lambda s: "bias" if s == "bias" else f"unit {s + 1}",
    )
    if st.session_state.get("edit_target") not in range(sizes[layer + 1]):
        st.session_state["edit_target"] = 0
    columns[2].selectbox(
        "To",
        list(range(sizes[layer + 1])),
        key="edit_target",
        on_change=load_edited_value,
        format_func=lambda t: f"unit {t + 1}",
    )
    if "edit_value" not in st.session_state:
        load_edited_value()
    columns[3].number_input(
        "Value", min_value=-1e6, max_value=1e6, step=0.1, format="%.3f", key="edit_value"
    )
    columns[4].button("Set", key="edit_apply", on_click=apply_weight_edit)


__all__ = [
    "advanced_panel",
    "data_panel",
    "ensure_widgets",
    "network_panel",
    "playback_bar",
    "sync_widgets",
    "weight_editor",
]
