public import LinearAlgebra

/// One-to-all shortest paths by Dijkstra's algorithm with a binary heap (Dijkstra 1959; lazy deletion: a node may
/// sit in the heap more than once, and stale entries are skipped when popped).
///
/// Link costs must be non-negative (``Network`` guarantees the fixed part; BPR times are ≥ 0). A node that may not
/// carry through traffic (``Network/canPassThrough(_:)``) is labelled but not expanded, unless it is the origin.
/// Ties are broken by heap order, which depends only on the inputs: results are identical on every run.
/// - Complexity: O((N + L) log N) per origin.
public struct ShortestPathTree: Sendable {
    /// Cost from the origin to each node (`.infinity` when unreachable).
    public var distance: [Double]
    /// The link entering each node on its shortest path, or −1 (origin, unreachable).
    public var predecessor: [Int32]
    /// Nodes in the order they were settled (non-decreasing distance); the origin first.
    public var settled: [Int32]
}

/// A reusable Dijkstra workspace (one per thread).
///
/// The heap holds at most one entry per successful relaxation plus the origin, so it is preallocated at
/// links + 1 entries and never grows; the hot loop runs on raw buffers (no bounds or uniqueness checks).
struct Dijkstra {
    var distance: [Double]
    var predecessor: [Int32]
    var settled: [Int32]
    var done: [Bool]
    var heapKeys: [Double] = []
    var heapNodes: [Int32] = []

    init(nodeCount: Int) {
        distance = [Double](repeating: .infinity, count: nodeCount)
        predecessor = [Int32](repeating: -1, count: nodeCount)
        settled = []
        settled.reserveCapacity(nodeCount)
        done = [Bool](repeating: false, count: nodeCount)
    }

