/// A CSV table of model parameters, parsed strictly, that remembers the line of every row.
///
/// The format is RFC 4180 as spreadsheets write it: comma-separated, a header row, fields optionally in
/// double quotes (with `""` for a quote). Lines starting with `#` and blank lines are skipped, so a table
/// can carry its source as comments. Errors name the file, line and column.
public struct ParameterTable: Sendable, Hashable {
    /// The file name, for messages.
    public let file: String
    /// The header's column names.
    public let header: [String]
    /// The data rows, each as many fields as the header.
    public let rows: [[String]]
    /// The one-based line of each data row.
    public let lines: [Int]

    /// Parses CSV text.
    /// - Throws: `ParameterLoadError` for a missing header, a row with the wrong number of fields, or an
    ///   unterminated quote.
    public init(csv text: String, file: String) throws {
        self.file = file
        var header: [String]?
        var rows: [[String]] = []
        var lines: [Int] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var line = Substring(raw)
            if line.last == "\r" { line.removeLast() }
            let trimmed = String(line).trimmingWhitespace
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = try ParameterTable.split(line, file: file, line: lineNumber)
            if let header {
                guard fields.count == header.count else {
                    throw ParameterLoadError(file: file, line: lineNumber, path: "",
                                             message: "row has \(fields.count) fields, the header has \(header.count)")
                }
                rows.append(fields)
                lines.append(lineNumber)
            } else {
                header = fields
            }
        }
        guard let header else { throw ParameterLoadError(file: file, line: nil, path: "", message: "the table is empty (no header row)") }
        self.header = header
        self.rows = rows
        self.lines = lines
    }

    private static func split(_ line: Substring, file: String, line number: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { inQuotes = false; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                fields.append(current.trimmingWhitespace)
                current = ""
            } else {
                current.append(c)
            }
        }
        if inQuotes { throw ParameterLoadError(file: file, line: number, path: "", message: "unterminated quoted field") }
        fields.append(current.trimmingWhitespace)
        return fields
    }

    /// The index of a column.
    /// - Throws: when the column is missing, with a "did you mean".
    public func column(_ name: String) throws -> Int {
        if let index = header.firstIndex(of: name) { return index }
        var message = "missing column `\(name)`"
        if let suggestion = closestKey(to: name, among: header) { message += " (did you mean `\(suggestion)`?)" }
        throw ParameterLoadError(file: file, line: nil, path: name, message: message)
    }

    /// The text in row `row`, column `name`.
    public func string(_ row: Int, _ name: String) throws -> String {
        rows[row][try column(name)]
    }

    /// The number in row `row`, column `name`, optionally range-checked.
    public func double(_ row: Int, _ name: String, in range: ClosedRange<Double>? = nil) throws -> Double {
        let text = try string(row, name)
        guard let value = Double(text), value.isFinite else {
            throw ParameterLoadError(file: file, line: lines[row], path: name, message: "expected a number, found `\(text)`")
        }
        if let range, !range.contains(value) {
            throw ParameterLoadError(file: file, line: lines[row], path: name,
                                     message: "\(value) is outside [\(range.lowerBound), \(range.upperBound)]")
        }
        return value
    }

    /// An optional number: empty text is nil.
    public func optionalDouble(_ row: Int, _ name: String, in range: ClosedRange<Double>? = nil) throws -> Double? {
        guard header.contains(name), !(try string(row, name)).isEmpty else { return nil }
        return try double(row, name, in: range)
    }

    /// Throws on a column the caller does not know.
    public func checkColumns(known: [String]) throws {
        for name in header where !known.contains(name) {
            var message = "unknown column `\(name)`"
            if let suggestion = closestKey(to: name, among: known) { message += " (did you mean `\(suggestion)`?)" }
            throw ParameterLoadError(file: file, line: nil, path: name, message: message)
        }
    }

    /// An error at a row.
    public func error(row: Int, column: String = "", _ message: String) -> ParameterLoadError {
        ParameterLoadError(file: file, line: lines[row], path: column, message: message)
    }
}
