import CityTwinCore
import LinearAlgebra
import Testing

@testable import Population

/// The UN CCMPP conventions of `CohortComponentProjection`, each on a case small enough to compute by
/// hand. Tolerances are 1e-9 (relative) or 1e-12: the hand figures are exact decimals, and the engine
/// does a few dozen floating-point operations per cell.
@Suite("Cohort-component conventions, by hand")
struct ConventionTests {
    /// One zone, five-year groups 0–4 … 85+, every survival ratio 0.9 and S_birth 0.95, fertility 0.1 at
    /// 20–24 only, nobody at the start; 200 women aged 20–24 arrive per year (1000 over the step).
    static func arrivals(_ timing: MigrationTiming) -> (population: Matrix, flows: CohortFlows) {
        let ages = AgeGroups(interval: 5, openAge: 85)
        let a = ages.count
        var migrants = Matrix(rows: 2 * a, columns: 1)
        migrants[4, 0] = 200
        var fertility = Array(repeating: 0.0, count: a)
        fertility[4] = 0.1
        let survival = SurvivalRatios(birth: 0.95, ratios: [0] + Array(repeating: 0.9, count: a - 1))
        let parameters = PopulationParameters(
            ages: ages, zoneCount: 1, initial: Matrix(rows: 2 * a, columns: 1), survivalFemale: survival, survivalMale: survival,
            fertility: fertility, sexRatioAtBirth: 1.05, migration: [], netMigration: migrants, netMigrationTiming: timing)
        var projection = CohortComponentProjection(parameters)
        var population = parameters.initial
        let flows = projection.step(&population)
        return (population, flows)
    }

    @Test func endOfStepMigrantsBearNoChildrenAndDoNotDie() {
        // Until issue 10 this gave 250 births: (5/2)·0.1·(0 + 1000).
        let (population, flows) = Self.arrivals(.end)
        #expect(flows.births[0] == 0)
        #expect(flows.deaths[0] == 0)
        #expect(population[4, 0] == 1000)
        #expect(population.columnSums[0] == 1000)
    }

    @Test func startOfStepMigrantsAreExposedForTheWholeStep() {
        // Q = 1000 at 20–24; R = 900 at 25–29 (no fertility there): B = (5/2)·0.1·1000 = 250.
        // Deaths: 1000·(1 − 0.9) + 250·(1 − 0.95) = 100 + 12.5. End: 900 + 250·0.95 = 1137.5.
        let (population, flows) = Self.arrivals(.start)
        #expect(abs(flows.births[0] - 250) < 1e-12)
        #expect(abs(flows.deaths[0] - 112.5) < 1e-12)
        #expect(abs(population[5, 0] - 900) < 1e-12)
        #expect(abs(population.columnSums[0] - 1137.5) < 1e-12)
    }

    @Test func splitMigrantsFollowTheUNEvenConvention() {
        // Q = 500 at 20–24; R = 450 at 25–29 + 500 late arrivals at 20–24, counted in the end population
        // before births (UN "even"): B = (5/2)·0.1·(500 + 500) = 250; deaths 50 + 12.5 = 62.5.
        let (population, flows) = Self.arrivals(.split)
        #expect(abs(flows.births[0] - 250) < 1e-12)
        #expect(abs(flows.deaths[0] - 62.5) < 1e-12)
        #expect(abs(population[4, 0] - 500) < 1e-12 && abs(population[5, 0] - 450) < 1e-12)
    }

