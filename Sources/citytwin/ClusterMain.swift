#if MPI
    import ArgumentParser
    import CityTwinMPI
    import Forecast
    import Foundation

    /// `citytwin` under `mpirun`: MPI starts, rank 0 parses and runs the command with ``Cluster/group`` set,
    /// the other ranks parse the same command line and serve its orders; rank 0 ends every command with
    /// `finish` (carrying its failure, so that every rank exits with the same status). With one rank the
    /// command runs exactly as without MPI.
    enum ClusterMain {
        static func run() -> Never {
            let group: MPIProcessGroup
            do {
                group = try MPIProcessGroup.start()
            } catch {
                StandardError.line("error: \(error)")
                exit(1)
            }
            if group.size == 1 {
                group.finish()
                CityTwin.main(nil)
                exit(0)
            }
            if group.rank == 0 { root(group) } else { worker(group) }
        }

        private static func root(_ group: MPIProcessGroup) -> Never {
            do {
                var command = try CityTwin.parseAsRoot()
                try Cluster.$group.withValue(group) { try command.run() }
                try WorkerOrder.finish.send(to: group)
                group.finish()
                exit(0)
            } catch {
                // The message first: once the workers exit with a failure, mpirun ends this rank too.
                let status = CityTwin.exitCode(for: error)
                let message = CityTwin.fullMessage(for: error)
                if !message.isEmpty {
                    if status.isSuccess { print(message) } else { StandardError.line(message) }
                }
                do {
                    try WorkerOrder.finish.send(to: group, text: status.isSuccess ? "" : "\(error)")
                } catch {
                    StandardError.line("error: rank 0 could not reach the other ranks: \(error)")
                    group.abort(code: 1)
                }
                group.finish()
                exit(status.rawValue)
            }
        }

        /// A worker stays silent: rank 0 reports every failure, its own and the workers' (by rank).
        private static func worker(_ group: MPIProcessGroup) -> Never {
            let command = try? CityTwin.parseAsRoot()
            let handlers = (command as? any DistributedCommand)?.workerHandlers(group: group) ?? [:]
            do {
                let failure = try WorkerLoop.serve(group: group, handlers: handlers)
                group.finish()
                exit(failure == nil ? 0 : 1)
            } catch {
                StandardError.line("error: rank \(group.rank): \(error)")
                group.abort(code: 1)
            }
        }
    }
#endif
