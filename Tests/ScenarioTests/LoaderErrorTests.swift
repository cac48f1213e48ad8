import CityTwinCore
import Foundation
import LinearAlgebra
import Population
import Scenario
import Testing

/// Bad input is reported before any run, with file, line and a way to fix it — all problems at once.
@Suite("Scenario and model validation")
struct LoaderErrorTests {
    func errors(_ fixture: ModelFixture) -> [InputError] {
        do {
            _ = try ScenarioLoader.load(fixture.scenarioPath)
            return []
        } catch let errors as InputErrors {
            return errors.errors
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func sampleCityLoads() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        let problem = try ScenarioLoader.load(fixture.scenarioPath)
        #expect(problem.model.zones.count == 24)
        #expect(abs(problem.model.population.initial.sum - 192_517) < 1e-6)
        #expect(problem.clock.tickCount == 6)  // the years 2020…2025, inclusive
        #expect(problem.model.inputs.count == 7)  // the fixture keeps only the population part of model.yaml
    }

    @Test func misspeltKeyIsNamedWithLineAndSuggestion() throws {
        let fixture = try ModelFixture(scenario: ModelFixture.defaultScenario + "parameters:\n  population.fertility_scal: 1.1\nsed: 3\n")
        defer { fixture.remove() }
        let found = errors(fixture)
        #expect(found.count == 2)
        #expect(found.contains { $0.location.line == 9 && $0.message == "unknown key `sed`" && $0.hint == "did you mean `seed`?" })
        #expect(
            found.contains {
                $0.location.line == 8 && $0.message == "unknown parameter `population.fertility_scal`"
                    && $0.hint == "did you mean `population.fertility_scale`?"
            })
        #expect(found[0].description.hasPrefix(fixture.scenarioPath + ":"))
    }

    @Test func valueOutOfRangeAndBadTick() throws {
        let scenario =
            ModelFixture.defaultScenario.replacingOccurrences(of: "1 year", with: "1 fortnight")
            + "parameters:\n  population.fertility_scale: -2\n"
        let fixture = try ModelFixture(scenario: scenario)
        defer { fixture.remove() }
        let messages = errors(fixture).map(\.message)
        #expect(messages.contains("tick `1 fortnight` is not a length of time"))
        #expect(messages.contains { $0.hasPrefix("`population.fertility_scale` = -2.0 is outside") })
    }

    @Test func startMustBeTheBaseYear() throws {
        let fixture = try ModelFixture(scenario: ModelFixture.defaultScenario.replacingOccurrences(of: "start: 2020", with: "start: 2019"))
        defer { fixture.remove() }
        #expect(errors(fixture).map(\.message) == ["start is 2019 but the model's base year is 2020"])
    }

    @Test func missingModelFileNamesTheLineThatNamedIt() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try fixture.edit("city/model.yaml", replacing: "fertility: fertility.csv", with: "fertility: fertlity.csv")
        let found = errors(fixture)
        #expect(found.count == 1)
        #expect(found.first?.location.file.hasSuffix("city/model.yaml") == true)
        #expect(found.first?.location.line == 11)
        #expect(found.first?.message.hasPrefix("no such file:") == true)
    }

    @Test func negativePopulationIsRejectedAtItsLine() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        let lines = try fixture.read("city/population.csv").split(separator: "\n")
        var edited = lines.map(String.init)
        edited[3] = "1,2,-5,10"
        try fixture.write("city/population.csv", edited.joined(separator: "\n") + "\n")
        let found = errors(fixture)
        #expect(found.count == 1)
        #expect(found.first?.location.line == 4)
        #expect(found.first?.message == "negative population (-5.0)")
    }

    @Test func migrationRowThatDoesNotSumToOne() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try fixture.edit("city/migration.csv", replacing: "1,0.951,", with: "1,0.9,")
        let found = errors(fixture)
        #expect(found.count == 1)
        #expect(found.first?.location.line == 2)
        #expect(found.first?.message.hasPrefix("the row for zone 1 sums to 0.94") == true)
    }

    @Test func fertilityRateOutsideUnitInterval() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try fixture.edit("city/fertility.csv", replacing: "\n30,", with: "\n30,1.5\n#")
        let found = errors(fixture)
        #expect(found.map(\.message) == ["fertility rate at age 30 is 1.5, outside [0, 1]"])
    }

    @Test func missingColumnAndUnknownModelKeyAreBothReported() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try fixture.edit("city/zones.csv", replacing: "jobs", with: "job")
        try fixture.edit("city/model.yaml", replacing: "base_year:", with: "base_yaer:")
        let messages = errors(fixture).map(\.message)
        #expect(messages.contains("unknown key `base_yaer`"))
        #expect(messages.contains("missing column `jobs`"))
    }

    @Test func shapeMismatchIsReported() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        // Drop the last line of net_migration.csv: one zone–age row short.
        let text = try fixture.read("city/net_migration.csv")
        let lines = text.split(separator: "\n").dropLast()
        try fixture.write("city/net_migration.csv", lines.joined(separator: "\n") + "\n")
        #expect(errors(fixture).map(\.message) == ["the table has 2423 zone–age rows, expected 2424"])
    }

    @Test func yamlSyntaxErrorHasLineAndColumn() throws {
        let fixture = try ModelFixture(scenario: "name: test\nmodel: [unclosed\n")
        defer { fixture.remove() }
        let found = errors(fixture)
        #expect(found.count == 1)
        #expect(found.first?.location.line != nil)
        #expect(found.first?.message.hasPrefix("YAML:") == true)
    }
}

/// The domains report through one input layer: problems in several domains' files come back together.
@Suite("Model problems across domains")
struct CrossDomainLoaderTests {
    @Test func malformedEconomyAndPopulationFilesAreReportedInOneRun() throws {
        let fixture = try ModelFixture(coupled: true)
        defer { fixture.remove() }
        // Population: a negative count on line 4. Economy: a flow that is not a number, a sector repeated in
        // zone_shares' header, and a zone listed twice. Resources: monthly inflow shares that do not sum to one.
        var population = try fixture.read("city/population.csv").split(separator: "\n").map(String.init)
        population[3] = "1,2,-5,10"
        try fixture.write("city/population.csv", population.joined(separator: "\n") + "\n")
        var flows = try fixture.read("city/economy/flows.csv").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let flowRow = try #require(flows.firstIndex { $0.hasPrefix("manufacturing,") })
        flows[flowRow] = flows[flowRow].replacingOccurrences(of: "manufacturing,", with: "manufacturing,abc")
        try fixture.write("city/economy/flows.csv", flows.joined(separator: "\n"))
        var shares = try fixture.read("city/economy/zone_shares.csv").split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        let first = try #require(shares.firstIndex { $0.hasPrefix("1,") })
        shares.insert(shares[first], at: first + 1)
        try fixture.write("city/economy/zone_shares.csv", shares.joined(separator: "\n"))

        let found: [InputError]
        do {
            _ = try ScenarioLoader.load(fixture.scenarioPath)
            found = []
        } catch let errors as InputErrors {
            found = errors.errors
        }
        let text = found.map(\.description)
        #expect(found.contains { $0.location.file.hasSuffix("population.csv") && $0.location.line == 4 }, "\(text)")
        #expect(
            found.contains {
                $0.location.file.hasSuffix("flows.csv") && $0.location.line == flowRow + 1 && $0.location.column != nil
                    && $0.message.contains("not a finite number")
            }, "\(text)")
        #expect(
            found.contains {
                $0.location.file.hasSuffix("zone_shares.csv") && $0.location.line == first + 2
                    && $0.message.contains("appears twice")
            }, "\(text)")
    }
}
