import CityTwinCore
import Forecast
import Foundation
import Population
import Scenario
import Testing

@Suite("Simulation problems and forecasts")
struct ProblemTests {
    @Test func settingsApplyAndWithMakesModifiedCopies() throws {
        let fixture = try ModelFixture(scenario: ModelFixture.defaultScenario + "parameters:\n  population.fertility_scale: 1.2\n")
        defer { fixture.remove() }
        let problem = try ScenarioLoader.load(fixture.scenarioPath)
        var run = try MemberRun(plan: problem.plan(), member: 0, keepsHistory: true)
        #expect(run.simulation.parameterValues("population.fertility_scale") == [1.2])
        #expect(problem.model.population.fertilityScale == 1, "the model itself is not changed")
        let lower = problem.with(parameters: ["population.fertility_scale": 0.9])
        #expect(lower.scenario != problem.scenario)
        #expect(lower.scenario.overrides == [ParameterOverride("population.fertility_scale", 0.9)])
        run = try MemberRun(plan: lower.plan(), member: 0, keepsHistory: true)
        #expect(run.simulation.parameterValues("population.fertility_scale") == [0.9])
    }

    @Test func higherFertilityMeansMoreBirthsAndTheSameDeathsAtFirst() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        let base = try ScenarioLoader.load(fixture.scenarioPath)
        let policy = base.with(parameters: ["population.fertility_scale": 1.1])
        let (b, p) = (try base.solve(), try policy.solve())
        let (bb, pb) = (b.series("population.births")[0].value, p.series("population.births")[0].value)
        // Births are linear in the fertility scale within the first year.
        #expect(abs(pb / bb - 1.1) < 1e-12)
        #expect(p.series("population.total").last!.value > b.series("population.total").last!.value)
    }

    @Test func forecastTableHasTheIssueColumnsAndCityAndZoneRows() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        let plan = try ScenarioLoader.load(fixture.scenarioPath).plan()
        let table = try EnsembleRunner.run(plan).table
        let lines = table.csv.split(separator: "\n")
        #expect(lines[0] == "model,scenario,region,variable,unit,year,statistic,value")
        #expect(lines.contains("sioux-falls,test,sioux-falls,population.total,persons,2020,value,192517"))
        let zoneRows = table.rows.filter { $0.variable == "population.total" && $0.region != "sioux-falls" }
        #expect(zoneRows.count == 24 * 6)
        // City total equals the sum of zones in every year.
        for year in 2020...2025 {
            let city: Double = table.value("population.total", region: "sioux-falls", year: Double(year))!
            let zones: Double = zoneRows.filter { $0.year == Double(year) }.map(\.value).reduce(0, +)
            #expect(abs(city - zones) < 1e-8 * city)
        }
    }

    @Test func sha256MatchesKnownDigests() {
        // FIPS 180-4 examples.
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
