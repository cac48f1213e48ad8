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

    public var parameterDescriptors: [ParameterDescriptor] { Self.levers.map(\.descriptor) }
    public func parameterValues(_ path: String) -> [Double] { Self.levers.values(path, of: parameters) }
    public mutating func setParameterValues(_ path: String, _ values: [Double]) { Self.levers.set(path, values, in: &parameters) }
}

extension EnergyModule: ParameterizedModule {
    public static let levers: [ScalarLever<EnergyParameters>] = [
        ScalarLever("energy.ev_share", unit: "1", range: 0...1, \.evShare,
                    description: "share of vehicle-km driven electrically"),
        ScalarLever("energy.household_demand", unit: "kWh/person/year", range: 0...50_000, \.householdDemand,
                    description: "household electricity use per person"),
    ]

    public var parameterDescriptors: [ParameterDescriptor] { Self.levers.map(\.descriptor) }
    public func parameterValues(_ path: String) -> [Double] { Self.levers.values(path, of: parameters) }
    public mutating func setParameterValues(_ path: String, _ values: [Double]) { Self.levers.set(path, values, in: &parameters) }
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
