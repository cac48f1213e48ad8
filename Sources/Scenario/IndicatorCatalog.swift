public import CityTwinCore

/// Every indicator a model records, each (variable, region) at a fixed slot of a flat vector, so that
/// conditions, alerts and statistics read values by index with no string work per tick.
///
/// Built from the modules' declarations (``IndicatorDescriptor``), without running anything: a
/// descriptor's city value, zone values and element values (`traffic.vc[9-10]`) each take a slot.
public struct IndicatorCatalog: Sendable {
    public struct Entry: Sendable, Hashable {
        public let variable: String
        public let unit: String
        public let region: Region
        /// The position of the entry's descriptor in ``IndicatorCatalog/descriptors``.
        public let descriptor: Int
    }

    public let descriptors: [IndicatorDescriptor]
    public let entries: [Entry]
    let zoneIDs: [String]
    /// Each zone's district (zone → district → city), empty when the model declares none.
    let zoneDistricts: [String?]
    private let slotOf: [String: [Region: Int]]
    private let descriptorOf: [String: Int]

    public init(descriptors: [IndicatorDescriptor], zoneIDs: [String], zoneDistricts: [String?] = []) {
        self.zoneDistricts = zoneDistricts
        var entries: [Entry] = []
        var slotOf: [String: [Region: Int]] = [:]
        var descriptorOf: [String: Int] = [:]
        for (index, descriptor) in descriptors.enumerated() {
            precondition(descriptorOf[descriptor.path] == nil, "indicator \(descriptor.path) is declared twice")
            descriptorOf[descriptor.path] = index
            func add(_ variable: String, _ region: Region) {
                slotOf[variable, default: [:]][region] = entries.count
                entries.append(Entry(variable: variable, unit: descriptor.unit, region: region, descriptor: index))
            }
            if descriptor.hasCityValue { add(descriptor.path, .city) }
            if descriptor.byZone { for zone in zoneIDs.indices { add(descriptor.path, .zone(zone)) } }
            for name in descriptor.elements?.names ?? [] { add(descriptor.variable(element: name), .city) }
        }
        self.descriptors = descriptors
        self.entries = entries
        self.slotOf = slotOf
        self.descriptorOf = descriptorOf
        self.zoneIDs = zoneIDs
    }

    public var count: Int { entries.count }

    /// All recorded variable names, in declaration order.
    public var variables: [String] {
        var seen: Set<String> = []
        return entries.compactMap { seen.insert($0.variable).inserted ? $0.variable : nil }
    }

    /// The declared indicator paths.
    public var paths: [String] { descriptors.map(\.path) }

    public func descriptor(_ path: String) -> IndicatorDescriptor? { descriptorOf[path].map { descriptors[$0] } }

    public func slot(_ variable: String, _ region: Region = .city) -> Int? { slotOf[variable]?[region] }

    public func hasVariable(_ variable: String) -> Bool { slotOf[variable] != nil }

    /// Whether the variable has zone-level values.
    public func isByZone(_ variable: String) -> Bool { slotOf[variable]?.keys.contains { $0 != .city } ?? false }

    /// The slots a `record:` item names: a declared path (all its values) or one recorded variable.
    public func slots(recording item: String) -> [Int] {
        if let index = descriptorOf[item] { return entries.indices.filter { entries[$0].descriptor == index } }
        return entries.indices.filter { entries[$0].variable == item }
    }

    /// Writes an observation's samples into `values` (NaN where a variable was not recorded, e.g. flows
    /// at the initial instant). `cache` remembers the slot of each sample position between calls.
    public func fill(_ values: inout [Double], from samples: [IndicatorSample], cache: inout SlotCache) {
        for i in values.indices { values[i] = .nan }
        let slots = cache.slots(for: samples, in: self)
        for (position, sample) in samples.enumerated() where slots[position] >= 0 {
            values[slots[position]] = sample.value
        }
    }

    /// The samples that no declaration covers (a module reporting what it did not declare: a bug).
    public func undeclared(_ samples: [IndicatorSample]) -> [IndicatorSample] {
        samples.filter { slot($0.variable, $0.region) == nil }
    }

    /// The slot of each sample position, for one shape of observation (initial or stepped), computed
    /// once per shape and checked cheaply afterwards.
    public struct SlotCache: Sendable {
        private var byCount: [Int: (first: String, last: String, slots: [Int])] = [:]

        public init() {}

        mutating func slots(for samples: [IndicatorSample], in catalog: IndicatorCatalog) -> [Int] {
            if let cached = byCount[samples.count], cached.first == samples.first?.variable,
                cached.last == samples.last?.variable
            {
                return cached.slots
            }
            let slots = samples.map { catalog.slot($0.variable, $0.region) ?? -1 }
            byCount[samples.count] = (samples.first?.variable ?? "", samples.last?.variable ?? "", slots)
            return slots
        }
    }
}
