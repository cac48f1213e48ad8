public import CityTwinCore
import LinearAlgebra

extension EconomyParameters {
    /// Keys of the `economy:` section of model.yaml.
    public static let sectionKeys = [
        "currency", "sectors", "flows", "zone_shares", "final_demand_growth", "productivity_growth", "sector_growth", "shocks",
        "investments", "coefficient_changes",
    ]

    static let nonNegative = 0...Double.greatestFiniteMagnitude

    /// Loads and checks the `economy:` section (see ``EconomyComponent``), reporting every problem:
    /// unknown keys and columns, sectors named twice or not at all, negative flows, zone rows missing or
    /// repeated, an unproductive table. Nil when the section cannot be used.
    public static func load(_ yaml: YAMLMapping, context: ModelLoadingContext, _ diagnostics: inout Diagnostics) -> EconomyParameters? {
        let before = diagnostics.errors.count
        yaml.rejectUnknownKeys(allowing: sectionKeys, &diagnostics)
        let currency = yaml.string("currency", &diagnostics) ?? ""

        // Sectors and satellite rows.
        guard let sectorTable = context.table("sectors", in: yaml, &diagnostics) else { return nil }
        let known = ["sector", "output", "value_added", "compensation", "jobs", "final_demand", "household_share", "source"]
        sectorTable.rejectUnknownColumns(known: known, &diagnostics)
        guard let sectorColumns = sectorTable.columns(["sector", "output"], &diagnostics) else { return nil }
        sectorTable.rejectDuplicateKeys([sectorColumns[0]], &diagnostics)
        let names = sectorTable.rows.map { $0.cells[sectorColumns[0]] }
        if names.isEmpty { diagnostics.error(sectorTable.headerLocation, "the table has no sectors", hint: "add one row per sector") }
        func column(_ name: String, _ range: ClosedRange<Double>? = nil) -> [Double]? {
            guard let index = sectorTable.header.firstIndex(of: name) else { return nil }
            return sectorTable.rows.map { sectorTable.number($0, index, in: range, diagnostics: &diagnostics) }
        }
        let output = column("output", nonNegative) ?? []

        // Flows: one row per supplying sector, one column per buying sector.
        var z = Matrix(rows: names.count, columns: names.count)
        if let flows = context.table("flows", in: yaml, &diagnostics), let supplier = flows.columns(["supplier"] + names, &diagnostics) {
            flows.rejectUnknownColumns(known: ["supplier"] + names, &diagnostics)
            flows.rejectDuplicateKeys([supplier[0]], &diagnostics)
            var seen: Set<Int> = []
            for row in flows.rows {
                guard let i = names.firstIndex(of: row.cells[supplier[0]]) else {
                    diagnostics.error(
                        flows.location(row, supplier[0]), "unknown sector `\(row.cells[supplier[0]])`",
                        hint: Suggestion.hint(for: row.cells[supplier[0]], in: names))
                    continue
                }
                seen.insert(i)
                for j in names.indices { z[i, j] = flows.number(row, supplier[j + 1], in: nonNegative, diagnostics: &diagnostics) }
            }
            for (i, name) in names.enumerated() where !seen.contains(i) {
                diagnostics.error(flows.headerLocation, "no supplier row for sector `\(name)`", hint: "give one row per sector")
            }
        }

        // Zone shares: one row per zone (by its id in zones.csv), one column per sector; normalised per sector.
        let zoneCount = context.zones.count
        var shares = Matrix(rows: names.count, columns: zoneCount)
        if let table = context.table("zone_shares", in: yaml, &diagnostics), let zoneColumn = table.columns(["zone"] + names, &diagnostics)
        {
            table.rejectUnknownColumns(known: ["zone"] + names, &diagnostics)
            table.rejectDuplicateKeys([zoneColumn[0]], &diagnostics)
            let zoneIndex = context.zoneIndex
            var seen: Set<Int> = []
            for row in table.rows {
                guard let zone = zoneIndex[row.cells[zoneColumn[0]]] else {
                    diagnostics.error(
                        table.location(row, zoneColumn[0]), "unknown zone `\(row.cells[zoneColumn[0]])`",
                        hint: "zones come from zones.csv")
                    continue
                }
                seen.insert(zone)
                for s in names.indices {
                    shares[s, zone] = table.number(row, zoneColumn[s + 1], in: nonNegative, diagnostics: &diagnostics)
                }
            }
            if seen.count != zoneCount, diagnostics.errors.count == before {
                diagnostics.error(
                    table.headerLocation, "the table has \(seen.count) zones, the model \(zoneCount)",
                    hint: "give every zone of zones.csv one row")
            }
            for (s, sector) in names.enumerated() where seen.count == zoneCount {
                let total = shares.row(s).reduce(0, +)
                guard total > 0 else {
                    diagnostics.error(table.headerLocation, "all zone weights of sector `\(sector)` are zero")
                    continue
                }
                for zone in 0..<zoneCount { shares[s, zone] /= total }
            }
        }

        let finalDemandGrowth = yaml.double("final_demand_growth", in: -0.2...0.3, default: 0, &diagnostics) ?? 0
        let productivityGrowth = yaml.double("productivity_growth", in: -0.1...0.2, default: 0, &diagnostics) ?? 0
        func sector(_ item: YAMLMapping, _ key: String) -> Int? {
            guard let name = item.string(key, &diagnostics) else { return nil }
            guard let index = names.firstIndex(of: name) else {
                diagnostics.error(item.location(ofKey: key), "unknown sector `\(name)`", hint: Suggestion.hint(for: name, in: names))
                return nil
            }
            return index
        }
        var sectorGrowth = [Double?](repeating: nil, count: names.count)
        if let growth = yaml.submapping("sector_growth", required: false, &diagnostics) {
            growth.rejectUnknownKeys(allowing: names, &diagnostics)
            for (s, name) in names.enumerated() where growth.has(name) {
                sectorGrowth[s] = growth.double(name, in: -0.5...0.5, &diagnostics)
            }
        }
        var shocks: [FinalDemandShock] = []
        for item in yaml.sequenceOfMappings("shocks", &diagnostics) {
            item.rejectUnknownKeys(allowing: ["sector", "from", "until", "change"], &diagnostics)
            if let s = sector(item, "sector"), let from = item.integer("from", &diagnostics),
                let change = item.double("change", in: -1...10, &diagnostics)
            {
                shocks.append(
                    FinalDemandShock(sector: s, from: from, until: item.integer("until", required: false, &diagnostics), change: change))
            }
        }
        var investments: [Investment] = []
        for item in yaml.sequenceOfMappings("investments", &diagnostics) {
            item.rejectUnknownKeys(allowing: ["sector", "year", "amount"], &diagnostics)
            if let s = sector(item, "sector"), let year = item.integer("year", &diagnostics),
                let amount = item.double("amount", &diagnostics)
            {
                investments.append(Investment(sector: s, year: year, amount: amount))
            }
        }
        var changes: [CoefficientChange] = []
        for item in yaml.sequenceOfMappings("coefficient_changes", &diagnostics) {
            item.rejectUnknownKeys(allowing: ["supplier", "buyer", "from", "value"], &diagnostics)
            if let supplier = sector(item, "supplier"), let buyer = sector(item, "buyer"), let year = item.integer("from", &diagnostics),
                let value = item.double("value", in: 0...1, &diagnostics)
            {
                changes.append(CoefficientChange(supplier: supplier, buyer: buyer, year: year, value: value))
            }
        }
        let householdShare = column("household_share", 0...1)
        let finalDemand = column("final_demand")
        let valueAdded = column("value_added"), compensation = column("compensation"), employment = column("jobs", nonNegative)
        guard diagnostics.errors.count == before else { return nil }

        let table: InputOutputTable
        do {
            table = try InputOutputTable(
                sectors: names, intermediate: z, output: output, finalDemand: finalDemand,
                valueAdded: valueAdded, compensation: compensation, employment: employment)
        } catch {
            diagnostics.error(sectorTable.headerLocation, "\(error)")
            return nil
        }
        var parameters = EconomyParameters(
            table: table, currency: currency, zoneShares: shares, householdShare: householdShare,
            finalDemandGrowth: finalDemandGrowth)
        parameters.productivityGrowth = productivityGrowth
        parameters.sectorGrowth = sectorGrowth
        parameters.shocks = shocks
        parameters.investments = investments
        parameters.coefficientChanges = changes
        return parameters
    }
}
