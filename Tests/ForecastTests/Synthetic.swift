import Foundation
import Scenario

@testable import Forecast

/// Synthetic archived runs with known member values, for archive, comparison and report tests.
enum Synthetic {
    static func temporaryArchive() throws -> (RunArchive, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-forecast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (try RunArchive(path: folder.appendingPathComponent("archive.sqlite").path), folder)
    }

    /// A run of `name` with member values per series: `series[variable] = (kind, better, unit, values[year][member])`,
    /// years start+0 … start+n−1, and forecast rows (mean, p5 … p95) computed from them at city level.
    static func record(
        id: String, name: String, members: Int, start: Int = 2020,
        series: [(variable: String, kind: String, better: String, unit: String, values: [[Double]])],
        alerts: [AlertReport] = [], triggers: [(name: String, share: Double)] = []
    ) -> RunArchive.Record {
        let years = series.first.map { $0.values.indices.map { Double(start + $0) } } ?? []
        var rows: [ForecastTable.Row] = []
        for s in series {
            for (t, year) in years.enumerated() {
                guard let stats = EnsembleStatistic.summarise(s.values[t]) else { continue }
                for (statistic, value) in zip(EnsembleStatistic.allCases, stats) {
                    rows.append(
                        .init(
                            region: "testcity", variable: s.variable, unit: s.unit, year: year, statistic: statistic.rawValue, value: value)
                    )
                }
            }
        }
        let manifest: @Sendable (Int) throws -> Data = { version in
            try JSONSerialization.data(
                withJSONObject: ["run_id": id, "version": version, "scenario": ["name": name]], options: [.sortedKeys])
        }
        return RunArchive.Record(
            id: id, name: name, model: "testcity", members: members, startYear: start, endYear: start + years.count - 1,
            manifest: manifest, table: ForecastTable(model: "testcity", scenario: name, rows: rows),
            alertsJSON: alerts.isEmpty ? nil : try? AlertReport.json(alerts), alerts: alerts,
            events: [InterventionEvent(member: 0, year: Double(start + 1), intervention: "charge", action: "applied")],
            triggers: triggers.map { TriggerSummary(intervention: $0.name, share: $0.share, medianFirstYear: nil) },
            series: series.map {
                .init(variable: $0.variable, region: "testcity", unit: $0.unit, kind: $0.kind, better: $0.better, aggregation: "sum")
            },
            years: series.map { _ in years }, values: series.map(\.values))
    }

    static func alert(_ name: String, probabilities: [Double], start: Int = 2020) -> AlertReport {
        var cumulative = 0.0
        let byYear = probabilities.enumerated().map { index, p in
            cumulative = max(cumulative, p)
            return AlertReport.YearProbability(year: Double(start + index), probability: p, cumulativeProbability: cumulative)
        }
        return AlertReport(
            name: name, condition: "x < 1", withinYears: probabilities.count - 1, probabilityAtLeast: 0.2, members: 10,
            probabilityByYear: byYear, probabilityWithin: cumulative,
            firstYear: byYear.first { $0.probability >= 0.2 }?.year, zones: [])
    }
}
