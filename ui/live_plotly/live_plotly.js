// NeuroPlay live Plotly view: one Plotly.js graph that stays mounted and is patched per frame.
//
// Streamlit (components v2) calls the default export every time Python sends new data. The call
// must stay cheap and synchronous: it only records the newest frame and schedules one paint on the
// next animation frame. Frames that arrive while Plotly is still drawing replace each other, so the
// graph always jumps to the newest data and never queues stale frames.
//
// State lives in two places:
//   * parentElement.__npLivePlotly: the graph div, the trace/layout objects last drawn, the
//     structure version they belong to, counters.
//   * window.__npLivePlotly: page-wide things that must survive a remount: the Plotly.js loader,
//     the last figure received per component key (Python sends a figure only when its structure
//     version changes), the mounted state per key (a remount adopts the detached graph; if it is
//     gone, the new instance starts empty and redraws fully from the figure), and per-key
//     statistics for tests and benchmarks.

const LOADING_TEXT = "Loading the plotting library\u2026";
const FAILED_TEXT = "The plotting library could not be loaded.";
// Python always sends the colour scale (playground/palette.py holds the palette); this grey ramp
// only colours a frame that came without one.
const FALLBACK_COLORSCALE = [
  [0.0, "#000000"],
  [1.0, "#ffffff"],
];
// The modebar's PNG downloads (see downloadPng) are at PICTURE_SCALE (2x) the on-screen size:
// slide resolution. toImageButtonOptions is Plotly's setting for its own button (removed).
// showSendToCloud: Plotly's "Share chart" button needs a chart-studio server; without one the
// click only logs an error.
const DEFAULT_CONFIG = {
  displaylogo: false,
  responsive: true,
  showSendToCloud: false,
  toImageButtonOptions: { scale: 2 },
};
const FIGURE_REQUEST_INTERVAL_MS = 1000;
const LOAD_RETRY_MS = 10000;
const PURGE_DELAY_MS = 3000; // a remount adopts a detached graph within this time
const STOP_HOLD_MS = 3000; // after a stop click, frames of the stopped stream are drawn at once

function pageRegistry() {
  if (!window.__npLivePlotly) {
    window.__npLivePlotly = { figures: {}, stats: {}, mounts: {}, loader: null };
  }
  return window.__npLivePlotly;
}

// ---------------------------------------------------------------------------------------------
// Plotly.js loading: one <script> element per page, trying each source URL in turn.
// ---------------------------------------------------------------------------------------------

function loadPlotly(sources) {
  const registry = pageRegistry();
  if (window.Plotly) {
    return Promise.resolve(window.Plotly);
  }
  if (registry.loader) {
    return registry.loader;
  }
  const candidates = (sources || []).filter((s) => typeof s === "string" && s.length > 0);
  registry.loader = new Promise((resolve, reject) => {
    const tryNext = (i) => {
      if (window.Plotly) {
        resolve(window.Plotly);
        return;
      }
      if (i >= candidates.length) {
        reject(new Error("no Plotly.js source could be loaded"));
        return;
      }
      const script = document.createElement("script");
      script.src = candidates[i];
      script.async = true;
      script.dataset.npLivePlotly = "plotly.js";
      script.addEventListener("load", () => {
        if (window.Plotly) {
          resolve(window.Plotly);
        } else {
          tryNext(i + 1);
        }
      });
      script.addEventListener("error", () => {
        script.remove();
        tryNext(i + 1);
      });
      document.head.appendChild(script);
    };
    tryNext(0);
  });
  // A failed load is retried by a later frame, at most every LOAD_RETRY_MS.
  registry.loader.catch(() => {
    registry.loader = null;
    registry.loadFailedAt = Date.now();
  });
  return registry.loader;
}

// ---------------------------------------------------------------------------------------------
// Decoding of encoded arrays: {"dtype": "float32", "shape": [h, w], "b64": "..."}.
// ---------------------------------------------------------------------------------------------

const TYPED_ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
};

function isEncodedArray(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    typeof value.b64 === "string" &&
    typeof value.dtype === "string" &&
    Array.isArray(value.shape)
  );
}

