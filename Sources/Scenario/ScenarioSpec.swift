public import CityTwinCore

/// When an intervention acts.
public enum InterventionTiming: Sendable, Hashable {
    /// From the start of `year` on; undone at the start of `end` when given (a window).
    case at(year: Int, end: Int?)
    /// A linear ramp: the parameter moves from its value at the start of `from` to the assignment's
    /// result at the start of `to`, in equal steps each tick.
    case ramp(from: Int, to: Int)
    /// A trigger: acts at the first tick boundary where `when` holds, and is undone when `until` holds.
    /// With `repeats`, it may fire again after it is undone; otherwise it fires once.
    case trigger(when: SourceText, until: SourceText?, repeats: Bool)
}

/// A policy action: what to change (one or more assignments) and when.
public struct InterventionSpec: Sendable, Hashable {
    public let name: String
    public let timing: InterventionTiming
    /// Assignments such as `traffic.toll[links 10, 11] = 3.0` or `water.per_capita_demand *= 0.85`.
    public let operations: [SourceText]
    public let location: SourceLocation
}

/// An uncertain parameter of an ensemble: each member draws its value from the distribution.
public struct UncertainParameter: Sendable, Hashable {
    public let path: String
    public let distribution: Distribution
    public let location: SourceLocation
}

/// The ensemble: how many members and which parameters are uncertain.
public struct EnsembleSpec: Sendable, Hashable {
    public var members: Int
    public var uncertain: [UncertainParameter]

    /// A single deterministic member.
    public static let single = EnsembleSpec(members: 1, uncertain: [])
}

/// An early-warning rule: the probability, over members, that `condition` holds in each year up to the
/// horizon, and the first year it reaches `probabilityAtLeast`.
public struct AlertSpec: Sendable, Hashable {
    public let name: String
    public let condition: SourceText
    /// Years after the start that the rule looks ahead.
    public let withinYears: Int
    public let probabilityAtLeast: Double
    /// Evaluate the condition zone by zone (references without a selector mean the zone's value).
    public let byZone: Bool
    public let location: SourceLocation
}

/// A scenario as written (after `extends:` is resolved): pure data.
public struct ScenarioSpec: Sendable, Hashable {
    public var name: String
    public var description: String
    /// The scenario file, then the files it extends, nearest first.
    public var files: [String]
    /// The model folder, resolved against the file that named it.
    public var modelPath: String
    public var startYear: Int
    public var endYear: Int
    public var tick: TickLength
    public var seed: UInt64
    /// Parameter settings from the start, as assignments (`population.fertility_scale = 1.1`).
    public var parameters: [SourceText]
    public var interventions: [InterventionSpec]
    public var ensemble: EnsembleSpec
    public var alerts: [AlertSpec]
    /// Variables to write to the forecast (all when nil).
    public var record: [String]?
    /// Parts of the model not run.
    public var without: [String] = []
    /// Parameters set from the start by a program (a sweep, a calibration), after the scenario's own
    /// settings: typed values, so that nothing is written as text and parsed again.
    public var overrides: [ParameterOverride] = []
    /// Whether the run continues an earlier run's saved end state (`--from`): it then starts at the saved
    /// instant rather than the model's base year, and interventions dated before its start have already
    /// acted (their state is saved with the members).
    public var continuesSavedState = false

    /// The scenario file itself.
    public var file: String { files[0] }
}

/// A parameter set from the start by a program rather than by a scenario file.
public struct ParameterOverride: Sendable, Hashable {
    /// The parameter's path (`population.fertility_scale`).
    public let path: String
    /// One value for every element, or one per element of a vector parameter.
    public let values: [Double]

    public init(_ path: String, _ values: [Double]) {
        self.path = path
        self.values = values
    }

    public init(_ path: String, _ value: Double) { self.init(path, [value]) }
}
