import CityTwinCore
import Forecast
import Foundation
import Scenario
import Testing

/// Regression tests for inputs that once crashed, hung or gave a believable wrong forecast (issue
/// "Hardened inputs and runs"): each is refused before the clock starts, with file, line and what to fix.
@Suite("Hardened inputs")
struct HardeningTests {
    /// The errors loading a fixture's scenario reports (empty when it loads).
    func errors(_ fixture: ModelFixture) -> [InputError] {
        do {
            _ = try ScenarioLoader.loadPlan(fixture.scenarioPath)
            return []
        } catch let errors as InputErrors {
            return errors.errors
        } catch {
            Issue.record("not an input error: \(error)")
            return []
        }
    }

    func scenario(_ extra: String, start: String = "2020", end: String = "2025") -> String {
        "name: test\nmodel: city\nstart: \(start)\nend: \(end)\ntick: 1 year\nseed: 1\n" + extra
    }

    @Test(arguments: [
        ("9223372036854775807", "2025", "`start` is 9223372036854775807, not a calendar year"),
        ("2020", "-9223372036854775808", "`end` is -9223372036854775808, not a calendar year"),
        ("2020", "9999", "the horizon 2020–9999 is 7979 years; at most 200 run"),
    ])
    func hugeYearsAreRefused(start: String, end: String, message: String) throws {
        let fixture = try ModelFixture(scenario: scenario("", start: start, end: end))
        defer { fixture.remove() }
        let found = errors(fixture).map(\.message)
        #expect(found.contains { $0.contains(message) }, "\(found)")
    }

    @Test func alertWithinHugeYearsIsRefused() throws {
        let fixture = try ModelFixture(
            scenario: scenario(
                """
                alerts:
                  - name: a
                    when: population.total > 1
                    within: 9223372036854775807 years
                    probability_at_least: 0.5

                """))
        defer { fixture.remove() }
        #expect(errors(fixture).contains { $0.message.contains("is not a number of years") })
    }

    @Test(arguments: [
        ("normal(nan, 1)", "normal takes two numbers"),
        ("normal(1, inf)", "normal takes two numbers"),
        ("lognormal(0, 800)", "lognormal needs"),
        ("uniform(-1e308, 1e308)", "uniform takes two numbers"),
    ])
    func nonFiniteDistributionParametersAreRefused(distribution: String, message: String) throws {
        let fixture = try ModelFixture(
            scenario: scenario("ensemble:\n  members: 4\n  uncertain:\n    population.fertility_scale: \(distribution)\n"))
        defer { fixture.remove() }
        let found = errors(fixture)
        #expect(found.contains { $0.message.contains(message) && $0.location.line == 10 }, "\(found)")
    }

    @Test func deepNestingAndHugeSumsAreRefusedNotOverflowed() throws {
        let deep = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        let long = (0..<30_000).map { _ in "population.total" }.joined(separator: " + ")
        for condition in ["\(deep) > 0", "\(long) > 0"] {
            let fixture = try ModelFixture(
                scenario: scenario(
                    """
                    interventions:
                      - name: x
                        when: \(condition)
                        set: population.fertility_scale = 1.1

                    """))
            defer { fixture.remove() }
            let found = errors(fixture).map(\.message)
            #expect(found.contains { $0.contains("nest more than 50 deep") || $0.contains("at most 1000 are read") }, "\(found.prefix(2))")
        }
    }

    @Test func hugeZoneRangeIsRefusedBeforeExpansion() throws {
        let fixture = try ModelFixture(
            scenario: scenario(
                """
                alerts:
                  - name: a
                    when: sum(population.total[zones 1-2147483648]) > 1
                    within: 2 years
                    probability_at_least: 0.5

                """))
        defer { fixture.remove() }
        #expect(errors(fixture).contains { $0.message.contains("names 2147483648 zones; the model has 24") })
    }

    @Test func yamlAliasesAreRefused() throws {
        // Nine levels of nine-fold aliases would expand to 9⁹ nodes; the first repeat is refused instead.
        let bomb =
            "x0: &a0 [q, q, q, q, q, q, q, q, q]\n"
            + (1...8).map { k in
                "x\(k): &a\(k) [" + Array(repeating: "*a\(k - 1)", count: 9).joined(separator: ", ") + "]\n"
            }.joined()
        let fixture = try ModelFixture(scenario: bomb + scenario(""))
        defer { fixture.remove() }
        #expect(errors(fixture).contains { $0.message.contains("YAML aliases") })
    }

