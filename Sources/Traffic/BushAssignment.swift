import LinearAlgebra

/// The origin-based solution Algorithm B keeps between iterations and between solves: for each origin, its bush
/// (an acyclic set of links rooted at the origin) and the origin's flow on each link.
///
/// As a warm start for a *different* demand (``AssignmentOptions/warmStartBushes``), each origin's flow is reloaded with
/// its old approach proportions α_a = x^o_a / Σ_{b into head(a)} x^o_b (Bar-Gera 2002's origin-based representation):
/// walking the bush from the farthest node back, each node's new demand plus its through-flow is split over its
/// incoming links by α (by the bush's least-cost link where the old flow was 0). The result is feasible for the new
/// demand and keeps the old route split, which is near equilibrium when demand moves a little.
public struct BushState: Sendable {
    public let zoneCount: Int
    public let linkCount: Int
    /// `inBush[o * linkCount + a]`.
    var inBush: [Bool]
    /// `originFlow[o * linkCount + a]`.
    var originFlow: [Double]
}

/// Algorithm B (Dial 2006, "A path-based user-equilibrium traffic assignment algorithm that obviates path storage and
/// enumeration", *Transportation Research Part B* 40(10), 917–936), with the bush-update rule of that paper.
///
/// For each origin o the flow lives on a bush B_o: an acyclic subnetwork, so its nodes have a topological order and
/// least (L) and longest used (U) path costs from o are computed in one sweep. One iteration, origin by origin:
///
/// 1. *Improve the bush.* Drop links that carry no flow of o (except the least-cost tree within B_o, which keeps
///    every node reachable); with L and U (longest path) over the remaining links, add every link (i, j) with
///    U_i + c_ij < U_j (Dial's rule) or with L_i + c_ij < L_j and U_i < U_j (a shortcut for the least-cost path;
///    Dial's rule alone can miss it when zero-flow tree links inflate U_i, which stalled our runs near gap 1e-8 on
///    a 400-node grid). Since U_j ≥ U_i + c_ij ≥ U_i on bush links and costs are ≥ 0, U strictly increases along
///    every added link, so the bush stays acyclic (this holds in floating point too).
/// 2. *Equilibrate the bush* (three sweeps): for each node j, from the last in topological order back, take the
///    least-cost and the longest-used path into j, back to their last common node m. Moving Δ from the longest
///    segment σ_U to the least segment σ_L changes their cost difference by −Δ (Σ_{σ_U} c'_a + Σ_{σ_L} c'_a); the
///    Newton step Δ = (C_U − C_L) / (D_U + D_L), capped by the least flow on σ_U, is exact for linear costs. Link
///    costs and derivatives are updated after each move; segment costs are always summed afresh.
///
/// Each flow move keeps every origin's flow feasible, decreases Z, and leaves x^o ≥ 0; at a fixed point every used
/// path of every origin is least-cost, i.e. user equilibrium. In practice Newton moves reach relative gaps of 1e-10
/// and below (Dial 2006; Boyles, Lownes & Unnikrishnan, *Transportation Network Analysis*, ch. 6).
///
/// 3. *Equilibrate all bushes again*, ``innerPasses`` times, one sweep per origin and no bush update. Each origin's own
///    sweeps bring its bush to equilibrium at the others' flows within one or two sweeps, but the moves of the origins
///    after it undo part of that; this Gauss–Seidel coupling between origins, not any single bush, makes the tail
///    linear (on the 900-node grid, 3 sweeps or 40 sweeps per origin converge at the same rate per iteration). The
///    passes cost a fraction of a bush update, so more of them per update reach 1e-10 in fewer iterations and less
///    time (grid: 6.4e-8 after 300 iterations without them; 1e-10 after 118 iterations with 6).
///
/// Convergence is measured after every iteration by a fresh all-or-nothing pass (parallel, thread-count independent);
/// the bush work itself is sequential over origins, so results are identical on every run.
/// - Complexity: O(Z · (N + L)) per sweep; memory 9 · Z · L bytes.
enum BushAssignment {
    static let sweeps = 3
    /// Extra passes of one sweep per origin after each bush update (cf. the inner iterations of Boyles' TAP-B).
    static let innerPasses = 6

