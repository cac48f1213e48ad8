public import CityTwinCore

extension ResourcesParameters {
    /// Keys of the section.
    public static let sectionKeys = ["water", "energy", "waste", "emissions"]

    static let nonNegative = 0...Double.greatestFiniteMagnitude

    /// Loads and checks the `resources:` section, reporting every problem (unknown keys and columns,
    /// sources named twice, values outside their ranges, monthly shares that do not sum to one).
    /// - Parameter sectors: the economy's sector names, in order (per-sector tables are matched by name).
    public static func load(
        _ yaml: YAMLMapping, context: ModelLoadingContext, sectors: [String],
        _ diagnostics: inout Diagnostics
    ) -> ResourcesParameters? {
        let before = diagnostics.errors.count
        yaml.rejectUnknownKeys(allowing: sectionKeys, &diagnostics)
        let loader = SectionLoader(context: context, sectors: sectors)
        let water = yaml.submapping("water", &diagnostics).flatMap { loader.water($0, &diagnostics) }
        let energy = yaml.submapping("energy", &diagnostics).flatMap { loader.energy($0, &diagnostics) }
        let waste = yaml.submapping("waste", &diagnostics).flatMap { loader.waste($0, &diagnostics) }
        let emissions = yaml.submapping("emissions", &diagnostics).flatMap { loader.emissions($0, energy: energy, &diagnostics) }
        guard diagnostics.errors.count == before, let water, let energy, let waste, let emissions else { return nil }
        return ResourcesParameters(water: water, energy: energy, waste: waste, emissions: emissions)
    }
}

/// Reads the four subsections; each returns nil (with errors) when it cannot be used.
private struct SectionLoader {
    let context: ModelLoadingContext
    let sectors: [String]
    let nonNegative = ResourcesParameters.nonNegative

