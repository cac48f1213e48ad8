/// A CSV table read strictly, remembering the line and column of every field so errors can point at it.
///
/// RFC 4180 as spreadsheets write it: comma-separated, a header row, fields optionally in double quotes
/// (`""` for a quote inside them; a quoted field may not span lines). Blank lines and lines starting with
/// `#` are skipped, so a table can carry its source as comments; unquoted fields are trimmed. Every
/// ragged row and unterminated quote is reported, not only the first. This is the one CSV reader of the
/// engine: every domain's tables go through it, so numbers, booleans and columns are read one way.
public struct CSVTable: Sendable, Hashable {
    /// One data row: its one-based line, its fields, and the one-based column where each field starts.
    public struct Row: Sendable, Hashable {
        public let line: Int
        public let cells: [String]
        public let columns: [Int]
    }

    public let file: String
    public let header: [String]
    public let rows: [Row]

    public init(text: String, file: String) throws {
        self.file = file
        var header: [String]?
        var rows: [Row] = []
        var diagnostics = Diagnostics()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingWhitespace
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let (cells, columns) = CSVTable.split(line) else {
                diagnostics.error(
                    SourceLocation(file: file, line: index + 1), "unterminated quoted field",
                    hint: "close the field with `\"`; write `\"\"` for a quote inside it")
                continue
            }
            if let header {
                if cells.count != header.count {
                    diagnostics.error(
                        SourceLocation(file: file, line: index + 1),
                        "row has \(cells.count) fields, the header has \(header.count)")
                } else {
                    rows.append(Row(line: index + 1, cells: cells, columns: columns))
                }
            } else {
                header = cells
                var seen: Set<String> = []
                for (k, name) in cells.enumerated() where !seen.insert(name).inserted {
                    diagnostics.error(
                        SourceLocation(file: file, line: index + 1, column: columns[k]), "column `\(name)` appears twice in the header")
                }
            }
        }
        guard let header else {
            throw InputErrors([InputError(SourceLocation(file: file, line: 1), "the file is empty; expected a header row")])
        }
        try diagnostics.throwIfAny()
        self.header = header
        self.rows = rows
    }

    /// Fields and their start columns, or nil for an unterminated quote.
    static func split(_ line: Substring) -> ([String], [Int])? {
        var fields: [String] = []
        var starts: [Int] = []
        var current = ""
        var quoted = false
        var inQuotes = false
        var column = 1
        var fieldStart = 1
        var characters = Array(line)[...]
        while let c = characters.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if characters.first == "\"" {
                        current.append("\"")
                        characters.removeFirst()
                        column += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"", current.trimmingWhitespace.isEmpty {
                inQuotes = true
                quoted = true
                current = ""
            } else if c == "," {
                fields.append(quoted ? current : current.trimmingWhitespace)
                starts.append(fieldStart)
                current = ""
                quoted = false
                fieldStart = column + 1
            } else {
                current.append(c)
            }
            column += 1
        }
        if inQuotes { return nil }
        fields.append(quoted ? current : current.trimmingWhitespace)
        starts.append(fieldStart)
        return (fields, starts)
    }

    /// Where a field is.
    public func location(_ row: Row, _ column: Int? = nil) -> SourceLocation {
        SourceLocation(file: file, line: row.line, column: column.map { row.columns[$0] })
    }

    /// The location of the header.
    public var headerLocation: SourceLocation { SourceLocation(file: file, line: 1) }

    /// The index of each required column; missing columns are errors naming what is there.
    public func columns(_ names: [String]) throws -> [Int] {
        var diagnostics = Diagnostics()
        let indices = columns(names, &diagnostics)
        try diagnostics.throwIfAny()
        return indices ?? []
    }

    /// The index of each required column, or nil (with errors) when one is missing.
    public func columns(_ names: [String], _ diagnostics: inout Diagnostics) -> [Int]? {
        var indices: [Int] = []
        for name in names {
            if let index = header.firstIndex(of: name) {
                indices.append(index)
            } else {
                diagnostics.error(
                    headerLocation, "missing column `\(name)`",
                    hint: "the header has \(header.joined(separator: ","))"
                        + (Suggestion.hint(for: name, in: header).map { "; \($0)" } ?? ""))
            }
        }
        return indices.count == names.count ? indices : nil
    }

    /// Reports every column not in `known` (a misspelt optional column would otherwise be ignored).
    public func rejectUnknownColumns(known: [String], _ diagnostics: inout Diagnostics) {
        for name in header where !known.contains(name) {
            diagnostics.error(
                headerLocation, "unknown column `\(name)`",
                hint: Suggestion.hint(for: name, in: known))
        }
    }

    /// Reports every row whose key (the fields in `keyColumns`) repeats an earlier row's.
    public func rejectDuplicateKeys(_ keyColumns: [Int], _ diagnostics: inout Diagnostics) {
        var first: [[String]: Int] = [:]
        for row in rows {
            let key = keyColumns.map { row.cells[$0] }
            if let earlier = first[key] {
                let named = zip(keyColumns, key).map { "\(header[$0]) \($1)" }.joined(separator: ", ")
                diagnostics.error(
                    location(row, keyColumns.first), "\(named) appears twice (first on line \(earlier))",
                    hint: "give each key once")
            } else {
                first[key] = row.line
            }
        }
    }

    /// A finite number from a field, optionally within `range`, or an error at its line and column (NaN).
    public func number(_ row: Row, _ column: Int, in range: ClosedRange<Double>? = nil, diagnostics: inout Diagnostics) -> Double {
        let text = row.cells[column]
        guard let value = CSVTable.parseNumber(text) else {
            diagnostics.error(location(row, column), "`\(header[column])` is `\(text)`, which is not a finite number")
            return .nan
        }
        if let range, !range.contains(value) {
            diagnostics.error(location(row, column), "`\(header[column])` is \(value), outside \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    /// A number, or nil when the field is empty.
    public func optionalNumber(_ row: Row, _ column: Int, in range: ClosedRange<Double>? = nil, diagnostics: inout Diagnostics) -> Double? {
        row.cells[column].isEmpty ? nil : number(row, column, in: range, diagnostics: &diagnostics)
    }

    /// A whole number from a field, or an error at its line and column (−1).
    public func integer(_ row: Row, _ column: Int, diagnostics: inout Diagnostics) -> Int {
        let text = row.cells[column]
        guard let value = Int(text) else {
            diagnostics.error(location(row, column), "`\(header[column])` is `\(text)`, which is not a whole number")
            return -1
        }
        return value
    }

    /// A yes/no flag: `1`/`0`, `true`/`false`, `yes`/`no`.
    public func flag(_ row: Row, _ column: Int, diagnostics: inout Diagnostics) -> Bool {
        switch row.cells[column].lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default:
            diagnostics.error(location(row, column), "`\(header[column])` is `\(row.cells[column])`; expected 1 or 0 (true or false)")
            return false
        }
    }

    /// The index of a column, or an error naming what the header has.
    public func column(_ name: String) throws -> Int { try columns([name])[0] }

    /// The number in data row `index` (0-based), column `name`; an error at its line and column when
    /// the column is missing or the field is not a finite number.
    public func double(_ index: Int, _ name: String) throws -> Double {
        var diagnostics = Diagnostics()
        let value = number(rows[index], try column(name), diagnostics: &diagnostics)
        try diagnostics.throwIfAny()
        return value
    }

    /// The engine's one number syntax: a decimal or scientific literal, `_` allowed between digits; no
    /// NaN or infinities (a model input that is not finite is always a mistake).
    public static func parseNumber(_ text: String) -> Double? {
        let cleaned = text.contains("_") ? text.replacingOccurrences(of: "_", with: "") : text
        guard let value = Double(cleaned), value.isFinite else { return nil }
        return value
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line ends.
    public var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
