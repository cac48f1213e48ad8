// PopulationTiming: a plain timer for compare-population.sh, beside the canonical package-benchmark suite.
//
//     PopulationTiming time [--zones 24,500,2000] [--seconds 2]
//         For each Z, times the tick (`CohortComponentProjection.step`) and its two GEMMs alone
//         (`PopulationProducts.run`), alternating batches of each so that both see the same machine
//         load, and prints one line per measurement:
//         RESULT impl=swift kind=tick zones=Z core=Haswell threads=1 median_s=… min_s=… samples=… batch=…
//
//     PopulationTiming check [--zones 7] [--steps 3]
//         Projects the synthetic city and prints the final population and the last step's flows, one
//         `name index value` line each, for `reference/population.py --check` to compare with numpy.
//
// OpenBLAS's thread count is pinned to OPENBLAS_NUM_THREADS (1 when unset).

import LinearAlgebra
import Population
import PopulationFixtures

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

/// Seconds per call of `body`, run `batch` times in a row.
func timeBatch(_ batch: Int, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<batch { body() }
    return seconds(clock.now - start) / Double(batch)
}

/// Times the tick and the products at Z zones, alternating, within about `budget` seconds.
func timeZones(_ z: Int, budget: Double) {
    let parameters = SyntheticPopulation.parameters(zones: z)
    var projection = CohortComponentProjection(parameters)
    var population = parameters.initial
    var products = PopulationProducts(parameters)
    var sink = 0.0
    let tick = { sink += projection.step(&population).births[0] }
    let gemms = { products.run() }

    // Warm up (page in the buffers, let OpenBLAS start its threads), then size batches to ≥ 5 ms.
    _ = timeBatch(3, tick)
    _ = timeBatch(3, gemms)
    let once = timeBatch(3, tick)
    let batch = max(1, Int((0.005 / once).rounded(.up)))
    let samples = max(5, Int(budget / (2 * once * Double(batch))))
    var tickTimes: [Double] = [], productTimes: [Double] = []
    for _ in 0..<samples {
        tickTimes.append(timeBatch(batch, tick))
        productTimes.append(timeBatch(batch, gemms))
    }
    precondition(sink.isFinite && products.migrated.storage[0].isFinite)
    // Each tick batch is paired with the products batch run right after it: the median of their ratios is
    // steadier than a ratio of medians on a shared machine whose load drifts.
    let paired = median(zip(tickTimes, productTimes).map { $0 / $1 })
    for (kind, times) in [("tick", tickTimes), ("products", productTimes)] {
        print("RESULT impl=swift kind=\(kind) zones=\(z) core=\(BLASInfo.coreName) threads=\(BLASInfo.threadCount)"
            + " median_s=\(median(times)) min_s=\(times.min()!) samples=\(samples) batch=\(batch)"
            + (kind == "tick" ? " paired_ratio=\(paired)" : ""))
    }
}

/// Prints the synthetic city after `steps` ticks, and the last tick's flows, for the numpy comparison.
func check(zones z: Int, steps: Int) {
    let parameters = SyntheticPopulation.parameters(zones: z)
    var projection = CohortComponentProjection(parameters)
    var population = parameters.initial
    var flows = projection.step(&population)
    for _ in 1..<max(1, steps) { flows = projection.step(&population) }
    for (k, v) in population.storage.enumerated() { print("population \(k) \(v)") }
    for (name, values) in [
        ("births", flows.births), ("deaths", flows.deaths), ("netMigration", flows.netMigration),
        ("internalMigration", flows.internalMigration), ("birthsByAgeOfMother", flows.birthsByAgeOfMother),
    ] {
        for (k, v) in values.enumerated() { print("\(name) \(k) \(v)") }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
BLASInfo.setThreadCount(environmentThreads())
switch arguments.first {
case "time":
    let zones = (option("--zones", in: arguments) ?? "24,500,2000").split(separator: ",").map { Int($0)! }
    let budget = Double(option("--seconds", in: arguments) ?? "2")!
    for z in zones { timeZones(z, budget: budget) }
case "check":
    check(zones: Int(option("--zones", in: arguments) ?? "7")!, steps: Int(option("--steps", in: arguments) ?? "3")!)
default:
    print("usage: PopulationTiming time [--zones 24,500,2000] [--seconds 2] | check [--zones 7] [--steps 3]")
    exit(2)
}
