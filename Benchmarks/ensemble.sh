#!/usr/bin/env bash
# Issue 5's benchmark through the real binary: 1000 members × 25 years of the coupled sample city
# (scenarios/benchmark/ensemble-1000.yaml) at 1 and 2 threads, with wall time, members per second and
# peak resident memory, and a check that both thread counts wrote byte-identical forecasts.
# Memory should grow with members × state, not members × history: compare 250 and 1000 members.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product citytwin >/dev/null
binary=.build/release/citytwin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'OpenBLAS: %s\n' "$(OPENBLAS_VERBOSE=2 $binary --version 2>&1 | head -1)"
printf '%-8s %-8s %10s %14s %12s\n' members threads seconds members/s peak_MiB
for members in 250 1000; do
  sed "s/members: 1000/members: $members/" scenarios/benchmark/ensemble-1000.yaml > "$out/scenario.yaml"
  sed -i "s#model: ../../models#model: $PWD/models#" "$out/scenario.yaml"
  for threads in 1 2; do
    /usr/bin/time -f '%e %M' -o "$out/time" $binary run "$out/scenario.yaml" --threads "$threads" --quiet \
      --out "$out/t$threads" 2>/dev/null
    read -r seconds kib < "$out/time"
    awk -v m="$members" -v t="$threads" -v s="$seconds" -v k="$kib" \
      'BEGIN { printf "%-8d %-8d %10.2f %14.1f %12.1f\n", m, t, s, m / s, k / 1024 }'
  done
  cmp -s "$out/t1/ensemble-1000/forecast.csv" "$out/t2/ensemble-1000/forecast.csv" \
    && echo "  $members members: forecasts byte-identical at 1 and 2 threads" \
    || { echo "  $members members: forecasts DIFFER between thread counts"; exit 1; }
done

# With the four-step traffic model in every member and year (user equilibrium by Algorithm B with
# skim feedback): 40 members, to extrapolate.
echo "with traffic:"
sed "s/members: 1000/members: 40/; s/^without: \[traffic\]//; s#model: ../../models#model: $PWD/models#" \
  scenarios/benchmark/ensemble-1000.yaml > "$out/traffic.yaml"
for threads in 1 2; do
  /usr/bin/time -f '%e %M' -o "$out/time" $binary run "$out/traffic.yaml" --threads "$threads" --quiet --out "$out/x$threads" 2>/dev/null
  read -r seconds kib < "$out/time"
  awk -v t="$threads" -v s="$seconds" -v k="$kib" \
    'BEGIN { printf "%-8d %-8d %10.2f %14.1f %12.1f   (1000 members: ~%.0f s)\n", 40, t, s, 40 / s, k / 1024, s * 25 }'
done
