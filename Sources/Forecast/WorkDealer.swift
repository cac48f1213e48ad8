import Dispatch
import Foundation

/// Deals the indices 0 ..< count (ensemble members, model evaluations) over the ranks of a process group,
/// dynamically: each rank asks the root for a chunk as soon as its previous chunk is done, so a rank with
/// slow members (traffic assignment in some years, triggered interventions) simply takes fewer of them.
/// A worker's chunk is as large as its thread count (one index per thread); the root computes its own
/// share on its threads, one index at a time, while its main thread answers the requests.
///
/// `compute(i)` returns what rank 0 needs of index i (model outputs), or nothing when the result stays on
/// the rank that computed it (an ensemble member's trace, gathered later instant by instant). Which index
/// went to which rank depends on timing; what is computed for an index does not, so callers that put the
/// results back in index order get the same output for any number of ranks and threads.
///
/// Failure: the first index that throws stops the dealing; the other ranks finish the chunk in hand and
/// get no more, and the root throws a ``RankFailure`` naming the rank and the index.
public struct WorkDealer {
    public let group: any ProcessGroup
    /// Threads this rank computes on.
    public let threads: Int

    public init(group: any ProcessGroup, threads: Int) {
        self.group = group
        self.threads = max(1, threads)
    }

    /// What the dealing gave the root.
    public struct Outcome: Sendable {
        /// For each index, the rank that computed it.
        public var holders: [Int]
        /// For each index, what `compute` returned for the root (empty where the result stayed on its rank).
        public var results: [[Double]]
        /// For each rank, how many indices it computed.
        public var counts: [Int] { (0..<busy.count).map { rank in holders.filter { $0 == rank }.count } }
        /// For each rank, the share of its threads' time spent computing while the dealing lasted (0 … 1).
        public var busy: [Double]
        /// The first failure, if any.
        public var failure: RankFailure?
        /// Bytes of the requests (with their results) the root received.
        public var receivedBytes: Int
        /// Seconds from the first index dealt to the last result.
        public var seconds: Double
    }

    /// Root (rank 0): deals `count` indices, computing its own share, and returns when every rank is done.
    /// - Parameter label: how an index is named in a failure ("member", "model run").
    public func deal(count: Int, label: String, compute: @escaping @Sendable (Int) throws -> [Double]) throws -> Outcome {
        precondition(group.rank == 0, "only the root deals")
        let counter = DealCounter(count: count)
        let started = DispatchTime.now().uptimeNanoseconds
        let local = LocalShare(count: count)
        let finished = DispatchGroup()
        finished.enter()
        let threads = self.threads
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let index = counter.take(1)?.lowerBound {
                    let start = DispatchTime.now().uptimeNanoseconds
                    do {
                        local.store(index, try compute(index))
                    } catch {
                        counter.stop()
                        local.fail(RankFailure(rank: 0, message: "\(label) \(index): \(error)"))
                    }
                    local.addBusy(DispatchTime.now().uptimeNanoseconds - start)
                }
            }
            finished.leave()
        }
        var outcome = Outcome(
            holders: Array(repeating: 0, count: count), results: Array(repeating: [], count: count),
            busy: Array(repeating: 0, count: group.size), failure: nil, receivedBytes: 0, seconds: 0)
        var busyNanoseconds = [UInt64](repeating: 0, count: group.size)
        var workerThreads = [Int](repeating: 1, count: group.size)
        var active = group.size - 1
        var remoteFailure: RankFailure?
        while active > 0 {
            let (source, bytes) = try group.receive(from: nil, tag: ProcessGroupTag.request)
            outcome.receivedBytes += bytes.count
            let report = try ChunkReport(WireMessage(bytes: bytes))
            workerThreads[source] = report.threads
            busyNanoseconds[source] = report.busyNanoseconds
            for (offset, index) in (report.start..<report.end).enumerated() {
                outcome.holders[index] = source
                outcome.results[index] = report.results[offset]
            }
            if let message = report.failure {
                counter.stop()
                if remoteFailure == nil { remoteFailure = RankFailure(rank: source, message: message) }
            }
            let chunk = counter.take(report.threads) ?? count..<count
            if chunk.isEmpty { active -= 1 }
            try group.send(WireMessage(integers: [chunk.lowerBound, chunk.upperBound]), to: source, tag: ProcessGroupTag.chunk)
        }
        finished.wait()
        let elapsed = Double(max(DispatchTime.now().uptimeNanoseconds - started, 1))
        outcome.seconds = elapsed / 1e9
        for (index, result) in local.results { outcome.results[index] = result }
        busyNanoseconds[0] = local.busyNanoseconds
        workerThreads[0] = threads
        outcome.busy = zip(busyNanoseconds, workerThreads).map { min(1, Double($0) / (elapsed * Double($1))) }
        outcome.failure = local.failure ?? remoteFailure
        return outcome
    }

    /// A worker (rank > 0): asks for chunks and computes them until the root has no more.
    /// - Returns: the indices this rank computed, ascending.
    @discardableResult
    public func work(label: String, compute: @escaping @Sendable (Int) throws -> [Double]) throws -> [Int] {
        precondition(group.rank > 0, "the root deals; workers work")
        var report = ChunkReport(threads: threads)
        var computed: [Int] = []
        var busy: UInt64 = 0
        while true {
            try group.send(report.message, to: 0, tag: ProcessGroupTag.request)
            let (_, reply) = try group.receiveMessage(from: 0, tag: ProcessGroupTag.chunk)
            guard reply.integers.count == 2 else { throw WireMessageError(byteCount: reply.integers.count * 8) }
            let chunk = reply.integers[0]..<reply.integers[1]
            if chunk.isEmpty { return computed }
            let share = LocalShare(count: chunk.count)
            let lanes = min(threads, chunk.count)
            let next = DealCounter(count: chunk.count)
            DispatchQueue.concurrentPerform(iterations: lanes) { _ in
                while let offset = next.take(1)?.lowerBound {
                    let start = DispatchTime.now().uptimeNanoseconds
                    do {
                        share.store(offset, try compute(chunk.lowerBound + offset))
                    } catch {
                        next.stop()
                        share.fail(RankFailure(rank: 0, message: "\(label) \(chunk.lowerBound + offset): \(error)"))
                    }
                    share.addBusy(DispatchTime.now().uptimeNanoseconds - start)
                }
            }
            busy += share.busyNanoseconds
            computed += chunk
            let results = share.results
            report = ChunkReport(
                threads: threads, start: chunk.lowerBound, end: chunk.upperBound, busyNanoseconds: busy,
                results: (0..<chunk.count).map { results[$0] ?? [] }, failure: share.failure?.message)
        }
    }
}