function base64ToBytes(b64) {
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

// Splits a flat typed array into nested arrays of rows (the last axis stays a typed array).
function reshape(flat, shape, offset, axis) {
  if (axis === shape.length - 1) {
    return flat.subarray(offset, offset + shape[axis]);
  }
  let stride = 1;
  for (let a = axis + 1; a < shape.length; a++) {
    stride *= shape[a];
  }
  const out = new Array(shape[axis]);
  for (let i = 0; i < shape[axis]; i++) {
    out[i] = reshape(flat, shape, offset + i * stride, axis + 1);
  }
  return out;
}

function decodeArray(encoded) {
  const Ctor = TYPED_ARRAYS[encoded.dtype];
  if (!Ctor) {
    throw new Error("unsupported dtype " + encoded.dtype);
  }
  const bytes = base64ToBytes(encoded.b64);
  const flat = new Ctor(bytes.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
  const shape = encoded.shape;
  if (shape.length <= 1) {
    return flat;
  }
  if (shape.length === 2) {
    // Heat map z: an array of rows. Plain arrays keep every Plotly code path (hover, calc) happy.
    const [rows, cols] = shape;
    const out = new Array(rows);
    for (let r = 0; r < rows; r++) {
      out[r] = Array.from(flat.subarray(r * cols, (r + 1) * cols));
    }
    return out;
  }
  return reshape(flat, shape, 0, 0);
}

// Replaces every encoded array nested anywhere in a JSON value by its decoded form.
function decodeDeep(value) {
  if (isEncodedArray(value)) {
    return decodeArray(value);
  }
  if (Array.isArray(value)) {
    return value.map(decodeDeep);
  }
  if (value !== null && typeof value === "object") {
    const out = {};
    for (const k of Object.keys(value)) {
      out[k] = decodeDeep(value[k]);
    }
    return out;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Copy-on-write updates along Plotly attribute paths such as "annotations[0].text".
// Objects on the path are copied so Plotly.react sees new references and diffs correctly.
// ---------------------------------------------------------------------------------------------

function parsePath(path) {
  const parts = [];
  for (const piece of String(path).split(".")) {
    for (const m of piece.matchAll(/([^[\]]+)|\[(\d+)\]/g)) {
      parts.push(m[1] !== undefined ? m[1] : Number(m[2]));
    }
  }
  return parts;
}

// ``fresh`` holds the objects already copied during this frame: later paths of the same frame
// write into those copies instead of copying again (e.g. 100 "shapes[k].line.color" patches).
function setIn(target, parts, i, value, fresh) {
  const key = parts[i];
  let copy;
  if (target !== null && typeof target === "object" && fresh.has(target)) {
    copy = target;
  } else {
    if (Array.isArray(target)) {
      copy = target.slice();
    } else if (target !== null && typeof target === "object") {
      copy = { ...target };
    } else {
      copy = typeof key === "number" ? [] : {};
    }
    fresh.add(copy);
  }
  copy[key] = i === parts.length - 1 ? value : setIn(copy[key], parts, i + 1, value, fresh);
  return copy;
}

function setPath(target, path, value, fresh) {
  const parts = parsePath(path);
  if (parts.length === 0) {
    return target;
  }
  return setIn(target, parts, 0, value, fresh);
}

// ---------------------------------------------------------------------------------------------
// Small maps drawn client-side: uint8 (h, w) -> colour lookup table -> canvas -> PNG data URL.
// Row 0 of the values is the TOP row of the picture.
// ---------------------------------------------------------------------------------------------

function parseColor(color) {
  const s = String(color).trim();
  let m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) {
    const n = parseInt(m[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) {
    return [0, 1, 2].map((k) => parseInt(m[1][k] + m[1][k], 16));
  }
  m = /^rgba?\(([^)]+)\)$/i.exec(s);
  if (m) {
    return m[1]
      .split(",")
      .slice(0, 3)
      .map((v) => Math.max(0, Math.min(255, Math.round(parseFloat(v)))));
  }
  return [0, 0, 0];
}

function buildLut(colorscale) {
  const stops = (
    Array.isArray(colorscale) && colorscale.length >= 2 ? colorscale : FALLBACK_COLORSCALE
  )
    .map(([pos, color]) => [Number(pos), parseColor(color)])
    .sort((a, b) => a[0] - b[0]);
  const lut = new Uint8ClampedArray(256 * 4);
  let s = 0;
  for (let v = 0; v < 256; v++) {
    const t = v / 255;
    while (s < stops.length - 2 && t > stops[s + 1][0]) {
      s++;
    }
    const [p0, c0] = stops[s];
    const [p1, c1] = stops[s + 1];
    const f = p1 > p0 ? Math.max(0, Math.min(1, (t - p0) / (p1 - p0))) : 0;
    for (let k = 0; k < 3; k++) {
      lut[v * 4 + k] = Math.round(c0[k] + (c1[k] - c0[k]) * f);
    }
    lut[v * 4 + 3] = 255;
  }
  return lut;
}

// Pictures are drawn into <canvas> elements, never as new data URLs of Plotly's <image>
// elements: Blink keeps every image URL a document ever loaded (measured: 27 pictures changed
// every 40 ms grew the renderer by ~160 MB a minute, kept after a forced GC; blob: URLs and
// new elements the same; a canvas updated with putImageData does not grow). See syncCanvases.
// Unchanged maps (e.g. the input features' pictures) are not coloured again: the pixels of the
// last values per image index are reused.
function cachedPixels(state, index, encoded) {
  const cache = state.imageCache;
  const rgb = encoded.shape.length === 3;
  const lutKey = rgb ? "rgb" : state.lutKey;
  const hit = cache.get(index);
  if (hit && hit.b64 === encoded.b64 && hit.lutKey === lutKey) {
    return hit.pixels;
  }
  const pixels = { image: colourImage(state, encoded), serial: ++state.pixelSerial };
  cache.set(index, { b64: encoded.b64, lutKey, pixels });
  return pixels;
}

// values (h, w) uint8 through the colour scale, or (h, w, 3) uint8 RGB as they are.
function colourImage(state, encoded) {
  const [h, w, channels] = encoded.shape;
  const rgb = encoded.shape.length === 3;
  if (!(encoded.shape.length === 2 || (rgb && channels === 3)) || encoded.dtype !== "uint8") {
    throw new Error("image values must be uint8 (h, w) or (h, w, 3), not " + encoded.shape);
  }
  const values = base64ToBytes(encoded.b64);
  if (values.length !== h * w * (rgb ? 3 : 1)) {
    throw new Error("image values do not match shape " + encoded.shape);
  }
  const image = new ImageData(w, h);
  const px = image.data;
  if (rgb) {
    for (let i = 0, j = 0; j < px.length; i += 3, j += 4) {
      px[j] = values[i];
      px[j + 1] = values[i + 1];
      px[j + 2] = values[i + 2];
      px[j + 3] = 255;
    }
    return image;
  }
  const lut = state.lut;
  for (let i = 0; i < values.length; i++) {
    const o = values[i] * 4;
    const j = i * 4;
    px[j] = lut[o];
    px[j + 1] = lut[o + 1];
    px[j + 2] = lut[o + 2];
    px[j + 3] = 255;
  }
  return image;
}

// What Plotly's <image> of a canvas-drawn picture shows: one transparent pixel, the same URL
// for every picture and every frame (a layout image needs a source to be drawn at all).
const BLANK_SOURCE =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const XHTML = "http://www.w3.org/1999/xhtml";
const SVG_NS = "http://www.w3.org/2000/svg";
// The <image> attributes the canvas's <foreignObject> copies: where Plotly placed the picture.
const CANVAS_BOX_ATTRIBUTES = ["x", "y", "width", "height", "clip-path", "opacity", "transform"];

// The pixels layout image ``slot`` shows (the hover zoom's slot: those of the hovered picture).
function pixelsOfSlot(state, slot) {
  if (slot === state.zoomSlot && state.zoomSlot !== null) {
    return state.zoomIndex === null ? null : state.pixels.get(state.zoomIndex) || null;
  }
  return state.pixels.get(slot) || null;
}

// Puts a <foreignObject><canvas> right after each canvas-drawn picture's <image> (same layer,
// same place in the drawing order), with the <image>'s box, clip path and opacity, and paints
// the newest pixels into it. Cheap (a few attribute reads per picture), so it runs after every
// paint and every Plotly redraw (resize, relayout, zoom): the canvas follows the <image>.
function syncCanvases(state) {
  const gd = state.graph;
  const full = gd._fullLayout;
  if (!full || !Array.isArray(full.images) || state.disposed) {
    return;
  }
  const keep = new Set();
  for (const el of gd.querySelectorAll("image")) {
    // The layout image this <image> draws: its d3 datum's _index. Plotly redraws its <image>s
    // only when the images changed: after a Plotly.react that changed only shapes, say, the
    // datum is the previous _fullLayout's entry, so the current one is read by index.
    const index = el.__data__?._index;
    const entry = Number.isInteger(index) ? full.images[index] : undefined;
    if (!entry) {
      continue;
    }
    const pixels = entry.source === BLANK_SOURCE ? pixelsOfSlot(state, index) : null;
    if (!pixels) {
      continue;
    }
    let box = state.canvasBoxes.get(index);
    if (!box) {
      const fo = document.createElementNS(SVG_NS, "foreignObject");
      fo.setAttribute("class", "np-live-plotly-picture");
      fo.dataset.index = String(index);
      const canvas = document.createElementNS(XHTML, "canvas");
      fo.appendChild(canvas);
      box = { fo, canvas, serial: null };
      state.canvasBoxes.set(index, box);
    }
    keep.add(index);
    if (el.nextSibling !== box.fo) {
      el.after(box.fo);
    }
    for (const name of CANVAS_BOX_ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (value === null) {
        box.fo.removeAttribute(name);
      } else if (box.fo.getAttribute(name) !== value) {
        box.fo.setAttribute(name, value);
      }
    }
    if (box.serial !== pixels.serial) {
      const { image } = pixels;
      if (box.canvas.width !== image.width || box.canvas.height !== image.height) {
        box.canvas.width = image.width;
        box.canvas.height = image.height;
      }
      box.canvas.getContext("2d").putImageData(image, 0, 0);
      box.serial = pixels.serial;
    }
  }
  for (const [index, box] of state.canvasBoxes) {
    if (!keep.has(index)) {
      box.fo.remove();
      state.canvasBoxes.delete(index);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pictures (PNG) for a slide: the whole view (the caption line above the graph, and the graph)
// and each figure of ``pictures`` (a part of the graph), at PICTURE_SCALE x their on-screen
// CSS size, as the user sees them. Plotly's own button renders the figure again from its
// layout, where every canvas-drawn picture is BLANK_SOURCE: the file would show empty squares.
// Here Plotly.toImage renders a copy of the figure in which each picture shown in a canvas
// carries that canvas's pixels as a data URL (one URL per picture and click, set only in
// Plotly's hidden export graph, never on the live graph, whose <image> elements keep
// BLANK_SOURCE); that rendering is drawn into a canvas on the page's background, with the
// caption line's text (the whole view) or cropped to the figure's box (one figure).
// File names: ``pictures.name`` + "-epoch-<the caption's data-epoch>" (+ "-<figure id>").
// ---------------------------------------------------------------------------------------------

const PNG_TITLE = "Download plot as a PNG"; // Plotly's words (tests find the button by them)
const PICTURE_SCALE = 2;
const PICTURE_PAD = 4; // CSS px of room around a figure's parts
const DEFAULT_PICTURE_NAME = "plot-image"; // Plotly's name, for a graph without ``pictures``
// 16 x 16 modebar icons of the figures (the whole view keeps Plotly's camera).
const FIGURE_ICONS = {
  map: "M1 1h14v14H1zM3 3v10h10V3zM8 5a3 3 0 1 0 0.01 0z",
  network: "M1 2h4v4H1zM1 10h4v4H1zM11 6h4v4h-4zM5 3.5l6 3.5v1.2L5 4.7zM5 11.3l6-3.1v1.2l-6 3.1z",
  chart: "M1 1h1.5v12.5H15V15H1zM4 3l4 6 3 1.6 4 0.9v1.5l-4.5-1-3.6-2L3 4z",
};

function withPngButton(config, pictures) {
  const figures = Array.isArray(pictures?.figures) ? pictures.figures : [];
  return {
    ...config,
    modeBarButtonsToRemove: [...(config.modeBarButtonsToRemove || []), "toImage"],
    // Rebuilt with each figure (a new structure redraws the graph from scratch anyway); the
    // same config object is kept between frames, so Plotly.react never sees it change.
    modeBarButtonsToAdd: [
      ...(config.modeBarButtonsToAdd || []),
      {
        name: "npDownloadPng",
        title: pngButtonTitle,
        icon: window.Plotly.Icons.camera,
        click: downloadPng,
      },
      ...figures.map((figure) => ({
        name: "npDownloadPng-" + figure.id,
        title: String(figure.title),
        icon: { width: 16, height: 16, path: FIGURE_ICONS[figure.icon] || FIGURE_ICONS.chart },
        click: (gd) => downloadFigurePng(gd, figure),
      })),
    ],
  };
}

function pngButtonTitle(gd) {
  const format = gd._context.toImageButtonOptions?.format || "png";
  return format === "png" ? PNG_TITLE : "Download plot";
}

// Plain objects and arrays copied, anything else (typed arrays) shared, as Plotly copies a
// graph's figure for toImage: Plotly writes into the layout it draws (autoranges, ...).
function copyFigurePart(value) {
  if (Array.isArray(value)) {
    return value.map(copyFigurePart);
  }
  if (
    value !== null &&
    typeof value === "object" &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const out = {};
    for (const k of Object.keys(value)) {
      out[k] = copyFigurePart(value[k]);
    }
    return out;
  }
  return value;
}

// The figure as drawn (the user's zoom included), with the canvases' pixels in its pictures.
function figureAsShown(gd) {
  const layout = copyFigurePart(gd.layout || {});
  const images = Array.isArray(layout.images) ? layout.images : [];
  for (const fo of gd.querySelectorAll(".np-live-plotly-picture")) {
    const image = images[Number(fo.dataset.index)];
    const canvas = fo.firstChild;
    if (image && image.source === BLANK_SOURCE && canvas) {
      image.source = canvas.toDataURL();
    }
  }
  return { data: copyFigurePart(gd.data || []), layout, config: gd._context };
}

// The graph rendered by Plotly at PICTURE_SCALE x its on-screen size (a figure passed
// instead of a graph: Plotly does not read the graph's size, it is passed here), as an image.
async function graphPixels(gd) {
  const full = gd._fullLayout;
  const url = await window.Plotly.toImage(figureAsShown(gd), {
    format: "png",
    width: full.width,
    height: full.height,
    scale: PICTURE_SCALE,
  });
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("the rendered graph could not be read"));
    image.src = url;
  });
}

// The colour behind an element: the first ancestor's opaque background (the graph's own
// background is transparent: the page shows through it), else white.
function backgroundBehind(element) {
  for (let el = element; el; el = el.parentElement) {
    const color = getComputedStyle(el).backgroundColor;
    if (color && color !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(color)) {
      return color;
    }
  }
  return "#ffffff";
}

// A canvas of ``width`` x ``height`` CSS px at PICTURE_SCALE, filled with ``background``.
function pictureCanvas(width, height, background) {
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * PICTURE_SCALE);
  canvas.height = Math.round(height * PICTURE_SCALE);
  const context = canvas.getContext("2d");
  context.fillStyle = background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  return { canvas, context };
}

// The caption line's text where it is on the page (relative to ``left``, ``top``), in its
// font and colour, cut at the line's box as on screen (overflow: hidden).
function drawCaption(context, caption, left, top) {
  const style = getComputedStyle(caption);
  const box = caption.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(caption);
  const text = range.getBoundingClientRect();
  context.save();
  context.scale(PICTURE_SCALE, PICTURE_SCALE);
  context.beginPath();
  context.rect(box.left - left, box.top - top, box.width, box.height);
  context.clip();
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  context.fillStyle = style.color;
  context.textBaseline = "middle";
  context.fillText(caption.textContent, text.left - left, (text.top + text.bottom) / 2 - top);
  context.restore();
}

function pictureName(state, suffix) {
  const name = state?.pictures?.name ? String(state.pictures.name) : DEFAULT_PICTURE_NAME;
  const epoch = state?.caption?.isConnected ? state.caption.dataset.epoch : undefined;
  const parts = [name];
  if (epoch !== undefined && epoch !== "") {
    parts.push("epoch", epoch);
  }
  if (suffix) {
    parts.push(suffix);
  }
  return parts.join("-").replace(/[^A-Za-z0-9._-]+/g, "_") + ".png";
}

function saveCanvas(canvas, fileName) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(new Error("the picture could not be encoded"));
        return;
      }
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = fileName;
      link.style.display = "none";
      document.body.appendChild(link);
      link.click();
      link.remove();
      // The download has its own copy by then; a minute is ample on a loaded machine.
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      resolve();
    }, "image/png");
  });
}

