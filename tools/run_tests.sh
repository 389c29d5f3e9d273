#!/usr/bin/env bash
# README command 2: set up the environment, then run the whole test-suite.
#   bash tools/run_tests.sh [pytest args...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash tools/setup_env.sh
.venv/bin/python -m pytest tests -v -rs --durations=15 "$@"
