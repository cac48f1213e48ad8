import ArgumentParser
import Foundation
import LinearAlgebra
import Traffic

/// `citytwin assign`: user-equilibrium assignment of a TNTP network, for network researchers.
struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign a TNTP trips file to a TNTP network (static user equilibrium, BPR costs).",
        discussion: """
            Writes one row per link, in the net file's order, with columns from,to,volume,cost (cost in the file's \
            time units, generalized by the toll and distance factors) followed by free_flow_time,capacity,\
            volume_capacity,time,toll_cost,distance_cost (cost = time + toll_cost + distance_cost). Without \
            --algorithm, Algorithm B (bush) runs when --gap is below 1e-4 or --select-link is given, bi-conjugate \
            Frank–Wolfe (bfw) otherwise. Progress per iteration goes to standard error; the final line names the \
            algorithm and says whether the gap target was met. --skims writes origin,destination,cost,time,distance,\
            toll along each pair's least-cost path at equilibrium; --select-link writes origin,destination,volume: \
            the OD matrix of the flow on that road (all parallel links from FROM to TO); --warm-start starts from the \
            volumes of a previous output file. Output files are written to a temporary file and renamed, so an \
            interrupted run leaves no partial file. Exit status 2 when the gap target was not met within the limits \
            (the flows are still written).
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

    @Option(name: .long, help: "fw, cfw, bfw or bush (Algorithm B); default bush below gap 1e-4, bfw otherwise.")
    var algorithm: Algorithm?

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

    @Option(name: .long, help: "Also write zone-to-zone cost, time, distance and toll at equilibrium to this CSV.")
    var skims: String?

    @Option(name: .long, help: "FROM-TO: also write the OD matrix of the flow on this road (needs bush) to --select-link-out.")
    var selectLink: String?

    @Option(name: .long, help: "Where --select-link writes its CSV (default: select-link-FROM-TO.csv beside --out).")
    var selectLinkOut: String?

    @Option(name: .long, help: "Start from the volumes of a previous output CSV (same network, same link order).")
    var warmStart: String?

    @Flag(name: .long, help: "No per-iteration progress.")
    var quiet = false

    func validate() throws {
        guard gap >= 0 else { throw ValidationError("--gap must be ≥ 0") }
        guard maxIterations >= 0 else { throw ValidationError("--max-iterations must be ≥ 0") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be ≥ 1") }
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be > 0") }
        if let link = selectLink {
            guard Self.parseLink(link) != nil else { throw ValidationError("--select-link must be FROM-TO (node numbers), not `\(link)`") }
            if let a = algorithm, a != .bush {
                throw ValidationError("--select-link needs the bushes of --algorithm bush (the Frank–Wolfe family keeps no routes)")
            }
        }
    }

    /// The algorithm that runs: the one named, else bush for select-link or a gap below 1e-4 (where the Frank–Wolfe
    /// family's sublinear tail takes thousands of iterations), else bfw.
    var chosenAlgorithm: Algorithm { algorithm ?? (selectLink != nil || gap < 1e-4 ? .bush : .bfw) }

    static func parseLink(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let from = Int(parts[0]), let to = Int(parts[1]), from >= 1, to >= 1 else { return nil }
        return (from, to)
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
        var selected: [Int] = []
        if let link = selectLink, let (from, to) = Self.parseLink(link) {
            selected = network.links.indices.filter { network.links[$0].from == from && network.links[$0].to == to }
            guard !selected.isEmpty else {
                StandardError.line("error: --select-link \(link): the network has no link from node \(from) to node \(to)")
                throw ExitCode.failure
            }
        }
        var warmFlows: [Double]?
        if let path = warmStart {
            warmFlows = try readWarmStart(path, network: network)
        }
        let quiet = self.quiet
        let algorithm = chosenAlgorithm
        let options = AssignmentOptions(
            algorithm: algorithm.value, relativeGap: gap, maxIterations: maxIterations,
            timeLimit: timeLimit.map { .nanoseconds(Int64($0 * 1e9)) }, threads: threads, warmStartFlows: warmFlows,
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
        let delay = network.delay
        var csv = "from,to,volume,cost,free_flow_time,capacity,volume_capacity,time,toll_cost,distance_cost\n"
        for (a, link) in network.links.enumerated() {
            let x = result.flows[a]
            let ratio = link.capacity > 0 ? "\(x / link.capacity)" : ""
            csv +=
                "\(link.from),\(link.to),\(x),\(result.costs[a]),\(link.freeFlowTime),\(link.capacity),\(ratio),"
                + "\(delay.time(a, x)),\(tollFactor * link.toll),\(distanceFactor * link.length)\n"
        }
        try writeAtomically(csv, to: out)
        var wrote = ["\(network.linkCount) links to \(out)"]
        if let path = skims {
            let times = (0..<network.linkCount).map { delay.time($0, result.flows[$0]) }
            let skim = ShortestPaths.skims(
                network, costs: result.costs, attributes: [times, network.links.map(\.length), network.links.map(\.toll)],
                threads: threads)
            let z = network.zoneCount
            var text = "origin,destination,cost,time,distance,toll\n"
            for o in 0..<z {
                for d in 0..<z where d != o {
                    text +=
                        "\(o + 1),\(d + 1),\(skim.cost[o, d]),\(skim.attributes[0][o, d]),\(skim.attributes[1][o, d]),"
                        + "\(skim.attributes[2][o, d])\n"
                }
            }
            try writeAtomically(text, to: path)
            wrote.append("skims to \(path)")
        }
        if let link = selectLink, let bushes = result.bushes {
            let matrix = bushes.selectLink(selected, network: network, demand: demand.od)
            let path =
                selectLinkOut
                ?? URL(fileURLWithPath: out).deletingLastPathComponent().appendingPathComponent("select-link-\(link).csv").path
            var text = "origin,destination,volume\n"
            let z = network.zoneCount
            for o in 0..<z {
                for d in 0..<z where matrix[o, d] > 0 { text += "\(o + 1),\(d + 1),\(matrix[o, d])\n" }
            }
            try writeAtomically(text, to: path)
            wrote.append("select-link OD matrix to \(path)")
        }
        let met = result.status == .converged
        let why =
            self.algorithm != nil
            ? "as requested" : (algorithm == .bush ? "default for a gap below 1e-4" : "default for a gap of 1e-4 or more")
        StandardError.line(
            "\(result.status.rawValue) after \(result.iterations) iterations with \(algorithm.rawValue) (\(why)): "
                + "relative gap \(sci(result.relativeGap)), target \(sci(gap)) \(met ? "met" : "NOT met"); "
                + "Beckmann objective \(fixed(result.beckmann)), TSTT \(fixed(result.totalSystemTravelTime)), "
                + "\(fixed(result.final.elapsedSeconds, 3)) s; wrote " + wrote.joined(separator: ", "))
        if !met { throw ExitCode(2) }
    }

    /// Volumes from a previous output CSV: a header naming from, to and volume, then one row per link in the net
    /// file's order. Any mismatch names the file and line; the solver then checks that they carry this demand.
    func readWarmStart(_ path: String, network: Network) throws -> [Double] {
        func fail(_ line: Int, _ message: String) -> ExitCode {
            StandardError.line("error: \(path)\(line > 0 ? ":\(line)" : ""): \(message)")
            return ExitCode.failure
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw fail(0, "cannot read the warm-start file")
        }
        let lines = text.split(whereSeparator: \.isNewline)
        guard let header = lines.first?.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }),
            let fromColumn = header.firstIndex(of: "from"), let toColumn = header.firstIndex(of: "to"),
            let volumeColumn = header.firstIndex(of: "volume")
        else { throw fail(1, "the header must name the columns from, to and volume") }
        guard lines.count - 1 == network.linkCount else {
            throw fail(0, "\(lines.count - 1) rows but the network has \(network.linkCount) links")
        }
        var flows: [Double] = []
        flows.reserveCapacity(network.linkCount)
        for (a, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count > max(fromColumn, toColumn, volumeColumn), let from = Int(fields[fromColumn]),
                let to = Int(fields[toColumn]), let volume = Double(fields[volumeColumn]), volume.isFinite, volume >= 0
            else { throw fail(a + 2, "expected numbers in from, to and a volume ≥ 0") }
            let link = network.links[a]
            guard from == link.from && to == link.to else {
                throw fail(a + 2, "link \(from)-\(to) where the network's link \(a + 1) is \(link.from)-\(link.to)")
            }
            flows.append(volume)
        }
        return flows
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
