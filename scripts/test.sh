#!/usr/bin/env bash
# Command 2: set everything up (dev tools and Debian chromium included), lint, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser
.venv/bin/ruff check .
.venv/bin/ruff format --check .
node_modules/.bin/biome ci --error-on-warnings  # the components' JavaScript (biome.jsonc)
.venv/bin/pre-commit validate-config .pre-commit-config.yaml
# Two pytest processes side by side: the browser tests one after another (one Streamlit
# server, one Chromium; most of their time is waiting for the page) and all the others, whose
# log follows. Exit 5 (no test selected, e.g. a path of unit tests only) is not a failure.
others_log=$(mktemp)
.venv/bin/python -m pytest -m "not browser" -p no:cacheprovider "$@" >"$others_log" 2>&1 &
others=$!
browser_status=0
others_status=0
.venv/bin/python -m pytest -m browser "$@" || browser_status=$?
wait "$others" || others_status=$?
echo "================ the tests other than the browser tests ================"
cat "$others_log"
rm -f "$others_log"
for status in "$browser_status" "$others_status"; do
  if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then
    exit "$status"
  fi
done
