import Foundation
internal import Yams

/// A YAML node with the place it starts in its file: the one YAML tree every loader reads, so that no
/// domain imports a YAML library. Aliases are refused (an input file has no need of them, and an alias
/// bomb could expand without bound); a mapping key given twice is an error.
public struct YAMLNode: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A scalar's text, and whether it was quoted (its first character is then one column on).
        case scalar(String, quoted: Bool)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
    }

    public let kind: Kind
    public let location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The text of a scalar node.
    public var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// The items of a sequence node.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The entries of a mapping node.
    public var mapping: [YAMLEntry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// Parses a YAML document into nodes; syntax errors, aliases and repeated keys are input errors.
    public static func parse(_ text: String, file: String) throws -> YAMLNode? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputErrors([inputError(error, file: file)])
        }
        guard let root else { return nil }
        var diagnostics = Diagnostics()
        var visited: Set<[Int]> = []
        let node = convert(root, file: file, depth: 0, visited: &visited, &diagnostics)
        try diagnostics.throwIfAny()
        return node
    }

    /// Deeper nesting than this is refused: no model or scenario needs it, and it bounds recursion.
    static let maximumDepth = 64

    /// Converts a Yams node. Yams resolves an alias to the anchored node itself, so an alias shows as a
    /// second visit to a node's start position and kind (no two nodes of one kind start at one place): it is
    /// refused there, which also stops an alias bomb from expanding.
    private static func convert(
        _ node: Node, file: String, depth: Int, visited: inout Set<[Int]>,
        _ diagnostics: inout Diagnostics
    ) -> YAMLNode {
        let location = SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
        guard depth < maximumDepth else {
            diagnostics.error(location, "nesting deeper than \(maximumDepth) levels")
            return YAMLNode(.scalar("", quoted: false), at: location)
        }
        let kind =
            switch node {
            case .scalar: 0
            case .sequence: 1
            case .mapping: 2
            case .alias: 3
            }
        if let mark = node.mark, !visited.insert([mark.line, mark.column, kind]).inserted {
            // Reported once per aliased value (a value used again and again is one mistake).
            if visited.insert([mark.line, mark.column, kind + 4]).inserted {
                diagnostics.error(
                    location, "YAML aliases (`*name`) are not supported; this value is used again by an alias",
                    hint: "write the value out in full where it is needed")
            }
            return YAMLNode(.scalar("", quoted: false), at: location)
        }
        switch node {
        case .scalar(let scalar):
            return YAMLNode(.scalar(scalar.string, quoted: scalar.style == .singleQuoted || scalar.style == .doubleQuoted), at: location)
        case .sequence(let sequence):
            return YAMLNode(
                .sequence(sequence.map { convert($0, file: file, depth: depth + 1, visited: &visited, &diagnostics) }), at: location)
        case .mapping(let mapping):
            var entries: [YAMLEntry] = []
            var seen: [String: Int] = [:]
            for (key, value) in mapping {
                let keyNode = convert(key, file: file, depth: depth + 1, visited: &visited, &diagnostics)
                if let text = keyNode.scalar {
                    if let line = seen[text] {
                        diagnostics.error(
                            keyNode.location, "key `\(text)` appears twice in this mapping (first on line \(line))",
                            hint: "give each key once")
                        continue
                    }
                    seen[text] = keyNode.location.line ?? 0
                } else {
                    diagnostics.error(keyNode.location, "a key must be a plain name, not a list or mapping")
                }
                entries.append(
                    YAMLEntry(key: keyNode, value: convert(value, file: file, depth: depth + 1, visited: &visited, &diagnostics)))
            }
            return YAMLNode(.mapping(entries), at: location)
        case .alias:
            diagnostics.error(location, "YAML aliases (`*name`) are not supported", hint: "write the value out in full")
            return YAMLNode(.scalar("", quoted: false), at: location)
        }
    }

    private static func inputError(_ error: YamlError, file: String) -> InputError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return InputError(SourceLocation(file: file, line: mark.line, column: mark.column), "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "`\($0)`" }.joined(separator: ", ")
            return InputError(
                SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                "key \(keys) appears twice in the mapping that starts here", hint: "give each key once")
        default:
            return InputError(SourceLocation(file: file), "YAML: \(error)")
        }
    }
}

/// A `key: value` entry of a YAML mapping, with the key's node (for its location).
public struct YAMLEntry: Sendable, Hashable {
    public let key: YAMLNode
    public let value: YAMLNode
}