    /// Groups 0–4, 5–9, 10+ (n = 5, radix 100,000); 1000 persons aged 5–9 and 500 aged 10+.
    @Test func openAgeGroupEnteringAndStayingRatios() {
        let ages = AgeGroups(interval: 5, openAge: 10)
        // A life table going beyond the open age: L_10 = 460,000 (10–14), T_15 = 2,000,000.
        let extended = SurvivalRatios(personYears: [480_000, 470_000, 460_000, 2_000_000], radix: 100_000, interval: 5, groups: 3)
        #expect(extended.ratios[2] == 460_000.0 / 470_000)  // S_enter = (T_10 − T_15) / L_5
        #expect(extended.openStay == 2_000_000.0 / 2_460_000)  // S_stay = T_15 / T_10
        // The same table closed at 10+: one ratio T_10 / T_5 for both cohorts.
        let closed = SurvivalRatios(personYears: [480_000, 470_000, 2_460_000], radix: 100_000, interval: 5)
        #expect(closed.ratios[2] == 2_460_000.0 / 2_930_000 && closed.openStay == closed.ratios[2])
        // Both give the table's e₀ = ΣL / l₀ = 34.1 years.
        #expect(abs(extended.lifeExpectancy(interval: 5) - 34.1) < 1e-12)
        #expect(abs(closed.lifeExpectancy(interval: 5) - 34.1) < 1e-12)

        for (ratios, expected) in [
            (extended, 1000 * 460_000.0 / 470_000 + 500 * 2_000_000.0 / 2_460_000),
            (closed, 1500 * 2_460_000.0 / 2_930_000),
        ] {
            var initial = Matrix(rows: 6, columns: 1)
            initial[1, 0] = 1000
            initial[2, 0] = 500
            let parameters = PopulationParameters(
                ages: ages, zoneCount: 1, initial: initial, survivalFemale: ratios, survivalMale: ratios, fertility: [0, 0, 0],
                sexRatioAtBirth: 1.05, migration: [], netMigration: Matrix(rows: 6, columns: 1), netMigrationTiming: .split)
            var projection = CohortComponentProjection(parameters)
            var population = initial
            let flows = projection.step(&population)
            #expect(abs(population[2, 0] - expected) < 1e-9, "open group: \(population[2, 0]) vs \(expected)")
            #expect(abs(flows.deathsByAgeSex[2] - (1500 - expected)) < 1e-9)
        }
    }

    @Test func infantsSurviveWithL0OverRadix() {
        // Single years 0, 1, 2+; 1000 women aged 1 with fertility 0.5, nobody else; h = 1.
        // B = (1/2)·0.5·(1000 + 0) = 250 (the women are aged 2 at the end, where fertility is 0).
        // Girls 250/2.05 survive with L₀/l₀ = 99,000/100,000; boys 250·1.05/2.05 with 99,400/100,000.
        let ages = AgeGroups(interval: 1, openAge: 2)
        let female = SurvivalRatios(personYears: [99_000, 98_800, 5_000_000], radix: 100_000, interval: 1)
        let male = SurvivalRatios(personYears: [99_400, 98_600, 4_000_000], radix: 100_000, interval: 1)
        var initial = Matrix(rows: 6, columns: 1)
        initial[1, 0] = 1000
        let parameters = PopulationParameters(
            ages: ages, zoneCount: 1, initial: initial, survivalFemale: female, survivalMale: male, fertility: [0, 0.5, 0],
            sexRatioAtBirth: 1.05, migration: [], netMigration: Matrix(rows: 6, columns: 1), netMigrationTiming: .split)
        var projection = CohortComponentProjection(parameters)
        var population = initial
        let flows = projection.step(&population)
        #expect(abs(flows.births[0] - 250) < 1e-12)
        #expect(abs(population[0, 0] - 250 / 2.05 * 0.99) < 1e-12)
        #expect(abs(population[3, 0] - 250 * 1.05 / 2.05 * 0.994) < 1e-12)
        #expect(abs(flows.deathsByAgeSex[0] - 250 / 2.05 * 0.01) < 1e-12)
        #expect(abs(flows.deathsByAgeSex[3] - 250 * 1.05 / 2.05 * 0.006) < 1e-12)
        #expect(abs(flows.totalFertility - 0.5) < 1e-15)
    }

