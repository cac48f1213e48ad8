import Foundation
public import LinearAlgebra

/// The contents of a TNTP network file (`*_net.tntp`), as written, before any factors are applied.
public struct TNTPNetworkFile: Sendable, Hashable {
    public var zoneCount: Int
    public var nodeCount: Int
    /// `<FIRST THRU NODE>`: nodes numbered below it are zones that may start or end a path but never carry
    /// traffic through. 1 means every node may carry through traffic.
    public var firstThroughNode: Int
    /// Links in the file's order; results are reported in this order.
    public var links: [Link]

    public init(zoneCount: Int, nodeCount: Int, firstThroughNode: Int, links: [Link]) {
        self.zoneCount = zoneCount
        self.nodeCount = nodeCount
        self.firstThroughNode = firstThroughNode
        self.links = links
    }
}

/// The contents of a TNTP trips file (`*_trips.tntp`).
public struct TNTPTripsFile: Sendable, Hashable {
    public var zoneCount: Int
    /// Demand `od[o − 1, d − 1]` from zone o to zone d (column-major ``Matrix``); missing pairs are 0.
    public var od: Matrix
    /// `<TOTAL OD FLOW>` as declared in the metadata, if present (checked against the entries to within
    /// max(1, 10⁻⁴ × total): published files round it).
    public var declaredTotal: Double?
    /// The sum of the diagonal: trips that start and end in the same zone. Assignment ignores them.
    public var intrazonalTotal: Double {
        (0..<zoneCount).reduce(0) { $0 + od[$1, $1] }
    }
}

/// One row of a TNTP flow file (`*_flow.tntp`): a best-known solution.
public struct TNTPFlowRow: Sendable, Hashable {
    public var from: Int
    public var to: Int
    public var volume: Double
    public var cost: Double
}

/// Readers for the TNTP formats of *Transportation Networks for Research* (github.com/bstabler/TransportationNetworks).
///
/// The format: a metadata block of `<KEY> value` lines ended by `<END OF METADATA>`; lines whose first
/// non-blank character is `~` are comments; network rows hold
/// `init_node term_node capacity length free_flow_time b power speed toll link_type` and end with `;`;
/// trips come in blocks `Origin o` followed by entries `d : flow;`, several to a line.
///
/// Each reader reads the whole file and either returns everything or throws a ``TNTPError`` naming the file and
/// line of the first problem; nothing is ever half-loaded. Rejected: a missing or malformed metadata block,
/// a row without `;`, a field that is not a finite number, node or zone numbers out of range, negative
/// capacity, length, time, b, power or demand, a zero capacity on a link whose time depends on flow,
/// a link count that differs from `<NUMBER OF LINKS>`, duplicate OD entries.
public enum TNTPReader {
    // MARK: Files

    public static func readNetwork(at path: String) throws -> TNTPNetworkFile {
        try parseNetwork(try readText(path), file: path)
    }

    public static func readTrips(at path: String) throws -> TNTPTripsFile {
        try parseTrips(try readText(path), file: path)
    }

    public static func readFlows(at path: String) throws -> [TNTPFlowRow] {
        try parseFlows(try readText(path), file: path)
    }

    /// Node coordinates `(node, x, y)` from a `*_node.tntp` file.
    public static func readNodes(at path: String) throws -> [(node: Int, x: Double, y: Double)] {
        try parseNodes(try readText(path), file: path)
    }