// Runs ``work`` with the graph div's data-downloading set ("png"; a second click meanwhile
// does nothing); a failure is logged.
async function downloading(gd, work) {
  if (!window.Plotly || !gd._fullLayout || gd.dataset.downloading) {
    return;
  }
  gd.dataset.downloading = "png";
  try {
    await work();
  } catch (err) {
    console.warn("live_plotly: the picture could not be downloaded", err);
  } finally {
    delete gd.dataset.downloading;
  }
}

// The whole view: the caption line (when there is one) and the graph below it.
function downloadPng(gd) {
  const state = gd.__npLivePlotly;
  return downloading(gd, async () => {
    const graph = gd.getBoundingClientRect();
    const caption = state?.caption?.isConnected && state.caption.textContent ? state.caption : null;
    const line = caption ? caption.getBoundingClientRect() : graph;
    const left = Math.min(graph.left, line.left);
    const top = Math.min(graph.top, line.top);
    const width = Math.max(graph.right, line.right) - left;
    const height = Math.max(graph.bottom, line.bottom) - top;
    const image = await graphPixels(gd);
    const { canvas, context } = pictureCanvas(width, height, backgroundBehind(gd));
    context.drawImage(
      image,
      (graph.left - left) * PICTURE_SCALE,
      (graph.top - top) * PICTURE_SCALE,
      graph.width * PICTURE_SCALE,
      graph.height * PICTURE_SCALE,
    );
    if (caption) {
      drawCaption(context, caption, left, top);
    }
    await saveCanvas(canvas, pictureName(state, ""));
  });
}

// A figure's box in the graph (CSS px from its top left corner, whole pixels): its plot area
// (``axes``: [x axis, y axis] ids) and, as drawn, its axes' tick labels and titles, its
// ``annotations`` (layout indices), and the colour bar and the legend when it has them;
// PICTURE_PAD around, inside the graph. Null when its axes are not drawn.
function figureBox(gd, figure) {
  const full = gd._fullLayout;
  const [x, y] = Array.isArray(figure.axes) ? figure.axes : [];
  const xa = full[String(x).replace(/^x/, "xaxis")];
  const ya = full[String(y).replace(/^y/, "yaxis")];
  if (!xa || !ya) {
    return null;
  }
  const origin = gd.getBoundingClientRect();
  const box = {
    left: xa._offset,
    top: ya._offset,
    right: xa._offset + xa._length,
    bottom: ya._offset + ya._length,
  };
  const selectors = [
    `.subplot.${x}${y} .xaxislayer-above`,
    `.subplot.${x}${y} .yaxislayer-above`,
    `.g-${x}title`,
    `.g-${y}title`,
    ...(figure.annotations || []).map((k) => `.annotation[data-index="${Number(k)}"]`),
    ...(figure.colorbar ? [".colorbar"] : []),
    ...(figure.legend ? [".legend"] : []),
  ];
  for (const element of gd.querySelectorAll(selectors.join(","))) {
    const r = element.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) {
      box.left = Math.min(box.left, r.left - origin.left);
      box.top = Math.min(box.top, r.top - origin.top);
      box.right = Math.max(box.right, r.right - origin.left);
      box.bottom = Math.max(box.bottom, r.bottom - origin.top);
    }
  }
  const left = Math.max(0, Math.floor(box.left - PICTURE_PAD));
  const top = Math.max(0, Math.floor(box.top - PICTURE_PAD));
  const right = Math.min(Math.floor(full.width), Math.ceil(box.right + PICTURE_PAD));
  const bottom = Math.min(Math.floor(full.height), Math.ceil(box.bottom + PICTURE_PAD));
  return { left, top, width: right - left, height: bottom - top };
}

// One figure of ``pictures``: the graph's rendering cut to the figure's box. The box is on the
// graph div as data-picture-box while it downloads (tests compare the file with the screen).
function downloadFigurePng(gd, figure) {
  const state = gd.__npLivePlotly;
  return downloading(gd, async () => {
    const box = figureBox(gd, figure);
    if (!box || box.width <= 0 || box.height <= 0) {
      return;
    }
    gd.dataset.pictureBox = JSON.stringify({ id: figure.id, ...box });
    const image = await graphPixels(gd);
    const sx = image.width / gd._fullLayout.width;
    const sy = image.height / gd._fullLayout.height;
    const { canvas, context } = pictureCanvas(box.width, box.height, backgroundBehind(gd));
    context.drawImage(
      image,
      box.left * sx,
      box.top * sy,
      box.width * sx,
      box.height * sy,
      0,
      0,
      canvas.width,
      canvas.height,
    );
    await saveCanvas(canvas, pictureName(state, String(figure.id)));
  });
}

// ---------------------------------------------------------------------------------------------
// Per-mount state and DOM.
// ---------------------------------------------------------------------------------------------

// A full Streamlit rerun may unmount the component and mount a new one a few milliseconds later.
// The new mount adopts the previous graph div (same key, already detached) instead of creating
// and redrawing a new one: no flash, and zoom and hover state survive.
function adoptOrCreateState(parentElement, key) {
  const mounts = pageRegistry().mounts;
  const previous = key === null ? null : mounts[key];
  if (previous && !previous.disposed && !previous.root.isConnected) {
    if (previous.caption) {
      parentElement.appendChild(previous.caption);
    }
    parentElement.appendChild(previous.root);
    parentElement.__npLivePlotly = previous;
    previous.remounts += 1;
    const gd = previous.graph;
    if (window.Plotly && gd._fullLayout && gd._fullLayout.width !== gd.clientWidth) {
      try {
        window.Plotly.Plots.resize(gd);
      } catch (err) {
        console.warn("live_plotly: resize after remount failed", err);
      }
    }
    return previous;
  }
  const state = createState(parentElement);
  if (key !== null) {
    mounts[key] = state;
  }
  return state;
}

