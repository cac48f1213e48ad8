public import CityTwinCore
import Foundation

/// A base-year fact about the real city and the model expression it is compared with: one row of a
/// model's `facts.csv`.
///
/// Columns: `fact` (a name), `value`, `unit` (of the value and of the expression's result), `year` (the
/// fact's year or period, as published), `tolerance` (relative: the model passes when
/// |model − value| ≤ tolerance · |value|), `model` (an expression in the scenario language over the
/// model's indicators, e.g. `energy.demand / population.total`, with any unit conversion written in it),
/// `source` (where the value comes from) and optional `note`.
///
/// Stocks in the expression are read at the base-year instant (the initial state) and flows over the
/// base year's first tick, so `energy.demand / population.total` is the base year's use per resident
/// at the start of the year.
public struct RealityFact: Sendable, Hashable {
    public let name: String
    public let value: Double
    public let unit: String
    public let year: String
    public let tolerance: Double
    /// The model's figure, as the text of an expression.
    public let expression: SourceText
    public let source: String
    public let note: String

    public init(
        name: String, value: Double, unit: String, year: String, tolerance: Double, expression: SourceText, source: String,
        note: String = ""
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.year = year
        self.tolerance = tolerance
        self.expression = expression
        self.source = source
        self.note = note
    }

    /// The columns of `facts.csv`, in order; `note` may be left out.
    public static let columns = ["fact", "value", "unit", "year", "tolerance", "model", "source"]

    /// Reads a facts table; every problem (missing column, a value that is not a number, a tolerance
    /// outside 0…1, an empty expression or source, a fact named twice) is thrown together, each with
    /// file, line and column.
    public static func load(_ path: String) throws -> [RealityFact] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputErrors([
                InputError(
                    SourceLocation(file: path), "cannot read the facts file",
                    hint: "a model's facts are in facts.csv beside model.yaml (columns: \(columns.joined(separator: ", ")), note)")
            ])
        }
        return try parse(CSVTable(text: text, file: path))
    }

    /// Reads the facts of a table already split into rows.
    public static func parse(_ table: CSVTable) throws -> [RealityFact] {
        var diagnostics = Diagnostics()
        guard let c = table.columns(columns, &diagnostics) else {
            try diagnostics.throwIfAny()
            return []
        }
        table.rejectUnknownColumns(known: columns + ["note"], &diagnostics)
        table.rejectDuplicateKeys([c[0]], &diagnostics)
        let noteColumn = table.header.firstIndex(of: "note")
        var facts: [RealityFact] = []
        for row in table.rows {
            let value = table.number(row, c[1], diagnostics: &diagnostics)
            let tolerance = table.number(row, c[4], in: 0...1, diagnostics: &diagnostics)
            for (index, noun) in [(c[0], "name"), (c[2], "unit"), (c[3], "year"), (c[5], "model expression"), (c[6], "source")]
            where row.cells[index].trimmingCharacters(in: .whitespaces).isEmpty {
                diagnostics.error(
                    table.location(row, index), "the fact has no \(noun)", hint: "write its \(noun) in column `\(table.header[index])`")
            }
            facts.append(
                RealityFact(
                    name: row.cells[c[0]], value: value, unit: row.cells[c[2]], year: row.cells[c[3]], tolerance: tolerance,
                    expression: SourceText(row.cells[c[5]], at: table.location(row, c[5])), source: row.cells[c[6]],
                    note: noteColumn.map { row.cells[$0] } ?? ""))
        }
        try diagnostics.throwIfAny()
        return facts
    }
}
