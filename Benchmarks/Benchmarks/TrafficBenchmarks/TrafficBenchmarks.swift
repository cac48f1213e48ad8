import Benchmark
import Foundation
import LinearAlgebra
import Traffic

#if canImport(Glibc)
import Glibc
#endif

// Static user-equilibrium assignment, each algorithm, to relative gaps 1e-4 and 1e-6, on
// - Sioux Falls (24 zones, 76 links; the repository's models/sioux-falls/network), and
// - the generated Chicago-sketch-sized grid (`SyntheticGrid`: 900 nodes, 3,480 links, 400 zones; the same network that
//   reference/grid_network.py writes for AequilibraE).
// Shortest paths run on TRAFFIC_THREADS threads (2 when unset, as in the AequilibraE comparison); OpenBLAS is pinned to
// OPENBLAS_NUM_THREADS (1 when unset; assignment does not use BLAS) and its core is printed with every result.
// Plain Frank–Wolfe is measured at 1e-4 only, and conjugate Frank–Wolfe at 1e-4 only on the grid.
// The time-to-TRUE-gap comparison with AequilibraE is reference/run_aequilibrae_compare.sh.

let blasThreads: Int = {
    guard let value = getenv("OPENBLAS_NUM_THREADS"), let n = Int(String(cString: value)), n > 0 else { return 1 }
    return n
}()

let trafficThreads: Int = {
    guard let value = getenv("TRAFFIC_THREADS"), let n = Int(String(cString: value)), n > 0 else { return 2 }
    return n
}()

/// A network and its demand, built in setup (not timed).
final class Case: @unchecked Sendable {
    let network: Network
    let demand: Matrix
    init(network: Network, demand: Matrix) {
        self.network = network
        self.demand = demand
    }

    static func siouxFalls() -> Case {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("models/sioux-falls/network")
        let net = try! TNTPReader.readNetwork(at: folder.appendingPathComponent("SiouxFalls_net.tntp").path)
        let trips = try! TNTPReader.readTrips(at: folder.appendingPathComponent("SiouxFalls_trips.tntp").path)
        return Case(network: try! Network(net), demand: trips.od)
    }

    static func grid() -> Case {
        let (network, demand) = try! SyntheticGrid.make()
        return Case(network: network, demand: demand)
    }

    /// `SyntheticCity`: non-through zones, zero-time connectors, tolls and distance in the cost, dead ends, parallel
    /// links; 12×12 with 40 zones at demand scale 5 is congested (v/c well above 1 at free flow).
    static func city() -> Case {
        let (network, demand) = try! SyntheticCity.make(side: 12, zones: 40, scale: 5)
        return Case(network: network, demand: demand)
    }
}

let benchmarks: @Sendable () -> Void = {
    BLASInfo.setThreadCount(blasThreads)
    let tag = "\(BLASInfo.coreName), BLAS \(BLASInfo.threadCount), SP threads \(trafficThreads)"
    print("OpenBLAS core: \(BLASInfo.coreName); BLAS threads: \(BLASInfo.threadCount); shortest-path threads: \(trafficThreads)")

    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 20
    )

    let cases: [(String, @Sendable () -> Case)] = [("Sioux Falls", Case.siouxFalls), ("grid 900/3480/400", Case.grid)]
    for (name, make) in cases {
        for gap in [1e-4, 1e-6] {
            for algorithm in AssignmentAlgorithm.allCases {
                // FW needs ~10⁵ iterations for 1e-6 on Sioux Falls and CFW ~10⁴; on the grid they are measured at 1e-4 only.
                if algorithm == .frankWolfe && gap < 1e-4 { continue }
                if algorithm == .conjugateFrankWolfe && gap < 1e-4 && name != "Sioux Falls" { continue }
                Benchmark("Assignment \(algorithm.rawValue) to \(gap) on \(name) [\(tag)]") { benchmark, state in
                    for _ in benchmark.scaledIterations {
                        let result = try! Assignment.solve(
                            state.network, demand: state.demand,
                            options: AssignmentOptions(
                                algorithm: algorithm, relativeGap: gap, maxIterations: 100_000, threads: trafficThreads))
                        precondition(result.status == .converged, "\(algorithm) did not reach \(gap) on \(name)")
                        blackHole(result.flows[0])
                    }
                } setup: {
                    make()
                }
            }
        }
    }

    // Algorithm B's tail: to 1e-10 on Sioux Falls and on a congested SyntheticCity (the features that stalled it).
    let precise: [(String, @Sendable () -> Case)] = [("Sioux Falls", Case.siouxFalls), ("city 12x12/40", Case.city)]
    for (name, make) in precise {
        Benchmark("Assignment bush to 1e-10 on \(name) [\(tag)]") { benchmark, state in
            for _ in benchmark.scaledIterations {
                let result = try! Assignment.solve(
                    state.network, demand: state.demand,
                    options: AssignmentOptions(
                        algorithm: .algorithmB, relativeGap: 1e-10, maxIterations: 1000, threads: trafficThreads))
                precondition(result.status == .converged, "bush did not reach 1e-10 on \(name)")
                blackHole(result.flows[0])
            }
        } setup: {
            make()
        }
    }
}
