import Foundation
public import Scenario

/// How an ensemble's members are computed: all in this process (``LocalEnsemble``, the lockstep
/// ``EnsembleRunner``), or dealt over the ranks of an MPI job (``DistributedEnsemble``). Every
/// implementation gives the same ``EnsembleResult`` for the same plan, bit for bit.
public protocol EnsembleExecution {
    /// - Parameter saved: an earlier run's end state to continue (`--from`), or nil.
    func run(
        _ plan: ScenarioPlan, threads: Int, memberOutput: Bool, capture: [Int], from saved: RunEndState?,
        progress: ((Int, Int) -> Void)?
    ) throws -> EnsembleResult
}

/// The members in this process, in lockstep (``EnsembleRunner/run(_:threads:memberOutput:capture:progress:)``).
public struct LocalEnsemble: EnsembleExecution {
    public init() {}

    public func run(
        _ plan: ScenarioPlan, threads: Int, memberOutput: Bool, capture: [Int], from saved: RunEndState?,
        progress: ((Int, Int) -> Void)?
    ) throws -> EnsembleResult {
        try EnsembleRunner.run(plan, threads: threads, memberOutput: memberOutput, capture: capture, from: saved, progress: progress)
    }
}

/// How a distributed run went: each rank's busy share, the bytes rank 0 received, and where the time went.
public struct LoadBalance: Sendable, Equatable {
    /// By rank, 0 … 1: the share of its threads' time spent computing members (or model runs) while the
    /// dealing lasted.
    public let busy: [Double]
    /// By rank: how many members (or model runs) it computed.
    public let counts: [Int]
    /// Bytes rank 0 received from the other ranks (requests, results, gathered instants).
    public let receivedBytes: Int
    /// Seconds the dealing took (every member or model run computed).
    public let dealSeconds: Double
    /// Seconds rank 0 then spent gathering the instants and taking the statistics (0 for model runs).
    public let gatherSeconds: Double

    public init(busy: [Double], counts: [Int], receivedBytes: Int, dealSeconds: Double, gatherSeconds: Double = 0) {
        self.busy = busy
        self.counts = counts
        self.receivedBytes = receivedBytes
        self.dealSeconds = dealSeconds
        self.gatherSeconds = gatherSeconds
    }

    /// The least busy rank's share over the busiest's (1: perfectly balanced).
    public var ratio: Double {
        guard let most = busy.max(), most > 0 else { return 1 }
        return (busy.min() ?? 0) / most
    }

    /// "3 ranks computed 70, 65, 65 and were busy 97 %, 99 %, 95 % of their time (least over most 0.96);
    /// dealt in 3.10 s, gathered in 0.40 s; rank 0 received 1.2 MB".
    public var summary: String {
        let shares = busy.map { String(format: "%.0f %%", $0 * 100) }.joined(separator: ", ")
        let gathered = gatherSeconds > 0 ? String(format: ", gathered in %.2f s", gatherSeconds) : ""
        return "\(busy.count) ranks computed \(counts.map(String.init).joined(separator: ", ")) and were busy \(shares) "
            + "of their time (least over most \(String(format: "%.2f", ratio))); "
            + String(format: "dealt in %.2f s", dealSeconds) + gathered
            + "; rank 0 received \(String(format: "%.1f", Double(receivedBytes) / 1e6)) MB"
    }
}

extension EnsembleExecution {
    /// A run from the base year (nothing to continue).
    public func run(
        _ plan: ScenarioPlan, threads: Int, memberOutput: Bool, capture: [Int], progress: ((Int, Int) -> Void)?
    ) throws -> EnsembleResult {
        try run(plan, threads: threads, memberOutput: memberOutput, capture: capture, from: nil, progress: progress)
    }
}
