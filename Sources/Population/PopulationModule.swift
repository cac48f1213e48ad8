public import CityTwinCore
import Foundation
import LinearAlgebra

/// The multi-region cohort-component population model on the simulation clock.
///
/// Each tick puts the schedules of the year in force (`CohortComponentProjection.setYear`), advances
/// `population.cohorts` by one `CohortComponentProjection` step and writes the step's births, deaths
/// and migrants by zone, births by age of mother, deaths by age and sex, and the period's e₀ and TFR.
/// Net out-migration clamped at an empty cohort is reported as `population.migration_clamped` and as a
/// warning on standard error naming zone, age, sex and year. The tick must equal the age interval (a yearly tick
/// for single-year ages; the scenario loader checks this).
public struct PopulationModule: ParameterizedModule {
    public let name = "population"
    /// The parameters now in force (levers included).
    public var parameters: PopulationParameters { projection.parameters }
    /// First year of the run: mortality improvement counts from here.
    public let baseYear: Double
    /// The field of jobs by zone (1 × Z) that attracts internal migrants, when the run has one.
    public let jobsField: FieldKey?
    private var projection: CohortComponentProjection
    private let indicatorNames: PopulationIndicators.Names
    /// The migration bands as the model gives them; `JobAttraction` reweights them each step.
    private let baseMigration: [MigrationBand]
    /// Jobs by zone at the first step: what job growth is measured against (carried, see PopulationModule+Memory).
    var baseJobs: [Double]?
    /// Zone ids for warnings (positions when not given).
    private let zoneIDs: [String]

    /// - Parameter jobsField: a field of jobs by zone (the economy's `economy.jobs_by_zone`) whose
    ///   growth steers internal migrants with elasticity `jobAttraction`; nil for none.
    public init(_ parameters: PopulationParameters, baseYear: Int, jobsField: FieldKey? = nil, zoneIDs: [String] = []) {
        self.zoneIDs = zoneIDs
        self.baseYear = Double(baseYear)
        self.jobsField = jobsField
        self.projection = CohortComponentProjection(parameters)
        self.indicatorNames = PopulationIndicators.Names(ages: parameters.ages)
        self.baseMigration = parameters.migration
    }

    public var reads: Set<FieldKey> { jobsField.map { [PopulationFields.cohorts, $0] } ?? [PopulationFields.cohorts] }
    public var writes: Set<FieldKey> {
        [
            PopulationFields.cohorts, PopulationFields.byZone, PopulationFields.births, PopulationFields.deaths,
            PopulationFields.netMigration, PopulationFields.internalMigration, PopulationFields.birthsByAge,
            PopulationFields.deathsByAgeSex, PopulationFields.migrationClamped, PopulationFields.periodRates,
            PopulationFields.lifeExpectancyByZone,
        ]
    }

