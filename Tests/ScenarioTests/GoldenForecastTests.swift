import Forecast
import Foundation
import Scenario
import TestSupport
import Testing

/// Golden forecasts: the tiny scenarios in scenarios/test/ run through the command line's path
/// (`ScenarioLoader.loadPlan` → `EnsembleRunner.run` → `RunFolderWriter.write`, as RunCommand does), their
/// forecast.csv compared with Snapshots/<scenario>.csv. To re-record after a deliberate change of results:
///
///     RECORD_SNAPSHOTS=1 swift test --filter GoldenForecastTests
///
/// and review the snapshot diff in the commit.
@Suite("Golden forecasts")
struct GoldenForecastTests {
    /// 1e-9 relative, not byte equality: the numbers go through OpenBLAS, whose kernels (chosen per CPU at
    /// run time) may sum in another order and differ in the last bits from machine to machine; a few
    /// rounding errors amplified over a few ticks stay many orders of magnitude below 1e-9, while any
    /// change in the model's behaviour moves values far more than that.
    static let relativeTolerance = 1e-9

    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// coupled-short: the whole sample city, deterministic, three years — traffic included, so it costs a
    /// few seconds (the four-step model's equilibrium assignment each year). ensemble-small: eight members
    /// without traffic, with a trigger and an alert: quantiles p5 … p95 and the mean.
    @Test("forecast.csv matches its snapshot", arguments: ["coupled-short", "ensemble-small"])
    func forecastMatchesSnapshot(scenario: String) throws {
        let plan = try ScenarioLoader.loadPlan(Repository.path("scenarios/test/\(scenario).yaml"))
        let result = try EnsembleRunner.run(plan, threads: 2)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let runFolder = out.appendingPathComponent(plan.problem.scenario.name)
        try RunFolderWriter.write([("forecast.csv", Data(result.table.csv.utf8))], to: runFolder)
        let forecast = try String(contentsOf: runFolder.appendingPathComponent("forecast.csv"), encoding: .utf8)

        let snapshot = Self.snapshots.appendingPathComponent("\(scenario).csv")
        if ForecastSnapshot.isRecording {
            try FileManager.default.createDirectory(at: Self.snapshots, withIntermediateDirectories: true)
            try forecast.write(to: snapshot, atomically: true, encoding: .utf8)
            return
        }
        guard FileManager.default.fileExists(atPath: snapshot.path) else {
            Issue.record("no snapshot \(snapshot.path); record it with RECORD_SNAPSHOTS=1 swift test --filter GoldenForecastTests")
            return
        }
        let recorded = try String(contentsOf: snapshot, encoding: .utf8)
        let differences = try ForecastSnapshot.differences(
            recorded: recorded, new: forecast, file: "Tests/ScenarioTests/Snapshots/\(scenario).csv",
            relativeTolerance: Self.relativeTolerance)
        if !differences.isEmpty {
            Issue.record("\(scenario) differs from its snapshot (first differing rows):\n\(differences.joined(separator: "\n"))")
        }
    }

    @Test("the comparison passes values within the tolerance and names the first rows outside it")
    func comparisonReportsDifferingRows() throws {
        let header = "model,scenario,region,variable,unit,year,statistic,value\n"
        let recorded =
            header + "m,s,city,a.total,persons,2020,value,1000000\nm,s,city,a.total,persons,2021,value,0\n"
            + "m,s,city,a.share,1,2021,value,NaN\n"
        let within =
            header + "m,s,city,a.total,persons,2020,value,1000000.0005\nm,s,city,a.total,persons,2021,value,1e-12\n"
            + "m,s,city,a.share,1,2021,value,NaN\n"
        #expect(try ForecastSnapshot.differences(recorded: recorded, new: within, file: "x.csv", relativeTolerance: 1e-9).isEmpty)
        let outside = header + "m,s,city,a.total,persons,2020,value,1000002\nm,s,city,a.total,persons,2021,value,0\n"
        let differences = try ForecastSnapshot.differences(recorded: recorded, new: outside, file: "x.csv", relativeTolerance: 1e-9)
        #expect(differences.count == 2)
        #expect(differences[0].contains("recorded 3 rows, new 2"))
        #expect(differences[1].hasPrefix("x.csv:2: m,s,city,a.total,persons,2020,value: recorded 1000000.0, new 1000002.0"))
    }
}
