#!/usr/bin/env bash
# Issue 13's benchmarks through the real binary (release):
#  1. Sobol runs per second on the sample city: sensitivity/sample-city.yaml (4 parameters, 30 years,
#     traffic left out) at N base samples (default 256: N·6 runs), at 1 and 2 threads; the indices must be
#     byte-identical at both thread counts;
#  2. Levenberg–Marquardt on a population calibration: research/calibration.yaml (fertility and
#     net-migration scales from 30 years of births and residents; the observations come from a run with
#     known values, research/population-truth.yaml), with its wall time and model runs.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-256}
scratch=${SCRATCH:-.build}          # SCRATCH=.build-release to reuse another build folder
swift build -c release --product citytwin --scratch-path "$scratch" >/dev/null
binary=$scratch/release/citytwin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'OpenBLAS: %s\n' "$(OPENBLAS_VERBOSE=2 $binary --version 2>&1 | head -1)"

sed -E "s/base_samples: [0-9]+/base_samples: $N/" sensitivity/sample-city.yaml > sensitivity/.bench-sample-city.yaml
trap 'rm -rf "$out" sensitivity/.bench-sample-city.yaml' EXIT
for threads in 1 2; do
  start=$(date +%s.%N)
  $binary sensitivity sensitivity/.bench-sample-city.yaml --threads "$threads" --quiet --out "$out/t$threads" 2>/dev/null
  end=$(date +%s.%N)
  awk -v n="$N" -v t="$threads" -v s="$start" -v e="$end" \
    'BEGIN { runs = n * 6; printf "Sobol N=%d (%d runs), %d thread(s): %.2f s, %.1f runs/s\n", n, runs, t, e - s, runs / (e - s) }'
done
cmp -s "$out/t1/sample-city/indices.csv" "$out/t2/sample-city/indices.csv" \
  && echo "  indices byte-identical at 1 and 2 threads" || { echo "  indices DIFFER between thread counts"; exit 1; }

# Observations: births and residents 2021–2050 of the truth run, sd 1 % of the value.
$binary run Benchmarks/research/population-truth.yaml --quiet --out "$out" 2>/dev/null
{ echo "region,variable,year,value,sd"
  awk -F, '$3 == "sioux-falls" && ($4 == "population.births" || $4 == "population.total") && $6 > 2020 {
    printf "%s,%s,%s,%s,%.6g\n", $3, $4, $6, $8, 0.01 * $8 }' "$out/population-truth/forecast.csv"
} > "$out/population-observed.csv"
sed -e "s#scenario: population-2050.yaml#scenario: $PWD/Benchmarks/research/population-2050.yaml#" \
  Benchmarks/research/calibration.yaml > "$out/calibration.yaml"
start=$(date +%s.%N)
$binary calibrate "$out/calibration.yaml" --quiet --out "$out" 2> "$out/lm.log"
end=$(date +%s.%N)
runs=$(grep -o 'after [0-9]* model runs' "$out/lm.log" | awk '{print $2}')
awk -v s="$start" -v e="$end" -v r="$runs" 'BEGIN { printf "LM, 2 parameters, 60 observations, 30 years: %.2f s, %d model runs (%.1f runs/s)\n", e - s, r, r / (e - s) }'
grep ' = ' "$out/lm.log" | sed 's/^/  /'
