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
    /// For a run dealt over processes: each rank's busy share (``LoadBalance``); nil for one process.
    public var balance: LoadBalance?
    /// Every member's state at the end, which a later run may continue (`end-state.json`); nil for a run
    /// dealt over processes, whose members' states stay on their ranks.
    public let endState: RunEndState?
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
        var statistics = EnsembleAccumulator(plan: plan, memberOutput: memberOutput, capture: capture)
        statistics.take(current: members.map(\.current), previous: members.map(\.previous), tick: 0)
        for tick in 1...ticks {
            try step(&members, workers: workers)
            statistics.take(current: members.map(\.current), previous: members.map(\.previous), tick: tick)
            progress?(tick, ticks)
        }
        return statistics.result(events: members.map(\.events), endState: RunEndState(plan: plan, members: members))
    }
}
