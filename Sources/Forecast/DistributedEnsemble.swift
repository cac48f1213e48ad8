import CityTwinCore
import Dispatch
import Foundation
public import Scenario

/// An ensemble dealt over the ranks of a process group (an MPI job), with the same result as
/// ``EnsembleRunner`` in one process, bit for bit, for any number of ranks and threads.
///
/// 1. Members are dealt dynamically (``WorkDealer``): a rank runs each member it is given from the first tick
///    to the last and keeps its indicator vector at every instant. Each member draws only from its own
///    keyed streams, so what a member computes does not depend on where or when it runs.
/// 2. The root then gathers the ensemble instant by instant: for each instant it asks every rank for its
///    members' vectors, puts them in member order and hands them to the same ``EnsembleAccumulator`` the
///    single-process runner uses (mean summed in member order, exact quantiles of the sorted values).
///
/// Why not a mergeable summary per rank: the mean could be merged, but the exact quantiles p5 … p95 of an
/// instant need every member's value at that instant (exact quantiles cannot be computed from bounded
/// summaries — Munro & Paterson, Theor. Comput. Sci. 12, 1980), and a sketch (t-digest, KLL) would change the
/// figures. What is merged instead is the instant: the root holds two instants of every member's vector (as
/// the single-process runner does), and each rank holds the histories of its own members only, freed
/// instant by instant as they are sent. Intervention events (a few a member) are gathered whole.
public struct DistributedEnsemble: EnsembleExecution {
    public let group: any ProcessGroup

    public init(group: any ProcessGroup) { self.group = group }

    /// The root's side (rank 0): orders the workers to join, deals, gathers; returns the result with the
    /// ranks' busy shares. Throws the first ``RankFailure``, after telling the workers to finish.
    public func run(
        _ plan: ScenarioPlan, threads: Int, memberOutput: Bool, capture: [Int], from saved: RunEndState?,
        progress: ((Int, Int) -> Void)?
    ) throws -> EnsembleResult {
        guard saved == nil else { throw DistributedRunError.continuationNotDistributed }
        let group = self.group
        try WorkerOrder.ensemble.send(to: group)
        let traces = TraceStore()
        let outcome = try WorkDealer(group: group, threads: threads).deal(count: plan.members, label: "member") { member in
            traces.store(member, try MemberTrace(plan: plan, member: member))
            return []
        }
        if let failure = outcome.failure {
            try WorkerOrder.abandon.send(to: group, text: failure.description)
            throw failure
        }
        try WorkerOrder.gather.send(to: group)
        var membersOf = [[Int]](repeating: [], count: group.size)
        for (member, rank) in outcome.holders.enumerated() { membersOf[rank].append(member) }
        let slots = plan.indicators.count
        let ticks = plan.problem.clock.tickCount
        var statistics = EnsembleAccumulator(plan: plan, memberOutput: memberOutput, capture: capture)
        var previous: [[Double]] = []
        var receivedBytes = outcome.receivedBytes
        let gatherStarted = Date()
        for tick in 0...ticks {
            try WorkerOrder.instant.send(to: group, arguments: [tick])
            var current = [[Double]](repeating: [], count: plan.members)
            for member in membersOf[0] { current[member] = traces.take(member, instant: tick) }
            for rank in 1..<group.size {
                let (_, bytes) = try group.receive(from: rank, tag: ProcessGroupTag.gather)
                receivedBytes += bytes.count
                let message = try WireMessage(bytes: bytes)
                guard message.doubles.count == membersOf[rank].count * slots else {
                    throw RankFailure(
                        rank: rank,
                        message: "sent \(message.doubles.count) values for instant \(tick), not \(membersOf[rank].count * slots)")
                }
                for (k, member) in membersOf[rank].enumerated() {
                    current[member] = Array(message.doubles[(k * slots)..<((k + 1) * slots)])
                }
            }
            statistics.take(current: current, previous: tick == 0 ? current : previous, tick: tick)
            previous = current
            if tick > 0 { progress?(tick, ticks) }
        }
        // Every member's intervention events, from the rank that ran it (a few a member).
        var events = [[InterventionEvent]](repeating: [], count: plan.members)
        for member in membersOf[0] { events[member] = traces.events(of: member) }
        for rank in 1..<group.size {
            let (_, bytes) = try group.receive(from: rank, tag: ProcessGroupTag.gather)
            receivedBytes += bytes.count
            for event in MemberTrace.decodeEvents(try WireMessage(bytes: bytes)) { events[event.member].append(event) }
        }
        var result = statistics.result(events: events, endState: nil)
        result.balance = LoadBalance(
            busy: outcome.busy, counts: outcome.counts, receivedBytes: receivedBytes, dealSeconds: outcome.seconds,
            gatherSeconds: Date().timeIntervalSince(gatherStarted))
        return result
    }