    func water(_ r: YAMLMapping, _ d: inout Diagnostics) -> WaterParameters? {
        let before = d.errors.count
        r.rejectUnknownKeys(
            allowing: [
                "sources", "reservoir", "per_capita_demand_l_per_day", "per_job_demand_l_per_day", "leakage", "seasonal_demand",
                "capacity_additions", "treatment_capacity_m3_per_day", "substeps",
            ], &d)
        var sources: [WaterSource] = []
        if let t = context.table("sources", in: r, &d), let c = t.columns(["name", "capacity_m3_per_day", "from_reservoir"], &d) {
            t.rejectUnknownColumns(known: ["name", "capacity_m3_per_day", "from_reservoir", "dispatch_share", "source"], &d)
            t.rejectDuplicateKeys([c[0]], &d)
            let share = t.header.firstIndex(of: "dispatch_share")
            sources = t.rows.map { row in
                WaterSource(
                    name: row.cells[c[0]], capacity: t.number(row, c[1], in: nonNegative, diagnostics: &d),
                    fromReservoir: t.flag(row, c[2], diagnostics: &d),
                    dispatchShare: share.map { t.number(row, $0, in: 0...1, diagnostics: &d) })
            }
            if share != nil, !sources.isEmpty {
                let total = sources.reduce(0) { $0 + ($1.dispatchShare ?? 0) }
                if abs(total - 1) > 1e-6 {
                    d.error(
                        t.headerLocation, "`dispatch_share` sums to \(total), not 1",
                        hint: "each source's share of the system input in normal operation")
                }
            }
        }
        var reservoir: Reservoir?
        if let res = r.submapping("reservoir", &d) {
            res.rejectUnknownKeys(
                allowing: [
                    "capacity_m3", "initial_m3", "evaporation_per_year", "inflow", "monthly_inflow_shares", "droughts",
                    "induced_recharge_share",
                ], &d)
            var inflow: Inflow?
            if let i = res.submapping("inflow", &d) {
                i.rejectUnknownKeys(allowing: ["series", "mean_m3_per_year", "cv"], &d)
                if i.has("series") {
                    if let t = context.table("series", in: i, &d), let c = t.columns(["year", "inflow_m3"], &d) {
                        t.rejectUnknownColumns(known: ["year", "inflow_m3", "source"], &d)
                        t.rejectDuplicateKeys([c[0]], &d)
                        inflow = .series(
                            years: t.rows.map { t.integer($0, c[0], diagnostics: &d) },
                            values: t.rows.map { t.number($0, c[1], in: nonNegative, diagnostics: &d) })
                    }
                } else if let mean = i.double("mean_m3_per_year", in: nonNegative, &d), let cv = i.double("cv", in: 0...5, &d) {
                    inflow = .lognormal(mean: mean, cv: cv)
                }
            }
            var droughts: [Drought] = []
            for item in res.sequenceOfMappings("droughts", &d) {
                item.rejectUnknownKeys(allowing: ["from", "until", "factor"], &d)
                guard let from = item.integer("from", &d), let until = item.integer("until", &d),
                    let factor = item.double("factor", in: 0...1, &d)
                else { continue }
                if until < from {
                    d.error(item.location(ofKey: "until"), "a drought must end (\(until)) no earlier than it starts (\(from))")
                    continue
                }
                droughts.append(Drought(from: from, until: until, factor: factor))
            }
            let shares = monthly(res, "monthly_inflow_shares", sumsToOne: true, &d)
            if let capacity = res.double("capacity_m3", in: nonNegative, &d),
                let initial = res.double("initial_m3", in: 0...capacity, &d),
                let evaporation = res.double("evaporation_per_year", in: 0...1, default: 0, &d),
                let induced = res.double("induced_recharge_share", in: 0...1, default: 0, &d), let inflow
            {
                reservoir = Reservoir(
                    capacity: capacity, initialStock: initial, evaporationRate: evaporation, inflow: inflow,
                    monthlyInflowShares: shares, droughts: droughts)
                reservoir?.inducedRechargeShare = induced
            }
        }
        let perCapita = r.double("per_capita_demand_l_per_day", in: nonNegative, &d)
        let perJob = perSector(r, "per_job_demand_l_per_day", column: "l_per_job_day", &d)
        let leakage = r.double("leakage", in: 0...0.9, &d)
        let seasonal = monthly(r, "seasonal_demand", sumsToOne: false, &d)
        let additions = capacityAdditions(r, names: sources.map(\.name), amountKey: "capacity_m3_per_day", &d)
        let treatment = r.has("treatment_capacity_m3_per_day") ? r.double("treatment_capacity_m3_per_day", in: nonNegative, &d) : nil
        let substeps = r.has("substeps") ? r.integer("substeps", &d) : 12
        if let substeps, !(1...366).contains(substeps) {
            d.error(r.location(ofKey: "substeps"), "substeps is \(substeps); expected 1 (yearly) to 366 (daily), usually 12")
        }
        guard d.errors.count == before, let reservoir, let perCapita, let perJob, let leakage, let substeps else { return nil }
        return WaterParameters(
            perCapitaDemand: perCapita, perJobDemand: perJob, leakage: leakage, seasonalDemand: seasonal,
            sources: sources, capacityAdditions: additions, treatmentCapacity: treatment,
            reservoir: reservoir, substeps: substeps)
    }

