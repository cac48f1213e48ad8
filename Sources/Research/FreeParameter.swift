public import CityTwinCore
import Foundation
public import Scenario

/// A model parameter that a calibration or a sensitivity analysis varies: a registry path, optionally one
/// element of a vector parameter, with the box it may move in.
///
/// Written `population.fertility_scale` (a scalar, or every element of a vector parameter together) or
/// `water.source_capacity[sources aquifer]` / `water.source_capacity[aquifer]` (one element, by its
/// name, or by its one-based position where elements have no names).
public struct FreeParameter: Sendable, Hashable {
    /// As written.
    public let name: String
    /// The registry path.
    public let path: String
    /// The element's position within the parameter, or nil for the whole parameter.
    public let element: Int?
    public let lower: Double
    public let upper: Double
    /// Where an optimiser starts (the model's value when nil).
    public let start: Double?

    public init(name: String, path: String, element: Int?, lower: Double, upper: Double, start: Double?) {
        self.name = name
        self.path = path
        self.element = element
        self.lower = lower
        self.upper = upper
        self.start = start
    }

    /// Splits `path[selector]` and resolves it against the catalog: the descriptor, and the element
    /// position when a selector is given.
    public static func resolve(_ name: String, in catalog: ParameterCatalog)
        -> Result<(descriptor: ParameterDescriptor, element: Int?), InputError.Message>
    {
        var path = name
        var selector: String?
        if let open = name.firstIndex(of: "["), name.hasSuffix("]") {
            path = String(name[..<open])
            selector = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
                .trimmingCharacters(in: .whitespaces)
        }
        guard let index = catalog.index(of: path) else {
            return .failure(.init("unknown parameter `\(path)`", hint: Suggestion.hint(for: path, in: catalog.paths)))
        }
        let descriptor = catalog.descriptors[index]
        guard let selector else { return .success((descriptor, nil)) }
        // `sources aquifer` names the dimension first; the element is the last word.
        let item = selector.split(separator: " ").last.map(String.init) ?? selector
        if let position = descriptor.elementNames.firstIndex(of: item) { return .success((descriptor, position)) }
        if descriptor.elementNames.isEmpty, let n = Int(item), (1...descriptor.count).contains(n) {
            return .success((descriptor, n - 1))
        }
        let dimension = descriptor.dimension?.name ?? "element"
        return .failure(
            .init(
                "\(path) has no \(dimension) `\(item)` (one element per free parameter)",
                hint: descriptor.elementNames.isEmpty
                    ? "\(dimension)s are numbered 1…\(descriptor.count)"
                    : Suggestion.hint(for: item, in: descriptor.elementNames)))
    }
}
