#!/usr/bin/env bash
# Issues 5 and 14's benchmark through the real binary: 250 and 1000 members × 25 years of the coupled sample city
# (scenarios/benchmark/ensemble-1000.yaml), with the four-step traffic model in every member and year and without it
# (`without: [traffic]`), at 1 and 2 threads: wall time, members per second, peak resident memory, a check that both
# thread counts wrote byte-identical forecasts, and the with/without ratio measured in the same run (issue 14's
# target: at most 3). Memory should grow with members × state, not members × history: compare 250 and 1000 members.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product citytwin >/dev/null
binary=.build/release/citytwin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'OpenBLAS: %s\n' "$(OPENBLAS_VERBOSE=2 $binary --version 2>&1 | head -1)"
printf '%-8s %-8s %-8s %10s %14s %12s\n' members traffic threads seconds members/s peak_MiB
for members in 250 1000; do
  declare -A seconds_at=()
  for traffic in without with; do
    sed "s/members: 1000/members: $members/; s#model: ../../models#model: $PWD/models#" \
      scenarios/benchmark/ensemble-1000.yaml > "$out/scenario.yaml"
    [[ $traffic == without ]] && printf 'without: [traffic]\n' >> "$out/scenario.yaml"
    for threads in 1 2; do
      /usr/bin/time -f '%e %M' -o "$out/time" $binary run "$out/scenario.yaml" --threads "$threads" --quiet \
        --out "$out/t$threads" 2>/dev/null
      read -r seconds kib < "$out/time"
      seconds_at[$traffic$threads]=$seconds
      awk -v m="$members" -v x="$traffic" -v t="$threads" -v s="$seconds" -v k="$kib" \
        'BEGIN { printf "%-8d %-8s %-8d %10.2f %14.1f %12.1f\n", m, x, t, s, m / s, k / 1024 }'
    done
    cmp -s "$out/t1/ensemble-1000/forecast.csv" "$out/t2/ensemble-1000/forecast.csv" \
      && echo "  $members members $traffic traffic: forecasts byte-identical at 1 and 2 threads" \
      || { echo "  $members members $traffic traffic: forecasts DIFFER between thread counts"; exit 1; }
    rm -rf "$out/t1" "$out/t2"
  done
  for threads in 1 2; do
    awk -v m="$members" -v t="$threads" -v a="${seconds_at[with$threads]}" -v b="${seconds_at[without$threads]}" \
      'BEGIN { printf "  %d members, %d thread(s): with traffic / without = %.2f\n", m, t, a / b }'
  done
done
