import CityTwinCore
import Foundation
import LinearAlgebra
import Testing

@testable import Population

/// A single-year projection over four decades with every schedule changing every year (fertility, both
/// life tables, net migration by zone, age and sex, the sex ratio at birth), two internal-migration age
/// bands and `split` timing, checked against an independent implementation of the documented
/// conventions written here with plain loops (no BLAS, no engine types in the arithmetic).
@Suite("Scheduled single-year projection against plain loops")
struct ScheduledProjectionTests {
    static let (zones, years, firstYear) = (3, 40, 2020)
    static let ages = AgeGroups.singleYear

    /// Person-years of a Gompertz-like mortality m(x) = level·e^(0.09·x) (single years, radix 100,000),
    /// built from m_x with a = 1/2: independent of `LifeTableBuilder`. `extra` ages beyond 100.
    static func personYears(level: Double, extra: Int) -> [Double] {
        var l = 100_000.0
        var out: [Double] = []
        let last = 100 + extra
        for x in 0..<last {
            let m = min(level * exp(0.09 * Double(x)), 1.5)
            let q = min(1, m / (1 + 0.5 * m))
            out.append(l * (1 - q) + 0.5 * l * q)
            l *= 1 - q
        }
        out.append(l / min(level * exp(0.09 * Double(last)), 1.5))
        return out
    }

    struct Inputs {
        var fertility: [[Double]] = []  // [year][age]
        var lifeFemale: [[Double]] = [], lifeMale: [[Double]] = []
        var migrants: [[Double]] = []  // [year][column-major 2A × Z]
        var srb: [Double] = []
        var initial = Matrix(rows: 202, columns: zones)
        var bands: [(range: Range<Int>, matrix: [[Double]])] = []
    }

    static func inputs(seed: UInt64) -> Inputs {
        var r = RandomStream(seed: seed, member: 0, module: "schedules", tick: 0)
        var inputs = Inputs()
        let a = ages.count
        for i in 0..<(2 * a) { for j in 0..<zones { inputs.initial[i, j] = 200 + 800 * r.uniform() } }
        for t in 0..<years {
            let level = 0.0002 * (1 - 0.01 * Double(t)) * (1 + 0.05 * r.uniform())
            inputs.lifeFemale.append(personYears(level: level * 0.7, extra: 0))  // closes at 100+
            inputs.lifeMale.append(personYears(level: level, extra: 10))  // goes to 110+: two open ratios
            inputs.fertility.append((0..<a).map { x in (15...49).contains(x) ? 0.08 * (1 + 0.3 * r.uniform()) : 0 })
            // Net out-migration at ages under 80 only, where cohorts are large: no clamping here.
            inputs.migrants.append((0..<(2 * a * zones)).map { i in i % a < 80 ? 10 * (r.uniform() - 0.3) : r.uniform() })
            inputs.srb.append(1.03 + 0.04 * r.uniform())
        }
        for band in [0..<18, 18..<a] {
            let m = (0..<zones).map { _ in
                let row = (0..<zones).map { _ in r.uniform() + 0.2 }
                return row.map { $0 / row.reduce(0, +) }
            }
            inputs.bands.append((band, m))
        }
        return inputs
    }

    /// The documented step with plain loops: p[sex][age][zone].
    static func referenceStep(_ p: inout [[[Double]]], inputs: Inputs, year t: Int, alpha: Double) {
        let a = ages.count
        let lifeTables = [inputs.lifeFemale[t], inputs.lifeMale[t]]
        var q = p, end = p
        for s in 0..<2 {
            for x in 0..<a {
                for z in 0..<zones {
                    q[s][x][z] = max(0, p[s][x][z] + alpha * inputs.migrants[t][(s * a + x) + z * 2 * a])
                }
            }
        }
        var birthSurvival = [0.0, 0.0]
        for s in 0..<2 {
            let personYears = lifeTables[s]
            birthSurvival[s] = personYears[0] / 100_000
            let (enter, stay): (Double, Double)
            if personYears.count == a {
                enter = personYears[a - 1] / (personYears[a - 2] + personYears[a - 1])
                stay = enter
            } else {
                let tOpen = personYears[(a - 1)...].reduce(0, +)
                enter = personYears[a - 1] / personYears[a - 2]
                stay = (tOpen - personYears[a - 1]) / tOpen
            }
            for z in 0..<zones {
                end[s][0][z] = 0
                for x in 1..<(a - 1) { end[s][x][z] = personYears[x] / personYears[x - 1] * q[s][x - 1][z] }
                end[s][a - 1][z] = enter * q[s][a - 2][z] + stay * q[s][a - 1][z]
            }
        }
        // Internal migration by band.
        var moved = end
        for band in inputs.bands {
            for s in 0..<2 {
                for x in band.range {
                    for j in 0..<zones {
                        var sum = 0.0
                        for i in 0..<zones { sum += end[s][x][i] * band.matrix[i][j] }
                        moved[s][x][j] = sum
                    }
                }
            }
        }
        for s in 0..<2 {
            for x in 0..<a {
                for z in 0..<zones {
                    moved[s][x][z] += (1 - alpha) * inputs.migrants[t][(s * a + x) + z * 2 * a]
                }
            }
        }
        let srb = inputs.srb[t]
        for z in 0..<zones {
            var births = 0.0
            for x in 0..<a { births += 0.5 * inputs.fertility[t][x] * (q[0][x][z] + moved[0][x][z]) }
            moved[0][0][z] += births / (1 + srb) * birthSurvival[0]
            moved[1][0][z] += births * srb / (1 + srb) * birthSurvival[1]
        }
        p = moved
    }

