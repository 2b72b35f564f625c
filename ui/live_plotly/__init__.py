"""A Plotly.js graph that stays mounted in the page and is patched many times per second.

``st.plotly_chart`` remounts its chart on every update (about 7 frames/s, with flicker). This
Streamlit components-v2 component keeps one Plotly.js graph alive and, per frame, only receives
compact patches (base64 typed arrays, strings) which its JavaScript applies with ``Plotly.react``.

The figure itself travels only when its structure version changes; ``live_plotly``'s
parameters say what else a frame carries, docs/live_view.md the protocol and its measurements.

Updates are applied on top of the previously drawn state. Frames that arrive while Plotly is
still drawing are merged (the newest value of each path wins) and drawn once, so a property may
be sent only now and then; but Streamlit itself may skip a frame under load, so animated
properties should be sent with every frame.
"""

from __future__ import annotations

import base64
import functools
import json
import math
import pathlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import streamlit as st

from playground.palette import DEFAULT_COLORSCALE

__all__ = [
    "DEFAULT_COLORSCALE",
    "STATIC_PLOTLY_FILES",
    "browser_state",
    "encode_array",
    "live_plotly",
    "preload_plotly",
    "static_plotly_file",
]

_HERE = pathlib.Path(__file__).resolve().parent
_JS = (_HERE / "live_plotly.js").read_text(encoding="utf-8")
_CSS = (_HERE / "live_plotly.css").read_text(encoding="utf-8")

_COMPONENT_NAME = "neuroplay_live_plotly"
CAPTION_HEIGHT = 28  # px: the caption line's height (sent to live_plotly.js, which sets its CSS)
# Session-state key prefix remembering which structure version was sent to the browser.
_SENT_PREFIX = "_live_plotly_sent_version:"
# Session-state key prefix of the layout values and pictures last sent (``changes_only``).
_SENT_VALUES_PREFIX = "_live_plotly_sent_values:"

# dtypes sent as they are; every other numeric dtype is converted (see encode_array).
_WIRE_DTYPES = frozenset(
    {"float32", "float64", "uint8", "int8", "uint16", "int16", "uint32", "int32"}
)
_INT32 = np.iinfo(np.int32)
_UINT32 = np.iinfo(np.uint32)


def encode_array(array: np.ndarray) -> dict:
    """Encodes an array as ``{"dtype", "shape", "b64"}`` (little-endian raw bytes in base64).

    float64 (and float16) is sent as float32, bool as uint8, 64-bit integers as int32/uint32
    when every value fits and as float64 otherwise. The browser decodes 1-D arrays to typed
    arrays and 2-D arrays to arrays of rows (what Plotly expects for a heat map's ``z``).
    """
    a = np.asarray(array)
    kind = a.dtype.kind
    if kind == "b":
        a = a.astype(np.uint8)
    elif kind == "f" and a.dtype.itemsize != 4:
        a = a.astype(np.float32)
    elif kind in "iu" and a.dtype.itemsize == 8:
        if a.size == 0 or (kind == "i" and _INT32.min <= a.min() and a.max() <= _INT32.max):
            a = a.astype(np.int32)
        elif kind == "u" and a.max() <= _UINT32.max:
            a = a.astype(np.uint32)
        else:
            a = a.astype(np.float64)
    name = a.dtype.name
    if name not in _WIRE_DTYPES:
        raise TypeError(f"encode_array: unsupported dtype {a.dtype} (numeric arrays only)")
    a = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<"))
    return {
        "dtype": name,
        "shape": list(a.shape),
        "b64": base64.b64encode(a.tobytes()).decode("ascii"),
    }