    func energy(_ r: YAMLMapping, _ d: inout Diagnostics) -> EnergyParameters? {
        let before = d.errors.count
        r.rejectUnknownKeys(
            allowing: [
                "sources", "household_kwh_per_person_year", "sector_intensity", "ev_share", "diesel_share", "ev_kwh_per_km",
                "vkt_per_capita_km_per_year", "load_factor", "capacity_additions", "renewable_share_target", "grid",
                "sector_intensity_decline",
            ], &d)
        var sources: [EnergySource] = []
        let columns = ["name", "capacity_mw", "capacity_factor", "capacity_credit", "co2_t_per_mwh", "renewable"]
        if let t = context.table("sources", in: r, &d), let c = t.columns(columns, &d) {
            t.rejectUnknownColumns(known: columns + ["source"], &d)
            t.rejectDuplicateKeys([c[0]], &d)
            sources = t.rows.map { row in
                EnergySource(
                    name: row.cells[c[0]], capacity: t.number(row, c[1], in: nonNegative, diagnostics: &d),
                    capacityFactor: t.number(row, c[2], in: 0...1, diagnostics: &d),
                    capacityCredit: t.number(row, c[3], in: 0...1, diagnostics: &d),
                    co2PerMWh: t.number(row, c[4], in: nonNegative, diagnostics: &d),
                    renewable: t.flag(row, c[5], diagnostics: &d))
            }
        }
        let household = r.double("household_kwh_per_person_year", in: nonNegative, &d)
        let intensity = perSector(r, "sector_intensity", column: "kwh_per_output", &d)
        let evShare = r.double("ev_share", in: 0...1, &d)
        let dieselShare = r.double("diesel_share", in: 0...1, &d)
        let evConsumption = r.double("ev_kwh_per_km", in: nonNegative, &d)
        let vkt = r.double("vkt_per_capita_km_per_year", in: nonNegative, &d)
        let loadFactor = r.double("load_factor", in: 0.01...1, &d)
        let additions = capacityAdditions(r, names: sources.map(\.name), amountKey: "capacity_mw", &d)
        let target = r.has("renewable_share_target") ? r.double("renewable_share_target", in: 0...1, &d) : nil
        let decline = r.has("sector_intensity_decline") ? r.double("sector_intensity_decline", in: 0...0.2, &d) : 0
        var grid: GridConnection?
        if let g = r.submapping("grid", required: false, &d) {
            g.rejectUnknownKeys(allowing: ["import_limit_mw", "import_price_per_mwh", "co2_t_per_mwh"], &d)
            if let limit = g.double("import_limit_mw", in: nonNegative, &d),
                let price = g.double("import_price_per_mwh", in: nonNegative, &d),
                let factor = g.double("co2_t_per_mwh", in: 0...3, &d)
            {
                grid = GridConnection(importLimit: limit, importPrice: price, emissionFactor: factor)
            }
        }
        if let evShare, let dieselShare, evShare + dieselShare > 1 {
            d.error(
                r.location(ofKey: "diesel_share"), "ev_share + diesel_share is \(evShare + dieselShare), more than 1",
                hint: "the shares are of vehicle-km; gasoline takes the rest")
        }
        guard d.errors.count == before, let household, let intensity, let evShare, let dieselShare, let evConsumption, let vkt,
            let loadFactor, let decline
        else { return nil }
        var parameters = EnergyParameters(
            householdDemand: household, sectorIntensity: intensity, evShare: evShare,
            dieselShare: dieselShare, evConsumption: evConsumption, vktPerCapita: vkt,
            loadFactor: loadFactor, sources: sources, capacityAdditions: additions,
            renewableShareTarget: target)
        parameters.grid = grid
        parameters.intensityDecline = decline
        return parameters
    }

    func waste(_ r: YAMLMapping, _ d: inout Diagnostics) -> WasteParameters? {
        let before = d.errors.count
        r.rejectUnknownKeys(
            allowing: ["per_capita_kg_per_day", "per_job_kg_per_day", "recycling_rate", "landfill_capacity_t", "capacity_additions"], &d)
        let perCapita = r.double("per_capita_kg_per_day", in: nonNegative, &d)
        let perJob = r.double("per_job_kg_per_day", in: nonNegative, default: 0, &d)
        let recycling = r.double("recycling_rate", in: 0...1, &d)
        let landfill = r.double("landfill_capacity_t", in: nonNegative, &d)
        let additions = capacityAdditions(r, names: [], amountKey: "tonnes", &d)
        guard d.errors.count == before, let perCapita, let perJob, let recycling, let landfill else { return nil }
        return WasteParameters(
            perCapita: perCapita, perJob: perJob, recyclingRate: recycling, landfillCapacity: landfill,
            capacityAdditions: additions)
    }

