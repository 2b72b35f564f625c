#!/usr/bin/env bash
# Command 1: set everything up, then run the app (the Playground opens on its default setup).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py "$@"
