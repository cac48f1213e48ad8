import CityTwinCore
import Foundation
import Scenario
import TestSupport
import Testing

@testable import Forecast

/// A run continued from a saved end state (`--from`) gives exactly the forecast of one uninterrupted run: the
/// saved state holds every field bit for bit, the random streams' position, the members' draws, parameter values,
/// interventions' and triggers' states, the indicators of the instant before and the modules' memories.
@Suite("continuing a run from its end state")
struct ContinuationTests {
    static let scenario = Repository.path("scenarios/test/continuation.yaml")
    /// The first run's end year; the second starts at its end instant (whatever the clock's year-label convention).
    static let splitYear = 2030

    /// The scenario as written (2020 → 2040), and as the two runs that continue one another.
    /// With `traffic`, the four-step model runs in every member and year and its indicators are recorded too.
    static func plans(deterministic: Bool, traffic: Bool = false) throws -> (whole: ScenarioPlan, first: ScenarioPlan, second: ScenarioPlan)
    {
        let problem = try ScenarioLoader.load(scenario)
        var whole = problem.scenario
        if deterministic { whole.ensemble = .single }
        if traffic {
            whole.without = []
            whole.record = (whole.record ?? []) + ["traffic.vht", "traffic.mean_trip_time", "traffic.link_time", "traffic.relative_gap"]
        }
        var first = whole
        first.endYear = splitYear
        func plan(_ spec: ScenarioSpec) throws -> ScenarioPlan {
            try SimulationProblem(scenario: spec, model: problem.model, scenarioFiles: problem.scenarioFiles).plan()
        }
        let firstPlan = try plan(first)
        var second = whole
        second.startYear = Int(firstPlan.problem.clock.time(after: firstPlan.problem.clock.tickCount).rounded())
        second.continuesSavedState = true
        return (try plan(whole), firstPlan, try plan(second))
    }

    /// Writes the end state as `end-state.json` and reads it back, as `--from` does.
    static func roundTrip(_ state: RunEndState) throws -> RunEndState {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("continuation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try state.json().write(to: folder.appendingPathComponent(RunEndState.fileName))
        return try RunEndState.load(folder.path)
    }

    struct Key: Hashable {
        let region: String, variable: String, year: Double, statistic: String
        init(_ row: ForecastTable.Row) {
            (region, variable, year, statistic) = (row.region, row.variable, row.year, row.statistic)
        }
    }

    /// Every row of the two runs is the uninterrupted run's row, bit for bit, and every row of the uninterrupted
    /// run is in one of them.
    func expectIdentical(deterministic: Bool, traffic: Bool = false) throws {
        let (whole, first, second) = try Self.plans(deterministic: deterministic, traffic: traffic)
        let reference = try EnsembleRunner.run(whole, threads: 2)
        let before = try EnsembleRunner.run(first, threads: 2)
        let saved = try Self.roundTrip(try #require(before.endState))
        let start = second.problem.clock.time(after: 0)
        #expect(saved.time == start)
        #expect(saved.members.count == whole.members)
        try saved.check(second)
        let after = try EnsembleRunner.run(second, threads: 1, from: saved)

        var expected: [Key: Double] = [:]
        for row in reference.table.rows { expected[Key(row)] = row.value }
        var covered = Set<Key>()
        var compared = 0, mismatches: [String] = []
        for row in before.table.rows + after.table.rows {
            let key = Key(row)
            covered.insert(key)
            guard let value = expected[key] else {
                mismatches.append("\(row.variable) \(row.region) \(row.year) \(row.statistic): not in the uninterrupted run")
                continue
            }
            compared += 1
            if value.bitPattern != row.value.bitPattern {
                mismatches.append("\(row.variable) \(row.region) \(row.year) \(row.statistic): \(row.value) vs \(value)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) rows differ, e.g. \(mismatches.prefix(5))")
        let missing = Set(expected.keys).subtracting(covered)
        #expect(missing.isEmpty, "\(missing.count) rows of the uninterrupted run are in neither part")
        #expect(compared > 1000)
        // The continuation holds every row from its start on.
        let late = reference.table.rows.filter { $0.year >= start }.map(Key.init)
        #expect(Set(late).isSubset(of: Set(after.table.rows.map(Key.init))))
        // The interventions that act after the split act in the continuation, as in the uninterrupted run.
        let laterEvents = reference.events.filter { $0.year >= start }
        #expect(after.events == laterEvents)
        // The saved run's end state and the uninterrupted run's end state agree.
        let end = try #require(try EnsembleRunner.run(second, threads: 2, from: saved).endState)
        let referenceEnd = try #require(reference.endState)
        #expect(try end.json().count == (try referenceEnd.json()).count)
        for (a, b) in zip(end.members, referenceEnd.members) {
            #expect(a.simulation == b.simulation)
            #expect(a.parameters == b.parameters)
        }
    }

    @Test func ensembleContinuedEqualsOneRun() throws {
        try expectIdentical(deterministic: false)
    }

    @Test func deterministicContinuedEqualsOneRun() throws {
        try expectIdentical(deterministic: true)
    }

    /// With traffic in every member: the base year's mode constants, the averaged skims and the bushes are carried
    /// over (``TrafficModule``'s memory), so link times, VHT and the assignment's gap continue bit for bit.
    @Test func ensembleWithTrafficContinuedEqualsOneRun() throws {
        try expectIdentical(deterministic: false, traffic: true)
    }

    /// A continuation that does not fit the saved state is refused, each difference named.
    @Test func incompatibleContinuationsAreRefused() throws {
        let (_, first, second) = try Self.plans(deterministic: false)
        let saved = try #require(try EnsembleRunner.run(first, threads: 2).endState)
        var spec = second.problem.scenario
        spec.seed = 24
        spec.ensemble.members = 5
        let other = try SimulationProblem(scenario: spec, model: second.problem.model, scenarioFiles: second.problem.scenarioFiles).plan()
        let error = try #require(throws: InputErrors.self) { try saved.check(other) }
        let text = "\(error)"
        #expect(text.contains("the seed differs") && text.contains("use `seed: 23`"))
        #expect(text.contains("the number of members differs") && text.contains("use `members: 4`"))

        var late = second.problem.scenario
        late.startYear += 1
        let latePlan = try SimulationProblem(scenario: late, model: second.problem.model, scenarioFiles: second.problem.scenarioFiles)
            .plan()
        let lateError = try #require(throws: InputErrors.self) { try saved.check(latePlan) }
        let savedYear = second.problem.scenario.startYear
        #expect("\(lateError)".contains("the saved state is of \(Double(savedYear))") && "\(lateError)".contains("`start: \(savedYear)`"))
        // The loader says the same at the `start:` key.
        let loaderError = try #require(throws: InputErrors.self) { try ScenarioLoader.loadPlan(Self.scenario, continuing: savedYear) }
        #expect("\(loaderError)".contains("start is 2020 but the saved state it continues is of \(savedYear)"))
    }
}
