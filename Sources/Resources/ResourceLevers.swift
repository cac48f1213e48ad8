public import CityTwinCore

// The scenario levers of the resource modules: each a stored property of the module's parameters, read
// afresh every step, so a change made between ticks takes effect from the next tick.

extension WaterModule: SourceCapacityLevered {
    public static let levers: [ScalarLever<WaterParameters>] = [
        ScalarLever(
            "water.per_capita_demand", unit: "l/person/day", range: 0...2000, \.perCapitaDemand,
            description: "residential water demand per person (restrictions scale it down)"),
        ScalarLever(
            "water.leakage", unit: "m^3/day", range: 0...0.9, \.leakage,
            description: "share of water put into the network that is lost before delivery"),
        ScalarLever(
            "water.inflow_scale", unit: "factor", range: 0...5, \.inflowScale,
            description: "multiplies the reservoir's inflow (a drought is < 1)"),
    ]

    /// Each source's capacity (`water.source_capacity[sources lewis_and_clark] += 30000` at a year is
    /// new capacity from that year).
    static let sourceCapacity = SourceCapacityLever(
        path: "water.source_capacity", unit: "m3/day", description: "capacity of each water source, in dispatch order",
        range: 0...1e9)
}

extension EnergyModule: SourceCapacityLevered {
    public static let levers: [ScalarLever<EnergyParameters>] = [
        ScalarLever(
            "energy.ev_share", unit: "1", range: 0...1, \.evShare,
            description: "share of vehicle-km driven electrically"),
        ScalarLever(
            "energy.household_demand", unit: "kWh/person/year", range: 0...50_000, \.householdDemand,
            description: "household electricity use per person"),
        ScalarLever(
            "energy.sector_intensity_decline", unit: "1/yr", range: 0...0.2, \.intensityDecline,
            description: "yearly decline of commercial and industrial electricity per unit of real output"),
    ]

    /// Each generation source's capacity (`energy.capacity[sources solar] += 100` adds 100 MW of solar).
    static let sourceCapacity = SourceCapacityLever(
        path: "energy.capacity", unit: "MW", description: "installed capacity of each generation source, in dispatch order",
        range: 0...1e6)
}

extension WasteModule: ParameterizedModule {
    public static let levers: [ScalarLever<WasteParameters>] = [
        ScalarLever(
            "waste.recycling_rate", unit: "1", range: 0...1, \.recyclingRate,
            description: "share of waste recycled or composted instead of landfilled")
    ]

    public var parameterDescriptors: [ParameterDescriptor] { Self.levers.map(\.descriptor) }
    public func parameterValues(_ path: String) -> [Double] { Self.levers.values(path, of: parameters) }
    public mutating func setParameterValues(_ path: String, _ values: [Double]) { Self.levers.set(path, values, in: &parameters) }
}

/// A supply source with a name and a capacity: water sources and generation sources.
public protocol CapacitySource {
    var name: String { get }
    var capacity: Double { get set }
}

extension WaterSource: CapacitySource {}
extension EnergySource: CapacitySource {}

/// A module whose levers are scalar properties of its parameters plus the capacity of each of its
/// sources: the `ParameterizedModule` requirements, once for water and energy.
protocol SourceCapacityLevered: ParameterizedModule {
    associatedtype Parameters
    associatedtype Source: CapacitySource
    static var levers: [ScalarLever<Parameters>] { get }
    static var sourceCapacity: SourceCapacityLever { get }
    var parameters: Parameters { get set }
    static var sources: WritableKeyPath<Parameters, [Source]> { get }
}

extension SourceCapacityLevered {
    public var parameterDescriptors: [ParameterDescriptor] {
        Self.levers.map(\.descriptor) + [Self.sourceCapacity.descriptor(parameters[keyPath: Self.sources])]
    }

    public func parameterValues(_ path: String) -> [Double] {
        path == Self.sourceCapacity.path
            ? Self.sourceCapacity.values(parameters[keyPath: Self.sources]) : Self.levers.values(path, of: parameters)
    }

    public mutating func setParameterValues(_ path: String, _ values: [Double]) {
        guard path == Self.sourceCapacity.path else { return Self.levers.set(path, values, in: &parameters) }
        Self.sourceCapacity.set(values, in: &parameters[keyPath: Self.sources])
    }
}

extension WaterModule { static var sources: WritableKeyPath<WaterParameters, [WaterSource]> { \.sources } }

extension EnergyModule { static var sources: WritableKeyPath<EnergyParameters, [EnergySource]> { \.sources } }

/// The vector lever of a module's source capacities, one value per source, selected by name.
struct SourceCapacityLever: Sendable {
    let path: String
    let unit: String
    let description: String
    let range: ClosedRange<Double>

    func descriptor(_ sources: [some CapacitySource]) -> ParameterDescriptor {
        ParameterDescriptor(
            path: path, unit: unit, description: description, dimension: Dimension("source", sources.count),
            elementNames: sources.map(\.name), range: range)
    }

    func values(_ sources: [some CapacitySource]) -> [Double] { sources.map(\.capacity) }

    func set<S: CapacitySource>(_ values: [Double], in sources: inout [S]) {
        precondition(values.count == sources.count, "\(path) has one value per source")
        for k in sources.indices { sources[k].capacity = values[k] }
    }
}
