#!/usr/bin/env bash
# Sets up everything NeuroPlay needs on a fresh Debian machine:
#   a Python venv in .venv with the pinned runtime requirements, Plotly.js copied for static
#   serving; with --dev also the pinned development tools (requirements-dev.txt) and Biome for
#   the JavaScript (package-lock.json, into node_modules/); with --with-browser (implies --dev)
#   also Debian's chromium for the browser tests.
# Idempotent: a second run only checks that everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
with_browser=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    --with-browser) with_browser=1; dev=1 ;;
    *) echo "setup.sh: unknown option $arg (valid: --dev, --with-browser)" >&2; exit 2 ;;
  esac
done

debian=()
if [ "$with_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  debian+=(chromium fonts-dejavu-core)
fi
if [ "$dev" = 1 ] && ! command -v npm >/dev/null; then
  debian+=(nodejs npm)
fi
if [ "${#debian[@]}" -gt 0 ]; then
  echo "[setup] installing Debian ${debian[*]}"
  if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${debian[@]}" >/dev/null
fi

python_bin="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating .venv with $($python_bin --version)"
  "$python_bin" -m venv .venv
fi

# changed STAMP FILE...: true unless STAMP holds the hash that FILEs had at the last successful
# install, so each set is reinstalled only when its files changed. The dev stamp hashes
# requirements.txt too (requirements-dev.txt includes it): a venv set up for running gets the
# dev tools on its first test run, and again after either file changes.
changed() {
  local stamp="$1"
  shift
  [ "$(cat "$stamp" 2>/dev/null)" != "$(cat "$@" | sha256sum | cut -d' ' -f1)" ]
}
stamp() {
  local stamp="$1"
  shift
  cat "$@" | sha256sum | cut -d' ' -f1 >"$stamp"
}

if changed .venv/.requirements.sha256 requirements.txt; then
  echo "[setup] installing pinned requirements"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
  stamp .venv/.requirements.sha256 requirements.txt
fi
if [ "$dev" = 1 ]; then
  if changed .venv/.requirements-dev.sha256 requirements.txt requirements-dev.txt; then
    echo "[setup] installing pinned development requirements"
    .venv/bin/python -m pip install -q -r requirements-dev.txt
    stamp .venv/.requirements-dev.sha256 requirements.txt requirements-dev.txt
  fi
  if changed node_modules/.package-lock.sha256 package-lock.json; then
    echo "[setup] installing Biome (package-lock.json) into node_modules/"
    npm ci --no-audit --no-fund --loglevel=error
    stamp node_modules/.package-lock.sha256 package-lock.json
  fi
fi

# Plotly.js is served once by Streamlit's static file serving (never re-sent per frame).
# The live view draws only cartesian traces (scatter, heatmap), and Plotly's 1.5 MB cartesian
# bundle loads and starts in about half the time of the full 4.8 MB one (measured 0.6 s vs
# 1.3-1.5 s in headless Chromium): a new visitor's first frame comes that much sooner. It is
# fetched once from the npm registry, pinned and checksum-verified, for the plotly.js version
# the Python package bundles; if that fails, the live view uses the full bundle.
.venv/bin/python - <<'PY'
import hashlib, io, pathlib, re, shutil, tarfile, urllib.request
import plotly

CARTESIAN_VERSION = "4.1.1"
CARTESIAN_SHA256 = "79542150855a52c567260e3137095dbe2b744e6d702a5cabe67da246942fba7a"
CARTESIAN_URL = (
    "https://registry.npmjs.org/plotly.js-cartesian-dist-min/-/"
    f"plotly.js-cartesian-dist-min-{CARTESIAN_VERSION}.tgz"
)
static = pathlib.Path("static")
static.mkdir(exist_ok=True)
source = pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
target = static / "plotly.min.js"
if not target.exists() or target.stat().st_size != source.stat().st_size:
    shutil.copyfile(source, target)

cartesian = static / "plotly-cartesian.min.js"
def verified(data: bytes) -> bool:
    return hashlib.sha256(data).hexdigest() == CARTESIAN_SHA256
bundled = re.search(rb"plotly\.js v([0-9.]+)", source.read_bytes()[:400])
if bundled is None or bundled.group(1).decode() != CARTESIAN_VERSION:
    cartesian.unlink(missing_ok=True)  # a different plotly.js: never mix versions
    print("[setup] plotly.js version changed: update CARTESIAN_VERSION/SHA256 in setup.sh")
elif not (cartesian.exists() and verified(cartesian.read_bytes())):
    try:
        with urllib.request.urlopen(CARTESIAN_URL, timeout=60) as response:
            archive = tarfile.open(fileobj=io.BytesIO(response.read()), mode="r:gz")
        data = archive.extractfile("package/plotly-cartesian.min.js").read()
        if not verified(data):
            raise ValueError("checksum mismatch")
        cartesian.write_bytes(data)
    except Exception as error:  # no network, registry down...: the full bundle still works
        cartesian.unlink(missing_ok=True)
        print(f"[setup] Plotly's cartesian bundle not fetched ({error}); using the full bundle")
PY

# Compile and cache the Numba kernels once, so the first page load does not pay for it.
.venv/bin/python -c "import engine; engine.warm_up()" 2>/dev/null || true
echo "[setup] ready"
