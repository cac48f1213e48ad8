/// A parameter a module exposes to scenarios, calibration and reports, named by a path.
///
/// A scalar parameter has one value; a vector parameter has one value per element of its dimension
/// (zone, link, sector, …), addressed in scenarios by selectors such as `traffic.toll[links 1-5]`.
public struct ParameterDescriptor: Sendable, Hashable {
    /// The path, `module.name` (`population.fertility_scale`).
    public let path: String
    public let unit: String
    public let description: String
    /// The dimension of a vector parameter, or nil for a scalar.
    public let dimension: Dimension?
    /// Names of the elements of the dimension (zone ids, link "from-to", sector names), if any.
    public let elementNames: [String]
    /// Allowed values of every element (inclusive).
    public let range: ClosedRange<Double>

    public init(
        path: String, unit: String, description: String, dimension: Dimension? = nil,
        elementNames: [String] = [], range: ClosedRange<Double>
    ) {
        self.path = path
        self.unit = unit
        self.description = description
        self.dimension = dimension
        self.elementNames = elementNames
        self.range = range
    }

    /// Number of values: 1 for a scalar.
    public var count: Int { dimension?.count ?? 1 }
}

/// A module whose parameters can be read and changed between ticks (levers, interventions, ensemble
/// draws, calibration). The module applies a change from its next step on.
public protocol ParameterizedModule: SimulationModule {
    /// The parameters this module exposes.
    var parameterDescriptors: [ParameterDescriptor] { get }
    /// Current values of a parameter (one for a scalar). The path is one of `parameterDescriptors`.
    func parameterValues(_ path: String) -> [Double]
    /// Sets every value of a parameter. Values were checked against the descriptor's range.
    mutating func setParameterValues(_ path: String, _ values: [Double])
    /// Why these parameter values, taken together, cannot be run (e.g. closed links that cut a zone off), or nil.
    /// `values` holds every parameter of this module by path. Called by scenario validation for the settings and
    /// for each intervention; each value is already within its range.
    func problem(withValues values: [String: [Double]]) -> String?
}

extension ParameterizedModule {
    public func problem(withValues values: [String: [Double]]) -> String? { nil }
}

/// A scalar lever of a module: a descriptor and the stored property of the module's parameters it
/// reads and writes. Modules list their levers in a table and forward `ParameterizedModule` to it.
public struct ScalarLever<Parameters>: Sendable {
    public let descriptor: ParameterDescriptor
    public let keyPath: any WritableKeyPath<Parameters, Double> & Sendable

    public init(
        _ path: String, unit: String, range: ClosedRange<Double>, _ keyPath: any WritableKeyPath<Parameters, Double> & Sendable,
        description: String
    ) {
        self.descriptor = ParameterDescriptor(path: path, unit: unit, description: description, range: range)
        self.keyPath = keyPath
    }
}

extension Array {
    /// The lever with this path (a programming error when absent: paths come from the descriptors).
    public func lever<P>(_ path: String) -> ScalarLever<P> where Element == ScalarLever<P> {
        guard let lever = first(where: { $0.descriptor.path == path }) else { preconditionFailure("no lever \(path)") }
        return lever
    }

    /// The current value of a lever, as the one-element vector `ParameterizedModule` returns.
    public func values<P>(_ path: String, of parameters: P) -> [Double] where Element == ScalarLever<P> {
        [parameters[keyPath: lever(path).keyPath]]
    }

    /// Sets a lever from a one-element vector.
    public func set<P>(_ path: String, _ values: [Double], in parameters: inout P) where Element == ScalarLever<P> {
        precondition(values.count == 1, "\(path) is a scalar")
        parameters[keyPath: lever(path).keyPath] = values[0]
    }
}