    @Test func duplicateYamlKeyIsRefusedWithItsLine() throws {
        let fixture = try ModelFixture(scenario: scenario("seed: 2\n"))
        defer { fixture.remove() }
        let found = errors(fixture)
        #expect(found.contains { $0.message.contains("key `seed` appears twice") && $0.location.line != nil }, "\(found)")
    }

    @Test func recordListedTwiceIsRecordedOnce() throws {
        let fixture = try ModelFixture(scenario: scenario("record: [population.total, population.total]\n"))
        defer { fixture.remove() }
        let plan = try ScenarioLoader.loadPlan(fixture.scenarioPath)
        #expect(plan.recorded.count == Set(plan.recorded).count)
        #expect(plan.recorded.count == 25)  // the city and 24 zones
    }

    @Test func repeatedZoneInMigrationHeaderIsRefused() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try fixture.edit("city/migration.csv", replacing: "from,1,2,", with: "from,1,1,")
        let found = errors(fixture)
        #expect(
            found.contains { $0.location.file.hasSuffix("migration.csv") && $0.message.contains("column `1` appears twice") }, "\(found)")
    }

    /// Found by the fuzzer: an age of 2⁶³ − 1 in the life table (which may run past the open age) overflowed
    /// the count of age groups; it is an error at its line.
    @Test func absurdAgeInTheLifeTableIsAnError() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try fixture.edit("city/life_table.csv", replacing: "\n92,", with: "\n9223372036854775807,")
        let found = errors(fixture)
        #expect(
            found.contains { $0.location.file.hasSuffix("life_table.csv") && $0.location.line == 94 && $0.message.contains("beyond 150") },
            "\(found)")
    }

    /// Found by the fuzzer: a negative age in fertility.csv gave no error and a wrong-sized rate vector (a trap).
    @Test func negativeAgeIsAnError() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try fixture.edit("city/fertility.csv", replacing: "\n86,", with: "\n-1,")
        let found = errors(fixture)
        #expect(found.contains { $0.location.file.hasSuffix("fertility.csv") && $0.message.contains("age -1 is negative") }, "\(found)")
    }

    @Test func nonUTF8FileIsRefusedWithItsLine() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        var data = try Data(contentsOf: fixture.modelDirectory.appendingPathComponent("fertility.csv"))
        let secondLine = data.firstIndex(of: 0x0A)! + 1
        data.insert(0xFF, at: secondLine)
        try data.write(to: fixture.modelDirectory.appendingPathComponent("fertility.csv"))
        let found = errors(fixture)
        #expect(found.contains { $0.message.contains("not UTF-8") && $0.location.line == 2 }, "\(found)")
    }

    @Test func duplicateEnergySourceAndBadMonthlySharesAreRefused() throws {
        let fixture = try ModelFixture(coupled: true)
        defer { fixture.remove() }
        try fixture.edit("city/resources/energy_sources.csv", replacing: "wind,200,", with: "wind,200,0.35,0.15,0,1\nwind,200,")
        try fixture.edit("city/model.yaml", replacing: "monthly_inflow_shares: [0.04,", with: "monthly_inflow_shares: [0.92,")
        let found = errors(fixture)
        #expect(
            found.contains { $0.location.file.hasSuffix("energy_sources.csv") && $0.message.contains("name wind appears twice") },
            "\(found)")
        #expect(found.contains { $0.message.contains("`monthly_inflow_shares` sums to 1.88") }, "\(found)")
    }

    @Test func unknownNetworkUnitIsRefusedWithItsLine() throws {
        let fixture = try ModelFixture(coupled: true)
        defer { fixture.remove() }
        try fixture.edit("city/model.yaml", replacing: "time_unit: 0.01 h", with: "time_unit: 0.01 fortnight")
        let found = errors(fixture)
        #expect(
            found.contains { $0.message.contains("`traffic.time_unit`: unknown unit `fortnight`") && $0.location.line != nil },
            "\(found)")
    }

    /// Found by fuzzing: `model: c` (a one-character relative path) trapped in Foundation's path handling.
    @Test func aOneCharacterModelPathIsAnErrorNotACrash() throws {
        let fixture = try ModelFixture(scenario: "name: fuzz\nmodel: c")
        defer { fixture.remove() }
        let found = errors(fixture)
        #expect(found.contains { $0.message.contains("no such file") }, "\(found)")
    }

    /// Found by fuzzing: a net-migration cell at Int.max passed as a finite number and the run summary trapped
    /// converting the population to an integer. Counts above 1e9 persons a cell are refused at their cell.
    @Test func absurdPersonCountsAreRefusedAtTheirCell() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        let lines = try fixture.read("city/net_migration.csv").split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines.firstIndex { $0.hasPrefix("zone,") }!
        var fields = lines[header + 1].split(separator: ",").map(String.init)
        fields[2] = "9223372036854775807"
        var edited = lines.map(String.init)
        edited[header + 1] = fields.joined(separator: ",")
        try fixture.write("city/net_migration.csv", edited.joined(separator: "\n"))
        let found = errors(fixture)
        #expect(
            found.contains {
                $0.location.file.hasSuffix("net_migration.csv") && $0.location.line == header + 2
                    && $0.message.contains("is outside -1000000000.0…1000000000.0") && ($0.hint ?? "").contains("any city")
            }, "\(found)")
    }

    @Test func badExternalStationsAreRefusedAtTheirCell() throws {
        let fixture = try ModelFixture(coupled: true)
        defer { fixture.remove() }
        let file = "city/network/external_stations.csv"
        try fixture.edit(file, replacing: "i29_south,13,", with: "i29_south,99,")
        try fixture.edit(file, replacing: "rice_street_east,7,9000,2018,0,", with: "rice street,7,9000,2018,1.5,")
        let found = errors(fixture)
        func at(_ line: Int, _ text: String) -> Bool {
            found.contains { $0.location.file.hasSuffix("external_stations.csv") && $0.location.line == line && $0.message.contains(text) }
        }
        #expect(at(2, "external station `i29_south`: zone `99` is not in the zone table"), "\(found)")
        #expect(at(6, "external station id `rice street` has a character other than"), "\(found)")
        #expect(at(6, "`through_share` is 1.5, outside 0.0…1.0"), "\(found)")
    }

    @Test func throughTrafficThatCannotLeaveIsRefusedAtTheHeader() throws {
        let fixture = try ModelFixture(coupled: true)
        defer { fixture.remove() }
        // I-29 south's through vehicles (0.9 of 25 500) exceed those of every other station together.
        try fixture.edit(
            "city/network/external_stations.csv", replacing: "i29_south,13,25500,2020,0.25,", with: "i29_south,13,25500,2020,0.9,")
        let found = errors(fixture)
        #expect(
            found.contains {
                $0.location.line == 1 && $0.message.contains("external station `i29_south` has 22950 through vehicles a day")
            }, "\(found)")
    }

    @Test func closuresThatCutAZoneOffAreRefusedNamingThePairAndTheIntervention() throws {
        let fixture = try ModelFixture(
            scenario: """
                name: test
                model: city
                start: 2020
                end: 2025
                interventions:
                  - name: one closure
                    at: 2022
                    set: traffic.link_open[links 1-2] = 0
                  - name: zone 1 cut off
                    at: 2022
                    set: traffic.link_open[links 1-2, 1-3] = 0

                """, coupled: true)
        defer { fixture.remove() }
        let messages = errors(fixture).map(\.description)
        #expect(messages.count == 1, "\(messages)")
        #expect(
            messages.contains {
                $0.contains("scenario.yaml:11:") && $0.contains("intervention `zone 1 cut off` cannot be run")
                    && $0.contains("zone 1 cannot reach zone 2")
            }, "\(messages)")
    }

    @Test func closuresThatCutAZoneOffOnlyTogetherAreRefusedAtTheLaterOne() throws {
        let fixture = try ModelFixture(
            scenario: """
                name: test
                model: city
                start: 2020
                end: 2030
                interventions:
                  - name: first closure
                    at: 2022
                    set: traffic.link_open[links 1-2] = 0
                  - name: second closure
                    at: 2024
                    set: traffic.link_open[links 1-3] = 0
                  - name: closed for a while
                    at: 2021
                    end: 2022
                    set: traffic.link_open[links 1-3] = 0

                """, coupled: true)
        defer { fixture.remove() }
        let messages = errors(fixture).map(\.description)
        // The window of the third closes when the first starts, so only the first two overlap.
        #expect(messages.count == 1, "\(messages)")
        #expect(
            messages.contains {
                $0.contains("scenario.yaml:11:") && $0.contains("`first closure` (2022), `second closure` (2024) cannot be run together")
                    && $0.contains("zone 1 cannot reach zone 2")
            }, "\(messages)")
    }

    /// Triggered closures are checked one by one at validate (errors) and all together (a warning, since whether they
    /// meet depends on the run); two that cut a zone off only together fail in the run, and the failure names the
    /// scenario file, the member, the year and the interventions in force.
    @Test func aRunTimeFailureNamesTheFileTheYearAndTheInterventions() throws {
        let fixture = try ModelFixture(
            scenario: """
                name: test
                model: city
                start: 2020
                end: 2025
                interventions:
                  - name: first closure
                    when: population.total > 0
                    set: traffic.link_open[links 1-2] = 0
                  - name: second closure
                    when: population.total > 0
                    set: traffic.link_open[links 1-3] = 0

                """, coupled: true)
        defer { fixture.remove() }
        let plan = try ScenarioLoader.loadPlan(fixture.scenarioPath)
        #expect(plan.warnings.count == 1, "\(plan.warnings)")
        #expect(
            plan.warnings.first.map {
                $0.contains("scenario.yaml:8:")
                    && $0.contains(
                        ": warning: interventions `first closure` (when triggered), "
                            + "`second closure` (when triggered) would be refused if in force together in 2020 or later")
                    && $0.contains("zone 1 cannot reach zone 2")
            } == true, "\(plan.warnings)")
        var run = try MemberRun(plan: plan, member: 0, keepsHistory: false)
        let failure = try #require(throws: MemberRunFailure.self) { try run.step() }
        #expect(failure.scenarioFile.hasSuffix("scenario.yaml") && failure.member == 0 && failure.year == 2020)
        #expect(failure.interventions.map(\.name) == ["first closure", "second closure"])
        #expect(failure.interventions.map(\.location.line) == [6, 9])
        let text = failure.description
        #expect(
            text.contains("scenario.yaml: member 0 failed in 2020") && text.contains("`second closure` (") && text.contains(":9"), "\(text)"
        )
    }

    @Test func headerOnlyEconomyTableIsAnErrorNotACrash() throws {
        let fixture = try ModelFixture(coupled: true)
        defer { fixture.remove() }
        let sectors = try fixture.read("city/economy/sectors.csv")
        let header = sectors.split(separator: "\n").first { !$0.hasPrefix("#") }!
        try fixture.write("city/economy/sectors.csv", header + "\n")
        #expect(errors(fixture).contains { $0.message.contains("the table has no sectors") })
    }
}