    public var indicatorDescriptors: [IndicatorDescriptor] {
        let names = indicatorNames
        let zoneLifeTables = parameters.survivalFemaleByZone != nil
        let resolution = parameters.ages.interval == 1 ? "single year of age" : "\(parameters.ages.interval)-year age group"
        var descriptors = [
            IndicatorDescriptor("population.total", unit: "persons", .stock, description: "residents", byZone: true),
            IndicatorDescriptor("population.female", unit: "persons", .stock, description: "female residents"),
            IndicatorDescriptor("population.male", unit: "persons", .stock, description: "male residents"),
            IndicatorDescriptor("population.births", unit: "persons/yr", .flow, description: "live births in the step", byZone: true),
            IndicatorDescriptor(
                "population.deaths", unit: "persons/yr", .flow, description: "deaths in the step", byZone: true,
                better: .lower),
            IndicatorDescriptor(
                "population.net_migration", unit: "persons/yr", .flow,
                description: "external net migrants in the step (in − out), as applied", byZone: true),
            IndicatorDescriptor(
                "population.internal_migration", unit: "persons/yr", .flow,
                description: "net moves between zones in the step (sums to zero over the city)", byZone: true),
            IndicatorDescriptor(
                "population.migration_clamped", unit: "persons/yr", .flow,
                description: "net out-migrants who could not leave because their cohort was empty", byZone: true,
                better: .lower),
            IndicatorDescriptor(
                "population.births_by_age", unit: "persons/yr", .flow,
                description: "births in the step by \(resolution) of the mother", hasCityValue: false,
                elements: .init("age", names.ageElements)),
            IndicatorDescriptor(
                "population.deaths_by_age_sex", unit: "persons/yr", .flow,
                description: "deaths in the step by sex and the \(resolution) the cohort reaches at the step's end (0: the step's births)",
                hasCityValue: false, elements: .init("", names.ageSexElements), better: .lower),
            IndicatorDescriptor(
                "population.life_expectancy", unit: "years", .flow,
                description: zoneLifeTables
                    ? "life expectancy at birth of each zone's life table in force over the step (city: their population-weighted mean)"
                    : "life expectancy at birth of the life table in force over the step",
                hasCityValue: false, byZone: zoneLifeTables, aggregation: zoneLifeTables ? .populationWeightedMean : .none,
                elements: .init("sex", Sex.allCases.map(\.rawValue)), better: .higher),
            IndicatorDescriptor(
                "population.total_fertility", unit: "births per woman", .flow,
                description: "total fertility rate of the fertility in force over the step", aggregation: .none),
            IndicatorDescriptor(
                "population.dependency_ratio", unit: "percent", .stock,
                description: "(persons 0–14 + persons 65+) per 100 persons 15–64", aggregation: .none, better: .lower),
            IndicatorDescriptor(
                "population.median_age", unit: "years", .stock, description: "median age of residents",
                aggregation: .none),
            IndicatorDescriptor(
                "population.by_age_sex", unit: "persons", .stock,
                description: "residents by \(resolution) and sex", hasCityValue: false,
                elements: .init("", names.ageSexElements)),
        ]
        if !names.fiveYearElements.isEmpty {
            descriptors.append(
                IndicatorDescriptor(
                    "population.by_age_sex_5y", unit: "persons", .stock,
                    description: "residents by five-year age group and sex", hasCityValue: false,
                    elements: .init("", names.fiveYearElements)))
        }
        return descriptors
    }

    public func initialize(_ state: inout CityState) throws {
        let a = parameters.ages.count
        let zones = Dimension("zone", parameters.zoneCount)
        state.add(
            PopulationFields.cohorts,
            Field(rows: Dimension("age×sex", 2 * a), columns: zones, unit: "persons", values: parameters.initial))
        var byZone = Field(rows: .one, columns: zones, unit: "persons")
        byZone.values.storage = parameters.initial.columnSums
        state.add(PopulationFields.byZone, byZone)
        for key in [
            PopulationFields.births, PopulationFields.deaths, PopulationFields.netMigration,
            PopulationFields.internalMigration, PopulationFields.migrationClamped,
        ] {
            state.add(key, Field(rows: .one, columns: zones, unit: "persons"))
        }
        state.add(PopulationFields.birthsByAge, Field(rows: .one, columns: Dimension("age", a), unit: "persons"))
        state.add(PopulationFields.deathsByAgeSex, Field(rows: Dimension("age×sex", 2 * a), columns: .one, unit: "persons"))
        state.add(PopulationFields.lifeExpectancyByZone, Field(rows: Dimension("sex", 2), columns: zones, unit: "years"))
        state.add(PopulationFields.periodRates, Field(rows: .one, columns: Dimension("measure", 3), unit: "years, births per woman"))
    }

