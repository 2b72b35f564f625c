"""Export a run as code that runs without NeuroPlay: a NumPy script, a PyTorch script and a
Jupyter notebook.

Each writer takes a ``TrainingRun`` and returns the file's text (no Streamlit):

* ``numpy_script``: the weights and the data embedded (every float as its shortest exact
  text), the input features computed as the app computes them, ``predict(x1, x2)``, and a
  ``__main__`` that prints the accuracy (the mean squared error for regression) on the
  exported training and test data. Its predictions match the app's to 1e-6 (the app's tanh
  is a few ulp from NumPy's; tests/unit/test_export_code.py checks every activation);
* ``pytorch_script``: the same network as a float64 ``nn.Sequential`` with the weights loaded,
  the same features, and a short training loop that continues with the run's loss,
  optimiser, learning rate and its schedule (from the run's epoch on), batch size,
  regularisation, dropout and clipping (PyTorch's
  optimiser starts with fresh moments: the app's optimiser state stays in the run file);
* ``notebook``: an nbformat v4 notebook that rebuilds the data and the network with
  NeuroPlay's ``engine``, trains it the same way (same seeds, same config: the same weights
  as the app when the run was trained without changing anything on the way), uses the app's
  weights if they differ (an edited weight, a changed learning rate, drawn points), and draws
  the decision boundary with Plotly.

The code is generated from small tables (``FEATURE_CODE``, ``NUMPY_ACTIVATIONS``,
``TORCH_ACTIVATIONS``) whose keys are the engine's registries; a test checks that the
tables cover them and compute the same values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import nbformat

import engine
from engine.activations import ELU_ALPHA, LEAKY_SLOPE
from engine.kernels import NORM_EPSILON
from engine.losses import CLASS_THRESHOLDS

from .run import TrainingRun
from .settings import CUSTOM

# How each input feature is computed from arrays x1, x2 (NumPy; ``np.`` becomes ``torch.``).
FEATURE_CODE: dict[str, str] = {
    "x1": "x1",
    "x2": "x2",
    "x1_sq": "x1 * x1",
    "x2_sq": "x2 * x2",
    "x1_x2": "x1 * x2",
    "sin_x1": "np.sin(x1)",
    "sin_x2": "np.sin(x2)",
}
# Each activation of a pre-activation array z, in NumPy (the engine's formulas).
NUMPY_ACTIVATIONS: dict[str, str] = {
    "linear": "z",
    "relu": "np.maximum(z, 0.0)",
    "leaky_relu": f"np.where(z > 0.0, z, {LEAKY_SLOPE!r} * z)",
    "tanh": "np.tanh(z)",
    "sigmoid": "0.5 + 0.5 * np.tanh(0.5 * z)",
    "elu": f"np.where(z > 0.0, z, {ELU_ALPHA!r} * np.expm1(np.minimum(z, 0.0)))",
    "softplus": "np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))",
    "softmax": "np.exp(z - z.max(axis=1, keepdims=True)) / "
    "np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)",
}
# Each activation as a PyTorch module.
TORCH_ACTIVATIONS: dict[str, str] = {
    "linear": "nn.Identity()",
    "relu": "nn.ReLU()",
    "leaky_relu": f"nn.LeakyReLU({LEAKY_SLOPE!r})",
    "tanh": "nn.Tanh()",
    "sigmoid": "nn.Sigmoid()",
    "elu": f"nn.ELU({ELU_ALPHA!r})",
    "softplus": "nn.Softplus()",
    "softmax": "nn.Softmax(dim=1)",
}
# Each loss of outputs ``out`` and targets ``target`` (n, units), averaged over rows.
TORCH_LOSSES: dict[str, str] = {
    "mse": "0.5 * ((out - target) ** 2).sum(dim=1).mean()",
    "mae": "(out - target).abs().sum(dim=1).mean()",
    "bce": "nn.functional.binary_cross_entropy(out, target, reduction='sum') / len(out)",
    "cross_entropy": "-(target * out.clamp_min(1e-300).log()).sum(dim=1).mean()",
}
TORCH_OPTIMIZERS: dict[str, str] = {
    "sgd": "torch.optim.SGD(model.parameters(), lr={lr})",
    "momentum": "torch.optim.SGD(model.parameters(), lr={lr}, momentum={momentum})",
    "nesterov": "torch.optim.SGD(model.parameters(), lr={lr}, momentum={momentum}, nesterov=True)",
    "adagrad": "torch.optim.Adagrad(model.parameters(), lr={lr}, eps={epsilon})",
    "rmsprop": "torch.optim.RMSprop(model.parameters(), lr={lr}, alpha={rho}, eps={epsilon})",
    "adam": "torch.optim.Adam(model.parameters(), lr={lr}, betas=({beta1}, {beta2}), "
    "eps={epsilon})",
    "adadelta": "torch.optim.Adadelta(model.parameters(), lr={lr}, rho={rho}, "
    "eps={adadelta_epsilon})",
}


@dataclass(frozen=True)
class Export:
    """One kind of exported file: how the page names it and the function that writes it."""

    label: str
    suffix: str
    mime: str
    write: Callable[[TrainingRun], str]


# ---------------------------------------------------------------- what every file embeds


def _features_function(run: TrainingRun, torch: bool = False) -> str:
    """``features(x1, x2)``: the network's input columns, in the app's order."""
    names = run.settings.features
    lines = [
        "def features(x1, x2):",
        '    """The input features of points (x1, x2), as NeuroPlay computes them: '
        f'{", ".join(names)}."""',
    ]
    if torch:
        lines.append(
            "    x1, x2 = torch.as_tensor(x1, dtype=torch.float64), "
            "torch.as_tensor(x2, dtype=torch.float64)"
        )
        columns = ", ".join(FEATURE_CODE[name].replace("np.", "torch.") for name in names)
        lines.append(f"    return torch.stack([{columns}], dim=-1)")
    else:
        lines.append(
            "    x1, x2 = np.ravel(np.asarray(x1, float)), np.ravel(np.asarray(x2, float))"
        )
        columns = ", ".join(FEATURE_CODE[name] for name in names)
        lines.append(f"    return np.stack([{columns}], axis=-1)")
    return "\n".join(lines)


