"""Run files: a whole training run as one JSON document, saved and loaded exactly.

``save_run(run)`` writes the document, ``load_run(data)`` reads one back into a new
``TrainingRun`` (the caller swaps it in: the session's run is never touched by a bad file).
Nothing in a file is executed or unpickled: it is parsed as JSON and checked against one
JSON Schema (``document_schema``), whose subschemas carry the sentence a failing value gets
(the ``message`` keyword: jsonschema ignores keywords it does not know).  The schema depends on
the settings (the layer sizes the weights must have, the data set the data must name), so it
is built in two steps: the envelope and the settings first, then the whole document for them.

The document (``"format": "neuroplay-run"``, ``"version": 1``; docs/architecture.md):

* ``settings``: the link's query parameters (``PlaygroundSettings.to_query_params``), read
  back through the same table, but a value that cannot be used is refused, not replaced;
* ``data``: the generator's name and seed (the settings give noise, classes and split), or,
  for your own data, the points themselves with their split (``train`` and ``test``);
* ``network``: layer sizes, then per dense layer a (fan_in, fan_out) table of weights and a
  (fan_out,) list of biases, every float as its shortest exact text (``repr``); with batch
  normalisation (``batchnorm=on``) also ``batchnorm``: γ, β, running mean and running variance,
  each a list per hidden layer (``engine.model.NORM_ARRAYS``);
* ``optimizer``: both moment estimates in the same shapes (γ's and β's too), and the step count;
* ``training``: epoch, the shuffle/dropout random state (SplitMix64, a uint64), the current
  row order (the kernel shuffles it in place, so it is state too), the losses the divergence
  rollback compares with (null: infinite or unknown) and the divergence, if any;
* ``history``: the recorded metrics (``engine.TrainingHistory``) as little-endian arrays,
  zlib-compressed, base64 (a 100,000-epoch history is ~7 MB of float64: as JSON text it would
  not fit the 10 MB cap). If the file would still exceed ``MAX_BYTES``, every other row of the
  history is dropped (keeping the newest) until it fits; the weights are never thinned.

Not saved: the rollback copy the trainer keeps for a divergence (``Trainer._good``; after a
load the next ``train`` call takes the current state, so only a later divergence may roll back
to a different epoch) and the measured epoch time (it sizes chunks, never changes results).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import math
import zlib
from collections.abc import Mapping
from typing import Any

import jsonschema
import numpy as np

import engine
from engine.checks import MAX_ABS_POINT, MAX_ABS_VALUE
from engine.model import NORM_ARRAYS
from engine.trainer import MAX_HISTORY_ROWS

from .drawing import joined, link_value
from .own_data import MAX_ROWS
from .quote import code, plain
from .run import MAX_PARAMETER, TrainingRun, build_run
from .settings import CUSTOM, SETTINGS, PlaygroundSettings, UnusableError

FORMAT = "neuroplay-run"
VERSION = 1
MAX_BYTES = 10_000_000  # 10 MB: a run with a full 100,000-epoch history takes ~7 MB
MAX_SETTING_CHARACTERS = 10_000  # own data's points in a link take at most 8,192
# What NaN, Infinity and numbers too large for a float become while parsing: a string, so the
# schema's "type": "number" fails right where the value is and names its place.
NOT_FINITE = "not a finite number"
HISTORY_ENCODING = "zlib+base64, little-endian"
_BASE64 = r"^[A-Za-z0-9+/]*={0,2}$"
_MEGABYTE = 1_000_000


class RunFileError(ValueError):
    """A file that is not a usable run file; its message is one Markdown-safe sentence."""


# ---------------------------------------------------------------- saving


def save_run(run: TrainingRun) -> bytes:
    """The run as a run file (UTF-8 JSON, at most ``MAX_BYTES``), read under the run's lock:
    Save runs on the download button's thread, perhaps while the live view trains this run
    (one epoch's weights with another's history otherwise)."""
    with run.lock:
        document = run_document(run)
    text = _dumps(document)
    while len(text) > MAX_BYTES and document["history"]["rows"] > 2:
        document["history"] = _thinned(document["history"], len(run.model.layout))
        text = _dumps(document)
    return text


def _dumps(document: dict) -> bytes:
    return json.dumps(document, allow_nan=False, separators=(",", ":")).encode("utf-8")


def run_document(run: TrainingRun) -> dict[str, Any]:
    """The run file's JSON document (see the module docstring)."""
    trainer, model = run.trainer, run.model
    order = trainer._order
    return {
        "format": FORMAT,
        "version": VERSION,
        "settings": run.settings.to_query_params(),
        "data": _data_section(run),
        "network": {
            "layer_sizes": list(model.layer_sizes),
            **_layers(model, model.params),
        },
        "optimizer": {
            "name": trainer.config.optimizer,
            "first_moment": _layers(model, trainer.first_moment),
            "second_moment": _layers(model, trainer.second_moment),
            "step": int(trainer.step_counter[0]),
        },
        "training": {
            "epoch": int(trainer.epoch),
            "rng_state": int(trainer.rng_state[0]),
            "order": None if order is None else order.tolist(),
            "best_loss": _finite_or_none(trainer.best_loss),
            "loss_now": _finite_or_none(trainer._loss_now),
            "divergence": None
            if trainer.divergence is None
            else dataclasses.asdict(trainer.divergence),
        },
        "history": _history_section(trainer.history),
    }