    func emissions(_ r: YAMLMapping, energy: EnergyParameters?, _ d: inout Diagnostics) -> EmissionsParameters? {
        let before = d.errors.count
        r.rejectUnknownKeys(allowing: ["co2_g_per_km", "pm25_g_per_km"], &d)
        func fuels(_ key: String) -> [Double]? {
            guard let f = r.submapping(key, &d) else { return nil }
            let fuels = ["electric", "gasoline", "diesel"]
            f.rejectUnknownKeys(allowing: fuels, &d)
            let values = fuels.compactMap { f.double($0, in: nonNegative, &d) }
            return values.count == fuels.count ? values : nil
        }
        let co2 = fuels("co2_g_per_km"), pm25 = fuels("pm25_g_per_km")
        guard d.errors.count == before, let co2, let pm25, let energy else { return nil }
        var parameters = EmissionsParameters(co2PerKm: co2, pm25PerKm: pm25, electricityFactors: energy.sources.map(\.co2PerMWh))
        parameters.gridFactor = energy.grid?.emissionFactor
        return parameters
    }

    /// One number for every sector, or a CSV file `sector,<column>` with every sector once.
    func perSector(_ r: YAMLMapping, _ key: String, column: String, _ d: inout Diagnostics) -> [Double]? {
        guard let text = r.string(key, &d) else { return nil }
        if let value = CSVTable.parseNumber(text) {
            guard value >= 0 else {
                d.error(r.location(ofKey: key), "`\(key)` is \(value); expected zero or more")
                return nil
            }
            return Array(repeating: value, count: sectors.count)
        }
        guard let t = context.table(file: text, referencedFrom: r.location(ofKey: key), &d),
            let c = t.columns(["sector", column], &d)
        else { return nil }
        t.rejectUnknownColumns(known: ["sector", column, "source"], &d)
        t.rejectDuplicateKeys([c[0]], &d)
        var values = [Double?](repeating: nil, count: sectors.count)
        for row in t.rows {
            guard let s = sectors.firstIndex(of: row.cells[c[0]]) else {
                d.error(
                    t.location(row, c[0]), "unknown sector `\(row.cells[c[0]])`", hint: Suggestion.hint(for: row.cells[c[0]], in: sectors))
                continue
            }
            values[s] = t.number(row, c[1], in: nonNegative, diagnostics: &d)
        }
        for (s, value) in values.enumerated() where value == nil {
            d.error(t.headerLocation, "no `\(column)` for sector `\(sectors[s])`", hint: "give every sector of the economy one row")
        }
        return values.contains(nil) ? nil : values.map { $0! }
    }

    /// `capacity_additions: [{source: name, from: year, <amountKey>: amount}]`.
    func capacityAdditions(_ r: YAMLMapping, names: [String], amountKey: String, _ d: inout Diagnostics) -> [CapacityAddition] {
        r.sequenceOfMappings("capacity_additions", &d).compactMap { item in
            item.rejectUnknownKeys(allowing: names.isEmpty ? ["from", amountKey] : ["source", "from", amountKey], &d)
            var source = 0
            if !names.isEmpty {
                guard let name = item.string("source", &d) else { return nil }
                guard let index = names.firstIndex(of: name) else {
                    d.error(item.location(ofKey: "source"), "unknown source `\(name)`", hint: Suggestion.hint(for: name, in: names))
                    return nil
                }
                source = index
            }
            guard let year = item.integer("from", &d), let amount = item.double(amountKey, &d) else { return nil }
            return CapacityAddition(source: source, year: year, amount: amount)
        }
    }

    /// Twelve non-negative monthly values; with `sumsToOne`, shares whose sum must be 1 (±1e-6).
    func monthly(_ r: YAMLMapping, _ key: String, sumsToOne: Bool, _ d: inout Diagnostics) -> [Double]? {
        let items = r.sequence(key, &d)
        if items.isEmpty { return nil }
        guard items.count == 12 else {
            d.error(r.location(ofKey: key), "`\(key)` has \(items.count) values; expected 12, January to December")
            return nil
        }
        var values: [Double] = []
        for item in items {
            guard let text = item.scalar, let value = CSVTable.parseNumber(text), value >= 0 else {
                d.error(item.location, "`\(key)` values must be non-negative numbers")
                return nil
            }
            values.append(value)
        }
        let total = values.reduce(0, +)
        if sumsToOne, abs(total - 1) > 1e-6 {
            d.error(r.location(ofKey: key), "`\(key)` sums to \(total), not 1", hint: "each month's share of the year's inflow")
            return nil
        }
        return values
    }
}
