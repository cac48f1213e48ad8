import LinearAlgebra
import Population
import Testing

/// Willekens & Rogers (1978), IIASA RR-78-18: two regions (Slovenia, rest of Yugoslavia), females,
/// observed 1961 rates, projected 1961 → 2001 in five-year steps. Data: Fixtures/willekens-rogers-1978.
@Suite("Willekens & Rogers 1978, two-region projection")
struct WillekensRogersReferenceTests {
    let table: MultiregionalLifeTable
    let initial: [Double]

    init() throws {
        let input = try FixtureCSV("willekens-rogers-1978/input_YU61female_observed.csv")
        let regions = ["Slovenia", "Yugoslavia"]
        let names = input.text("region")
        let (population, births, deaths) = (input.column("population"), input.column("births"), input.column("deaths"))
        let (toSlovenia, toRest) = (input.column("to_SL"), input.column("to_RYU"))
        let rows = { (region: String) in names.indices.filter { names[$0] == region } }
        let (sl, ry) = (rows(regions[0]), rows(regions[1]))
        let k = sl.count
        var deathRates: [[Double]] = [], fertility: [[Double]] = [], migration: [[[Double]]] = []
        var initial: [Double] = []
        for x in 0..<k {
            let (i, j) = (sl[x], ry[x])
            deathRates.append([deaths[i] / population[i], deaths[j] / population[j]])
            fertility.append([births[i] / population[i], births[j] / population[j]])
            migration.append([[0, toRest[i] / population[i]], [toSlovenia[j] / population[j], 0]])
            initial += [population[i], population[j]]
        }
        table = try MultiregionalLifeTable(deathRates: deathRates, migrationRates: migration, fertilityRates: fertility)
        self.initial = initial
    }

    @Test func survivorshipMatchesTable2_9() throws {
        // Printed to four significant digits (e.g. 0.9709, 0.012622): compare to 1e-3 relative.
        let expected = try FixtureCSV("willekens-rogers-1978/expected_table2.9_Sx_slovenia.csv")
        let (stay, move) = (expected.column("slovenia"), expected.column("r.yugos"))
        for x in 0..<min(stay.count, table.survivorship.count) {
            #expect(abs(table.survivorship[x][0, 0] / stay[x] - 1) < 1e-3, "S_\(x * 5) Slovenia→Slovenia")
            #expect(abs(table.survivorship[x][1, 0] / move[x] - 1) < 1e-3, "S_\(x * 5) Slovenia→rest")
        }
    }

    @Test func projectionMatchesTable3_2WithinOnePerson() throws {
        let trajectory = table.project(initial, steps: 8)
        let years = ["1961", "1966", "1971", "1976", "1981", "1986", "1991", "1996", "2001"]
        for (region, file) in [(0, "slovenia"), (1, "rest_yugoslavia")] {
            let expected = try FixtureCSV("willekens-rogers-1978/expected_table3.2_projection_\(file)_1961_2001.csv")
            for (step, year) in years.enumerated() {
                let published = expected.column(year)
                for x in published.indices {
                    let ours = trajectory[step][x * 2 + region]
                    #expect(abs(ours - published[x]) <= 1, "\(file) age \(x * 5) in \(year): \(ours) vs \(published[x])")
                }
            }
        }
    }

    @Test func dominantGrowthFactorIs1_03097() {
        // Published to five decimals.
        #expect(abs(table.dominantGrowthFactor() - 1.03097) < 5e-6)
    }
}
