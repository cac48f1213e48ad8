public import LinearAlgebra

/// All-or-nothing loading: every origin–destination demand on its current shortest path.
///
/// For each origin o, Dijkstra gives the tree; walking the settled nodes from the farthest back to o pushes each
/// node's demand plus what passes through it onto its predecessor link. The loaded flow `y` is the extreme point of the
/// feasible set that minimises `Σ_a c_a · y_a` at fixed costs c (the Frank–Wolfe subproblem), and
/// `Σ_a c_a y_a = Σ_od q_od · π_od` (the shortest-path total, written SPTT) — the lower bound used by the relative gap.
///
/// Origins run in parallel in fixed chunks of 8; each chunk loads its own volume vector and the chunks are added in
/// order, so the result is bit-for-bit the same for any thread count. Intrazonal demand (the diagonal) is ignored.
/// - Complexity: Z shortest-path runs plus O(Z · N) loading; memory ⌈Z / 8⌉ · L doubles.
public struct AllOrNothingResult: Sendable {
    /// Loaded volume per link.
    public var volumes: [Double]
    /// SPTT = Σ_od q_od · π_od at the given costs.
    public var shortestPathCost: Double
}

public enum AllOrNothing {
    static let chunkSize = 8

    /// Loads `demand` (zones × zones) on shortest paths at `costs`. Throws ``TrafficError/unreachable(origin:destination:demand:)``
    /// for the first (lowest origin, then destination) pair with demand but no path.
    public static func load(
        _ network: Network, demand: Matrix, costs: [Double], threads: Int? = nil
    ) throws -> AllOrNothingResult {
        let z = network.zoneCount
        precondition(demand.rows == z && demand.columns == z, "demand is \(demand.rows)×\(demand.columns), zones \(z)")
        precondition(costs.count == network.linkCount, "one cost per link")
        let l = network.linkCount
        let chunks = (z + chunkSize - 1) / chunkSize
        var buffers = [Double](repeating: 0, count: chunks * l)
        var sums = [Double](repeating: 0, count: chunks)
        var failures = [Int](repeating: -1, count: chunks)  // o * z + d of the first unreachable pair in the chunk
        buffers.withUnsafeMutableBufferPointer { buffers in
            sums.withUnsafeMutableBufferPointer { sums in
                failures.withUnsafeMutableBufferPointer { failures in
                    costs.withUnsafeBufferPointer { c in
                        demand.storage.withUnsafeBufferPointer { q in
                            let shared = UncheckedSendable((buffers, sums, failures, c, q))
                            Parallel.forEach(chunks, threads: threads ?? Parallel.defaultThreads) { k in
                                let (buffers, sums, failures, c, q) = shared.value
                                var dijkstra = Dijkstra(nodeCount: network.nodeCount)
                                var nodeFlow = [Double](repeating: 0, count: network.nodeCount)
                                let out = UnsafeMutableBufferPointer(rebasing: buffers[(k * l)..<((k + 1) * l)])
                                var total = 0.0
                                for o in (k * chunkSize)..<min(z, (k + 1) * chunkSize) {
                                    var any = false
                                    for d in 0..<z where d != o && q[o + d * z] > 0 { any = true; break }
                                    if !any { continue }
                                    dijkstra.run(network, origin: o, costs: c)
                                    for d in 0..<z where d != o {
                                        let v = q[o + d * z]
                                        guard v > 0 else { continue }
                                        let pi = dijkstra.distance[d]
                                        if !pi.isFinite {
                                            if failures[k] < 0 { failures[k] = o * z + d }
                                            continue
                                        }
                                        nodeFlow[d] = v
                                        total += v * pi
                                    }
                                    for s in dijkstra.settled.reversed() {
                                        let j = Int(s)
                                        let f = nodeFlow[j]
                                        if f == 0 { continue }
                                        nodeFlow[j] = 0
                                        let a = Int(dijkstra.predecessor[j])
                                        if a < 0 { continue }  // the origin
                                        out[a] += f
                                        nodeFlow[Int(network.tail[a])] += f
                                    }
                                }
                                sums[k] = total
                            }
                        }
                    }
                }
            }
        }
        if let bad = failures.first(where: { $0 >= 0 }) {
            let (o, d) = (bad / z, bad % z)
            throw TrafficError.unreachable(origin: o + 1, destination: d + 1, demand: demand[o, d])
        }
        var volumes = [Double](repeating: 0, count: l)
        var sptt = 0.0
        for k in 0..<chunks {
            for a in 0..<l { volumes[a] += buffers[k * l + a] }
            sptt += sums[k]
        }
        return AllOrNothingResult(volumes: volumes, shortestPathCost: sptt)
    }
}
