public import CityTwinCore

/// A parameter override from a scenario: which parameter, what value, and where the scenario said so.
public struct ParameterOverride: Sendable, Hashable {
    public let path: String
    public let value: Double
    public let location: SourceLocation
}

/// A scenario as written: what to run, over which horizon, with which seed and overrides. Pure data.
public struct ScenarioSpec: Sendable, Hashable {
    public var name: String
    public var description: String
    /// The scenario file.
    public var file: String
    /// The model folder, resolved against the scenario file's folder.
    public var modelPath: String
    public var startYear: Int
    public var endYear: Int
    public var tick: TickLength
    public var seed: UInt64
    public var overrides: [ParameterOverride]
}
