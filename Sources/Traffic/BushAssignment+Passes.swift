/// The two passes over origins that ``BushAssignment`` schedules: measuring each origin's share of the gap, and
/// equilibrating a chosen set of bushes.
extension BushAssignment {
    /// Each origin's share of the gap, g_o = Σ_{a ∈ B_o} x^o_a c_a − Σ_d q_od π_od with π from a fresh Dijkstra run at
    /// `cost` (clamped at 0 against rounding), into `gaps`. Returns SPTT = Σ_od q_od π_od, summed in origin order, so
    /// that it does not depend on the thread count. In parallel over origins; throws
    /// ``TrafficError/unreachable(origin:destination:demand:)`` for a pair with demand and no path.
    /// - Complexity: Z Dijkstra runs plus O(Σ_o |B_o|); no per-link loading and no per-thread link buffers.
    static func measureGaps(
        _ network: Network, destinations: [[(Int32, Double)]], cost: [Double], threads: Int,
        workspaces: inout [BushWorkspace], bushes: inout [Bush], gaps: inout [Double]
    ) throws -> Double {
        let z = network.zoneCount
        var shortest = [Double](repeating: 0, count: z)
        try shortest.withUnsafeMutableBufferPointer { sp in
            try gaps.withUnsafeMutableBufferPointer { gs in
                try cost.withUnsafeBufferPointer { c in
                    let shared = UncheckedSendable((sp, gs, c))
                    try forEachOrigin(all: z, threads: threads, workspaces: &workspaces, bushes: &bushes) { w, o, bush in
                        let (sp, gs, c) = shared.value
                        gs[o] = 0
                        guard !destinations[o].isEmpty else { return }
                        w.dijkstra.run(network, origin: o, costs: c)
                        var least = 0.0
                        for (d, q) in destinations[o] {
                            let pi = w.dijkstra.distance[Int(d)]
                            guard pi.isFinite else {
                                throw TrafficError.unreachable(origin: o + 1, destination: Int(d) + 1, demand: q)
                            }
                            least += q * pi
                        }
                        var used = 0.0
                        for k in bush.links.indices { used += bush.flows[k] * c[Int(bush.links[k])] }
                        sp[o] = least
                        gs[o] = max(0, used - least)
                    }
                }
            }
        }
        return shortest.reduce(0, +)
    }

    /// Up to `sweeps` sweeps of flow moves on each of `origins`, in order (Gauss–Seidel: each origin sees the link
    /// costs the previous ones left). An origin's sweeps stop early once its excess before a sweep is at most `until`.
    /// `excess[o]` is set to the excess measured before o's last sweep.
    static func equilibrate(
        _ origins: [Int], sweeps: Int, until: Double, network: Network, destinations: [[(Int32, Double)]],
        workspace: inout BushWorkspace, bushes: inout [Bush], state: inout LinkState, excess: inout [Double]
    ) {
        for o in origins {
            for _ in 0..<sweeps {
                excess[o] = workspace.equilibrate(
                    &bushes[o], origin: o, destinations: destinations[o], network: network, state: &state)
                if excess[o] <= until { break }
            }
        }
    }
}
