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

    /// Keys of the section.
    public static let sectionKeys = ["water", "energy", "waste", "emissions"]

    /// Loads the `resources:` section (see models/sioux-falls/RESOURCES.md for every key).
    ///
    /// - Parameters:
    ///   - sectors: the economy's sector names, in order (per-sector tables are matched by name).
    ///   - table: reads a CSV file named relative to the model folder.
    /// - Throws: `ParameterLoadError` naming file, line and key.
    public static func load(section: ParameterNode, file: String, sectors: [String],
                            table: (String) throws -> ParameterTable) throws -> ResourcesParameters {
        var root = try ParameterReader(section, file: file, path: "resources")
        func required(_ key: String) throws -> ParameterReader {
            guard let child = try root.child(key) else { throw root.error(key, "missing section `\(key)`") }
            return child
        }
        var waterReader = try required("water")
        var energyReader = try required("energy")
        var wasteReader = try required("waste")
        var emissionsReader = try required("emissions")
        let water = try loadWater(&waterReader, sectors: sectors, table: table)
        let energy = try loadEnergy(&energyReader, sectors: sectors, table: table)
        let waste = try loadWaste(&wasteReader)
        let emissions = try loadEmissions(&emissionsReader, energy: energy)
        try root.finish()
        return ResourcesParameters(water: water, energy: energy, waste: waste, emissions: emissions)
    }

    static let nonNegative = 0...Double.greatestFiniteMagnitude

    /// Water's substeps per tick: 12 (monthly) by default, at least one.
    static func substeps(_ reader: inout ParameterReader) throws -> Int {
        guard reader.has("substeps") else { return 12 }
        let n = try reader.int("substeps")
        guard (1...366).contains(n) else { throw reader.error("substeps", "substeps is \(n); expected 1 (yearly) to 366 (daily), usually 12") }
        return n
    }

    static func perSector(_ reader: inout ParameterReader, _ key: String, column: String, sectors: [String],
                          table: (String) throws -> ParameterTable) throws -> [Double] {
        guard let node = reader.node(key) else { throw reader.error(key, "missing required key") }
        // One number for every sector (empty when there is no economy to have sectors).
        if case .scalar(let text, _) = node, let value = Double(text) { return Array(repeating: value, count: sectors.count) }
        guard case .scalar(let path, _) = node else { throw reader.error(key, "expected a number or a CSV file name") }
        let t = try table(path)
        try t.checkColumns(known: ["sector", column, "source"])
        var values = [Double?](repeating: nil, count: sectors.count)
        for r in t.rows.indices {
            let name = try t.string(r, "sector")
            guard let s = sectors.firstIndex(of: name) else {
                throw t.error(row: r, column: "sector", "unknown sector `\(name)`" + (closestKey(to: name, among: sectors).map { " (did you mean `\($0)`?)" } ?? ""))
            }
            values[s] = try t.double(r, column, in: nonNegative)
        }
        if let missing = values.firstIndex(where: { $0 == nil }) {
            throw ParameterLoadError(file: t.file, line: nil, path: column, message: "no value for sector `\(sectors[missing])`")
        }
        return values.map { $0! }
    }

    static func additions(_ reader: inout ParameterReader, names: [String], amountKey: String) throws -> [CapacityAddition] {
        try reader.list("capacity_additions").map { item in
            var r = try ParameterReader(item, file: reader.file, path: reader.childPath("capacity_additions"))
            var source = 0
            if !names.isEmpty {
                let name = try r.string("source")
                guard let index = names.firstIndex(of: name) else {
                    throw r.error("source", "unknown source `\(name)`" + (closestKey(to: name, among: names).map { " (did you mean `\($0)`?)" } ?? ""))
                }
                source = index
            }
            let addition = CapacityAddition(source: source, year: try r.int("from"), amount: try r.double(amountKey))
            try r.finish()
            return addition
        }
    }

    static func twelve(_ reader: inout ParameterReader, _ key: String) throws -> [Double]? {
        let items = try reader.list(key)
        if items.isEmpty { return nil }
        guard items.count == 12 else { throw reader.error(key, "expected 12 monthly values, found \(items.count)") }
        return try items.map { item in
            guard case .scalar(let text, _) = item, let v = Double(text), v >= 0 else { throw reader.error(key, "expected non-negative numbers") }
            return v
        }
    }

    static func loadWater(_ r: inout ParameterReader, sectors: [String], table: (String) throws -> ParameterTable) throws -> WaterParameters {
        let sourcesTable = try table(try r.string("sources"))
        try sourcesTable.checkColumns(known: ["name", "capacity_m3_per_day", "from_reservoir", "source"])
        let sources = try sourcesTable.rows.indices.map { i in
            WaterSource(name: try sourcesTable.string(i, "name"),
                        capacity: try sourcesTable.double(i, "capacity_m3_per_day", in: nonNegative),
                        fromReservoir: try sourcesTable.double(i, "from_reservoir", in: 0...1) == 1)
        }
        guard var res = try r.child("reservoir") else { throw r.error("reservoir", "missing section `reservoir`") }
        guard var inflowReader = try res.child("inflow") else { throw res.error("inflow", "missing section `inflow`") }
        let inflow: Inflow
        if inflowReader.has("series") {
            let t = try table(try inflowReader.string("series"))
            try t.checkColumns(known: ["year", "inflow_m3", "source"])
            inflow = .series(years: try t.rows.indices.map { Int(try t.double($0, "year")) },
                             values: try t.rows.indices.map { try t.double($0, "inflow_m3", in: nonNegative) })
        } else {
            inflow = .lognormal(mean: try inflowReader.double("mean_m3_per_year", in: nonNegative),
                                cv: try inflowReader.double("cv", in: 0...5))
        }
        try inflowReader.finish()
        let droughts = try res.list("droughts").map { item in
            var d = try ParameterReader(item, file: r.file, path: "resources.water.reservoir.droughts")
            let from = try d.int("from"), until = try d.int("until")
            guard until >= from else { throw d.error("until", "a drought must end (\(until)) no earlier than it starts (\(from))") }
            let drought = Drought(from: from, until: until, factor: try d.double("factor", in: 0...1))
            try d.finish()
            return drought
        }
        let capacity = try res.double("capacity_m3", in: nonNegative)
        let initial = try res.double("initial_m3", in: 0...capacity)
        let reservoir = Reservoir(capacity: capacity, initialStock: initial,
                                  evaporationRate: try res.double("evaporation_per_year", default: 0, in: 0...1),
                                  inflow: inflow, monthlyInflowShares: try twelve(&res, "monthly_inflow_shares"), droughts: droughts)
        try res.finish()
        let parameters = WaterParameters(
            perCapitaDemand: try r.double("per_capita_demand_l_per_day", in: nonNegative),
            perJobDemand: try perSector(&r, "per_job_demand_l_per_day", column: "l_per_job_day", sectors: sectors, table: table),
            leakage: try r.double("leakage", in: 0...0.9),
            seasonalDemand: try twelve(&r, "seasonal_demand"),
            sources: sources,
            capacityAdditions: try additions(&r, names: sources.map(\.name), amountKey: "capacity_m3_per_day"),
            treatmentCapacity: try r.optionalDouble("treatment_capacity_m3_per_day", in: nonNegative),
            reservoir: reservoir,
            substeps: try substeps(&r))
        try r.finish()
        return parameters
    }

    static func loadEnergy(_ r: inout ParameterReader, sectors: [String], table: (String) throws -> ParameterTable) throws -> EnergyParameters {
        let t = try table(try r.string("sources"))
        try t.checkColumns(known: ["name", "capacity_mw", "capacity_factor", "capacity_credit", "co2_t_per_mwh", "renewable", "source"])
        let sources = try t.rows.indices.map { i in
            EnergySource(name: try t.string(i, "name"), capacity: try t.double(i, "capacity_mw", in: nonNegative),
                         capacityFactor: try t.double(i, "capacity_factor", in: 0...1),
                         capacityCredit: try t.double(i, "capacity_credit", in: 0...1),
                         co2PerMWh: try t.double(i, "co2_t_per_mwh", in: nonNegative),
                         renewable: try t.double(i, "renewable", in: 0...1) == 1)
        }
        let parameters = EnergyParameters(
            householdDemand: try r.double("household_kwh_per_person_year", in: nonNegative),
            sectorIntensity: try perSector(&r, "sector_intensity", column: "kwh_per_output", sectors: sectors, table: table),
            evShare: try r.double("ev_share", in: 0...1),
            dieselShare: try r.double("diesel_share", in: 0...1),
            evConsumption: try r.double("ev_kwh_per_km", in: nonNegative),
            vktPerCapita: try r.double("vkt_per_capita_km_per_year", in: nonNegative),
            loadFactor: try r.double("load_factor", in: 0.01...1),
            sources: sources,
            capacityAdditions: try additions(&r, names: sources.map(\.name), amountKey: "capacity_mw"),
            renewableShareTarget: try r.optionalDouble("renewable_share_target", in: 0...1))
        try r.finish()
        return parameters
    }

    static func loadWaste(_ r: inout ParameterReader) throws -> WasteParameters {
        let parameters = WasteParameters(
            perCapita: try r.double("per_capita_kg_per_day", in: nonNegative),
            perJob: try r.double("per_job_kg_per_day", default: 0, in: nonNegative),
            recyclingRate: try r.double("recycling_rate", in: 0...1),
            landfillCapacity: try r.double("landfill_capacity_t", in: nonNegative),
            capacityAdditions: try additions(&r, names: [], amountKey: "tonnes"))
        try r.finish()
        return parameters
    }

    static func loadEmissions(_ r: inout ParameterReader, energy: EnergyParameters) throws -> EmissionsParameters {
        func fuels(_ key: String) throws -> [Double] {
            guard var f = try r.child(key) else { throw r.error(key, "missing section `\(key)`") }
            let values = try ["electric", "gasoline", "diesel"].map { try f.double($0, in: nonNegative) }
            try f.finish()
            return values
        }
        let parameters = EmissionsParameters(co2PerKm: try fuels("co2_g_per_km"), pm25PerKm: try fuels("pm25_g_per_km"),
                                             electricityFactors: energy.sources.map(\.co2PerMWh))
        try r.finish()
        return parameters
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
        let economy = provided.contains(CouplingFields.jobsBySectorZone) && provided.contains(CouplingFields.output)
        return [
            WaterModule(parameters: parameters.water, zoneCount: zoneCount, readsJobs: economy),
            EnergyModule(parameters: parameters.energy, zoneCount: zoneCount, readsEconomy: economy,
                         readsTraffic: provided.contains(CouplingFields.vkt)),
            WasteModule(parameters: parameters.waste, zoneCount: zoneCount, readsJobs: provided.contains(CouplingFields.jobsByZone)),
            EmissionsModule(parameters: parameters.emissions),
        ]
    }
}
