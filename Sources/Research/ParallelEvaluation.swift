import Dispatch

/// Evaluates `body(i)` for i in 0..<count on up to `threads` threads, results in index order: the output
/// is the same for any thread count when `body` depends only on its index.
/// - Complexity: `count` calls of `body`.
func parallelEvaluate<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    if threads <= 1 || count < 2 { return (0..<count).map(body) }
    let slots = Slots<T>(count: count)
    let chunks = min(threads, count)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        for i in stride(from: chunk, to: count, by: chunks) { slots.store(body(i), at: i) }
    }
    return slots.collect()
}

/// Write-once slots filled at disjoint indices by different threads.
private final class Slots<T>: @unchecked Sendable {
    private var values: [T?]
    private let lock = NSLockLike()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func store(_ value: T, at index: Int) { lock.withLock { values[index] = value } }

    func collect() -> [T] { lock.withLock { values.map { $0! } } }
}

/// A mutual-exclusion lock on Dispatch (no Foundation needed).
final class NSLockLike: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 1)

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        semaphore.wait()
        defer { semaphore.signal() }
        return try body()
    }
}

/// Remembers each input's outputs, so that several scalar analyses of one multi-output model (a Sobol
/// analysis per indicator) run the model once per point. Thread-safe.
final class OutputCache: @unchecked Sendable {
    private var values: [[Double]: [Double]] = [:]
    private let lock = NSLockLike()

    func outputs(_ x: [Double], _ compute: () -> [Double]) -> [Double] {
        if let hit = lock.withLock({ values[x] }) { return hit }
        let computed = compute()
        lock.withLock { values[x] = computed }
        return computed
    }

    /// Remembers the outputs at `x`, computed elsewhere (another thread, another rank).
    func store(_ x: [Double], _ outputs: [Double]) { lock.withLock { values[x] = outputs } }

    var count: Int { lock.withLock { values.count } }

    /// Every remembered output vector (in no particular order).
    var allOutputs: [[Double]] { lock.withLock { Array(values.values) } }
}
