public import CityTwinCore

/// The `resources:` section of model.yaml: water, energy, waste and emissions.
public struct ResourcesParameters: Sendable, Hashable {
    public var water: WaterParameters
    public var energy: EnergyParameters
    public var waste: WasteParameters
    public var emissions: EmissionsParameters

    public init(water: WaterParameters, energy: EnergyParameters, waste: WasteParameters, emissions: EmissionsParameters) {
        self.water = water
        self.energy = energy
        self.waste = waste
        self.emissions = emissions
    }
}

/// Builds the resource modules for a run.
public enum ResourceModules {
    /// The water, energy, waste and emissions modules, reading the optional fields that other modules in
    /// the run provide: pass the union of their `writes`. `population.by_zone` is always read.
    ///
    /// - `economy.jobs_by_sector_zone`, `economy.output`, `economy.jobs_by_zone` provided → demand from jobs
    ///   and sector output; otherwise none.
    /// - `traffic.vkt` provided → energy's EV load and emissions use it; otherwise
    ///   `energy.vkt_per_capita_km_per_year × population`.
    public static func make(parameters: ResourcesParameters, zoneCount: Int, provided: Set<FieldKey>) -> [any SimulationModule] {
        let economy = provided.contains(SharedFields.jobsBySectorZone) && provided.contains(SharedFields.output)
        return [
            WaterModule(parameters: parameters.water, zoneCount: zoneCount, readsJobs: economy),
            EnergyModule(
                parameters: parameters.energy, zoneCount: zoneCount, readsEconomy: economy,
                readsTraffic: provided.contains(SharedFields.vkt)),
            WasteModule(parameters: parameters.waste, zoneCount: zoneCount, readsJobs: provided.contains(SharedFields.jobsByZone)),
            EmissionsModule(parameters: parameters.emissions),
        ]
    }
}
