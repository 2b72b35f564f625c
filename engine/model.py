"""The ``Model``: a dense network whose parameters live in one flat vector."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass

import numpy as np

from . import checks, kernels
from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, activation_code
from .checks import lookup
from .initializers import INITIALIZERS

MAX_HIDDEN_LAYERS = 8
MAX_UNITS_PER_LAYER = 16
MAX_INPUTS = 16
MAX_OUTPUTS = 16
MAX_SIZE = 2**63 - 1  # sizes beyond it are refused before the range checks name the layer
WHOLE = "whole numbers"
MAX_BINS = 10_000  # of a histogram
GRID_CHUNK_POINTS = 512  # points per kernel chunk: the working rows stay in L1/L2 cache
# Batch normalisation's arrays, in this order, after the biases in ``params`` (each
# (n_layers, lanes); the output layer's row stays unused): see ``Model.norm``.
NORM_ARRAYS = ("gamma", "beta", "running_mean", "running_var")


class ParameterList(list):
    """A list of per-layer arrays that writes ``model.weights[l] = array`` through.

    Each element is a view into the model's flat parameter vector, so
    ``model.weights[0][1, 2] = 0.5`` edits the model too.
    """

    def __init__(self, views: list[np.ndarray], what: str):
        super().__init__(views)
        self._what = what

    def __setitem__(self, index, value):  # type: ignore[override]
        target = list.__getitem__(self, index)
        name = f"{self._what}[{index}]"
        value = checks.float_array(value, name, ndim=target.ndim, low=-np.inf, high=np.inf)
        if value.shape != target.shape:
            raise ValueError(f"{name} must have shape {target.shape}, got {value.shape}.")
        target[...] = value


@dataclass(frozen=True)
class Architecture:
    """What a network is, independent of its parameter values."""

    layer_sizes: tuple[int, ...]
    hidden_activations: tuple[str, ...]
    output: str
    # Batch normalisation of every hidden layer's pre-activation (engine.kernels): part of
    # the network, as a BatchNorm1d layer is in PyTorch, since it adds parameters (γ, β)
    # and running statistics that change what the trained network computes.
    batchnorm: bool = False

    @property
    def n_layers(self) -> int:
        """Dense layers, counted without the input layer."""
        return len(self.layer_sizes) - 1


def validate_architecture(
    layer_sizes: Sequence[int],
    activation: str | Sequence[str],
    output: str,
    batchnorm: bool = False,
) -> Architecture:
    """Check sizes and names; raise ``ValueError`` with a plain sentence if anything is off
    (``TypeError`` for a value of the wrong kind, such as a string of sizes)."""
    if not checks.is_list(layer_sizes) or isinstance(layer_sizes, Set):  # (sets: no order)
        raise TypeError(
            f"layer_sizes must be a list of integers, e.g. [2, 4, 1]; "
            f"got {checks.shown(layer_sizes)} ({type(layer_sizes).__name__})."
        )
    if len(layer_sizes) < 2:
        raise ValueError(
            "layer_sizes needs at least an input and an output size, e.g. [2, 1]; "
            f"got {checks.shown(list(layer_sizes))}."
        )
    if len(layer_sizes) > MAX_HIDDEN_LAYERS + 2:
        raise ValueError(
            f"At most {MAX_HIDDEN_LAYERS} hidden layers; got {len(layer_sizes) - 2} "
            f"(layer_sizes={checks.shown(list(layer_sizes))})."
        )
    sizes = []
    for index, size in enumerate(layer_sizes):
        try:
            sizes.append(
                checks.whole_number(size, "layer_sizes", -MAX_SIZE, MAX_SIZE, allowed=WHOLE)
            )
        except ValueError:
            raise ValueError(
                f"layer_sizes must be whole numbers; layer_sizes[{index}] is {checks.shown(size)}."
            ) from None
    hidden = sizes[1:-1]
    given = f" (layer_sizes={checks.shown(sizes)})"
    if not 1 <= sizes[0] <= MAX_INPUTS:
        raise ValueError(f"The input layer needs 1–{MAX_INPUTS} features; got {sizes[0]}{given}.")
    if not 1 <= sizes[-1] <= MAX_OUTPUTS:
        raise ValueError(f"The output layer needs 1–{MAX_OUTPUTS} units; got {sizes[-1]}{given}.")
    for index, units in enumerate(hidden, start=1):
        if not 1 <= units <= MAX_UNITS_PER_LAYER:
            raise ValueError(
                f"Hidden layer {index} needs 1–{MAX_UNITS_PER_LAYER} units; got {units}{given}."
            )
    if isinstance(activation, str):
        names = (activation,) * len(hidden)
    elif checks.is_list(activation) and not isinstance(activation, Set):
        names = tuple(activation)
    else:
        raise TypeError(
            "activation must be an activation name or a list of them; "
            f"got {checks.shown(activation)} ({type(activation).__name__})."
        )
    if len(names) != len(hidden):
        raise ValueError(
            f"Give one activation, or one per hidden layer ({len(hidden)}); got {len(names)}."
        )
    for name in names:
        activation_code(name)
    activation_code(output, output=True)
    if output == "softmax" and sizes[-1] < 2:
        raise ValueError(
            f"A softmax output needs at least 2 units (one per class); got {sizes[-1]}{given}."
        )
    return Architecture(tuple(sizes), names, output, checks.flag(batchnorm, "batchnorm"))


class Model:
    """A fully connected network: weights, biases and the layout the kernels need.

    Create one with :meth:`Model.create`.  ``weights[l]`` is (fan_in, fan_out) and
    ``biases[l]`` is (fan_out,); both are views into the flat ``params`` vector.
    """

    def __init__(self, architecture: Architecture, params: np.ndarray):
        """Wrap existing parameter values (the padded flat layout of ``engine.kernels``)."""
        checks.instance(architecture, Architecture, "architecture")
        params = checks.float_array(params, "params", ndim=1, check=False)
        checks.finite_parameters(params, "params")
        if params.shape != (self.n_parameters_for(architecture),):
            raise ValueError(
                "params must be a flat vector in the model's padded layout, of shape "
                f"({self.n_parameters_for(architecture)},); got {params.shape}."
            )
        self._attach(architecture, params)

    def _over(self, params: np.ndarray) -> Model:
        """A model like this one over other values ``params`` (C-contiguous float64 of the
        right length), without the checks, sharing this one's layout and decay mask (never
        written): the trainer's gradient buffers, built on every call."""
        model = Model.__new__(Model)
        model._attach(self.architecture, params, self)
        return model

    def _attach(self, architecture: Architecture, params: np.ndarray, like: Model | None = None):
        self.architecture = architecture
        self.layout = self._layout(architecture) if like is None else like.layout
        self.lanes = self.lanes_for(architecture)
        self.params = params
        n_layers = architecture.n_layers
        split = n_layers * self.lanes * self.lanes
        # Views sharing params' memory: what the kernels index (see engine.kernels).
        self.padded_weights = self.params[:split].reshape(n_layers, self.lanes, self.lanes)
        biases_end = split + n_layers * self.lanes
        self.padded_biases = self.params[split:biases_end].reshape(n_layers, self.lanes)
        # Batch normalisation's γ, β, running mean and running variance (NORM_ARRAYS), each
        # (n_layers, lanes), after the biases; (4, 0, lanes) without batch normalisation.
        # In ``params`` so that the optimiser trains γ and β like any parameter, and the
        # divergence rollback, snapshots and copies carry all four with no code of their
        # own; the running statistics get gradient 0 (never written), so no optimiser rule
        # moves them (each step is a multiple of the gradient or of its moments, all 0),
        # and ``decay_mask`` keeps all four out of regularisation.
        self.norm = self.params[biases_end:].reshape(len(NORM_ARRAYS), -1, self.lanes)
        if like is None:
            # 1 for weights, 0 for biases: regularisation applies to weights only.
            self.decay_mask = np.zeros_like(self.params)
            self.decay_mask[:split] = 1.0
        else:
            self.decay_mask = like.decay_mask
        # The model's arrays as the kernels take them.
        self.kernel_arrays = kernels.ModelArrays(
            self.params,
            self.padded_weights,
            self.padded_biases,
            self.layout,
            self.decay_mask,
            self.norm,
        )

    # -- construction

    @classmethod
    def create(
        cls,
        layer_sizes: Sequence[int],
        activation: str | Sequence[str] = "tanh",
        output: str = "tanh",
        init: str = "playground",
        seed: int = 0,
        batchnorm: bool = False,
    ) -> Model:
        """A new model with freshly initialised parameters.

        Args:
            layer_sizes: units per layer including input and output, e.g. ``[2, 4, 2, 1]``.
            activation: one hidden activation name, or one per hidden layer.
            output: ``tanh`` (TensorFlow Playground), ``sigmoid``, ``softmax`` or ``linear``.
            init: a key of ``engine.INITIALIZERS``.
            seed: seeds the initial weights (same seed ⇒ same weights), 0 … 2⁶³ − 1.
            batchnorm: batch-normalise every hidden layer's pre-activation (γ = 1, β = 0,
                running mean 0 and variance 1 to start, as PyTorch's ``BatchNorm1d``).
        """
        architecture = validate_architecture(layer_sizes, activation, output, batchnorm)
        initializer = lookup(INITIALIZERS, init, "initialiser", "init")
        rng = np.random.default_rng(checks.seed(seed))
        model = cls(architecture, np.zeros(cls.n_parameters_for(architecture)))
        sizes = architecture.layer_sizes
        for layer, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
            weights, biases = initializer(rng, fan_in, fan_out)
            model.padded_weights[layer, :fan_in, :fan_out] = weights
            model.padded_biases[layer, :fan_out] = biases
            if architecture.batchnorm and layer < architecture.n_layers - 1:
                model.norm[NORM_ARRAYS.index("gamma"), layer, :fan_out] = 1.0
                model.norm[NORM_ARRAYS.index("running_var"), layer, :fan_out] = 1.0
        return model

    @staticmethod
    def lanes_for(architecture: Architecture) -> int:
        """Padded layer width: 8 lanes (one AVX-512 / two AVX2 vectors) or 16."""
        return 8 if max(architecture.layer_sizes) <= 8 else 16

    @classmethod
    def n_parameters_for(cls, architecture: Architecture) -> int:
        """Length of the padded flat parameter vector."""
        lanes = cls.lanes_for(architecture)
        norm_rows = len(NORM_ARRAYS) if architecture.batchnorm else 0
        return architecture.n_layers * lanes * (lanes + 1 + norm_rows)

    @property
    def n_parameters(self) -> int:
        """How many weights and biases the network really has (without padding)."""
        sizes = self.layer_sizes
        scale_and_shift = 2 * sum(sizes[1:-1]) if self.architecture.batchnorm else 0
        return sum((a + 1) * b for a, b in zip(sizes, sizes[1:])) + scale_and_shift

    @staticmethod
    def _layout(architecture: Architecture) -> np.ndarray:
        """int64 (n_layers, 3): fan_in, fan_out, activation code of each dense layer."""
        sizes = architecture.layer_sizes
        codes = [HIDDEN_ACTIVATIONS[name] for name in architecture.hidden_activations]
        codes.append(OUTPUT_ACTIVATIONS[architecture.output])
        return np.array(list(zip(sizes, sizes[1:], codes)), dtype=np.int64)

    def copy(self) -> Model:
        """An independent model with the same architecture and parameter values."""
        return Model(self.architecture, self.params.copy())

    # -- parameters

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return self.architecture.layer_sizes

    @property
    def weights(self) -> ParameterList:
        """Per-layer (fan_in, fan_out) views of the weights."""
        return ParameterList(
            [
                self.padded_weights[layer, :fan_in, :fan_out]
                for layer, (fan_in, fan_out, _) in enumerate(self.layout)
            ],
            "weights",
        )

    @weights.setter
    def weights(self, values: Sequence[np.ndarray]) -> None:
        self._assign(self.weights, values)

    @property
    def biases(self) -> ParameterList:
        """Per-layer (fan_out,) views of the biases."""
        return ParameterList(
            [
                self.padded_biases[layer, :fan_out]
                for layer, (_, fan_out, _) in enumerate(self.layout)
            ],
            "biases",
        )

    @biases.setter
    def biases(self, values: Sequence[np.ndarray]) -> None:
        self._assign(self.biases, values)

    def batchnorm_arrays(self, flat: np.ndarray | None = None) -> dict[str, list[np.ndarray]]:
        """Batch normalisation's arrays by name (``NORM_ARRAYS``), each a list of one
        (units,) view per hidden layer, of ``params`` or of another vector in its layout
        (e.g. an optimiser moment); empty lists without batch normalisation."""
        norm = self.norm if flat is None else self._over(flat).norm
        hidden = self.layer_sizes[1:-1] if self.architecture.batchnorm else ()
        return {
            name: [norm[k, layer, :units] for layer, units in enumerate(hidden)]
            for k, name in enumerate(NORM_ARRAYS)
        }

    @staticmethod
    def _assign(targets: ParameterList, values: Sequence[np.ndarray]) -> None:
        if not checks.is_list(values) or isinstance(values, Set):
            raise TypeError(
                f"{targets._what} must be a list of arrays, one per layer; "
                f"got {checks.shown(values)} ({type(values).__name__})."
            )
        if len(values) != len(targets):
            raise ValueError(f"Expected {len(targets)} arrays, one per layer; got {len(values)}.")
        for index, value in enumerate(values):
            targets[index] = value

    # -- evaluation

    def check_inputs(self, X: np.ndarray, name: str = "X") -> np.ndarray:
        """X as a C-contiguous float64 (n, n_inputs) array of finite values within
        ±``checks.MAX_ABS_VALUE``; ``ValueError`` (``TypeError``) naming ``name`` if not."""
        return checks.float_array(X, name, ndim=2, columns=self.layer_sizes[0])

    def check_parameters(self, name: str = "model") -> None:
        """``ValueError`` if a weight or bias is NaN or infinite (e.g. set by hand)."""
        checks.finite_parameters(self.params, name)

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Network output for each row of X: (n, n_inputs) → (n, n_outputs)."""
        return self.activations(X)[-1]

    def activations(self, X: np.ndarray) -> list[np.ndarray]:
        """Every layer's output for each row: the inputs first, the network output last.

        Returns a list of (n, units) arrays, one per layer (transposed views of
        :meth:`neuron_outputs`).
        """
        bounds = np.cumsum((0, *self.layer_sizes))
        out = self.neuron_outputs(X)
        return [out[a:b].T for a, b in zip(bounds, bounds[1:])]

    def neuron_outputs(self, X: np.ndarray) -> np.ndarray:
        """Every neuron's output, one neuron per row: (total units, n), inputs first.

        The per-neuron heat maps are rows of this array (reshaped), with no copying.
        """
        self.check_parameters()
        X = self.check_inputs(X)
        n = X.shape[0]
        out = np.empty((sum(self.layer_sizes), n))
        out[: X.shape[1]] = X.T
        kernels.all_layer_outputs(
            self.kernel_arrays, out.reshape(-1), n, X.shape[1], GRID_CHUNK_POINTS
        )
        return out

    def workspace(self, rows: int) -> kernels.Workspace:
        """Scratch arrays for ``rows`` rows (shapes: see ``engine.kernels.Workspace``)."""
        rows = checks.whole_number(rows, "rows", 1)
        shape = (len(self.layout) + 1, rows, self.lanes)
        acts = np.zeros(shape)
        flat = acts.reshape(shape[0], -1)
        logits = np.zeros((rows, self.lanes))
        transposed = np.zeros((self.lanes, self.lanes))
        alive = np.zeros((len(self.layout), self.lanes), dtype=np.bool_)
        normed_shape = shape if self.architecture.batchnorm else (1, 1, self.lanes)
        return kernels.Workspace(
            acts=acts,
            deltas=np.zeros(shape),
            masks=np.ones(shape),
            logits=logits,
            flat_acts=flat,
            transposed=transposed,
            alive=alive,
            normed=np.zeros(normed_shape),
            inv_std=np.zeros((shape[0], self.lanes)),
        )

    def histograms(self, bins: int = 20) -> list[dict[str, tuple[np.ndarray, np.ndarray]]]:
        """Per-layer histograms of weights and biases: ``[{"weights": (counts, edges), …}]``."""
        bins = checks.whole_number(bins, "bins", 1, MAX_BINS)
        self.check_parameters()
        return [
            {"weights": np.histogram(w, bins=bins), "biases": np.histogram(b, bins=bins)}
            for w, b in zip(self.weights, self.biases)
        ]

    def __repr__(self) -> str:
        sizes = "-".join(map(str, self.layer_sizes))
        hidden = ",".join(self.architecture.hidden_activations) or "none"
        norm = ", batchnorm" if self.architecture.batchnorm else ""
        return f"Model({sizes}, hidden={hidden}, output={self.architecture.output}{norm})"
