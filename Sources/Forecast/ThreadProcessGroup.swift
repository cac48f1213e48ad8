import Foundation

/// Ranks as threads of one process, with in-memory mailboxes: the distributed protocols run and checked
/// (byte-identity, failures) without MPI. `ThreadProcessGroup.run(size:_:)` starts one thread per rank.
public final class ThreadProcessGroup: ProcessGroup, @unchecked Sendable {
    public let rank: Int
    public let size: Int
    private let post: PostOffice

    private init(rank: Int, size: Int, post: PostOffice) {
        self.rank = rank
        self.size = size
        self.post = post
    }

    /// Runs `body` once per rank, each on its own thread, and returns their results in rank order.
    public static func run<T: Sendable>(size: Int, _ body: @escaping @Sendable (ThreadProcessGroup) -> T) -> [T] {
        precondition(size >= 1, "a process group has at least one rank")
        let post = PostOffice(size: size)
        let results = ResultBox<T>(count: size)
        let done = DispatchGroup()
        for rank in 0..<size {
            done.enter()
            let group = ThreadProcessGroup(rank: rank, size: size, post: post)
            let thread = Thread {
                results.set(rank, body(group))
                done.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        done.wait()
        return results.values
    }

    public func send(_ bytes: [UInt8], to destination: Int, tag: Int32) throws {
        precondition((0..<size).contains(destination), "no rank \(destination) in a group of \(size)")
        post.deliver(Letter(source: rank, tag: tag, bytes: bytes), to: destination)
    }

    public func receive(from source: Int?, tag: Int32) throws -> (source: Int, bytes: [UInt8]) {
        let letter = post.collect(for: rank, from: source, tag: tag)
        return (letter.source, letter.bytes)
    }
}

private struct Letter {
    let source: Int
    let tag: Int32
    let bytes: [UInt8]
}

/// Every rank's queue of undelivered messages, in arrival order.
private final class PostOffice: @unchecked Sendable {
    private var boxes: [[Letter]]
    private let condition = NSCondition()

    init(size: Int) { boxes = Array(repeating: [], count: size) }

    func deliver(_ letter: Letter, to rank: Int) {
        condition.lock()
        boxes[rank].append(letter)
        condition.broadcast()
        condition.unlock()
    }

    func collect(for rank: Int, from source: Int?, tag: Int32) -> Letter {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let index = boxes[rank].firstIndex(where: { $0.tag == tag && (source == nil || $0.source == source) }) {
                return boxes[rank].remove(at: index)
            }
            condition.wait()
        }
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }

    var values: [T] { lock.withLock { slots.map { $0! } } }
}
