import LinearAlgebra
import Testing
import Traffic

/// Braess's paradox (Braess 1968) in BPR form, solved by hand.
///
/// Nodes 1 → {2, 3} → 4, demand 6 from 1 to 4. c₁₂ = c₃₄ = 10 + 10x (t₀ 10, b 1, C 1, p 1); c₁₃ = c₂₄ = 50 + x
/// (t₀ 50, b 1, C 50); the bridge c₂₃ = 10 + x (t₀ 10, b 1, C 10). By symmetry the outer paths carry f each and the
/// bridge path 6 − 2f; equal costs 120 − 9f = 156 − 22f give f = 36/13: x₁₂ = x₃₄ = 42/13, x₁₃ = x₂₄ = 36/13,
/// x₂₃ = 6/13, OD cost 1236/13 ≈ 95.08. Without the bridge f = 3 and the cost is 93: the new road makes everyone worse off.
@Suite("Small networks solved by hand")
struct SmallNetworkTests {
    static let bridge = Link(from: 2, to: 3, capacity: 10, length: 1, freeFlowTime: 10, b: 1, power: 1)
    static let outer = [
        Link(from: 1, to: 2, capacity: 1, length: 1, freeFlowTime: 10, b: 1, power: 1),
        Link(from: 1, to: 3, capacity: 50, length: 1, freeFlowTime: 50, b: 1, power: 1),
        Link(from: 2, to: 4, capacity: 50, length: 1, freeFlowTime: 50, b: 1, power: 1),
        Link(from: 3, to: 4, capacity: 1, length: 1, freeFlowTime: 10, b: 1, power: 1),
    ]

    static func demand() -> Matrix {
        var q = Matrix(rows: 4, columns: 4)
        q[0, 3] = 6
        return q
    }

    @Test("Braess: equilibrium flows and costs by hand, for every algorithm", arguments: AssignmentAlgorithm.allCases)
    func braess(algorithm: AssignmentAlgorithm) throws {
        let network = try Network(nodeCount: 4, zoneCount: 4, links: Self.outer + [Self.bridge])
        let gap = algorithm == .frankWolfe ? 1e-8 : 1e-12
        let result = try Assignment.solve(
            network, demand: Self.demand(),
            options: AssignmentOptions(algorithm: algorithm, relativeGap: gap, maxIterations: 100_000))
        #expect(result.status == .converged)
        let expected = [42.0 / 13, 36.0 / 13, 36.0 / 13, 42.0 / 13, 6.0 / 13]
        // Flow error is about √gap · demand for a problem this well conditioned (quadratic objective):
        // 1e-4 covers FW at gap 1e-8, 1e-6 the others at 1e-12.
        let tolerance = algorithm == .frankWolfe ? 1e-3 : 1e-5
        for (a, x) in expected.enumerated() {
            #expect(abs(result.flows[a] - x) <= tolerance, "link \(a + 1): \(result.flows[a]) vs \(x)")
        }
        let pathCost = result.costs[0] + result.costs[2]
        #expect(abs(pathCost - 1236.0 / 13) <= 10 * tolerance)
    }

    @Test("Braess: without the bridge every path costs 93")
    func withoutBridge() throws {
        let network = try Network(nodeCount: 4, zoneCount: 4, links: Self.outer)
        let result = try Assignment.solve(
            network, demand: Self.demand(), options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-12))
        for a in 0..<4 { #expect(abs(result.flows[a] - 3) <= 1e-6) }
        #expect(abs(result.costs[0] + result.costs[2] - 93) <= 1e-6)
    }

    @Test("zones below <FIRST THRU NODE> are never passed through")
    func firstThroughNode() throws {
        // 1 → 2 → 3 is short (cost 2) but 2 is a zone; with <FIRST THRU NODE> 4 the path must be 1 → 4 → 3 (cost 10).
        let links = [
            Link(from: 1, to: 2, capacity: 1, length: 1, freeFlowTime: 1, b: 0, power: 4),
            Link(from: 2, to: 3, capacity: 1, length: 1, freeFlowTime: 1, b: 0, power: 4),
            Link(from: 1, to: 4, capacity: 1, length: 1, freeFlowTime: 5, b: 0, power: 4),
            Link(from: 4, to: 3, capacity: 1, length: 1, freeFlowTime: 5, b: 0, power: 4),
        ]
        var q = Matrix(rows: 3, columns: 3)
        q[0, 2] = 10
        q[0, 1] = 1  // zone 2 itself may still be reached
        for algorithm in AssignmentAlgorithm.allCases {
            let restricted = try Network(nodeCount: 4, zoneCount: 3, firstThroughNode: 4, links: links)
            let r = try Assignment.solve(restricted, demand: q, options: AssignmentOptions(algorithm: algorithm))
            #expect(r.flows == [1, 0, 10, 10], "\(algorithm)")
            let open = try Network(nodeCount: 4, zoneCount: 3, firstThroughNode: 1, links: links)
            let s = try Assignment.solve(open, demand: q, options: AssignmentOptions(algorithm: algorithm))
            #expect(s.flows == [11, 10, 0, 0], "\(algorithm)")
        }
    }

