#!/usr/bin/env bash
# Runs the Swift population tick and its numpy reference on this machine, in one go, and prints per Z the
# Swift tick time, the Swift products-only time (its two GEMMs), the numpy tick time, and the ratios that
# issue 2 sets targets for: tick/products ≤ 1.25 at Z = 2000, numpy/Swift > 1 at every Z.
#
#   ./compare-population.sh [--threads "1 2"] [--zones 24,500,2000] [--seconds 2] [--rounds 3]
#
# First checks that Swift and numpy project the same small city to rounding. Then, for each thread
# count and round, runs Swift and numpy back to back at each Z (so a load change on a shared machine
# hits both), each alternating tick and products batches; each figure below is the median over rounds
# of the per-run medians, and tick/products is the median of paired batch ratios. numpy is the system
# python3's (its bundled scipy-openblas); Swift links the system OpenBLAS; both are pinned with
# OPENBLAS_NUM_THREADS and report the kernel set OpenBLAS chose.
set -euo pipefail
cd "$(dirname "$0")"

threads="1 2"
zones="24,500,2000"
seconds=2
rounds=3
while [[ $# -gt 0 ]]; do
    case "$1" in
        --threads) threads="$2"; shift 2 ;;
        --zones) zones="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        *) echo "usage: $0 [--threads \"1 2\"] [--zones 24,500,2000] [--seconds 2] [--rounds 3]" >&2; exit 2 ;;
    esac
done

echo "== building PopulationTiming (release)" >&2
swift build -c release --product PopulationTiming >&2
timing="$(swift build -c release --show-bin-path)/PopulationTiming"
python=${PYTHON:-python3}
echo "== numpy $("$python" -c 'import numpy; print(numpy.__version__)') from $(command -v "$python")" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== numerical check: Swift and numpy on small synthetic cities" >&2
for case in "7 3" "24 10"; do
    set -- $case
    OPENBLAS_NUM_THREADS=1 "$timing" check --zones "$1" --steps "$2" > "$work/check.txt"
    echo "-- Z=$1, $2 steps" >&2
    OPENBLAS_NUM_THREADS=1 "$python" reference/population.py check "$work/check.txt" --zones "$1" --steps "$2" >&2
done

results="$work/results.txt"
for t in $threads; do
    for ((r = 1; r <= rounds; r++)); do
        for z in ${zones//,/ }; do
            echo "== threads $t, round $r/$rounds, Z=$z" >&2
            OPENBLAS_NUM_THREADS=$t "$timing" time --zones "$z" --seconds "$seconds" | grep '^RESULT' | tee -a "$results" >&2
            OPENBLAS_NUM_THREADS=$t "$python" reference/population.py time --zones "$z" --seconds "$seconds" \
                | grep '^RESULT' | tee -a "$results" >&2
        done
    done
done

"$python" - "$results" <<'PY'
import statistics, sys
from collections import defaultdict

runs = defaultdict(list)   # (impl, kind, threads, zones) -> [fields of each run]
cores = {}
for line in open(sys.argv[1]):
    fields = dict(item.split("=", 1) for item in line.split()[1:])
    key = (fields["impl"], fields["kind"], int(fields["threads"]), int(fields["zones"]))
    runs[key].append(fields)
    cores[fields["impl"]] = fields["core"]

def med(key, field):
    return statistics.median(float(f[field]) for f in runs[key])

print()
print(f"OpenBLAS kernels: Swift {cores.get('swift')} (system OpenBLAS), numpy {cores.get('numpy')} (scipy-openblas)")
print("times are medians in ms; tick/prod is the median of paired tick/products batches;"
      " numpy/Swift is numpy's tick time over Swift's")
header = (f"{'thr':>3} {'Z':>5} | {'Swift tick':>10} {'Swift prod':>10} {'tick/prod':>9} | "
          f"{'numpy tick':>10} {'numpy prod':>10} {'tick/prod':>9} | {'numpy/Swift':>11}")
print(header)
print("-" * len(header))
misses = []
for threads, z in sorted({(k[2], k[3]) for k in runs}):
    st, sp = med(("swift", "tick", threads, z), "median_s"), med(("swift", "products", threads, z), "median_s")
    nt, np_ = med(("numpy", "tick", threads, z), "median_s"), med(("numpy", "products", threads, z), "median_s")
    sr, nr = med(("swift", "tick", threads, z), "paired_ratio"), med(("numpy", "tick", threads, z), "paired_ratio")
    print(f"{threads:>3} {z:>5} | {st*1e3:>10.3f} {sp*1e3:>10.3f} {sr:>9.3f} | "
          f"{nt*1e3:>10.3f} {np_*1e3:>10.3f} {nr:>9.3f} | {nt/st:>11.2f}")
    if z == 2000 and sr > 1.25:
        misses.append(f"threads {threads}, Z=2000: tick/products {sr:.3f} > 1.25")
    if nt <= st:
        misses.append(f"threads {threads}, Z={z}: numpy {nt*1e3:.3f} ms is not slower than Swift {st*1e3:.3f} ms")
print()
print("targets: tick within 1.25x of its products at Z=2000; faster than numpy at every Z:",
      "met" if not misses else "MISSED")
for m in misses:
    print("  " + m)
PY
