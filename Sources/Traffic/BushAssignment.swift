public import LinearAlgebra

/// The origin-based solution Algorithm B keeps between iterations and between solves: for each origin, its bush
/// (an acyclic set of links rooted at the origin) and the origin's flow on each bush link.
///
/// Storage is sparse, proportional to the bushes: each origin keeps only its own links (a 4-byte link index and an
/// 8-byte flow each), so memory is 12 · Σ_o |B_o| bytes rather than zones × links. The links are kept grouped by head
/// node, heads in topological order from the origin, so least and longest path labels take one pass over the list.
///
/// As a warm start for a *different* demand (``AssignmentOptions/warmStartBushes``), each origin's flow is reloaded with
/// its old approach proportions α_a = x^o_a / Σ_{b into head(a)} x^o_b (Bar-Gera 2002's origin-based representation):
/// walking the bush from the farthest node back, each node's new demand plus its through-flow is split over its
/// incoming links by α (by the bush's least-cost link where the old flow was 0). The result is feasible for the new
/// demand and keeps the old route split, which is near equilibrium when demand moves a little.
public struct BushState: Sendable {
    public let zoneCount: Int
    public let linkCount: Int
    var bushes: [Bush]

    /// Links stored over all bushes (each costs 12 bytes).
    public var storedLinks: Int { bushes.reduce(0) { $0 + $1.links.count } }
}

/// One origin's bush: its links, grouped by head node with the heads in topological order, and the origin's flow on
/// each (`flows[k]` is the flow on `links[k]`).
struct Bush: Sendable {
    var links: [Int32] = []
    var flows: [Double] = []
}

