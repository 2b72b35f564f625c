"""Activations: each hidden activation's value and slope, from the engine's own kernels."""

import streamlit as st

from teach.activations import (
    ACTIVATION_FACTS,
    describe_range,
    describe_saturation,
)
from teach.figures import activation_figure

NAMES = list(ACTIVATION_FACTS)


def activation_column(side: str, label: str, default: str) -> None:
    """One activation: picker, plot of g and g′, and its facts."""
    name = st.selectbox(
        label,
        NAMES,
        index=NAMES.index(default),
        format_func=lambda key: ACTIVATION_FACTS[key].title,
        key=f"activation_{side}",
    )
    facts = ACTIVATION_FACTS[name]
    st.plotly_chart(
        activation_figure(name), key=f"activation_plot_{side}", config={"displayModeBar": False}
    )
    st.latex(facts.formula)
    st.latex(facts.derivative)
    st.markdown(
        f"- **Output range:** {facts.output_range} (on [−6, 6]: {describe_range(name)})\n"
        f"- **Saturates** (|g′(z)| < 0.01) **where:** {describe_saturation(name)}\n"
        f"- **Zero-centred?** {facts.centring}"
    )
    st.write(facts.notes)


def render() -> None:
    left, right = st.columns(2, gap="large")
    with left:
        activation_column("left", "Activation", "tanh")
    with right:
        activation_column("right", "Compare with", "sigmoid")
    st.caption(
        "Rules of thumb: ReLU first for hidden layers, tanh rather than sigmoid otherwise; "
        "sigmoid output for two classes, softmax for several (see the Softmax page), "
        "linear for regression."
    )


st.set_page_config(page_title="NeuroPlay — Activations", page_icon="🧠", layout="wide")
st.title("Activation functions", anchor=False)
st.caption(
    "Each unit computes z = w·x + b, then a = g(z). Pick two activations to compare: the "
    "solid line is g(z), the dashed line its slope g′(z), which scales every gradient that "
    "flows back through the unit. Curves come from the engine's own training kernels."
)
render()
