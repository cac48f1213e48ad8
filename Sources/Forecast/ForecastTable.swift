public import CityTwinCore
public import Scenario

/// A run's indicators as one long table in the IAMC style that scenario-analysis tools read:
/// `model, scenario, region, variable, unit, year, statistic, value`.
///
/// Regions are zone ids, and the city-level rows carry the model's name. `statistic` is `value` for a
/// single deterministic run (ensembles will add mean and quantiles).
public struct ForecastTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public let region: String
        public let variable: String
        public let unit: String
        public let year: Double
        public let statistic: String
        public let value: Double
    }

    public static let header = ["model", "scenario", "region", "variable", "unit", "year", "statistic", "value"]

    public let model: String
    public let scenario: String
    public let rows: [Row]

    /// The table of a recording, ordered by variable, region (city first, then zones in model order) and year.
    public init(recording: Recording, problem: SimulationProblem) {
        model = problem.model.name
        scenario = problem.scenario.name
        let zoneIDs = problem.model.zones.map(\.id)
        var keyed: [(variable: String, region: Region, year: Double, row: Row)] = []
        for observation in recording.observations {
            for sample in observation.samples {
                let regionName: String
                switch sample.region {
                case .city: regionName = problem.model.name
                case .zone(let index): regionName = zoneIDs[index]
                }
                keyed.append((sample.variable, sample.region, observation.time,
                              Row(region: regionName, variable: sample.variable, unit: sample.unit, year: observation.time,
                                  statistic: "value", value: sample.value)))
            }
        }
        keyed.sort { a, b in
            if a.variable != b.variable { return a.variable < b.variable }
            if a.region != b.region { return a.region < b.region }
            return a.year < b.year
        }
        rows = keyed.map(\.row)
    }

    /// The table as CSV text (RFC 4180 quoting where a field needs it).
    public var csv: String {
        var lines = [ForecastTable.header.joined(separator: ",")]
        lines.reserveCapacity(rows.count + 1)
        for row in rows {
            let fields = [model, scenario, row.region, row.variable, row.unit, ForecastTable.format(year: row.year),
                          row.statistic, ForecastTable.format(row.value)]
            lines.append(fields.map(ForecastTable.quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A year as an integer when whole, else with four decimals (monthly ticks).
    static func format(year: Double) -> String {
        year == year.rounded() ? String(Int(year)) : String(format4: year)
    }

    /// A value in Swift's shortest round-trip form (exact, and short for round numbers).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    fileprivate init(format4 value: Double) {
        let scaled = (value * 10_000).rounded() / 10_000
        self = "\(scaled)"
    }
}

#if canImport(Foundation)
import Foundation
#endif