/// Algorithm B (Dial 2006, "A path-based user-equilibrium traffic assignment algorithm that obviates path storage and
/// enumeration", *Transportation Research Part B* 40(10), 917–936).
///
/// For each origin o the flow lives on a bush B_o: an acyclic subnetwork, so its nodes have a topological order and
/// least (L) and longest used (U) path costs from o are computed in one sweep. One iteration:
///
/// 0. *Measure* (in parallel over origins): a fresh Dijkstra run from every origin gives the least OD costs π_od at
///    the current costs, hence SPTT for the relative gap and each origin's own share of it,
///    g_o = Σ_{a ∈ B_o} x^o_a c_a − Σ_d q_od π_od ≥ 0 (Σ_o g_o = TSTT − SPTT). g_o bounds the origin's bush excess
///    e_o = Σ_a x^o_a c_a − Σ_d q_od L_d from above (a bush's least costs L are never below the true ones π), and
///    g_o = 0 means that every used path of o is a least-cost path of the whole network.
/// 1. *Improve the bushes* at the current costs (in parallel over origins: each bush depends only on the costs, so
///    the result does not depend on the thread count) of the origins whose g_o exceeds ``improveShare`` × the mean
///    g_o: on real networks the gap sits in a few origins (on Berlin-Center 1–3 of 865 hold 90 % of the bushes'
///    excess, and half have none), and an origin holding a hundredth of the mean has nothing to gain yet; it is
///    updated in a later iteration once its share has grown. Drop links that carry no flow of o, except the least-cost
///    tree within B_o, which keeps every node reachable. With L over the bush and U over its used links (U = L where
///    no used path arrives), every link (i, j) with U_i + c_ij < U_j (Dial's rule) or L_i + c_ij < L_j (a shortcut
///    for the least-cost path) is a candidate. Candidates that point forward in the bush's topological order are
///    merged into it (no cycle can form, no sort needed). Backward ones are tried all together with one topological
///    sort; if they close a cycle, each is kept only when no bush path leads from j back to i (a depth-first search
///    bounded by the rank of i, at most ``backwardLimit`` searches), and those are added with one more sort.
///
///    *Why not Dial's safe rule.* Adding (i, j) only when U_i < U_j with U over *all* bush links is acyclic by
///    construction, but zero-flow tree links inflate U_i and zero-cost connectors make ties U_i = U_j, and either
///    blocks a needed shortcut for good. On a network with non-through centroids, zero-time connectors, tolls,
///    dead ends and parallel links (``SyntheticCity``) that left least-cost labels 2–3 cost units above the true
///    shortest path for some OD pairs: the relative gap froze at 7e-6 while the objective converged to the
///    restricted bushes' optimum. Checking for an actual cycle adds every shortcut that does not close one.
/// 2. *Equilibrate the updated bushes* (up to ``sweeps`` sweeps per origin, origin by origin, fewer once a sweep
///    finds the origin's excess at or below the same threshold): for each node j, from the last in topological order
///    back, take the least-cost and the longest-used path into j, back to their last common node m. Moving Δ from
///    the longest segment σ_U to the least segment σ_L changes their cost difference by −Δ (Σ_{σ_U} c'_a +
///    Σ_{σ_L} c'_a); the Newton step Δ = (C_U − C_L) / (D_U + D_L), capped by the least flow on σ_U, is exact for
///    linear costs. Link costs and derivatives are updated after each move; segment costs are always summed afresh.
/// 3. *Equilibrate again*, up to ``innerPasses`` passes of one sweep per origin and no bush update, until the summed
///    origin excess Σ_o e_o falls below ``innerStop`` × its value after step 2. The tail is limited by the coupling
///    between origins (each origin's moves undo part of the others'), not by any one bush; with 6 fixed passes a
///    12×12 ``SyntheticCity`` took 86 iterations to 1e-10, with up to 40 it takes 17. A pass visits only the origins
///    whose last measured excess is above the mean (the others' excess is stale but small), and every
///    ``fullPassEvery``-th pass visits all of them (a schedule of the kind bush-based implementations use to spend
///    the work where the excess is; cf. Nie 2010, "A class of bush-based algorithms for the traffic assignment
///    problem", *Transportation Research Part B* 44(1), 73–89). On Berlin-Center this cut the inner passes' time
///    4-fold for the same iteration count; skipping without the periodic full pass doubled the iterations.
///
/// Each flow move keeps every origin's flow feasible, decreases Z, and leaves x^o ≥ 0; at a fixed point every used
/// path of every origin is least-cost, i.e. user equilibrium.
///
/// Which origins are visited depends only on sums taken in origin order, and the flow shifts are sequential over
/// origins, so results are identical on every run and for every thread count. (Shifting two fixed halves of the
/// origins in parallel against a frozen copy of the link state, then adding both halves' changes, is deterministic
/// too, but each half overshoots where the other moves the same way: on Berlin-Center the inner passes then ran into
/// their limit of 40 where the sequential ones need 13–20, and the CPU time grew by a fifth.)
/// - Complexity: O(|B_o|) per origin and sweep, O(L + |B_o|) per bush update; memory 12 · Σ_o |B_o| bytes plus
///   O(N + L) per thread.
enum BushAssignment {
    static let sweeps = 3
    /// Extra passes of one sweep per origin after each bush update (cf. the inner iterations of Boyles' TAP-B).
    /// At most this many passes; more are cheap in the tail, where one iteration then gains a factor of 10 or more.
    static let innerPasses = 40
    /// Inner passes stop once the summed origin excess is below this share of its value after the main pass (early
    /// on, when the bushes themselves are the limit, that is after a few passes).
    static let innerStop = 0.01
    /// Bushes are updated and equilibrated only for origins whose gap share g_o exceeds this share of the mean.
    static let improveShare = 0.01
    /// Every this-many-th inner pass visits all origins; the others only those with above-mean excess.
    static let fullPassEvery = 4
    /// At most this many backward shortcuts (each needs a search and a new topological sort) per bush update.
    static let backwardLimit = 64