    static func parameters(_ inputs: Inputs) -> PopulationParameters {
        let a = ages.count
        var migrants = Matrix(rows: 2 * a, columns: zones)
        migrants.storage = inputs.migrants[0]
        var parameters = PopulationParameters(
            ages: ages, zoneCount: zones, initial: inputs.initial,
            survivalFemale: SurvivalRatios(personYears: inputs.lifeFemale[0], radix: 100_000, interval: 1, groups: a),
            survivalMale: SurvivalRatios(personYears: inputs.lifeMale[0], radix: 100_000, interval: 1, groups: a),
            fertility: inputs.fertility[0], sexRatioAtBirth: inputs.srb[0],
            migration: inputs.bands.map { band in
                var m = Matrix(rows: zones, columns: zones)
                for i in 0..<zones { for j in 0..<zones { m[i, j] = band.matrix[i][j] } }
                return MigrationBand(ageGroups: band.range, matrix: m)
            },
            netMigration: migrants, netMigrationTiming: .split)
        let yearList = (0..<years).map { firstYear + $0 }
        parameters.schedules.fertility = YearlySchedule(years: yearList, values: inputs.fertility)
        parameters.schedules.lifeTableFemale = YearlySchedule(years: yearList, values: inputs.lifeFemale)
        parameters.schedules.lifeTableMale = YearlySchedule(years: yearList, values: inputs.lifeMale)
        parameters.schedules.netMigration = YearlySchedule(years: yearList, values: inputs.migrants)
        parameters.schedules.sexRatioAtBirth = YearlySchedule(years: yearList, values: inputs.srb.map { [$0] })
        return parameters
    }

    /// The same schedules through both survival paths: the one GEMM (city-wide tables), and cell by cell
    /// (the same table given for every zone, `lifeTablesByZone`).
    @Test(arguments: [false, true])
    func fortyYearsMatchPlainLoops(zoneTables: Bool) {
        let inputs = Self.inputs(seed: 11)
        let a = Self.ages.count
        var parameters = Self.parameters(inputs)
        if zoneTables {
            let yearList = (0..<Self.years).map { Self.firstYear + $0 }
            let repeatPerZone = { (tables: [[Double]]) in tables.map { t in (0..<Self.zones).flatMap { _ in t } } }
            parameters.schedules.lifeTableFemale = YearlySchedule(years: yearList, values: repeatPerZone(inputs.lifeFemale))
            parameters.schedules.lifeTableMale = YearlySchedule(years: yearList, values: repeatPerZone(inputs.lifeMale))
            parameters.schedules.lifeTablesByZone = true
            parameters.survivalFemaleByZone = Array(repeating: parameters.survivalFemale, count: Self.zones)
            parameters.survivalMaleByZone = Array(repeating: parameters.survivalMale, count: Self.zones)
        }
        var projection = CohortComponentProjection(parameters)
        var population = inputs.initial
        var reference = (0..<2).map { s in (0..<a).map { x in (0..<Self.zones).map { inputs.initial[s * a + x, $0] } } }
        for t in 0..<Self.years {
            projection.setYear(Double(Self.firstYear + t))
            projection.setMortality(yearsSinceBase: Double(t))
            let flows = projection.step(&population)
            Self.referenceStep(&reference, inputs: inputs, year: t, alpha: 0.5)
            #expect(flows.clamped.isEmpty)
            var worst = 0.0
            for s in 0..<2 {
                for x in 0..<a {
                    for z in 0..<Self.zones {
                        let (ours, theirs) = (population[s * a + x, z], reference[s][x][z])
                        worst = max(worst, abs(ours - theirs) / max(1, abs(theirs)))
                    }
                }
            }
            // Relative 1e-10: both sides sum a few hundred terms per cell per year, over 40 years.
            #expect(worst < 1e-10, "year \(Self.firstYear + t + 1): worst relative difference \(worst)")
            // The period measures follow the schedules in force.
            #expect(abs(flows.totalFertility - inputs.fertility[t].reduce(0, +)) < 1e-12)
            #expect(abs(flows.lifeExpectancyFemale - inputs.lifeFemale[t].reduce(0, +) / 100_000) < 1e-9)
            #expect(abs(flows.lifeExpectancyMale - inputs.lifeMale[t].reduce(0, +) / 100_000) < 1e-9)
        }
    }

