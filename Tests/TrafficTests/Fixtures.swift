import Foundation
import LinearAlgebra
import TestSupport
import Traffic

/// Sioux Falls from the repository's own copy (models/sioux-falls/network), found relative to this file so the tests
/// run on any machine.
enum SiouxFalls {
    static let folder = Repository.url("models/sioux-falls/network")

    static func path(_ name: String) -> String { folder.appendingPathComponent("SiouxFalls_\(name).tntp").path }

    static let netFile: TNTPNetworkFile = try! TNTPReader.readNetwork(at: path("net"))
    static let trips: TNTPTripsFile = try! TNTPReader.readTrips(at: path("trips"))
    static let bestFlows: [TNTPFlowRow] = try! TNTPReader.readFlows(at: path("flow"))
    static let network: Network = try! Network(netFile)

    /// Published Beckmann objective of the best-known solution (TNTP README: 42.31335287107440 × 1e5).
    static let beckmann = 4_231_335.287107
}

/// ‖a − b‖₂ / ‖b‖₂.
func relativeL2(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    var num = 0.0, den = 0.0
    for i in 0..<a.count {
        num += (a[i] - b[i]) * (a[i] - b[i])
        den += b[i] * b[i]
    }
    return (num / den).squareRoot()
}

/// Largest |inflow − outflow − net demand| over all nodes.
func worstImbalance(_ network: Network, _ flows: [Double], _ demand: Matrix) -> Double {
    Assignment.nodeImbalance(network, flows: flows, demand: demand).map(abs).max() ?? 0
}

/// A square grid of `side × side` nodes with two-way links between neighbours; the first `zones` nodes are zones.
/// Free-flow times and capacities vary by a deterministic pattern so that paths are not all tied.
func gridNetwork(side: Int, zones: Int) throws -> (Network, Matrix) {
    var links: [Link] = []
    func id(_ r: Int, _ c: Int) -> Int { r * side + c + 1 }
    for r in 0..<side {
        for c in 0..<side {
            for (dr, dc) in [(0, 1), (1, 0)] where r + dr < side && c + dc < side {
                let k = Double((r * 7 + c * 13) % 5)
                let t = 2 + k, cap = 800 + 200 * Double((r + 2 * c) % 4)
                links.append(Link(from: id(r, c), to: id(r + dr, c + dc), capacity: cap, length: t, freeFlowTime: t))
                links.append(Link(from: id(r + dr, c + dc), to: id(r, c), capacity: cap, length: t, freeFlowTime: t))
            }
        }
    }
    let network = try Network(nodeCount: side * side, zoneCount: zones, links: links)
    var demand = Matrix(rows: zones, columns: zones)
    for o in 0..<zones {
        for d in 0..<zones where o != d {
            demand[o, d] = Double((o * 31 + d * 17) % 11) * 3
        }
    }
    return (network, demand)
}