def _to_wire(value: Any) -> Any:
    """Makes ``value`` JSON-safe: ndarrays become encoded arrays, NaN/inf become None."""
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _to_wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_wire(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf":
            return encode_array(value)
        return _to_wire(value.tolist())
    if isinstance(value, np.generic):
        return _to_wire(value.item())
    # Anything else (dates, decimals, plotly objects...): Plotly's own JSON encoder.
    import plotly.io.json

    return json.loads(plotly.io.json.to_json_plotly(value))


def _updates_to_wire(updates: Mapping[str, Any] | None) -> dict:
    if not updates:
        return {}
    wire: dict[str, Any] = {}
    traces = updates.get("traces")
    if traces:
        wire["traces"] = [
            {"index": int(patch["index"]), "set": _to_wire(patch.get("set") or {})}
            for patch in traces
        ]
    layout = updates.get("layout")
    if layout:
        wire["layout"] = _to_wire(layout)
    return wire


def _images_to_wire(images: list | None) -> list:
    if not images:
        return []
    wire = []
    for item in images:
        values = item["values"]
        if isinstance(values, np.ndarray):
            if values.dtype != np.uint8 or not (
                values.ndim == 2 or (values.ndim == 3 and values.shape[2] == 3)
            ):
                raise TypeError(
                    "live_plotly images: values must be a uint8 array (h, w) or (h, w, 3) RGB"
                )
            values = encode_array(values)
        elif not (isinstance(values, Mapping) and values.get("dtype") == "uint8"):
            raise TypeError("live_plotly images: values must be encode_array(<uint8 array>)")
        wire.append({"index": int(item["index"]), "values": values})
    return wire


_UNSENT = object()  # never equal to a value
# With ``changes_only``, a picture none of whose values moved by more than this (of 255: ~1 %
# of the colour scale) since it was last sent is left out: a big network's 128 neuron maps
# mostly drift invisibly from frame to frame, and each one sent is a PNG for the browser.
IMAGE_TOLERANCE = 2


@dataclass
class SentValues:
    """The layout values and pictures this session's browser was last sent, for one graph.

    The browser applies every frame on top of what it drew (frames merge), so a value equal to
    the one sent before need not travel again. ``strip`` removes those from a frame on the
    wire, in place, and remembers the rest. Everything goes again when ``full`` says so.
    """

    version: str | None = None
    layout: dict[str, Any] = field(default_factory=dict)
    images: dict[int, np.ndarray] = field(default_factory=dict)  # index -> values (flat uint8)
    full_at: float = -math.inf  # time of the last frame sent whole

    def full(self, version: str, now: float, every: float | None) -> bool:
        """Whether the next frame goes whole: a new structure, or ``every`` seconds passed
        (``None``: always)."""
        return every is None or version != self.version or now - self.full_at >= every

    def strip(self, frame: dict, whole: bool) -> None:
        """Drops from a wire frame (``{"updates": {"layout"}, "images"}``) what was sent
        already (unless ``whole``) and records what is sent."""
        layout = frame.get("updates", {}).get("layout")
        if layout:
            if not whole:
                layout = {p: v for p, v in layout.items() if self.layout.get(p, _UNSENT) != v}
                frame["updates"]["layout"] = layout
            self.layout.update(layout)
        images = frame.get("images")
        if images:
            values = [np.frombuffer(base64.b64decode(i["values"]["b64"]), np.uint8) for i in images]
            changed = [
                (image, new)
                for image, new in zip(images, values)
                if whole or _moved(self.images.get(image["index"]), new)
            ]
            frame["images"] = [image for image, _ in changed]
            self.images.update((image["index"], new) for image, new in changed)


def _moved(old: np.ndarray | None, new: np.ndarray) -> bool:
    """Whether a picture's values moved visibly (see ``IMAGE_TOLERANCE``)."""
    if old is None or old.shape != new.shape:
        return True
    return int(np.max(np.abs(old.astype(np.int16) - new))) > IMAGE_TOLERANCE


def _caption_to_wire(caption: Mapping[str, Any] | None) -> dict | None:
    if caption is None:
        return None
    data = {str(name): str(value) for name, value in dict(caption.get("data") or {}).items()}
    return {"text": str(caption.get("text", "")), "data": data}


def _hover_zoom_to_wire(option: Mapping[str, Any] | None) -> dict | None:
    if not option:
        return None
    wire = {"trace": int(option["trace"]), "image": _to_wire(dict(option.get("image") or {}))}
    if option.get("count") is not None:
        wire["count"] = int(option["count"])
    return wire


def _editable_to_wire(option: Mapping[int, Mapping[str, Any]] | None) -> list | None:
    if option is None:
        return None
    wire = []
    for trace, spec in option.items():
        item: dict[str, Any] = {"trace": int(trace), "decimals": int(spec.get("decimals", 3))}
        if spec.get("values") is not None:
            item["values"] = encode_array(np.asarray(spec["values"]))
        if spec.get("label"):
            item["label"] = str(spec["label"])
        wire.append(item)
    return wire


@functools.lru_cache(maxsize=1)
def _component():
    # Created once per process; Streamlit re-registers it on each runtime when it is mounted.
    # isolate_styles=False: Plotly.js injects its CSS into document.head, which a shadow root
    # would not see (modebar, hover labels and drag layers would be unstyled).
    return st.components.v2.component(_COMPONENT_NAME, js=_JS, css=_CSS, isolate_styles=False)


#: Plotly.js files scripts/setup.sh may put in ``static/``, preferred first.
STATIC_PLOTLY_FILES = ("plotly-cartesian.min.js", "plotly.min.js")


def static_plotly_file(static_dir: pathlib.Path) -> str | None:
    """The name of the Plotly.js file to serve from ``static_dir`` (None if there is none)."""
    for name in STATIC_PLOTLY_FILES:
        if (static_dir / name).is_file():
            return name
    return None


def _plotly_sources() -> list[str]:
    """URLs the browser tries, in order, to load Plotly.js once per page (docs/live_view.md):
    the copy scripts/setup.sh put in ``static/`` next to the main script (``STATIC_PLOTLY_FILES``:
    the 1.5 MB cartesian bundle starts in half the time of the full 4.8 MB one), then Plotly's
    own file through Streamlit's (v1) component file route, which works for any main script."""
    import plotly
    from streamlit.components.v1 import declare_component
    from streamlit.file_util import get_app_static_dir
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    base = st.get_option("server.baseUrlPath").strip("/")
    prefix = f"/{base}/" if base else "/"
    sources = []
    ctx = get_script_run_ctx()
    if st.get_option("server.enableStaticServing") and ctx is not None:
        name = static_plotly_file(pathlib.Path(get_app_static_dir(ctx.main_script_path)))
        if name:
            sources.append(f"{prefix}app/static/{name}")
    # Registering is a dictionary insert in the runtime's registry; it only serves files.
    assets = declare_component(
        "plotlyjs_assets", path=pathlib.Path(plotly.__file__).parent / "package_data"
    )
    sources.append(f"{prefix}component/{assets.name}/plotly.min.js")
    return sources


def preload_plotly(key: str = "live_plotly_preload") -> None:
    """Starts loading Plotly.js in the browser now, before any graph needs it.

    Call it near the top of a page whose live graph comes further down: the 4.8 MB script is
    then fetched and compiled while the rest of the page is still being built (measured: first
    frame ~1.5 s sooner on a new page). Draws nothing.
    """
    _component()(key=key, data={"preload": True, "plotly_src": _plotly_sources()})


def _forget_sent_version(sent_key: str) -> None:
    """Callback of the browser's "need_figure" trigger: send the figure again next frame."""
    st.session_state.pop(sent_key, None)


def _deliver_click(key: str, on_click: Callable[[dict], None]) -> None:
    """Callback of the browser's "click" trigger: hands the click's area name and data
    coordinates to ``on_click`` (a name and two finite numbers; anything else is dropped)."""
    click = _reported(st.session_state.get(key), "click")
    if not isinstance(click, Mapping) or not isinstance(click.get("area"), str):
        return
    try:
        x, y = float(click["x"]), float(click["y"])
    except (KeyError, TypeError, ValueError):
        return
    if math.isfinite(x) and math.isfinite(y):
        on_click({"area": click["area"], "x": x, "y": y})


def _deliver_edit(key: str, on_edit: Callable[[dict], None]) -> None:
    """Callback of the browser's "edit" trigger: hands what the user typed to ``on_edit``."""
    edit = _reported(st.session_state.get(key), "edit")
    if isinstance(edit, Mapping):
        on_edit(dict(edit))


def live_plotly(
    figure: dict,
    structure_version: str,
    updates: dict,
    *,
    key: str,
    height: int,
    images: list | None = None,
    colorscale: list | None = None,
    hover_zoom: Mapping[str, Any] | None = None,
    frame_id: str | int | None = None,
    stats_every: float | None = None,
    later_frames: list[Mapping[str, Any]] | None = None,
    frame_spacing: float | None = None,
    caption: Mapping[str, Any] | None = None,
    fit_height: tuple[int, int, int, float] | None = None,
    editable: Mapping[int, Mapping[str, Any]] | None = None,
    on_edit: Callable[[dict], None] | None = None,
    click_areas: Mapping[str, Mapping[str, str]] | None = None,
    on_click: Callable[[dict], None] | None = None,
    stream: str | None = None,
    stop_on_click: str | None = None,
    changes_only: float | None = None,
    pictures: Mapping[str, Any] | None = None,
    label: str | None = None,
) -> dict:
    """Shows ``figure`` in a Plotly.js graph that stays mounted and applies ``updates`` live.

    docs/live_view.md ("Python API") describes every argument in full; in short:

    Args:
        figure: ``{"data": [...], "layout": {...}}`` (optionally ``"config"``), serialised only
            when ``structure_version`` differs from the version this session's browser last got,
            so passing it every frame costs nothing. A new version redraws the figure from
            scratch (``layout.uirevision`` defaults to it: the zoom resets then).
        updates: ``{"traces": [{"index": i, "set": {path: value}}], "layout": {path: value}}``
            with Plotly's dotted paths; values are numpy arrays (sent encoded) or JSON values.
        key: a fixed Streamlit key (without one the graph would remount every frame).
        height: px, reserved even while Plotly.js loads.
        images: ``[{"index": k, "values": uint8 (h, w) or (h, w, 3) RGB}]`` (or the values
            ``encode_array``-ed), painted over ``layout.images[k]``; row 0 is the TOP row.
        colorscale: ``[[value / 255, colour], ...]`` for the images, default
            ``DEFAULT_COLORSCALE``; always sent: the browser has no palette of its own.
        hover_zoom: ``{"trace": i, "count": n, "image": {...}}``: hovering a point of trace ``i``
            whose ``customdata`` is an image index ``k < n`` shows image ``k`` large, placed by
            ``image``'s position keys (the graph's ``data-hover-zoom`` is ``k`` meanwhile).
        frame_id: shown as the graph's ``data-frame-id`` once this frame is painted (tests).
        stats_every: seconds between the browser's reports of its counters (each one reruns).
        later_frames: ``[{"updates", "images", "frame_id", "caption"}, ...]`` drawn
            ``frame_spacing`` s apart after this one: Streamlit's own per-run work in the
            browser (more than drawing a frame) is then paid once for all of them.
        caption: ``{"text": str, "data": {name: value}}``: the line above the graph, shown when
            its frame is painted; ``data`` become ``data-<name>`` attributes.
        fit_height: ``(min, max, bottom, max_ratio)``: the height follows the window instead.
        editable: ``{trace: {"values": (n_points,), "decimals": 3, "label": "Weight"}}``: a
            click on a point of these traces opens a box to type its new value.
        on_edit: a widget callback given ``{"trace", "point", "customdata", "text"}``.
        click_areas: ``{name: {"xaxis": "x", "yaxis": "y"}}``: a click in one of those plot
            areas goes to ``on_click`` as ``{"area": name, "x": float, "y": float}`` in data
            units (``None`` or empty: clicks do nothing; the option holds for this call only).
        stream: names the stream of frames while an animation plays (``None`` otherwise).
        stop_on_click: a CSS selector; a click on it stops the playing stream in the browser
            at once (the queued frames are drawn together in one paint).
        changes_only: send only the layout values and pictures that differ from what this
            browser was last sent, and everything at least every ``changes_only`` seconds and
            with a new structure (Streamlit may skip a message under load). ``None``: whole.
        pictures: ``{"name": file name stem, "figures": [{"id", "title", "icon", "axes": [x,
            y], "annotations": [k], "colorbar": bool, "legend": bool}]}``: the PNG files'
            name (the caption's epoch is added) and a modebar button per figure that downloads
            that part of the graph (``None``: only the whole view's button).
        label: the graph's accessible name; it then is a figure in the keyboard's tab order
            (and ends the walk st.tabs makes for a tabbable child, see live_plotly.js).

    Returns:
        What the browser reported: ``{"stats": None or {"painted", "received", "dropped",
        "fast": this graph's cumulative frame counts, "frame_id": the last painted one, "t":
        the browser's clock in s}, "pointer": True while the mouse is over the graph}`` (also
        readable before the call with :func:`browser_state`).
    """
    sent_key = _SENT_PREFIX + key
    data: dict[str, Any] = {
        "key": key,
        "version": str(structure_version),
        "height": int(height),
        "updates": _updates_to_wire(updates),
        "images": _images_to_wire(images),
        "colorscale": _to_wire(colorscale if colorscale is not None else DEFAULT_COLORSCALE),
        "hover_zoom": _hover_zoom_to_wire(hover_zoom),
        "caption_height": CAPTION_HEIGHT,
    }
    if editable is not None:
        data["editable"] = _editable_to_wire(editable)
    if click_areas:
        data["click_areas"] = {
            str(name): {"xaxis": str(axes["xaxis"]), "yaxis": str(axes["yaxis"])}
            for name, axes in click_areas.items()
        }
    if frame_id is not None:
        data["frame_id"] = str(frame_id)
    if caption is not None:
        data["caption"] = _caption_to_wire(caption)
    if fit_height is not None:
        low, high, bottom, ratio = fit_height
        data["fit_height"] = {
            "min": int(low),
            "max": int(high),
            "bottom": int(bottom),
            "max_ratio": float(ratio),
        }
    if stats_every:
        data["stats_every"] = float(stats_every)
    if stream is not None:
        data["stream"] = str(stream)
    if stop_on_click:
        data["stop_on_click"] = str(stop_on_click)
    if pictures is not None:
        data["pictures"] = _to_wire(dict(pictures))
    if label:
        data["label"] = str(label)
    if later_frames:
        data["later"] = [
            {
                "updates": _updates_to_wire(frame.get("updates")),
                "images": _images_to_wire(frame.get("images")),
                "frame_id": None if frame.get("frame_id") is None else str(frame["frame_id"]),
                "caption": _caption_to_wire(frame.get("caption")),
            }
            for frame in later_frames
        ]
        data["spacing_ms"] = max(0.0, float(frame_spacing or 0.0)) * 1000.0
    if st.session_state.get(sent_key) != data["version"]:
        data["figure"] = _to_wire(figure)
        data["plotly_src"] = _plotly_sources()
        st.session_state[sent_key] = data["version"]
    _strip_sent(data, key, changes_only)
    result = _component()(
        key=key,
        data=data,
        # The caption line sits above the graph (its CSS height is CAPTION_HEIGHT px); a graph
        # that fits the window sets its own height.
        height="content"
        if fit_height is not None
        else int(height) + (CAPTION_HEIGHT if caption is not None else 0),
        on_need_figure_change=functools.partial(_forget_sent_version, sent_key),
        on_stats_change=_ignore,
        on_pointer_change=_ignore,
        on_edit_change=functools.partial(_deliver_edit, key, on_edit) if on_edit else _ignore,
        on_click_change=functools.partial(_deliver_click, key, on_click) if on_click else _ignore,
        # The browser's light/dark preference changed: the rerun it causes carries the new
        # st.context.theme.type (Streamlit itself does not rerun then).
        on_color_scheme_change=_ignore,
    )
    return _browser_values(result)


def _strip_sent(data: dict, key: str, changes_only: float | None) -> None:
    """Applies ``changes_only`` to a call's frames (the first one, then each later one)."""
    values_key = _SENT_VALUES_PREFIX + key
    sent = st.session_state.get(values_key)
    if not isinstance(sent, SentValues):
        sent = st.session_state[values_key] = SentValues()
    now = time.monotonic()
    # A figure sent now is drawn from scratch: everything goes with it.
    whole = "figure" in data or sent.full(data["version"], now, changes_only)
    if whole:
        sent.version, sent.layout, sent.images, sent.full_at = data["version"], {}, {}, now
    sent.strip(data, whole)
    for frame in data.get("later") or []:
        sent.strip(frame, False)


def _reported(state: Any, name: str) -> Any:
    """The browser's last report ``name`` in the component's state (a mapping or an object)."""
    if isinstance(state, Mapping):
        return state.get(name)
    return getattr(state, name, None)


def _browser_values(state: Any) -> dict:
    stats = _reported(state, "stats")
    return {
        "stats": dict(stats) if isinstance(stats, Mapping) else None,
        "pointer": bool(_reported(state, "pointer")),
    }


def browser_state(key: str) -> dict:
    """The browser's last reports for the graph ``key`` (see :func:`live_plotly`'s return
    value), read from the session before drawing the next frame."""
    return _browser_values(st.session_state.get(key))


def _ignore() -> None:
    """Callback of the "stats" state: the caller reads the value from the return value."""
