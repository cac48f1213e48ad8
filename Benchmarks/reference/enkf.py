#!/usr/bin/env python3
"""numpy reference for CalibrationBenchmarks: one ensemble Kalman analysis on the same synthetic fixture.

    enkf.py time [--sizes 10000x100x1000] [--seconds 3]
    enkf.py check < swift_check_output      # compares with `CalibrationTiming check`

The fixture (AnalysisFixture.swift) is rebuilt from the same counter-based SplitMix64 hash. numpy keeps the
ensemble as an N x n array (members as rows), the layout DAPPER uses (github.com/nansencenter/DAPPER,
dapper/da_methods/ensemble.py), and the updates follow DAPPER's formulations of the same mathematics:

- etkf: Hunt et al. (2007) in ensemble space with unnormalised anomalies: eigen-decomposition of
  Y R^-1 Y^T + (N-1) I, mean weights w, symmetric square root T, E_a = mu + w A + infl * T A.
- enkf_gain: DAPPER's "PertObs": perturbed, centred observations D; C = Y^T Y + (N-1) R; the n x m gain
  K = A^T Y C^-1; E_a = E + (y + D - HE) K^T; then inflation about the analysis mean.
- enkf_ensemble: the same stochastic update in ensemble space (Woodbury), as the Swift code computes it:
  E_a = E + A^T-weighted N x N transform; numpy's counterpart of the same algorithm.

Inflation 1.02 multiplies the analysis anomalies. OpenBLAS threads are pinned by OPENBLAS_NUM_THREADS,
which must be set before numpy is imported (compare-calibration.sh does so); the kernel set numpy's
OpenBLAS chose is printed with every result (asked of numpy's bundled scipy-openblas, as population.py does).
"""
import os
import sys
import time

import numpy as np

MASK = (1 << 64) - 1


def uniform(stream, counters):
    """u(s, c) of AnalysisFixture.swift, vectorised over uint64 counters."""
    z = (np.uint64(stream) << np.uint64(40)) + counters.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def fixture(n, N, m):
    # Swift's column-major E[i, j] has counter i + j*n: row j of the N x n array, column i.
    E = 4 * uniform(1, np.arange(n * N, dtype=np.uint64)).reshape(N, n)
    y = 4 * uniform(2, np.arange(m, dtype=np.uint64))
    r = 0.5 + uniform(3, np.arange(m, dtype=np.uint64))
    idx = np.arange(m) * (n // m)
    return E, y, r, idx


def etkf(E, y, r, idx, infl):
    N = E.shape[0]
    mu = E.mean(axis=0)
    A = E - mu
    Eo = E[:, idx]
    yb = Eo.mean(axis=0)
    Y = Eo - yb
    C = Y / r                                   # Y R^-1 (N x m)
    s, V = np.linalg.eigh(C @ Y.T + (N - 1) * np.eye(N))
    Pw = (V / s) @ V.T
    T = (V / np.sqrt(s)) @ V.T * np.sqrt(N - 1)
    w = (y - yb) @ C.T @ Pw
    return mu + w @ A + infl * (T @ A)


def enkf_gain(E, y, r, idx, infl, rng):
    N, m = E.shape[0], len(idx)
    mu = E.mean(axis=0)
    A = E - mu
    Eo = E[:, idx]
    Y = Eo - Eo.mean(axis=0)
    D = rng.standard_normal((N, m)) * np.sqrt(r)
    D -= D.mean(axis=0)
    C = Y.T @ Y + (N - 1) * np.diag(r)
    YC = np.linalg.solve(C, Y.T).T              # Y C^-1 (C symmetric)
    K = A.T @ YC                                # n x m gain
    Ea = E + (y + D - Eo) @ K.T
    ma = Ea.mean(axis=0)
    return ma + infl * (Ea - ma)


def enkf_ensemble(E, y, r, idx, infl, rng):
    N, m = E.shape[0], len(idx)
    Eo = E[:, idx]
    Y = (Eo - Eo.mean(axis=0)) / np.sqrt(N - 1)
    D = rng.standard_normal((N, m)) * np.sqrt(r)
    D -= D.mean(axis=0)
    S = Y / r
    M = S @ Y.T + np.eye(N)
    G = np.linalg.solve(M, S @ (y + D - Eo).T)  # N x N
    T = np.eye(N) + (G - G.mean(axis=0)) / np.sqrt(N - 1)
    T = infl * T + (1 - infl) * T.mean(axis=1, keepdims=True)
    return T.T @ E


def blas_info():
    """OpenBLAS's kernel set and thread count, asked of the library numpy bundles (scipy-openblas)."""
    import ctypes
    import glob
    libs = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "libscipy_openblas*.so*")
    for path in glob.glob(libs):
        try:
            lib = ctypes.CDLL(path)  # already loaded by numpy: the same handle, the same thread pool
            lib.scipy_openblas_get_corename64_.restype = ctypes.c_char_p
            return lib.scipy_openblas_get_corename64_().decode(), lib.scipy_openblas_get_num_threads64_()
        except (OSError, AttributeError):
            continue
    return "unknown", os.environ.get("OPENBLAS_NUM_THREADS", "default")


def main():
    args = sys.argv[1:]
    opt = lambda name, default: args[args.index(name) + 1] if name in args else default
    if not args or args[0] == "time":
        budget = float(opt("--seconds", "3"))
        core, threads = blas_info()
        for size in opt("--sizes", "10000x100x1000").split(","):
            n, N, m = map(int, size.split("x"))
            E0, y, r, idx = fixture(n, N, m)
            rng = np.random.default_rng(1)
            for kind, fn in [("etkf", lambda E: etkf(E, y, r, idx, 1.02)),
                             ("enkf", lambda E: enkf_ensemble(E, y, r, idx, 1.02, rng)),
                             ("enkf_gain", lambda E: enkf_gain(E, y, r, idx, 1.02, rng))]:
                E = E0.copy()
                for _ in range(3):
                    E = fn(E)
                times = []
                start = time.perf_counter()
                while len(times) < 5 or (time.perf_counter() - start < budget and len(times) < 1000):
                    t0 = time.perf_counter()
                    E = fn(E)
                    times.append(time.perf_counter() - t0)
                assert np.isfinite(E[0, 0])
                print(f"RESULT impl=numpy kind={kind} n={n} N={N} m={m} core={core} threads={threads} "
                      f"median_s={np.median(times)} min_s={min(times)} samples={len(times)}")
    elif args[0] == "check":
        swift = np.array([float(line) for line in sys.stdin if line.strip()])
        E, y, r, idx = fixture(60, 8, 12)
        Ea = etkf(E, y, r, idx, 1.02)
        ours = Ea.reshape(-1)                   # row j = member j: the same order as Swift's column-major
        err = np.max(np.abs(ours - swift)) / np.max(np.abs(ours))
        print(f"ETKF check: max relative difference Swift vs numpy {err:.2e} over {ours.size} values")
        sys.exit(0 if err < 1e-10 else 1)
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
