"""Save → load → train k epochs gives bit-identical weights, optimiser state, random state and
history to training k epochs without the round trip: generated and own data, every optimiser,
any point of a run (also before its first epoch), with shuffling and dropout drawing from the
saved random stream.

Few examples (each trains two runs): the same ones on every run (``derandomize=True``).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from playground import drawing
from playground.run import build_run, train_chunk
from playground.run_file import load_run, save_run
from playground.settings import PlaygroundSettings

SETTINGS = settings(
    max_examples=12,
    derandomize=True,
    deadline=timedelta(seconds=20),  # two short trainings and a file; a shared 2-core machine
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


def own_points(dataset: str, seed: int):
    """Your own data: a generated set's points, with the split carried (as a drawing has)."""
    made = build_run(PlaygroundSettings.from_query_params({"dataset": dataset, "seed": seed})[0])
    return drawing.joined(made.train, made.test)


@st.composite
def runs(draw):
    optimizer = draw(st.sampled_from(list(engine.OPTIMIZERS)))
    dataset = draw(st.sampled_from(["circle", "xor", "spiral", "gauss", "plane", "blobs"]))
    params = {
        "dataset": dataset,
        "seed": str(draw(st.integers(0, 50))),
        "optimizer": optimizer,
        "lr": "0.01",  # no divergence: its rollback copy is not saved (playground.run_file)
        "hidden": draw(st.sampled_from(["3", "4,2", "6,5,3"])),
        "activation": draw(st.sampled_from(list(engine.HIDDEN_ACTIVATIONS))),
        "batch": draw(st.sampled_from(["1", "10", "full"])),
        "dropout": draw(st.sampled_from(["0", "0.2"])),
        "init_seed": str(draw(st.integers(0, 1000))),
    }
    own = None
    if draw(st.booleans()):
        own = own_points(dataset, int(params["seed"]))
        train, test = own.split(0.5, 1)
        params.update(dataset="custom", points=drawing.link_value(train, test))
    settings_, problems = PlaygroundSettings.from_query_params(params)
    assert not problems, problems
    return settings_, own


@SETTINGS
@given(runs(), st.integers(0, 15), st.integers(1, 15))
def test_save_load_then_train_is_bit_identical_to_training_on(run_setup, before, after):
    settings_, own = run_setup
    original = build_run(settings_, own)
    if before:
        train_chunk(original, before)
    loaded = load_run(save_run(original))
    train_chunk(original, after)
    train_chunk(loaded, after)
    assert loaded.epoch == original.epoch == before + after
    for name in ("first_moment", "second_moment", "step_counter", "rng_state", "_order"):
        assert np.array_equal(getattr(loaded.trainer, name), getattr(original.trainer, name))
    assert loaded.model.params.tobytes() == original.model.params.tobytes()  # bit for bit
    assert np.array_equal(loaded.trainer.history.epochs, original.trainer.history.epochs)
    for column in engine.TrainingHistory.COLUMNS:
        assert np.array_equal(
            loaded.trainer.history.column(column),
            original.trainer.history.column(column),
            equal_nan=True,
        )
    for per_layer in ("grad_norms", "delta_norms"):  # the insight views' gradient flow
        assert np.array_equal(
            getattr(loaded.trainer.history, per_layer),
            getattr(original.trainer.history, per_layer),
            equal_nan=True,
        )
