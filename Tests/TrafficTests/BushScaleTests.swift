import Foundation
import LinearAlgebra
import Testing
import Traffic

/// Algorithm B on networks with the features of real city networks (``SyntheticCity``): zones that are non-through
/// centroids, zero-time connectors (some parallel), tolls and lengths in the generalized cost, dead-end nodes and
/// parallel express links. Before the bush update checked backward shortcuts for actual cycles, such networks left
/// some bushes without their least-cost paths and the gap froze near 7e-6 (30×30 city, 387 zones).
@Suite("Algorithm B at city scale")
struct BushScaleTests {
    static let long = ProcessInfo.processInfo.environment["CITYTWIN_LONG_TESTS"] == "1"

    @Test("the synthetic city has non-through zones, zero-cost connectors, tolls, lengths, dead ends and parallel links")
    func cityFeatures() throws {
        let (network, _) = try SyntheticCity.make(side: 10, zones: 30, scale: 6)
        #expect(network.firstThroughNode == 31 && !network.canPassThrough(5) && network.canPassThrough(30))
        let zeroCost = (0..<network.linkCount).filter { network.delay.cost($0, 1e6) == 0 }
        #expect(zeroCost.count >= 30, "zero-time, zero-length connectors")
        let pairs = Set(network.links.map { [$0.from, $0.to] })
        #expect(pairs.count < network.linkCount, "parallel links")
        var outDegree = [Int](repeating: 0, count: network.nodeCount)
        for link in network.links { outDegree[link.from - 1] += 1 }
        #expect(outDegree.contains(0), "a node with no way out")
        #expect(network.links.contains { $0.toll > 0 } && network.delay.fixedCost.contains { $0 > 0 })
    }

    /// Zones are never passed through, so each zone's outflow is exactly what it produces and its inflow what it
    /// attracts (to 1e-9 of the total demand, the conservation tolerance used throughout these tests).
    func expectNoThroughTraffic(_ network: Network, _ flows: [Double], _ demand: Matrix) {
        let z = network.zoneCount
        var out = [Double](repeating: 0, count: z), into = [Double](repeating: 0, count: z)
        for (a, link) in network.links.enumerated() {
            if link.from <= z { out[link.from - 1] += flows[a] }
            if link.to <= z { into[link.to - 1] += flows[a] }
        }
        let tolerance = 1e-9 * demand.sum
        for i in 0..<z {
            let produced = (0..<z).reduce(0) { $0 + ($1 == i ? 0 : demand[i, $1]) }
            let attracted = (0..<z).reduce(0) { $0 + ($1 == i ? 0 : demand[$1, i]) }
            #expect(abs(out[i] - produced) <= tolerance, "zone \(i + 1) sends \(out[i]), produces \(produced)")
            #expect(abs(into[i] - attracted) <= tolerance, "zone \(i + 1) receives \(into[i]), attracts \(attracted)")
        }
    }

    /// Congested (mean v/c well above 1 at free flow) so the tail matters: 10×10 with 30 zones and 12×12 with 40.
    @Test("Algorithm B reaches gap 1e-10 on congested synthetic cities", arguments: [(10, 30, 6.0), (12, 40, 5.0)])
    func cityHighPrecision(side: Int, zones: Int, scale: Double) throws {
        let (network, demand) = try SyntheticCity.make(side: side, zones: zones, scale: scale)
        let result = try Assignment.solve(
            network, demand: demand, options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-10, maxIterations: 100))
        #expect(result.status == .converged, "gap \(result.relativeGap) after \(result.iterations) iterations")
        #expect(worstImbalance(network, result.flows, demand) <= 1e-9 * demand.sum)
        expectNoThroughTraffic(network, result.flows, demand)
        // Z(bfw) − Z(bush) is bounded by BFW's gap · TSTT (convexity), and is ≥ −(bush's own bound).
        let bfw = try Assignment.solve(
            network, demand: demand, options: AssignmentOptions(algorithm: .biconjugateFrankWolfe, relativeGap: 1e-4))
        let difference = bfw.beckmann - result.beckmann
        #expect(difference <= bfw.relativeGap * bfw.totalSystemTravelTime)
        #expect(difference >= -result.relativeGap * result.totalSystemTravelTime - 1e-9 * result.beckmann)
    }

    @Test("Algorithm B gives bit-identical flows and bushes for 1, 2 and 3 threads")
    func threadCountIndependence() throws {
        let (network, demand) = try SyntheticCity.make(side: 10, zones: 30, scale: 6)
        func run(_ threads: Int) throws -> AssignmentResult {
            try Assignment.solve(
                network, demand: demand,
                options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-12, maxIterations: 8, threads: threads))
        }
        let one = try run(1)
        for threads in [2, 3] {
            let many = try run(threads)
            #expect(many.flows == one.flows)
            #expect(many.history.map(\.relativeGap) == one.history.map(\.relativeGap))
            #expect(many.bushes?.storedLinks == one.bushes?.storedLinks)
        }
    }

    /// Each bush holds only its own links: never a link out of another zone (non-through), so storage stays below
    /// origins × (links − outgoing connectors of the other zones), far from the dense origins × links.
    @Test("bush storage is proportional to the bushes, not zones × links")
    func sparseStorage() throws {
        let (network, demand) = try SyntheticCity.make(side: 10, zones: 30, scale: 6)
        let result = try Assignment.solve(
            network, demand: demand, options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-8))
        let stored = try #require(result.bushes).storedLinks
        let connectorsOut = network.links.filter { $0.from <= network.zoneCount }.count
        let bound = network.zoneCount * (network.linkCount - connectorsOut + 3)
        #expect(stored > 0 && stored <= bound, "\(stored) stored links, bound \(bound)")
    }

    @Test("Algorithm B warm-started from link flows converges to the same equilibrium")
    func warmStartFromFlows() throws {
        let (network, demand) = try SyntheticCity.make(side: 10, zones: 30, scale: 6)
        let cold = try Assignment.solve(
            network, demand: demand, options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-10))
        let warm = try Assignment.solve(
            network, demand: demand,
            options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-10, warmStartFlows: cold.flows))
        #expect(warm.status == .converged)
        // Both within gap 1e-10 of the unique link-flow equilibrium (strictly increasing costs on all but connectors).
        #expect(abs(warm.beckmann - cold.beckmann) <= 1e-9 * cold.beckmann)
    }

    /// About 20 s in a release build (`swift test -c release`), minutes in a debug build: run with CITYTWIN_LONG_TESTS=1.
    @Test("Algorithm B reaches gap 1e-10 on the 30×30 synthetic city with 387 zones", .enabled(if: long))
    func largeCity() throws {
        let (network, demand) = try SyntheticCity.make(side: 30, zones: 387, scale: 0.12)
        let result = try Assignment.solve(
            network, demand: demand, options: AssignmentOptions(algorithm: .algorithmB, relativeGap: 1e-10, maxIterations: 60))
        #expect(result.status == .converged, "gap \(result.relativeGap) after \(result.iterations) iterations")
        #expect(worstImbalance(network, result.flows, demand) <= 1e-9 * demand.sum)
        expectNoThroughTraffic(network, result.flows, demand)
    }
}
