#!/usr/bin/env bash
# The action's install step: gwlint from the action's own checkout (so the tool version
# is the action's ref; only the package index is contacted, for the dependencies), into
# a private virtual environment under RUNNER_TEMP so the job's Python stays untouched.
#
# Environment: GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_OUTPUT (set by the runner);
# GWLINT_PYTHON, the interpreter from actions/setup-python (empty: python3 on PATH).
# Output: `gwlint`, the path of the installed command.
set -euo pipefail
: "${GITHUB_ACTION_PATH:?}" "${RUNNER_TEMP:?}" "${GITHUB_OUTPUT:?}"

python="${GWLINT_PYTHON:-python3}"
venv="$RUNNER_TEMP/gwlint-venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet "$GITHUB_ACTION_PATH"
"$venv/bin/gwlint" --version
echo "gwlint=$venv/bin/gwlint" >>"$GITHUB_OUTPUT"
