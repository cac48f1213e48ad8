public import LinearAlgebra

/// When, within a step, external net migrants join the population.
///
/// `start`: all join at the start and are exposed to the step's survival and fertility; `end`: all join
/// at the end; `split`: half at each end (the convention of Preston, Heuveline & Guillot 2001, Box 6.1).
public enum MigrationTiming: String, Sendable, Hashable, CaseIterable {
    case start
    case end
    case split

    /// The share of the step's net migrants that joins at its start.
    public var startShare: Double {
        switch self {
        case .start: 1
        case .end: 0
        case .split: 0.5
        }
    }
}

/// What the net-migration matrix holds.
public enum NetMigrationKind: String, Sendable, Hashable, CaseIterable {
    /// Net migrants per year, persons. Net out-migration larger than a cohort is clamped at zero and the
    /// clamped number recorded (`CohortFlows.clamped`).
    case counts
    /// Net migrants per person at risk per year: the step's migrants are h · rate · P(x, z) with P the
    /// population at the start of the step, so a rate ≥ −1/h never empties a cohort.
    case rates
}

/// Internal migration for one band of ages: a zone × zone transition matrix over one step.
///
/// `matrix[i, j]` is the probability that a person in zone i at the start of the step lives in zone j
/// at its end; every row sums to one (the loader checks this), so internal migration moves people and
/// never creates or removes them.
public struct MigrationBand: Sendable, Hashable {
    /// The age groups this matrix applies to (indices into `AgeGroups`).
    public var ageGroups: Range<Int>
    public var matrix: Matrix

    public init(ageGroups: Range<Int>, matrix: Matrix) {
        self.ageGroups = ageGroups
        self.matrix = matrix
    }
}

/// Everything the multi-region cohort-component model needs: pure data, hashable for provenance.
///
/// Shapes: A age groups, Z zones. Population and net-migration matrices are (2A × Z) with females in
/// rows 0..<A and males in rows A..<2A (see `Sex`).
public struct PopulationParameters: Sendable, Hashable {
    public var ages: AgeGroups
    /// Zone count Z.
    public var zoneCount: Int
    /// Population at the base year, persons (2A × Z).
    public var initial: Matrix
    public var survivalFemale: SurvivalRatios
    public var survivalMale: SurvivalRatios
    /// Survival by zone (Z entries each), when the model gives life tables per zone: they then replace
    /// `survivalFemale`/`survivalMale` (which stay the first zone's, for reference), and survival is
    /// computed cell by cell instead of by the one GEMM (O(A·Z), cheaper, the same formulas).
    public var survivalFemaleByZone: [SurvivalRatios]?
    public var survivalMaleByZone: [SurvivalRatios]?
    /// Age-specific fertility rates, births per woman per year, one per age group.
    public var fertility: [Double]
    /// Fertility by zone (A × Z, zone z in column z), when the model gives it per zone: it then replaces
    /// `fertility` for births (which stays the base-year rates of the first zone, for reference).
    public var fertilityByZone: Matrix?
    /// Male births per female birth (1.05 is the usual human figure).
    public var sexRatioAtBirth: Double
    /// Internal migration by age band; empty means no internal migration.
    public var migration: [MigrationBand]
    /// External net migrants per year (2A × Z), persons or rates (`netMigrationKind`); negative where
    /// more leave than arrive.
    public var netMigration: Matrix
    public var netMigrationTiming: MigrationTiming
    public var netMigrationKind: NetMigrationKind = .counts
    /// Inputs that change over the run; each given schedule replaces the fixed value above from step to
    /// step (`CohortComponentProjection.setYear`). Empty: the fixed values hold for the whole run.
    public var schedules = PopulationSchedules()

    // Levers a scenario may set.
    /// Multiplies every fertility rate (a fertility incentive is > 1).
    public var fertilityScale: Double = 1
    /// Annual rate at which every probability of dying falls (0.01 = 1 % a year).
    public var mortalityImprovement: Double = 0
    /// Multiplies external net migration.
    public var netMigrationScale: Double = 1
    /// Elasticity of internal movers' destination choice to job growth (see `JobAttraction`).
    public var jobAttraction: Double = 0

    public init(
        ages: AgeGroups, zoneCount: Int, initial: Matrix, survivalFemale: SurvivalRatios, survivalMale: SurvivalRatios,
        fertility: [Double], sexRatioAtBirth: Double, migration: [MigrationBand], netMigration: Matrix,
        netMigrationTiming: MigrationTiming
    ) {
        self.ages = ages
        self.zoneCount = zoneCount
        self.initial = initial
        self.survivalFemale = survivalFemale
        self.survivalMale = survivalMale
        self.fertility = fertility
        self.sexRatioAtBirth = sexRatioAtBirth
        self.migration = migration
        self.netMigration = netMigration
        self.netMigrationTiming = netMigrationTiming
        precondition(initial.rows == 2 * ages.count && initial.columns == zoneCount, "initial population shape")
        precondition(netMigration.rows == 2 * ages.count && netMigration.columns == zoneCount, "net migration shape")
        precondition(fertility.count == ages.count, "fertility has one rate per age group")
    }
}