    static func solve(_ network: Network, demand: Matrix, options: AssignmentOptions) throws -> AssignmentResult {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double { Assignment.seconds(clock.now - start) }
        let z = network.zoneCount, l = network.linkCount
        let totals = Assignment.demandTotals(demand)
        var solver = Solver(network: network, demand: demand)
        if let warm = options.warmStartBushes, warm.zoneCount == z, warm.linkCount == l {
            solver.state = warm
            solver.recomputeFlows()
            for o in 0..<z { solver.reload(origin: o) }
        } else {
            try solver.initialise(threads: options.threads)
        }
        // Any OD pair the bushes cannot serve has no path at all: the AON check below reports it.
        solver.recomputeFlows()

        var history: [IterationRecord] = []
        var status = AssignmentStatus.iterationLimit
        var k = 0
        while true {
            let aon = try AllOrNothing.load(network, demand: demand, costs: solver.cost, threads: options.threads)
            let rec = Assignment.record(
                network, iteration: k, flows: solver.flow, costs: solver.cost, sptt: aon.shortestPathCost,
                demand: totals.assigned, step: nil, elapsed: elapsed())
            history.append(rec)
            options.progress?(rec)
            if let reason = Assignment.stopReason(rec, iteration: k, options: options, elapsed: clock.now - start) {
                status = reason
                break
            }
            for o in 0..<z where solver.hasDemand[o] {
                solver.improveBush(origin: o)
                for _ in 0..<sweeps { solver.equilibrate(origin: o) }
            }
            // Flow-shift-only passes over all bushes (no bush update): the tail is limited by the coupling between
            // origins, not by any one bush, so extra passes over all origins, not extra sweeps of one, are what help.
            for _ in 0..<innerPasses {
                for o in 0..<z where solver.hasDemand[o] {
                    solver.sortBush(origin: o)
                    solver.equilibrate(origin: o)
                }
            }
            solver.recomputeFlows()
            k += 1
        }
        return AssignmentResult(
            status: status, algorithm: .algorithmB, flows: solver.flow, costs: solver.cost, history: history,
            assignedDemand: totals.assigned, intrazonalDemand: totals.intrazonal, bushes: solver.state)
    }

    /// Working state: bushes, global flows, costs and derivatives, and per-origin scratch arrays.
    struct Solver {
        let network: Network
        let demand: Matrix
        let z: Int, l: Int, n: Int
        var state: BushState
        var hasDemand: [Bool]
        var flow: [Double]
        var cost: [Double]
        var slope: [Double]
        // scratch
        var order: [Int32] = []
        var position: [Int32]
        var indegree: [Int32]
        var low: [Double]
        var high: [Double]
        var lowPred: [Int32]
        var highPred: [Int32]
        var segment: [Int32] = []

        init(network: Network, demand: Matrix) {
            self.network = network
            self.demand = demand
            z = network.zoneCount
            l = network.linkCount
            n = network.nodeCount
            state = BushState(
                zoneCount: z, linkCount: l, inBush: [Bool](repeating: false, count: z * l),
                originFlow: [Double](repeating: 0, count: z * l))
            let zones = network.zoneCount
            hasDemand = (0..<zones).map { o in (0..<zones).contains { d in d != o && demand[o, d] > 0 } }
            flow = [Double](repeating: 0, count: l)
            cost = network.delay.costs(flow)
            slope = (0..<l).map { network.delay.derivative($0, 0) }
            position = [Int32](repeating: 0, count: n)
            indegree = [Int32](repeating: 0, count: n)
            low = [Double](repeating: 0, count: n)
            high = [Double](repeating: 0, count: n)
            lowPred = [Int32](repeating: -1, count: n)
            highPred = [Int32](repeating: -1, count: n)
            order.reserveCapacity(n)
        }

