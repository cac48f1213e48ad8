/// A road network as a compact forward star (CSR), ready for shortest paths and assignment.
///
/// Nodes are numbered 0..<nodeCount inside (file node n is index n − 1); zones are nodes 0..<zoneCount.
/// Links keep the file's order (index a), and two index arrays give, for each node i, its outgoing links
/// `outLinks[outStart[i] ..< outStart[i + 1]]` and its incoming links `inLinks[inStart[i] ..< inStart[i + 1]]`,
/// each in increasing link index (so every traversal, and every result, is deterministic).
///
/// The generalized cost of link a at volume v is `t_a(v) + fixed_a` where `t_a` is BPR (``VolumeDelay``) and
/// `fixed_a = tollFactor · toll_a + distanceFactor · length_a`. Through traffic: if `firstThroughNode > 1`, a node
/// numbered below it (a zone) may begin or end a path but not be passed through
/// (``canPassThrough(_:)``); shortest paths honour this.
///
/// - Complexity: building is O(nodes + links).
public struct Network: Sendable {
    public let nodeCount: Int
    public let zoneCount: Int
    /// 1-based, as in the file.
    public let firstThroughNode: Int
    public let links: [Link]
    public let tollFactor: Double
    public let distanceFactor: Double
    /// Volume–delay functions of all links (struct of arrays).
    public let delay: VolumeDelay

    /// 0-based tail and head node of each link.
    public let tail: [Int32]
    public let head: [Int32]
    public let outStart: [Int32]
    public let outLinks: [Int32]
    public let inStart: [Int32]
    public let inLinks: [Int32]

    public var linkCount: Int { links.count }

    /// Builds the forward star. Throws when a link's fixed cost would be negative or its numbers are unusable
    /// (shortest paths need non-negative costs), naming the link.
    public init(
        nodeCount: Int, zoneCount: Int, firstThroughNode: Int = 1, links: [Link], tollFactor: Double = 0,
        distanceFactor: Double = 0
    ) throws {
        guard zoneCount >= 0 && zoneCount <= nodeCount else {
            throw TrafficError.invalidNetwork("\(zoneCount) zones but \(nodeCount) nodes")
        }
        for (a, link) in links.enumerated() {
            let name = "link \(a + 1) (\(link.from)→\(link.to))"
            guard (1...nodeCount).contains(link.from), (1...nodeCount).contains(link.to) else {
                throw TrafficError.invalidNetwork("\(name) refers to a node outside 1...\(nodeCount)")
            }
            guard link.freeFlowTime >= 0, link.b >= 0, link.power >= 0, link.length >= 0, link.capacity >= 0,
                [link.freeFlowTime, link.b, link.power, link.length, link.capacity, link.toll].allSatisfy(\.isFinite)
            else {
                throw TrafficError.invalidNetwork("\(name) has a negative or non-finite time, b, power, length or capacity")
            }
            guard link.capacity > 0 || link.hasConstantTime || link.freeFlowTime == 0 else {
                throw TrafficError.invalidNetwork("\(name) has capacity 0 but a flow-dependent time")
            }
            let fixed = tollFactor * link.toll + distanceFactor * link.length
            guard fixed >= 0, fixed.isFinite else {
                throw TrafficError.invalidNetwork(
                    "\(name) would have a negative fixed cost \(fixed) (toll factor \(tollFactor), distance factor \(distanceFactor))")
            }
        }
        self.nodeCount = nodeCount
        self.zoneCount = zoneCount
        self.firstThroughNode = firstThroughNode
        self.links = links
        self.tollFactor = tollFactor
        self.distanceFactor = distanceFactor
        self.delay = VolumeDelay(links: links, tollFactor: tollFactor, distanceFactor: distanceFactor)
        tail = links.map { Int32($0.from - 1) }
        head = links.map { Int32($0.to - 1) }
        (outStart, outLinks) = Network.star(nodeCount, keys: tail)
        (inStart, inLinks) = Network.star(nodeCount, keys: head)
    }

    /// Builds a network from a TNTP network file with the given cost factors.
    public init(_ file: TNTPNetworkFile, tollFactor: Double = 0, distanceFactor: Double = 0) throws {
        try self.init(
            nodeCount: file.nodeCount, zoneCount: file.zoneCount, firstThroughNode: file.firstThroughNode,
            links: file.links, tollFactor: tollFactor, distanceFactor: distanceFactor)
    }

    /// A copy with other links (closures, new links, capacities, tolls); same nodes, zones and factors.
    public func with(links: [Link]) throws -> Network {
        try Network(
            nodeCount: nodeCount, zoneCount: zoneCount, firstThroughNode: firstThroughNode, links: links,
            tollFactor: tollFactor, distanceFactor: distanceFactor)
    }

    /// Whether a path may pass *through* 0-based node `i` (not only start or end there).
    @inline(__always)
    public func canPassThrough(_ i: Int) -> Bool { i + 1 >= firstThroughNode || i >= zoneCount }

    /// Counting sort of link indices by key: the CSR start array and the sorted indices (stable).
    static func star(_ n: Int, keys: [Int32]) -> ([Int32], [Int32]) {
        var start = [Int32](repeating: 0, count: n + 1)
        for k in keys { start[Int(k) + 1] += 1 }
        for i in 0..<n { start[i + 1] += start[i] }
        var next = start
        var items = [Int32](repeating: 0, count: keys.count)
        for (a, k) in keys.enumerated() {
            items[Int(next[Int(k)])] = Int32(a)
            next[Int(k)] += 1
        }
        return (start, items)
    }
}
