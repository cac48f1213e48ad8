#!/usr/bin/env bash
# Issue 15's benchmark: strong scaling of a distributed ensemble from 1 to 4 MPI ranks on one machine, and the
# figures the 10^5-members-on-64-nodes estimate is built from (Benchmarks/README.md, "MPI scaling").
#
# The ensemble: scenarios/benchmark/ensemble-1000.yaml with MEMBERS members (default 200; 25 years, no
# traffic). Each rank runs on one thread (--threads 1), so P ranks use P cores while P ≤ the machine's cores;
# beyond that the ranks are oversubscribed, which is no speed claim — hence members per second per core,
# with cores = min(P, nproc). Every run's forecast.csv must equal the single-process run's, byte for byte.
#
# Usage: Benchmarks/mpi-scaling.sh   (needs libopenmpi-dev and openmpi-bin; builds release binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
members="${MEMBERS:-200}"
export OPENBLAS_NUM_THREADS=1
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --traits MPI --build-path .build-mpi --product citytwin > /dev/null
mpi=.build-mpi/release/citytwin
# The single-process run: the same binary without mpirun (one rank: the command runs as in a build
# without MPI; scripts/check-mpi.sh compares the two builds' output).
single=$mpi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sed "s/members: 1000/members: $members/; s#model: ../../models#model: $PWD/models#" \
  scenarios/benchmark/ensemble-1000.yaml > "$out/scenario.yaml"
cores=$(nproc)
echo "machine: $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo "ensemble: $members members x 25 years (sample city without traffic), 1 thread a rank"

/usr/bin/time -f '%e' -o "$out/time" $single run "$out/scenario.yaml" --threads 1 --quiet --out "$out/single" 2> /dev/null
single_seconds=$(cat "$out/time")
printf '%-22s %8s %8s %10s %12s %18s\n' run ranks cores seconds members/s members/s/core
awk -v m="$members" -v s="$single_seconds" \
  'BEGIN { printf "%-22s %8d %8d %10.2f %12.2f %18.2f\n", "single process", 1, 1, s, m / s, m / s }'
for ranks in 1 2 3 4; do
  used=$((ranks < cores ? ranks : cores))
  /usr/bin/time -f '%e' -o "$out/time" mpirun --allow-run-as-root --oversubscribe -np "$ranks" \
    $mpi run "$out/scenario.yaml" --threads 1 --out "$out/p$ranks" 2> "$out/p$ranks.log"
  seconds=$(cat "$out/time")
  awk -v m="$members" -v s="$seconds" -v p="$ranks" -v c="$used" \
    'BEGIN { printf "%-22s %8d %8d %10.2f %12.2f %18.2f\n", "mpirun", p, c, s, m / s, m / s / c }'
  grep -h "ranks computed" "$out/p$ranks.log" | sed 's/^/    /' || true
  cmp -s "$out/single/ensemble-1000/forecast.csv" "$out/p$ranks/ensemble-1000/forecast.csv" \
    || { echo "forecast.csv of $ranks ranks DIFFERS from the single-process run"; exit 1; }
done
echo "every forecast.csv byte-identical to the single-process run"