/// Run folders: never replace what is not a run; an interrupted replace is repaired.
@Suite("Run folders that cannot lose data")
struct RunFolderSafetyTests {
    func temporary() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aFolderThatIsNotARunIsNeverReplaced() throws {
        let parent = try temporary()
        defer { try? FileManager.default.removeItem(at: parent) }
        let models = parent.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: models.appendingPathComponent("model.yaml"))
        #expect(throws: RunFolderWriter.Refusal.self) {
            try RunFolderWriter.write([("forecast.csv", Data("x".utf8))], to: models)
        }
        #expect(try String(contentsOf: models.appendingPathComponent("model.yaml"), encoding: .utf8) == "precious")
    }

    @Test func anInterruptedReplaceIsRepairedOnTheNextStart() throws {
        let parent = try temporary()
        defer { try? FileManager.default.removeItem(at: parent) }
        let run = parent.appendingPathComponent("baseline")
        try RunFolderWriter.write([("forecast.csv", Data("first\n".utf8))], to: run)
        // A replace killed between its two renames: the earlier run set aside, a staging folder left.
        let deadPID = 999_999
        try FileManager.default.moveItem(at: run, to: parent.appendingPathComponent(".baseline.old-\(deadPID)-1"))
        try FileManager.default.createDirectory(
            at: parent.appendingPathComponent(".baseline.partial-\(deadPID)-1"),
            withIntermediateDirectories: false)
        try RunFolderWriter.prepare(run)
        #expect(try String(contentsOf: run.appendingPathComponent("forecast.csv"), encoding: .utf8) == "first\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["baseline"])
    }

    @Test func anOverlongNameAndAFileAsOutputAreRefusedBeforeTheRun() throws {
        let parent = try temporary()
        defer { try? FileManager.default.removeItem(at: parent) }
        #expect(throws: RunFolderWriter.Refusal.self) {
            try RunFolderWriter.prepare(parent.appendingPathComponent(String(repeating: "a", count: 230)))
        }
        let file = parent.appendingPathComponent("file")
        try Data().write(to: file)
        #expect(throws: RunFolderWriter.Refusal.self) { try RunFolderWriter.prepare(file.appendingPathComponent("run")) }
    }
}