    /// start + births − deaths + migrants = end, for every age and sex (cohort by cohort, all zones:
    /// internal migration moves people between zones within a row) and every zone (all ages), each year.
    @Test(arguments: [MigrationTiming.start, .split, .end])
    func cohortAndZoneBalance(timing: MigrationTiming) {
        let inputs = Self.inputs(seed: 12)
        var parameters = Self.parameters(inputs)
        parameters.netMigrationTiming = timing
        let a = Self.ages.count
        let alpha = timing.startShare
        var projection = CohortComponentProjection(parameters)
        var population = inputs.initial
        for t in 0..<10 {
            projection.setYear(Double(Self.firstYear + t))
            let start = population
            let flows = projection.step(&population)
            #expect(flows.clamped.isEmpty)
            let m = inputs.migrants[t]
            func migrants(_ row: Int) -> Double { (0..<Self.zones).reduce(0) { $0 + m[row + $1 * 2 * a] } }
            let (startRows, endRows) = (start.rowSums, population.rowSums)
            let srb = inputs.srb[t]
            let births = flows.births.reduce(0, +)
            let scale = endRows.reduce(0, +)
            for (offset, share) in [(0, 1 / (1 + srb)), (a, srb / (1 + srb))] {
                // Infants: the step's births of this sex, less those who die, plus late migrants aged 0.
                let infants = births * share - flows.deathsByAgeSex[offset] + (1 - alpha) * migrants(offset)
                #expect(abs(endRows[offset] - infants) < 1e-12 * scale)
                for x in 1..<a {
                    var entering = startRows[offset + x - 1] + alpha * migrants(offset + x - 1)
                    if x == a - 1 { entering += startRows[offset + x] + alpha * migrants(offset + x) }
                    let expected = entering - flows.deathsByAgeSex[offset + x] + (1 - alpha) * migrants(offset + x)
                    #expect(abs(endRows[offset + x] - expected) < 1e-12 * scale, "\(timing) year \(t) row \(offset + x)")
                }
            }
            let (before, after) = (start.columnSums, population.columnSums)
            for z in 0..<Self.zones {
                let expected = before[z] + flows.births[z] - flows.deaths[z] + flows.netMigration[z] + flows.internalMigration[z]
                #expect(abs(after[z] - expected) < 1e-12 * scale)
            }
            #expect(abs(flows.deathsByAgeSex.reduce(0, +) - flows.deaths.reduce(0, +)) < 1e-12 * scale)
        }
    }
}

@Suite("Strict schedule files")
struct ScheduleFileTests {
    static func table(_ text: String) throws -> CSVTable { try CSVTable(text: text, file: "t.csv") }
    static func messages(_ body: () throws -> Void) -> [String] {
        do { try body() } catch let errors as InputErrors { return errors.errors.map(\.description) } catch { return ["\(error)"] }
        return []
    }
    static let fiveYear = AgeGroups(interval: 5, openAge: 10)

    @Test func repeatedAgeAndOutOfRangeFertilityAreErrorsWithTheirLines() throws {
        let text = "age,rate\n0,0\n5,-0.1\n5,0.2\n10,0\n"
        let errors = Self.messages {
            _ = try PopulationSection.fertilitySchedule(try Self.table(text), ages: Self.fiveYear, baseYear: 2020)
        }
        #expect(errors.contains { $0.contains("t.csv:4") && $0.contains("appears twice (first on line 3)") }, "\(errors)")
        #expect(errors.contains { $0.contains("t.csv:3") && $0.contains("-0.1") }, "\(errors)")
    }

