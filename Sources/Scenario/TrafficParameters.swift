import Traffic

/// Traffic levers as scenario parameters.
///
/// - `traffic.value_of_time` (money per hour), `traffic.demand_scale` (factor on car vehicles).
/// - Per link, named `from-to` by the network file's node numbers (candidate links too):
///   `traffic.capacity_scale[10-15]` (factor), `traffic.toll[10-15]` (money), `traffic.closed[10-15]` (1 closes),
///   `traffic.open[1-24]` (1 opens a candidate link).
/// A path naming a link that does not exist is an unknown parameter (the loader reports it with a hint).
enum TrafficParameters {
    static let scalars: [ParameterDefinition] = [
        ParameterDefinition(
            path: "traffic.value_of_time", unit: "money/h",
            description: "value of travel time: converts tolls, fares and car costs to minutes",
            range: 0.01...10_000, read: { $0.traffic?.parameters.modeChoice.valueOfTime ?? .nan },
            write: { $0.traffic?.parameters.modeChoice.valueOfTime = $1 }),
        ParameterDefinition(
            path: "traffic.demand_scale", unit: "factor",
            description: "multiplies the car vehicles assigned (demand management)",
            range: 0...10, read: { $0.traffic?.parameters.demandScale ?? .nan },
            write: { $0.traffic?.parameters.demandScale = $1 }),
    ]

    /// `traffic.<lever>[from-to]`, or nil when the path is not of that form. Whether the link exists is checked when
    /// the override is applied (the model is not known here): an unknown link makes the lever a no-op that the
    /// loader's link check reports.
    static func linkLever(_ path: String) -> ParameterDefinition? {
        guard path.hasPrefix("traffic."), path.hasSuffix("]"), let open = path.firstIndex(of: "[") else { return nil }
        let lever = String(path[path.index(path.startIndex, offsetBy: 8)..<open])
        let inside = path[path.index(after: open)..<path.index(before: path.endIndex)]
        let ends = inside.split(separator: "-")
        guard ends.count == 2, let from = Int(ends[0]), let to = Int(ends[1]) else { return nil }
        @Sendable func index(_ model: CityModel) -> Int? { model.traffic?.linkIndex(from: from, to: to) }
        switch lever {
        case "capacity_scale":
            return ParameterDefinition(
                path: path, unit: "factor", description: "multiplies the capacity of link \(from)→\(to)", range: 0.01...100,
                read: { m in index(m).flatMap { m.traffic?.levers.capacityScale[$0] } ?? 1 },
                write: { m, v in if let a = index(m) { m.traffic?.levers.capacityScale[a] = v } })
        case "toll":
            return ParameterDefinition(
                path: path, unit: "money", description: "toll on link \(from)→\(to)", range: 0...10_000,
                read: { m in index(m).flatMap { m.traffic?.levers.tolls[$0] } ?? 0 },
                write: { m, v in if let a = index(m) { m.traffic?.levers.tolls[a] = v } })
        case "closed":
            return ParameterDefinition(
                path: path, unit: "0/1", description: "1 closes link \(from)→\(to)", range: 0...1,
                read: { m in index(m).map { m.traffic?.levers.closedLinks.contains($0) == true ? 1 : 0 } ?? 0 },
                write: { m, v in
                    if let a = index(m) {
                        if v >= 0.5 { m.traffic?.levers.closedLinks.insert(a) } else { m.traffic?.levers.closedLinks.remove(a) }
                    }
                })
        case "open":
            return ParameterDefinition(
                path: path, unit: "0/1", description: "1 opens candidate link \(from)→\(to)", range: 0...1,
                read: { m in
                    guard let t = m.traffic, let a = index(m), a >= t.network.links.count else { return 0 }
                    return t.levers.openedCandidates.contains(a - t.network.links.count) ? 1 : 0
                },
                write: { m, v in
                    guard let t = m.traffic, let a = index(m), a >= t.network.links.count else { return }
                    let k = a - t.network.links.count
                    if v >= 0.5 { m.traffic?.levers.openedCandidates.insert(k) } else { m.traffic?.levers.openedCandidates.remove(k) }
                })
        default:
            return nil
        }
    }
}