    public mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        precondition(
            abs(context.length - Double(parameters.ages.interval)) < 1e-9,
            "the population tick (\(context.length) years) must equal the age interval")
        projection.setYear(context.time)
        projection.setMortality(yearsSinceBase: context.time - baseYear)
        if let jobsField, parameters.jobAttraction != 0 {
            let jobs = state[jobsField].storage
            let base = baseJobs ?? jobs
            baseJobs = base
            projection.parameters.migration = baseMigration.map { band in
                MigrationBand(
                    ageGroups: band.ageGroups,
                    matrix: JobAttraction.reweighted(
                        band.matrix, jobs: jobs, baseJobs: base, elasticity: parameters.jobAttraction))
            }
        }
        let flows = state.modify(PopulationFields.cohorts) { projection.step(&$0) }
        state[PopulationFields.byZone].storage = state[PopulationFields.cohorts].columnSums
        state[PopulationFields.births].storage = flows.births
        state[PopulationFields.deaths].storage = flows.deaths
        state[PopulationFields.netMigration].storage = flows.netMigration
        state[PopulationFields.internalMigration].storage = flows.internalMigration
        state[PopulationFields.migrationClamped].storage = flows.clampedByZone
        state[PopulationFields.birthsByAge].storage = flows.birthsByAgeOfMother
        state[PopulationFields.deathsByAgeSex].storage = flows.deathsByAgeSex
        state[PopulationFields.periodRates].storage = [flows.lifeExpectancyFemale, flows.lifeExpectancyMale, flows.totalFertility]
        if !flows.lifeExpectancyFemaleByZone.isEmpty {
            state.modify(PopulationFields.lifeExpectancyByZone) { e in
                for zone in 0..<parameters.zoneCount {
                    e[0, zone] = flows.lifeExpectancyFemaleByZone[zone]
                    e[1, zone] = flows.lifeExpectancyMaleByZone[zone]
                }
            }
        }
        if !flows.clamped.isEmpty { warnClamped(flows.clamped, year: context.time) }
    }

    /// One line on standard error per clamped cell (the first 20 of a step, then a count).
    private func warnClamped(_ cells: [ClampedMigration], year: Double) {
        let ages = parameters.ages
        var text = ""
        for cell in cells.prefix(20) {
            text +=
                "warning: population: net out-migration larger than the cohort in zone \(zoneLabel(cell.zone)), "
                + "age \(ages.label(cell.ageGroup)), \(cell.sex.rawValue), year \(Int(year.rounded(.down))): "
                + "\(cell.persons) persons could not leave (population.migration_clamped)\n"
        }
        if cells.count > 20 { text += "warning: population: \(cells.count - 20) more cohorts clamped in \(Int(year.rounded(.down)))\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func zoneLabel(_ zone: Int) -> String { zoneIDs.indices.contains(zone) ? zoneIDs[zone] : "#\(zone + 1)" }

    public func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] {
        PopulationIndicators(ages: parameters.ages, cohorts: state[PopulationFields.cohorts], names: indicatorNames)
            .samples(flows: flowsAvailable ? flows(in: state) : nil)
    }

    private func flows(in state: CityState) -> CohortFlows {
        var flows = CohortFlows(zones: parameters.zoneCount)
        flows.births = state[PopulationFields.births].storage
        flows.deaths = state[PopulationFields.deaths].storage
        flows.netMigration = state[PopulationFields.netMigration].storage
        flows.internalMigration = state[PopulationFields.internalMigration].storage
        flows.clampedByZone = state[PopulationFields.migrationClamped].storage
        flows.birthsByAgeOfMother = state[PopulationFields.birthsByAge].storage
        flows.deathsByAgeSex = state[PopulationFields.deathsByAgeSex].storage
        let rates = state[PopulationFields.periodRates].storage
        (flows.lifeExpectancyFemale, flows.lifeExpectancyMale, flows.totalFertility) = (rates[0], rates[1], rates[2])
        if parameters.survivalFemaleByZone != nil {
            let e = state[PopulationFields.lifeExpectancyByZone]
            flows.lifeExpectancyFemaleByZone = (0..<parameters.zoneCount).map { e[0, $0] }
            flows.lifeExpectancyMaleByZone = (0..<parameters.zoneCount).map { e[1, $0] }
        }
        return flows
    }
}

extension PopulationModule {
    /// The levers of the population model.
    public static let levers: [ScalarLever<PopulationParameters>] = [
        ScalarLever(
            "population.fertility_scale", unit: "factor", range: 0...5, \.fertilityScale,
            description: "multiplies every age-specific fertility rate (a fertility incentive is > 1)"),
        ScalarLever(
            "population.mortality_improvement", unit: "1/year", range: -0.1...0.2, \.mortalityImprovement,
            description: "annual rate at which every probability of dying falls (0.01 = 1 % a year)"),
        ScalarLever(
            "population.net_migration_scale", unit: "factor", range: -10...10, \.netMigrationScale,
            description: "multiplies external net migration (0 closes the city to migration)"),
        ScalarLever(
            "population.sex_ratio_at_birth", unit: "male per female birth", range: 0.8...1.3, \.sexRatioAtBirth,
            description: "male births per female birth (a sex_ratio_at_birth schedule file overrides it each year)"),
        ScalarLever(
            "population.job_attraction", unit: "1", range: 0...5, \.jobAttraction,
            description: "elasticity of movers' destination choice to a zone's job growth (0: jobs do not attract)"),
    ]

    public var parameterDescriptors: [ParameterDescriptor] { Self.levers.map(\.descriptor) }
    public func parameterValues(_ path: String) -> [Double] { Self.levers.values(path, of: projection.parameters) }
    public mutating func setParameterValues(_ path: String, _ values: [Double]) {
        Self.levers.set(path, values, in: &projection.parameters)
    }
}