def _data_section(run: TrainingRun) -> dict[str, Any]:
    if run.settings.dataset != CUSTOM:
        return {"generator": run.settings.dataset, "seed": run.settings.seed}
    return {
        "kind": run.train.kind,
        "n_classes": run.train.n_classes,
        "train": _points(run.train),
        "test": _points(run.test),
    }


def _points(data: engine.Dataset) -> dict[str, list]:
    return {"x": data.X.tolist(), "y": data.y.tolist()}


def _layers(model: engine.Model, flat: np.ndarray) -> dict[str, list]:
    """Per-layer weights (fan_in, fan_out) and biases (fan_out,) of a flat padded vector."""
    over = model._over(np.ascontiguousarray(flat, dtype=np.float64))
    section = {
        "weights": [layer.tolist() for layer in over.weights],
        "biases": [layer.tolist() for layer in over.biases],
    }
    if model.architecture.batchnorm:
        section["batchnorm"] = {
            name: [layer.tolist() for layer in layers]
            for name, layers in over.batchnorm_arrays().items()
        }
    return section


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _history_section(history: engine.TrainingHistory) -> dict[str, Any]:
    return {
        "encoding": HISTORY_ENCODING,
        "rows": history.length,
        "stride": history._stride,
        "epochs": _packed(history.epochs, "<i8"),
        "metrics": _packed(np.stack([history.column(c) for c in history.COLUMNS], 1), "<f8"),
        # Per layer the weight-gradient norms, then ‖δ‖ (TrainingHistory's own row layout).
        "grad_norms": _packed(np.hstack([history.grad_norms, history.delta_norms]), "<f8"),
    }


def _packed(array: np.ndarray, dtype: str) -> str:
    raw = np.ascontiguousarray(array, dtype=dtype).tobytes()
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def _thinned(section: dict[str, Any], n_layers: int) -> dict[str, Any]:
    """The history with every other row dropped (the newest kept): a file that must shrink."""
    arrays = _history_arrays(section, n_layers)
    keep = np.arange(section["rows"]) % 2 == (section["rows"] - 1) % 2
    epochs, metrics, grad_norms = (array[keep] for array in arrays)
    return {
        **section,
        "rows": int(keep.sum()),
        "epochs": _packed(epochs, "<i8"),
        "metrics": _packed(metrics, "<f8"),
        "grad_norms": _packed(grad_norms, "<f8"),
    }


