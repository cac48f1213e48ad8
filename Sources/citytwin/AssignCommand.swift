import ArgumentParser
import Foundation
import Traffic

/// `citytwin assign`: user-equilibrium assignment of a TNTP network, for network researchers.
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign a TNTP trips file to a TNTP network (static user equilibrium, BPR costs).",
        discussion: """
            Writes one row per link, in the net file's order, with columns from,to,volume,cost (cost in the file's \
            time units, generalized by the toll and distance factors). Progress per iteration and the final relative \
            gap, Beckmann objective and total system travel time go to standard error. The output file is written \
            to a temporary file and renamed, so an interrupted run leaves no partial file. Exit status 2 when the \
            gap target was not met within the limits (the flows are still written).
            """
    )

    enum Algorithm: String, ExpressibleByArgument, CaseIterable {
        case fw, cfw, bfw, bush
        var value: AssignmentAlgorithm {
            switch self {
            case .fw: .frankWolfe
            case .cfw: .conjugateFrankWolfe
            case .bfw: .biconjugateFrankWolfe
            case .bush: .algorithmB
            }
        }
    }

    @Option(name: .long, help: "The network file (*_net.tntp).")
    var net: String

    @Option(name: .long, help: "The demand file (*_trips.tntp).")
    var trips: String

    @Option(name: .long, help: "fw, cfw, bfw or bush (Algorithm B).")
    var algorithm: Algorithm = .bfw

    @Option(name: .long, help: "Target relative gap (TSTT − SPTT) / TSTT.")
    var gap: Double = 1e-6

    @Option(name: .long, help: "Iteration limit.")
    var maxIterations: Int = 1000

    @Option(name: .long, help: "Wall-clock limit in seconds (none by default).")
    var timeLimit: Double?

    @Option(name: .long, help: "Generalized cost per unit of toll.")
    var tollFactor: Double = 0

    @Option(name: .long, help: "Generalized cost per unit of length.")
    var distanceFactor: Double = 0

    @Option(name: .long, help: "Threads for shortest paths (default: all cores). Results do not depend on it.")
    var threads: Int?

    @Option(name: .long, help: "The output CSV.")
    var out: String

    @Flag(name: .long, help: "No per-iteration progress.")
    var quiet = false

    func validate() throws {
        guard gap >= 0 else { throw ValidationError("--gap must be ≥ 0") }
        guard maxIterations >= 0 else { throw ValidationError("--max-iterations must be ≥ 0") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be ≥ 1") }
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be > 0") }
    }

    func run() throws {
        let network: Network
        let demand: TNTPTripsFile
        do {
            let file = try TNTPReader.readNetwork(at: net)
            demand = try TNTPReader.readTrips(at: trips)
            guard demand.zoneCount == file.zoneCount else {
                throw ValidationError("\(trips) has \(demand.zoneCount) zones but \(net) has \(file.zoneCount)")
            }
            network = try Network(file, tollFactor: tollFactor, distanceFactor: distanceFactor)
        } catch let error as TNTPError {
            StandardError.line("error: \(error)")
            throw ExitCode.failure
        } catch let error as TrafficError {
            StandardError.line("error: \(error)")
            throw ExitCode.failure
        }
        if demand.intrazonalTotal > 0 {
            StandardError.line("note: \(demand.intrazonalTotal) intrazonal trips (origin = destination) are not assigned")
        }
        let quiet = self.quiet
        let options = AssignmentOptions(
            algorithm: algorithm.value, relativeGap: gap, maxIterations: maxIterations,
            timeLimit: timeLimit.map { .nanoseconds(Int64($0 * 1e9)) }, threads: threads,
            progress: { record in
                guard !quiet else { return }
                StandardError.line(
                    "iteration \(record.iteration): gap \(sci(record.relativeGap)), AEC \(sci(record.averageExcessCost)), "
                        + "objective \(fixed(record.beckmann)), \(fixed(record.elapsedSeconds, 3)) s")
            })
        let result: AssignmentResult
        do {
            result = try Assignment.solve(network, demand: demand.od, options: options)
        } catch let error as TrafficError {
            StandardError.line("error: \(error)")
            throw ExitCode.failure
        }
        var csv = "from,to,volume,cost\n"
        for (a, link) in network.links.enumerated() {
            csv += "\(link.from),\(link.to),\(result.flows[a]),\(result.costs[a])\n"
        }
        try writeAtomically(csv, to: out)
        StandardError.line(
            "\(result.status.rawValue) after \(result.iterations) iterations (\(algorithm.rawValue)): relative gap \(sci(result.relativeGap)), "
                + "Beckmann objective \(fixed(result.beckmann)), TSTT \(fixed(result.totalSystemTravelTime)), "
                + "\(fixed(result.final.elapsedSeconds, 3)) s; wrote \(network.linkCount) links to \(out)")
        if result.status != .converged { throw ExitCode(2) }
    }

    func writeAtomically(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            // rename(2) replaces the destination atomically (same folder, so same file system).
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            StandardError.line("error: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }
}

private func sci(_ x: Double) -> String { String(format: "%.3e", x) }
private func fixed(_ x: Double, _ digits: Int = 6) -> String { String(format: "%.\(digits)f", x) }