    static func solve(_ network: Network, demand: Matrix, options: AssignmentOptions) throws -> AssignmentResult {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double { Assignment.seconds(clock.now - start) }
        let z = network.zoneCount, l = network.linkCount
        let totals = Assignment.demandTotals(demand)
        let threads = options.threads ?? Parallel.defaultThreads
        let destinations = destinationLists(demand)
        let active = (0..<z).filter { !destinations[$0].isEmpty }
        let workerCount = Parallel.workers(active.count, threads: threads)
        var workspaces = (0..<workerCount).map { _ in BushWorkspace(nodeCount: network.nodeCount, linkCount: l) }
        var state = LinkState(network.delay, flows: [Double](repeating: 0, count: l))

        // Link flows to start from (``AssignmentOptions/warmStartFlows``): the first bushes are the shortest-path trees
        // at their costs instead of at free flow.
        var startCost = state.cost
        if let flows = options.warmStartFlows, options.warmStartBushes == nil {
            try Assignment.checkConservation(network, flows: flows, demand: demand)
            startCost = network.delay.costs(flows)
        }
        var bushes: [Bush]
        if let warm = options.warmStartBushes, warm.zoneCount == z, warm.linkCount == l {
            bushes = warm.bushes
            let cost = state.cost
            try forEachOrigin(all: z, threads: threads, workspaces: &workspaces, bushes: &bushes) { w, o, bush in
                try w.reload(&bush, origin: o, destinations: destinations[o], network: network, cost: cost)
            }
        } else {
            bushes = [Bush](repeating: Bush(), count: z)
            let cost = startCost
            try forEachOrigin(all: z, threads: threads, workspaces: &workspaces, bushes: &bushes) { w, o, bush in
                try w.initialise(&bush, origin: o, destinations: destinations[o], network: network, cost: cost)
            }
        }
        state.recompute(bushes)

        var history: [IterationRecord] = []
        var status = AssignmentStatus.iterationLimit
        var k = 0
        var originGap = [Double](repeating: 0, count: z)
        while true {
            let sptt = try measureGaps(
                network, destinations: destinations, cost: state.cost, threads: threads, workspaces: &workspaces,
                bushes: &bushes, gaps: &originGap)
            let rec = Assignment.record(
                network, iteration: k, flows: state.flow, costs: state.cost, sptt: sptt,
                demand: totals.assigned, step: nil, elapsed: elapsed())
            history.append(rec)
            options.progress?(rec)
            if let reason = Assignment.stopReason(rec, iteration: k, options: options, elapsed: clock.now - start) {
                status = reason
                break
            }
            let threshold = improveShare * active.reduce(0) { $0 + originGap[$1] } / Double(active.count)
            let cost = state.cost
            try forEachOrigin(all: z, threads: threads, workspaces: &workspaces, bushes: &bushes) { w, o, bush in
                guard !destinations[o].isEmpty, originGap[o] > threshold else { return }
                w.improve(&bush, origin: o, network: network, cost: cost)
            }
            // The origins left out keep their gap share as an upper bound on their excess.
            var excess = originGap
            equilibrate(
                active.filter { originGap[$0] > threshold }, sweeps: sweeps, until: threshold, network: network,
                destinations: destinations, workspace: &workspaces[0], bushes: &bushes, state: &state, excess: &excess)
            let first = excess.reduce(0, +)
            for pass in 1...innerPasses {
                let total = excess.reduce(0, +)
                if total <= innerStop * first { break }
                let mean = total / Double(active.count)
                equilibrate(
                    pass % fullPassEvery == 0 ? active : active.filter { excess[$0] > mean }, sweeps: 1, until: 0,
                    network: network, destinations: destinations, workspace: &workspaces[0], bushes: &bushes,
                    state: &state, excess: &excess)
            }
            state.recompute(bushes)
            k += 1
        }
        return AssignmentResult(
            status: status, algorithm: .algorithmB, flows: state.flow, costs: state.cost, history: history,
            assignedDemand: totals.assigned, intrazonalDemand: totals.intrazonal,
            bushes: BushState(zoneCount: z, linkCount: l, bushes: bushes))
    }

    /// For each origin, its destinations with positive demand (o ≠ d), as (0-based zone, demand).
    static func destinationLists(_ demand: Matrix) -> [[(Int32, Double)]] {
        let z = demand.rows
        return (0..<z).map { o in
            (0..<z).compactMap { d in d != o && demand[o, d] > 0 ? (Int32(d), demand[o, d]) : nil }
        }
    }

