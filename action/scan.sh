#!/usr/bin/env bash
# Runs the scan for the GitHub Action and publishes its results: the text
# report in the step log, the report file (SARIF by default) from the same
# scan, the step outputs (`sarif`, `findings`), and a Markdown job summary.
# Inputs come as INPUT_* environment variables (see action.yml).
set -uo pipefail
workspace="${GITHUB_WORKSPACE:-$PWD}"
cd "$workspace" || exit 2
format="${INPUT_FORMAT:-sarif}"
output="${INPUT_OUTPUT:-preflight.sarif}"
summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT

# One scan, two reports: the findings as text in the log (standard output),
# the requested format in the file that is uploaded.
args=(scan "${INPUT_PATH:-.}" --format text --format "$format:$output" --summary "$summary" --no-progress)
[ -n "${INPUT_SEVERITY_THRESHOLD:-}" ] && args+=(--severity-threshold "$INPUT_SEVERITY_THRESHOLD")
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_CHECKS:-}" ] && args+=(--check "$INPUT_CHECKS")
[ -n "${INPUT_SKIP_CHECKS:-}" ] && args+=(--skip-check "$INPUT_SKIP_CHECKS")

preflight "${args[@]}"
code=$?

findings=$(sed -n 's/.*<!-- preflight:findings=\([0-9]*\) -->.*/\1/p' "$summary" | head -n 1)
{
  echo "sarif=$([ "$format" = sarif ] && echo "$output")"
  echo "report=$output"
  echo "findings=${findings:-0}"
} >> "${GITHUB_OUTPUT:-/dev/null}"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$summary" >> "$GITHUB_STEP_SUMMARY"
fi

# 0 clean, 1 findings at or above the threshold, 2 an input or usage error
# (or directories holding no infrastructure code, without allow_empty).
if [ "$code" = 1 ] && [ "${INPUT_SOFT_FAIL:-false}" = true ]; then
  echo "preflight: ${findings:-0} failing finding(s); soft-fail is on, so the step passes"
  exit 0
fi
exit "$code"
