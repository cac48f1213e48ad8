import CityTwinCore
import Foundation
internal import Yams

/// A YAML mapping read strictly: every key must be known, every value of the right kind, and every
/// problem is reported with the file, line and column of the offending node.
///
/// Swift's synthesized `Decodable` silently ignores unknown keys, which turns a misspelt lever into a
/// silent no-op; this reader makes it an error with a "did you mean".
struct YAMLMapping {
    let mapping: Node.Mapping
    let file: String
    /// The key path of this mapping, for messages ("population").
    let path: String

    /// Parses a whole YAML document whose root must be a mapping.
    static func document(text: String, file: String) throws -> YAMLMapping {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputErrors([YAMLMapping.inputError(error, file: file)])
        }
        guard let root, let mapping = root.mapping else {
            throw InputErrors([InputError(SourceLocation(file: file, line: 1), "expected a mapping of `key: value` lines")])
        }
        return YAMLMapping(mapping: mapping, file: file, path: "")
    }

    /// The location of a node.
    func location(_ node: Node?) -> SourceLocation {
        SourceLocation(file: file, line: node?.mark?.line ?? mapping.mark?.line, column: node?.mark?.column ?? mapping.mark?.column)
    }

    /// The location of a key (its key node), or of the mapping when absent.
    func location(ofKey key: String) -> SourceLocation {
        location(mapping.first { $0.key.string == key }?.key)
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Reports every key not in `allowed`, with the nearest allowed key.
    func rejectUnknownKeys(allowing allowed: [String], _ diagnostics: inout Diagnostics) {
        for (keyNode, _) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            if !allowed.contains(key) {
                let place = path.isEmpty ? "" : " in \(path)"
                diagnostics.error(location(keyNode), "unknown key `\(key)`\(place)", hint: Suggestion.hint(for: key, in: allowed))
            }
        }
    }

    func node(_ key: String) -> Node? { mapping[key] }

    func has(_ key: String) -> Bool { mapping[key] != nil }

    /// A required or optional string.
    func string(_ key: String, required: Bool = true, _ diagnostics: inout Diagnostics) -> String? {
        guard let node = mapping[key] else {
            if required { missing(key, &diagnostics) }
            return nil
        }
        guard let scalar = node.scalar else {
            diagnostics.error(location(node), "`\(qualified(key))` must be a single value")
            return nil
        }
        return scalar.string
    }

    /// A required or optional number.
    func double(_ key: String, required: Bool = true, _ diagnostics: inout Diagnostics) -> Double? {
        guard let text = string(key, required: required, &diagnostics) else { return nil }
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            diagnostics.error(location(mapping[key]), "`\(qualified(key))` is `\(text)`, which is not a number")
            return nil
        }
        return value
    }

    /// A required or optional whole number.
    func integer(_ key: String, required: Bool = true, _ diagnostics: inout Diagnostics) -> Int? {
        guard let text = string(key, required: required, &diagnostics) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            diagnostics.error(location(mapping[key]), "`\(qualified(key))` is `\(text)`, which is not a whole number")
            return nil
        }
        return value
    }

    /// A nested mapping.
    func submapping(_ key: String, required: Bool = true, _ diagnostics: inout Diagnostics) -> YAMLMapping? {
        guard let node = mapping[key] else {
            if required { missing(key, &diagnostics) }
            return nil
        }
        guard let nested = node.mapping else {
            diagnostics.error(location(node), "`\(qualified(key))` must be a mapping of `key: value` lines")
            return nil
        }
        return YAMLMapping(mapping: nested, file: file, path: qualified(key))
    }

    /// The mapping's entries as (key, value text, location), in file order; non-scalar values are errors.
    func scalarEntries(_ diagnostics: inout Diagnostics) -> [(key: String, value: String, location: SourceLocation)] {
        mapping.compactMap { keyNode, valueNode in
            guard let key = keyNode.string else { return nil }
            guard let value = valueNode.scalar?.string else {
                diagnostics.error(location(valueNode), "`\(qualified(key))` must be a single value")
                return nil
            }
            return (key, value, location(keyNode))
        }
    }

    /// A list of mappings (`interventions:`, `alerts:`); absent means empty.
    func sequenceOfMappings(_ key: String, _ diagnostics: inout Diagnostics) -> [YAMLMapping] {
        guard let node = mapping[key] else { return [] }
        guard let sequence = node.sequence else {
            diagnostics.error(location(node), "`\(qualified(key))` must be a list of `- name: …` items")
            return []
        }
        return sequence.enumerated().compactMap { index, item in
            guard let nested = item.mapping else {
                diagnostics.error(location(item), "item \(index + 1) of `\(qualified(key))` must be a mapping of `key: value` lines")
                return nil
            }
            return YAMLMapping(mapping: nested, file: file, path: "\(qualified(key))[\(index + 1)]")
        }
    }

    /// A list of strings, written `[a, b]` or as `- a` lines; nil when absent.
    func stringList(_ key: String, _ diagnostics: inout Diagnostics) -> [String]? {
        guard let node = mapping[key] else { return nil }
        guard let sequence = node.sequence else {
            diagnostics.error(location(node), "`\(qualified(key))` must be a list, e.g. [population.total, population.births]")
            return nil
        }
        return sequence.compactMap { item in
            guard let text = item.scalar?.string else {
                diagnostics.error(location(item), "items of `\(qualified(key))` must be single values")
                return nil
            }
            return text
        }
    }

    /// The text of a scalar with the location of its first character (past an opening quote), so that
    /// an expression parser can report exact columns.
    func sourceText(_ node: Node) -> SourceText? {
        guard let scalar = node.scalar else { return nil }
        var place = location(node)
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted, let column = place.column {
            place = SourceLocation(file: place.file, line: place.line, column: column + 1)
        }
        return SourceText(scalar.string, at: place)
    }

    /// An expression-valued key (`when:`, `until:`).
    func expression(_ key: String, _ diagnostics: inout Diagnostics) -> SourceText? {
        guard let node = mapping[key] else {
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
    func expressionList(_ key: String, _ diagnostics: inout Diagnostics) -> [SourceText] {
        guard let node = mapping[key] else { return [] }
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

    /// A node as a `ParameterNode` tree (with lines), for section loaders in other modules.
    func parameterNode(_ node: Node) -> ParameterNode {
        let line = node.mark?.line
        switch node {
        case .scalar(let scalar): return .scalar(scalar.string, line: line)
        case .sequence(let sequence): return .list(sequence.map(parameterNode), line: line)
        case .mapping(let mapping):
            return .mapping(mapping.map { (key: $0.key.string ?? "", value: parameterNode($0.value)) }, line: line)
        case .alias: return .scalar("", line: line)
        }
    }

    private func missing(_ key: String, _ diagnostics: inout Diagnostics) {
        let place = path.isEmpty ? "" : " in \(path)"
        diagnostics.error(location(nil), "missing key `\(key)`\(place)")
    }

    private static func inputError(_ error: YamlError, file: String) -> InputError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return InputError(SourceLocation(file: file, line: mark.line, column: mark.column), "YAML: \(problem)")
        default:
            return InputError(SourceLocation(file: file), "YAML: \(error)")
        }
    }
}
