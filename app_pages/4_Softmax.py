"""Softmax and cross-entropy: logits → probabilities → loss, and why MSE is "too strict"."""

import pandas as pd
import streamlit as st

from playground.quote import plain
from teach.figures import logit_gradients, probability_bars
from teach.softmax import (
    CLASS_COUNTS,
    check_logits,
    cross_entropy,
    mse,
    same_true_probability,
    softmax,
)

DEFAULT_LOGITS = (2.0, 1.0, 0.1, -1.0, -2.0)
SLIDER_LIMIT = 6.0


def logit_key(index: int) -> str:
    return f"softmax_logit_{index}"


def confidently_wrong(k: int, true_class: int) -> None:
    """Button callback: a wrong class gets a big logit, the true class a small one."""
    wrong = (true_class + 1) % k
    for index in range(k):
        st.session_state[logit_key(index)] = 0.0
    st.session_state[logit_key(wrong)] = 5.0
    st.session_state[logit_key(true_class)] = -4.0


def inputs() -> tuple[list[float], int]:
    """Number of classes, one slider per logit, and the true class."""
    k = st.selectbox("Classes", CLASS_COUNTS, index=1, key="softmax_classes")
    logits = [
        st.slider(
            f"Logit o{'₁₂₃₄₅'[i]} (class {i + 1})",
            min_value=-SLIDER_LIMIT,
            max_value=SLIDER_LIMIT,
            value=DEFAULT_LOGITS[i],
            step=0.1,
            key=logit_key(i),
        )
        for i in range(k)
    ]
    true_class = st.selectbox(
        "True class",
        range(k),
        format_func=lambda c: f"class {c + 1}",
        key=f"softmax_true_class_{k}",
    )
    st.button(
        "Make it confidently wrong",
        key="softmax_confidently_wrong",
        on_click=confidently_wrong,
        args=(k, true_class),
    )
    return logits, true_class


def outputs(logits: list[float], true_class: int) -> None:
    p = softmax(check_logits(logits, true_class))
    st.plotly_chart(
        probability_bars(logits, true_class), key="softmax_bars", config={"displayModeBar": False}
    )
    guess, truth, ce, squared = st.columns(4)
    guess.metric(
        "Predicted",
        f"class {int(p.argmax()) + 1}",
        help="the class with the largest probability (argmax)",
    )
    truth.metric("p(true class)", f"{p[true_class]:.3f}")
    ce.metric("Cross-entropy", f"{cross_entropy(p, true_class):.3f}", help="−log p(true class)")
    squared.metric("MSE", f"{mse(p, true_class):.3f}", help="½ Σ (p − y)², y one-hot")


def mse_is_too_strict(logits: list[float], true_class: int) -> None:
    st.subheader("Why MSE is too strict", anchor=False)
    predictions = same_true_probability(logits, true_class)
    table = pd.DataFrame(
        {
            "prediction": [p.label for p in predictions],
            "probabilities": [", ".join(f"{v:.3f}" for v in p.probabilities) for p in predictions],
            "predicted class": [f"class {p.predicted_class + 1}" for p in predictions],
            "cross-entropy": [f"{p.cross_entropy:.3f}" for p in predictions],
            "MSE": [f"{p.mse:.3f}" for p in predictions],
        }
    )
    st.dataframe(table, hide_index=True, key="softmax_strict_table")
    k = len(logits)
    p_true = predictions[0].probabilities[true_class]
    if k == 2:
        st.write(
            "With two classes the rest can only go to the other class, so both losses rank "
            "predictions the same way. Choose 3 or more classes to see the difference."
        )
        return
    errors = [p.mse for p in predictions]
    same_class = len({p.predicted_class for p in predictions}) == 1
    st.write(
        f"All three give the true class the probability {p_true:.3f}, so cross-entropy is "
        f"{predictions[0].cross_entropy:.3f} for each: it only looks at the true class. MSE "
        f"ranges from {min(errors):.3f} to {max(errors):.3f}, because it also cares how the "
        f"remaining {1 - p_true:.3f} is shared among the wrong classes"
        + (
            ", although the predicted class is the same."
            if same_class
            else " (in the last row one wrong class even overtakes the true one)."
        )
    )


def push_on_logits(logits: list[float], true_class: int) -> None:
    st.subheader("How hard each loss pushes the logits", anchor=False)
    st.plotly_chart(
        logit_gradients(logits, true_class), key="softmax_push", config={"displayModeBar": False}
    )
    st.write(
        "Cross-entropy pushes with p − y: up on the true class, down on the others, and "
        "hardest when the network is most wrong. MSE's push passes through the softmax's "
        "slope, which is tiny when one class takes almost all the probability: press "
        "“Make it confidently wrong” and compare."
    )


def render() -> None:
    left, right = st.columns([2, 3], gap="large")
    with left:
        logits, true_class = inputs()
    try:
        check_logits(logits, true_class)
    except ValueError as error:
        st.error(plain(error))
        return
    with right:
        outputs(logits, true_class)
    mse_is_too_strict(logits, true_class)
    push_on_logits(logits, true_class)


st.set_page_config(page_title="NeuroPlay — Softmax", page_icon="🧠", layout="wide")
st.title("Softmax and cross-entropy", anchor=False)
st.caption(
    "A classifier has one output (logit) per class. Softmax turns the logits into "
    "probabilities that sum to 1 without changing which one is largest; cross-entropy "
    "scores them by −log p of the true class."
)
render()