    /// Runs `body` for every origin, in parallel, each worker with its own workspace; every origin's bush is touched
    /// by one worker only, so the result does not depend on the thread count. Rethrows the lowest origin's error.
    static func forEachOrigin(
        all z: Int, threads: Int, workspaces: inout [BushWorkspace], bushes: inout [Bush],
        _ body: (inout BushWorkspace, Int, inout Bush) throws -> Void
    ) throws {
        var errors = [(any Error)?](repeating: nil, count: z)
        let workers = min(workspaces.count, Parallel.workers(z, threads: threads))
        workspaces.withUnsafeMutableBufferPointer { ws in
            bushes.withUnsafeMutableBufferPointer { bs in
                errors.withUnsafeMutableBufferPointer { es in
                    withoutActuallyEscaping(body) { body in
                        let shared = UncheckedSendable((ws, bs, es, body))
                        Parallel.forEach(z, threads: workers) { w, o in
                            let (ws, bs, es, body) = shared.value
                            do { try body(&ws[w], o, &bs[o]) } catch { es[o] = error }
                        }
                    }
                }
            }
        }
        if let error = errors.lazy.compactMap({ $0 }).first { throw error }
    }
}

/// Global link flows with their costs and cost derivatives, kept in step.
struct LinkState {
    let delay: VolumeDelay
    var flow: [Double]
    var cost: [Double]
    var slope: [Double]

    init(_ delay: VolumeDelay, flows: [Double]) {
        self.delay = delay
        flow = flows
        cost = delay.costs(flows)
        slope = (0..<flows.count).map { delay.derivative($0, flows[$0]) }
    }

    @inline(__always)
    mutating func set(_ a: Int, _ v: Double) {
        flow[a] = v
        cost[a] = delay.cost(a, v)
        slope[a] = delay.derivative(a, v)
    }

    /// x = Σ_o x^o in origin order (exact re-summation, no drift), then costs and derivatives.
    mutating func recompute(_ bushes: [Bush]) {
        for a in flow.indices { flow[a] = 0 }
        for bush in bushes {
            for k in bush.links.indices { flow[Int(bush.links[k])] += bush.flows[k] }
        }
        for a in flow.indices {
            cost[a] = delay.cost(a, flow[a])
            slope[a] = delay.derivative(a, flow[a])
        }
    }
}

/// Per-thread scratch space for bush operations: node labels and link marks, reset after each use.
struct BushWorkspace {
    var low: [Double]
    var high: [Double]
    /// Bush-local index (into `Bush.links`) of the link into each node on its least-cost / longest-used path.
    var lowPred: [Int32]
    var highPred: [Int32]
    /// Topological rank of each labelled node: the bush-local index of the first link into it; −1 for the origin.
    var rank: [Int32]
    /// A node is labelled in the current pass when `stamp[i] == pass`.
    var stamp: [UInt32]
    var pass: UInt32 = 0
    /// Bush-local index of each link while a bush is marked, −1 otherwise.
    var local: [Int32]
    var indegree: [Int32]
    var nodeFlow: [Double]
    var inflow: [Double]
    var order: [Int32] = []
    var spareLinks: [Int32] = []
    var spareFlows: [Double] = []
    var forward: [Int32] = []
    var backward: [Int32] = []
    var stack: [Int32] = []
    var dijkstra: Dijkstra

    init(nodeCount n: Int, linkCount l: Int) {
        low = [Double](repeating: .infinity, count: n)
        high = [Double](repeating: -.infinity, count: n)
        lowPred = [Int32](repeating: -1, count: n)
        highPred = [Int32](repeating: -1, count: n)
        rank = [Int32](repeating: -1, count: n)
        stamp = [UInt32](repeating: 0, count: n)
        local = [Int32](repeating: -1, count: l)
        indegree = [Int32](repeating: 0, count: n)
        nodeFlow = [Double](repeating: 0, count: n)
        inflow = [Double](repeating: 0, count: n)
        dijkstra = Dijkstra(nodeCount: n)
    }

