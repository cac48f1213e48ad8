import LinearAlgebra
import Population
import Testing

/// Preston, Heuveline & Guillot (2001), Box 6.1/6.2: Sweden, 1993 → 1998, five-year groups, one region.
/// Data: Fixtures/sweden-1993 (UN Population Division ccmppWPP teaching data; see SOURCE.txt).
/// The published figures are integers, so the test rounds ours and asks for equality.
@Suite("Sweden 1993 → 1998 (Preston, Heuveline & Guillot 2001)")
struct SwedenReferenceTests {
    let table: FixtureCSV
    let projection: (population: Matrix, flows: CohortFlows)

    init() throws {
        table = try FixtureCSV("sweden-1993/sweden_1993_box6.csv")
        let ages = AgeGroups(interval: 5, openAge: 85)
        let a = ages.count
        var initial = Matrix(rows: 2 * a, columns: 1)
        var migrants = Matrix(rows: 2 * a, columns: 1)
        let (pf, pm, nf, nm) = (table.column("P0F"), table.column("P0M"), table.column("NMxF"), table.column("NMxM"))
        for x in 0..<a {
            initial[x, 0] = pf[x]
            initial[a + x, 0] = pm[x]
            // The table gives the period's net migrants; the model takes them per year.
            migrants[x, 0] = nf[x] / 5
            migrants[a + x, 0] = nm[x] / 5
        }
        let parameters = PopulationParameters(
            ages: ages, zoneCount: 1, initial: initial,
            survivalFemale: SurvivalRatios(personYears: table.column("LxF"), radix: 100_000, interval: 5),
            survivalMale: SurvivalRatios(personYears: table.column("LxM"), radix: 100_000, interval: 5),
            fertility: table.column("asfr"), sexRatioAtBirth: 1.05, migration: [], netMigration: migrants,
            netMigrationTiming: .split)
        var engine = CohortComponentProjection(parameters)
        var population = initial
        let flows = engine.step(&population)
        projection = (population, flows)
    }

    @Test func survivalRatiosMatchTheTable() {
        let ratios = SurvivalRatios(personYears: table.column("LxF"), radix: 100_000, interval: 5)
        let published = table.column("SxF")
        // S_0 is printed to 6 decimals; the others are exact quotients of the printed L_x.
        #expect(abs(ratios.birth - published[0]) < 5e-7)
        for x in 1..<published.count { #expect(abs(ratios.ratios[x] - published[x]) < 1e-12, "S at group \(x)") }
    }

    @Test func birthsByAgeOfMotherEqualThePublishedIntegers() {
        let published = table.column("Bx")
        let ours = projection.flows.birthsByAgeOfMother
        for x in published.indices {
            #expect(ours[x].rounded() == published[x], "births to mothers aged \(x * 5): \(ours[x]) vs \(published[x])")
        }
        // The published total, 615,989, is the sum of the rounded age-specific births; unrounded, the
        // same formula gives 615,988.19, so the total is checked both ways.
        #expect(ours.map { $0.rounded() }.reduce(0, +) == 615_989)
        #expect(abs(projection.flows.births[0] - 615_989) < 1)
    }

    @Test func population1998EqualsThePublishedIntegers() {
        let a = 18
        let (femaleEnd, maleEnd) = (table.column("PzF"), table.column("PzM"))
        for x in 0..<a {
            #expect(projection.population[x, 0].rounded() == femaleEnd[x], "females \(x * 5): \(projection.population[x, 0])")
            #expect(projection.population[a + x, 0].rounded() == maleEnd[x], "males \(x * 5): \(projection.population[a + x, 0])")
        }
    }
}