def _parameters(run: TrainingRun) -> str:
    """WEIGHTS (per layer: fan_in lists of fan_out numbers) and BIASES, exact; with batch
    normalisation also BATCHNORM (γ, β, running mean and variance per hidden layer)."""
    weights = [layer.tolist() for layer in run.model.weights]
    biases = [layer.tolist() for layer in run.model.biases]
    text = f"WEIGHTS = {weights!r}\nBIASES = {biases!r}"
    if run.model.architecture.batchnorm:
        norm = {
            name: [layer.tolist() for layer in layers]
            for name, layers in run.model.batchnorm_arrays().items()
        }
        text += (
            f"\n# Batch normalisation of each hidden layer's z, before its activation.\n"
            f"BATCHNORM = {norm!r}\nBATCHNORM_EPSILON = {NORM_EPSILON!r}"
        )
    return text


def _data(run: TrainingRun) -> str:
    """The exported training and test points and their labels (targets), exact."""
    parts = []
    for name, data in (("TRAIN", run.train), ("TEST", run.test)):
        parts.append(f"{name}_X = {data.X.tolist()!r}")
        parts.append(f"{name}_Y = {data.y.tolist()!r}")
    return "\n".join(parts)


def _describe(run: TrainingRun) -> str:
    settings = run.settings
    sizes = "-".join(map(str, run.model.layer_sizes))
    hidden = ", ".join(dict.fromkeys(settings.hidden_activations)) or "no hidden layer"
    data = "your own data" if settings.dataset == CUSTOM else f"the {settings.dataset} data"
    return (
        f"a {sizes} network ({hidden}; {settings.output} output) trained on {data} for "
        f"{run.epoch:,} epochs in NeuroPlay"
    )


def _title(run: TrainingRun) -> str:
    """The description as a sentence's start ("A 2-4-2-1 network …", NeuroPlay kept as it is)."""
    text = _describe(run)
    return text[0].upper() + text[1:]


def _constants(run: TrainingRun) -> str:
    settings = run.settings
    threshold = CLASS_THRESHOLDS.get(settings.output, 0.0)
    return "\n".join(
        [
            f"FEATURES = {tuple(settings.features)!r}",
            f"HIDDEN_ACTIVATIONS = {tuple(settings.hidden_activations)!r}",
            f"OUTPUT_ACTIVATION = {settings.output!r}",
            f"KIND = {run.train.kind!r}  # classification or regression",
            f"CLASS_THRESHOLD = {threshold!r}  # one output unit: class 1 at or above it",
        ]
    )