    /// A new bush: the shortest-path tree at `cost`, with the origin's demand loaded on it.
    mutating func initialise(
        _ bush: inout Bush, origin o: Int, destinations: [(Int32, Double)], network: Network, cost: [Double]
    ) throws {
        bush = Bush()
        guard !destinations.isEmpty else { return }
        cost.withUnsafeBufferPointer { dijkstra.run(network, origin: o, costs: $0) }
        for (d, q) in destinations where !dijkstra.distance[Int(d)].isFinite {
            throw TrafficError.unreachable(origin: o + 1, destination: Int(d) + 1, demand: q)
        }
        // Settled order is topological for the tree (a node settles after its predecessor).
        let settled = dijkstra.settled
        bush.links.reserveCapacity(settled.count - 1)
        for s in settled.dropFirst() { bush.links.append(dijkstra.predecessor[Int(s)]) }
        bush.flows = [Double](repeating: 0, count: bush.links.count)
        for (d, q) in destinations { nodeFlow[Int(d)] = q }
        for idx in stride(from: settled.count - 1, through: 1, by: -1) {
            let j = Int(settled[idx])
            let f = nodeFlow[j]
            nodeFlow[j] = 0
            if f == 0 { continue }
            let a = Int(bush.links[idx - 1])
            bush.flows[idx - 1] = f
            nodeFlow[Int(network.tail[a])] += f
        }
        nodeFlow[o] = 0
    }

    /// Kahn's topological sort of the bush from the origin; rewrites `links`/`flows` grouped by head in that order
    /// (within a head, by link index). Returns false, leaving the bush as it was, when the links hold a cycle.
    mutating func sort(_ bush: inout Bush, origin o: Int, network: Network) -> Bool {
        let m = bush.links.count
        for k in 0..<m {
            let a = Int(bush.links[k])
            local[a] = Int32(k)
            indegree[Int(network.head[a])] += 1
        }
        order.removeAll(keepingCapacity: true)
        order.append(Int32(o))
        var next = 0
        while next < order.count {
            let i = Int(order[next])
            next += 1
            for p in Int(network.outStart[i])..<Int(network.outStart[i + 1]) {
                let a = Int(network.outLinks[p])
                guard local[a] >= 0 else { continue }
                let j = Int(network.head[a])
                indegree[j] -= 1
                if indegree[j] == 0 { order.append(Int32(j)) }
            }
        }
        spareLinks.removeAll(keepingCapacity: true)
        spareFlows.removeAll(keepingCapacity: true)
        for idx in 1..<order.count {
            let j = Int(order[idx])
            for p in Int(network.inStart[j])..<Int(network.inStart[j + 1]) {
                let a = Int(network.inLinks[p])
                let k = Int(local[a])
                guard k >= 0 else { continue }
                spareLinks.append(Int32(a))
                spareFlows.append(bush.flows[k])
            }
        }
        let acyclic = spareLinks.count == m
        for k in 0..<m {
            let a = Int(bush.links[k])
            local[a] = -1
            indegree[Int(network.head[a])] = 0
        }
        if acyclic {
            swap(&bush.links, &spareLinks)
            swap(&bush.flows, &spareFlows)
        }
        return acyclic
    }

    /// Least-cost labels over all bush links and longest-cost labels over links with flow (or over all bush links
    /// when `usedOnly` is false), in one pass over the topologically grouped links; also each head's rank.
    mutating func labels(_ bush: Bush, origin o: Int, network: Network, cost: [Double], usedOnly: Bool) {
        pass &+= 1
        let s = pass
        stamp[o] = s
        low[o] = 0
        high[o] = 0
        lowPred[o] = -1
        highPred[o] = -1
        rank[o] = -1
        var last = -1
        for k in 0..<bush.links.count {
            let a = Int(bush.links[k])
            let i = Int(network.tail[a]), j = Int(network.head[a])
            if j != last {
                last = j
                stamp[j] = s
                low[j] = .infinity
                high[j] = -.infinity
                lowPred[j] = -1
                highPred[j] = -1
                rank[j] = Int32(k)
            }
            let c = cost[a]
            let viaLow = low[i] + c
            if viaLow < low[j] {
                low[j] = viaLow
                lowPred[j] = Int32(k)
            }
            if high[i] > -.infinity && (!usedOnly || bush.flows[k] > 0) {
                let viaHigh = high[i] + c
                if viaHigh > high[j] {
                    high[j] = viaHigh
                    highPred[j] = Int32(k)
                }
            }
        }
    }

