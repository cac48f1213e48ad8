import CityTwinCore
import Dispatch
import LinearAlgebra
public import Scenario

/// What an ensemble run produces: the forecast table, the alerts, every member's intervention events, the
/// share of members in which each trigger fired (and when, in the median member), and the member-level
/// values of the captured slots.
public struct EnsembleResult: Sendable {
    public let table: ForecastTable
    public let alerts: [AlertReport]
    /// Every member's intervention events, member by member, each member's in the order they happened.
    public let events: [InterventionEvent]
    /// For each intervention with a `when:` trigger, in scenario order.
    public let triggers: [TriggerSummary]
    /// Member values of the slots asked for with `capture:`.
    public let members: MemberValues
    /// The indicators at the levels above zones (districts), when the model declares them: the run
    /// folder's districts.csv, in forecast.csv's format.
    public let levels: ForecastTable?
    /// Every member's state at the end, which a later run may continue (`end-state.json`).
    public let endState: RunEndState
}

/// Runs every member of a scenario in lockstep — all members advance one tick, then that tick's
/// statistics and alert counts are taken — so memory grows with members × state, not members ×
/// history. Members of a tick run in parallel on `threads` threads; each draws only from its own keyed
/// random streams and statistics are taken in member order, so the output is byte-identical whatever
/// the thread count.
///
/// The runner leaves process-wide settings alone: the caller decides BLAS's own threading once (the
/// command line keeps OpenBLAS on one thread for ensembles, whose parallelism is their members).
public enum EnsembleRunner {
    /// Advances every member one tick, `workers` members at a time in parallel (member m on worker
    /// m mod workers); each member draws only from its own streams, so the result does not depend on
    /// `workers`. The first member's error, in member order, is thrown after all have stepped.
    public static func step(_ members: inout [MemberRun], workers: Int) throws {
        let count = members.count
        let workers = max(1, min(workers, count))
        var errors = [(any Error)?](repeating: nil, count: count)
        members.withUnsafeMutableBufferPointer { buffer in
            errors.withUnsafeMutableBufferPointer { failures in
                nonisolated(unsafe) let runs = buffer
                nonisolated(unsafe) let failed = failures
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for m in stride(from: worker, to: count, by: workers) {
                        do { try runs[m].step() } catch { failed[m] = error }
                    }
                }
            }
        }
        if let error = errors.compactMap({ $0 }).first { throw error }
    }

    /// - Parameters:
    ///   - capture: catalog slots whose member values are kept, instant by instant (one `Double` per
    ///     member, slot and instant: what the archive stores for comparisons); the rest of a member's
    ///     history is never held.
    ///   - from: an earlier run's end state to continue (checked with ``RunEndState/check(_:)`` first):
    ///     members resume it instead of starting from the base year.
    public static func run(
        _ plan: ScenarioPlan, threads: Int = 1, memberOutput: Bool = false, capture: [Int] = [],
        from saved: RunEndState? = nil, progress: ((Int, Int) -> Void)? = nil
    ) throws -> EnsembleResult {
        let problem = plan.problem
        let count = plan.members
        let ticks = problem.clock.tickCount
        let workers = max(1, min(threads, count))
        // Members in parallel: each member's modules then work on one thread (no nested parallelism).
        let moduleThreads = workers > 1 ? 1 : max(1, threads)
        var members = try (0..<count).map { m in
            if let saved {
                try MemberRun(plan: plan, resuming: saved.members[m], keepsHistory: false, threads: moduleThreads)
            } else {
                try MemberRun(plan: plan, member: m, keepsHistory: false, threads: moduleThreads)
            }
        }
        var collector = ForecastCollector(plan: plan, memberOutput: memberOutput)
        var alerts = plan.alerts.map { AlertCounter(alert: $0, zones: problem.model.zones.map(\.id)) }
        var captured = MemberValues(slots: capture, members: count)
        collector.take(members, time: problem.clock.time(after: 0))
        captured.take(members.map(\.current), time: problem.clock.time(after: 0), plan: plan)

        for tick in 1...ticks {
            try step(&members, workers: workers)
            let time = problem.clock.time(after: tick)
            collector.take(members, time: time)
            captured.take(members.map(\.current), time: time, plan: plan)
            for index in alerts.indices {
                alerts[index].take(members, year: time - problem.scenario.tick.inYears, startYear: problem.scenario.startYear)
            }
            progress?(tick, ticks)
        }
        let table = ForecastTable(model: problem.model.name, scenario: problem.scenario.name, rows: collector.sortedRows())
        let levels = collector.levels.map { _ in
            ForecastTable(model: problem.model.name, scenario: problem.scenario.name, rows: collector.sortedLevelRows())
        }
        let events = members.map(\.events)
        let triggers = problem.scenario.interventions.compactMap { intervention -> TriggerSummary? in
            guard case .trigger = intervention.timing else { return nil }
            return TriggerSummary(intervention: intervention.name, events: events)
        }
        return EnsembleResult(
            table: table, alerts: alerts.map { $0.report(members: count) }, events: events.flatMap { $0 },
            triggers: triggers, members: captured, levels: levels, endState: RunEndState(plan: plan, members: members))
    }
}