# ---------------------------------------------------------------- NumPy


def numpy_script(run: TrainingRun) -> str:
    """A standalone NumPy script of the run's network (see the module docstring)."""
    activations = "\n".join(
        f"    {name!r}: lambda z: {NUMPY_ACTIVATIONS[name]},"
        for name in dict.fromkeys([*run.settings.hidden_activations, run.settings.output])
    )
    layer_code = "a = ACTIVATIONS[name](a @ np.array(weights) + np.array(biases))"
    if run.model.architecture.batchnorm:  # evaluation: the running statistics
        layer_code = """z = a @ np.array(weights) + np.array(biases)
        if index < len(HIDDEN_ACTIVATIONS):
            norm = {key: np.array(BATCHNORM[key][index]) for key in BATCHNORM}
            z = (z - norm["running_mean"]) / np.sqrt(norm["running_var"] + BATCHNORM_EPSILON)
            z = norm["gamma"] * z + norm["beta"]
        a = ACTIVATIONS[name](z)"""
    return f'''"""{_title(run)}.

predict(x1, x2) gives the network's output for points; run the file to see its accuracy on the
exported data. Needs only NumPy: python this_file.py
"""

import numpy as np

{_constants(run)}
ACTIVATIONS = {{
{activations}
}}
{_parameters(run)}
{_data(run)}


{_features_function(run)}


def predict(x1, x2):
    """The network's output for points: (n,) for one output unit, (n, classes) for softmax."""
    a = features(x1, x2)
    names = [*HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATION]
    for index, (name, weights, biases) in enumerate(zip(names, WEIGHTS, BIASES)):
        {layer_code}
    return a[:, 0] if a.shape[1] == 1 else a


def predicted_class(outputs):
    """Class of each output: the largest unit, or one unit against the threshold."""
    outputs = np.asarray(outputs)
    if outputs.ndim == 2:
        return outputs.argmax(axis=1)
    return (outputs >= CLASS_THRESHOLD).astype(int)


def score(points, values):
    """Accuracy (classification) or mean squared error (regression) on some points."""
    if not len(points):
        return float("nan")
    points, values = np.array(points, float).reshape(-1, 2), np.array(values)
    outputs = predict(points[:, 0], points[:, 1])
    if KIND == "classification":
        return float(np.mean(predicted_class(outputs) == values))
    return float(np.mean((outputs - values) ** 2))


if __name__ == "__main__":
    measure = "accuracy" if KIND == "classification" else "mean squared error"
    for name, points, values in (("train", TRAIN_X, TRAIN_Y), ("test", TEST_X, TEST_Y)):
        print(f"{{name}} {{measure}}: {{score(points, values):.6f}} ({{len(values)}} points)")
'''


# ---------------------------------------------------------------- PyTorch


