import CityTwinCore
import Foundation
import Scenario
import Testing

/// Schedules by year through the whole path: a model file with a `year` column, the loader, the module
/// putting each year's schedule in force, and the recorded indicators (issue 10).
@Suite("Population schedules by year, end to end")
struct PopulationScheduleTests {
    /// The sample city's total fertility rate: the 2020 U.S. level scaled to South Dakota (models/sioux-falls/README.md).
    static let sampleTFR = 1.6375 * 2227.5 / 1765.5
    /// The sample city's fertility.csv with a `year` column: the published rates from 2020, `factor`
    /// times them from `laterYear`.
    static func fertilityByYear(_ fixture: ModelFixture, first: Int = 2020, laterYear: Int, factor: Double) throws {
        let lines = try fixture.read("city/fertility.csv").split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
        var out = ["year,age,rate"]
        for (year, scale) in [(first, 1.0), (laterYear, factor)] {
            for line in lines.dropFirst() {
                let cells = line.split(separator: ",")
                out.append("\(year),\(cells[0]),\(Double(cells[1])! * scale)")
            }
        }
        try fixture.write("city/fertility.csv", out.joined(separator: "\n") + "\n")
    }

    @Test func heldScheduleChangesTheTotalFertilityRateInItsYear() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try Self.fertilityByYear(fixture, laterYear: 2023, factor: 2)
        let recording = try ScenarioLoader.load(fixture.scenarioPath).solve()
        // The recording observes a flow at the instant that ends its step (the step of 2023 at 1 January
        // 2024; the forecast labels it 2023). The years 2020…2025 are simulated.
        let tfr = recording.series("population.total_fertility").map(\.value)
        #expect(tfr.count == 6)
        for (k, value) in tfr.enumerated() {
            #expect(abs(value - (k < 3 ? 1 : 2) * Self.sampleTFR) < 1e-12, "step \(2020 + k): \(value)")
        }
        let e0 = recording.series("population.life_expectancy[female]").map(\.value)
        #expect(e0.allSatisfy { abs($0 - 81.386) < 1e-9 }, "\(e0)")
    }

    @Test func linearScheduleInterpolatesBetweenGivenYears() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try Self.fertilityByYear(fixture, laterYear: 2024, factor: 2)
        try fixture.edit(
            "city/model.yaml", replacing: "  net_migration_timing:", with: "  schedule_interpolation: linear\n  net_migration_timing:")
        let tfr = try ScenarioLoader.load(fixture.scenarioPath).solve().series("population.total_fertility").map(\.value)
        // 2020 → 2024 linear: the step from 2020 + k has 1 + k/4 times the rates.
        for (k, value) in tfr.enumerated() {
            #expect(abs(value - Self.sampleTFR * (1 + min(Double(k), 4) / 4)) < 1e-12, "step \(2020 + k): \(value)")
        }
    }

    @Test func scheduleStartingAfterTheBaseYearIsAnErrorNamingTheYears() throws {
        let fixture = try ModelFixture()
        defer { fixture.remove() }
        try Self.fertilityByYear(fixture, first: 2022, laterYear: 2030, factor: 1)
        var messages: [String] = []
        do { _ = try ScenarioLoader.load(fixture.scenarioPath) } catch let errors as InputErrors {
            messages = errors.errors.map(\.description)
        }
        #expect(messages.contains { $0.contains("fertility.csv") && $0.contains("does not cover 2020–2021") }, "\(messages)")
    }
}
