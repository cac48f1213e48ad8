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

/// A generated city with the features of real networks that make assignment hard (Chicago Sketch and the Berlin
/// networks have all of them): zones that are non-through centroids, zero-time connectors, tolls and distance in the
/// generalized cost, dead-end nodes and parallel links. Used by tests and benchmarks;
/// Benchmarks/reference/city_network.py writes the same network as TNTP files.
///
/// Nodes 1…Z are the zones (`firstThroughNode` = Z + 1); grid position p = r · side + c is node Z + 1 + p; dead-end
/// nodes follow. Grid links as in ``SyntheticGrid`` (free-flow time t = 1 + ((7r + 13c + 3k) mod 5), capacity
/// 400 + 150 · ((r + 2c + k) mod 4), b 0.15, power 4) with length t / 2 and toll 50 where (r + c + k) mod 6 = 0.
/// Where (3r + c + k) mod 7 = 0 a parallel express link follows (time 0.6 t, capacity 300, toll 100). Zone z connects
/// both ways to grid positions ((z − 1) · 7919 + j · 104729) mod side² for j = 0, 1, 2 (positions may repeat: parallel
/// connectors) by connectors of free-flow time 0, b 0, capacity 999 999 and length 0 (j = 0) or 0.5. Grid positions
/// with p mod 9 = 4 get a cul-de-sac (a node linked both ways, time 1, capacity 300); those with p mod 13 = 6 a
/// one-way link (time 1, capacity 300) into a node with no way out. Demand o → d (o ≠ d) is
/// `scale · ((31 o + 17 d) mod 11)`. Generalized cost: time + 0.02 · toll + 0.04 · length.
public enum SyntheticCity {
    public static let tollFactor = 0.02
    public static let distanceFactor = 0.04

    public static func make(side: Int = 30, zones: Int = 387, scale: Double = 0.12) throws -> (Network, Matrix) {
        let cells = side * side
        precondition(side >= 2 && zones >= 2, "city too small")
        func node(_ r: Int, _ c: Int) -> Int { zones + 1 + r * side + c }
        var links: [Link] = []
        var extra = zones + cells
        for r in 0..<side {
            for c in 0..<side {
                for (k, (dr, dc)) in [(0, 1), (1, 0), (0, -1), (-1, 0)].enumerated() {
                    let rr = r + dr, cc = c + dc
                    guard rr >= 0, rr < side, cc >= 0, cc < side else { continue }
                    let t = Double(1 + (7 * r + 13 * c + 3 * k) % 5)
                    let capacity = Double(400 + 150 * ((r + 2 * c + k) % 4))
                    let toll: Double = (r + c + k) % 6 == 0 ? 50 : 0
                    links.append(
                        Link(from: node(r, c), to: node(rr, cc), capacity: capacity, length: t / 2, freeFlowTime: t, toll: toll))
                    if (3 * r + c + k) % 7 == 0 {
                        links.append(
                            Link(
                                from: node(r, c), to: node(rr, cc), capacity: 300, length: t / 2, freeFlowTime: 0.6 * t,
                                toll: 100))
                    }
                }
                let p = r * side + c
                if p % 9 == 4 {
                    extra += 1
                    links.append(Link(from: node(r, c), to: extra, capacity: 300, length: 1, freeFlowTime: 1))
                    links.append(Link(from: extra, to: node(r, c), capacity: 300, length: 1, freeFlowTime: 1))
                }
                if p % 13 == 6 {
                    extra += 1
                    links.append(Link(from: node(r, c), to: extra, capacity: 300, length: 1, freeFlowTime: 1))
                }
            }
        }
        for z in 1...zones {
            for j in 0..<3 {
                let p = ((z - 1) * 7919 + j * 104_729) % cells
                let length = j == 0 ? 0.0 : 0.5
                let g = node(p / side, p % side)
                links.append(Link(from: z, to: g, capacity: 999_999, length: length, freeFlowTime: 0, b: 0))
                links.append(Link(from: g, to: z, capacity: 999_999, length: length, freeFlowTime: 0, b: 0))
            }
        }
        let network = try Network(
            nodeCount: extra, zoneCount: zones, firstThroughNode: zones + 1, links: links, tollFactor: tollFactor,
            distanceFactor: distanceFactor)
        var demand = Matrix(rows: zones, columns: zones)
        for o in 1...zones {
            for d in 1...zones where o != d {
                demand[o - 1, d - 1] = scale * Double((31 * o + 17 * d) % 11)
            }
        }
        return (network, demand)
    }
}
