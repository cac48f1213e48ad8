import Dispatch
import Foundation

/// Work split over threads so that results never depend on the thread count.
///
/// `forEach(count, threads:)` runs `body(i)` for every item i in 0..<count on up to `threads` workers of
/// `DispatchQueue.concurrentPerform`; worker w takes items w, w + T, w + 2T, … (static round robin). Callers give each
/// item its own output slot and combine the slots afterwards in item order, so floating-point sums are the same
/// whatever T is.
enum Parallel {
    /// Cores available to this process: the default thread count.
    static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        forEach(count, threads: threads) { _, i in body(i) }
    }

    /// The workers `forEach(count, threads:)` will use: min(threads, count), at least 1.
    static func workers(_ count: Int, threads: Int) -> Int { max(1, min(threads, count)) }

    /// As ``forEach(_:threads:_:)``, also passing the worker index w ∈ 0..<workers(count, threads:), so that each
    /// worker can use its own scratch space. Results must not depend on which worker ran an item.
    static func forEach(_ count: Int, threads: Int, _ body: (_ worker: Int, _ item: Int) -> Void) {
        let workers = workers(count, threads: threads)
        if workers <= 1 {
            for i in 0..<count { body(0, i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < count {
                    shared.value(w, i)
                    i += workers
                }
            }
        }
    }
}

/// A value handed across threads where the caller guarantees that every thread touches disjoint parts.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