    /// Ranks only (after a sort), as ``labels(_:origin:network:cost:usedOnly:)`` sets them.
    mutating func ranks(_ bush: Bush, origin o: Int, network: Network) {
        rank[o] = -1
        var last = -1
        for k in 0..<bush.links.count {
            let j = Int(network.head[Int(bush.links[k])])
            if j != last {
                last = j
                rank[j] = Int32(k)
            }
        }
    }

    /// Dial's bush update with reachability-checked backward shortcuts (see ``BushAssignment``).
    mutating func improve(_ bush: inout Bush, origin o: Int, network: Network, cost: [Double]) {
        // L over the bush, U over its used links; dropping unused non-tree links changes neither.
        labels(bush, origin: o, network: network, cost: cost, usedOnly: true)
        let s = pass
        // Drop unused links, keeping the least-cost tree. Compaction keeps the grouped topological order; every node
        // keeps its tree link, so no group empties, and ranks follow the new positions.
        var w = 0
        var last = -1
        for k in 0..<bush.links.count {
            let a = Int(bush.links[k])
            let j = Int(network.head[a])
            if bush.flows[k] > 0 || lowPred[j] == Int32(k) {
                if j != last {
                    last = j
                    rank[j] = Int32(w)
                }
                bush.links[w] = bush.links[k]
                bush.flows[w] = bush.flows[k]
                w += 1
            }
        }
        bush.links.removeLast(bush.links.count - w)
        bush.flows.removeLast(bush.flows.count - w)
        for k in 0..<bush.links.count {
            let j = Int(network.head[Int(bush.links[k])])
            if high[j] == -.infinity { high[j] = low[j] }
            local[Int(bush.links[k])] = Int32(k)
        }
        forward.removeAll(keepingCapacity: true)
        backward.removeAll(keepingCapacity: true)
        for a in 0..<network.linkCount where local[a] < 0 {
            let i = Int(network.tail[a]), j = Int(network.head[a])
            guard stamp[i] == s, stamp[j] == s, j != o, i == o || network.canPassThrough(i) else { continue }
            let c = cost[a]
            if rank[i] < rank[j] {
                if high[i] + c < high[j] || low[i] + c < low[j] { forward.append(Int32(a)) }
            } else if high[i] + c < high[j] || low[i] + c < low[j] {
                backward.append(Int32(a))
            }
        }
        for a in bush.links { local[Int(a)] = -1 }
        if !forward.isEmpty {
            // Forward links keep the current order valid: merge each into its head's group, no sort needed.
            let keyed = forward.map { (rank[Int(network.head[Int($0)])], $0) }.sorted { $0 < $1 }
            spareLinks.removeAll(keepingCapacity: true)
            spareFlows.removeAll(keepingCapacity: true)
            var f = 0
            var k = 0
            let m = bush.links.count
            while k < m {
                let j = network.head[Int(bush.links[k])]
                while k < m && network.head[Int(bush.links[k])] == j {
                    spareLinks.append(bush.links[k])
                    spareFlows.append(bush.flows[k])
                    k += 1
                }
                while f < keyed.count && network.head[Int(keyed[f].1)] == j {
                    spareLinks.append(keyed[f].1)
                    spareFlows.append(0)
                    f += 1
                }
            }
            precondition(f == keyed.count, "bush of origin \(o + 1): a forward link's head is not in the bush (a bug)")
            swap(&bush.links, &spareLinks)
            swap(&bush.flows, &spareFlows)
        }
        guard !backward.isEmpty else { return }
        // Usually the backward candidates close no cycle (the order among unconnected nodes is arbitrary): try them
        // all with one sort first.
        for a in backward {
            bush.links.append(a)
            bush.flows.append(0)
        }
        if sort(&bush, origin: o, network: network) { return }
        bush.links.removeLast(backward.count)
        bush.flows.removeLast(backward.count)
        // Backward shortcuts: keep those whose head does not reach their tail, add them together and sort; if two of
        // them close a cycle between them, add only the first (checked against the bush, so it cannot).
        ranks(bush, origin: o, network: network)
        for a in bush.links { local[Int(a)] = 0 }
        var accepted = 0
        for (n, a) in backward.enumerated() where n < BushAssignment.backwardLimit {
            if reaches(from: Int(network.head[Int(a)]), to: Int(network.tail[Int(a)]), network: network) { continue }
            backward[accepted] = a
            accepted += 1
        }
        for a in bush.links { local[Int(a)] = -1 }
        guard accepted > 0 else { return }
        for a in backward.prefix(accepted) {
            bush.links.append(a)
            bush.flows.append(0)
        }
        if sort(&bush, origin: o, network: network) { return }
        bush.links.removeLast(accepted - 1)
        bush.flows.removeLast(accepted - 1)
        let acyclic = sort(&bush, origin: o, network: network)
        precondition(acyclic, "bush of origin \(o + 1): a checked backward link closed a cycle (a bug)")
    }

