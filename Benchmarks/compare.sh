#!/usr/bin/env bash
# Issue 12's benchmark: compare two 1000-member runs (scenarios/benchmark/ensemble-1000.yaml and a
# leakage-halving policy on it) through the real binary, with wall time and peak resident memory of
# the runs and of `compare` and `report`. Compare reads one series at a time from the archive, so its
# memory should stay near the binary's baseline, far below the runs'.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product citytwin >/dev/null
binary=$PWD/.build/release/citytwin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cat > "$out/policy.yaml" <<YAML
extends: $PWD/scenarios/benchmark/ensemble-1000.yaml
name: ensemble-1000-leak-fix
parameters:
  water.leakage: 0.06
YAML
printf '%-30s %10s %12s\n' step seconds peak_MiB
measure() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$out/time" "$@" > /dev/null 2>&1
  read -r seconds kib < "$out/time"
  awk -v l="$label" -v s="$seconds" -v k="$kib" 'BEGIN { printf "%-30s %10.2f %12.1f\n", l, s, k / 1024 }'
}
measure "run baseline (1000 members)" $binary run scenarios/benchmark/ensemble-1000.yaml --out "$out/runs" --quiet
measure "run policy (1000 members)" $binary run "$out/policy.yaml" --out "$out/runs" --quiet
measure "compare" $binary compare ensemble-1000 ensemble-1000-leak-fix --archive "$out/runs/archive.sqlite" --out "$out/cmp"
measure "report" $binary report ensemble-1000 --compare ensemble-1000-leak-fix --archive "$out/runs/archive.sqlite" --out "$out/report.html"
printf 'archive: %s\n' "$(du -h "$out/runs/archive.sqlite" | cut -f1)"