        /// Bush = free-flow shortest-path tree; the origin's demand loaded on it.
        mutating func initialise(threads: Int?) throws {
            var dijkstra = Dijkstra(nodeCount: n)
            var nodeFlow = [Double](repeating: 0, count: n)
            for o in 0..<z where hasDemand[o] {
                cost.withUnsafeBufferPointer { dijkstra.run(network, origin: o, costs: $0) }
                let base = o * l
                for j in 0..<n where dijkstra.predecessor[j] >= 0 {
                    state.inBush[base + Int(dijkstra.predecessor[j])] = true
                }
                for d in 0..<z where d != o && demand[o, d] > 0 {
                    guard dijkstra.distance[d].isFinite else {
                        throw TrafficError.unreachable(origin: o + 1, destination: d + 1, demand: demand[o, d])
                    }
                    nodeFlow[d] = demand[o, d]
                }
                for s in dijkstra.settled.reversed() {
                    let j = Int(s)
                    let f = nodeFlow[j]
                    nodeFlow[j] = 0
                    let a = Int(dijkstra.predecessor[j])
                    if f == 0 || a < 0 { continue }
                    state.originFlow[base + a] += f
                    nodeFlow[Int(network.tail[a])] += f
                }
            }
        }

        /// x = Σ_o x^o in origin order (exact re-summation, no drift), then costs and derivatives.
        mutating func recomputeFlows() {
            for a in 0..<l { flow[a] = 0 }
            for o in 0..<z where hasDemand[o] || state.originFlow[(o * l)..<((o + 1) * l)].contains(where: { $0 != 0 }) {
                let base = o * l
                for a in 0..<l { flow[a] += state.originFlow[base + a] }
            }
            for a in 0..<l {
                cost[a] = network.delay.cost(a, flow[a])
                slope[a] = network.delay.derivative(a, flow[a])
            }
        }

        @inline(__always)
        mutating func setFlow(_ a: Int, _ v: Double) {
            flow[a] = v
            cost[a] = network.delay.cost(a, v)
            slope[a] = network.delay.derivative(a, v)
        }

        /// Kahn's topological order of origin o's bush into `order` / `position`.
        @discardableResult
        mutating func sortBush(origin o: Int, allowCycle: Bool = false) -> Bool {
            let base = o * l
            for i in 0..<n { indegree[i] = 0 }
            for a in 0..<l where state.inBush[base + a] { indegree[Int(network.head[a])] += 1 }
            order.removeAll(keepingCapacity: true)
            for i in 0..<n where indegree[i] == 0 { order.append(Int32(i)) }
            var next = 0
            while next < order.count {
                let i = Int(order[next])
                next += 1
                for k in Int(network.outStart[i])..<Int(network.outStart[i + 1]) {
                    let a = Int(network.outLinks[k])
                    guard state.inBush[base + a] else { continue }
                    let j = Int(network.head[a])
                    indegree[j] -= 1
                    if indegree[j] == 0 { order.append(Int32(j)) }
                }
            }
            if order.count < n {
                precondition(allowCycle, "bush of origin \(o + 1) has a cycle (a bug: the update rule keeps bushes acyclic)")
                return false
            }
            for (k, i) in order.enumerated() { position[Int(i)] = Int32(k) }
            return true
        }

        /// Least-cost labels over all bush links and longest-cost labels over links with flow (or over all bush
        /// links when `longestOverAll`), in topological order.
        mutating func labels(origin o: Int, longestOverAll: Bool) {
            let base = o * l
            for i in 0..<n {
                low[i] = .infinity
                high[i] = -.infinity
                lowPred[i] = -1
                highPred[i] = -1
            }
            low[o] = 0
            high[o] = 0
            for s in order {
                let j = Int(s)
                if j == o { continue }
                for k in Int(network.inStart[j])..<Int(network.inStart[j + 1]) {
                    let a = Int(network.inLinks[k])
                    guard state.inBush[base + a] else { continue }
                    let i = Int(network.tail[a])
                    let viaLow = low[i] + cost[a]
                    if viaLow < low[j] {
                        low[j] = viaLow
                        lowPred[j] = Int32(a)
                    }
                    if longestOverAll || state.originFlow[base + a] > 0 {
                        let viaHigh = high[i] + cost[a]
                        if high[i] > -.infinity && viaHigh > high[j] {
                            high[j] = viaHigh
                            highPred[j] = Int32(a)
                        }
                    }
                }
            }
        }

