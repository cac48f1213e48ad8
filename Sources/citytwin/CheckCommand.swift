import ArgumentParser
import CityTwinCore
import Foundation
import Scenario

/// `citytwin check <model>`: the model's base year against the real city's facts (`facts.csv`).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare a model's base year with the real city's facts (facts.csv in the model folder).",
        discussion: """
            Runs the model's base year once and prints, for each fact, the model's figure, the fact, the \
            difference (model − fact, absolute and relative) and whether it is within the fact's stated \
            tolerance. Exit status 0 when every fact is within its tolerance, 2 when any is outside, 1 for \
            input errors (listed as file:line:column).
            """
    )

    @Argument(help: "The model folder (holding model.yaml and facts.csv).")
    var model: String

    func run() throws {
        let rows = try reportingInputErrors { try RealityCheck.run(modelPath: model) }
        print(RealityCheckTable.render(rows))
        let outside = rows.filter { !$0.isWithinTolerance }
        print("\(rows.count - outside.count) of \(rows.count) facts within tolerance")
        if !outside.isEmpty {
            StandardError.line("outside tolerance: " + outside.map(\.fact.name).joined(separator: ", "))
            throw ExitCode(2)
        }
    }
}

/// The reality check as a plain-text table.
enum RealityCheckTable {
    static func render(_ rows: [RealityCheck.Row]) -> String {
        let header = ["fact", "unit", "year", "model", "fact value", "difference", "relative", "tolerance", "within"]
        let body = rows.map { row in
            [
                row.fact.name, row.fact.unit, row.fact.year, figure(row.model), figure(row.fact.value), figure(row.difference),
                percent(row.relativeDifference), "±" + percent(row.fact.tolerance, signed: false), row.isWithinTolerance ? "yes" : "NO",
            ]
        }
        let widths = header.indices.map { c in ([header] + body).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                c < 3
                    ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }
        return ([line(header)] + body.map(line)).joined(separator: "\n")
    }

    /// Four significant digits, without exponent for everyday magnitudes.
    static func figure(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let magnitude = abs(value)
        if magnitude >= 1e9 || (magnitude < 1e-3 && magnitude > 0) { return String(format: "%.4g", value) }
        let decimals = magnitude >= 1000 ? 0 : magnitude >= 10 ? 2 : 3
        return String(format: "%.\(decimals)f", value)
    }

    static func percent(_ value: Double, signed: Bool = true) -> String {
        guard value.isFinite else { return "\(value)" }
        return String(format: signed ? "%+.1f%%" : "%.1f%%", value * 100)
    }
}