/// A YAML mapping read strictly: every key must be known, every value of the right kind, and every
/// problem is reported with the file, line and column of the offending node.
///
/// Swift's synthesized `Decodable` silently ignores unknown keys, which turns a misspelt lever into a
/// silent no-op; this reader makes it an error with a "did you mean".
public struct YAMLMapping: Sendable {
    public let entries: [YAMLEntry]
    /// Where the mapping starts.
    public let start: SourceLocation
    public let file: String
    /// The key path of this mapping, for messages ("population").
    public let path: String

    public init?(_ node: YAMLNode, path: String) {
        guard let entries = node.mapping else { return nil }
        self.entries = entries
        self.start = node.location
        self.file = node.location.file
        self.path = path
    }

    /// Parses a whole YAML document whose root must be a mapping.
    public static func document(text: String, file: String) throws -> YAMLMapping {
        guard let root = try YAMLNode.parse(text, file: file), let mapping = YAMLMapping(root, path: "") else {
            throw InputErrors([InputError(SourceLocation(file: file, line: 1), "expected a mapping of `key: value` lines")])
        }
        return mapping
    }

    /// The location of a node, or of the mapping when nil.
    public func location(_ node: YAMLNode?) -> SourceLocation { node?.location ?? start }

    /// The location of a key (its key node), or of the mapping when absent.
    public func location(ofKey key: String) -> SourceLocation {
        location(entries.first { $0.key.scalar == key }?.key)
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The keys, in file order.
    public var keys: [String] { entries.compactMap(\.key.scalar) }

    /// Reports every key not in `allowed`, with the nearest allowed key.
    public func rejectUnknownKeys(allowing allowed: [String], _ diagnostics: inout Diagnostics) {
        for entry in entries {
            let key = entry.key.scalar ?? "?"
            if !allowed.contains(key) {
                let place = path.isEmpty ? "" : " in \(path)"
                diagnostics.error(entry.key.location, "unknown key `\(key)`\(place)", hint: Suggestion.hint(for: key, in: allowed))
            }
        }
    }

    public func node(_ key: String) -> YAMLNode? { entries.first { $0.key.scalar == key }?.value }

    public func has(_ key: String) -> Bool { node(key) != nil }

    /// A required or optional string.
    public func string(_ key: String, required: Bool = true, _ diagnostics: inout Diagnostics) -> String? {
        guard let node = node(key) else {
            if required { missing(key, &diagnostics) }
            return nil
        }
        guard let scalar = node.scalar else {
            diagnostics.error(location(node), "`\(qualified(key))` must be a single value")
            return nil
        }
        return scalar
    }

    /// A required or optional number.
    public func double(_ key: String, required: Bool = true, _ diagnostics: inout Diagnostics) -> Double? {
        guard let text = string(key, required: required, &diagnostics) else { return nil }
        guard let value = CSVTable.parseNumber(text) else {
            diagnostics.error(location(node(key)), "`\(qualified(key))` is `\(text)`, which is not a number")
            return nil
        }
        return value
    }

    /// A number within `range`; absent gives `defaultValue` (or an error when that is nil).
    public func double(
        _ key: String, in range: ClosedRange<Double>, default defaultValue: Double? = nil,
        _ diagnostics: inout Diagnostics
    ) -> Double? {
        guard has(key) || defaultValue == nil else { return defaultValue }
        guard let value = double(key, &diagnostics) else { return nil }
        guard range.contains(value) else {
            diagnostics.error(location(node(key)), "`\(qualified(key))` is \(value), outside \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return value
    }

    /// The items of a list (empty when absent).
    public func sequence(_ key: String, _ diagnostics: inout Diagnostics) -> [YAMLNode] {
        guard let node = node(key) else { return [] }
        guard let items = node.sequence else {
            diagnostics.error(location(node), "`\(qualified(key))` must be a list")
            return []
        }
        return items
    }

    /// Calendar years an input may name: four digits. Bounding them keeps every year arithmetic
    /// (horizons, windows, `within`) far from overflow.
    public static let calendarYears = 1000...9999

    /// A required or optional calendar year (``calendarYears``).
    public func year(_ key: String, required: Bool = true, _ diagnostics: inout Diagnostics) -> Int? {
        guard let value = integer(key, required: required, &diagnostics) else { return nil }
        guard YAMLMapping.calendarYears.contains(value) else {
            diagnostics.error(
                location(node(key)), "`\(qualified(key))` is \(value), not a calendar year",
                hint: "write a four-digit year, e.g. 2030")
            return nil
        }
        return value
    }

    /// One of an enumeration's cases by its raw value (`method: nelder-mead`); an unknown value is an
    /// error with the nearest case or the list of cases. Nil when absent (and not required) or unknown.
    public func choice<E: RawRepresentable & CaseIterable>(
        _ key: String, as type: E.Type = E.self, required: Bool = false,
        _ diagnostics: inout Diagnostics
    ) -> E? where E.RawValue == String {
        guard let text = string(key, required: required, &diagnostics) else { return nil }
        if let value = E(rawValue: text) { return value }
        diagnostics.error(
            location(node(key)), "unknown \(key) `\(text)`",
            hint: Suggestion.hint(for: text, in: E.allCases.map(\.rawValue)))
        return nil
    }

    /// A required or optional whole number.
    public func integer(_ key: String, required: Bool = true, _ diagnostics: inout Diagnostics) -> Int? {
        guard let text = string(key, required: required, &diagnostics) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            diagnostics.error(location(node(key)), "`\(qualified(key))` is `\(text)`, which is not a whole number")
            return nil
        }
        return value
    }

    /// A nested mapping.
    public func submapping(_ key: String, required: Bool = true, _ diagnostics: inout Diagnostics) -> YAMLMapping? {
        guard let node = node(key) else {
            if required { missing(key, &diagnostics) }
            return nil
        }
        guard let nested = YAMLMapping(node, path: qualified(key)) else {
            diagnostics.error(location(node), "`\(qualified(key))` must be a mapping of `key: value` lines")
            return nil
        }
        return nested
    }

    /// The mapping's entries as (key, value text, location), in file order; non-scalar values are errors.
    public func scalarEntries(_ diagnostics: inout Diagnostics) -> [(key: String, value: String, location: SourceLocation)] {
        entries.compactMap { entry in
            let (keyNode, valueNode) = (entry.key, entry.value)
            guard let key = keyNode.scalar else { return nil }
            guard let value = valueNode.scalar else {
                diagnostics.error(location(valueNode), "`\(qualified(key))` must be a single value")
                return nil
            }
            return (key, value, location(keyNode))
        }
    }

    /// A list of mappings (`interventions:`, `alerts:`); absent means empty.
    public func sequenceOfMappings(_ key: String, _ diagnostics: inout Diagnostics) -> [YAMLMapping] {
        guard let node = node(key) else { return [] }
        guard let sequence = node.sequence else {
            diagnostics.error(location(node), "`\(qualified(key))` must be a list of `- name: …` items")
            return []
        }
        return sequence.enumerated().compactMap { index, item in
            guard let nested = YAMLMapping(item, path: "\(qualified(key))[\(index + 1)]") else {
                diagnostics.error(location(item), "item \(index + 1) of `\(qualified(key))` must be a mapping of `key: value` lines")
                return nil
            }
            return nested
        }
    }

    /// A list of strings, written `[a, b]` or as `- a` lines; nil when absent.
    public func stringList(_ key: String, _ diagnostics: inout Diagnostics) -> [String]? {
        guard let node = node(key) else { return nil }
        guard let sequence = node.sequence else {
            diagnostics.error(location(node), "`\(qualified(key))` must be a list, e.g. [population.total, population.births]")
            return nil
        }
        return sequence.compactMap { item in
            guard let text = item.scalar else {
                diagnostics.error(location(item), "items of `\(qualified(key))` must be single values")
                return nil
            }
            return text
        }
    }

    /// The text of a scalar with the location of its first character (past an opening quote), so that
    /// an expression parser can report exact columns.
    public func sourceText(_ node: YAMLNode) -> SourceText? {
        guard case .scalar(let scalar, let quoted) = node.kind else { return nil }
        var place = location(node)
        if quoted, let column = place.column {
            place = SourceLocation(file: place.file, line: place.line, column: column + 1)
        }
        return SourceText(scalar, at: place)
    }

    /// An expression-valued key (`when:`, `until:`).
    public func expression(_ key: String, _ diagnostics: inout Diagnostics) -> SourceText? {
        guard let node = node(key) else {
            missing(key, &diagnostics)
            return nil
        }
        guard let text = sourceText(node) else {
            diagnostics.error(location(node), "`\(qualified(key))` must be one expression on one line")
            return nil
        }
        return text
    }

    /// One assignment or a list of them (`set:`).
    public func expressionList(_ key: String, _ diagnostics: inout Diagnostics) -> [SourceText] {
        guard let node = node(key) else { return [] }
        if let text = sourceText(node) { return [text] }
        guard let sequence = node.sequence else {
            diagnostics.error(location(node), "`\(qualified(key))` must be an assignment or a list of them")
            return []
        }
        return sequence.compactMap { item in
            guard let text = sourceText(item) else {
                diagnostics.error(location(item), "items of `\(qualified(key))` must be assignments such as `a.b *= 0.9`")
                return nil
            }
            return text
        }
    }

    private func missing(_ key: String, _ diagnostics: inout Diagnostics) {
        let place = path.isEmpty ? "" : " in \(path)"
        diagnostics.error(location(nil), "missing key `\(key)`\(place)")
    }
}
