import Benchmark
import Calibration
import CalibrationFixtures
import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#endif

// One ensemble Kalman analysis (ETKF and stochastic EnKF, inflation 1.02, observations by index) on the
// synthetic fixture of `AnalysisFixture`: a small case (n = 1000, N = 40, m = 100) and issue 13's large one
// (n = 10⁴ state variables, N = 100 members, m = 10³ observations). Each iteration analyses the same
// ensemble again in place (the cost does not depend on the values). reference/enkf.py runs the same
// update in numpy; compare-calibration.sh prints the ratios.
//
// OpenBLAS's thread count is pinned to OPENBLAS_NUM_THREADS (1 when unset), and every benchmark's name
// carries the kernel set and thread count.

let blasThreads: Int = {
    guard let value = getenv("OPENBLAS_NUM_THREADS"), let n = Int(String(cString: value)), n > 0 else { return 1 }
    return n
}()

/// The ensemble and generator, mutated by every iteration (a class so the closure shares the buffers).
final class AnalysisState: @unchecked Sendable {
    let fixture: AnalysisFixture
    var ensemble: Matrix
    var generator = SeededGenerator(seed: 1)

    init(n: Int, members: Int, m: Int) {
        fixture = AnalysisFixture(stateSize: n, members: members, observationCount: m)
        ensemble = fixture.ensemble
    }
}

let benchmarks: @Sendable () -> Void = {
    BLASInfo.setThreadCount(blasThreads)
    let blas = "\(BLASInfo.coreName), \(BLASInfo.threadCount) thread\(BLASInfo.threadCount == 1 ? "" : "s")"
    print("OpenBLAS core: \(BLASInfo.coreName); threads: \(BLASInfo.threadCount)")

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 3,
        maxDuration: .seconds(3),
        maxIterations: 500
    )

    for (n, members, m) in [(1000, 40, 100), (10_000, 100, 1000)] {
        for (name, method) in [("ETKF", EnsembleKalmanFilter.Method.squareRoot), ("stochastic EnKF", .stochastic)] {
            let filter = EnsembleKalmanFilter(method: method, inflation: 1.02)
            Benchmark("\(name) analysis n=\(n) N=\(members) m=\(m) [\(blas)]") { benchmark, state in
                for _ in benchmark.scaledIterations {
                    state.fixture.analyze(&state.ensemble, filter: filter, generator: &state.generator)
                }
                blackHole(state.ensemble[0, 0])
            } setup: {
                AnalysisState(n: n, members: members, m: m)
            }
        }
    }
}
