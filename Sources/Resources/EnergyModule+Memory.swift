public import CityTwinCore

/// The energy module carries two values between ticks outside the state: the start of its first step (the origin of
/// the energy-intensity decline) and, with traffic, the annual VKT per unit of traffic's peak-hour VKT fixed at the
/// first step. A continued run (`--from`) takes them back, so that it steps exactly as the uninterrupted run would.
extension EnergyModule: ModuleMemory {
    public var memory: [String: [Double]] {
        var values: [String: [Double]] = [:]
        if let firstStepTime { values["first_step_time"] = [firstStepTime] }
        if let vktPerTrafficUnit { values["vkt_per_traffic_unit"] = [vktPerTrafficUnit] }
        return values
    }

    public mutating func restore(memory: [String: [Double]]) throws {
        for (key, values) in memory where values.count != 1 {
            throw SimulationError.incompatibleSnapshot("the energy module's `\(key)` was saved with \(values.count) values, not 1")
        }
        firstStepTime = memory["first_step_time"]?.first
        vktPerTrafficUnit = memory["vkt_per_traffic_unit"]?.first
    }
}