def pytorch_script(run: TrainingRun) -> str:
    """A PyTorch script: the network as ``nn.Sequential`` with its weights, and a short
    training loop that continues training (see the module docstring)."""
    settings = run.settings
    config = run.trainer.config
    optimizer = TORCH_OPTIMIZERS[config.optimizer].format(
        lr=repr(config.learning_rate),
        **{
            key: repr(value) for key, value in dataclasses.asdict(config.optimizer_settings).items()
        },
    )
    modules = ", ".join(
        TORCH_ACTIVATIONS[name] for name in [*settings.hidden_activations, settings.output]
    )
    n_classes = run.train.n_classes
    norm_code = ""
    if run.model.architecture.batchnorm:  # BatchNorm1d between each hidden Linear and activation
        norm_code = """
        if index < len(HIDDEN_ACTIVATIONS):
            norm = nn.BatchNorm1d(len(biases), eps=BATCHNORM_EPSILON, dtype=torch.float64)
            with torch.no_grad():
                norm.weight.copy_(torch.tensor(BATCHNORM["gamma"][index], dtype=torch.float64))
                norm.bias.copy_(torch.tensor(BATCHNORM["beta"][index], dtype=torch.float64))
                norm.running_mean.copy_(torch.tensor(BATCHNORM["running_mean"][index]))
                norm.running_var.copy_(torch.tensor(BATCHNORM["running_var"][index]))
            layers.append(norm)"""
    targets = (
        {
            "tanh": "2.0 * labels - 1.0",  # ±1 (TensorFlow Playground)
            "linear": "2.0 * labels - 1.0",
            "sigmoid": "labels",
            "softmax": f"nn.functional.one_hot(labels.long(), {n_classes}).double()",
        }[settings.output]
        if run.train.kind == "classification"
        else "labels"
    )
    return f'''"""{_title(run)}, as a PyTorch module.

build_model() gives an nn.Sequential (float64) with NeuroPlay's weights; train(model, epochs)
continues training with the run's loss and optimiser; predict(model, x1, x2) gives outputs.
Needs PyTorch: python this_file.py trains {EPOCHS_TO_CONTINUE} more epochs and prints the loss.
"""

import math

import torch
from torch import nn

{_constants(run)}
ACTIVATIONS = [{modules}]
DROPOUT = {config.dropout!r}  # after each hidden layer while training
BATCH_SIZE = {config.batch_size!r}
L1, L2 = {config.l1!r}, {config.l2!r}  # on the weights, not the biases
CLIP_NORM = {config.clip_norm!r}  # largest global gradient norm (None: no clipping)
{_schedule_code(run)}
{_parameters(run)}
{_data(run)}


{_features_function(run, torch=True)}


def build_model():
    """The network with NeuroPlay's weights (nn.Linear keeps them as (fan_out, fan_in))."""
    layers = []
    for index, (weights, biases) in enumerate(zip(WEIGHTS, BIASES)):
        linear = nn.Linear(len(weights), len(biases), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(weights, dtype=torch.float64).T)
            linear.bias.copy_(torch.tensor(biases, dtype=torch.float64))
        layers.append(linear){norm_code}
        layers.append(ACTIVATIONS[index])
        if DROPOUT and index < len(HIDDEN_ACTIVATIONS):
            layers.append(nn.Dropout(DROPOUT))
    return nn.Sequential(*layers)


def predict(model, x1, x2):
    """The network's outputs for points: (n, output units)."""
    model.eval()
    with torch.no_grad():
        return model(features(x1, x2))


def targets(values):
    """What the output is trained towards, from labels or regression targets."""
    labels = torch.as_tensor(values, dtype=torch.float64)
    target = {targets}
    return target if target.ndim == 2 else target[:, None]


def loss_of(out, target):
    return {TORCH_LOSSES[config.loss]}


def train(model, epochs):
    """Mini-batch training on the exported training points; returns the last epoch's loss."""
    points = torch.tensor(TRAIN_X, dtype=torch.float64).reshape(-1, 2)
    inputs, target = features(points[:, 0], points[:, 1]), targets(TRAIN_Y)
    optimizer = {optimizer}
    # The run's learning-rate schedule, continuing from the epoch the run reached.
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda epoch: rate_factor(START_EPOCH + epoch)
    )
    weights = [layer.weight for layer in model if isinstance(layer, nn.Linear)]
    total = float("nan")
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(inputs))
        total = 0.0
        for start in range(0, len(inputs), BATCH_SIZE):
            rows = order[start : start + BATCH_SIZE]
            loss = loss_of(model(inputs[rows]), target[rows])
            total += loss.item() * len(rows)
            penalty = sum(L1 * w.abs().sum() + 0.5 * L2 * (w * w).sum() for w in weights)
            optimizer.zero_grad()
            (loss + penalty).backward()
            if CLIP_NORM:
                nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)
            optimizer.step()
        scheduler.step()
        total /= len(inputs)
    return total


if __name__ == "__main__":
    model = build_model()
    print(model)
    loss = train(model, {EPOCHS_TO_CONTINUE})
    print(f"training loss after {EPOCHS_TO_CONTINUE} more epochs: {{loss:.6f}}")
'''


EPOCHS_TO_CONTINUE = 100