/// Inputs that were once bent silently are refused at `validate` (issue "Forecasts that tell the truth", item 7).
@Suite("Refused, not bent")
struct RefusedNotBentTests {
    @Test func interventionValuesOutsideTheRangeAndLinksByPositionAreRefused() throws {
        let fixture = try ModelFixture(
            scenario: """
                name: test
                model: city
                start: 2020
                end: 2025
                interventions:
                  - name: all electric
                    at: 2022
                    set: energy.ev_share = 1.5
                  - name: leaky
                    at: 2022
                    set: water.leakage *= 10
                  - name: toll by position
                    at: 2022
                    set: traffic.toll[links 3-5] = 2

                """, coupled: true)
        defer { fixture.remove() }
        var messages: [String] = []
        do { _ = try ScenarioLoader.loadPlan(fixture.scenarioPath) } catch let errors as InputErrors {
            messages = errors.errors.map(\.description)
        }
        #expect(
            messages.contains { $0.contains("scenario.yaml:8:") && $0.contains("sets `energy.ev_share` to 1.5, outside 0.0…1.0") },
            "\(messages)")
        #expect(messages.contains { $0.contains("sets `water.leakage` to 1.2") }, "\(messages)")
        #expect(messages.contains { $0.contains("traffic.toll has no link `3`") }, "\(messages)")
    }
}

