import Dispatch

/// Evaluates `body(i)` for i in 0..<count on up to `threads` threads and returns the results in index order.
///
/// The result for index i is `body(i)` whatever the thread count, so callers get identical output at any
/// number of threads provided `body` itself depends only on its index (give each index its own seeded
/// generator, never a shared one). Work is split into `threads` contiguous chunks.
/// - Complexity: `count` calls of `body`.
func parallelMap<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    precondition(count >= 0 && threads >= 1, "parallelMap: count must be ≥ 0 and threads ≥ 1")
    if threads == 1 || count < 2 { return (0..<count).map(body) }
    let slots = ResultSlots<T>(count: count)
    let chunks = min(threads, count)
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let lower = chunk * count / chunks
        let upper = (chunk + 1) * count / chunks
        for i in lower..<upper { slots.store(body(i), at: i) }
    }
    return slots.collect()
}

/// Write-once result slots that threads fill at disjoint indices (hence `@unchecked Sendable`).
private final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        buffer = UnsafeMutablePointer<T?>.allocate(capacity: count)
        buffer.initialize(repeating: nil, count: count)
    }

    deinit {
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }

    func store(_ value: T, at index: Int) { buffer[index] = value }

    func collect() -> [T] { (0..<count).map { buffer[$0]! } }
}
