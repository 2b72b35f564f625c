"""Back-prop, step by step: one sample (or a mini-batch, in matrix form) through a tiny
network, forward, backward, one step."""

import numpy as np
import pandas as pd
import streamlit as st

import engine
from playground.quote import plain
from teach.backprop import (
    HIDDEN_UNITS,
    INPUT_LIMIT,
    OUTPUT_UNITS,
    OUTPUTS,
    PHASES,
    WEIGHT_LIMIT,
    SmallNetwork,
    Trace,
    engine_difference,
    hand_difference,
    hand_trace,
    network_frames,
    network_from_frames,
    parameter_frame,
    phase_lines,
    trace,
    unit_names,
)
from teach.backprop_batch import (
    BATCH_PHASES,
    batch_phase_lines,
    batch_trace,
    default_batch,
    engine_batch_difference,
    hand_batch_difference,
    hand_batch_trace,
)
from teach.figures import backprop_diagram

PHASE = "backprop_phase"
BASE = "backprop_base"  # the weights the editors start from: (seed, SmallNetwork or None)
EDITORS = ("backprop_hidden_editor", "backprop_output_editor")
OUTPUT_LABELS = {
    "tanh": "tanh (MSE loss)",
    "sigmoid": "sigmoid (MSE loss)",
    "linear": "linear (MSE loss)",
    "softmax": "softmax (cross-entropy loss)",
}
TARGET_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "linear": (-10.0, 10.0)}
ONE_SAMPLE, BATCH = "One sample", "A mini-batch, in matrix form"


def go_to_phase(phase: int) -> None:
    """Button callback: show ``phase`` (idempotent: it sets, never steps)."""
    st.session_state[PHASE] = max(0, min(phase, len(PHASES) - 1))


def new_weights(seed: int) -> None:
    """Button callback: fresh random weights (drops the editors' cell edits)."""
    st.session_state[BASE] = (seed, None)
    for key in EDITORS:
        st.session_state.pop(key, None)


def keep_updated(network: SmallNetwork, seed: int) -> None:
    """Button callback: continue from the weights after the SGD step."""
    st.session_state[BASE] = (seed, network)
    for key in EDITORS:
        st.session_state.pop(key, None)
    st.session_state[PHASE] = 1


def network_controls() -> tuple[int, int, str, str, float]:
    columns = st.columns(5)
    hidden_units = columns[0].selectbox(
        "Hidden units", HIDDEN_UNITS, index=1, key="backprop_hidden_units"
    )
    output = columns[3].selectbox(
        "Output", OUTPUTS, format_func=OUTPUT_LABELS.get, key="backprop_output"
    )
    counts = OUTPUT_UNITS[1:] if output == "softmax" else OUTPUT_UNITS
    outputs = columns[1].selectbox(
        "Outputs", counts, key=f"backprop_outputs_{'softmax' if output == 'softmax' else 'any'}"
    )
    hidden_activation = columns[2].selectbox(
        "Hidden activation",
        list(engine.HIDDEN_ACTIVATIONS),
        index=list(engine.HIDDEN_ACTIVATIONS).index("tanh"),
        key="backprop_hidden_activation",
    )
    learning_rate = columns[4].number_input(
        "Learning rate η",
        min_value=0.001,
        max_value=10.0,
        value=0.5,
        step=0.1,
        format="%.3f",
        key="backprop_lr",
    )
    return hidden_units, outputs, hidden_activation, output, learning_rate


def sample_controls(outputs: int, output: str) -> tuple[list[float], list[float]]:
    columns = st.columns(2 + outputs)
    sample = [
        columns[i].number_input(
            f"Input x{'₁₂'[i]}",
            min_value=-INPUT_LIMIT,
            max_value=INPUT_LIMIT,
            value=(1.0, -0.5)[i],
            step=0.1,
            key=f"backprop_x{i + 1}",
        )
        for i in range(2)
    ]
    if output == "softmax":
        true_class = columns[2].selectbox(
            "True class",
            range(outputs),
            format_func=lambda k: f"o{'₁₂₃'[k]}",
            key="backprop_true_class",
        )
        return sample, [1.0 if k == true_class else 0.0 for k in range(outputs)]
    low, high = TARGET_RANGES[output]
    target = [
        columns[2 + k].number_input(
            f"Target y{'₁₂₃'[k]}",
            min_value=low,
            max_value=high,
            value=max(low, -1.0) if k == 0 else min(high, 1.0),
            step=0.1,
            key=f"backprop_target_{output}_{k}",
        )
        for k in range(outputs)
    ]
    return sample, target


