#!/usr/bin/env bash
# Installs the system libraries CityTwin links against (Debian/Ubuntu): OpenBLAS (CBLAS + LAPACK) and
# LAPACKE, found through pkg-config; SQLite (the run archive, through GRDB). Safe to run again; does nothing when all are present.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev libsqlite3-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "system libraries present: ${packages[*]}"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