        /// Dial's bush update: drop unused links (keeping the least-cost tree), add links that shorten the longest path.
        mutating func improveBush(origin o: Int) {
            let base = o * l
            sortBush(origin: o)
            labels(origin: o, longestOverAll: true)
            for a in 0..<l where state.inBush[base + a] && state.originFlow[base + a] <= 0 {
                if lowPred[Int(network.head[a])] != Int32(a) { state.inBush[base + a] = false }
            }
            // First try: U over used links only (U = L where nothing is used), as in Dial's paper. Zero-flow tree links
            // no longer inflate U, so more shortcuts qualify; acyclicity is then checked, and on a cycle the
            // additions are undone and the always-safe rule below is used.
            labels(origin: o, longestOverAll: false)
            for i in 0..<n where high[i] == -.infinity { high[i] = low[i] }
            var added: [Int] = []
            addShortcuts(origin: o, into: &added)
            if added.isEmpty { return }
            if sortBush(origin: o, allowCycle: true) { return }
            // A cycle: drop the added links that lie among the nodes Kahn's sort could not place (the cycles and what
            // hangs below them) until the bush is acyclic again, keeping the other additions.
            var placed = [Bool](repeating: false, count: n)
            while true {
                for i in 0..<n { placed[i] = false }
                for i in order { placed[Int(i)] = true }
                var dropped = false
                for a in added where state.inBush[base + a] {
                    if !placed[Int(network.tail[a])] && !placed[Int(network.head[a])] {
                        state.inBush[base + a] = false
                        dropped = true
                    }
                }
                if sortBush(origin: o, allowCycle: true) { break }
                if !dropped { break }
            }
            if order.count == n { return }
            for a in added { state.inBush[base + a] = false }
            added.removeAll()
            // Safe rule: with U over all bush links, U_j ≥ U_i + c_ij ≥ U_i on every bush link, and every added link
            // has U_i < U_j, so no cycle can form.
            sortBush(origin: o)
            labels(origin: o, longestOverAll: true)
            addShortcuts(origin: o, into: &added)
            if !added.isEmpty { sortBush(origin: o) }
        }

        /// Adds links (i, j) with U_i + c_ij < U_j (Dial's rule) or L_i + c_ij < L_j and U_i < U_j (a shortcut for
        /// the least-cost path that keeps the U order).
        mutating func addShortcuts(origin o: Int, into added: inout [Int]) {
            let base = o * l
            for a in 0..<l where !state.inBush[base + a] {
                let i = Int(network.tail[a]), j = Int(network.head[a])
                guard low[i] < .infinity, low[j] < .infinity else { continue }
                guard i == o || network.canPassThrough(i) else { continue }
                if j == o { continue }
                if high[i] + cost[a] < high[j] || (low[i] + cost[a] < low[j] && high[i] < high[j]) {
                    state.inBush[base + a] = true
                    added.append(a)
                }
            }
        }