    /// 10 women aged 3 (single years 0…5+), survival 0.9, nobody else; 30 of them leave per year.
    static func departures(_ timing: MigrationTiming, kind: NetMigrationKind = .counts, rate: Double = -30)
        -> (population: Matrix, flows: CohortFlows)
    {
        let ages = AgeGroups(interval: 1, openAge: 5)
        let a = ages.count
        var initial = Matrix(rows: 2 * a, columns: 1)
        initial[3, 0] = 10
        var migrants = Matrix(rows: 2 * a, columns: 1)
        migrants[3, 0] = rate
        let survival = SurvivalRatios(birth: 0.99, ratios: [0] + Array(repeating: 0.9, count: a - 1))
        var parameters = PopulationParameters(
            ages: ages, zoneCount: 1, initial: initial, survivalFemale: survival, survivalMale: survival,
            fertility: Array(repeating: 0, count: a), sexRatioAtBirth: 1.05, migration: [], netMigration: migrants,
            netMigrationTiming: timing)
        parameters.netMigrationKind = kind
        var projection = CohortComponentProjection(parameters)
        var population = initial
        let flows = projection.step(&population)
        return (population, flows)
    }

    @Test func outMigrationLargerThanTheCohortIsClampedAndRecorded() {
        // start: Q = 10 − 30 = −20 → 0, clamped 20; nobody survives; applied migration −30 + 20 = −10.
        let start = Self.departures(.start)
        #expect(start.flows.clamped == [ClampedMigration(zone: 0, ageGroup: 3, sex: .female, persons: 20)])
        #expect(start.flows.clampedByZone == [20] && start.flows.netMigration == [-10])
        #expect(start.population.columnSums[0] == 0 && start.flows.deaths[0] == 0)
        // end: 10 survive to age 4 (9), then 30 leave age 3, which is empty: clamped 30, applied 0.
        let end = Self.departures(.end)
        #expect(end.flows.clamped.map(\.persons) == [30] && end.flows.clamped[0].ageGroup == 3)
        #expect(abs(end.population[4, 0] - 9) < 1e-12 && end.flows.netMigration == [0])
        // split: Q = 10 − 15 = −5 → 0 (clamped 5); at the end 0 − 15 at age 3 (clamped 15).
        let split = Self.departures(.split)
        #expect(split.flows.clamped.map(\.persons).sorted() == [5, 15] && split.flows.netMigration == [-10])
        // Rates never empty a cohort: −0.5 per year takes 5 of the 10 at the start.
        let rates = Self.departures(.start, kind: .rates, rate: -0.5)
        #expect(rates.flows.clamped.isEmpty && rates.flows.netMigration == [-5])
        #expect(abs(rates.population[4, 0] - 4.5) < 1e-12)
    }

    @Test func moduleReportsClampedMigrationAsAnIndicator() throws {
        let (_, _) = Self.departures(.start)
        let ages = AgeGroups(interval: 1, openAge: 5)
        var initial = Matrix(rows: 12, columns: 2)
        initial[3, 1] = 10
        var migrants = Matrix(rows: 12, columns: 2)
        migrants[3, 1] = -30
        let survival = SurvivalRatios(birth: 0.99, ratios: [0] + Array(repeating: 0.9, count: 5))
        let parameters = PopulationParameters(
            ages: ages, zoneCount: 2, initial: initial, survivalFemale: survival, survivalMale: survival,
            fertility: Array(repeating: 0, count: 6), sexRatioAtBirth: 1.05, migration: [], netMigration: migrants,
            netMigrationTiming: .start)
        let module = PopulationModule(parameters, baseYear: 2020, zoneIDs: ["A", "B"])
        let declared = Set(module.indicatorDescriptors.flatMap { d in [d.path] + (d.elements?.names.map(d.variable(element:)) ?? []) })
        let recording = try Simulation.solve(clock: Clock(startYear: 2020, endYear: 2022), modules: [module], seed: 0)
        let clamped = recording.series("population.migration_clamped")
        #expect(clamped.map(\.value) == [20, 30])  // 2021: 20 (10 − 30); 2022: all 30 (the cohort is empty)
        // Every recorded variable is declared.
        for variable in Set(recording.observations.flatMap { $0.samples.map(\.variable) }) {
            #expect(declared.contains(variable), "undeclared \(variable)")
        }
    }

