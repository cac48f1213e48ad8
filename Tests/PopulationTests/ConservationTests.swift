import CityTwinCore
import LinearAlgebra
import Population
import Testing

/// Nobody is created or destroyed except by births, deaths and external migration: for every seed,
/// zone totals satisfy P(t+1) = P(t) + B − D + N + internal net migration, and internal migration
/// sums to zero over zones. Random inputs: populations up to 1000 per cell, survival in [0.9, 1],
/// fertility up to 0.15, a random row-stochastic migration matrix and net migration of either sign.
@Suite("Population conservation on seeded random inputs")
struct ConservationTests {
    static func randomParameters(seed: UInt64, zones z: Int, ages: AgeGroups, timing: MigrationTiming) -> PopulationParameters {
        var r = RandomStream(seed: seed, member: 0, module: "test", tick: 0)
        let a = ages.count
        var initial = Matrix(rows: 2 * a, columns: z)
        var migrants = initial
        for i in 0..<(2 * a) {
            for j in 0..<z {
                initial[i, j] = 1000 * r.uniform()
                migrants[i, j] = 20 * (r.uniform() - 0.4)
            }
        }
        func survival() -> SurvivalRatios {
            SurvivalRatios(birth: 0.9 + 0.1 * r.uniform(), ratios: [0] + (1..<a).map { _ in 0.9 + 0.1 * r.uniform() })
        }
        var m = Matrix(rows: z, columns: z)
        for i in 0..<z {
            let row = (0..<z).map { _ in r.uniform() }
            let total = row.reduce(0, +)
            for j in 0..<z { m[i, j] = row[j] / total }
        }
        let young = 0..<(a / 3)
        return PopulationParameters(
            ages: ages, zoneCount: z, initial: initial, survivalFemale: survival(), survivalMale: survival(),
            fertility: (0..<a).map { _ in 0.15 * r.uniform() }, sexRatioAtBirth: 1.05,
            migration: [
                MigrationBand(ageGroups: young, matrix: m), MigrationBand(ageGroups: (a / 2)..<a, matrix: m.transposed.rowNormalised),
            ],
            netMigration: migrants, netMigrationTiming: timing)
    }

    @Test(arguments: [(1 as UInt64, MigrationTiming.split), (2, .start), (3, .end), (4, .split)])
    func zoneBalanceHolds(seed: UInt64, timing: MigrationTiming) {
        let parameters = Self.randomParameters(seed: seed, zones: 7, ages: .singleYear, timing: timing)
        var projection = CohortComponentProjection(parameters)
        var population = parameters.initial
        for step in 0..<5 {
            let before = population.columnSums
            let flows = projection.step(&population)
            let after = population.columnSums
            let scale = before.reduce(0, +)
            for zone in 0..<7 {
                let expected =
                    before[zone] + flows.births[zone] - flows.deaths[zone] + flows.netMigration[zone]
                    + flows.internalMigration[zone]
                // Rounding only: relative to the city total, a few ulps per operation.
                #expect(abs(after[zone] - expected) < 1e-12 * scale, "seed \(seed), step \(step), zone \(zone)")
            }
            #expect(abs(flows.internalMigration.reduce(0, +)) < 1e-12 * scale, "seed \(seed): internal migration sums to zero")
            #expect(flows.deaths.allSatisfy { $0 > 0 })
        }
    }