        /// One sweep of Newton flow moves between longest-used and least-cost segments, farthest node first.
        mutating func equilibrate(origin o: Int) {
            let base = o * l
            labels(origin: o, longestOverAll: false)
            for idx in stride(from: order.count - 1, through: 0, by: -1) {
                let j = Int(order[idx])
                if j == o { continue }
                let hp = highPred[j], lp = lowPred[j]
                if hp < 0 || lp < 0 || hp == lp { continue }
                if !(high[j] > low[j]) { continue }
                // The last common node of the two paths, walking back by topological position.
                var p = Int(network.tail[Int(lp)]), q = Int(network.tail[Int(hp)])
                while p != q {
                    if position[p] > position[q] {
                        p = Int(network.tail[Int(lowPred[p])])
                    } else {
                        q = Int(network.tail[Int(highPred[q])])
                    }
                }
                let m = p
                var costLow = 0.0, slopeLow = 0.0
                var i = j
                while i != m {
                    let a = Int(lowPred[i])
                    costLow += cost[a]
                    slopeLow += slope[a]
                    i = Int(network.tail[a])
                }
                var costHigh = 0.0, slopeHigh = 0.0, room = Double.infinity
                i = j
                while i != m {
                    let a = Int(highPred[i])
                    costHigh += cost[a]
                    slopeHigh += slope[a]
                    room = min(room, state.originFlow[base + a])
                    i = Int(network.tail[a])
                }
                let difference = costHigh - costLow
                guard difference > 0, room > 0 else { continue }
                let curvature = slopeHigh + slopeLow
                var delta = curvature > 0 ? min(room, difference / curvature) : room
                // A step within rounding of the whole room empties the segment exactly, so no rounding residue stays
                // behind as a phantom "used" path (which would mask the real longest path at this node).
                if delta > room * (1 - 1e-12) { delta = room }
                guard delta > 0 else { continue }
                i = j
                while i != m {
                    let a = Int(lowPred[i])
                    state.originFlow[base + a] += delta
                    setFlow(a, flow[a] + delta)
                    i = Int(network.tail[a])
                }
                i = j
                while i != m {
                    let a = Int(highPred[i])
                    let before = state.originFlow[base + a]
                    let remaining = before - delta
                    // Rounding residue (two links of one path differing in the last bits) is cleared: ≤ 1e-14 relative.
                    state.originFlow[base + a] = remaining > 1e-14 * before ? remaining : 0
                    setFlow(a, max(0, flow[a] - delta))
                    i = Int(network.tail[a])
                }
            }
        }

        /// Reloads origin o's current demand on its bush with the bush's approach proportions (warm start).
        mutating func reload(origin o: Int) {
            let base = o * l
            let any = state.inBush[base..<(base + l)].contains(true)
            if !hasDemand[o] {
                for a in 0..<l { state.originFlow[base + a] = 0 }
                return
            }
            if !any {
                // A new origin: its free-flow shortest-path tree, as in a cold start.
                var dijkstra = Dijkstra(nodeCount: n)
                cost.withUnsafeBufferPointer { dijkstra.run(network, origin: o, costs: $0) }
                for j in 0..<n where dijkstra.predecessor[j] >= 0 { state.inBush[base + Int(dijkstra.predecessor[j])] = true }
            }
            sortBush(origin: o)
            labels(origin: o, longestOverAll: true)
            var inflow = [Double](repeating: 0, count: n)
            for a in 0..<l where state.inBush[base + a] { inflow[Int(network.head[a])] += state.originFlow[base + a] }
            var nodeFlow = [Double](repeating: 0, count: n)
            for d in 0..<z where d != o { nodeFlow[d] = demand[o, d] }
            var newFlow = [Double](repeating: 0, count: l)
            for idx in stride(from: order.count - 1, through: 0, by: -1) {
                let j = Int(order[idx])
                let f = nodeFlow[j]
                if j == o || f == 0 { continue }
                if inflow[j] > 0 {
                    for k in Int(network.inStart[j])..<Int(network.inStart[j + 1]) {
                        let a = Int(network.inLinks[k])
                        guard state.inBush[base + a], state.originFlow[base + a] > 0 else { continue }
                        let share = f * state.originFlow[base + a] / inflow[j]
                        newFlow[a] += share
                        nodeFlow[Int(network.tail[a])] += share
                    }
                } else if lowPred[j] >= 0 {
                    let a = Int(lowPred[j])
                    newFlow[a] += f
                    nodeFlow[Int(network.tail[a])] += f
                }
            }
            for a in 0..<l { state.originFlow[base + a] = newFlow[a] }
        }
    }
}