function createState(parentElement) {
  const root = document.createElement("div");
  root.className = "np-live-plotly";
  const message = document.createElement("div");
  message.className = "np-live-plotly-message";
  message.textContent = LOADING_TEXT;
  const graph = document.createElement("div");
  graph.className = "np-live-plotly-graph";
  graph.dataset.paintedFrames = "0";
  root.appendChild(message);
  root.appendChild(graph);
  parentElement.appendChild(root);
  const state = {
    root,
    message,
    graph,
    key: null,
    drawnVersion: null,
    traces: null,
    layout: null,
    config: DEFAULT_CONFIG,
    pending: null,
    later: [], // frames of the last call still to be drawn (see queueLater)
    laterTimer: null,
    busy: false,
    scheduled: false,
    painted: 0,
    received: 0,
    dropped: 0,
    reactMsTotal: 0,
    prepareMsTotal: 0,
    lut: buildLut(null),
    lutKey: "null",
    imageCache: new Map(), // image index -> {b64, lutKey, pixels} (see cachedPixels)
    pixels: new Map(), // image index -> {image: ImageData, serial}: the canvas-drawn pictures
    pixelSerial: 0,
    canvasBoxes: new Map(), // layout image slot -> {fo, canvas, serial} (see syncCanvases)
    afterplotBoundTo: null,
    drawnLayout: null,
    fastFrames: 0,
    shownLayout: null, // the layout a fast-path paint left drawn (deferred paths kept old)
    deferredPaths: [], // layout paths whose change waits for the next Plotly.react
    lastReactEnd: 0,
    lastReactMs: 0,
    // Hover zoom: the option of the newest frame, the image index shown large (or null), the
    // layout.images slot of the enlarged picture, and whether the graph's events are bound.
    hoverZoom: null,
    zoomIndex: null,
    zoomSlot: null,
    zoomDirty: false,
    zoomBoundTo: null,
    unhoverTimer: null,
    // Click to edit (see openEditor): the editable traces' options, the open box, the bound graph.
    editable: null,
    editor: null,
    editBoundTo: null,
    // Click for data coordinates (see bindClickArea): the option, the bound graph, the press.
    clickAreas: [],
    clickBoundTo: null,
    clickPress: null,
    clicks: 0,
    schemeWatched: false,
    frameId: null,
    caption: null, // the caption line's element, created with the first caption
    pictures: null, // the ``pictures`` option: PNG file name and figures (see downloadFigurePng)
    captionHeight: null, // px: its height at scale 1 (Python's CAPTION_HEIGHT, in every payload)
    statsEvery: 0,
    lastReportAt: null,
    pointerInside: false,
    pointerSent: false,
    setStateValue: null,
    setTriggerValue: null,
    lastFigureRequest: { version: null, at: 0 },
    disposed: false,
    remounts: 0,
    fit: null, // see fitToWindow
    // Playing stream (``stream``) and stop click (``stop_on_click``): see stopOnClick.
    stream: null,
    stopSelector: null,
    stoppedStream: null,
    stoppedAt: 0,
    onStopClick: null,
  };
  const onResize = () => fitToWindow(state);
  window.addEventListener("resize", onResize);
  // What is above the graph can change height after it mounts (widgets whose code loads later,
  // a message that appears): follow the page's main block too.
  const page = parentElement.closest?.('[data-testid="stMainBlockContainer"]');
  const observer = typeof ResizeObserver === "function" ? new ResizeObserver(onResize) : null;
  if (observer) {
    observer.observe(page || document.body);
  }
  state.cleanup = () => {
    // Streamlit also calls cleanups of superseded calls while the element is still mounted, and a
    // remount may adopt this graph: only a graph that stayed out of the page is purged.
    setTimeout(() => {
      if (!root.isConnected && !state.disposed) {
        state.disposed = true;
        window.removeEventListener("resize", onResize);
        if (observer) {
          observer.disconnect();
        }
        if (state.onStopClick) {
          document.removeEventListener("click", state.onStopClick, true);
        }
        const mounts = pageRegistry().mounts;
        if (state.key !== null && mounts[state.key] === state) {
          delete mounts[state.key];
        }
        if (window.Plotly) {
          try {
            window.Plotly.purge(graph);
          } catch (err) {
            console.warn("live_plotly: purge failed", err);
          }
        }
      }
    }, PURGE_DELAY_MS);
  };
  parentElement.__npLivePlotly = state;
  graph.__npLivePlotly = state; // the modebar's picture buttons get the graph only
  return state;
}

// ``fit_height``: {"min": px, "max": px, "bottom": px, "max_ratio": height / width}. The graph
// fills the window from where it starts down to ``bottom`` px above the window's lower edge,
// within min..max and at most max_ratio times its width: the whole
// view fits on one screen, whatever the screen (a projector's 720 rows or a 1080p monitor).
function validFit(fit) {
  if (!fit || typeof fit !== "object") {
    return null;
  }
  const min = Number(fit.min);
  const max = Number(fit.max);
  if (!(min > 0 && max >= min)) {
    return null;
  }
  const ratio = Number(fit.max_ratio) > 0 ? Number(fit.max_ratio) : Infinity;
  return { min, max, bottom: Math.max(0, Number(fit.bottom) || 0), ratio };
}

// Where an element starts on the page, however far the page is scrolled: Streamlit scrolls a
// container, not the window, so a rerun while scrolled down (opening an expander under the
// view) would otherwise see the graph high up and make it taller.
function pageTop(element) {
  let top = element.getBoundingClientRect().top + window.scrollY;
  for (let node = element.parentElement; node; node = node.parentElement) {
    top += node.scrollTop;
  }
  return top;
}

function fitToWindow(state) {
  const fit = state.fit;
  if (!fit || !state.root.isConnected) {
    return;
  }
  const top = pageTop(state.root);
  const room = window.innerHeight - top - fit.bottom;
  // A tall narrow window (a tablet held upright) would make a tall, mostly empty figure.
  const high = Math.min(fit.max, state.root.clientWidth * fit.ratio);
  const height = Math.round(Math.max(fit.min, Math.min(high, room))) + "px";
  if (state.root.style.height === height) {
    return;
  }
  state.root.style.height = height;
  const gd = state.graph;
  if (window.Plotly && gd._fullLayout) {
    try {
      window.Plotly.Plots.resize(gd);
    } catch (err) {
      console.warn("live_plotly: resize failed", err);
    }
  }
}

function showMessage(state, text) {
  state.message.textContent = text;
  state.message.style.display = text ? "" : "none";
}

// caption: {"text": "...", "data": {name: value}} (see live_plotly's ``caption``).
function showCaption(state, caption) {
  if (!caption || typeof caption !== "object") {
    return;
  }
  if (!state.caption?.isConnected) {
    state.caption = document.createElement("div");
    state.caption.className = "np-live-plotly-caption";
    state.root.parentElement.insertBefore(state.caption, state.root);
  }
  const el = state.caption;
  const height = state.captionHeight + "px"; // live_plotly.css sizes the line with it
  if (el.style.getPropertyValue("--np-caption-height") !== height) {
    el.style.setProperty("--np-caption-height", height);
  }
  const text = String(caption.text ?? "");
  if (el.textContent !== text) {
    el.textContent = text;
  }
  for (const [name, value] of Object.entries(caption.data || {})) {
    if (/^[a-z][a-zA-Z0-9]*$/.test(name) && el.dataset[name] !== String(value)) {
      el.dataset[name] = String(value);
    }
  }
}

function publishStats(state) {
  const g = state.graph;
  g.dataset.paintedFrames = String(state.painted);
  g.dataset.receivedFrames = String(state.received);
  g.dataset.droppedFrames = String(state.dropped);
  g.dataset.structureVersion = state.drawnVersion === null ? "" : String(state.drawnVersion);
  g.dataset.frameId = state.frameId === null ? "" : String(state.frameId);
  g.dataset.hoverZoom = state.zoomIndex === null ? "" : String(state.zoomIndex);
  if (state.key !== null) {
    pageRegistry().stats[state.key] = {
      painted: state.painted,
      received: state.received,
      dropped: state.dropped,
      remounts: state.remounts,
      fast: state.fastFrames,
      version: state.drawnVersion,
      // Mean ms per painted frame: decoding + image colouring, and Plotly.react itself.
      prepareMsMean: state.painted ? state.prepareMsTotal / state.painted : 0,
      reactMsMean: state.painted ? state.reactMsTotal / state.painted : 0,
    };
  }
}

function schedule(state) {
  if (state.scheduled || state.busy || state.disposed) {
    return;
  }
  state.scheduled = true;
  const run = () => {
    state.scheduled = false;
    try {
      paint(state);
    } catch (err) {
      // A malformed frame (bad path, wrong image shape...) is dropped; the next one is drawn.
      state.busy = false;
      console.warn("live_plotly: frame dropped", err);
    }
  };
  // Animation frames do not fire in hidden tabs; a timeout keeps the state current there.
  if (document.visibilityState === "hidden") {
    setTimeout(run, 0);
  } else {
    requestAnimationFrame(run);
  }
}

// Hands ``value`` to Python as the component's ``name`` state or trigger, after the current call
// has returned (Streamlit's setters must not run inside the component's own call); a failure
// is logged, never thrown into the frame loop.
function sendLater(setter, name, value, what) {
  if (typeof setter !== "function") {
    return;
  }
  setTimeout(() => {
    try {
      setter(name, value);
    } catch (err) {
      console.warn("live_plotly: could not " + what, err);
    }
  }, 0);
}

function requestFigure(state, version) {
  const now = Date.now();
  const last = state.lastFigureRequest;
  if (last.version === version && now - last.at < FIGURE_REQUEST_INTERVAL_MS) {
    return;
  }
  state.lastFigureRequest = { version, at: now };
  sendLater(state.setTriggerValue, "need_figure", String(version), "request the figure");
}

