// CalibrationTiming: a plain timer for compare-calibration.sh, beside the package-benchmark suite.
//
//     CalibrationTiming time [--sizes 10000x100x1000] [--seconds 3]
//         Times one ETKF analysis and one stochastic-EnKF analysis (inflation 1.02, no localisation) of
//         the synthetic fixture, analysing the same ensemble in place again and again, and prints
//         RESULT impl=swift kind=etkf n=… N=… m=… core=… threads=… median_s=… min_s=… samples=…
//
//     CalibrationTiming check
//         Prints the ETKF analysis of a small fixture (n = 60, N = 8, m = 12), one `value` per line in
//         column-major order, for `reference/enkf.py check` to compare with numpy.
//
// OpenBLAS's thread count is pinned to OPENBLAS_NUM_THREADS (1 when unset).

import Calibration
import CalibrationFixtures
import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#endif

func environmentThreads() -> Int {
    guard let value = getenv("OPENBLAS_NUM_THREADS"), let n = Int(String(cString: value)), n > 0 else { return 1 }
    return n
}

func option(_ name: String, in arguments: [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let n = sorted.count
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

func seconds(_ d: Duration) -> Double {
    let (s, attoseconds) = d.components
    return Double(s) + Double(attoseconds) * 1e-18
}

func time(n: Int, members: Int, m: Int, budget: Double) {
    let fixture = AnalysisFixture(stateSize: n, members: members, observationCount: m)
    for (kind, method) in [("etkf", EnsembleKalmanFilter.Method.squareRoot), ("enkf", .stochastic)] {
        let filter = EnsembleKalmanFilter(method: method, inflation: 1.02)
        var ensemble = fixture.ensemble
        var generator = SeededGenerator(seed: 1)
        let clock = ContinuousClock()
        for _ in 0..<3 { fixture.analyze(&ensemble, filter: filter, generator: &generator) }  // warm up
        var times: [Double] = []
        let start = clock.now
        while times.count < 5 || (seconds(clock.now - start) < budget && times.count < 1000) {
            let t0 = clock.now
            fixture.analyze(&ensemble, filter: filter, generator: &generator)
            times.append(seconds(clock.now - t0))
        }
        precondition(ensemble[0, 0].isFinite)
        print(
            "RESULT impl=swift kind=\(kind) n=\(n) N=\(members) m=\(m) core=\(BLASInfo.coreName) threads=\(BLASInfo.threadCount)"
                + " median_s=\(median(times)) min_s=\(times.min()!) samples=\(times.count)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
BLASInfo.setThreadCount(environmentThreads())
switch arguments.first {
case "time":
    let budget = Double(option("--seconds", in: arguments) ?? "3")!
    for size in (option("--sizes", in: arguments) ?? "10000x100x1000").split(separator: ",") {
        let parts = size.split(separator: "x").map { Int($0)! }
        time(n: parts[0], members: parts[1], m: parts[2], budget: budget)
    }
case "check":
    let fixture = AnalysisFixture(stateSize: 60, members: 8, observationCount: 12)
    var ensemble = fixture.ensemble
    var generator = SeededGenerator(seed: 1)
    fixture.analyze(
        &ensemble, filter: EnsembleKalmanFilter(method: .squareRoot, inflation: 1.02), generator: &generator)
    for v in ensemble.storage { print(v) }
default:
    print("usage: CalibrationTiming time [--sizes 10000x100x1000] [--seconds 3] | check")
    exit(2)
}