def _schedule_code(run: TrainingRun) -> str:
    """The learning-rate schedule as a Python function of the 0-based epoch (engine/schedules.py
    restated; tests/unit/test_export_code.py compares it with the engine's)."""
    config = run.trainer.config
    return f'''# Learning-rate schedule (NeuroPlay's engine/schedules.py): in 0-based epoch e the
# rate is the optimiser's lr times rate_factor(e); training continues at the run's epoch.
SCHEDULE = {config.schedule!r}  # constant, step, exponential or cosine
WARMUP_EPOCHS, DECAY_EPOCHS = {config.warmup_epochs!r}, {config.decay_epochs!r}
DECAY_RATE, FINAL_FRACTION = {config.decay_rate!r}, {config.final_fraction!r}
START_EPOCH = {run.epoch!r}


def rate_factor(epoch):
    """The multiplier of the learning rate in 0-based epoch ``epoch``."""
    if epoch < WARMUP_EPOCHS:
        return (epoch + 1) / (WARMUP_EPOCHS + 1)
    after = epoch - WARMUP_EPOCHS
    if SCHEDULE == "step":
        return DECAY_RATE ** (after // DECAY_EPOCHS)
    if SCHEDULE == "exponential":
        return DECAY_RATE ** (after / DECAY_EPOCHS)
    if SCHEDULE == "cosine":
        progress = min(after, DECAY_EPOCHS) / DECAY_EPOCHS
        return FINAL_FRACTION + (1 - FINAL_FRACTION) * 0.5 * (1 + math.cos(math.pi * progress))
    return 1.0
'''


# ---------------------------------------------------------------- notebook


def _data_cell(run: TrainingRun) -> str:
    settings = run.settings
    if settings.dataset == CUSTOM:
        kind, n_classes = run.train.kind, run.train.n_classes
        return "\n".join(
            [
                "# Your own points, as they were in NeuroPlay (training and test sets).",
                _data(run),
                f"train = engine.Dataset(np.array(TRAIN_X).reshape(-1, 2), np.array(TRAIN_Y), "
                f"{n_classes}, {kind!r})",
                f"test = engine.Dataset(np.array(TEST_X).reshape(-1, 2), np.array(TEST_Y), "
                f"{n_classes}, {kind!r})",
            ]
        )
    classes = settings.n_classes if settings.n_classes > 2 else None
    return "\n".join(
        [
            "# The data set, generated as NeuroPlay generates it (same generator, noise, seed).",
            f"data = engine.make_dataset({settings.dataset!r}, noise={settings.noise / 100!r}, "
            f"seed={settings.seed!r}, n_classes={classes!r})",
            f"train, test = engine.train_test_split(data, {settings.ratio / 100!r}, "
            f"seed={settings.seed!r})",
        ]
    )


def _targets_code(run: TrainingRun, part: str) -> str:
    if run.train.kind == "regression":
        return f"{part}.y.astype(float)[:, None]"
    return f"engine.targets_for_output({part}.y, {run.settings.output!r}, {run.train.n_classes})"