function applyFigure(state, wireFigure, version) {
  const figure = decodeDeep(wireFigure || {});
  const traces = Array.isArray(figure.data) ? figure.data : [];
  const layout = { ...(figure.layout || {}) };
  if (layout.uirevision === undefined) {
    // Keeps the user's zoom and hover state while frames stream in; a new structure resets it.
    layout.uirevision = String(version);
  }
  state.traces = traces;
  state.layout = layout;
  state.config = withPngButton({ ...DEFAULT_CONFIG, ...(figure.config || {}) }, state.pictures);
  // The enlarged picture of the hover zoom goes after the figure's own images.
  state.zoomSlot = Array.isArray(layout.images) ? layout.images.length : 0;
  state.zoomIndex = null;
  state.zoomDirty = true;
  state.pixels = new Map(); // image indices may mean other pictures in the new structure
  closeEditor(state); // a new structure: the clicked point may not exist any more
}

function applyUpdates(state, updates) {
  if (!updates || typeof updates !== "object") {
    return;
  }
  const fresh = new WeakSet();
  if (Array.isArray(updates.traces)) {
    let traces = state.traces;
    for (const patch of updates.traces) {
      const index = patch?.index;
      if (!Number.isInteger(index) || index < 0 || index >= traces.length) {
        continue;
      }
      let trace = traces[index];
      for (const [path, value] of Object.entries(patch.set || {})) {
        trace = setPath(trace, path, decodeDeep(value), fresh);
      }
      if (traces === state.traces) {
        traces = traces.slice();
      }
      traces[index] = trace;
    }
    state.traces = traces;
  }
  if (updates.layout && typeof updates.layout === "object") {
    let layout = state.layout;
    for (const [path, value] of Object.entries(updates.layout)) {
      layout = setPath(layout, path, decodeDeep(value), fresh);
    }
    state.layout = layout;
  }
}

function applyImages(state, images, colorscale) {
  if (!Array.isArray(images) || images.length === 0) {
    return;
  }
  const lutKey = JSON.stringify(colorscale ?? null);
  if (lutKey !== state.lutKey) {
    state.lut = buildLut(colorscale);
    state.lutKey = lutKey;
  }
  const current = Array.isArray(state.layout.images) ? state.layout.images : [];
  const next = current.slice();
  for (const item of images) {
    const index = item?.index;
    if (!Number.isInteger(index) || index < 0 || !isEncodedArray(item.values)) {
      continue;
    }
    state.pixels.set(index, cachedPixels(state, index, item.values));
    if (!next[index] || next[index].source !== BLANK_SOURCE) {
      next[index] = { ...(next[index] || {}), source: BLANK_SOURCE };
    }
  }
  for (let i = 0; i < next.length; i++) {
    if (next[i] === undefined) {
      next[i] = {};
    }
  }
  state.layout = { ...state.layout, images: next };
}

// ---------------------------------------------------------------------------------------------
// Frames that arrive before the previous one was drawn are merged: for every trace attribute,
// layout path and image index the newer value wins; what only the older frame set is kept. So a
// property sent only now and then (e.g. hover data) is never lost to a superseded frame.
// ---------------------------------------------------------------------------------------------

function mergeEntries(older, newer) {
  const merged = {};
  for (const [path, value] of Object.entries(older || {})) {
    if (!Object.hasOwn(newer || {}, path)) {
      merged[path] = value;
    }
  }
  return Object.assign(merged, newer || {});
}

function mergeFrames(older, newer) {
  if (older.version !== newer.version) {
    return newer; // patches of another structure do not apply
  }
  const a = older.updates || {};
  const b = newer.updates || {};
  const traces = new Map();
  for (const patch of [...(a.traces || []), ...(b.traces || [])]) {
    if (patch && Number.isInteger(patch.index)) {
      const previous = traces.get(patch.index);
      traces.set(patch.index, {
        index: patch.index,
        set: previous ? mergeEntries(previous.set, patch.set) : patch.set,
      });
    }
  }
  const images = new Map();
  for (const item of [...(older.images || []), ...(newer.images || [])]) {
    if (item && Number.isInteger(item.index)) {
      images.set(item.index, item);
    }
  }
  return {
    ...newer,
    updates: { traces: [...traces.values()], layout: mergeEntries(a.layout, b.layout) },
    images: [...images.values()],
    colorscale: newer.colorscale ?? older.colorscale,
    caption: newer.caption ?? older.caption,
  };
}

// ---------------------------------------------------------------------------------------------
// Hover zoom: hovering a point of one trace whose customdata is an image index k shows
// layout.images[k] large in a target rectangle (an extra layout image after the figure's own),
// following the newest source of that image on every frame; leaving the point hides it.
// option: {"trace": i, "count": n (indices 0..n-1 are enlarged), "image": {layout image keys}}
// ---------------------------------------------------------------------------------------------

const UNHOVER_DELAY_MS = 80; // a redraw may unhover and rehover the same point at once

function validHoverZoom(option) {
  if (!option || typeof option !== "object" || !Number.isInteger(option.trace)) {
    return null;
  }
  return {
    trace: option.trace,
    count: Number.isInteger(option.count) ? option.count : Infinity,
    image: option.image && typeof option.image === "object" ? option.image : {},
  };
}

function setZoom(state, index) {
  if (state.unhoverTimer !== null) {
    clearTimeout(state.unhoverTimer);
    state.unhoverTimer = null;
  }
  if (state.zoomIndex === index) {
    return;
  }
  state.zoomIndex = index;
  state.zoomDirty = true;
  publishStats(state);
  schedule(state);
}

// The "pointer" state: true while the mouse is over the graph, so the app can send hover data
// only while someone may hover. Reported (each report is a rerun) only while statistics are
// reported too, i.e. while the app streams frames: a rerun while a page is still mounting its
// widgets could send incomplete widget values.
function reportPointer(state, inside) {
  if (inside !== undefined) {
    state.pointerInside = inside;
  }
  const setState = state.setStateValue;
  if (!(Number(state.statsEvery) > 0) || typeof setState !== "function") {
    return;
  }
  if (state.pointerSent === state.pointerInside) {
    return;
  }
  state.pointerSent = state.pointerInside;
  sendLater(setState, "pointer", state.pointerInside, "report the pointer");
}

function bindHoverZoom(state) {
  const gd = state.graph;
  if (state.zoomBoundTo === gd || typeof gd.on !== "function") {
    return;
  }
  state.zoomBoundTo = gd;
  gd.addEventListener("mouseenter", () => reportPointer(state, true));
  gd.addEventListener("mouseleave", () => reportPointer(state, false));
  gd.on("plotly_hover", (event) => {
    const option = state.hoverZoom;
    if (!option) {
      return;
    }
    const point = (event?.points || []).find((p) => p.curveNumber === option.trace);
    const index = point ? Number(point.customdata) : NaN;
    setZoom(state, Number.isInteger(index) && index >= 0 && index < option.count ? index : null);
  });
  gd.on("plotly_unhover", () => {
    if (state.zoomIndex === null || state.unhoverTimer !== null) {
      return;
    }
    state.unhoverTimer = setTimeout(() => {
      state.unhoverTimer = null;
      setZoom(state, null);
    }, UNHOVER_DELAY_MS);
  });
  gd.addEventListener("mouseleave", () => setZoom(state, null));
}

function applyZoom(state) {
  state.zoomDirty = false;
  const slot = state.zoomSlot;
  const option = state.hoverZoom;
  const images = Array.isArray(state.layout.images) ? state.layout.images : [];
  if (!Number.isInteger(slot) || (!option && images.length <= slot)) {
    return;
  }
  const index = option ? state.zoomIndex : null;
  const source = index !== null && images[index] ? images[index].source || "" : "";
  const current = images[slot];
  const visible = source !== "";
  if (current && current.source === source && current.visible === visible) {
    return;
  }
  const next = images.slice();
  for (let i = next.length; i < slot; i++) {
    next[i] = {};
  }
  const image = { ...(option ? option.image : {}), source, visible };
  // Plotly keys layout images by position (xref, x, sizex, yref, y, sizey): an image exactly on
  // top of another one (the output map under the zoom) would share its DOM node and never show.
  if (typeof image.sizex === "number") {
    image.sizex *= 1 + 1e-9;
  }
  next[slot] = image;
  state.layout = { ...state.layout, images: next };
}

// ---------------------------------------------------------------------------------------------
// Click to edit: clicking a point of an ``editable`` trace opens a small text box next to the
// click, prefilled with the point's value (the newest values Python sent). Enter sends
// {"trace", "point", "customdata", "text"} as the "edit" trigger; Escape or a pointer press
// anywhere else closes it; text that is not a number gets a sentence in the box (nothing sent).
// option per trace: {"trace": i, "values": encoded array, "decimals": 3, "label": "Weight"}
// ---------------------------------------------------------------------------------------------

const EDIT_NUMBER = /^[-+\u2212]?(\d+([.,]\d*)?|[.,]\d+)(e[-+]?\d+)?$/i;
const EDIT_GAP_PX = 12; // between the click and the box

function receiveEditable(state, wire) {
  if (wire === undefined) {
    return; // not sent with this call: the last values stay
  }
  const byTrace = new Map();
  for (const item of Array.isArray(wire) ? wire : []) {
    if (item && Number.isInteger(item.trace)) {
      byTrace.set(item.trace, {
        values: isEncodedArray(item.values) ? decodeArray(item.values) : null,
        decimals: Number.isInteger(item.decimals) ? Math.max(0, Math.min(item.decimals, 10)) : 3,
        label: typeof item.label === "string" && item.label ? item.label : "Value",
      });
    }
  }
  state.editable = byTrace;
}

