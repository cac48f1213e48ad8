/// The processes of a distributed run and the messages between them — all that the distributed
/// ensemble and the distributed model evaluations need from MPI, so that neither imports it.
///
/// Rank 0 is the root: it deals the work, gathers the statistics and writes the output. Messages between
/// one pair of ranks with one tag arrive in the order they were sent (MPI's non-overtaking rule,
/// MPI 4.0 §3.5). Only one thread of a process calls these methods (MPI_THREAD_FUNNELED).
///
/// Implementations: `MPIProcessGroup` (the CityTwinMPI target, built with the `MPI` package trait) and
/// ``ThreadProcessGroup`` (ranks as threads of one process: the protocol checked without MPI).
public protocol ProcessGroup: AnyObject, Sendable {
    /// This process's rank, 0 ..< `size`.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// Sends `bytes` to rank `destination`; returns once the buffer may be reused.
    func send(_ bytes: [UInt8], to destination: Int, tag: Int32) throws
    /// Waits for the next message with `tag` from `source` (nil: from any rank) and returns it with its sender.
    /// A waiting implementation must not spin on a core the rank's worker threads need.
    func receive(from source: Int?, tag: Int32) throws -> (source: Int, bytes: [UInt8])
}

/// Message tags of the distributed protocols (WorkDealer, DistributedEnsemble, DistributedEvaluation).
public enum ProcessGroupTag {
    /// Root → workers: what to do next (``WorkerOrder``).
    public static let order: Int32 = 1
    /// Workers → root: requests for work, with finished results or a failure.
    public static let request: Int32 = 2
    /// Root → one worker: a chunk of work, or "no more".
    public static let chunk: Int32 = 3
    /// Workers → root: gathered values (one instant of the ensemble) and summaries.
    public static let gather: Int32 = 4
}

/// A failure in a distributed run, naming the rank where it happened.
public struct RankFailure: Error, CustomStringConvertible, Sendable {
    public let rank: Int
    public let message: String

    public init(rank: Int, message: String) {
        self.rank = rank
        self.message = message
    }

    public var description: String { "rank \(rank) failed: \(message)" }
}
