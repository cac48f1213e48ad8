public import CityTwinCore

/// Every indicator a model records, each (variable, region) at a fixed slot of a flat vector, so that
/// conditions, alerts and statistics read values by index with no string work per tick.
///
/// Built once from a dry run of the model (its initial instant and one tick, so that flows such as
/// births are included). References without a selector read the city-level value; `[zones …]` reads
/// the named zones (by their ids in zones.csv).
public struct IndicatorCatalog: Sendable {
    public struct Entry: Sendable, Hashable {
        public let variable: String
        public let unit: String
        public let region: Region
    }

    public let entries: [Entry]
    let zoneIDs: [String]
    private let slotOf: [String: [Region: Int]]

    public init(samples: [IndicatorSample], zoneIDs: [String]) {
        var entries: [Entry] = []
        var slotOf: [String: [Region: Int]] = [:]
        for sample in samples where slotOf[sample.variable]?[sample.region] == nil {
            slotOf[sample.variable, default: [:]][sample.region] = entries.count
            entries.append(Entry(variable: sample.variable, unit: sample.unit, region: sample.region))
        }
        self.entries = entries
        self.slotOf = slotOf
        self.zoneIDs = zoneIDs
    }

    public var count: Int { entries.count }

    /// All variable names, in first-seen order.
    public var variables: [String] {
        var seen: Set<String> = []
        return entries.compactMap { seen.insert($0.variable).inserted ? $0.variable : nil }
    }

    public func slot(_ variable: String, _ region: Region = .city) -> Int? { slotOf[variable]?[region] }

    public func hasVariable(_ variable: String) -> Bool { slotOf[variable] != nil }

    /// Whether the variable has zone-level values.
    public func isByZone(_ variable: String) -> Bool { slotOf[variable]?.keys.contains { $0 != .city } ?? false }

    /// Writes an observation's samples into `values` (NaN where a variable was not recorded, e.g. flows
    /// at the initial instant). `cache` remembers the slot of each sample position between calls.
    public func fill(_ values: inout [Double], from samples: [IndicatorSample], cache: inout SlotCache) {
        for i in values.indices { values[i] = .nan }
        let slots = cache.slots(for: samples, in: self)
        for (position, sample) in samples.enumerated() where slots[position] >= 0 {
            values[slots[position]] = sample.value
        }
    }

    /// The slot of each sample position, for one shape of observation (initial or stepped), computed
    /// once per shape and checked cheaply afterwards.
    public struct SlotCache: Sendable {
        private var byCount: [Int: (first: String, last: String, slots: [Int])] = [:]

        public init() {}

        mutating func slots(for samples: [IndicatorSample], in catalog: IndicatorCatalog) -> [Int] {
            if let cached = byCount[samples.count], cached.first == samples.first?.variable,
               cached.last == samples.last?.variable {
                return cached.slots
            }
            let slots = samples.map { catalog.slot($0.variable, $0.region) ?? -1 }
            byCount[samples.count] = (samples.first?.variable ?? "", samples.last?.variable ?? "", slots)
            return slots
        }
    }
}