function bindEditor(state) {
  const gd = state.graph;
  if (state.editBoundTo === gd || typeof gd.on !== "function") {
    return;
  }
  state.editBoundTo = gd;
  gd.on("plotly_click", (event) => {
    const editable = state.editable;
    const points = event && Array.isArray(event.points) ? event.points : [];
    const point = editable ? points.find((p) => editable.has(p.curveNumber)) : null;
    if (point) {
      openEditor(state, editable.get(point.curveNumber), point, event.event);
    }
  });
}

function openEditor(state, option, point, mouseEvent) {
  closeEditor(state);
  const index = point.pointNumber;
  const values = option.values;
  const value = values && index >= 0 && index < values.length ? Number(values[index]) : NaN;
  const box = document.createElement("div");
  box.className = "np-live-plotly-edit";
  const input = document.createElement("input");
  input.type = "text"; // not "number": a typo must reach us to be answered with a sentence
  input.inputMode = "decimal";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("aria-label", option.label);
  input.value = Number.isFinite(value) ? value.toFixed(option.decimals) : "";
  const message = document.createElement("div");
  message.className = "np-live-plotly-edit-message";
  message.setAttribute("role", "alert");
  box.append(input, message);
  state.root.appendChild(box);
  placeEditor(state, box, mouseEvent);
  const editor = {
    box,
    input,
    message,
    trace: point.curveNumber,
    point: index,
    customdata: point.customdata === undefined ? null : point.customdata,
    onPointerDown: (ev) => {
      if (!box.contains(ev.target)) {
        closeEditor(state);
      }
    },
  };
  input.addEventListener("keydown", (ev) => {
    ev.stopPropagation(); // typing here is not a Streamlit keyboard shortcut
    if (ev.key === "Enter") {
      ev.preventDefault();
      submitEditor(state);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      closeEditor(state);
    }
  });
  document.addEventListener("pointerdown", editor.onPointerDown, true);
  state.editor = editor;
  state.graph.dataset.editing = editor.trace + ":" + editor.point;
  input.focus();
  input.select();
}

// Right of the click, vertically centred on it, kept inside the component.
function placeEditor(state, box, mouseEvent) {
  const area = state.root.getBoundingClientRect();
  const x = mouseEvent ? mouseEvent.clientX - area.left : area.width / 2;
  const y = mouseEvent ? mouseEvent.clientY - area.top : area.height / 2;
  let left = x + EDIT_GAP_PX;
  if (left + box.offsetWidth > area.width) {
    left = x - EDIT_GAP_PX - box.offsetWidth; // no room on the right: on the left
  }
  const top = Math.min(Math.max(0, y - box.offsetHeight / 2), area.height - box.offsetHeight);
  box.style.left = Math.max(0, left) + "px";
  box.style.top = Math.max(0, top) + "px";
}

function submitEditor(state) {
  const editor = state.editor;
  if (!editor) {
    return;
  }
  const text = editor.input.value.trim();
  if (!EDIT_NUMBER.test(text)) {
    const shown = text.length > 20 ? text.slice(0, 20) + "\u2026" : text;
    editor.message.textContent = text
      ? "\u201c" + shown + "\u201d is not a number: type one like 0.5 or -2."
      : "Type a number, like 0.5 or -2.";
    editor.input.setAttribute("aria-invalid", "true");
    return;
  }
  const payload = {
    trace: editor.trace,
    point: editor.point,
    customdata: editor.customdata,
    text,
  };
  closeEditor(state);
  sendLater(state.setTriggerValue, "edit", payload, "send the edit");
}

function closeEditor(state) {
  const editor = state.editor;
  if (!editor) {
    return;
  }
  state.editor = null;
  document.removeEventListener("pointerdown", editor.onPointerDown, true);
  editor.box.remove();
  delete state.graph.dataset.editing;
}

// ---------------------------------------------------------------------------------------------
// Click for data coordinates: with ``click_areas`` {name: {"xaxis": "x", "yaxis": "y"}, ...}, a
// click (press and click within CLICK_SLOP_PX, so a zoom drag is not a click) inside one of
// those axes' plot areas sends {"area": name, "x", "y"} (data coordinates of the axes, as drawn:
// the user's zoom included) as the "click" trigger. The axis objects' pixel mapping is Plotly's
// (``_offset``, ``_length``, ``p2d``), as the fast path reads it; the graph div counts the
// clicks sent (``data-clicks``).
// ---------------------------------------------------------------------------------------------

const CLICK_SLOP_PX = 5;
const AREA_NAME = /^[a-z][a-z0-9_]{0,31}$/;

function receiveClickAreas(state, wire) {
  const areas = [];
  if (wire && typeof wire === "object" && !Array.isArray(wire)) {
    for (const [name, axes] of Object.entries(wire)) {
      if (
        AREA_NAME.test(name) &&
        axes &&
        typeof axes.xaxis === "string" &&
        typeof axes.yaxis === "string" &&
        /^x\d*$/.test(axes.xaxis) &&
        /^y\d*$/.test(axes.yaxis)
      ) {
        areas.push({ name, xaxis: axes.xaxis, yaxis: axes.yaxis });
      }
    }
  }
  state.clickAreas = areas;
  if (state.graph) {
    state.graph.classList.toggle("np-live-plotly-clickable", areas.length > 0);
  }
}

// The area under the pointer and the click's data coordinates there, or null.
function clickedArea(state, ev) {
  const gd = state.graph;
  const full = gd?._fullLayout;
  if (!full) {
    return null;
  }
  const name = (id) => id.charAt(0) + "axis" + id.slice(1);
  const usable = (axis) =>
    axis && typeof axis.p2d === "function" && Number.isFinite(axis._offset) && axis._length > 0;
  const box = gd.getBoundingClientRect();
  for (const area of state.clickAreas) {
    const xa = full[name(area.xaxis)];
    const ya = full[name(area.yaxis)];
    if (!usable(xa) || !usable(ya)) {
      continue;
    }
    const px = ev.clientX - box.left - xa._offset;
    const py = ev.clientY - box.top - ya._offset;
    if (px < 0 || px > xa._length || py < 0 || py > ya._length) {
      continue; // outside this plot area (its axis labels, the colour bar, the diagram)
    }
    const x = Number(xa.p2d(px));
    const y = Number(ya.p2d(py));
    if (Number.isFinite(x) && Number.isFinite(y)) {
      return { area: area.name, x, y };
    }
  }
  return null;
}

function bindClickArea(state) {
  const gd = state.graph;
  if (state.clickBoundTo === gd) {
    return;
  }
  state.clickBoundTo = gd;
  gd.classList.toggle("np-live-plotly-clickable", state.clickAreas.length > 0);
  // Capture phase: Plotly's drag layer handles the press itself (zoom boxes).
  gd.addEventListener(
    "pointerdown",
    (ev) => {
      state.clickPress =
        state.clickAreas.length > 0 && ev.isPrimary && ev.button === 0
          ? { x: ev.clientX, y: ev.clientY }
          : null;
    },
    true,
  );
  // The click event, not pointerup: during a press Plotly covers the page with its drag cover,
  // which receives the pointerup; the click still reaches the graph (none after a zoom drag).
  gd.addEventListener(
    "click",
    (ev) => {
      const press = state.clickPress;
      state.clickPress = null;
      if (!press || Math.hypot(ev.clientX - press.x, ev.clientY - press.y) > CLICK_SLOP_PX) {
        return;
      }
      const click = clickedArea(state, ev);
      if (!click) {
        return;
      }
      state.clicks += 1;
      gd.dataset.clicks = String(state.clicks);
      sendLater(state.setTriggerValue, "click", click, "send the click");
    },
    true,
  );
}

// Streamlit follows the browser's light/dark preference but does not rerun when it changes, so
// Python (which colours the figure for st.context.theme.type) would not know until the next
// rerun. A change fires the "color_scheme" trigger: that rerun carries the new theme type.
const SCHEME_SETTLE_MS = 300; // Streamlit switches its theme on the same event: let it finish

function watchColorScheme(state) {
  if (state.schemeWatched || typeof window.matchMedia !== "function") {
    return;
  }
  state.schemeWatched = true;
  const query = window.matchMedia("(prefers-color-scheme: dark)");
  query.addEventListener("change", () => {
    setTimeout(() => {
      const setTrigger = state.setTriggerValue;
      if (state.disposed || !state.root.isConnected || typeof setTrigger !== "function") {
        return;
      }
      try {
        setTrigger("color_scheme", query.matches ? "dark" : "light");
      } catch (err) {
        console.warn("live_plotly: could not report the colour scheme", err);
      }
    }, SCHEME_SETTLE_MS);
  });
}

// ---------------------------------------------------------------------------------------------
// Fast path. Plotly.react re-runs supplyDefaults on the whole figure and redraws every layout
// image (~15-25 ms here) even when a frame only recolours shapes. When a frame changes nothing but
//   * shapes[k].line.color / line.width / fillcolor (opaque colours, width > 0),
//   * shapes[k].path (absolute M/L/Z commands on data axes, linear or log),
// those values are written straight into the SVG elements Plotly drew and into
// gd._fullLayout / gd.layout, so that the next Plotly.react sees them as already drawn. Pictures
// change in their canvases (syncCanvases), not in the layout. Anything else (trace data, other
// layout paths, a layout image added, moved or given a new source, an element not found) goes
// through Plotly.react. Private Plotly.js internals: tests/browser/test_plotly_internals_browser.py.
// ---------------------------------------------------------------------------------------------