    @Test func scheduleThatStartsAfterTheBaseYearNamesTheMissingYears() throws {
        let text = "year,age,rate\n2025,0,0\n2025,5,0.1\n2025,10,0\n2030,0,0\n2030,5,0.2\n2030,10,0\n"
        let errors = Self.messages {
            _ = try PopulationSection.fertilitySchedule(try Self.table(text), ages: Self.fiveYear, baseYear: 2020)
        }
        #expect(errors.contains { $0.contains("does not cover 2020–2024") && $0.contains("first year is 2025") }, "\(errors)")
        let (fixed, schedule) = try PopulationSection.fertilitySchedule(try Self.table(text), ages: Self.fiveYear, baseYear: 2025)
        #expect(fixed == [0, 0.1, 0] && schedule?.years == [2025, 2030])
        // A year that lacks an age is an error naming the year.
        let gap = "year,age,rate\n2020,0,0\n2020,5,0.1\n2020,10,0\n2030,0,0\n2030,10,0\n"
        let gapErrors = Self.messages {
            _ = try PopulationSection.fertilitySchedule(try Self.table(gap), ages: Self.fiveYear, baseYear: 2020)
        }
        #expect(gapErrors.contains { $0.contains("no row for age 5 in 2030") }, "\(gapErrors)")
    }

    @Test func fertilityByZoneAndYear() throws {
        let zones = ["a": 0, "b": 1]
        let rows = [2020, 2030].flatMap { y in
            ["a", "b"].flatMap { z in [0, 5, 10].map { "\(z),\($0),\($0 == 5 ? (z == "a" ? 0.1 : 0.2) : 0),\(y)" } }
        }
        let text = "zone,age,rate,year\n" + rows.joined(separator: "\n") + "\n"
        let (fixed, schedule) = try PopulationSection.fertilitySchedule(
            try Self.table(text), ages: Self.fiveYear, baseYear: 2020, zones: zones)
        #expect(fixed == [0, 0.1, 0, 0, 0.2, 0] && schedule?.years == [2020, 2030])
        let missing = "zone,age,rate\n" + ["a,0,0", "a,5,0.1", "a,10,0"].joined(separator: "\n") + "\n"
        let errors = Self.messages {
            _ = try PopulationSection.fertilitySchedule(try Self.table(missing), ages: Self.fiveYear, baseYear: 2020, zones: zones)
        }
        #expect(errors.contains { $0.contains("no fertility rates for zone b") }, "\(errors)")
    }

    @Test func lifeTablesByZone() throws {
        let zones = ["a": 0, "b": 1]
        let text =
            "zone,age,female_Lx,male_Lx\n"
            + [("a", [480_000, 470_000, 2_000_000]), ("b", [490_000, 485_000, 2_500_000])]
            .flatMap { z, l in l.enumerated().map { "\(z),\($0.offset * 5),\($0.element),\($0.element)" } }.joined(separator: "\n") + "\n"
        let loaded = try PopulationSection.lifeTableSchedules(
            try Self.table(text), ages: Self.fiveYear, radix: 100_000, baseYear: 2020, zones: zones)
        let byZone = try #require(loaded.byZone)
        #expect(byZone.female[0].ratios[1] == 470_000.0 / 480_000 && byZone.female[1].ratios[1] == 485_000.0 / 490_000)
        let missing =
            "zone,age,female_Lx,male_Lx\n" + ["a,0,480000,480000", "a,5,470000,470000", "a,10,2000000,2000000"].joined(separator: "\n")
        let errors = Self.messages {
            _ = try PopulationSection.lifeTableSchedules(
                try Self.table(missing), ages: Self.fiveYear, radix: 100_000, baseYear: 2020, zones: zones)
        }
        #expect(errors.contains { $0.contains("no life table for zone b") }, "\(errors)")
    }