def notebook(run: TrainingRun) -> str:
    """A Jupyter notebook (nbformat v4, as JSON text) that rebuilds and retrains the run."""
    settings = run.settings
    config = run.trainer.config
    config_fields = {
        field.name: getattr(config, field.name)
        for field in dataclasses.fields(config)
        if field.name != "optimizer_settings"
    }
    config_code = ", ".join(f"{name}={value!r}" for name, value in config_fields.items())
    sizes = list(run.model.layer_sizes)
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {_title(run)}\n\n"
            "This notebook rebuilds the data and the network with NeuroPlay's `engine` "
            "(run it from the NeuroPlay folder, where the `engine` package is), trains it "
            "the same way, and draws the decision boundary with Plotly."
        ),
        nbformat.v4.new_code_cell(
            "import numpy as np\nimport plotly.graph_objects as go\n\nimport engine"
        ),
        nbformat.v4.new_code_cell(_data_cell(run)),
        nbformat.v4.new_code_cell(
            "\n".join(
                [
                    f"FEATURES = {tuple(settings.features)!r}",
                    "X_train = engine.build_features(train.X, FEATURES)",
                    "X_test = engine.build_features(test.X, FEATURES)",
                    f"Y_train = {_targets_code(run, 'train')}",
                    f"Y_test = {_targets_code(run, 'test')}",
                ]
            )
        ),
        nbformat.v4.new_markdown_cell(
            "The network starts from the same initial weights (the same seed) and trains "
            "with the same settings and random stream as in NeuroPlay."
        ),
        nbformat.v4.new_code_cell(
            "\n".join(
                [
                    f"model = engine.Model.create({sizes!r}, "
                    f"activation={list(settings.hidden_activations)!r}, "
                    f"output={settings.output!r}, init={settings.init!r}, "
                    f"seed={settings.init_seed!r}"
                    + (", batchnorm=True)" if settings.batchnorm else ")"),
                    f"config = engine.TrainConfig({config_code})",
                    f"trainer = engine.Trainer(model, config=config, seed={settings.init_seed!r})",
                    f"EPOCHS = {run.epoch!r}",
                    "has_test = len(test) > 0",
                    "if EPOCHS:",
                    "    trainer.train(X_train, Y_train, EPOCHS, *((X_test, Y_test) if has_test "
                    "else ()))",
                ]
            )
        ),
        nbformat.v4.new_markdown_cell(
            "If the run was changed on the way (a weight edited, the learning rate changed, "
            "points drawn), retraining gives another network: then the app's weights are used."
        ),
        nbformat.v4.new_code_cell(
            "\n".join(
                [
                    "# The network as it was in NeuroPlay at the end.",
                    _parameters(run)
                    .replace("WEIGHTS", "APP_WEIGHTS")
                    .replace("BIASES", "APP_BIASES"),
                    "same = all(np.array_equal(w, a) for w, a in zip(model.weights, "
                    "APP_WEIGHTS)) and all(np.array_equal(b, a) for b, a in "
                    "zip(model.biases, APP_BIASES))",
                    "print('Retrained network identical to the app\\'s:', same)",
                    "if not same:",
                    "    model.weights = [np.array(w).reshape(-1, len(b)) for w, b in "
                    "zip(APP_WEIGHTS, APP_BIASES)]",
                    "    model.biases = [np.array(b) for b in APP_BIASES]",
                    *(
                        [
                            "    for name, layers in model.batchnorm_arrays().items():",
                            "        for target, values in zip(layers, BATCHNORM[name]):",
                            "            target[...] = values",
                        ]
                        if settings.batchnorm
                        else []
                    ),
                    "train_loss, train_accuracy = trainer.evaluate(X_train, Y_train)",
                    "print(f'train loss {train_loss:.6f}, train accuracy {train_accuracy:.6f}')",
                    "if has_test:",
                    "    test_loss, test_accuracy = trainer.evaluate(X_test, Y_test)",
                    "    print(f'test loss {test_loss:.6f}, test accuracy {test_accuracy:.6f}')",
                ]
            )
        ),
        nbformat.v4.new_code_cell(_plot_code(run)),
    ]
    book = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(book)
    return nbformat.writes(book)


def _plot_code(run: TrainingRun) -> str:
    """The decision boundary: the output over the plane, the points on top."""
    softmax = run.settings.output == "softmax"
    value = "outputs.argmax(axis=1)" if softmax else "outputs[:, 0]"
    return "\n".join(
        [
            "# The output over the plane (100 × 100, as NeuroPlay draws it), the points on top.",
            "RESOLUTION = 100",
            f"grid = engine.grid_points(RESOLUTION, {engine.DOMAIN!r})",
            "outputs = model.forward(engine.build_features(grid, FEATURES))",
            f"surface = {value}.reshape(RESOLUTION, RESOLUTION)",
            "axis = np.unique(grid[:, 0])",
            "figure = go.Figure(go.Heatmap(x=axis, y=axis[::-1], z=surface, "
            "colorscale='RdBu', opacity=0.8))",
            "for part, symbol in ((train, 'circle'), (test, 'circle-open')):",
            "    figure.add_scatter(x=part.X[:, 0], y=part.X[:, 1], mode='markers', "
            "marker={'color': part.y, 'symbol': symbol, 'colorscale': 'RdBu', "
            "'line': {'width': 1}}, name='train' if part is train else 'test')",
            "figure.update_layout(width=600, height=560, yaxis_scaleanchor='x')",
            "figure",
        ]
    )


EXPORTS: dict[str, Export] = {
    "numpy": Export("NumPy script", ".py", "text/x-python", numpy_script),
    "pytorch": Export("PyTorch script", "-torch.py", "text/x-python", pytorch_script),
    "notebook": Export("Notebook", ".ipynb", "application/x-ipynb+json", notebook),
}


def notebook_code(text: str) -> str:
    """A notebook's code cells, in order, as one script (how the tests run it: no kernel)."""
    book = nbformat.reads(text, as_version=4)
    return "\n\n".join(cell.source for cell in book.cells if cell.cell_type == "code")


__all__ = [
    "EXPORTS",
    "FEATURE_CODE",
    "NUMPY_ACTIVATIONS",
    "TORCH_ACTIVATIONS",
    "Export",
    "notebook",
    "notebook_code",
    "numpy_script",
    "pytorch_script",
]
