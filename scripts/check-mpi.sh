#!/usr/bin/env bash
# The distributed runs under mpirun, on one machine (CI: .ci/run, after `swift build --traits MPI`):
#   1. an ensemble (scripts/mpi-fixtures/ensemble.yaml: 48 members, a trigger, an intervention, an alert,
#      recorded zones, districts, every member's values),
#   2. a Levenberg–Marquardt calibration (scripts/mpi-fixtures/calibration.yaml) and an ABC-SMC one
#      (scripts/mpi-fixtures/abc-calibration.yaml, on 3 ranks of 2 threads and of 1 thread; and once with a
#      rank 2 that cannot read the study, which must fail the run: the runs are dealt, not made on rank 0),
#   3. a Sobol analysis (scripts/mpi-fixtures/sensitivity.yaml),
# each run once by the ordinary single-process binary and once by the MPI binary on 3 ranks, whose output
# files must be identical byte for byte (manifest.json and indices.html are left out: they hold wall-clock
# times); then 4. a rank that fails (rank 2 started in a folder where the scenario's relative path does
# not exist, as on a node without the shared file system): the run must fail, name rank 2 and write no
# run folder.
#
# Usage: scripts/check-mpi.sh <single-process citytwin> <MPI citytwin> [work folder]
set -euo pipefail
cd "$(dirname "$0")/.."
single="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
distributed="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
work="${3:-${TMPDIR:-/tmp}/citytwin-mpi-check}"
ranks=3
mpirun=(mpirun --allow-run-as-root --oversubscribe -np "$ranks")
export OPENBLAS_NUM_THREADS=1
rm -rf "$work"
mkdir -p "$work"

same() {  # same <what> <folder a> <folder b> <files…>: every file present in a is identical in b
  local what="$1" a="$2" b="$3"
  shift 3
  for file in "$@"; do
    if [ -e "$a/$file" ]; then
      if ! cmp -s "$a/$file" "$b/$file"; then
        echo "FAIL: $what: $file differs between one process and $ranks ranks" >&2
        diff <(head -c 2000 "$a/$file") <(head -c 2000 "$b/$file") >&2 || true
        exit 1
      fi
      echo "ok: $what: $file identical ($(wc -c < "$a/$file") bytes)"
    fi
  done
}

# 1. Ensemble: 48 members dealt over 3 ranks of 2 threads, and of 1 thread.
"$single" run scripts/mpi-fixtures/ensemble.yaml --out "$work/run-one" --threads 2 --quiet --member-output 2> /dev/null
for threads in 2 1; do
  "${mpirun[@]}" "$distributed" run scripts/mpi-fixtures/ensemble.yaml --out "$work/run-$threads" \
    --threads "$threads" --quiet --member-output 2> "$work/run-$threads.log"
  busy=$(grep "ranks computed" "$work/run-$threads.log") || { echo "FAIL: no busy-time line" >&2; cat "$work/run-$threads.log" >&2; exit 1; }
  echo "$busy"
  same "ensemble ($threads threads a rank)" "$work/run-one/mpi-ensemble" "$work/run-$threads/mpi-ensemble" \
    forecast.csv districts.csv alerts.json events.csv
done

# 2. Calibration (Levenberg–Marquardt: each Jacobian's runs dealt over the ranks).
"$single" calibrate scripts/mpi-fixtures/calibration.yaml --out "$work/cal-one" --quiet 2> /dev/null
"${mpirun[@]}" "$distributed" calibrate scripts/mpi-fixtures/calibration.yaml --out "$work/cal-three" --quiet 2> /dev/null
same calibration "$work/cal-one/mpi-calibration" "$work/cal-three/mpi-calibration" \
  parameters.csv correlation.csv residuals.csv summary.json calibrated.yaml

# ABC-SMC (each batch's in-prior proposals, the prior sample included, dealt over the ranks).
"$single" calibrate scripts/mpi-fixtures/abc-calibration.yaml --out "$work/abc-one" --quiet 2> /dev/null
for threads in 2 1; do
  "${mpirun[@]}" "$distributed" calibrate scripts/mpi-fixtures/abc-calibration.yaml --out "$work/abc-$threads" \
    --threads "$threads" --quiet 2> /dev/null
  same "ABC-SMC calibration ($threads threads a rank)" "$work/abc-one/mpi-abc" "$work/abc-$threads/mpi-abc" \
    parameters.csv posterior.csv residuals.csv summary.json calibrated.yaml
done
# …and the runs really are dealt: a rank 2 that cannot read the study is given runs, so the calibration fails.
set +e
"${mpirun[@]}" sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 2 ]; then cd /; fi; exec "$0" "$@"' "$distributed" \
  calibrate scripts/mpi-fixtures/abc-calibration.yaml --out "$work/abc-fail" --quiet > "$work/abc-fail.log" 2>&1
status=$?
set -e
if [ "$status" -eq 0 ] || ! grep -q "rank 2 failed" "$work/abc-fail.log"; then
  echo "FAIL: ABC-SMC's runs were not dealt to rank 2:" >&2; cat "$work/abc-fail.log" >&2; exit 1
fi
echo "ok: ABC-SMC calibration: its runs are dealt (a failing rank 2 fails it: exit status $status)"

# 3. Sobol analysis (all 320 runs dealt over the ranks).
"$single" sensitivity scripts/mpi-fixtures/sensitivity.yaml --out "$work/sobol-one" --quiet 2> /dev/null
"${mpirun[@]}" "$distributed" sensitivity scripts/mpi-fixtures/sensitivity.yaml --out "$work/sobol-three" --quiet \
  2> "$work/sobol-three.log"
same sobol "$work/sobol-one/mpi-sobol" "$work/sobol-three/mpi-sobol" indices.csv

# 4. A failing rank: named, nothing written.
set +e
"${mpirun[@]}" sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 2 ]; then cd /; fi; exec "$0" "$@"' "$distributed" \
  run scripts/mpi-fixtures/ensemble.yaml --out "$work/fail" --quiet > "$work/fail.log" 2>&1
status=$?
set -e
if [ "$status" -eq 0 ]; then echo "FAIL: a run with a failing rank succeeded" >&2; exit 1; fi
grep -q "rank 2 failed" "$work/fail.log" || { echo "FAIL: the error does not name rank 2:" >&2; cat "$work/fail.log" >&2; exit 1; }
if [ -e "$work/fail/mpi-ensemble" ]; then echo "FAIL: a failed run left a run folder" >&2; exit 1; fi
echo "ok: a failing rank: exit status $status, $(grep -m1 'rank 2 failed' "$work/fail.log")"
echo "MPI checks passed"