    static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TNTPError(file: path, line: 0, message: "cannot read the file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw TNTPError(file: path, line: 0, message: "the file is not text")
        }
        return text
    }

    // MARK: Parsers (public so that callers with text in memory need no file)

    /// Bounds on header counts, checked before they size anything.
    public static let maximumNodes = 10_000_000
    public static let maximumTripZones = 20_000

    public static func parseNetwork(_ text: String, file: String) throws -> TNTPNetworkFile {
        let lines = splitLines(text)
        let (meta, bodyStart) = try readMetadata(lines, file: file)
        let zones = try meta.integer("NUMBER OF ZONES", file: file, minimum: 0)
        let nodes = try meta.integer("NUMBER OF NODES", file: file, minimum: 1)
        let linkCount = try meta.integer("NUMBER OF LINKS", file: file, minimum: 0)
        let firstThru = try meta.optionalInteger("FIRST THRU NODE", file: file) ?? 1
        // The bound first: the checks below do arithmetic on the count.
        guard nodes <= maximumNodes else {
            throw TNTPError(
                file: file, line: meta.line("NUMBER OF NODES"), message: "<NUMBER OF NODES> \(nodes) is more than \(maximumNodes)")
        }
        guard zones <= nodes else {
            throw TNTPError(file: file, line: meta.line("NUMBER OF ZONES"), message: "\(zones) zones but only \(nodes) nodes")
        }
        guard firstThru >= 1 && firstThru <= nodes + 1 else {
            throw TNTPError(
                file: file, line: meta.line("FIRST THRU NODE"), message: "<FIRST THRU NODE> \(firstThru) is outside 1...\(nodes + 1)")
        }
        var links: [Link] = []
        links.reserveCapacity(min(linkCount, lines.count))  // the header's count is checked, not trusted
        for index in bodyStart..<lines.count {
            let lineNumber = index + 1
            guard let row = try dataRow(lines[index], file: file, line: lineNumber) else { continue }
            guard row.count == 10 else {
                throw TNTPError(
                    file: file, line: lineNumber,
                    message:
                        "expected 10 fields (init_node term_node capacity length free_flow_time b power speed toll link_type), found \(row.count)"
                )
            }
            func number(_ i: Int, _ name: String) throws -> Double {
                guard let v = Double(row[i]), v.isFinite else {
                    throw TNTPError(file: file, line: lineNumber, message: "\(name) `\(row[i])` is not a finite number")
                }
                return v
            }
            func node(_ i: Int, _ name: String) throws -> Int {
                guard let v = Int(row[i]), v >= 1, v <= nodes else {
                    throw TNTPError(file: file, line: lineNumber, message: "\(name) `\(row[i])` is not a node number in 1...\(nodes)")
                }
                return v
            }
            let from = try node(0, "init_node"), to = try node(1, "term_node")
            let capacity = try number(2, "capacity"), length = try number(3, "length")
            let fft = try number(4, "free_flow_time"), b = try number(5, "b"), power = try number(6, "power")
            let speed = try number(7, "speed"), toll = try number(8, "toll")
            guard let type = Int(row[9]) ?? Double(row[9]).flatMap({ $0.isFinite ? Int(exactly: $0) : nil }) else {
                throw TNTPError(file: file, line: lineNumber, message: "link_type `\(row[9])` is not an integer")
            }
            for (value, name) in [(capacity, "capacity"), (length, "length"), (fft, "free_flow_time"), (b, "b"), (power, "power")]
            where value < 0 {
                throw TNTPError(file: file, line: lineNumber, message: "\(name) is negative (\(value))")
            }
            let link = Link(
                from: from, to: to, capacity: capacity, length: length, freeFlowTime: fft, b: b, power: power,
                speed: speed, toll: toll, linkType: type)
            if capacity == 0 && !link.hasConstantTime && fft > 0 {
                throw TNTPError(
                    file: file, line: lineNumber,
                    message: "capacity is 0 on a link whose time depends on flow (b = \(b), power = \(power)); give a capacity or set b = 0"
                )
            }
            if from == to {
                throw TNTPError(file: file, line: lineNumber, message: "link \(from)→\(to) is a loop")
            }
            links.append(link)
        }
        guard links.count == linkCount else {
            throw TNTPError(
                file: file, line: lines.count,
                message: "<NUMBER OF LINKS> says \(linkCount) but the file has \(links.count) link rows (truncated file?)")
        }
        return TNTPNetworkFile(zoneCount: zones, nodeCount: nodes, firstThroughNode: firstThru, links: links)
    }

    public static func parseTrips(_ text: String, file: String) throws -> TNTPTripsFile {
        let lines = splitLines(text)
        let (meta, bodyStart) = try readMetadata(lines, file: file)
        let zones = try meta.integer("NUMBER OF ZONES", file: file, minimum: 1)
        let declared = try meta.optionalDouble("TOTAL OD FLOW", file: file)
        // The zone count sizes a dense Z × Z matrix: bounded before anything is allocated.
        guard zones <= maximumTripZones else {
            throw TNTPError(
                file: file, line: meta.line("NUMBER OF ZONES"),
                message: "<NUMBER OF ZONES> \(zones) is more than \(maximumTripZones) (a dense OD matrix of that size does not fit)")
        }
        var od = Matrix(rows: zones, columns: zones)
        var seen = [Bool](repeating: false, count: zones * zones)
        var origin: Int? = nil
        for index in bodyStart..<lines.count {
            let lineNumber = index + 1
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("~") { continue }
            if trimmed.hasPrefix("Origin") {
                let rest = trimmed.dropFirst("Origin".count).trimmingCharacters(in: .whitespaces)
                guard let o = Int(rest), o >= 1, o <= zones else {
                    throw TNTPError(file: file, line: lineNumber, message: "`Origin \(rest)` is not a zone in 1...\(zones)")
                }
                origin = o
                continue
            }
            guard let o = origin else {
                throw TNTPError(file: file, line: lineNumber, message: "an OD entry before any `Origin` line")
            }
            guard trimmed.hasSuffix(";") else {
                throw TNTPError(file: file, line: lineNumber, message: "an OD entry that does not end with `;`")
            }
            for piece in trimmed.split(separator: ";") {
                let entry = piece.trimmingCharacters(in: .whitespaces)
                if entry.isEmpty { continue }
                let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw TNTPError(file: file, line: lineNumber, message: "`\(entry)` is not of the form `destination : flow`")
                }
                let dText = parts[0].trimmingCharacters(in: .whitespaces)
                let vText = parts[1].trimmingCharacters(in: .whitespaces)
                guard let d = Int(dText), d >= 1, d <= zones else {
                    throw TNTPError(file: file, line: lineNumber, message: "destination `\(dText)` is not a zone in 1...\(zones)")
                }
                guard let v = Double(vText), v.isFinite, v >= 0 else {
                    throw TNTPError(
                        file: file, line: lineNumber, message: "flow `\(vText)` to zone \(d) is not a finite non-negative number")
                }
                let k = (o - 1) + (d - 1) * zones
                guard !seen[k] else {
                    throw TNTPError(file: file, line: lineNumber, message: "a second entry for the pair \(o)→\(d)")
                }
                seen[k] = true
                od[o - 1, d - 1] = v
            }
        }
        // A truncated file reads as a smaller demand: the declared total (rounded in published files) must hold.
        if let declared {
            let total = od.sum
            if abs(total - declared) > max(1, 1e-4 * abs(declared)) {
                throw TNTPError(
                    file: file, line: meta.line("TOTAL OD FLOW"),
                    message: "the OD flows sum to \(total), but <TOTAL OD FLOW> says \(declared) (truncated file?)")
            }
        }
        return TNTPTripsFile(zoneCount: zones, od: od, declaredTotal: declared)
    }

    public static func parseFlows(_ text: String, file: String) throws -> [TNTPFlowRow] {
        var rows: [TNTPFlowRow] = []
        for (index, raw, fields) in dataRows(text) {  // after the "From To Volume Cost" header
            guard fields.count >= 4, let f = Int(fields[0]), let t = Int(fields[1]),
                let v = Double(fields[2]), let c = Double(fields[3]), v.isFinite, c.isFinite
            else {
                throw TNTPError(
                    file: file, line: index + 1,
                    message: "expected `from to volume cost`, found `\(raw.trimmingCharacters(in: .whitespaces))`")
            }
            rows.append(TNTPFlowRow(from: f, to: t, volume: v, cost: c))
        }
        return rows
    }

    public static func parseNodes(_ text: String, file: String) throws -> [(node: Int, x: Double, y: Double)] {
        var rows: [(node: Int, x: Double, y: Double)] = []
        for (index, _, fields) in dataRows(text) {  // after the "Node X Y" header
            guard fields.count >= 3, let n = Int(fields[0]), let x = Double(fields[1]), let y = Double(fields[2]) else {
                throw TNTPError(file: file, line: index + 1, message: "expected `node x y`")
            }
            rows.append((n, x, y))
        }
        return rows
    }

    // MARK: Pieces

    static func splitLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
    }

    /// The data rows of a headed table file (flows, nodes): (zero-based line index, line, fields), skipping
    /// blank and `~` comment lines, a trailing `;`, and the first line that does not start with a number.
    static func dataRows(_ text: String) -> [(index: Int, line: String, fields: [String])] {
        var rows: [(index: Int, line: String, fields: [String])] = []
        var sawHeader = false
        for (index, raw) in splitLines(text).enumerated() {
            var fields = fieldsOf(raw)
            if fields.last == ";" { fields.removeLast() }
            if fields.isEmpty || fields[0].hasPrefix("~") { continue }
            if !sawHeader && Int(fields[0]) == nil {
                sawHeader = true
                continue
            }
            rows.append((index, raw, fields))
        }
        return rows
    }

    static func fieldsOf(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// A data row's fields without the trailing `;`, or nil for a blank or comment line.
    static func dataRow(_ line: String, file: String, line lineNumber: Int) throws -> [String]? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("~") { return nil }
        guard trimmed.hasSuffix(";") else {
            throw TNTPError(file: file, line: lineNumber, message: "a row that does not end with `;` (truncated file?)")
        }
        return fieldsOf(String(trimmed.dropLast()))
    }

    struct Metadata {
        var values: [String: (value: String, line: Int)] = [:]

        func line(_ key: String) -> Int { values[key]?.line ?? 0 }

        func integer(_ key: String, file: String, minimum: Int) throws -> Int {
            guard let entry = values[key] else {
                throw TNTPError(file: file, line: 0, message: "the metadata has no <\(key)>")
            }
            guard let v = Int(entry.value), v >= minimum else {
                throw TNTPError(file: file, line: entry.line, message: "<\(key)> `\(entry.value)` is not an integer ≥ \(minimum)")
            }
            return v
        }

        func optionalInteger(_ key: String, file: String) throws -> Int? {
            guard values[key] != nil else { return nil }
            return try integer(key, file: file, minimum: Int.min)
        }

        func optionalDouble(_ key: String, file: String) throws -> Double? {
            guard let entry = values[key] else { return nil }
            guard let v = Double(entry.value), v.isFinite else {
                throw TNTPError(file: file, line: entry.line, message: "<\(key)> `\(entry.value)` is not a number")
            }
            return v
        }
    }

    /// Reads `<KEY> value` lines up to `<END OF METADATA>`; returns them and the index of the first body line.
    static func readMetadata(_ lines: [String], file: String) throws -> (Metadata, Int) {
        var meta = Metadata()
        for (index, raw) in lines.enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("~") { continue }
            guard trimmed.hasPrefix("<"), let close = trimmed.firstIndex(of: ">") else {
                throw TNTPError(
                    file: file, line: index + 1,
                    message: "expected a metadata line `<KEY> value` or <END OF METADATA>, found `\(trimmed.prefix(40))`")
            }
            let key = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingCharacters(in: .whitespaces).uppercased()
            let value = trimmed[trimmed.index(after: close)...].trimmingCharacters(in: .whitespaces)
            if key == "END OF METADATA" { return (meta, index + 1) }
            meta.values[key] = (value, index + 1)
        }
        throw TNTPError(file: file, line: lines.count, message: "no <END OF METADATA> line")
    }
}
