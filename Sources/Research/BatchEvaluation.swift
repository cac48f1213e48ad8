public import Forecast

/// Where a batch of model runs at known parameter points is evaluated: on this process's threads
/// (``LocalBatchEvaluation``) or dealt over the ranks of an MPI job (``DistributedEvaluation``). Either way
/// the outputs come back in point order, and each is the model's value at its point, so a study's result
/// does not depend on where its runs were made.
public protocol BatchEvaluation: Sendable {
    /// `model` at every point, in point order; `model` is used for the runs made in this process.
    func evaluate(_ points: [[Double]], threads: Int, model: @escaping @Sendable ([Double]) -> [Double]) throws -> [[Double]]
}

/// The runs on this process's threads.
public struct LocalBatchEvaluation: BatchEvaluation {
    public init() {}

    public func evaluate(_ points: [[Double]], threads: Int, model: @escaping @Sendable ([Double]) -> [Double]) -> [[Double]] {
        parallelEvaluate(count: points.count, threads: threads) { model(points[$0]) }
    }
}

/// The runs dealt over a process group's ranks dynamically (``WorkDealer``); the root (rank 0) calls
/// ``evaluate(_:threads:model:)`` and every other rank serves in ``serve(group:threads:model:)`` with the
/// same model, made from the same study file.
///
/// The points travel with the order (d doubles each); each run's outputs come back with the request for
/// more work. A rank that cannot make the model (its study file not readable) fails the command, naming it.
public struct DistributedEvaluation: BatchEvaluation {
    public let group: any ProcessGroup

    public init(group: any ProcessGroup) { self.group = group }

    public func evaluate(_ points: [[Double]], threads: Int, model: @escaping @Sendable ([Double]) -> [Double]) throws -> [[Double]] {
        let dimension = points.first?.count ?? 0
        try WorkerOrder.evaluate.send(to: group, arguments: [points.count, dimension], doubles: points.flatMap { $0 })
        let outcome = try WorkDealer(group: group, threads: threads).deal(count: points.count, label: "model run") { index in
            model(points[index])
        }
        if let failure = outcome.failure { throw failure }
        lastBalance.set(
            LoadBalance(busy: outcome.busy, counts: outcome.counts, receivedBytes: outcome.receivedBytes, dealSeconds: outcome.seconds))
        return outcome.results
    }

    /// The busy shares of the latest batch.
    public var balance: LoadBalance? { lastBalance.value }
    private let lastBalance = BalanceBox()

    /// A worker's handler for ``WorkerOrder/evaluate``: unpacks the points and computes the runs it is dealt.
    /// - Parameter model: made once, on the first batch; a failure to make it is reported as this rank's failure.
    public static func serve(
        group: any ProcessGroup, threads: Int, arguments: [Int], doubles: [Double],
        model: () throws -> @Sendable ([Double]) -> [Double]
    ) throws {
        let dealer = WorkDealer(group: group, threads: threads)
        let function: @Sendable ([Double]) -> [Double]
        do {
            function = try model()
        } catch {
            try dealer.refuse("\(error)")
            return
        }
        let (count, dimension) = (arguments[0], arguments[1])
        let points = (0..<count).map { Array(doubles[($0 * dimension)..<(($0 + 1) * dimension)]) }
        try dealer.work(label: "model run") { function(points[$0]) }
    }
}

private final class BalanceBox: @unchecked Sendable {
    private var stored: LoadBalance?
    private let lock = NSLockLike()
    func set(_ balance: LoadBalance) { lock.withLock { stored = balance } }
    var value: LoadBalance? { lock.withLock { stored } }
}
