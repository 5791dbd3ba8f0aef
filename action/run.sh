#!/usr/bin/env bash
# The action's lint step: lints `paths` (a whole GitOps repository with `.`: charts and
# kustomizations rendered, findings on their template, values, base and patch lines) or
# the chart `helm-chart` (rendered with `helm-values`, `helm-release-name` and
# `helm-namespace`) once, printing GitHub annotations and writing SARIF and the Markdown
# report (request paths and findings) that goes into the job summary; then records the
# exit status. It always exits 0 once gwlint ran, so the optional SARIF upload still
# happens; the action's last step fails the job with the recorded `exit-code`.
#
# Environment: GWLINT (the command), GITHUB_OUTPUT, RUNNER_TEMP, GITHUB_WORKSPACE and
# GITHUB_STEP_SUMMARY (set by the runner), and the inputs as INPUT_PATHS,
# INPUT_HELM_CHART, INPUT_HELM_VALUES, INPUT_HELM_RELEASE_NAME, INPUT_HELM_NAMESPACE,
# INPUT_CONFIG, INPUT_FAIL_ON, INPUT_SARIF_FILE. Rendering needs helm (charts) and
# kubectl or kustomize (kustomizations) on PATH: GitHub's Ubuntu runners have both.
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

if [ -n "$chart" ]; then
  if [ "${#paths[@]}" -gt 1 ] || [ "${paths[0]:-.}" != "." ]; then
    echo "::error title=gwlint::paths and helm-chart exclude each other: leave paths at its default"
    exit 2
  fi
  if ! command -v helm >/dev/null; then
    echo "::error title=gwlint::helm-chart is set but helm is not on PATH (add azure/setup-helm before this step)"
    exit 2
  fi
  inputs=("$chart")
  [ -n "${INPUT_HELM_RELEASE_NAME:-}" ] && options+=(--release "$INPUT_HELM_RELEASE_NAME")
  for v in "${values[@]}"; do
    options+=(--values "$v")
  done
else
  inputs=("${paths[@]}")
fi

summary="$RUNNER_TEMP/gwlint-summary.md"
mkdir -p "$(dirname "$sarif")"
rm -f "$sarif" "$summary"
code=0
"$GWLINT" "${inputs[@]}" "${options[@]}" --format github --format "sarif=$sarif" --format "markdown=$summary" \
  </dev/null || code=$?
echo "exit-code=$code" >>"$GITHUB_OUTPUT"
if [ -s "$sarif" ]; then
  echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"
fi

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if [ -s "$summary" ]; then
    cat "$summary" >>"$GITHUB_STEP_SUMMARY"
  else
    printf '### gwlint\n\nThe run stopped before writing its report (exit status %s): see the log of the lint step.\n' \
      "$code" >>"$GITHUB_STEP_SUMMARY"
  fi
fi
exit 0
