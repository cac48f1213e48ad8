/// What the root tells the workers, on ``ProcessGroupTag/order``: each worker waits for orders in a loop
/// (``WorkerOrder/next(from:)``) until `finish`.
public enum WorkerOrder: Int, Sendable {
    /// The command is over: leave the loop (with the failure's text when the run failed).
    case finish = 0
    /// Take part in an ensemble (``DistributedEnsemble/work(group:threads:plan:)``).
    case ensemble = 1
    /// Take part in a batch of model evaluations (Research's `DistributedEvaluation`).
    case evaluate = 2
    /// Ensemble members are all computed: send the gathered instants.
    case gather = 3
    /// Ensemble: send instant `integers[1]`.
    case instant = 4
    /// Ensemble: a rank failed; drop the members computed and wait for the next order.
    case abandon = 5

    /// Sends this order to every worker.
    public func send(to group: any ProcessGroup, arguments: [Int] = [], doubles: [Double] = [], text: String = "") throws {
        guard group.size > 1 else { return }
        let bytes = WireMessage(integers: [rawValue] + arguments, doubles: doubles, text: text).bytes
        for rank in 1..<group.size { try group.send(bytes, to: rank, tag: ProcessGroupTag.order) }
    }

    /// A worker: waits for the root's next order; returns it with its arguments, values and text.
    public static func next(
        from group: any ProcessGroup
    ) throws -> (order: WorkerOrder, arguments: [Int], doubles: [Double], text: String) {
        let (_, message) = try group.receiveMessage(from: 0, tag: ProcessGroupTag.order)
        guard let first = message.integers.first, let order = WorkerOrder(rawValue: first) else {
            throw WireMessageError(byteCount: message.bytes.count)
        }
        return (order, Array(message.integers.dropFirst()), message.doubles, message.text)
    }
}

/// A worker's side of a distributed command: waits for the root's orders and runs the handler of each,
/// until `finish`.
public enum WorkerLoop {
    /// - Parameter handlers: what to do on each order (``WorkerOrder/ensemble``, ``WorkerOrder/evaluate``);
    ///   a handler receives the order's arguments, values and text.
    /// - Returns: the failure the root finished with, or nil when the command succeeded.
    public static func serve(
        group: any ProcessGroup, handlers: [WorkerOrder: ([Int], [Double], String) throws -> Void]
    ) throws -> String? {
        while true {
            let (order, arguments, doubles, text) = try WorkerOrder.next(from: group)
            if order == .finish { return text.isEmpty ? nil : text }
            guard let handler = handlers[order] else {
                throw RankFailure(rank: group.rank, message: "order \(order) is not one this command takes")
            }
            try handler(arguments, doubles, text)
        }
    }
}
