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
        heapKeys.reserveCapacity(nodeCount)
        heapNodes.reserveCapacity(nodeCount)
    }

    mutating func push(_ key: Double, _ node: Int32) {
        heapKeys.append(key)
        heapNodes.append(node)
        var i = heapKeys.count - 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if heapKeys[parent] <= key { break }
            heapKeys[i] = heapKeys[parent]
            heapNodes[i] = heapNodes[parent]
            i = parent
        }
        heapKeys[i] = key
        heapNodes[i] = node
    }

    mutating func pop() -> (Double, Int32) {
        let top = (heapKeys[0], heapNodes[0])
        let lastKey = heapKeys.removeLast()
        let lastNode = heapNodes.removeLast()
        let n = heapKeys.count
        if n > 0 {
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= n { break }
                if child + 1 < n && heapKeys[child + 1] < heapKeys[child] { child += 1 }
                if heapKeys[child] >= lastKey { break }
                heapKeys[i] = heapKeys[child]
                heapNodes[i] = heapNodes[child]
                i = child
            }
            heapKeys[i] = lastKey
            heapNodes[i] = lastNode
        }
        return top
    }

    /// Shortest paths from 0-based `origin` under `costs` (one per link).
    mutating func run(_ network: Network, origin: Int, costs: UnsafeBufferPointer<Double>) {
        for i in 0..<distance.count {
            distance[i] = .infinity
            predecessor[i] = -1
            done[i] = false
        }
        settled.removeAll(keepingCapacity: true)
        heapKeys.removeAll(keepingCapacity: true)
        heapNodes.removeAll(keepingCapacity: true)
        distance[origin] = 0
        push(0, Int32(origin))
        network.outStart.withUnsafeBufferPointer { outStart in
            network.outLinks.withUnsafeBufferPointer { outLinks in
                network.head.withUnsafeBufferPointer { head in
                    while !heapKeys.isEmpty {
                        let (d, node) = pop()
                        let i = Int(node)
                        if done[i] || d > distance[i] { continue }
                        done[i] = true
                        settled.append(node)
                        if i != origin && !network.canPassThrough(i) { continue }
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
