public import CityTwinCore

// The scenario levers of the resource modules: each a stored property of the module's parameters, read
// afresh every step, so a change made between ticks takes effect from the next tick.

extension WaterModule: ParameterizedModule {
    public static let levers: [ScalarLever<WaterParameters>] = [
        ScalarLever("water.per_capita_demand", unit: "l/person/day", range: 0...2000, \.perCapitaDemand,
                    description: "residential water demand per person (restrictions scale it down)"),
        ScalarLever("water.leakage", unit: "1", range: 0...0.9, \.leakage,
                    description: "share of water put into the network that is lost before delivery"),
        ScalarLever("water.inflow_scale", unit: "factor", range: 0...5, \.inflowScale,
                    description: "multiplies the reservoir's inflow (a drought is < 1)"),
    ]

    /// Each source's capacity (a vector lever: `water.source_capacity[sources lewis_and_clark] += 30000`
    /// at a year is new capacity from that year).
    static let sourceCapacity = "water.source_capacity"

    public var parameterDescriptors: [ParameterDescriptor] {
        Self.levers.map(\.descriptor) + [ParameterDescriptor(
            path: Self.sourceCapacity, unit: "m3/day", description: "capacity of each water source, in dispatch order",
            dimension: Dimension("source", parameters.sources.count), elementNames: parameters.sources.map(\.name),
            range: 0...1e9)]
    }

    public func parameterValues(_ path: String) -> [Double] {
        path == Self.sourceCapacity ? parameters.sources.map(\.capacity) : Self.levers.values(path, of: parameters)
    }

    public mutating func setParameterValues(_ path: String, _ values: [Double]) {
        guard path == Self.sourceCapacity else { return Self.levers.set(path, values, in: &parameters) }
        for k in parameters.sources.indices { parameters.sources[k].capacity = values[k] }
    }
}

extension EnergyModule: ParameterizedModule {
    public static let levers: [ScalarLever<EnergyParameters>] = [
        ScalarLever("energy.ev_share", unit: "1", range: 0...1, \.evShare,
                    description: "share of vehicle-km driven electrically"),
        ScalarLever("energy.household_demand", unit: "kWh/person/year", range: 0...50_000, \.householdDemand,
                    description: "household electricity use per person"),
    ]

    /// Each generation source's capacity (`energy.capacity[sources solar] += 100` adds 100 MW of solar).
    static let sourceCapacity = "energy.capacity"

    public var parameterDescriptors: [ParameterDescriptor] {
        Self.levers.map(\.descriptor) + [ParameterDescriptor(
            path: Self.sourceCapacity, unit: "MW", description: "installed capacity of each generation source, in dispatch order",
            dimension: Dimension("source", parameters.sources.count), elementNames: parameters.sources.map(\.name),
            range: 0...1e6)]
    }

    public func parameterValues(_ path: String) -> [Double] {
        path == Self.sourceCapacity ? parameters.sources.map(\.capacity) : Self.levers.values(path, of: parameters)
    }

    public mutating func setParameterValues(_ path: String, _ values: [Double]) {
        guard path == Self.sourceCapacity else { return Self.levers.set(path, values, in: &parameters) }
        for k in parameters.sources.indices { parameters.sources[k].capacity = values[k] }
    }
}

extension WasteModule: ParameterizedModule {
    public static let levers: [ScalarLever<WasteParameters>] = [
        ScalarLever("waste.recycling_rate", unit: "1", range: 0...1, \.recyclingRate,
                    description: "share of waste recycled or composted instead of landfilled"),
    ]

    public var parameterDescriptors: [ParameterDescriptor] { Self.levers.map(\.descriptor) }
    public func parameterValues(_ path: String) -> [Double] { Self.levers.values(path, of: parameters) }
    public mutating func setParameterValues(_ path: String, _ values: [Double]) { Self.levers.set(path, values, in: &parameters) }
}