const FAST_SHAPE_PATH = /^shapes\[(\d+)\]\.(line\.color|line\.width|fillcolor|path)$/;
// An axis range change needs Plotly (ticks, grid), which redraws every shape: ~0.7 s with the
// ~2,000 shapes of a big network. Such a change waits (the graph keeps its old range, a curve
// may run past the edge for a moment) while the last Plotly.react was less than
// REACT_SPACING times its own duration ago: Plotly then takes at most ~1/8 of the time. The
// wait never exceeds AXIS_WAIT_MAX_MS: a slow first draw (1-2 s on a loaded machine) must not
// freeze the loss chart's axis for 10 s while the caption counts hundreds of epochs.
const AXIS_RANGE_PATH = /^[xy]axis\d*\.range$/;
const REACT_SPACING = 8;
const AXIS_WAIT_MAX_MS = 1500;
const OPAQUE_COLOR = /^(#[0-9a-f]{3}|#[0-9a-f]{6}|rgb\([^)]*\))$/i;

function getPath(target, parts) {
  let value = target;
  for (const part of parts) {
    if (value === null || typeof value !== "object") {
      return undefined;
    }
    value = value[part];
  }
  return value;
}

function sameValue(a, b) {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.every((v, i) => v === b[i]);
  }
  return false;
}

// The operations a frame needs on top of ``drawn``, or null when it needs Plotly.react.
function fastOperations(state, frame, drawn) {
  const updates = frame.updates || {};
  if (Array.isArray(updates.traces) && updates.traces.length > 0) {
    return null;
  }
  const ops = { shapes: [], deferred: [] };
  const spacing = Math.min(REACT_SPACING * state.lastReactMs, AXIS_WAIT_MAX_MS);
  const wait = performance.now() - state.lastReactEnd < spacing;
  for (const path of new Set([...Object.keys(updates.layout || {}), ...state.deferredPaths])) {
    const parts = parsePath(path);
    const value = getPath(state.layout, parts);
    const drawnValue = getPath(drawn, parts);
    if (sameValue(value, drawnValue)) {
      continue;
    }
    if (wait && AXIS_RANGE_PATH.test(path)) {
      ops.deferred.push({ path, parts, value: drawnValue });
      continue;
    }
    const m = FAST_SHAPE_PATH.exec(path);
    if (!m) {
      return null;
    }
    const attr = m[2];
    if ((attr === "line.color" || attr === "fillcolor") && !OPAQUE_COLOR.test(String(value))) {
      return null;
    }
    if (attr === "line.width" && !(typeof value === "number" && value > 0)) {
      return null;
    }
    if (attr === "path" && typeof value !== "string") {
      return null;
    }
    ops.shapes.push({ index: Number(m[1]), attr, value });
  }
  const now = Array.isArray(state.layout.images) ? state.layout.images : [];
  const before = Array.isArray(drawn.images) ? drawn.images : [];
  if (now.length !== before.length) {
    return null;
  }
  for (let k = 0; k < now.length; k++) {
    const a = now[k];
    const b = before[k];
    if (a === b) {
      continue;
    }
    if (!a || !b) {
      return null; // an image added or removed: Plotly lays it out
    }
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!sameValue(a[key], b[key])) {
        return null; // moved, resized, shown, hidden or a new source: Plotly draws it
      }
    }
  }
  return ops;
}

function axisOf(fullLayout, ref) {
  const m = /^([xy])(\d*)$/.exec(String(ref));
  if (!m) {
    return null; // paper or domain references
  }
  const axis = fullLayout[(m[1] === "x" ? "xaxis" : "yaxis") + m[2]];
  return axis && typeof axis.r2p === "function" && typeof axis.d2r === "function" ? axis : null;
}

// Pixel path of an absolute M/L/Z path in data units (what Plotly draws for a "path" shape).
function pixelPath(path, xa, ya) {
  const tokens = String(path).match(/[MLZ]|-?[\d.]+(?:e[-+]?\d+)?/gi) || [];
  let out = "";
  let i = 0;
  while (i < tokens.length) {
    const command = tokens[i++].toUpperCase();
    if (command === "Z") {
      out += "Z";
      continue;
    }
    if (command !== "M" && command !== "L") {
      return null;
    }
    const x = Number(tokens[i++]);
    const y = Number(tokens[i++]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      return null;
    }
    const px = xa._offset + xa.r2p(xa.d2r(x));
    const py = ya._offset + ya.r2p(ya.d2r(y));
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      return null;
    }
    out += command + px.toFixed(2) + "," + py.toFixed(2);
  }
  return out;
}

function paintFast(state, frame, drawn) {
  const ops = fastOperations(state, frame, drawn);
  const gd = state.graph;
  const full = gd._fullLayout;
  if (!ops || !full || !Array.isArray(full.shapes)) {
    return false;
  }
  // Resolve every element first: nothing is changed unless the whole frame can be applied.
  // One pass over the shape elements, not a querySelector per shape (thousands of links).
  const shapeElements = new Map();
  if (ops.shapes.length) {
    for (const el of gd.querySelectorAll(".shapelayer path[data-index]")) {
      const index = Number(el.getAttribute("data-index"));
      if (!shapeElements.has(index)) {
        shapeElements.set(index, el);
      }
    }
  }
  const writes = [];
  for (const op of ops.shapes) {
    const shape = full.shapes[op.index];
    const el = shapeElements.get(op.index);
    if (!shape || !el || shape.visible === false || !shape.line || !(shape.line.width > 0)) {
      return false;
    }
    if (op.attr === "line.color") {
      writes.push(() => {
        el.style.stroke = op.value;
        shape.line.color = op.value;
      });
    } else if (op.attr === "line.width") {
      if (shape.line.dash && shape.line.dash !== "solid") {
        return false; // the dash pattern scales with the width
      }
      writes.push(() => {
        el.style.strokeWidth = op.value + "px";
        shape.line.width = op.value;
      });
    } else if (op.attr === "fillcolor") {
      writes.push(() => {
        el.style.fill = op.value;
        shape.fillcolor = op.value;
      });
    } else {
      const xa = axisOf(full, shape.xref);
      const ya = axisOf(full, shape.yref);
      const d = xa && ya && shape.type === "path" ? pixelPath(op.value, xa, ya) : null;
      if (!d) {
        return false;
      }
      writes.push(() => {
        el.setAttribute("d", d);
        shape.path = op.value;
      });
    }
  }
  for (const write of writes) {
    write();
  }
  // What is drawn: the new layout, but deferred paths keep the values Plotly drew (the next
  // Plotly.react diffs against gd.layout, so it then draws them).
  let shown = state.layout;
  const fresh = new WeakSet();
  for (const d of ops.deferred) {
    shown = setIn(shown, d.parts, 0, d.value, fresh);
  }
  state.deferredPaths = ops.deferred.map((d) => d.path);
  gd.layout = shown;
  state.shownLayout = shown;
  return true;
}

// Plotly redraws its <image> elements on its own too (window or figure resize, relayout, the
// user's zoom and pan): the canvases follow each time.
function bindCanvases(state) {
  const gd = state.graph;
  if (state.afterplotBoundTo === gd || typeof gd.on !== "function") {
    return;
  }
  state.afterplotBoundTo = gd;
  const sync = () => {
    try {
      syncCanvases(state);
    } catch (err) {
      console.warn("live_plotly: pictures not placed", err);
    }
  };
  for (const name of ["plotly_afterplot", "plotly_relayout", "plotly_redraw"]) {
    gd.on(name, sync);
  }
}

