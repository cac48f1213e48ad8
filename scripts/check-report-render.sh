#!/usr/bin/env bash
# Renders a decision report in headless Chromium and checks the screenshot is not blank.
#   scripts/check-report-render.sh <citytwin binary> [output folder]
# Runs the small test ensemble and a policy variant into a fresh archive, writes report.html with the
# comparison, screenshots it at 1280×2000 and checks colours and ink (scripts/check_report_render.py).
# Exits 0 with a message, not an error, when Chromium is not installed (CI installs it: .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:?usage: check-report-render.sh <citytwin binary> [output folder]}
out=${2:-${TMPDIR:-/tmp}/citytwin-report-check}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIPPED: chromium is not installed, so the report's rendering was not checked (apt-get install chromium)"
  exit 0
fi
rm -rf "$out"
mkdir -p "$out"
cat > "$out/leak-fix.yaml" <<YAML
extends: $PWD/scenarios/test/ensemble-small.yaml
name: leak-fix
parameters:
  water.leakage: 0.06
YAML
"$binary" compare scenarios/test/ensemble-small.yaml "$out/leak-fix.yaml" --archive "$out/runs/archive.sqlite" --quiet > "$out/compare.txt"
"$binary" report ensemble-small --compare leak-fix --archive "$out/runs/archive.sqlite" --out "$out/report.html"
# Chromium prints D-Bus complaints in containers; only its exit status and the file matter.
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2000 \
  --screenshot="$out/report.png" "file://$out/report.html" > "$out/chromium.log" 2>&1 || {
  cat "$out/chromium.log"; echo "chromium failed"; exit 1; }
python3 scripts/check_report_render.py "$out/report.png"
echo "screenshot: $out/report.png"
