import CityTwinCore

extension BushState {
    /// The bushes as three flat arrays, for saving: each origin's number of bush links (`sizes`, one per zone), then
    /// all origins' link indices (`links`) and flows (`flows`), origin after origin, in the bushes' own order (heads
    /// in topological order), so that ``init(zoneCount:linkCount:sizes:links:flows:)`` rebuilds them exactly.
    var packed: (sizes: [Double], links: [Double], flows: [Double]) {
        (bushes.map { Double($0.links.count) }, bushes.flatMap { $0.links.map(Double.init) }, bushes.flatMap(\.flows))
    }

    /// Bushes rebuilt from ``packed``.
    /// - Throws: ``SimulationError/incompatibleSnapshot(_:)`` when the arrays do not describe bushes of a network with
    ///   `zoneCount` zones and `linkCount` links.
    init(zoneCount: Int, linkCount: Int, sizes: [Double], links: [Double], flows: [Double]) throws {
        func refuse(_ what: String) -> SimulationError {
            .incompatibleSnapshot("the traffic module's saved bushes \(what); continue with the same model")
        }
        guard sizes.count == zoneCount else { throw refuse("are for \(sizes.count) zones, not \(zoneCount)") }
        guard sizes.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }), Int(sizes.reduce(0, +)) == links.count,
            links.count == flows.count
        else { throw refuse("have inconsistent sizes") }
        guard links.allSatisfy({ $0 >= 0 && $0 < Double(linkCount) && $0 == $0.rounded() }) else {
            throw refuse("name links outside the network's \(linkCount)")
        }
        var bushes: [Bush] = []
        var start = 0
        for size in sizes.map({ Int($0) }) {
            bushes.append(Bush(links: links[start..<(start + size)].map { Int32($0) }, flows: Array(flows[start..<(start + size)])))
            start += size
        }
        self.init(zoneCount: zoneCount, linkCount: linkCount, bushes: bushes)
    }
}
