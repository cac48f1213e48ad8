import Population

/// One model parameter a scenario can set, by path: its unit, default, allowed range and meaning.
public struct ParameterDefinition: Sendable {
    public let path: String
    public let unit: String
    public let description: String
    /// Allowed values (inclusive).
    public let range: ClosedRange<Double>
    let read: @Sendable (CityModel) -> Double
    let write: @Sendable (inout CityModel, Double) -> Void
}

/// The registry of scenario-settable parameters, each with a path (`population.fertility_scale`).
///
/// Scenarios, calibration and reports name parameters by these paths; an unknown path is an error with
/// the nearest known one as a hint.
public enum ParameterRegistry {
    public static let all: [ParameterDefinition] = [
        ParameterDefinition(
            path: "population.fertility_scale", unit: "factor",
            description: "multiplies every age-specific fertility rate (a fertility incentive is > 1)",
            range: 0...5, read: { $0.population.fertilityScale }, write: { $0.population.fertilityScale = $1 }),
        ParameterDefinition(
            path: "population.mortality_improvement", unit: "1/year",
            description: "annual rate at which every probability of dying falls (0.01 = 1 % a year)",
            range: -0.1...0.2, read: { $0.population.mortalityImprovement },
            write: { $0.population.mortalityImprovement = $1 }),
        ParameterDefinition(
            path: "population.net_migration_scale", unit: "factor",
            description: "multiplies external net migration (0 closes the city to migration)",
            range: -10...10, read: { $0.population.netMigrationScale }, write: { $0.population.netMigrationScale = $1 }),
        ParameterDefinition(
            path: "population.sex_ratio_at_birth", unit: "male per female birth",
            description: "male births per female birth",
            range: 0.8...1.3, read: { $0.population.sexRatioAtBirth }, write: { $0.population.sexRatioAtBirth = $1 }),
    ]

    /// The definition for a path, if any.
    public static func definition(_ path: String) -> ParameterDefinition? {
        all.first { $0.path == path }
    }
}