    /// Shortest paths from 0-based `origin` under `costs` (one per link).
    mutating func run(_ network: Network, origin: Int, costs: UnsafeBufferPointer<Double>) {
        let n = distance.count
        let capacity = network.linkCount + 1
        if heapKeys.count < capacity {
            heapKeys = [Double](repeating: 0, count: capacity)
            heapNodes = [Int32](repeating: 0, count: capacity)
        }
        settled.removeAll(keepingCapacity: true)
        let firstThrough = network.firstThroughNode, zones = network.zoneCount
        var order = [Int32](repeating: 0, count: n)
        var settledCount = 0
        distance.withUnsafeMutableBufferPointer { distance in
            predecessor.withUnsafeMutableBufferPointer { predecessor in
                done.withUnsafeMutableBufferPointer { done in
                    heapKeys.withUnsafeMutableBufferPointer { keys in
                        heapNodes.withUnsafeMutableBufferPointer { nodes in
                            network.outStart.withUnsafeBufferPointer { outStart in
                                network.outLinks.withUnsafeBufferPointer { outLinks in
                                    network.head.withUnsafeBufferPointer { head in
                                        order.withUnsafeMutableBufferPointer { order in
                                            for i in 0..<n {
                                                distance[i] = .infinity
                                                predecessor[i] = -1
                                                done[i] = false
                                            }
                                            var size = 0
                                            func push(_ key: Double, _ node: Int32) {
                                                var i = size
                                                size += 1
                                                while i > 0 {
                                                    let parent = (i - 1) >> 1
                                                    if keys[parent] <= key { break }
                                                    keys[i] = keys[parent]
                                                    nodes[i] = nodes[parent]
                                                    i = parent
                                                }
                                                keys[i] = key
                                                nodes[i] = node
                                            }
                                            func pop() -> (Double, Int32) {
                                                let top = (keys[0], nodes[0])
                                                size -= 1
                                                let lastKey = keys[size], lastNode = nodes[size]
                                                if size > 0 {
                                                    var i = 0
                                                    while true {
                                                        var child = 2 * i + 1
                                                        if child >= size { break }
                                                        if child + 1 < size && keys[child + 1] < keys[child] { child += 1 }
                                                        if keys[child] >= lastKey { break }
                                                        keys[i] = keys[child]
                                                        nodes[i] = nodes[child]
                                                        i = child
                                                    }
                                                    keys[i] = lastKey
                                                    nodes[i] = lastNode
                                                }
                                                return top
                                            }
                                            distance[origin] = 0
                                            push(0, Int32(origin))
                                            while size > 0 {
                                                let (d, node) = pop()
                                                let i = Int(node)
                                                if done[i] || d > distance[i] { continue }
                                                done[i] = true
                                                order[settledCount] = node
                                                settledCount += 1
                                                // Network.canPassThrough, inlined.
                                                if i != origin && !(i + 1 >= firstThrough || i >= zones) { continue }
                                                for k in Int(outStart[i])..<Int(outStart[i + 1]) {
                                                    let a = Int(outLinks[k])
                                                    let j = Int(head[a])
                                                    let nd = d + costs[a]
                                                    if nd < distance[j] {
                                                        distance[j] = nd
                                                        predecessor[j] = Int32(a)
                                                        push(nd, Int32(j))
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        settled.append(contentsOf: order[0..<settledCount])
    }
}

/// Shortest-path trees and zone-to-zone cost skims.
public enum ShortestPaths {
    /// The shortest-path tree from 0-based node `origin` at the given link costs.
    public static func tree(_ network: Network, costs: [Double], origin: Int) -> ShortestPathTree {
        precondition(costs.count == network.linkCount, "one cost per link")
        var dijkstra = Dijkstra(nodeCount: network.nodeCount)
        costs.withUnsafeBufferPointer { dijkstra.run(network, origin: origin, costs: $0) }
        return ShortestPathTree(distance: dijkstra.distance, predecessor: dijkstra.predecessor, settled: dijkstra.settled)
    }

    /// Zone-to-zone least costs `skim[o, d]` (zones × zones, `.infinity` when unreachable), in parallel over origins.
    /// The result does not depend on `threads`.
    /// - Complexity: Z Dijkstra runs, O(Z (N + L) log N).
    public static func skim(_ network: Network, costs: [Double], threads: Int? = nil) -> Matrix {
        precondition(costs.count == network.linkCount, "one cost per link")
        let z = network.zoneCount
        var skim = Matrix(rows: z, columns: z)
        skim.storage.withUnsafeMutableBufferPointer { out in
            costs.withUnsafeBufferPointer { c in
                let shared = UncheckedSendable((out, c))
                let chunk = 8
                let chunks = (z + chunk - 1) / chunk
                Parallel.forEach(chunks, threads: threads ?? Parallel.defaultThreads) { k in
                    let (out, c) = shared.value
                    var dijkstra = Dijkstra(nodeCount: network.nodeCount)
                    for o in (k * chunk)..<min(z, (k + 1) * chunk) {
                        dijkstra.run(network, origin: o, costs: c)
                        for d in 0..<z { out[o + d * z] = dijkstra.distance[d] }
                    }
                }
            }
        }
        return skim
    }
}

extension ShortestPaths {
    /// Zone-to-zone skims: the least generalized cost of each OD pair and, along that least-cost path, the sum of
    /// each per-link attribute (travel time, length, toll…). `attributes[k][a]` is attribute k of link a. Where several
    /// paths tie for least cost, Dijkstra's tree picks one, the same on every run. Unreachable pairs are `.infinity`.
    /// The result does not depend on `threads`.
    /// - Complexity: Z Dijkstra runs plus O(Z · N · K) for K attributes.
    public static func skims(
        _ network: Network, costs: [Double], attributes: [[Double]], threads: Int? = nil
    ) -> (cost: Matrix, attributes: [Matrix]) {
        precondition(costs.count == network.linkCount, "one cost per link")
        precondition(attributes.allSatisfy { $0.count == network.linkCount }, "one value per link for each attribute")
        let z = network.zoneCount, n = network.nodeCount, kinds = attributes.count
        // All matrices in one buffer: cost first, then each attribute, each z × z column-major.
        var out = [Double](repeating: .infinity, count: (kinds + 1) * z * z)
        out.withUnsafeMutableBufferPointer { out in
            costs.withUnsafeBufferPointer { c in
                let shared = UncheckedSendable((out, c))
                let chunk = 8
                let chunks = (z + chunk - 1) / chunk
                Parallel.forEach(chunks, threads: threads ?? Parallel.defaultThreads) { k in
                    let (out, c) = shared.value
                    var dijkstra = Dijkstra(nodeCount: n)
                    var sums = [Double](repeating: 0, count: n * kinds)
                    for o in (k * chunk)..<min(z, (k + 1) * chunk) {
                        dijkstra.run(network, origin: o, costs: c)
                        for s in dijkstra.settled {
                            let j = Int(s)
                            let a = Int(dijkstra.predecessor[j])
                            for m in 0..<kinds {
                                sums[j * kinds + m] = a < 0 ? 0 : sums[Int(network.tail[a]) * kinds + m] + attributes[m][a]
                            }
                        }
                        for d in 0..<z where dijkstra.distance[d].isFinite {
                            out[o + d * z] = dijkstra.distance[d]
                            for m in 0..<kinds { out[(m + 1) * z * z + o + d * z] = sums[d * kinds + m] }
                        }
                    }
                }
            }
        }
        func matrix(_ m: Int) -> Matrix {
            var result = Matrix(rows: z, columns: z)
            for i in 0..<(z * z) { result.storage[i] = out[m * z * z + i] }
            return result
        }
        return (matrix(0), (0..<kinds).map { matrix($0 + 1) })
    }
}
