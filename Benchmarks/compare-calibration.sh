#!/usr/bin/env bash
# Issue 13's benchmark: one ensemble Kalman analysis at n = 10⁴ state variables, N = 100 members and
# m = 10³ observations, Swift (CalibrationTiming, release) against numpy (reference/enkf.py) on the same
# synthetic fixture, side by side, and the ratio numpy/Swift (target ≥ 2).
#
#   ./compare-calibration.sh [--threads "1"] [--sizes 10000x100x1000] [--seconds 3] [--rounds 3]
#
# First checks that both compute the same ETKF analysis of a small fixture (to 1e-10). Then, per thread
# count and round, runs Swift and numpy back to back (a load change on a shared machine hits both); each
# figure is the median over rounds of the per-run medians. OPENBLAS_NUM_THREADS is set explicitly for
# both (numpy reads it at import); both print the OpenBLAS kernel set they run.
#
# Rows: etkf — the same algorithm on both sides; enkf — the stochastic filter in ensemble space (Woodbury)
# on both sides; enkf_gain — numpy's DAPPER-style stochastic filter that forms the n × m gain, against
# Swift's ensemble-space one (a different algorithm for the same update: the ratio is algorithmic).
set -euo pipefail
cd "$(dirname "$0")"

threads="1"
sizes="10000x100x1000"
seconds=3
rounds=3
while [[ $# -gt 0 ]]; do
    case "$1" in
        --threads) threads="$2"; shift 2 ;;
        --sizes) sizes="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        *) echo "usage: $0 [--threads \"1 2\"] [--sizes 10000x100x1000] [--seconds 3] [--rounds 3]" >&2; exit 2 ;;
    esac
done

echo "== building CalibrationTiming (release)" >&2
swift build -c release --product CalibrationTiming >&2
timing="$(swift build -c release --show-bin-path)/CalibrationTiming"
python=${PYTHON:-python3}
echo "== numpy $("$python" -c 'import numpy; print(numpy.__version__)') from $(command -v "$python")" >&2

echo "== numerical check: ETKF analysis of a small fixture, Swift against numpy" >&2
OPENBLAS_NUM_THREADS=1 "$timing" check | OPENBLAS_NUM_THREADS=1 "$python" reference/enkf.py check

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in $threads; do
    for round in $(seq "$rounds"); do
        echo "== threads $t, round $round" >&2
        OPENBLAS_NUM_THREADS=$t "$timing" time --sizes "$sizes" --seconds "$seconds" | tee -a "$work/results"
        OPENBLAS_NUM_THREADS=$t "$python" reference/enkf.py time --sizes "$sizes" --seconds "$seconds" | tee -a "$work/results"
    done
done

"$python" - "$work/results" <<'PY'
import re, statistics, sys
rows = {}
cores = {}
for line in open(sys.argv[1]):
    if not line.startswith("RESULT"):
        continue
    f = dict(kv.split("=", 1) for kv in line.split()[1:])
    key = (f["threads"], f"{f['n']}x{f['N']}x{f['m']}", f["kind"])
    rows.setdefault(key, {}).setdefault(f["impl"], []).append(float(f["median_s"]))
    cores[f["impl"]] = f["core"]
print(f"\nOpenBLAS kernels: Swift {cores.get('swift')}, numpy {cores.get('numpy')}")
print(f"{'threads':>7} {'n x N x m':>16} {'kind':>10} {'Swift ms':>10} {'numpy ms':>10} {'numpy/Swift':>12}")
for (t, size, kind), impls in sorted(rows.items()):
    if "numpy" not in impls:
        continue
    swift_kind = "enkf" if kind == "enkf_gain" else kind
    s = statistics.median(rows.get((t, size, swift_kind), {}).get("swift", [float("nan")]))
    p = statistics.median(impls["numpy"])
    print(f"{t:>7} {size:>16} {kind:>10} {s * 1e3:10.2f} {p * 1e3:10.2f} {p / s:12.2f}")
PY