# ---------------------------------------------------------------- the schema


def _message(sentence: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A subschema with the sentence a value failing it gets (``{where}``: its place)."""
    return {**schema, "message": sentence}


NUMBER = _message("The run file's {where} is not a finite number.", {"type": "number"})
ENVELOPE_SCHEMA: dict[str, Any] = _message(
    'This is not a NeuroPlay run file: it has no "format": "neuroplay-run" (it may be '
    "another JSON file).",
    {
        "type": "object",
        "required": ["format", "version"],
        "properties": {
            "format": {"const": FORMAT},
            "version": _message(
                "The run file's version must be a whole number from 1.",
                {"type": "integer", "minimum": 1},
            ),
        },
    },
)
SETTINGS_SCHEMA: dict[str, Any] = _message(
    "The run file's settings must be a table of setting names and their values as text.",
    {
        "type": "object",
        "propertyNames": {"enum": [spec.key for spec in SETTINGS]},
        "additionalProperties": {"type": "string", "maxLength": MAX_SETTING_CHARACTERS},
    },
)


def _number(bound: float | None) -> dict[str, Any]:
    """A finite number, within ±``bound`` if given."""
    if bound is None:
        return NUMBER
    return _message(
        f"The run file's {{where}} is not a number from {-bound:,.0f} to {bound:,.0f}.",
        {"type": "number", "minimum": -bound, "maximum": bound},
    )


def _table(rows: int, columns: int, what: str, bound: float | None = None) -> dict[str, Any]:
    number = _number(bound)
    return _message(
        f"The run file's {what} should be a table of {rows} × {columns} numbers.",
        {
            "type": "array",
            "minItems": rows,
            "maxItems": rows,
            "items": {"type": "array", "minItems": columns, "maxItems": columns, "items": number},
        },
    )


def _vector(length: int, what: str, bound: float | None = None) -> dict[str, Any]:
    number = _number(bound)
    return _message(
        f"The run file's {what} should be a list of {length} numbers.",
        {"type": "array", "minItems": length, "maxItems": length, "items": number},
    )


def _parameters_schema(
    sizes: list[int], what: str, bound: float | None, batchnorm: bool = False
) -> dict[str, Any]:
    """Weights and biases of every dense layer for these layer sizes (and batch
    normalisation's arrays of every hidden layer, if ``batchnorm``)."""
    pairs = list(zip(sizes, sizes[1:]))
    shape = "-".join(map(str, sizes))
    layers = len(pairs)
    extra = {"batchnorm": _batchnorm_schema(sizes[1:-1], what, bound)} if batchnorm else {}
    return {
        "type": "object",
        "required": ["weights", "biases", *extra],
        "properties": {
            **extra,
            "weights": _message(
                f"The run file's {what} should have {layers} layers of weights (a {shape} "
                "network).",
                {
                    "type": "array",
                    "minItems": layers,
                    "maxItems": layers,
                    "prefixItems": [
                        _table(fan_in, fan_out, f"{what} of layer {index + 1}", bound)
                        for index, (fan_in, fan_out) in enumerate(pairs)
                    ],
                },
            ),
            "biases": _message(
                f"The run file's {what} should have {layers} layers of biases (a {shape} network).",
                {
                    "type": "array",
                    "minItems": layers,
                    "maxItems": layers,
                    "prefixItems": [
                        _vector(fan_out, f"biases of layer {index + 1}", bound)
                        for index, (_, fan_out) in enumerate(pairs)
                    ],
                },
            ),
        },
    }


def _batchnorm_schema(hidden: list[int], what: str, bound: float | None) -> dict[str, Any]:
    """γ, β, running mean and running variance: a list per hidden layer, each of its size."""
    names = NORM_ARRAYS
    return _message(
        f"The run file's {what} should hold batch normalisation's {', '.join(names)} of "
        f"{len(hidden)} hidden layers (its settings have batchnorm=on).",
        {
            "type": "object",
            "required": list(names),
            "properties": {
                name: {
                    "type": "array",
                    "minItems": len(hidden),
                    "maxItems": len(hidden),
                    "prefixItems": [
                        _vector(units, f"{name} of hidden layer {index + 1}", bound)
                        if name != "running_var" or bound is None
                        else _variances(units, f"running variance of hidden layer {index + 1}")
                        for index, units in enumerate(hidden)
                    ],
                }
                for name in names
            },
        },
    )


def _variances(length: int, what: str) -> dict[str, Any]:
    """A running variance: ``length`` numbers from 0 (a negative one has no square root)."""
    return _message(
        f"The run file's {what} should be a list of {length} numbers from 0 to "
        f"{MAX_PARAMETER:,.0f}.",
        {
            "type": "array",
            "minItems": length,
            "maxItems": length,
            "items": {"type": "number", "minimum": 0, "maximum": MAX_PARAMETER},
        },
    )


def _points_schema(kind: str, n_classes: int) -> dict[str, Any]:
    point = _message(
        "The run file's {where} is not a point (two numbers within ±1,000,000).",
        {
            "type": "array",
            "minItems": 2,
            "maxItems": 2,
            "items": {"type": "number", "minimum": -MAX_ABS_POINT, "maximum": MAX_ABS_POINT},
        },
    )
    if kind == "classification":
        value = _message(
            f"The run file's {{where}} is not a class of this data (0 to {n_classes - 1}).",
            {"type": "integer", "minimum": 0, "maximum": n_classes - 1},
        )
    else:
        value = _number(MAX_ABS_VALUE)
    rows = {"type": "array", "maxItems": MAX_ROWS}
    return {
        "type": "object",
        "required": ["x", "y"],
        "properties": {"x": {**rows, "items": point}, "y": {**rows, "items": value}},
    }


def document_schema(settings: PlaygroundSettings, n_train: int | None = None) -> dict[str, Any]:
    """The schema of a whole run file for ``settings`` (``n_train``: the training rows, which
    the row order must be a permutation of; None before the data are known)."""
    sizes = settings.layer_sizes
    if settings.dataset == CUSTOM:
        data = _message(
            "The run file's data must hold your own points: kind, n_classes, train and test.",
            {
                "type": "object",
                "required": ["kind", "n_classes", "train", "test"],
                "properties": {
                    "kind": {"const": settings.kind},
                    "n_classes": {"const": settings.n_classes},
                    "train": _points_schema(settings.kind, settings.n_classes),
                    "test": _points_schema(settings.kind, settings.n_classes),
                },
            },
        )
    else:
        data = _message(
            f"The run file's data must name the generator {code(settings.dataset)} and the "
            f"seed {settings.seed}, as its settings do.",
            {
                "type": "object",
                "required": ["generator", "seed"],
                "properties": {
                    "generator": {"const": settings.dataset},
                    "seed": {"const": settings.seed},
                },
            },
        )
    history_rows = MAX_HISTORY_ROWS
    norm = settings.batchnorm
    network = _parameters_schema(sizes, "weights", MAX_PARAMETER, norm)
    packed = {"type": "string", "pattern": _BASE64}
    return {
        **ENVELOPE_SCHEMA,
        "required": [
            "format",
            "version",
            "settings",
            "data",
            "network",
            "optimizer",
            "training",
            "history",
        ],
        "properties": {
            **ENVELOPE_SCHEMA["properties"],
            "settings": SETTINGS_SCHEMA,
            "data": data,
            "network": _message(
                f"The run file's network must be the {'-'.join(map(str, sizes))} network its "
                "settings make.",
                {
                    **network,
                    "required": ["layer_sizes", *network["required"]],
                    "properties": {"layer_sizes": {"const": sizes}, **network["properties"]},
                },
            ),
            "optimizer": _message(
                "The run file's optimiser state must name the optimiser of its settings and "
                "hold both moments and the step count.",
                {
                    "type": "object",
                    "required": ["name", "first_moment", "second_moment", "step"],
                    "properties": {
                        "name": {"const": settings.optimizer},
                        "first_moment": _parameters_schema(sizes, "first moment", None, norm),
                        "second_moment": _parameters_schema(sizes, "second moment", None, norm),
                        "step": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                    },
                },
            ),
            "training": _message(
                "The run file's training state must hold the epoch, the random state, the "
                "row order, the losses and the divergence.",
                {
                    "type": "object",
                    "required": [
                        "epoch",
                        "rng_state",
                        "order",
                        "best_loss",
                        "loss_now",
                        "divergence",
                    ],
                    "properties": {
                        "epoch": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                        "rng_state": {"type": "integer", "minimum": 0, "maximum": 2**64 - 1},
                        "order": order_schema(None),
                        "best_loss": {"type": ["number", "null"]},
                        "loss_now": {"type": ["number", "null"]},
                        "divergence": {
                            "type": ["object", "null"],
                            "required": ["epoch", "layer", "quantity", "restored_epoch"],
                            "properties": {
                                "epoch": {"type": "integer", "minimum": 1},
                                "layer": {
                                    "type": "integer",
                                    "minimum": 1,
                                    "maximum": len(sizes) - 1,
                                },
                                "quantity": {"enum": ["loss", "parameters"]},
                                "restored_epoch": {"type": "integer", "minimum": 0},
                            },
                            "additionalProperties": False,
                        },
                    },
                },
            ),
            "history": _message(
                "The run file's history must hold its rows as NeuroPlay writes them.",
                {
                    "type": "object",
                    "required": ["encoding", "rows", "stride", "epochs", "metrics", "grad_norms"],
                    "properties": {
                        "encoding": {"const": HISTORY_ENCODING},
                        "rows": {"type": "integer", "minimum": 0, "maximum": history_rows},
                        "stride": {"type": "integer", "minimum": 1, "maximum": 2**62},
                        "epochs": packed,
                        "metrics": packed,
                        "grad_norms": packed,
                    },
                },
            ),
        },
    }


def order_schema(n_train: int | None) -> dict[str, Any]:
    """The row order: null before the first epoch, else a permutation of the ``n_train``
    training rows (None: of any number of rows, before the data are known)."""
    index = {"type": "integer", "minimum": 0}
    if n_train is not None:
        index["maximum"] = max(n_train - 1, 0)
    return _message(
        "The run file's row order is not a permutation of its training rows.",
        {"type": ["array", "null"], "items": index, "uniqueItems": True}
        | ({} if n_train is None else {"minItems": n_train, "maxItems": n_train}),
    )


def _validated(document: Any, schema: dict[str, Any]) -> None:
    """Raise ``RunFileError`` with the sentence of the most relevant failing subschema."""
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return
    raise RunFileError(_sentence(error, schema))


def _sentence(error: jsonschema.ValidationError, schema: dict[str, Any]) -> str:
    """The ``message`` of the innermost subschema on the failing path, its place filled in
    (a missing part is named: the envelope's own sentence says the file is something else)."""
    if error.validator == "required" and schema is not ENVELOPE_SCHEMA:
        missing = next(key for key in error.validator_value if key not in error.instance)
        place = (
            "run file" if not error.absolute_path else f"run file's {_where(error.absolute_path)}"
        )
        return f"The {place} has no {code(missing)}."
    sentence = schema.get("message", "This is not a NeuroPlay run file.")
    node: Any = schema
    for step in error.absolute_schema_path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "message" in node:
            sentence = node["message"]
    return sentence.replace("{where}", _where(error.absolute_path))


def _where(path) -> str:
    """A value's place in the document as a reader says it: ``weights[1][0][2]``."""
    parts = list(path)
    if not parts:
        return "document"
    text = str(parts[0]) if isinstance(parts[0], str) else f"[{parts[0]}]"
    for part in parts[1:]:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return code(text)


# ---------------------------------------------------------------- loading


def load_run(data: bytes) -> TrainingRun:
    """A new ``TrainingRun`` exactly as the run file saved it; ``RunFileError`` with one plain
    sentence (Markdown-safe) for anything that is not a usable run file."""
    if len(data) > MAX_BYTES:
        raise RunFileError(
            f"The file is {len(data) / _MEGABYTE:.1f} MB; a run file can be at most "
            f"{MAX_BYTES // _MEGABYTE} MB."
        )
    document = _parsed(data)
    _validated(document, ENVELOPE_SCHEMA)
    if document["version"] > VERSION:
        raise RunFileError(
            f"This run file is version {document['version']}, written by a newer NeuroPlay; "
            f"this one reads version {VERSION}."
        )
    _validated(document.get("settings"), SETTINGS_SCHEMA)
    settings = settings_from(document["settings"])
    _validated(document, document_schema(settings))
    own = _own_data(document["data"], settings)
    if own is not None:  # the link value the session's own data is known by
        settings = dataclasses.replace(settings, points=link_value(*own.split(0.5, 1)))
    try:
        run = build_run(settings, own)
    except ValueError as problem:
        raise RunFileError(f"The run file's data cannot be used: {plain(str(problem))}") from None
    _validated(document["training"]["order"], order_schema(len(run.train)))
    _restore(run, document)
    return run


def _parsed(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RunFileError("This is not a NeuroPlay run file: it is not text.") from None
    try:
        return json.loads(text, parse_constant=_not_finite, parse_float=_float)
    except json.JSONDecodeError as problem:
        # Cut off: the parser ran into the end (an unclosed string reports where it began).
        if problem.pos >= len(text.rstrip()) or problem.msg.startswith("Unterminated string"):
            raise RunFileError(
                "The run file is cut off: it ends before its JSON does (was the download or "
                "the copy interrupted?)."
            ) from None
        raise RunFileError(
            f"This is not a NeuroPlay run file: it is not JSON (line {problem.lineno}: "
            f"{problem.msg.lower()})."
        ) from None
    except RecursionError:
        raise RunFileError("This is not a NeuroPlay run file: it is nested too deep.") from None


def _not_finite(_: str) -> str:
    return NOT_FINITE


def _float(text: str) -> float | str:
    value = float(text)
    return value if math.isfinite(value) else NOT_FINITE


def settings_from(params: Mapping[str, str]) -> PlaygroundSettings:
    """The settings a run file's query parameters give, through the settings table; a value
    that cannot be used raises ``RunFileError`` (a link falls back, a run file is refused: its
    weights were trained for exactly these settings)."""
    values: dict[str, Any] = {}
    for spec in SETTINGS:
        if spec.key not in params:
            continue
        text = params[spec.key]
        try:
            values[spec.name] = spec.kind.parse(text)
        except (ValueError, TypeError, OverflowError):
            raise RunFileError(
                f"The run file's setting {code(f'{spec.key}={text}')} is not valid."
            ) from None
    checked = dataclasses.asdict(PlaygroundSettings(**values))
    for spec in SETTINGS:  # in field order: a rule may read the fields above it
        try:
            checked[spec.name] = spec.checked(checked[spec.name], checked)
        except UnusableError as problem:
            raise RunFileError(
                f"The run file's settings cannot be used: {problem.sentence}."
            ) from None
    return PlaygroundSettings(**checked)


def _own_data(section: dict[str, Any], settings: PlaygroundSettings):
    """Your own data from the run file (its split carried), or None for generated data."""
    if settings.dataset != CUSTOM:
        return None
    parts = []
    for name in ("train", "test"):
        points = section[name]
        if len(points["x"]) != len(points["y"]):
            raise RunFileError(f"The run file's {name} points and values differ in number.")
        X = np.array(points["x"], dtype=np.float64).reshape(-1, 2)
        y = np.array(points["y"], dtype=np.int64 if settings.kind == "classification" else float)
        try:
            parts.append(engine.Dataset(X, y, settings.n_classes, settings.kind))
        except (ValueError, TypeError) as problem:
            raise RunFileError(
                f"The run file's {name} points cannot be used: {plain(str(problem))}"
            ) from None
    return joined(*parts)


def _restore(run: TrainingRun, document: dict[str, Any]) -> None:
    """Put the saved weights, optimiser and training state and history into a fresh run."""
    model, trainer = run.model, run.trainer
    network, optimizer, training = (document[n] for n in ("network", "optimizer", "training"))
    _set_layers(model, model.params, network)
    _set_layers(model, trainer.first_moment, optimizer["first_moment"])
    _set_layers(model, trainer.second_moment, optimizer["second_moment"])
    trainer.step_counter[0] = optimizer["step"]
    trainer.epoch = training["epoch"]
    trainer.rng_state[0] = np.uint64(training["rng_state"])
    order = training["order"]
    trainer._order = None if order is None else np.array(order, dtype=np.int64)
    best, now = training["best_loss"], training["loss_now"]
    trainer.best_loss = math.inf if best is None else best
    trainer._loss_now = math.nan if now is None else now
    divergence = training["divergence"]
    trainer.divergence = None if divergence is None else engine.Divergence(**divergence)
    run.stop_reason = None if divergence is None else trainer.divergence.message()
    trainer.history = _history(document["history"], len(model.layout))


def _set_layers(model: engine.Model, flat: np.ndarray, section: dict[str, list]) -> None:
    over = model._over(flat)
    for target, values in zip(over.weights, section["weights"], strict=True):
        target[...] = np.array(values, dtype=np.float64).reshape(target.shape)
    for target, values in zip(over.biases, section["biases"], strict=True):
        target[...] = np.array(values, dtype=np.float64).reshape(target.shape)
    if model.architecture.batchnorm:
        for name, targets in over.batchnorm_arrays().items():
            for target, values in zip(targets, section["batchnorm"][name], strict=True):
                target[...] = np.array(values, dtype=np.float64).reshape(target.shape)


def _history_arrays(
    section: dict[str, Any], n_layers: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(epochs, metrics, grad_norms) of a history section; ``RunFileError`` if damaged."""
    rows = section["rows"]
    columns = len(engine.TrainingHistory.COLUMNS)
    return (
        _unpacked(section["epochs"], "<i8", (rows,)),
        _unpacked(section["metrics"], "<f8", (rows, columns)),
        _unpacked(section["grad_norms"], "<f8", (rows, 2 * n_layers)),
    )


def _unpacked(text: str, dtype: str, shape: tuple[int, ...]) -> np.ndarray:
    size = int(np.prod(shape)) * 8
    try:
        # max_length: a small string cannot unpack to gigabytes (a "zip bomb").
        raw = zlib.decompressobj().decompress(base64.b64decode(text, validate=True), size + 1)
    except (ValueError, zlib.error):
        raw = b""
    if len(raw) != size:
        raise RunFileError("The run file's history is damaged: its rows cannot be read.")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype[1:])


def _history(section: dict[str, Any], n_layers: int) -> engine.TrainingHistory:
    """The recorded history, rows as saved (the layout ``TrainingHistory.copy`` writes)."""
    epochs, metrics, grad_norms = _history_arrays(section, n_layers)
    if len(epochs) and (epochs[0] < 1 or np.any(np.diff(epochs) <= 0)):
        raise RunFileError("The run file's history is damaged: its epochs do not increase.")
    history = engine.TrainingHistory(n_layers)
    rows = len(epochs)
    history._reserve(rows)
    history._rows.metrics[:rows] = metrics
    history._rows.grad_norms[:rows] = grad_norms
    history._rows.epochs[:rows] = epochs
    history._rows.written = history.length = rows
    history._stride = section["stride"]
    return history