    /// Whether a bush path leads from `from` to `to` (bush links marked in `local`); only nodes ranked at most
    /// `rank[to]` can lie on one, which bounds the search.
    mutating func reaches(from start: Int, to target: Int, network: Network) -> Bool {
        pass &+= 1
        let s = pass
        let limit = rank[target]
        stack.removeAll(keepingCapacity: true)
        stack.append(Int32(start))
        stamp[start] = s
        while let u = stack.popLast() {
            let i = Int(u)
            if i == target { return true }
            for p in Int(network.outStart[i])..<Int(network.outStart[i + 1]) {
                let a = Int(network.outLinks[p])
                guard local[a] >= 0 else { continue }
                let j = Int(network.head[a])
                if stamp[j] != s && rank[j] <= limit {
                    stamp[j] = s
                    stack.append(Int32(j))
                }
            }
        }
        return false
    }

    /// One sweep of Newton flow moves between longest-used and least-cost segments, farthest node first.
    /// Returns the origin's excess cost before the sweep, Σ_a x^o_a c_a − Σ_d q_od L_d (≥ 0; 0 at equilibrium).
    @discardableResult
    mutating func equilibrate(
        _ bush: inout Bush, origin o: Int, destinations: [(Int32, Double)], network: Network, state: inout LinkState
    ) -> Double {
        labels(bush, origin: o, network: network, cost: state.cost, usedOnly: true)
        var excess = 0.0
        for k in bush.links.indices { excess += bush.flows[k] * state.cost[Int(bush.links[k])] }
        for (d, q) in destinations { excess -= q * low[Int(d)] }
        var k = bush.links.count - 1
        while k >= 0 {
            let j = Int(network.head[Int(bush.links[k])])
            k = Int(rank[j]) - 1
            let hp = Int(highPred[j]), lp = Int(lowPred[j])
            if hp < 0 || lp < 0 || hp == lp || !(high[j] > low[j]) { continue }
            // The last common node of the two paths, walking back by topological rank.
            var p = Int(network.tail[Int(bush.links[lp])]), q = Int(network.tail[Int(bush.links[hp])])
            while p != q {
                if rank[p] > rank[q] {
                    p = Int(network.tail[Int(bush.links[Int(lowPred[p])])])
                } else {
                    q = Int(network.tail[Int(bush.links[Int(highPred[q])])])
                }
            }
            let m = p
            var costLow = 0.0, slopeLow = 0.0
            var i = j
            while i != m {
                let e = Int(lowPred[i])
                let a = Int(bush.links[e])
                costLow += state.cost[a]
                slopeLow += state.slope[a]
                i = Int(network.tail[a])
            }
            var costHigh = 0.0, slopeHigh = 0.0, room = Double.infinity
            i = j
            while i != m {
                let e = Int(highPred[i])
                let a = Int(bush.links[e])
                costHigh += state.cost[a]
                slopeHigh += state.slope[a]
                room = min(room, bush.flows[e])
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
                let e = Int(lowPred[i])
                let a = Int(bush.links[e])
                bush.flows[e] += delta
                state.set(a, state.flow[a] + delta)
                i = Int(network.tail[a])
            }
            i = j
            while i != m {
                let e = Int(highPred[i])
                let a = Int(bush.links[e])
                let before = bush.flows[e]
                let remaining = before - delta
                // Rounding residue (two links of one path differing in the last bits) is cleared: ≤ 1e-14 relative.
                bush.flows[e] = remaining > 1e-14 * before ? remaining : 0
                state.set(a, max(0, state.flow[a] - delta))
                i = Int(network.tail[a])
            }
        }
        return max(0, excess)
    }

