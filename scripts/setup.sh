#!/usr/bin/env bash
# Sets up everything NeuroPlay needs on a fresh Debian machine:
#   a Python venv in .venv with the pinned requirements, Plotly.js copied for static serving,
#   and (with --with-browser) Debian's chromium for the browser tests.
# Idempotent: a second run only checks that everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=1 ;;
    *) echo "setup.sh: unknown option $arg (valid: --with-browser)" >&2; exit 2 ;;
  esac
done

if [ "$with_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  echo "[setup] installing Debian chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

python_bin="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating .venv with $($python_bin --version)"
  "$python_bin" -m venv .venv
fi

# Reinstall only when requirements.txt changed since the last successful install.
stamp=".venv/.requirements.sha256"
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[setup] installing pinned requirements"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
  echo "$want" > "$stamp"
fi

# Plotly.js is served once by Streamlit's static file serving (never re-sent per frame).
.venv/bin/python - <<'PY'
import pathlib, shutil, plotly
source = pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
target = pathlib.Path("static/plotly.min.js")
target.parent.mkdir(exist_ok=True)
if not target.exists() or target.stat().st_size != source.stat().st_size:
    shutil.copyfile(source, target)
PY

# Compile and cache the Numba kernels once, so the first page load does not pay for it.
.venv/bin/python -c "import engine; engine.warm_up()" 2>/dev/null || true
echo "[setup] ready"
