#!/usr/bin/env bash
# Command 2: set everything up (including Debian chromium), lint, then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