function paint(state) {
  const frame = state.pending || (state.zoomDirty && state.drawnVersion !== null ? {} : null);
  if (!frame || state.busy || state.disposed) {
    return;
  }
  const Plotly = window.Plotly;
  if (!Plotly) {
    return;
  }
  const version = state.pending ? frame.version : state.drawnVersion;
  if (state.drawnVersion !== version) {
    const cached = pageRegistry().figures[state.key];
    if (!cached || cached.version !== version) {
      // The figure for this structure never reached this page (e.g. its frame was superseded
      // before it was drawn): keep the current picture and ask Python to send it again.
      requestFigure(state, version);
      if (state.drawnVersion === null) {
        showMessage(state, LOADING_TEXT);
      }
      return;
    }
    applyFigure(state, cached.figure, version);
  }
  // What the graph shows now, when this frame patches the same structure (else null).
  const drawn = state.drawnVersion === version && state.drawnLayout ? state.drawnLayout : null;
  state.pending = null;
  const prepareStart = performance.now();
  applyUpdates(state, frame.updates);
  applyImages(state, frame.images, frame.colorscale);
  if (frame.hover_zoom !== undefined) {
    state.hoverZoom = validHoverZoom(frame.hover_zoom);
  }
  applyZoom(state);
  const frameId = frame.frame_id;

  state.busy = true;
  const started = performance.now();
  const finish = (ok, fast) => {
    state.busy = false;
    if (ok) {
      state.drawnVersion = version;
      state.drawnLayout = fast ? state.shownLayout : state.layout;
      if (fast) {
        state.fastFrames += 1;
      } else {
        state.deferredPaths = [];
        state.lastReactEnd = performance.now();
        state.lastReactMs = state.lastReactEnd - started;
      }
      if (frameId !== undefined && frameId !== null) {
        state.frameId = frameId;
      }
      showCaption(state, frame.caption);
      bindCanvases(state);
      syncCanvases(state);
      bindHoverZoom(state);
      bindEditor(state);
      bindClickArea(state);
      watchColorScheme(state);
      state.painted += 1;
      state.prepareMsTotal += started - prepareStart;
      state.reactMsTotal += performance.now() - started;
      showMessage(state, "");
    }
    publishStats(state);
    if (ok) {
      maybeReport(state);
      reportPointer(state);
    }
    if (state.pending || state.zoomDirty) {
      schedule(state);
    }
  };
  if (drawn && !window.__npLivePlotlyNoFastPath) {
    let fast = false;
    try {
      fast = paintFast(state, frame, drawn);
    } catch (err) {
      console.warn("live_plotly: fast path failed, redrawing", err);
    }
    if (fast) {
      finish(true, true);
      return;
    }
  }
  try {
    Promise.resolve(Plotly.react(state.graph, state.traces, state.layout, state.config)).then(
      () => finish(true),
      (err) => {
        console.warn("live_plotly: Plotly.react failed", err);
        finish(false);
      },
    );
  } catch (err) {
    console.warn("live_plotly: Plotly.react threw", err);
    finish(false);
  }
}

// With ``stats_every`` (seconds), the counters go back to Python as the component's "stats" state
// at most that often (each report reruns the fragment once): the app can match its frame rate to
// what this browser actually paints.
function maybeReport(state) {
  const every = Number(state.statsEvery);
  if (!(every > 0) || typeof state.setStateValue !== "function") {
    return;
  }
  const now = performance.now();
  if (state.lastReportAt !== null && now - state.lastReportAt < every * 1000) {
    return;
  }
  state.lastReportAt = now;
  const report = {
    painted: state.painted,
    received: state.received,
    dropped: state.dropped,
    fast: state.fastFrames,
    frame_id: state.frameId,
    t: now / 1000,
  };
  sendLater(state.setStateValue, "stats", report, "report statistics");
}

// One frame into ``pending``: if the previous one is not drawn yet, the newer frame wins but
// patches only the older frame carried are kept.
function accept(state, frame) {
  state.received += 1;
  if (state.pending) {
    state.dropped += 1;
    state.pending = mergeFrames(state.pending, frame);
  } else {
    state.pending = frame;
  }
}

// ``data.later``: frames that follow this one, each drawn ``data.spacing_ms`` after the
// previous (one Streamlit run carries several animation frames).
function laterFrames(data) {
  const later = Array.isArray(data.later) ? data.later : [];
  const base = { version: data.version, colorscale: data.colorscale };
  return later.map((frame) => Object.assign({}, base, frame));
}

function queueLater(state, data) {
  const later = laterFrames(data);
  if (later.length === 0) {
    return;
  }
  const spacing = Math.max(0, Number(data.spacing_ms) || 0);
  state.later = later;
  const release = () => {
    state.laterTimer = null;
    const next = state.later.shift();
    if (!next || state.disposed) {
      return;
    }
    accept(state, next);
    schedule(state);
    if (state.later.length > 0) {
      state.laterTimer = setTimeout(release, spacing);
    }
  };
  state.laterTimer = setTimeout(release, spacing);
}

// Accepts the queued frames (and ``more``) at once: merged into the pending frame.
function flushLater(state, more) {
  if (state.laterTimer) {
    clearTimeout(state.laterTimer);
    state.laterTimer = null;
  }
  const left = [...(state.later || []), ...(Array.isArray(more) ? more : [])];
  state.later = [];
  for (const frame of left) {
    accept(state, frame);
  }
}

// ``stop_on_click``: a click on the app's Pause button (or whatever the selector names) while
// a stream plays stops it here at once, without waiting for the rerun that click causes: the
// frames queued for later are drawn now in one paint, and frames of that stream still on
// their way are drawn as they arrive. The picture then reaches the newest state the server
// trained within one paint, and the paused frame that follows shows the same epoch.
// Capture phase: before Streamlit's own handler, so nothing else runs in between.
function stopOnClick(state) {
  if (state.onStopClick || !state.stopSelector) {
    return;
  }
  state.onStopClick = (event) => {
    const target = event.target;
    if (state.disposed || state.stream === null || !state.stopSelector) {
      return;
    }
    if (!(target instanceof Element) || !target.closest(state.stopSelector)) {
      return;
    }
    state.stoppedStream = state.stream;
    state.stoppedAt = performance.now();
    flushLater(state);
    schedule(state);
  };
  document.addEventListener("click", state.onStopClick, true);
}

// ``label``: the graph becomes a named figure in the keyboard's tab order. Besides reaching the
// chart, this ends a walk Streamlit's tabs make: react-aria's tab panel looks for its first
// tabbable descendant after every render (each fragment run) and on every DOM change in it,
// calling checkVisibility on each node; through a Plotly SVG with none, that walk took
// ~80 ms/s of the page's main thread while the live view played (bench/ui.py i).
function labelFigure(state, label) {
  const root = state.root;
  if (typeof label !== "string" || !label) {
    return;
  }
  if (root.getAttribute("aria-label") !== label) {
    root.tabIndex = 0;
    root.setAttribute("role", "figure");
    root.setAttribute("aria-label", label);
  }
}

// Whether the frame just received belongs to a stream stopped by a click (for STOP_HOLD_MS).
function stopped(state) {
  if (state.stoppedStream === null) {
    return false;
  }
  if (state.stream === state.stoppedStream && performance.now() - state.stoppedAt < STOP_HOLD_MS) {
    return true;
  }
  state.stoppedStream = null;
  return false;
}

function receive(state, data, setTriggerValue, setStateValue) {
  state.setTriggerValue = setTriggerValue;
  state.setStateValue = setStateValue;
  state.statsEvery = data.stats_every || 0;
  state.key = String(data.key);
  state.captionHeight = data.caption_height;
  state.pictures = data.pictures && typeof data.pictures === "object" ? data.pictures : null;
  state.fit = validFit(data.fit_height);
  labelFigure(state, data.label);
  if (!state.fit && typeof data.height === "number") {
    state.root.style.height = data.height + "px";
  }
  if (data.figure !== undefined && data.figure !== null) {
    pageRegistry().figures[state.key] = { version: data.version, figure: data.figure };
  }
  receiveEditable(state, data.editable);
  receiveClickAreas(state, data.click_areas);
  state.stream = typeof data.stream === "string" ? data.stream : null;
  state.stopSelector = typeof data.stop_on_click === "string" ? data.stop_on_click : null;
  state.root.classList.toggle("np-live-plotly-playing", state.stream !== null);
  stopOnClick(state);
  // Frames still queued from the previous call are overdue now: merge them in first.
  flushLater(state);
  accept(state, data);
  if (stopped(state)) {
    flushLater(state, laterFrames(data)); // the stream was stopped: its frames are drawn at once
  } else {
    queueLater(state, data);
  }
  if (state.drawnVersion === null) {
    showCaption(state, data.caption); // nothing drawn yet (Plotly.js loading): say it at once
  }
  fitToWindow(state); // after the caption line: it sits above the graph

  if (window.Plotly) {
    schedule(state);
    return;
  }
  const registry = pageRegistry();
  if (registry.loadFailedAt && Date.now() - registry.loadFailedAt < LOAD_RETRY_MS) {
    showMessage(state, FAILED_TEXT);
    return;
  }
  showMessage(state, LOADING_TEXT);
  if (Array.isArray(data.plotly_src) && data.plotly_src.length > 0) {
    registry.sources = data.plotly_src;
  }
  if (!registry.sources) {
    // Python sends the sources together with the figure; ask for both.
    requestFigure(state, data.version);
    return;
  }
  loadPlotly(registry.sources).then(
    () => schedule(state),
    (err) => {
      console.warn("live_plotly: " + err.message, registry.sources);
      showMessage(state, FAILED_TEXT);
    },
  );
}

export default function livePlotly(component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  let state = null;
  if (data?.preload) {
    // preload_plotly(): only start loading Plotly.js (shared with every graph of the page). The
    // element draws nothing; hiding its container also removes the layout gap around it.
    const container = parentElement?.closest('[data-testid="stElementContainer"]');
    if (container) {
      container.style.display = "none";
    }
    if (!window.Plotly && Array.isArray(data.plotly_src)) {
      pageRegistry().sources = pageRegistry().sources || data.plotly_src;
      loadPlotly(data.plotly_src).catch(() => {});
    }
    return undefined;
  }
  try {
    const key = data && data.key !== undefined && data.key !== null ? String(data.key) : null;
    state = parentElement.__npLivePlotly || adoptOrCreateState(parentElement, key);
    if (data && typeof data === "object") {
      receive(state, data, setTriggerValue, setStateValue);
    }
  } catch (err) {
    console.warn("live_plotly: frame skipped", err);
  }
  return state ? state.cleanup : undefined;
}
