import Benchmark
import LinearAlgebra
import Population
import PopulationFixtures

#if canImport(Glibc)
import Glibc
#endif

// The population tick (`CohortComponentProjection.step`) and its two matrix products alone, at three
// city sizes: Z = 24 (the Sioux Falls sample), 500 and 2000 zones; 101 single-year ages × 2 sexes.
// Inputs are the seeded synthetic city of `SyntheticPopulation`, built in setup (not timed).
//
// Issue 2's targets: at Z = 2000 the tick within 1.25× of its products alone, and faster than the numpy
// reference (reference/population.py; compare-population.sh runs both and prints the ratios).
//
// OpenBLAS's thread count is pinned to OPENBLAS_NUM_THREADS (1 when unset), and every benchmark's name
// carries the kernel set and thread count, so a result is never read without them.

/// The OpenBLAS thread count: OPENBLAS_NUM_THREADS, or 1.
let blasThreads: Int = {
    guard let value = getenv("OPENBLAS_NUM_THREADS"), let n = Int(String(cString: value)), n > 0 else { return 1 }
    return n
}()

/// The zone counts measured.
let zoneCounts = [24, 500, 2000]

/// A projection and its population, mutated in place by every iteration (a class, so that the benchmark
/// closure's copy of the setup state shares the buffers instead of copying megabytes on first write).
final class TickState: @unchecked Sendable {
    var projection: CohortComponentProjection
    var population: Matrix

    init(zones: Int) {
        let parameters = SyntheticPopulation.parameters(zones: zones)
        projection = CohortComponentProjection(parameters)
        population = parameters.initial
    }
}

/// The tick's products on the same shapes and data.
final class ProductsState: @unchecked Sendable {
    var products: PopulationProducts
    init(zones: Int) { products = PopulationProducts(SyntheticPopulation.parameters(zones: zones)) }
}

let benchmarks: @Sendable () -> Void = {
    BLASInfo.setThreadCount(blasThreads)
    let blas = "\(BLASInfo.coreName), \(BLASInfo.threadCount) thread\(BLASInfo.threadCount == 1 ? "" : "s")"
    print("OpenBLAS core: \(BLASInfo.coreName); threads: \(BLASInfo.threadCount)")

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 3,
        maxDuration: .seconds(3),
        maxIterations: 1000
    )

    for z in zoneCounts {
        Benchmark("Population tick Z=\(z) [\(blas)]") { benchmark, state in
            for _ in benchmark.scaledIterations {
                blackHole(state.projection.step(&state.population))
            }
        } setup: {
            TickState(zones: z)
        }

        Benchmark("Population products (S*Q, R*M) Z=\(z) [\(blas)]") { benchmark, state in
            for _ in benchmark.scaledIterations {
                state.products.run()
            }
            blackHole(state.products.migrated.storage[0])
        } setup: {
            ProductsState(zones: z)
        }
    }
}
