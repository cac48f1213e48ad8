public import CityTwinCore
import LinearAlgebra

/// The traffic module carries three things between ticks outside the state, all of them what makes a year's four-step
/// run start where the previous year's ended: the base year's mode constants (fitted once, on the base year's
/// population and jobs), the MSA-averaged car skims that the next year's feedback starts from, and the bushes that
/// Algorithm B warm-starts from. A continued run (`--from`) takes them back, so that it steps exactly as the
/// uninterrupted run would. Without them its first year would fit the mode constants again on that year's population
/// and start its feedback from fresh skims and bushes.
extension TrafficModule: ModuleMemory {
    public var memory: [String: [Double]] {
        guard let constants = model.calibratedConstants, let skims = model.averageSkims else { return [:] }
        var values = [
            "mode_constants": constants,
            "skim_generalized": skims.generalized.storage, "skim_time": skims.time.storage,
            "skim_toll": skims.toll.storage, "skim_distance": skims.distance.storage,
        ]
        if let bushes = model.bushes {
            let packed = bushes.packed
            values["bush_shape"] = [Double(bushes.zoneCount), Double(bushes.linkCount)]
            values["bush_sizes"] = packed.sizes
            values["bush_links"] = packed.links
            values["bush_flows"] = packed.flows
        }
        return values
    }

    /// The network in force and the settings are rebuilt from the levers at the next step, as after any lever change;
    /// the base year's constants are kept through that rebuild.
    public mutating func restore(memory: [String: [Double]]) throws {
        guard !memory.isEmpty else { return }
        let z = model.network.zoneCount
        func values(_ key: String, count: Int) throws -> [Double] {
            guard let values = memory[key], values.count == count else {
                throw SimulationError.incompatibleSnapshot(
                    "the traffic module's `\(key)` was saved with \(memory[key]?.count ?? 0) values, not \(count)")
            }
            return values
        }
        let constants = try values("mode_constants", count: model.parameters.modeChoice.constants.count)
        func skim(_ key: String) throws -> Matrix { Matrix(rows: z, columns: z, columnMajor: try values(key, count: z * z)) }
        let skims = CarSkims(
            generalized: try skim("skim_generalized"), time: try skim("skim_time"), toll: try skim("skim_toll"),
            distance: try skim("skim_distance"))
        var bushes: BushState? = nil
        if memory["bush_shape"] != nil {
            let shape = try values("bush_shape", count: 2)
            bushes = try BushState(
                zoneCount: Int(shape[0]), linkCount: Int(shape[1]), sizes: memory["bush_sizes"] ?? [],
                links: memory["bush_links"] ?? [], flows: memory["bush_flows"] ?? [])
        }
        model.resume(constants: constants, averageSkims: skims, bushes: bushes)
        needsRebuild = true
    }
}
