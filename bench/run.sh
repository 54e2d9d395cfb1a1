#!/usr/bin/env bash
# Benchmarks preflight on ../shared/corpus against Checkov and cfn-lint, and
# writes bench/RESULTS.md. Release build, hyperfine (median of several runs),
# peak memory from /usr/bin/time -v. See bench/README.md.
# Usage: bench/run.sh [--no-peers]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus="$root/../shared/corpus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
peers=1
[ "${1:-}" = "--no-peers" ] && peers=0

command -v hyperfine >/dev/null || { apt-get install -y -q hyperfine >/dev/null 2>&1 || true; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
cargo build --release --quiet
bin="$root/target/release/preflight"

# Inputs: one small template, the first 200 CloudFormation templates by path,
# the whole corpus, a monorepo of ten copies of it, and a 50,000-resource plan.
small="$root/fixtures/PF-VPC-01/fail.yaml"
mapfile -t first200 < <(find "$corpus/cloudformation" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) ! -name 'MANIFEST.jsonl' | sort | head -n 200)
mkdir -p "$work/t200"
for i in "${!first200[@]}"; do cp "${first200[$i]}" "$work/t200/$(printf '%03d' "$i")-$(basename "${first200[$i]}")"; done
for i in $(seq 1 10); do cp -r "$corpus" "$work/mono/copy$i" 2>/dev/null || { mkdir -p "$work/mono"; cp -r "$corpus" "$work/mono/copy$i"; }; done
python3 bench/gen_plan.py 10000 > "$work/plan50k.json"
[ "$(stat -c %s "$work/plan50k.json")" -gt 1000000 ] || { echo "bench: plan generation failed" >&2; exit 2; }

run() { # name, command...
  local name=$1; shift
  # Exit code 1 means findings: a normal outcome here.
  hyperfine --ignore-failure --warmup 1 --runs "${RUNS:-5}" --export-json "$work/timing-$name.json" --style none "$*" >/dev/null 2>&1 || true
  local median
  median=$(python3 -c "import json;print('%.4f'%json.load(open('$work/timing-$name.json'))['results'][0]['median'])" 2>/dev/null || echo nan)
  local rss
  rss=$( { /usr/bin/time -v bash -c "$* >/dev/null 2>&1" ; } 2>&1 | awk '/Maximum resident/{print $6}' || true)
  echo "$name|$median|$rss" >> "$work/results"
}

run version "$bin --version"
run small "$bin scan $small -o /dev/null"
run t200 "$bin scan $work/t200 -o /dev/null"
run t200_parse "$bin scan $work/t200 -o /dev/null --skip-check $("$bin" checks | awk '/^PF-/{print $1}' | paste -sd,)"
run corpus "$bin scan $corpus -o /dev/null"
run corpus_parse "$bin scan $corpus -o /dev/null --skip-check $("$bin" checks | awk '/^PF-/{print $1}' | paste -sd,)"
RUNS=3 run mono10 "$bin scan $work/mono -o /dev/null"
RUNS=3 run plan50k "$bin scan $work/plan50k.json -o /dev/null"
# The yardstick for the plan: Python's json.load of the same file, nothing else.
RUNS=3 run plan50k_json_load "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' $work/plan50k.json"

checkov_version=none; cfnlint_version=none; guard_version=none
if [ $peers = 1 ]; then
  venv="$work/venv"
  python3 -m venv "$venv" && "$venv/bin/pip" install -q checkov cfn-lint >/dev/null 2>&1 || true
  if [ -x "$venv/bin/checkov" ]; then
    checkov_version=$("$venv/bin/checkov" --version 2>/dev/null)
    RUNS=3 run checkov_t200 "$venv/bin/checkov -d $work/t200 --framework cloudformation --skip-download --quiet --compact -o json"
  fi
  if [ -x "$venv/bin/cfn-lint" ]; then
    cfnlint_version=$("$venv/bin/cfn-lint" --version 2>/dev/null | awk '{print $NF}')
    RUNS=3 run cfnlint_t200 "$venv/bin/cfn-lint $work/t200/*"
  fi
  # cfn-guard from crates.io, with Guard rules approximating preflight's checks.
  guard=$(command -v cfn-guard || true)
  if [ -z "$guard" ]; then
    cargo install --quiet --locked cfn-guard --root "$work/guard" >/dev/null 2>&1 || true
    [ -x "$work/guard/bin/cfn-guard" ] && guard="$work/guard/bin/cfn-guard"
  fi
  if [ -n "$guard" ]; then
    guard_version=$("$guard" --version 2>/dev/null | awk '{print $NF}')
    run guard_t200 "$guard validate --data $work/t200 --rules $root/bench/guard/rules.guard --show-summary none --structured --output-format json"
  fi
fi

python3 bench/report.py "$work/results" "$(uname -srm)" "$(nproc)" "$("$bin" --version)" "$checkov_version" "$cfnlint_version" "$guard_version" "$("$bin" checks | awk '/^PF-/{n++} END{print n}')" > bench/RESULTS.md
cat bench/RESULTS.md
