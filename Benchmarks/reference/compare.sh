#!/usr/bin/env bash
# Runs the Swift IO-solve benchmarks and the numpy reference side by side on this machine and prints
# the ratio Swift/numpy of median wall times. Both pinned to the same OpenBLAS thread count.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
echo "OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS"
python3 -c "import numpy; numpy.show_config()" 2>/dev/null | grep -iE "openblas|name|version" | head -6 || true
python3 reference/io_solve.py | tee /tmp/numpy_io.txt
swift package --disable-sandbox benchmark --target EconomyBenchmarks --filter "io_factor_and_solve_.*" \
    --format jmh --path /tmp/ 2>/dev/null >/dev/null || true
swift package --disable-sandbox benchmark --target EconomyBenchmarks --filter "io_.*|coupled_.*" 2>&1 | tee /tmp/swift_io.txt
python3 - <<'PY'
import re
numpy = {m.group(1): float(m.group(2)) for m in re.finditer(r"(io_factor_and_solve_\d+) numpy_us ([\d.]+)", open('/tmp/numpy_io.txt').read())}
text = open('/tmp/swift_io.txt').read()
for name, ref in numpy.items():
    # package-benchmark prints a table per benchmark; take the p50 of the "Time (wall clock)" row.
    marker = "\n" + name + "\n"
    block = text.split(marker, 1)[1] if marker in text else ""
    m = re.search(r"Time \(wall clock\) \((\w+)\) \*?\s*│\s*([\d.]+)\s*│\s*([\d.]+)\s*│\s*([\d.]+)", block)
    if not m:
        print(f"{name}: numpy {ref:.2f} us; Swift figure not parsed (see /tmp/swift_io.txt)"); continue
    unit, p50 = m.group(1), float(m.group(4))  # columns p0, p25, p50
    scale = {"ns": 1e-3, "us": 1, "μs": 1, "ms": 1e3, "s": 1e6}.get(unit, 1)
    swift = p50 * scale
    print(f"{name}: Swift {swift:.2f} us, numpy {ref:.2f} us, ratio Swift/numpy {swift/ref:.2f}")
PY