extension WorkDealer {
    /// A worker that cannot take part (its inputs could not be read): reports `message` as its failure
    /// instead of asking for work, and takes the root's "no more".
    public func refuse(_ message: String) throws {
        try group.send(ChunkReport(threads: threads, failure: message).message, to: 0, tag: ProcessGroupTag.request)
        _ = try group.receiveMessage(from: 0, tag: ProcessGroupTag.chunk)
    }
}

/// A worker's request: the chunk it finished (with the results for the root), its threads, its busy
/// time so far, and a failure if one of the chunk's indices threw.
private struct ChunkReport {
    var threads: Int
    var start = 0
    var end = 0
    var busyNanoseconds: UInt64 = 0
    var results: [[Double]] = []
    var failure: String?

    init(
        threads: Int, start: Int = 0, end: Int = 0, busyNanoseconds: UInt64 = 0, results: [[Double]] = [],
        failure: String? = nil
    ) {
        self.threads = threads
        self.start = start
        self.end = end
        self.busyNanoseconds = busyNanoseconds
        self.results = results
        self.failure = failure
    }

    /// integers: [failed (0/1), threads, start, end, busy ns, result lengths…]; doubles: the results; text: the failure.
    var message: WireMessage {
        WireMessage(
            integers: [failure == nil ? 0 : 1, threads, start, end, Int(busyNanoseconds)] + results.map(\.count),
            doubles: results.flatMap { $0 }, text: failure ?? "")
    }

    init(_ message: WireMessage) throws {
        let integers = message.integers
        guard integers.count >= 5, integers[3] >= integers[2], integers.count == 5 + integers[3] - integers[2] else {
            throw WireMessageError(byteCount: integers.count * 8)
        }
        threads = max(1, integers[1])
        start = integers[2]
        end = integers[3]
        busyNanoseconds = UInt64(max(0, integers[4]))
        var offset = 0
        results = integers[5...].map { length in
            defer { offset += length }
            return Array(message.doubles[offset..<(offset + length)])
        }
        failure = integers[0] == 1 ? message.text : nil
    }
}

/// The next undealt index, shared by the threads that take from it.
private final class DealCounter: @unchecked Sendable {
    private var next = 0
    private let count: Int
    private let lock = NSLock()

    init(count: Int) { self.count = count }

    /// Up to `size` indices, or nil when none are left or the dealing stopped.
    func take(_ size: Int) -> Range<Int>? {
        lock.withLock {
            guard next < count else { return nil }
            let range = next..<min(count, next + size)
            next = range.upperBound
            return range
        }
    }

    func stop() { lock.withLock { next = count } }
}

/// What one rank's threads computed: results by index, busy time, the first failure.
private final class LocalShare: @unchecked Sendable {
    private var stored: [Int: [Double]] = [:]
    private var busy: UInt64 = 0
    private var firstFailure: RankFailure?
    private let lock = NSLock()

    init(count: Int) { stored.reserveCapacity(count) }

    func store(_ index: Int, _ result: [Double]) { lock.withLock { stored[index] = result } }
    func addBusy(_ nanoseconds: UInt64) { lock.withLock { busy += nanoseconds } }
    func fail(_ failure: RankFailure) { lock.withLock { if firstFailure == nil { firstFailure = failure } } }

    var results: [Int: [Double]] { lock.withLock { stored } }
    var busyNanoseconds: UInt64 { lock.withLock { busy } }
    var failure: RankFailure? { lock.withLock { firstFailure } }
}