def weight_editors(hidden_units: int, outputs: int, hidden_activation: str, output: str):
    """Editable tables of both layers; returns the network they describe."""
    seed, stored = st.session_state.get(BASE, (0, None))
    shape_ok = stored is not None and (stored.hidden_units, stored.outputs) == (
        hidden_units,
        outputs,
    )
    base = stored if shape_ok else SmallNetwork.random(hidden_units, outputs, seed=seed)
    hidden_frame, output_frame = network_frames(base)
    config = {
        name: st.column_config.NumberColumn(
            min_value=-WEIGHT_LIMIT, max_value=WEIGHT_LIMIT, step=0.01, format="%.3f"
        )
        for name in [*hidden_frame.columns, *output_frame.columns]
    }
    left, right = st.columns(2)
    left.markdown("**Hidden layer** (rows: from, columns: to)")
    edited_hidden = left.data_editor(hidden_frame, column_config=config, key=EDITORS[0])
    right.markdown("**Output layer**")
    edited_output = right.data_editor(output_frame, column_config=config, key=EDITORS[1])
    st.button(
        "New random weights", key="backprop_new_weights", on_click=new_weights, args=(seed + 1,)
    )
    return network_from_frames(edited_hidden, edited_output, hidden_activation, output)


def phase_navigation(phase: int, titles: tuple[str, ...] = PHASES) -> None:
    back, forward, restart, where = st.columns([1, 1, 1, 5], vertical_alignment="center")
    back.button(
        "◀ Back",
        key="backprop_back",
        on_click=go_to_phase,
        args=(phase - 1,),
        disabled=phase == 0,
        width="stretch",
    )
    forward.button(
        "Next ▶",
        key="backprop_next",
        on_click=go_to_phase,
        args=(phase + 1,),
        disabled=phase == len(titles) - 1,
        type="primary",
        width="stretch",
    )
    restart.button(
        "Start over", key="backprop_restart", on_click=go_to_phase, args=(0,), width="stretch"
    )
    where.markdown(f"**Step {phase + 1} of {len(titles)}: {titles[phase]}**")


def gradient_tables(result: Trace, phase: int) -> None:
    inputs, hidden, outputs = unit_names(result.network)
    if phase == 6:
        layers = (
            (
                "∂L/∂w and ∂L/∂b, hidden layer",
                result.grad_hidden_weights,
                result.grad_hidden_biases,
            ),
            (
                "∂L/∂w and ∂L/∂b, output layer",
                result.grad_output_weights,
                result.grad_output_biases,
            ),
        )
    else:
        net = result.updated
        layers = (
            ("New weights, hidden layer", net.hidden_weights, net.hidden_biases),
            ("New weights, output layer", net.output_weights, net.output_biases),
        )
    for (title, weights, biases), sources, targets in zip(
        layers, (inputs, hidden), (hidden, outputs)
    ):
        st.markdown(f"**{title}**")
        st.dataframe(parameter_frame(weights, biases, sources, targets).style.format("{:.3f}"))


def explanation(result: Trace, phase: int, seed: int) -> None:
    for line in phase_lines(result, phase):
        st.markdown(line)
    if phase >= 6:
        gradient_tables(result, phase)
    if phase == len(PHASES) - 1:
        st.button(
            "Continue from the new weights",
            key="backprop_keep",
            on_click=keep_updated,
            args=(result.updated, seed),
        )


def batch_frame(network: SmallNetwork) -> pd.DataFrame:
    """The starting batch as an editable table: x₁, x₂ and the targets (softmax: the class)."""
    inputs, targets = default_batch(network)
    frame = pd.DataFrame(inputs, columns=["x₁", "x₂"])
    if network.loss == "cross_entropy":
        frame["class"] = np.argmax(targets, axis=1) + 1
    else:
        for k in range(network.outputs):
            frame[f"y{'₁₂₃'[k]}"] = targets[:, k]
    return frame


def batch_from_frame(frame: pd.DataFrame, network: SmallNetwork) -> tuple[np.ndarray, np.ndarray]:
    """(inputs, targets) from the edited table; a ``ValueError`` with a sentence if a cell is
    unusable (the rows themselves are checked by ``teach.backprop_batch.check_batch``)."""
    values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    inputs = values[:, :2]
    if network.loss != "cross_entropy":
        targets = values[:, 2:]
        low, high = TARGET_RANGES[network.output_activation]
        if not np.all((targets >= low) & (targets <= high)):  # NaN fails too
            raise ValueError(
                f"Every target of a {network.output_activation} output must be a number from "
                f"{low:g} to {high:g}."
            )
        return inputs, targets
    classes = values[:, 2]
    if not np.all(np.isin(classes, np.arange(1, network.outputs + 1))):
        raise ValueError(f"Each row's class must be a whole number from 1 to {network.outputs}.")
    return inputs, np.eye(network.outputs)[classes.astype(int) - 1]


