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
    /// Births during the last step by age group of the mother, city (1 × A).
    public static let birthsByAge: FieldKey = "population.births_by_age"
    /// Deaths during the last step by cohort and sex, city (2A × 1; see `CohortFlows.deathsByAgeSex`).
    public static let deathsByAgeSex: FieldKey = "population.deaths_by_age_sex"
    /// Net out-migrants who could not leave an empty cohort during the last step, by zone (1 × Z).
    public static let migrationClamped: FieldKey = "population.migration_clamped"
    /// The period measures of the schedules in force over the last step (1 × 3): e₀ female, e₀ male
    /// (years) and the total fertility rate (births per woman).
    public static let periodRates: FieldKey = "population.period_rates"
    /// Life expectancy at birth by zone over the last step (2 × Z: females, males), with life tables by zone.
    public static let lifeExpectancyByZone: FieldKey = "population.life_expectancy_by_zone"
}
