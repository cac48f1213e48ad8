public import CityTwinCore
public import Scenario

/// The levels above zones (zone → district → city): each recorded indicator with zone values is
/// aggregated to the model's districts by its declared rule, member by member, before statistics are
/// taken (the median of a sum is not the sum of medians).
///
/// With zone values v_z, the districts' zones Z_d and residents P_z (`population.total` by zone in the
/// same member and instant; the base-year population shares where the model records no population):
///
///     sum                       V_d = Σ_{z∈Z_d} v_z
///     population-weighted mean  V_d = Σ_{z∈Z_d} P_z v_z / Σ_{z∈Z_d} P_z
///     mean                      V_d = (1/|Z_d|) Σ_{z∈Z_d} v_z
///     maximum                   V_d = max_{z∈Z_d} v_z
///     none                      not aggregated (a ratio or a median: zone values do not make it)
///
/// A district with a missing zone value (NaN: a flow at the initial instant) has no value. The city
/// level is what the modules report themselves; for `sum` indicators the districts add up to it.
/// Districts come from zones.csv's `district` column, in order of first appearance.
public struct ZoneLevels: Sendable {
    public struct Item: Sendable {
        public let variable: String
        public let unit: String
        public let aggregation: IndicatorDescriptor.Aggregation
        /// Catalog slot of each zone's value, in zone order.
        public let zoneSlots: [Int]
    }

    public let districts: [String]
    /// District index of each zone.
    public let group: [Int]
    public let items: [Item]
    /// Slots of population.total by zone (the weights), or nil to use base-year shares.
    let populationSlots: [Int]?
    let baseShares: [Double]

    /// The levels of a plan's model, or nil when its zones name no districts.
    public init?(plan: ScenarioPlan) {
        let zones = plan.problem.model.zones
        guard !zones.isEmpty, zones.allSatisfy({ $0.district != nil }) else { return nil }
        var districts: [String] = []
        var index: [String: Int] = [:]
        group = zones.map { zone in
            if let known = index[zone.district!] { return known }
            index[zone.district!] = districts.count
            districts.append(zone.district!)
            return districts.count - 1
        }
        self.districts = districts
        let catalog = plan.indicators
        let recorded = Set(plan.recorded)
        items = catalog.descriptors.compactMap { descriptor in
            guard descriptor.byZone, descriptor.aggregation != .none else { return nil }
            let slots = zones.indices.compactMap { catalog.slot(descriptor.path, .zone($0)) }
            guard slots.count == zones.count, slots.contains(where: recorded.contains) else { return nil }
            return Item(variable: descriptor.path, unit: descriptor.unit, aggregation: descriptor.aggregation, zoneSlots: slots)
        }
        let population = zones.indices.compactMap { catalog.slot("population.total", .zone($0)) }
        populationSlots = population.count == zones.count ? population : nil
        baseShares = zones.map(\.populationShare)
    }

    /// One member's district values of every item: `[item][district]`.
    public func values(of indicators: [Double]) -> [[Double]] {
        let weights = populationSlots.map { $0.map { indicators[$0] } } ?? baseShares
        return items.map { item in
            Self.aggregate(
                item.zoneSlots.map { indicators[$0] }, weights: weights, group: group, count: districts.count,
                rule: item.aggregation)
        }
    }

    /// Aggregates zone values to groups by `rule` (see the type's formulas).
    public static func aggregate(
        _ values: [Double], weights: [Double], group: [Int], count: Int,
        rule: IndicatorDescriptor.Aggregation
    ) -> [Double] {
        var total = [Double](repeating: 0, count: count)
        var weight = [Double](repeating: 0, count: count)
        var members = [Double](repeating: 0, count: count)
        var maximum = [Double](repeating: -.infinity, count: count)
        var missing = [Bool](repeating: false, count: count)
        for (z, value) in values.enumerated() {
            let d = group[z]
            if value.isNaN { missing[d] = true; continue }
            switch rule {
            case .sum, .mean: total[d] += value
            case .populationWeightedMean:
                total[d] += weights[z] * value
                weight[d] += weights[z]
            case .maximum: maximum[d] = max(maximum[d], value)
            case .none: break
            }
            members[d] += 1
        }
        return (0..<count).map { d in
            if missing[d] || members[d] == 0 { return .nan }
            switch rule {
            case .sum: return total[d]
            case .mean: return total[d] / members[d]
            case .populationWeightedMean: return weight[d] > 0 ? total[d] / weight[d] : .nan
            case .maximum: return maximum[d]
            case .none: return .nan
            }
        }
    }
}
