"""numpy reference for the IO solve benchmarks: factor I − A (LAPACK getrf via scipy-free numpy.linalg.solve,
which calls dgesv = getrf + getrs) and solve one right-hand side, for n = 50 and 500.

A is random non-negative with column sums 0.5, like the Swift benchmark (different random numbers; the
cost of LU does not depend on the values). Prints median wall time per solve in microseconds."""
import sys, time
import numpy as np

def productive(n, rng):
    a = rng.random((n, n))
    return a * (0.5 / a.sum(axis=0))

def median_time(fn, min_seconds=1.0):
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_seconds or len(times) < 10:
        t0 = time.perf_counter_ns(); fn(); times.append(time.perf_counter_ns() - t0)
    times.sort()
    return times[len(times) // 2] / 1000.0

if __name__ == "__main__":
    rng = np.random.default_rng(1)
    try:
        core = np.show_config  # noqa
    except Exception:
        pass
    for n in (50, 500):
        a = productive(n, rng)
        f = np.ones(n)
        m = np.eye(n) - a
        us = median_time(lambda: np.linalg.solve(np.eye(n) - a, f))
        print(f"io_factor_and_solve_{n} numpy_us {us:.2f}")
