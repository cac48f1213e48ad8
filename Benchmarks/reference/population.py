#!/usr/bin/env python3
"""The CityTwin population tick in numpy: the reference for the Swift benchmarks.

The same equations as Sources/Population/CohortComponentProjection.swift, the same shapes and the same
seeded synthetic city as Benchmarks/Sources/PopulationFixtures/SyntheticPopulation.swift (the uniforms
are rebuilt bit for bit from the same counter-based SplitMix64 streams). With P the (2A x Z) population,
females in rows 0..A-1 and males in rows A..2A-1, N the net migrants per year, alpha the share joining at
the start, h the step in years:

    Q = P + alpha*h*N
    R = S @ Q                      survival GEMM, S the (2A x 2A) block survival operator
    R = R @ M                      migration GEMM, M the (Z x Z) row-stochastic transition matrix
    R += (1 - alpha)*h*N
    B_z = (h/2) phi sum_x F_x (Q_f[x, z] + R_f[x, z])      births: two GEMVs
    R_f[0] += B*S_birth_f/(1 + srb);  R_m[0] += B*srb*S_birth_m/(1 + srb)

and the flows (deaths, net and internal migration, births by age of mother) as the Swift tick computes
them. Written as a numpy user would write it well: preallocated buffers and `out=` products, so that
the comparison is with good numpy, not with a strawman.

    python3 population.py time [--zones 24,500,2000] [--seconds 2]
        Times the tick and its two products alone, alternating; one line each per Z:
        RESULT impl=numpy kind=tick|products zones=Z core=... threads=... median_s=... min_s=...
    python3 population.py check FILE [--zones 7] [--steps 3]
        Projects the small synthetic city and compares it with FILE, the output of
        `PopulationTiming check` with the same options; exit status 1 on a mismatch.

Pin OpenBLAS's threads with OPENBLAS_NUM_THREADS before starting Python (numpy reads it at import).
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

A = 101  # single-year ages 0..100+
SEED = 2020
STREAMS = dict(survivalFemale=1, survivalMale=2, birthSurvival=3, fertility=4, initial=5, netMigration=6,
               migration=7)
MASK = (1 << 64) - 1


def uniforms(seed, count):
    """Counter-based SplitMix64: u_k = finalise(seed + (k + 1) * gamma) >> 11 * 2**-53 (see the Swift file)."""
    with np.errstate(over="ignore"):
        k = np.arange(1, count + 1, dtype=np.uint64)
        x = np.uint64(seed & MASK) + k * np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53


def column_major(values, rows, columns):
    return np.ascontiguousarray(values.reshape((rows, columns), order="F"))


class SyntheticCity:
    """The seeded synthetic city of SyntheticPopulation.swift (the recipe is documented there)."""

    def __init__(self, zones, seed=SEED):
        z = zones
        draw = lambda name, n: uniforms(seed + STREAMS[name], n)
        self.zones = z
        self.interval = 1.0
        self.survival_female = np.concatenate(([0.0], 0.95 + 0.0499 * draw("survivalFemale", A)[1:]))
        self.survival_male = np.concatenate(([0.0], 0.95 + 0.0499 * draw("survivalMale", A)[1:]))
        self.birth_female, self.birth_male = 0.99 + 0.0099 * draw("birthSurvival", 2)
        fertility = 0.1 * draw("fertility", A)
        ages = np.arange(A)
        self.fertility = np.where((ages >= 15) & (ages <= 49), fertility, 0.0)
        self.sex_ratio = 1.05
        self.initial = column_major(100 + 900 * draw("initial", 2 * A * z), 2 * A, z)
        self.net_migration = column_major(2 * draw("netMigration", 2 * A * z) - 1, 2 * A, z)
        w = column_major(draw("migration", z * z), z, z)
        self.migration = 0.1 * w / w.sum(axis=1, keepdims=True) + 0.9 * np.eye(z)
        self.alpha = 0.5  # split timing
        self.fertility_scale = 1.0
        self.net_migration_scale = 1.0


def survival_operator(female, male):
    """diag(S_f, S_m): ratios on the subdiagonal, the open group's ratio twice in its last row."""
    s = np.zeros((2 * A, 2 * A))
    for offset, ratios in ((0, female), (A, male)):
        x = np.arange(1, A)
        s[offset + x, offset + x - 1] = ratios[1:]
        s[offset + A - 1, offset + A - 1] = ratios[A - 1]
    return s