    /// Reloads origin o's current demand on its bush with the bush's approach proportions (warm start).
    mutating func reload(
        _ bush: inout Bush, origin o: Int, destinations: [(Int32, Double)], network: Network, cost: [Double]
    ) throws {
        guard !destinations.isEmpty else {
            bush = Bush()
            return
        }
        if bush.links.isEmpty {
            try initialise(&bush, origin: o, destinations: destinations, network: network, cost: cost)
            return
        }
        let acyclic = sort(&bush, origin: o, network: network)
        precondition(acyclic, "a warm-start bush of origin \(o + 1) has a cycle")
        labels(bush, origin: o, network: network, cost: cost, usedOnly: false)
        let s = pass
        for k in bush.links.indices { inflow[Int(network.head[Int(bush.links[k])])] += bush.flows[k] }
        for (d, q) in destinations {
            guard stamp[Int(d)] == s else {
                throw TrafficError.unreachable(origin: o + 1, destination: Int(d) + 1, demand: q)
            }
            nodeFlow[Int(d)] = q
        }
        var flows = [Double](repeating: 0, count: bush.links.count)
        var k = bush.links.count - 1
        while k >= 0 {
            let j = Int(network.head[Int(bush.links[k])])
            let first = Int(rank[j])
            let f = nodeFlow[j]
            if f != 0 {
                if inflow[j] > 0 {
                    for e in first...k where bush.flows[e] > 0 {
                        let share = f * bush.flows[e] / inflow[j]
                        flows[e] += share
                        nodeFlow[Int(network.tail[Int(bush.links[e])])] += share
                    }
                } else {
                    let e = Int(lowPred[j])
                    flows[e] += f
                    nodeFlow[Int(network.tail[Int(bush.links[e])])] += f
                }
            }
            k = first - 1
        }
        for a in bush.links {
            let j = Int(network.head[Int(a)])
            inflow[j] = 0
            nodeFlow[j] = 0
        }
        nodeFlow[o] = 0
        bush.flows = flows
    }
}

extension BushState {
    /// Select-link analysis: the OD matrix of the flow that uses any of `links` (0-based link indices; pass all
    /// parallel links between two nodes to select the road), for the demand these bushes were solved with.
    ///
    /// Within an origin's bush, a trip's route is given by the approach proportions α_a = x^o_a / Σ_{b into head(a)}
    /// x^o_b (Bar-Gera 2002): the share of o's flow at node j that used a selected link is
    /// s_j = Σ_{b into j} α_b · (1 if b is selected, else s_tail(b)), the same for every destination, so the flow from o
    /// to d on the selected links is q_od · s_d. The entries sum, over all OD pairs, to the selected links' volume
    /// when the selected links are not on a common path (otherwise a trip that uses two of them counts once).
    /// - Complexity: O(Σ_o |B_o| + Z²).
    public func selectLink(_ links: [Int], network: Network, demand: Matrix) -> Matrix {
        precondition(network.zoneCount == zoneCount && network.linkCount == linkCount, "bushes of another network")
        let z = zoneCount
        var selected = [Bool](repeating: false, count: linkCount)
        for a in links { selected[a] = true }
        var share = [Double](repeating: 0, count: network.nodeCount)
        var result = Matrix(rows: z, columns: z)
        for o in 0..<z where !bushes[o].links.isEmpty {
            let bush = bushes[o]
            var k = 0
            while k < bush.links.count {
                let j = Int(network.head[Int(bush.links[k])])
                var total = 0.0, through = 0.0
                while k < bush.links.count && Int(network.head[Int(bush.links[k])]) == j {
                    let a = Int(bush.links[k])
                    let x = bush.flows[k]
                    total += x
                    through += x * (selected[a] ? 1 : share[Int(network.tail[a])])
                    k += 1
                }
                share[j] = total > 0 ? through / total : 0
            }
            for d in 0..<z where d != o && demand[o, d] > 0 { result[o, d] = demand[o, d] * share[d] }
            for a in bush.links { share[Int(network.head[Int(a)])] = 0 }
        }
        return result
    }
}