    @Test("constant-cost links (b = 0, power = 0), zero free-flow time, tolls and distance in the generalized cost")
    func specialLinks() throws {
        // Two routes 1 → 2: a congestible road (t₀ 10, C 100, p 1, b 1) and a constant one (power 0: 10·(1 + 1) = 20).
        // Equilibrium: 10 (1 + x/100) = 20 → x = 100 on the road, the rest on the constant link.
        var links = [
            Link(from: 1, to: 2, capacity: 100, length: 0, freeFlowTime: 10, b: 1, power: 1),
            Link(from: 1, to: 3, capacity: 0, length: 0, freeFlowTime: 10, b: 1, power: 0),
            Link(from: 3, to: 2, capacity: 0, length: 0, freeFlowTime: 0, b: 0.15, power: 4),  // zero time, no capacity
        ]
        var q = Matrix(rows: 2, columns: 2)
        q[0, 1] = 300
        q[1, 1] = 7  // intrazonal: reported, not assigned
        for algorithm in [AssignmentAlgorithm.biconjugateFrankWolfe, .algorithmB] {
            let network = try Network(nodeCount: 3, zoneCount: 2, links: links)
            let r = try Assignment.solve(network, demand: q, options: AssignmentOptions(algorithm: algorithm, relativeGap: 1e-12))
            #expect(abs(r.flows[0] - 100) <= 1e-6, "\(algorithm): \(r.flows)")
            #expect(abs(r.flows[1] - 200) <= 1e-6)
            #expect(r.intrazonalDemand == 7)
            #expect(r.assignedDemand == 300)
        }
        // A toll of 5 at toll factor 2 on the road adds 10: 10 (1 + x/100) + 10 = 20 → x = 0.
        links[0].toll = 5
        let tolled = try Network(nodeCount: 3, zoneCount: 2, links: links, tollFactor: 2)
        let r = try Assignment.solve(tolled, demand: q, options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-12))
        #expect(abs(r.flows[0]) <= 1e-6)
        // Distance: length 4 at factor 2.5 on the constant route adds 10, so the road takes x = 200 (10 (1 + 2) = 30).
        links[0].toll = 0
        links[1].length = 4
        let far = try Network(nodeCount: 3, zoneCount: 2, links: links, distanceFactor: 2.5)
        let s = try Assignment.solve(far, demand: q, options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-12))
        #expect(abs(s.flows[0] - 200) <= 1e-6)
        // A negative generalized cost is refused (shortest paths need costs ≥ 0).
        #expect(throws: TrafficError.self) { try Network(nodeCount: 3, zoneCount: 2, links: links, distanceFactor: -1) }
    }

    @Test("demand with no path is a typed error naming the pair")
    func unreachable() throws {
        let network = try Network(nodeCount: 2, zoneCount: 2, links: [Link(from: 1, to: 2, capacity: 1, length: 1, freeFlowTime: 1)])
        var q = Matrix(rows: 2, columns: 2)
        q[1, 0] = 5
        for algorithm in AssignmentAlgorithm.allCases {
            #expect(throws: TrafficError.unreachable(origin: 2, destination: 1, demand: 5)) {
                try Assignment.solve(network, demand: q, options: AssignmentOptions(algorithm: algorithm))
            }
        }
    }

    @Test("shortest paths and all-or-nothing loads are identical for 1, 2 and 7 threads")
    func threadIndependence() throws {
        let (network, demand) = try gridNetwork(side: 12, zones: 40)
        let costs = (0..<network.linkCount).map { network.delay.cost($0, Double($0 % 17) * 90) }
        let one = try AllOrNothing.load(network, demand: demand, costs: costs, threads: 1)
        for threads in [2, 7] {
            let many = try AllOrNothing.load(network, demand: demand, costs: costs, threads: threads)
            #expect(many.volumes == one.volumes)
            #expect(many.shortestPathCost == one.shortestPathCost)
            #expect(ShortestPaths.skim(network, costs: costs, threads: threads) == ShortestPaths.skim(network, costs: costs, threads: 1))
        }
        #expect(worstImbalance(network, one.volumes, demand) <= 1e-9 * demand.sum)
    }

    @Test("Algorithm B on a 64-node grid reaches gap 1e-10 with conserved flow; BFW's objective agrees")
    func grid() throws {
        let (network, demand) = try gridNetwork(side: 8, zones: 20)
        let bush = try Assignment.solve(network, demand: demand, options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-10))
        #expect(bush.status == .converged)
        #expect(worstImbalance(network, bush.flows, demand) <= 1e-9 * demand.sum)
        let bfw = try Assignment.solve(
            network, demand: demand, options: AssignmentOptions(algorithm: .biconjugateFrankWolfe, relativeGap: 1e-4))
        // Z(bfw) − Z(bush) is bounded by BFW's gap · TSTT (convexity), and is ≥ −(bush's own bound).
        let difference = bfw.beckmann - bush.beckmann
        #expect(difference <= bfw.relativeGap * bfw.totalSystemTravelTime)
        #expect(difference >= -bush.relativeGap * bush.totalSystemTravelTime - 1e-9 * bush.beckmann)
    }

    /// The synthetic grid generator at 225 nodes and 100 zones: the size at which Algorithm B's slow
    /// tail (origins undoing each other's equilibration) used to stall it above 1e-8. With the extra
    /// all-origin equilibration passes it reaches 1e-10 in well under a second (release).
    @Test("Algorithm B reaches gap 1e-10 on the 15×15 synthetic grid with 100 zones")
    func syntheticGridHighPrecision() throws {
        let (network, demand) = try SyntheticGrid.make(side: 15, zones: 100)
        let bush = try Assignment.solve(
            network, demand: demand, options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-10, maxIterations: 400))
        #expect(bush.status == .converged, "gap \(bush.relativeGap) after \(bush.history.count) iterations")
        #expect(worstImbalance(network, bush.flows, demand) <= 1e-9 * demand.sum)
    }
}
