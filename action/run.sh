#!/usr/bin/env bash
# The action's lint step: lints `paths` (or the output of `helm template` for
# `helm-chart`), prints GitHub annotations, writes SARIF, and records the exit status.
# It always exits 0 once gwlint ran, so the optional SARIF upload still happens; the
# action's last step fails the job with the recorded `exit-code`.
#
# Environment: GWLINT (the command), GITHUB_OUTPUT, RUNNER_TEMP, GITHUB_WORKSPACE and
# GITHUB_STEP_SUMMARY (set by the runner), and the inputs as INPUT_PATHS,
# INPUT_HELM_CHART, INPUT_HELM_VALUES, INPUT_HELM_RELEASE_NAME, INPUT_HELM_NAMESPACE,
# INPUT_CONFIG, INPUT_FAIL_ON, INPUT_SARIF_FILE.
# Outputs: `exit-code`; `sarif-file` when the report was written.
set -euo pipefail
: "${GWLINT:?}" "${GITHUB_OUTPUT:?}" "${RUNNER_TEMP:?}"
cd "${GITHUB_WORKSPACE:-.}"

# Space- or newline-separated inputs, split into words (read -a never expands globs).
read -r -d '' -a paths <<<"${INPUT_PATHS:-}" || true
read -r -d '' -a values <<<"${INPUT_HELM_VALUES:-}" || true
chart="${INPUT_HELM_CHART:-}"
sarif="${INPUT_SARIF_FILE:-gwlint.sarif}"

options=()
[ -n "${INPUT_CONFIG:-}" ] && options+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_FAIL_ON:-}" ] && options+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_HELM_NAMESPACE:-}" ] && options+=(--namespace "$INPUT_HELM_NAMESPACE")

stdin=/dev/null
if [ -n "$chart" ]; then
  if [ "${#paths[@]}" -gt 1 ] || [ "${paths[0]:-.}" != "." ]; then
    echo "::error title=gwlint::paths and helm-chart exclude each other: leave paths at its default"
    exit 2
  fi
  if ! command -v helm >/dev/null; then
    echo "::error title=gwlint::helm-chart is set but helm is not on PATH (add azure/setup-helm before this step)"
    exit 2
  fi
  helm_args=(template "${INPUT_HELM_RELEASE_NAME:-release-name}" "$chart")
  [ -n "${INPUT_HELM_NAMESPACE:-}" ] && helm_args+=(--namespace "$INPUT_HELM_NAMESPACE")
  for v in "${values[@]}"; do
    helm_args+=(--values "$v")
  done
  stdin="$RUNNER_TEMP/gwlint-rendered.yaml"
  helm "${helm_args[@]}" >"$stdin"
  inputs=(- --stdin-filename "${chart%/}/rendered.yaml")
else
  inputs=("${paths[@]}")
fi

annotations="$RUNNER_TEMP/gwlint-annotations.txt"
code=0
"$GWLINT" "${inputs[@]}" "${options[@]}" --format github <"$stdin" | tee "$annotations" || code=$?
echo "exit-code=$code" >>"$GITHUB_OUTPUT"

mkdir -p "$(dirname "$sarif")"
rm -f "$sarif"
sarif_code=0
"$GWLINT" "${inputs[@]}" "${options[@]}" --fail-on never --format sarif --output "$sarif" <"$stdin" \
  2>"$RUNNER_TEMP/gwlint-sarif.err" || sarif_code=$?
if [ -s "$sarif" ]; then
  echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"
elif [ "$sarif_code" -ne 0 ] && [ "$code" -ne 2 ]; then
  cat "$RUNNER_TEMP/gwlint-sarif.err" >&2
fi

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  count() { grep -c "^::$1 .*title=GW[0-9]" "$annotations" || true; }
  {
    echo "### gwlint"
    echo
    echo "| errors | warnings | notes | exit status |"
    echo "|---|---|---|---|"
    echo "| $(count error) | $(count warning) | $(count notice) | $code |"
  } >>"$GITHUB_STEP_SUMMARY"
fi
exit 0