    @Test func fertilityByZone() {
        // Single years 0, 1, 2+; 1000 women aged 1 in each of two zones, fertility 0.5 at age 1 in zone 0
        // and 0.2 in zone 1: B = (1/2)·F·1000 = 250 and 100. City TFR = Σ_x 2·B_x / (Q̄ + R̄) = 700/2000.
        let ages = AgeGroups(interval: 1, openAge: 2)
        let survival = SurvivalRatios(personYears: [99_000, 98_800, 5_000_000], radix: 100_000, interval: 1)
        var initial = Matrix(rows: 6, columns: 2)
        initial[1, 0] = 1000
        initial[1, 1] = 1000
        var parameters = PopulationParameters(
            ages: ages, zoneCount: 2, initial: initial, survivalFemale: survival, survivalMale: survival, fertility: [0, 0.5, 0],
            sexRatioAtBirth: 1.05, migration: [], netMigration: Matrix(rows: 6, columns: 2), netMigrationTiming: .split)
        var byZone = Matrix(rows: 3, columns: 2)
        byZone[1, 0] = 0.5
        byZone[1, 1] = 0.2
        parameters.fertilityByZone = byZone
        var projection = CohortComponentProjection(parameters)
        var population = initial
        let flows = projection.step(&population)
        #expect(abs(flows.births[0] - 250) < 1e-12 && abs(flows.births[1] - 100) < 1e-12)
        #expect(abs(flows.birthsByAgeOfMother[1] - 350) < 1e-12)
        #expect(abs(flows.totalFertility - 0.35) < 1e-15)
        #expect(abs(population[0, 1] - 100 / 2.05 * 0.99) < 1e-12)
    }

    @Test func survivalByZone() {
        // Groups 0–4, 5–9, 10+; 1000 persons aged 5–9 in each of two zones, each zone its own table.
        // Zone 0: open ratio T_10/T_5 = 2,000,000/2,470,000; zone 1: 2,500,000/2,985,000.
        let ages = AgeGroups(interval: 5, openAge: 10)
        let tables = [
            SurvivalRatios(personYears: [480_000, 470_000, 2_000_000], radix: 100_000, interval: 5),
            SurvivalRatios(personYears: [490_000, 485_000, 2_500_000], radix: 100_000, interval: 5),
        ]
        var initial = Matrix(rows: 6, columns: 2)
        for zone in 0..<2 { initial[1, zone] = 1000 }
        var parameters = PopulationParameters(
            ages: ages, zoneCount: 2, initial: initial, survivalFemale: tables[0], survivalMale: tables[0], fertility: [0, 0, 0],
            sexRatioAtBirth: 1.05, migration: [], netMigration: Matrix(rows: 6, columns: 2), netMigrationTiming: .split)
        parameters.survivalFemaleByZone = tables
        parameters.survivalMaleByZone = tables
        var projection = CohortComponentProjection(parameters)
        var population = initial
        let flows = projection.step(&population)
        let expected = [1000 * 2_000_000.0 / 2_470_000, 1000 * 2_500_000.0 / 2_985_000]
        for zone in 0..<2 {
            #expect(abs(population[2, zone] - expected[zone]) < 1e-9)
            #expect(abs(flows.deaths[zone] - (1000 - expected[zone])) < 1e-9)
        }
        // e₀ by zone = Σ L / l₀: 29.5 and 34.75; the city's is their mean weighted by the exposed women.
        #expect(abs(flows.lifeExpectancyFemaleByZone[0] - 29.5) < 1e-12 && abs(flows.lifeExpectancyFemaleByZone[1] - 34.75) < 1e-12)
        #expect(abs(flows.lifeExpectancyFemale - (29.5 + 34.75) / 2) < 1e-12)
    }

