"""With ``NUMBA_DISABLE_JIT=1`` the engine runs as plain Python, so a kernel can be stepped
through in a debugger, and it computes what the compiled engine computes.

The test trains small networks through every optimiser, regularisation, clipping, dropout,
evaluation, the grid kernel, full-batch gradients and a divergence's rollback, once in a
subprocess without the JIT and once here with it, and compares every number.  The two
differ only in rounding (the compiled kernels contract multiply-adds and vectorise sums).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numba
import numpy as np

import engine

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-12
# Plain Python runs these in ~1 s; a loaded 2-core machine can make that many times longer.
SUBPROCESS_TIMEOUT = 120


def train_every_path() -> dict[str, np.ndarray]:
    """Weights, histories and outputs of small runs that go through every kernel."""
    results: dict[str, np.ndarray] = {}
    data = engine.make_dataset("xor", n_points=16, noise=0.0, seed=1)
    X = engine.build_features(data.X, ["x1", "x2", "x1_x2"])
    Y = engine.targets_for_output(data.y, "tanh", 2)
    for optimizer in engine.OPTIMIZERS:
        model = engine.Model.create([3, 4, 1], activation="tanh", output="tanh", seed=2)
        trainer = engine.Trainer(
            model,
            "mse",
            optimizer=optimizer,
            learning_rate=0.05,
            batch_size=5,
            l1=1e-3,
            l2=1e-3,
            dropout=0.1,
            clip_norm=1.0,
            seed=3,
        )
        trainer.train(X, Y, 3, X_test=X, Y_test=Y)
        results[f"{optimizer} params"] = model.params.copy()
        results[f"{optimizer} test loss"] = trainer.history.column("test_loss").copy()
        results[f"{optimizer} gradient norms"] = trainer.history.grad_norms.copy()

    # Three classes, every hidden activation once, softmax and cross-entropy.
    blobs = engine.make_dataset("blobs", n_points=24, noise=0.1, seed=4, n_classes=3)
    X3 = engine.build_features(blobs.X, ["x1", "x2"])
    Y3 = engine.targets_for_output(blobs.y, "softmax", 3)
    hidden = list(engine.HIDDEN_ACTIVATIONS)
    model = engine.Model.create([2, *[3] * len(hidden), 3], activation=hidden, output="softmax")
    trainer = engine.Trainer(model, "cross_entropy", optimizer="adam", batch_size=8, seed=5)
    trainer.train(X3, Y3, 2)
    results["softmax params"] = model.params.copy()
    results["softmax evaluation"] = np.array(trainer.evaluate(X3, Y3))
    results["grid"] = np.concatenate(
        [layer.ravel() for layer in engine.decision_grid(model, ["x1", "x2"], 6)]
    )
    loss, weights, biases = engine.loss_and_gradients(model, X3, Y3, "cross_entropy")
    results["gradients"] = np.concatenate([[loss], *(w.ravel() for w in weights), *biases])

    # A divergence: the loss overflows, the run is put back to its last good state.
    plane = engine.make_dataset("plane", n_points=20, noise=0.0, seed=6)
    model = engine.Model.create([2, 8, 8, 1], activation="relu", output="linear", seed=7)
    trainer = engine.Trainer(model, "mse", learning_rate=0.03, batch_size=4, shuffle=False)
    trainer.train(plane.X, plane.y, 3)
    trainer.config = trainer.config.replace(learning_rate=50.0)
    result = trainer.train(plane.X, plane.y, 30)
    assert result.divergence is not None, "the divergence case did not diverge"
    results["divergence"] = np.array([result.divergence.epoch, trainer.epoch])
    results["divergence params"] = model.params.copy()
    return results


def test_plain_python_computes_what_the_compiled_engine_computes(tmp_path):
    saved = tmp_path / "plain.npz"
    environment = {**os.environ, "NUMBA_DISABLE_JIT": "1", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, __file__, str(saved)],
        env=environment,
        cwd=ROOT,
        check=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert numba.extending.is_jitted(engine.kernels.train_epochs)  # this side is compiled
    compiled = train_every_path()
    with np.load(saved) as plain:
        assert sorted(plain.files) == sorted(compiled)
        for name, values in compiled.items():
            np.testing.assert_allclose(plain[name], values, rtol=0, atol=TOLERANCE, err_msg=name)


if __name__ == "__main__":  # the subprocess: no JIT at all
    assert numba.config.DISABLE_JIT
    assert not numba.extending.is_jitted(engine.kernels.train_epochs)
    assert not numba.extending.is_jitted(engine.kernels.dense_forward)
    engine.warm_up()  # the app's start-up path works without the JIT too
    np.savez(sys.argv[1], **train_every_path())