def batch_editor(network: SmallNetwork) -> tuple[np.ndarray, np.ndarray]:
    """The editable batch (rows can be added or deleted); its key follows the target columns,
    so another output starts from its own default batch."""
    kind = "class" if network.loss == "cross_entropy" else network.output_activation
    st.markdown("**The batch** (one row per example; add or delete rows: 2–6)")
    edited = st.data_editor(
        batch_frame(network),
        num_rows="dynamic",
        key=f"backprop_batch_{kind}_{network.outputs}",
        hide_index=True,
    )
    return batch_from_frame(edited, network)


def render_batch(network: SmallNetwork, learning_rate: float) -> None:
    """The mini-batch walk-through: matrices for every phase, computed by hand."""
    try:
        inputs, targets = batch_editor(network)
        result = batch_trace(network, inputs, targets, learning_rate)
    except ValueError as error:
        st.error(plain(error))
        return
    shown = hand_batch_trace(result)
    phase = st.session_state[PHASE]
    phase_navigation(phase, BATCH_PHASES)
    for line in batch_phase_lines(shown, phase):
        st.markdown(line)
    if phase == len(BATCH_PHASES) - 1:
        st.button(
            "Continue from the new weights",
            key="backprop_keep",
            on_click=keep_updated,
            args=(shown.updated, st.session_state.get(BASE, (0, None))[0]),
        )
    st.caption(
        "Checked against the engine: its own forward and backward pass over these rows gives "
        "the same activations, mean loss and gradients (largest difference "
        f"{engine_batch_difference(result):.1e}). The numbers shown are rounded to 3 decimals "
        "and computed by hand from one another; they differ from the exact ones by at most "
        f"{hand_batch_difference(result, shown):.3f}."
    )


def render() -> None:
    st.session_state.setdefault(PHASE, 0)
    batch_mode = (
        st.radio("Walk through", (ONE_SAMPLE, BATCH), horizontal=True, key="backprop_mode") == BATCH
    )
    with st.expander(
        "Network and learning rate" if batch_mode else "Network, sample and learning rate",
        expanded=True,
    ):
        hidden_units, outputs, hidden_activation, output, learning_rate = network_controls()
        if not batch_mode:
            sample, target = sample_controls(outputs, output)
    with st.expander("Weights and biases: edit any cell", expanded=False):
        try:
            network = weight_editors(hidden_units, outputs, hidden_activation, output)
        except ValueError as error:
            network = None
            st.error(plain(error))
    if network is None:
        st.info("Fix the weights above to see the steps.")
        return
    if batch_mode:
        render_batch(network, learning_rate)
        return
    try:
        result = trace(network, sample, target, learning_rate)
    except ValueError as error:
        st.error(plain(error))
        return
    # What the page shows: the pass done by hand, every number rounded and computed from the
    # rounded numbers before it, so each line checks out on paper.
    shown = hand_trace(result)
    phase = st.session_state[PHASE]
    phase_navigation(phase)
    diagram, words = st.columns([3, 2], gap="large")
    with diagram:
        st.plotly_chart(
            backprop_diagram(shown, phase),
            key="backprop_diagram",
            config={"displayModeBar": False},
        )
    with words:
        explanation(shown, phase, st.session_state.get(BASE, (0, None))[0])
    st.caption(
        "Checked against the engine: its own forward and backward pass gives the same "
        f"activations, loss and gradients (largest difference {engine_difference(result):.1e}). "
        "The numbers shown are rounded to 3 decimals and computed by hand from one another; "
        f"they differ from the exact ones by at most {hand_difference(result, shown):.3f}."
    )


st.set_page_config(page_title="NeuroPlay — Back-prop", page_icon="🧠", layout="wide")
st.title("Back-propagation, step by step", anchor=False)
st.caption(
    "One sample goes forward through a small network, the loss is measured, the error flows "
    "back layer by layer, and every weight takes one gradient-descent step. Press Next. Or "
    "take a mini-batch: the same steps for several rows at once, as matrices."
)
render()
