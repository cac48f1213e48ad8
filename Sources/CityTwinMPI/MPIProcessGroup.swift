// Compiled only with the package trait `MPI` (`swift build --traits MPI`); without it this target is empty,
// so a build without Open MPI's headers never reads mpi.h.
#if MPI
    internal import CMPI
    import Foundation
    public import Forecast

    /// MPI_COMM_WORLD as a ``ProcessGroup``: byte messages with MPI_Send and MPI_Recv, and a receive that
    /// polls (MPI_Iprobe, then a 200 µs sleep) instead of Open MPI's busy-waiting blocking receive, so the
    /// root's main thread does not take a core from its worker threads.
    ///
    /// Start it once per process with ``start()`` (MPI_Init_thread, MPI_THREAD_FUNNELED: only the main thread
    /// calls MPI) and end with ``finish()`` (MPI_Finalize).
    public final class MPIProcessGroup: ProcessGroup, @unchecked Sendable {
        public let rank: Int
        public let size: Int

        private init(rank: Int, size: Int) {
            self.rank = rank
            self.size = size
        }

        /// Initialises MPI and returns the world group.
        /// - Throws: ``MPIError`` when MPI cannot start or lacks funneled threading.
        public static func start() throws -> MPIProcessGroup {
            var provided: Int32 = 0
            try check(citytwin_mpi_init(&provided), "MPI_Init_thread")
            guard provided >= citytwin_mpi_thread_funneled() else {
                throw MPIError(call: "MPI_Init_thread", text: "this MPI does not support MPI_THREAD_FUNNELED")
            }
            try check(citytwin_mpi_errors_return(), "MPI_Comm_set_errhandler")
            var rank: Int32 = 0
            var size: Int32 = 0
            try check(citytwin_mpi_rank(&rank), "MPI_Comm_rank")
            try check(citytwin_mpi_size(&size), "MPI_Comm_size")
            return MPIProcessGroup(rank: Int(rank), size: Int(size))
        }

        /// MPI_Finalize.
        public func finish() { _ = citytwin_mpi_finalize() }

        /// Ends every rank of the job (MPI_Abort): for a failure the protocol cannot report.
        public func abort(code: Int32) -> Never {
            _ = citytwin_mpi_abort(code)
            fatalError("MPI_Abort returned")
        }

        public func send(_ bytes: [UInt8], to destination: Int, tag: Int32) throws {
            guard bytes.count <= Int(Int32.max) else {
                throw MPIError(call: "MPI_Send", text: "a message of \(bytes.count) bytes exceeds MPI's 2 GiB count limit")
            }
            try bytes.withUnsafeBytes { buffer in
                try Self.check(
                    citytwin_mpi_send(buffer.baseAddress, Int32(bytes.count), Int32(destination), tag), "MPI_Send")
            }
        }

        public func receive(from source: Int?, tag: Int32) throws -> (source: Int, bytes: [UInt8]) {
            var found: Int32 = 0
            var sender: Int32 = 0
            var count: Int32 = 0
            while true {
                try Self.check(citytwin_mpi_iprobe(Int32(source ?? -1), tag, &found, &sender, &count), "MPI_Iprobe")
                if found != 0 { break }
                usleep(200)
            }
            var bytes = [UInt8](repeating: 0, count: Int(count))
            try bytes.withUnsafeMutableBytes { buffer in
                try Self.check(citytwin_mpi_receive(buffer.baseAddress, count, sender, tag), "MPI_Recv")
            }
            return (Int(sender), bytes)
        }

        private static func check(_ code: Int32, _ call: String) throws {
            guard code != 0 else { return }
            var text = [CChar](repeating: 0, count: Int(citytwin_mpi_max_error_text()) + 1)
            var length: Int32 = 0
            citytwin_mpi_error_text(code, &text, &length)
            throw MPIError(call: call, text: String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    /// An MPI call that returned an error.
    public struct MPIError: Error, CustomStringConvertible, Sendable {
        public let call: String
        public let text: String
        public var description: String { "\(call) failed: \(text)" }
    }
#endif
