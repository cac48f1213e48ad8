#!/usr/bin/env bash
# Creates a virtual environment with AequilibraE, builds citytwin in release mode and prints time-to-true-gap ratios.
# Usage: Benchmarks/reference/run_aequilibrae_compare.sh [extra arguments for aequilibrae_compare.py]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet aequilibrae numpy scipy pandas
fi
(cd "$root" && swift build -c release --product citytwin)
export OMP_WAIT_POLICY=passive OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=1
"$venv/bin/python" "$here/aequilibrae_compare.py" --citytwin "$root/.build/release/citytwin" \
    --sioux "$root/models/sioux-falls/network" "$@"
