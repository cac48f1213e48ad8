import CityTwinCore
import Foundation
import Scenario
import Testing

@testable import Forecast

@Suite("zone levels")
struct HierarchyTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func aggregationRulesOnKnownNumbers() {
        // Zones 0, 1 in district 0; zone 2 in district 1. Residents 100, 300, 50.
        let values = [10.0, 20.0, 7.0]
        let weights = [100.0, 300.0, 50.0]
        let group = [0, 0, 1]
        func run(_ rule: IndicatorDescriptor.Aggregation) -> [Double] {
            ZoneLevels.aggregate(values, weights: weights, group: group, count: 2, rule: rule)
        }
        #expect(run(.sum) == [30, 7])
        #expect(run(.mean) == [15, 7])
        #expect(run(.maximum) == [20, 7])
        // (100·10 + 300·20) / 400 = 17.5: weighted by residents, not by zone count (which would give 15).
        #expect(run(.populationWeightedMean) == [17.5, 7])
        #expect(
            ZoneLevels.aggregate([.nan, 1, 2], weights: weights, group: group, count: 2, rule: .sum)[0].isNaN,
            "a missing zone value leaves its district without a value")
    }

    /// The sample city's districts add up to the city for every `sum` indicator, member by member and
    /// hence in the deterministic value.
    @Test func districtsSumToTheCity() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-levels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("levels.yaml")
        try "name: levels\nmodel: \(Self.repository.path)/models/sioux-falls\nstart: 2020\nend: 2022\nseed: 1\nwithout: [traffic]\n"
            .write(to: scenario, atomically: true, encoding: .utf8)
        let plan = try ScenarioLoader.loadPlan(scenario.path)
        let levels = try #require(ZoneLevels(plan: plan))
        #expect(levels.districts == ["north", "central", "west", "east", "south"])
        let result = try EnsembleRunner.run(plan)
        let table = try #require(result.levels)
        let city = plan.problem.model.name
        var checked = 0
        for item in levels.items where item.aggregation == .sum {
            for year in [2020.0, 2021, 2022] {
                guard let total = result.table.value(item.variable, region: city, year: year) else { continue }
                let parts = levels.districts.compactMap { table.value(item.variable, region: $0, year: year) }
                guard parts.count == levels.districts.count else { continue }
                // Tolerance: 24 additions in two orders; relative 1e-9 is far above rounding and far below any error.
                #expect(abs(parts.reduce(0, +) - total) <= 1e-9 * max(1, abs(total)), "\(item.variable) \(year)")
                checked += 1
            }
        }
        #expect(checked >= 10, "population, jobs, water and energy demand, waste … were checked")
        #expect(levels.items.contains { $0.variable == "population.total" })
    }

    @Test func districtSelectorsInConditions() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-district-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func scenario(_ condition: String) throws -> String {
            let url = folder.appendingPathComponent("\(UUID().uuidString).yaml")
            try """
            name: district
            model: \(Self.repository.path)/models/sioux-falls
            start: 2020
            end: 2022
            seed: 1
            without: [traffic]
            alerts:
              - name: north short
                when: \(condition)
                within: 2 years
                probability_at_least: 0.5
            """.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let plan = try ScenarioLoader.loadPlan(try scenario("sum(population.total[district north]) > 1000"))
        let result = try EnsembleRunner.run(plan)
        // North holds zones 1–8, about a fifth of the city: the alert holds in the first year, 2020.
        #expect(result.alerts.first?.firstYear == 2020)
        #expect(throws: InputErrors.self) { try ScenarioLoader.loadPlan(try scenario("sum(population.total[district nort]) > 1")) }
        do {
            _ = try ScenarioLoader.loadPlan(try scenario("sum(population.total[district nort]) > 1"))
        } catch let errors as InputErrors {
            #expect(errors.description.contains("district `nort` does not exist") && errors.description.contains("north"))
        }
    }
}