    @Test func lifeTableErrors() throws {
        // L_5 above L_0 (survival above 1), and L_x outside n·l_{x+n} … n·l_x.
        let text = """
            age,female_Lx,male_Lx,female_lx,male_lx
            0,480000,480000,100000,100000
            5,490000,470000,97000,95000
            10,2000000,2000000,90000,80000
            """
        let errors = Self.messages {
            _ = try PopulationSection.lifeTableSchedules(try Self.table(text), ages: Self.fiveYear, radix: 100_000, baseYear: 2020)
        }
        #expect(errors.contains { $0.contains("t.csv:3") && $0.contains("rises from 480000.0 to 490000.0") }, "\(errors)")
        #expect(errors.contains { $0.contains("t.csv:3") && $0.contains("inconsistent with l_x") && $0.contains("male_Lx") }, "\(errors)")
        // From m_x, by year, with a 110+ table: loads.
        let rates =
            "year,age,female_mx,male_mx\n"
            + [2020, 2030].flatMap { y in (0...4).map { "\(y),\($0 * 5),0.0\($0 + 1),0.0\($0 + 2)" } }.joined(separator: "\n")
        let loaded = try PopulationSection.lifeTableSchedules(try Self.table(rates), ages: Self.fiveYear, radix: 100_000, baseYear: 2020)
        #expect(loaded.female?.years == [2020, 2030] && loaded.female?.values[0].count == 5)
        #expect(loaded.city.0.openStay != loaded.city.0.ratios[2])
    }

    @Test func netMigrationRatesMustNotEmptyACohort() throws {
        let zones = ["1": 0]
        let text = "zone,age,female,male\n1,0,0.01,0.01\n1,5,-0.3,0\n1,10,0,0\n"
        let errors = Self.messages {
            _ = try PopulationSection.zoneAgeSexTable(
                try Self.table(text), ages: Self.fiveYear, zones: zones, range: -0.2...0.2,
                baseYear: 2020, what: "net migration rate")
        }
        #expect(errors.contains { $0.contains("t.csv:3") && $0.contains("-0.3") }, "\(errors)")
        let repeated = "zone,age,female,male,year\n1,0,1,1,2020\n1,5,1,1,2020\n1,10,1,1,2020\n1,10,2,2,2020\n"
        let repeatedErrors = Self.messages {
            _ = try PopulationSection.zoneAgeSexTable(
                try Self.table(repeated), ages: Self.fiveYear, zones: zones, range: -10...10,
                baseYear: 2020, what: "net migration")
        }
        #expect(repeatedErrors.contains { $0.contains("t.csv:5") && $0.contains("appears twice") }, "\(repeatedErrors)")
        // The base population is one year's: a year column there is an unknown column.
        let initialErrors = Self.messages {
            _ = try PopulationSection.zoneAgeSexTable(
                try Self.table(repeated), ages: Self.fiveYear, zones: zones, range: 0...1e9,
                baseYear: 2020, what: "population", allowsYears: false)
        }
        #expect(initialErrors.contains { $0.contains("unknown column `year`") }, "\(initialErrors)")
    }
}
#if canImport(Glibc)
    import Glibc
#endif

@Suite("Rogers–Castro net migration on the sample city")
struct SampleCityRogersCastroTests {
    /// The sample city's net_migration.csv was written by scripts/build_sioux_falls.py as a total
    /// spread by a Rogers–Castro schedule (README); the same parameters in the model file give the same
    /// matrix. 1e-12 relative: the file's 17 significant digits and a different summation order.
    @Test func modelFileScheduleReproducesTheTabulatedOne() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../models/sioux-falls")
        func table(_ name: String) throws -> CSVTable {
            try CSVTable(text: String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8), file: name)
        }
        let zones = try table("zones.csv")
        let zoneIndex = Dictionary(uniqueKeysWithValues: zones.rows.enumerated().map { ($1.cells[0], $0) })
        let ages = AgeGroups.singleYear
        let initial = try PopulationSection.zoneAgeSexTable(
            try table("population.csv"), ages: ages, zones: zoneIndex,
            range: 0...1e9, baseYear: 2020, what: "population"
        ).fixed
        let tabulated = try PopulationSection.zoneAgeSexTable(
            try table("net_migration.csv"), ages: ages, zones: zoneIndex,
            range: -1e9...1e9, baseYear: 2020, what: "net migration"
        ).fixed
        let yaml = try YAMLMapping.document(
            text: """
                total: 1768.7394741487838
                female_share: 0.5
                rogers_castro: {a1: 0.02, alpha1: 0.10, a2: 0.06, alpha2: 0.10, mu2: 20, lambda2: 0.40, c: 0.003}
                """, file: "model.yaml")
        var diagnostics = Diagnostics()
        let spread = try #require(PopulationSection.rogersCastroMigration(yaml, ages: ages, initial: initial, kind: .counts, &diagnostics))
        #expect(diagnostics.isEmpty)
        let worst = zip(spread.storage, tabulated.storage).map { abs($0 - $1) / abs($1) }.max() ?? 0
        #expect(worst < 1e-12, "worst relative difference \(worst)")
    }
}
