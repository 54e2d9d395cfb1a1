#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 30), starting from the
# committed seeds. Works with a nightly toolchain, or with stable through
# RUSTC_BOOTSTRAP (no sanitizer: the code under test is safe Rust).
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-30}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(yaml json hcl hcl_eval plan cloudformation rule)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
fi
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  cp -n seeds/"$target"/* "corpus/$target/" 2>/dev/null || true
  marker=$(mktemp)
  echo "fuzz: $target for ${seconds}s"
  # A target that does not build fails here, not silently in the filtered run below.
  "${fuzz[@]}" build "$target" --sanitizer none
  "${fuzz[@]}" run "$target" --sanitizer none "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 2>&1 \
    | grep -E '(^Done|DONE|stat::number_of_executed_units|SUMMARY)' || true
  # Any input this run wrote to artifacts/ (crash-, timeout-, oom-, leak-) is a failure.
  found=$(find "artifacts/$target" -type f -newer "$marker" | head -n 1)
  rm -f "$marker"
  if [ -n "$found" ]; then
    echo "fuzz: $target found a failing input: fuzz/$found" >&2
    exit 1
  fi
done
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no failure"
