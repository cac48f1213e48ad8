public import CityTwinCore

extension EconomyModule: ParameterizedModule {
    /// The economy's scenario levers.
    public static let levers: [ScalarLever<EconomyParameters>] = [
        ScalarLever(
            "economy.final_demand_growth", unit: "1/year", range: -0.2...0.3, \.finalDemandGrowth,
            description: "annual real growth of final demand in every sector without its own rate"),
        ScalarLever(
            "economy.productivity_growth", unit: "1/year", range: -0.1...0.2, \.productivityGrowth,
            description: "annual growth of real output per job (labour productivity)"),
    ]

    public var parameterDescriptors: [ParameterDescriptor] { Self.levers.map(\.descriptor) }
    public func parameterValues(_ path: String) -> [Double] { Self.levers.values(path, of: parameters) }
    public mutating func setParameterValues(_ path: String, _ values: [Double]) { Self.levers.set(path, values, in: &parameters) }
}