    @Test func lifeExpectancyAndTotalFertilityOfSweden1993() throws {
        let table = try FixtureCSV("sweden-1993/sweden_1993_box6.csv")
        let lx = table.column("LxF")
        let ratios = SurvivalRatios(personYears: lx, radix: 100_000, interval: 5)
        // e₀ = T₀ / l₀ = Σ L_x / 100,000 = 80.96... (Preston's Sweden 1993 female table).
        #expect(abs(ratios.lifeExpectancy(interval: 5) - lx.reduce(0, +) / 100_000) < 1e-12)
        // Mortality improvement raises e₀.
        #expect(ratios.improved(annualRate: 0.01, years: 10).lifeExpectancy(interval: 5) > ratios.lifeExpectancy(interval: 5))
    }
}

@Suite("Schedules by year")
struct ScheduleTests {
    @Test func heldAndInterpolatedValues() {
        let s = YearlySchedule(years: [2020, 2030, 2040], values: [[1, 10], [2, 30], [4, 30]])
        #expect(s.value(at: 2025, .hold) == [1, 10])
        #expect(s.value(at: 2025, .linear) == [1.5, 20])
        #expect(s.value(at: 2030, .linear) == [2, 30])
        #expect(s.value(at: 2035, .linear) == [3, 30])
        #expect(s.value(at: 2060, .linear) == [4, 30] && s.value(at: 2060, .hold) == [4, 30])
        #expect(s.missingYears(from: 2015) == 2015...2019)
        #expect(s.missingYears(from: 2020) == nil)
    }

    @Test func rogersCastroShares() {
        let rc = RogersCastro(a1: 0.02, alpha1: 0.1, a2: 0.06, alpha2: 0.1, mu2: 20, lambda2: 0.4, c: 0.003)
        // m(20) = 0.02·e^(−2) + 0.06·e^(−1) + 0.003.
        #expect(abs(rc.rate(atAge: 20) - (0.02 * 0.1353352832366127 + 0.06 * 0.36787944117144233 + 0.003)) < 1e-15)
        let shares = rc.shares(AgeGroups(interval: 5, openAge: 85))
        #expect(abs(shares.reduce(0, +) - 1) < 1e-14)
        // 5–9 is the mean of m(5…9) over the sum of such means.
        var raw: [Double] = []
        for g in 0..<17 {
            var sum = 0.0
            for k in 0..<5 { sum += rc.rate(atAge: Double(5 * g + k)) }
            raw.append(sum / 5)
        }
        raw.append(rc.rate(atAge: 85))
        #expect(abs(shares[1] - raw[1] / raw.reduce(0, +)) < 1e-15)
    }

    @Test func lifeTableFromDeathRates() {
        // m = 0.1, 0.2, 0.5 (0–4, 5–9, 10+), n = 5, radix 1, a = n/2:
        // q₀ = 0.5/1.25 = 0.4, l₅ = 0.6, L₀ = 3 + 1 = 4; q₅ = 1/1.5, l₁₀ = 0.2, L₅ = 1 + 1 = 2; T₁₀ = 0.2/0.5.
        let lx = LifeTableBuilder.personYears(rates: [0.1, 0.2, 0.5], interval: 5, radix: 1, female: true)
        #expect(zip(lx, [4, 2, 0.4]).allSatisfy { abs($0 - $1) < 1e-14 }, "\(lx)")
        // Single years: ₁a₀ = 0.053 + 2.8·0.01 = 0.081 for females; q₀ = 0.01/(1 + 0.919·0.01).
        let single = LifeTableBuilder.personYears(rates: [0.01, 0.5], interval: 1, radix: 1, female: true)
        let q0 = 0.01 / (1 + 0.919 * 0.01)
        #expect(abs(single[0] - ((1 - q0) + 0.081 * q0)) < 1e-15)
    }

    @Test func ageBands() {
        let single = AgeGroups.singleYear
        #expect(PopulationSection.ageBand("0-17", single) == 0..<18)
        #expect(PopulationSection.ageBand("65+", single) == 65..<101)
        #expect(PopulationSection.ageBand("18-100", single) == 18..<101)
        let five = AgeGroups(interval: 5, openAge: 85)
        #expect(PopulationSection.ageBand("15-64", five) == 3..<13)
        #expect(PopulationSection.ageBand("15-62", five) == nil)
    }
}
