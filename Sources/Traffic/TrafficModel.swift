public import LinearAlgebra

/// Policy levers on the road network, applied when the network is built for a tick.
///
/// Links are named by their position in the TNTP network file (0-based here; scenario paths use `from-to`, see
/// ``TrafficModel/linkIndex(from:to:)``). Candidate links are extra links listed in the model (a planned bridge) that
/// stay closed until a lever opens them.
public struct TrafficLevers: Sendable, Hashable {
    /// Capacity multipliers by link (1 = as built; 0.5 = one lane of two closed).
    public var capacityScale: [Int: Double] = [:]
    /// Links removed from the network (a closure, an incident).
    public var closedLinks: Set<Int> = []
    /// Candidate links opened (indices into ``TrafficModel/candidateLinks``).
    public var openedCandidates: Set<Int> = []
    /// Tolls by link in money (replacing the file's toll); they enter the generalized cost through the value of time.
    public var tolls: [Int: Double] = [:]

    public init() {}
}

/// The traffic part of a city model: the network (converted to minutes and km at load, ``NetworkUnits``), the
/// four-step settings and the levers. Pure data, hashable for provenance.
///
/// The generalized cost of a link in minutes is `t + (60 / valueOfTime) · (toll + carCostPerKm · length)`: the toll
/// and distance factors of the network are derived from the value of time and the running cost, so route choice,
/// skims and mode choice weigh a toll, a minute and a kilometre alike, and a value-of-time lever acts on all of them.
public struct TrafficModel: Sendable, Hashable {
    public var network: TNTPNetworkFile
    public var candidateLinks: [Link]
    public var parameters: FourStepParameters
    public var levers: TrafficLevers

    public init(
        network: TNTPNetworkFile, parameters: FourStepParameters = FourStepParameters(), candidateLinks: [Link] = [],
        levers: TrafficLevers = TrafficLevers()
    ) {
        self.network = network
        self.parameters = parameters
        self.candidateLinks = candidateLinks
        self.levers = levers
    }

    /// The index of the link `from → to` (file node numbers) among the file's links, then the candidates
    /// (as `links.count + k`); nil if there is none.
    public func linkIndex(from: Int, to: Int) -> Int? {
        if let a = network.links.firstIndex(where: { $0.from == from && $0.to == to }) { return a }
        if let k = candidateLinks.firstIndex(where: { $0.from == from && $0.to == to }) { return network.links.count + k }
        return nil
    }

    /// The links in force: the file's links with capacities and tolls changed and closures removed, then the opened
    /// candidates. Also returns, for each link in force, its index in the file (candidates: `links.count + k`).
    public func linksInForce() -> (links: [Link], origin: [Int]) {
        var links: [Link] = []
        var origin: [Int] = []
        for (a, var link) in network.links.enumerated() where !levers.closedLinks.contains(a) {
            if let s = levers.capacityScale[a] { link.capacity *= s }
            if let t = levers.tolls[a] { link.toll = t }
            links.append(link)
            origin.append(a)
        }
        for k in levers.openedCandidates.sorted() where k < candidateLinks.count {
            var link = candidateLinks[k]
            let a = network.links.count + k
            if let s = levers.capacityScale[a] { link.capacity *= s }
            if let t = levers.tolls[a] { link.toll = t }
            links.append(link)
            origin.append(a)
        }
        return (links, origin)
    }

    /// The network in force (levers applied), with toll factor 60 / value of time and distance factor
    /// 60 · running cost per km / value of time.
    public func makeNetwork() throws -> Network {
        let perMoney = parameters.minutesPerMoney
        return try Network(
            nodeCount: network.nodeCount, zoneCount: network.zoneCount, firstThroughNode: network.firstThroughNode,
            links: linksInForce().links, tollFactor: perMoney, distanceFactor: perMoney * parameters.carCostPerKm)
    }
}
