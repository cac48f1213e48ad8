import ArgumentParser
import Forecast

/// The ranks of an MPI job, when `citytwin` runs under `mpirun` (built with the `MPI` trait): rank 0
/// runs the command and deals its work through `Cluster.group`; the other ranks serve it
/// (``DistributedCommand``). Nil in one process, where every command runs as it always has.
enum Cluster {
    @TaskLocal static var group: (any ProcessGroup)?
}

/// A command whose members or model runs other ranks can share: what a worker rank does on each of the
/// root's orders (``WorkerLoop``). A command that is not one runs on rank 0 alone while the others wait.
protocol DistributedCommand: ParsableCommand {
    func workerHandlers(group: any ProcessGroup) -> [WorkerOrder: ([Int], [Double], String) throws -> Void]
}
