"""The Back-prop page's explanation of every phase stays word for word what it was.

``tests/teach/fixtures/backprop_phase_lines.json`` holds ``phase_lines`` for every phase of
networks covering every output, every hidden activation and 1–3 outputs, written from the code
before ``phase_lines`` was split into one function per phase
(``python -m tests.teach.test_backprop_phase_text --write`` rewrites it: only for a change
meant to alter the text).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from teach.backprop import INPUT_LIMIT, PHASES, SmallNetwork, phase_lines, trace

FIXTURE = Path(__file__).parent / "fixtures" / "backprop_phase_lines.json"

# name: (seed, hidden activation, output, outputs, hidden units)
CASES = {
    "tanh_1": (0, "tanh", "tanh", 1, 2),
    "relu_tanh_3": (1, "relu", "tanh", 3, 4),
    "sigmoid_2": (2, "leaky_relu", "sigmoid", 2, 3),
    "linear_1": (3, "elu", "linear", 1, 3),
    "softmax_2": (4, "softplus", "softmax", 2, 2),
    "softmax_3": (5, "sigmoid", "softmax", 3, 4),
    "linear_hidden": (6, "linear", "tanh", 2, 3),
}


def case_lines(name: str) -> list[list[str]]:
    """``phase_lines`` of every phase for one case: a network as the page draws it at random,
    a sample inside the square and a target the page accepts."""
    seed, hidden_activation, output, outputs, hidden = CASES[name]
    network = SmallNetwork.random(hidden, outputs, hidden_activation, output, seed=seed)
    rng = np.random.default_rng(seed + 100)
    sample = np.round(rng.uniform(-INPUT_LIMIT, INPUT_LIMIT, 2), 2)
    if output == "softmax":
        target = np.eye(outputs)[seed % outputs]
    else:
        target = np.round(rng.uniform(0 if output == "sigmoid" else -1, 1, outputs), 2)
    result = trace(network, sample, target, learning_rate=0.1 * (seed + 1))
    return [phase_lines(result, phase) for phase in range(len(PHASES))]


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_phase_reads_as_before(name):
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))[name]
    actual = case_lines(name)
    for phase, (before, now) in enumerate(zip(expected, actual, strict=True)):
        assert now == before, f"{name}, phase {phase} ({PHASES[phase]})"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        fixture = {name: case_lines(name) for name in CASES}
        FIXTURE.write_text(json.dumps(fixture, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {FIXTURE}")