/// Counts, per year, the members in which an alert's condition holds (city and zones), and the
/// members in which it has held at least once so far. A condition is evaluated after each tick, on that
/// tick's flows and the stocks at its end, and is labelled by the year the tick simulated (``YearLabel``).
private struct AlertCounter {
    let alert: CompiledAlert
    let zones: [String]
    var byYear: [(year: Double, count: Int, everCount: Int, zoneCounts: [Int])] = []
    /// Per member: has the city condition held in some year so far?
    var everHeld: [Bool] = []

    init(alert: CompiledAlert, zones: [String]) {
        self.alert = alert
        self.zones = zones
    }

    mutating func take(_ members: [MemberRun], year: Double, startYear: Int) {
        guard year < Double(startYear + alert.spec.withinYears) - 1e-9 else { return }
        if everHeld.isEmpty { everHeld = Array(repeating: false, count: members.count) }
        var count = 0
        var zoneCounts = [Int](repeating: 0, count: alert.spec.byZone ? zones.count : 0)
        for (m, member) in members.enumerated() {
            if alert.holds(current: member.current, previous: member.previous) {
                count += 1
                everHeld[m] = true
            }
            if alert.spec.byZone {
                for (zone, holds) in alert.holdsByZone(current: member.current, previous: member.previous).enumerated() where holds {
                    zoneCounts[zone] += 1
                }
            }
        }
        byYear.append((year, count, everHeld.filter { $0 }.count, zoneCounts))
    }

    func report(members: Int) -> AlertReport {
        let n = Double(members)
        let threshold = alert.spec.probabilityAtLeast
        let probabilities = byYear.map {
            AlertReport.YearProbability(year: $0.year, probability: Double($0.count) / n, cumulativeProbability: Double($0.everCount) / n)
        }
        let first = probabilities.first { $0.probability >= threshold }?.year
        var warnings: [AlertReport.ZoneWarning] = []
        if alert.spec.byZone {
            for (index, zone) in zones.enumerated() {
                let series = byYear.map { (year: $0.year, p: Double($0.zoneCounts[index]) / n) }
                if let firstYear = series.first(where: { $0.p >= threshold })?.year {
                    warnings.append(.init(zone: zone, firstYear: firstYear, maximumProbability: series.map(\.p).max() ?? 0))
                }
            }
        }
        return AlertReport(
            name: alert.spec.name, condition: alert.spec.condition.text, withinYears: alert.spec.withinYears,
            probabilityAtLeast: threshold, members: members, probabilityByYear: probabilities,
            probabilityWithin: probabilities.last?.cumulativeProbability ?? 0, firstYear: first, zones: warnings)
    }
}
