import CityTwinCore
import Foundation
import Scenario
import Testing

@testable import Forecast

@Suite("member capture")
struct CaptureTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The captured member values are the values the statistics were taken from: their quantiles and
    /// mean reproduce the forecast's rows exactly, and capturing does not change the forecast.
    @Test func capturedMembersReproduceTheStatistics() throws {
        let plan = try ScenarioLoader.loadPlan(Self.repository.appendingPathComponent("scenarios/test/ensemble-small.yaml").path)
        let slots = ArchivedRun.archivedSlots(plan)
        let city = plan.problem.model.name
        #expect(slots.contains(plan.indicators.slot("population.total")!), "a key indicator")
        #expect(slots.contains(plan.indicators.slot("water.deficit", .zone(0))!), "record: names water.deficit, all its zones")
        let captured = try EnsembleRunner.run(plan, threads: 2, capture: slots)
        let plain = try EnsembleRunner.run(plan, threads: 2)
        #expect(captured.table == plain.table)
        let index = slots.firstIndex(of: plan.indicators.slot("population.total")!)!
        #expect(captured.members.years[index] == [2020, 2021, 2022, 2023])
        for (t, year) in captured.members.years[index].enumerated() {
            let values = captured.members.values[index][t]
            #expect(values.count == plan.members)
            let statistics = try #require(EnsembleStatistic.summarise(values))
            for (statistic, value) in zip(EnsembleStatistic.allCases, statistics) {
                #expect(captured.table.value("population.total", region: city, year: year, statistic: statistic.rawValue) == value)
            }
        }
    }
}