    /// Deaths are the exposed population less the survivors, so the balance above would close even with
    /// a wrong survival operator. This recomputes deaths from the survival ratios directly:
    /// D = Σ_x (1 − S_{x+1}) Q_x over closed groups + (1 − S_open)(Q_{ω−1} + Q_ω) … taken per sex, where
    /// the last two groups share the open ratio, plus the births that die, B·(1 − S_birth) per sex; Q is
    /// P + α·N clamped at zero.
    @Test(arguments: [MigrationTiming.split, .start])
    func deathsFollowFromTheSurvivalRatios(timing: MigrationTiming) {
        var parameters = Self.randomParameters(seed: 9, zones: 3, ages: .singleYear, timing: timing)
        parameters.migration = []
        var projection = CohortComponentProjection(parameters)
        var population = parameters.initial
        let a = parameters.ages.count
        let alpha = timing.startShare
        var exposed = parameters.initial
        exposed.add(parameters.netMigration, scaledBy: alpha)
        exposed.storage = exposed.storage.map { max(0, $0) }  // a cohort emptied by out-migration is clamped at zero
        let flows = projection.step(&population)
        let srb = parameters.sexRatioAtBirth
        for zone in 0..<3 {
            var deaths = 0.0
            for (offset, survival, share) in [(0, parameters.survivalFemale, 1 / (1 + srb)), (a, parameters.survivalMale, srb / (1 + srb))]
            {
                for x in 0..<(a - 2) { deaths += (1 - survival.ratios[x + 1]) * exposed[offset + x, zone] }
                deaths += (1 - survival.ratios[a - 1]) * (exposed[offset + a - 2, zone] + exposed[offset + a - 1, zone])
                deaths += flows.births[zone] * share * (1 - survival.birth)
            }
            #expect(abs(flows.deaths[zone] - deaths) < 1e-9 * deaths, "zone \(zone)")
        }
    }

    @Test func moduleOnTheClockKeepsTheBalanceAndRecordsIndicators() throws {
        let parameters = Self.randomParameters(seed: 5, zones: 4, ages: .singleYear, timing: .split)
        let recording = try Simulation.solve(
            clock: Clock(startYear: 2020, endYear: 2030),
            modules: [PopulationModule(parameters, baseYear: 2020)], seed: 0)
        let total = recording.series("population.total")
        let births = recording.series("population.births"), deaths = recording.series("population.deaths")
        let migrants = recording.series("population.net_migration")
        #expect(total.count == 11 && births.count == 10)
        for t in 0..<10 {
            let expected = total[t].value + births[t].value - deaths[t].value + migrants[t].value
            #expect(abs(total[t + 1].value - expected) < 1e-9 * total[t].value, "year \(total[t + 1].time)")
        }
    }

    @Test func mortalityImprovementRaisesSurvival() {
        var parameters = Self.randomParameters(seed: 6, zones: 3, ages: .singleYear, timing: .split)
        var baseline = CohortComponentProjection(parameters)
        parameters.mortalityImprovement = 0.02
        var improved = CohortComponentProjection(parameters)
        improved.setMortality(yearsSinceBase: 10)
        var (p1, p2) = (parameters.initial, parameters.initial)
        let (f1, f2) = (baseline.step(&p1), improved.step(&p2))
        #expect(f2.deaths.reduce(0, +) < f1.deaths.reduce(0, +))
        // Probabilities of dying fall by 0.98^10.
        let q0 = 1 - parameters.survivalFemale.ratios[50]
        let q10 = 1 - parameters.survivalFemale.improved(annualRate: 0.02, years: 10).ratios[50]
        #expect(abs(q10 / q0 - 0.8170728068875467) < 1e-12)
    }
}

@Suite("Population indicators")
struct IndicatorTests {
    @Test func medianAgeAndDependencyRatioHandChecked() {
        // Five-year groups 0–4 … 85+, females only: 100 persons in each of 0–4, 20–24, 40–44 and 70–74.
        let ages = AgeGroups(interval: 5, openAge: 85)
        var cohorts = Matrix(rows: 36, columns: 1)
        for group in [0, 4, 8, 14] { cohorts[group, 0] = 100 }
        let indicators = PopulationIndicators(ages: ages, cohorts: cohorts)
        // Half of 400 is 200, reached at the end of 20–24: median = 25.
        #expect(abs(indicators.medianAge - 25) < 1e-12)
        // (100 young + 100 old) / 200 working × 100 = 100.
        #expect(abs(indicators.dependencyRatio - 100) < 1e-12)
    }
}

extension Matrix {
    /// Each row divided by its sum.
    var rowNormalised: Matrix {
        var m = self
        let sums = rowSums
        for i in 0..<rows { for j in 0..<columns { m[i, j] /= sums[i] } }
        return m
    }
}
