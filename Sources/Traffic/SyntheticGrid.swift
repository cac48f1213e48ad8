public import LinearAlgebra

/// A generated test network of Chicago-sketch size: a `side × side` grid (900 nodes and 3,480 links for side 30) with
/// `zones` zones scattered over it. Used by benchmarks and tests; Benchmarks/reference/grid_network.py writes the
/// same network as TNTP files so other tools can read it.
///
/// Grid position p = r · side + c is node ((p · 7919) mod N) + 1, so the zones (nodes 1…Z) are scattered. The link from
/// (r, c) in direction k (0 east, 1 south, 2 west, 3 north) has free-flow time 1 + ((7r + 13c + 3k) mod 5), the same
/// length, capacity 400 + 150 · ((r + 2c + k) mod 4), b = 0.15, power 4. Demand o → d (1-based, o ≠ d) is
/// `scale · ((31 o + 17 d) mod 11)`; at scale 0.1 the equilibrium's mean v/c is about 0.8.
public enum SyntheticGrid {
    public static func make(side: Int = 30, zones: Int = 400, scale: Double = 0.1) throws -> (Network, Matrix) {
        let n = side * side
        precondition(side >= 2 && zones <= n && 7919 % side != 0, "grid too small or side divides 7919")
        func node(_ r: Int, _ c: Int) -> Int { ((r * side + c) * 7919) % n + 1 }
        var links: [Link] = []
        for r in 0..<side {
            for c in 0..<side {
                for (k, (dr, dc)) in [(0, 1), (1, 0), (0, -1), (-1, 0)].enumerated() {
                    let rr = r + dr, cc = c + dc
                    guard rr >= 0, rr < side, cc >= 0, cc < side else { continue }
                    let t = Double(1 + (7 * r + 13 * c + 3 * k) % 5)
                    let capacity = Double(400 + 150 * ((r + 2 * c + k) % 4))
                    links.append(Link(from: node(r, c), to: node(rr, cc), capacity: capacity, length: t, freeFlowTime: t))
                }
            }
        }
        let network = try Network(nodeCount: n, zoneCount: zones, links: links)
        var demand = Matrix(rows: zones, columns: zones)
        for o in 1...zones {
            for d in 1...zones where o != d {
                demand[o - 1, d - 1] = scale * Double((31 * o + 17 * d) % 11)
            }
        }
        return (network, demand)
    }
}