    /// A worker's side of one ensemble: makes the plan (a failure to make it — input files not visible on
    /// this node — is reported to the root as this rank's failure), runs the members it is dealt, then sends
    /// them instant by instant when the root asks. Returns when the root has everything or abandons the run.
    public static func work(group: any ProcessGroup, threads: Int, plan makePlan: () throws -> ScenarioPlan) throws {
        let plan: ScenarioPlan
        do {
            plan = try makePlan()
        } catch {
            try WorkDealer(group: group, threads: threads).refuse("\(error)")
            _ = try WorkerOrder.next(from: group)  // abandon
            return
        }
        let traces = TraceStore()
        let mine = try WorkDealer(group: group, threads: threads).work(label: "member") { member in
            traces.store(member, try MemberTrace(plan: plan, member: member))
            return []
        }
        let (order, _, _, _) = try WorkerOrder.next(from: group)
        guard order == .gather else { return }  // abandoned: another rank failed
        for _ in 0...plan.problem.clock.tickCount {
            let (instantOrder, arguments, _, _) = try WorkerOrder.next(from: group)
            guard instantOrder == .instant, let tick = arguments.first else { throw WireMessageError(byteCount: 0) }
            var values: [Double] = []
            values.reserveCapacity(mine.count * plan.indicators.count)
            for member in mine { values += traces.take(member, instant: tick) }
            try group.send(WireMessage(doubles: values), to: 0, tag: ProcessGroupTag.gather)
        }
        let events = mine.flatMap { traces.events(of: $0) }
        try group.send(MemberTrace.encodeEvents(events), to: 0, tag: ProcessGroupTag.gather)
    }
}

/// One member run from the first tick to the last: its indicator vector at every instant and its
/// intervention events.
struct MemberTrace: Sendable {
    var vectors: [[Double]]
    let events: [InterventionEvent]

    init(plan: ScenarioPlan, member index: Int) throws {
        var member = try MemberRun(plan: plan, member: index, keepsHistory: false, threads: 1)
        let ticks = plan.problem.clock.tickCount
        var vectors = [member.current]
        vectors.reserveCapacity(ticks + 1)
        for _ in 0..<ticks {
            try member.step()
            vectors.append(member.current)
        }
        self.vectors = vectors
        events = member.events
    }

    /// Events as a message: integers the members, doubles the years (bit for bit), text one line per event
    /// (intervention and action, separated by U+001F).
    static func encodeEvents(_ events: [InterventionEvent]) -> WireMessage {
        WireMessage(
            integers: events.map(\.member), doubles: events.map(\.year),
            text: events.map { "\($0.intervention)\u{1F}\($0.action)" }.joined(separator: "\n"))
    }

    static func decodeEvents(_ message: WireMessage) -> [InterventionEvent] {
        guard !message.integers.isEmpty else { return [] }
        let lines = message.text.split(separator: "\n", omittingEmptySubsequences: false)
        return zip(zip(message.integers, message.doubles), lines).map { memberYear, line in
            let parts = line.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return InterventionEvent(
                member: memberYear.0, year: memberYear.1, intervention: parts[0], action: parts.count > 1 ? parts[1] : "")
        }
    }
}

/// The traces of the members one rank ran, filled from its threads and emptied instant by instant.
private final class TraceStore: @unchecked Sendable {
    private var traces: [Int: MemberTrace] = [:]
    private let lock = NSLock()

    func store(_ member: Int, _ trace: MemberTrace) { lock.withLock { traces[member] = trace } }

    /// A member's vector at `instant`, released from the store.
    func take(_ member: Int, instant: Int) -> [Double] {
        lock.withLock {
            let vector = traces[member]!.vectors[instant]
            traces[member]!.vectors[instant] = []
            return vector
        }
    }

    func events(of member: Int) -> [InterventionEvent] {
        lock.withLock { traces[member]?.events ?? [] }
    }
}

/// What a run dealt over processes cannot do.
public enum DistributedRunError: Error, CustomStringConvertible {
    /// `--from` continues members whose saved states one process reads; a distributed run does not save or
    /// continue end states.
    case continuationNotDistributed

    public var description: String {
        switch self {
        case .continuationNotDistributed:
            "continuing a run (--from) runs in one process: start citytwin without mpirun to continue this run"
        }
    }
}
