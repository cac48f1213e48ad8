/// A parsed parameter document (a YAML or JSON section) with the line of each value, so that every
/// loading error can point at `file:line`.
///
/// The scenario loader converts its YAML nodes into this tree; tests and tools can build one from plain
/// Swift dictionaries with `init(_:file:)`. Mappings keep their keys in document order.
public indirect enum ParameterNode: Sendable, Hashable {
    case scalar(String, line: Int?)
    case list([ParameterNode], line: Int?)
    case mapping([(key: String, value: ParameterNode)], line: Int?)

    public static func == (a: ParameterNode, b: ParameterNode) -> Bool {
        switch (a, b) {
        case let (.scalar(x, lx), .scalar(y, ly)): x == y && lx == ly
        case let (.list(x, lx), .list(y, ly)): x == y && lx == ly
        case let (.mapping(x, lx), .mapping(y, ly)):
            lx == ly && x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case let .scalar(s, l): hasher.combine(0); hasher.combine(s); hasher.combine(l)
        case let .list(items, l): hasher.combine(1); hasher.combine(items); hasher.combine(l)
        case let .mapping(pairs, l):
            hasher.combine(2); hasher.combine(l)
            for pair in pairs { hasher.combine(pair.key); hasher.combine(pair.value) }
        }
    }

    /// A tree from plain values: `[String: Any]` (keys sorted, as dictionaries have no order),
    /// `[Any]`, strings, numbers and booleans. Lines are unknown.
    public init(_ value: Any) {
        switch value {
        case let node as ParameterNode:
            self = node
        case let map as [String: Any]:
            self = .mapping(map.keys.sorted().map { ($0, ParameterNode(map[$0]!)) }, line: nil)
        case let map as [AnyHashable: Any]:
            let pairs = map.map { (String(describing: $0.key), ParameterNode($0.value)) }.sorted { $0.0 < $1.0 }
            self = .mapping(pairs.map { (key: $0.0, value: $0.1) }, line: nil)
        case let items as [Any]:
            self = .list(items.map { ParameterNode($0) }, line: nil)
        default:
            self = .scalar(String(describing: value), line: nil)
        }
    }

    /// The line this node starts on, if known.
    public var line: Int? {
        switch self {
        case .scalar(_, let line), .list(_, let line), .mapping(_, let line): line
        }
    }
}

/// Reads a mapping node strictly: every key must be consumed or known, values must parse, and errors
/// carry the file, line and dotted path.
///
/// ```swift
/// var reader = try ParameterReader(node, file: "model.yaml", path: "resources.water")
/// let leakage = try reader.double("leakage", in: 0...1)
/// try reader.finish()   // unknown keys → error with a "did you mean"
/// ```
public struct ParameterReader {
    public let file: String
    public let path: String
    public let line: Int?
    private let pairs: [(key: String, value: ParameterNode)]
    private var consumed: Set<String> = []

    public init(_ node: ParameterNode, file: String, path: String) throws {
        guard case .mapping(let pairs, let line) = node else {
            throw ParameterLoadError(file: file, line: node.line, path: path, message: "expected a mapping of keys to values")
        }
        self.file = file
        self.path = path
        self.line = line
        self.pairs = pairs
    }

    /// Whether the key is present.
    public func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// The child node for `key`, marking it consumed; nil when absent.
    public mutating func node(_ key: String) -> ParameterNode? {
        consumed.insert(key)
        return pairs.first { $0.key == key }?.value
    }

    /// The dotted path of a child key.
    public func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// An error at a key (its line when known, else the mapping's).
    public func error(_ key: String, _ message: String) -> ParameterLoadError {
        let line = pairs.first { $0.key == key }?.value.line ?? self.line
        return ParameterLoadError(file: file, line: line, path: childPath(key), message: message)
    }

    /// A required string.
    public mutating func string(_ key: String) throws -> String {
        guard let node = node(key) else { throw error(key, "missing required key") }
        guard case .scalar(let text, _) = node else { throw error(key, "expected a single value") }
        return text
    }

    /// An optional string.
    public mutating func optionalString(_ key: String) throws -> String? {
        has(key) ? try string(key) : nil
    }

    /// A required number, optionally checked against a closed range.
    public mutating func double(_ key: String, in range: ClosedRange<Double>? = nil) throws -> Double {
        let text = try string(key)
        guard let value = Double(text.trimmingWhitespace), value.isFinite else {
            throw error(key, "expected a number, found `\(text)`")
        }
        if let range, !range.contains(value) {
            throw error(key, "\(value) is outside [\(range.lowerBound), \(range.upperBound)]")
        }
        return value
    }

    /// A number with a default when absent.
    public mutating func double(_ key: String, default value: Double, in range: ClosedRange<Double>? = nil) throws -> Double {
        has(key) ? try double(key, in: range) : value
    }

    /// An optional number.
    public mutating func optionalDouble(_ key: String, in range: ClosedRange<Double>? = nil) throws -> Double? {
        has(key) ? try double(key, in: range) : nil
    }

    /// A required integer.
    public mutating func int(_ key: String) throws -> Int {
        let text = try string(key)
        guard let value = Int(text.trimmingWhitespace) else { throw error(key, "expected a whole number, found `\(text)`") }
        return value
    }

    /// A boolean (`true`/`false`, `yes`/`no`).
    public mutating func bool(_ key: String, default value: Bool) throws -> Bool {
        guard has(key) else { return value }
        switch try string(key).trimmingWhitespace.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw error(key, "expected true or false, found `\(other)`")
        }
    }

    /// A list of nodes (empty when absent).
    public mutating func list(_ key: String) throws -> [ParameterNode] {
        guard let node = node(key) else { return [] }
        guard case .list(let items, _) = node else { throw error(key, "expected a list") }
        return items
    }

    /// A child reader for a nested mapping, or nil when absent.
    public mutating func child(_ key: String) throws -> ParameterReader? {
        guard let node = node(key) else { return nil }
        return try ParameterReader(node, file: file, path: childPath(key))
    }

    /// Throws on the first key that was never read, suggesting the closest known key.
    public func finish(known: [String] = []) throws {
        let knownKeys = Set(known).union(consumed)
        for pair in pairs where !knownKeys.contains(pair.key) {
            var message = "unknown key `\(pair.key)`"
            if let suggestion = closestKey(to: pair.key, among: knownKeys) { message += " (did you mean `\(suggestion)`?)" }
            throw ParameterLoadError(file: file, line: pair.value.line ?? line, path: childPath(pair.key), message: message)
        }
    }
}

/// The candidate within edit distance 3 of `key` (Levenshtein), if any.
/// The candidate nearest to a misspelt key, by `Suggestion`'s rule.
public func closestKey(to key: String, among candidates: some Sequence<String>) -> String? {
    Suggestion.nearest(to: key, in: candidates)
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends.
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
