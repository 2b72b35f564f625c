"""How the Playground writes its choices for people: "SGD", "He (normal)", "0.00001".

The settings, the URL and the engine's registries use short lowercase keys (``sgd``,
``he_normal``); every widget shows the name here instead. A key missing from ``NAMES`` is a
bug that ``tests/unit/test_words.py`` catches (it checks every registry), so a new activation or
optimiser cannot reach the page as a code name.
"""

from __future__ import annotations

NAMES: dict[str, str] = {
    # activations (hidden and output)
    "linear": "Linear",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "tanh": "Tanh",
    "sigmoid": "Sigmoid",
    "elu": "ELU",
    "softplus": "Softplus",
    "softmax": "Softmax",
    # initialisers
    "playground": "TF Playground (uniform ±0.5)",
    "zeros": "Zeros",
    "constant": "Constant (all 0.3)",
    "normal": "Normal (σ 1)",
    "xavier_uniform": "Xavier (uniform)",
    "xavier_normal": "Xavier (normal)",
    "he_normal": "He (normal)",
    # optimisers
    "sgd": "SGD",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "adadelta": "AdaDelta",
    # losses
    "mse": "Mean squared error",
    "mae": "Mean absolute error",
    "bce": "Binary cross-entropy",
    "cross_entropy": "Cross-entropy",
    # regularisation
    "none": "None",
    "l1": "L1",
    "l2": "L2",
    "decay": "Weight decay",
}


def name(key: str) -> str:
    """The human name of a choice key (the key itself only if it has none: see the test)."""
    return NAMES.get(key, key)


def number(value: float) -> str:
    """A rate or norm as people write it: 0.00001, 0.03, 1, 10 (never 1e-05)."""
    if value == 0:
        return "0"
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text


# Learning-rate schedules: their own table, as "constant" is also an initialiser's key.
SCHEDULE_NAMES: dict[str, str] = {
    "constant": "Constant",
    "step": "Step decay",
    "exponential": "Exponential decay",
    "cosine": "Cosine decay",
}

# The controls' names as their widgets say them, by setting (or hide=/lock= word).
CONTROL_NAMES = {
    "dataset": "Data set",
    "noise": "Noise",
    "ratio": "Training data (%)",
    "seed": "Data seed",
    "features": "Input features",
    "hidden": "Hidden layers",
    "activation": "Activation",
    "output": "Output activation",
    "loss": "Loss",
    "init": "Initialisation",
    "batch": "Batch size",
    "dropout": "Dropout",
    "optimizer": "Optimiser",
    "lr": "Learning rate",
    "reg": "Regularisation",
    "reg_rate": "Regularisation rate",
    "clip": "Clip gradient norm",
    "speed": "Speed",
    "stop": "Stopping",
    "show_test": "Show test data",
    "discretize": "Discretize output",
    "log_loss": "Log-scale loss axis",
    "edit": "Weight editing",
}
