import CityTwinCore
import Foundation

/// A CSV table read strictly, remembering the line of every row so errors can point at it.
///
/// Plain comma-separated values: a header row, then data rows; blank lines and lines starting with
/// `#` are skipped; fields are trimmed; quotes are not interpreted (model tables are numbers and ids).
struct CSVTable {
    let file: String
    let header: [String]
    /// Data rows with their one-based line numbers.
    let rows: [(line: Int, cells: [String])]

    /// Reads a file; a missing or unreadable file, an empty file or a ragged row is an error.
    init(path: String, displayPath: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputErrors([InputError(SourceLocation(file: displayPath), "cannot read the file",
                                          hint: "check that it exists and is UTF-8 text")])
        }
        try self.init(text: text, file: displayPath)
    }

    init(text: String, file: String) throws {
        self.file = file
        var header: [String]?
        var rows: [(Int, [String])] = []
        var diagnostics = Diagnostics()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if let header {
                if cells.count != header.count {
                    diagnostics.error(SourceLocation(file: file, line: index + 1),
                                      "row has \(cells.count) fields, the header has \(header.count)")
                } else {
                    rows.append((index + 1, cells))
                }
            } else {
                header = cells
            }
        }
        guard let header else {
            throw InputErrors([InputError(SourceLocation(file: file, line: 1), "the file is empty; expected a header row")])
        }
        try diagnostics.throwIfAny()
        self.header = header
        self.rows = rows
    }

    /// The index of each required column; missing columns are errors naming what is there.
    func columns(_ names: [String]) throws -> [Int] {
        var diagnostics = Diagnostics()
        var indices: [Int] = []
        for name in names {
            if let index = header.firstIndex(of: name) {
                indices.append(index)
            } else {
                diagnostics.error(SourceLocation(file: file, line: 1), "missing column `\(name)`",
                                  hint: Suggestion.hint(for: name, in: header).map { "the header has \(header.joined(separator: ",")); \($0)" })
            }
        }
        try diagnostics.throwIfAny()
        return indices
    }

    /// A finite number from a cell, or an error at its line.
    func number(_ row: (line: Int, cells: [String]), _ column: Int, diagnostics: inout Diagnostics) -> Double {
        let text = row.cells[column]
        guard let value = Double(text), value.isFinite else {
            diagnostics.error(SourceLocation(file: file, line: row.line),
                              "`\(header[column])` is `\(text)`, which is not a number")
            return .nan
        }
        return value
    }

    /// A whole number from a cell, or an error at its line.
    func integer(_ row: (line: Int, cells: [String]), _ column: Int, diagnostics: inout Diagnostics) -> Int {
        let text = row.cells[column]
        guard let value = Int(text) else {
            diagnostics.error(SourceLocation(file: file, line: row.line),
                              "`\(header[column])` is `\(text)`, which is not a whole number")
            return -1
        }
        return value
    }
}
