import Benchmark
import Forecast
import Foundation
import LinearAlgebra
import Scenario

// Issue 5's hot path: an ensemble of the coupled sample city run in lockstep by `EnsembleRunner`,
// members in parallel on 1 and 2 threads (OpenBLAS pinned to one thread per member), reporting
// members per second and peak memory. The scenario is scenarios/benchmark/ensemble-1000.yaml; the
// package-benchmark runs use 100 members to keep iterations short, and `ensemble.sh` runs the full
// 1000 × 25 years through the citytwin binary. Targets: 1000 × 25 years in ≤ 10 s on 2 cores without traffic
// (issue 5); with the four-step traffic model in every member and year, at most 3× the time without (issue 14).

let scenarioPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scenarios/benchmark/ensemble-1000.yaml").path

let benchmarks: @Sendable () -> Void = {
    BLASInfo.setThreadCount(1)
    print("OpenBLAS core: \(BLASInfo.coreName); threads per member: 1")
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .throughput],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(10),
        maxIterations: 5
    )
    for threads in [1, 2] {
        for traffic in [false, true] {
            // Throughput counts members: 100 members per iteration, 25 years each.
            let name = "Ensemble 100 members x 25 years, coupled city \(traffic ? "with" : "without") traffic"
            Benchmark("\(name) [\(threads) thread\(threads == 1 ? "" : "s")]", configuration: .init(scalingFactor: .one)) {
                benchmark, plan in
                for _ in benchmark.scaledIterations {
                    blackHole(try EnsembleRunner.run(plan, threads: threads).table.rows.count)
                }
            } setup: {
                let problem = try ScenarioLoader.load(scenarioPath)
                var spec = problem.scenario
                spec.ensemble.members = 100
                if !traffic { spec.without = ["traffic"] }
                return try SimulationProblem(scenario: spec, model: problem.model, scenarioFiles: problem.scenarioFiles).plan()
            }
        }
    }
}
