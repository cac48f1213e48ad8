public import CityTwinCore

/// The state fields the population module writes. Other modules read `byZone`.
public enum PopulationFields {
    /// Persons by age group and sex (rows: females then males, 2A) and zone (columns).
    public static let cohorts: FieldKey = "population.cohorts"
    /// Persons by zone (1 × Z).
    public static let byZone: FieldKey = "population.by_zone"
    /// Births during the last step, by zone (1 × Z).
    public static let births: FieldKey = "population.births"
    /// Deaths during the last step, by zone (1 × Z).
    public static let deaths: FieldKey = "population.deaths"
    /// External net migrants during the last step, by zone (1 × Z).
    public static let netMigration: FieldKey = "population.net_migration"
    /// Net internal migration during the last step, by zone (1 × Z).
    public static let internalMigration: FieldKey = "population.internal_migration"
}