class Projection:
    """One tick of the multi-region cohort-component projection, with preallocated buffers."""

    def __init__(self, city):
        self.city = city
        z = city.zones
        self.S = survival_operator(city.survival_female, city.survival_male)
        h = city.interval
        scale = city.net_migration_scale * h
        self.early = city.alpha * scale * city.net_migration
        self.late = (1 - city.alpha) * scale * city.net_migration
        self.net_by_zone = scale * city.net_migration.sum(axis=0)
        self.rates = city.fertility * city.fertility_scale * h / 2
        srb = city.sex_ratio
        self.female_birth = city.birth_female / (1 + srb)
        self.male_birth = city.birth_male * srb / (1 + srb)
        self.birth_deaths = (1 - city.birth_female) / (1 + srb) + (1 - city.birth_male) * srb / (1 + srb)
        self.Q = np.empty((2 * A, z))
        self.R = np.empty((2 * A, z))
        self.RM = np.empty((2 * A, z))

    def step(self, population):
        """Advances `population` in place; returns the step's flows by zone."""
        Q, R, RM = self.Q, self.R, self.RM
        np.add(population, self.early, out=Q)
        np.matmul(self.S, Q, out=R)
        exposed_sum = Q.sum(axis=0)
        survived_sum = R.sum(axis=0)
        np.matmul(R, self.city.migration, out=RM)
        internal = RM.sum(axis=0) - survived_sum
        np.add(RM, self.late, out=population)
        births = self.rates @ Q[:A] + self.rates @ population[:A]
        births_by_age = self.rates * (Q[:A].sum(axis=1) + population[:A].sum(axis=1))
        population[0] += births * self.female_birth
        population[A] += births * self.male_birth
        deaths = exposed_sum - survived_sum + births * self.birth_deaths
        return dict(births=births, deaths=deaths, netMigration=self.net_by_zone, internalMigration=internal,
                    birthsByAgeOfMother=births_by_age)


def core_and_threads():
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


def time_batch(batch, body):
    start = time.perf_counter()
    for _ in range(batch):
        body()
    return (time.perf_counter() - start) / batch


def time_zones(z, budget):
    """Times the tick and its two products alone (S @ Q, R @ M), alternating batches as the Swift tool does."""
    city = SyntheticCity(z)
    projection = Projection(city)
    population = city.initial.copy()
    S, P, M = projection.S, city.initial, city.migration
    survived, migrated = np.empty_like(P), np.empty_like(P)
    tick = lambda: projection.step(population)
    products = lambda: (np.matmul(S, P, out=survived), np.matmul(survived, M, out=migrated))
    time_batch(3, tick)
    time_batch(3, products)
    once = time_batch(3, tick)
    batch = max(1, int(np.ceil(0.005 / once)))
    samples = max(5, int(budget / (2 * once * batch)))
    ticks, gemms = [], []
    for _ in range(samples):
        ticks.append(time_batch(batch, tick))
        gemms.append(time_batch(batch, products))
    paired = statistics.median(t / g for t, g in zip(ticks, gemms))
    core, threads = core_and_threads()
    for kind, times in (("tick", ticks), ("products", gemms)):
        extra = f" paired_ratio={paired}" if kind == "tick" else ""
        print(f"RESULT impl=numpy kind={kind} zones={z} core={core} threads={threads}"
              f" median_s={statistics.median(times)} min_s={min(times)} samples={samples} batch={batch}{extra}",
              flush=True)


def check(path, zones, steps):
    """Compares numpy's projection with the Swift one in `path`; returns True when they agree."""
    city = SyntheticCity(zones)
    projection = Projection(city)
    population = city.initial.copy()
    for _ in range(max(1, steps)):
        flows = projection.step(population)
    ours = dict(flows, population=population.reshape(-1, order="F"))
    theirs = {}
    with open(path) as f:
        for line in f:
            name, index, value = line.split()
            theirs.setdefault(name, {})[int(index)] = float(value)
    ok = True
    # Tolerance: both sides run the same products in a different summation order (the OpenBLAS builds and
    # kernels differ), so they agree to rounding. Deaths and internal migration are differences of sums
    # of a zone's whole population, so every flow is measured against the largest zone total as well as
    # its own largest value: 1e-12 of that leaves room for the ~200-term sums and nothing more.
    zone_total = np.abs(population).sum(axis=0).max()
    for name, values in ours.items():
        swift = np.array([theirs.get(name, {}).get(k, np.nan) for k in range(len(values))])
        scale = max(1.0, np.abs(values).max(), zone_total)
        error = np.abs(swift - values).max() / scale
        agrees = error <= 1e-12 and len(theirs.get(name, {})) == len(values)
        ok &= bool(agrees)
        print(f"check {name:20s} n={len(values):5d} max relative difference {error:.2e} "
              f"{'ok' if agrees else 'MISMATCH'}")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("time")
    t.add_argument("--zones", default="24,500,2000")
    t.add_argument("--seconds", type=float, default=2.0)
    c = sub.add_parser("check")
    c.add_argument("file")
    c.add_argument("--zones", type=int, default=7)
    c.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    if args.command == "time":
        for z in map(int, args.zones.split(",")):
            time_zones(z, args.seconds)
    else:
        sys.exit(0 if check(args.file, args.zones, args.steps) else 1)


if __name__ == "__main__":
    main()
