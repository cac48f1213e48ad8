import CityTwinCore

/// Turns the references of an expression into positions in the model's vector of indicator values.
///
/// The language knows nothing about the model: the scenario layer implements this over its registry of
/// paths. It is asked once per reference when an expression is compiled, never while it is evaluated.
public protocol ReferenceResolver {
    /// The slots a reference reads, or why it cannot be read.
    ///
    /// Return one slot for a city-level value and one per selected element for a selector, in the order
    /// the elements should be aggregated. A failure's message should name what is wrong
    /// ("unknown indicator `water.reserv_days`", "zone 99 does not exist") and may point at a part of the
    /// reference through ``ReferenceError/span`` (the path, the keyword, one item).
    func resolve(_ request: ReferenceRequest) -> Result<ResolvedReference, ReferenceError>
}

/// Turns an assignment's target into positions in the model's vector of parameter values.
///
/// Kept apart from ``ReferenceResolver`` because targets are parameters (levers a scenario may change)
/// while expressions read indicators (what the model computes); a path may be one and not the other.
public protocol TargetResolver {
    /// The indices of the parameter values an assignment changes, or why it cannot change them.
    func resolve(_ request: ReferenceRequest) -> Result<ResolvedTarget, ReferenceError>
}

/// What a resolver is asked about one reference.
public struct ReferenceRequest: Sendable, Hashable {
    /// The reference as parsed, with spans for errors.
    public let reference: Reference
    /// Whether the reference sits inside `previous(…)`: the value at the previous tick is wanted, so a
    /// resolver may refuse paths whose history it does not keep.
    public let isPrevious: Bool

    public init(reference: Reference, isPrevious: Bool) {
        self.reference = reference
        self.isPrevious = isPrevious
    }

    /// `water.reserve_days`
    public var path: String { reference.path }
    public var selector: Selector? { reference.selector }
}

/// Where a reference's values live, and their unit.
public struct ResolvedReference: Sendable, Hashable {
    /// Indices into the flat `[Double]` of indicator values passed to evaluation (current or previous tick).
    public let slots: [Int]
    /// The unit of every value, e.g. `persons`, `days`, `veh·h`. The empty string means dimensionless and,
    /// like a number literal, combines with any unit.
    public let unit: String

    public init(slots: [Int], unit: String) {
        self.slots = slots
        self.unit = unit
    }
}

/// Where an assignment's target lives among the parameter values, and its unit.
public struct ResolvedTarget: Sendable, Hashable {
    /// Indices into the flat array of parameter values the scenario layer keeps; their meaning is the
    /// resolver's, the language only passes them on.
    public let indices: [Int]
    /// The unit of the parameter; the empty string means dimensionless.
    public let unit: String

    public init(indices: [Int], unit: String) {
        self.indices = indices
        self.unit = unit
    }
}

/// Why a reference cannot be resolved.
public struct ReferenceError: Error, Sendable, Hashable {
    public let message: String
    /// How to fix it, e.g. "did you mean `water.reserve_days`?".
    public let hint: String?
    /// The part of the expression to underline; nil underlines the whole reference.
    public let span: SourceSpan?

    public init(_ message: String, hint: String? = nil, span: SourceSpan? = nil) {
        self.message = message
        self.hint = hint
        self.span = span
    }
}