/// Water that can be saved (issue "Forecasts that tell the truth", item 3): the store is drawn by the
/// dispatch rule, so a restriction leaves more water in it — same seed, with and without the restriction.
@Suite("Water saved by a restriction")
struct WaterRestrictionTests {
    func stock(restricted: Bool) throws -> [Double] {
        // A drought draws the store down (a full store spills what a restriction saves, as a full aquifer would).
        let drought = "interventions:\n  - name: drought\n    at: 2020\n    set: water.inflow_scale = 0.6\n"
        let restriction = drought + (restricted ? "  - name: restriction\n    at: 2021\n    set: water.per_capita_demand *= 0.85\n" : "")
        let fixture = try ModelFixture(
            scenario: """
                name: test
                model: city
                start: 2020
                end: 2024
                seed: 4
                without: [traffic]
                \(restriction)
                """, coupled: true)
        defer { fixture.remove() }
        let recording = try ScenarioLoader.load(fixture.scenarioPath).solve()
        return recording.series("water.reservoir_stock").map(\.value)
    }

    @Test func aRestrictionLeavesMoreWaterInTheStore() throws {
        let base = try stock(restricted: false), restricted = try stock(restricted: true)
        // Instants 1 January 2020 … 2025 (the years 2020…2024 simulated).
        #expect(base.count == 6 && restricted.count == 6)
        #expect(restricted[0] == base[0] && restricted[1] == base[1], "same seed, same store until the restriction acts")
        // Each restricted year keeps about 0.15 × 189.3 L × ~200 000 people × 365 days / 0.88 × 0.41 (the aquifer's
        // share) × (1 − 0.63 × 0.6) (what induced recharge would not have replaced) ≈ 0.6 million m³.
        for year in 2..<6 {
            let saved = restricted[year] - base[year]
            #expect(saved > 500_000 * Double(year - 1), "year \(2020 + year): \(restricted[year]) vs \(base[year])")
            #expect(saved < 700_000 * Double(year - 1), "year \(2020 + year): \(restricted[year]) vs \(base[year])")
        }
    }
}
