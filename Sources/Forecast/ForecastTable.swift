import Foundation

/// A run's indicators as one long table in the IAMC style that scenario-analysis tools read:
/// `model, scenario, region, variable, unit, year, statistic, value`.
///
/// Regions are zone ids, and the city-level rows carry the model's name. `statistic` is `value` for a
/// deterministic run, and `mean`, `p5`, `p25`, `p50`, `p75`, `p95` (and `member N` when member
/// output is asked for) for an ensemble.
public struct ForecastTable: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public let region: String
        public let variable: String
        public let unit: String
        public let year: Double
        public let statistic: String
        public let value: Double

        public init(region: String, variable: String, unit: String, year: Double, statistic: String, value: Double) {
            self.region = region
            self.variable = variable
            self.unit = unit
            self.year = year
            self.statistic = statistic
            self.value = value
        }
    }

    public static let header = ["model", "scenario", "region", "variable", "unit", "year", "statistic", "value"]

    public let model: String
    public let scenario: String
    public let rows: [Row]

    /// A table of `rows`, which must already be in the order to write.
    public init(model: String, scenario: String, rows: [Row]) {
        self.model = model
        self.scenario = scenario
        self.rows = rows
    }

    /// The table as CSV text (RFC 4180 quoting where a field needs it).
    public var csv: String {
        var text = ForecastTable.header.joined(separator: ",") + "\n"
        text.reserveCapacity(rows.count * 80)
        let prefix = ForecastTable.prefix(model: model, scenario: scenario)
        for row in rows { ForecastTable.append(row, prefix: prefix, to: &text) }
        return text
    }

    /// The CSV prefix of every row: model and scenario.
    static func prefix(model: String, scenario: String) -> String {
        ForecastTable.quoted(model) + "," + ForecastTable.quoted(scenario) + ","
    }

    /// Appends one row's CSV line (after `prefix`).
    static func append(_ row: Row, prefix: String, to text: inout String) {
        text += prefix
        text += [
            ForecastTable.quoted(row.region), ForecastTable.quoted(row.variable), ForecastTable.quoted(row.unit),
            ForecastTable.format(year: row.year), row.statistic, ForecastTable.format(row.value),
        ]
        .joined(separator: ",")
        text += "\n"
    }

    /// The value of one cell, if present.
    public func value(_ variable: String, region: String, year: Double, statistic: String = "value") -> Double? {
        rows.first { $0.variable == variable && $0.region == region && $0.year == year && $0.statistic == statistic }?.value
    }

    /// A year as an integer when whole, else with four decimals (monthly ticks).
    static func format(year: Double) -> String {
        year == year.rounded() ? String(Int(year)) : String(format: "%.4f", year)
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
