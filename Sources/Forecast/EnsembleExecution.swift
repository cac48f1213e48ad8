import Foundation
public import Scenario

/// How an ensemble's members are computed: all in this process (``LocalEnsemble``, the lockstep
/// ``EnsembleRunner``), or dealt over the ranks of an MPI job (``DistributedEnsemble``). Every
/// implementation gives the same ``EnsembleResult`` for the same plan, bit for bit.
public protocol EnsembleExecution {
    func run(
        _ plan: ScenarioPlan, threads: Int, memberOutput: Bool, capture: [Int], progress: ((Int, Int) -> Void)?
    ) throws -> EnsembleResult
}

/// The members in this process, in lockstep (``EnsembleRunner/run(_:threads:memberOutput:capture:progress:)``).
public struct LocalEnsemble: EnsembleExecution {
    public init() {}

    public func run(
        _ plan: ScenarioPlan, threads: Int, memberOutput: Bool, capture: [Int], progress: ((Int, Int) -> Void)?
    ) throws -> EnsembleResult {
        try EnsembleRunner.run(plan, threads: threads, memberOutput: memberOutput, capture: capture, progress: progress)
    }
}

/// The ranks' busy shares in a distributed run: for each rank, the share of its threads' time spent
/// computing members (or model runs) while the dealing lasted.
public struct LoadBalance: Sendable, Equatable {
    /// By rank, 0 … 1.
    public let busy: [Double]
    /// Bytes rank 0 received from the other ranks (requests, results, gathered instants).
    public let receivedBytes: Int

    public init(busy: [Double], receivedBytes: Int) {
        self.busy = busy
        self.receivedBytes = receivedBytes
    }

    /// The least busy rank's share over the busiest's (1: perfectly balanced).
    public var ratio: Double {
        guard let most = busy.max(), most > 0 else { return 1 }
        return (busy.min() ?? 0) / most
    }

    /// "3 ranks busy 97 %, 99 %, 95 % of their time (least over most 0.96); rank 0 received 1.2 MB".
    public var summary: String {
        let shares = busy.map { String(format: "%.0f %%", $0 * 100) }.joined(separator: ", ")
        return "\(busy.count) ranks busy \(shares) of their time (least over most \(String(format: "%.2f", ratio))); "
            + "rank 0 received \(String(format: "%.1f", Double(receivedBytes) / 1e6)) MB"
    }
}
