#!/usr/bin/env bash
# Command 2: set everything up (dev tools and Debian chromium included), lint, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser
.venv/bin/ruff check .
.venv/bin/ruff format --check .
node_modules/.bin/biome ci --error-on-warnings  # the components' JavaScript (biome.jsonc)
.venv/bin/pre-commit validate-config .pre-commit-config.yaml
exec .venv/bin/python -m pytest "$@"
