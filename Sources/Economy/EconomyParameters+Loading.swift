public import CityTwinCore
import LinearAlgebra

extension EconomyParameters {
    /// Keys of the `economy:` section of model.yaml.
    public static let sectionKeys = [
        "currency", "sectors", "flows", "zone_shares", "final_demand_growth", "productivity_growth", "sector_growth", "shocks",
        "investments", "coefficient_changes",
    ]

    /// Loads the `economy:` section of model.yaml.
    ///
    /// ```yaml
    /// economy:
    ///   currency: million USD (2022)
    ///   sectors: economy/sectors.csv        # sector,output,value_added,compensation,jobs[,final_demand][,household_share]
    ///   flows: economy/flows.csv            # supplier,<sector>… : intermediate flows z_ij (row supplies column)
    ///   zone_shares: economy/zone_shares.csv  # zone,<sector>… : weights, normalised per sector
    ///   final_demand_growth: 0.02           # lever
    ///   sector_growth: {health: 0.03}       # lever, optional
    ///   shocks: [{sector: manufacturing, from: 2030, until: 2031, change: -0.10}]
    ///   investments: [{sector: construction, year: 2028, amount: 150}]
    ///   coefficient_changes: [{supplier: manufacturing, buyer: construction, from: 2035, value: 0.05}]
    /// ```
    ///
    /// - Parameters:
    ///   - section: the parsed section (with lines, for messages).
    ///   - file: the YAML file's name, for messages.
    ///   - zoneCount: the model's zone count; `zone_shares.csv` must have exactly these zones 1…Z.
    ///   - table: reads a CSV file named relative to the model folder.
    /// - Throws: `ParameterLoadError` (file, line, key) or `EconomyError` for an unproductive table.
    public static func load(section: ParameterNode, file: String, zoneCount: Int,
                            table: (String) throws -> ParameterTable) throws -> EconomyParameters {
        var reader = try ParameterReader(section, file: file, path: "economy")
        let currency = try reader.string("currency")

        // Sectors and satellite rows.
        let sectorTable = try table(try reader.string("sectors"))
        try sectorTable.checkColumns(known: ["sector", "output", "value_added", "compensation", "jobs", "final_demand", "household_share", "source"])
        let names = try sectorTable.rows.indices.map { try sectorTable.string($0, "sector") }
        guard !names.isEmpty else { throw sectorTable.error(row: 0, "no sectors") }
        if let duplicate = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ParameterLoadError(file: sectorTable.file, line: nil, path: "sector", message: "sector `\(duplicate)` appears twice")
        }
        func column(_ name: String, _ range: ClosedRange<Double>? = nil) throws -> [Double] {
            try sectorTable.rows.indices.map { try sectorTable.double($0, name, in: range) }
        }
        func optionalColumn(_ name: String, _ range: ClosedRange<Double>? = nil) throws -> [Double]? {
            guard sectorTable.header.contains(name) else { return nil }
            return try column(name, range)
        }
        let output = try column("output", 0...Double.greatestFiniteMagnitude)

        // Flows: a square table in the sector order.
        let flows = try table(try reader.string("flows"))
        try flows.checkColumns(known: ["supplier"] + names)
        var z = Matrix(rows: names.count, columns: names.count)
        guard flows.rows.count == names.count else {
            throw ParameterLoadError(file: flows.file, line: nil, path: "", message: "\(flows.rows.count) supplier rows, expected \(names.count) (one per sector)")
        }
        for r in flows.rows.indices {
            let supplier = try flows.string(r, "supplier")
            guard let i = names.firstIndex(of: supplier) else {
                throw flows.error(row: r, column: "supplier", "unknown sector `\(supplier)`" + (closestKey(to: supplier, among: names).map { " (did you mean `\($0)`?)" } ?? ""))
            }
            for (j, buyer) in names.enumerated() { z[i, j] = try flows.double(r, buyer, in: 0...Double.greatestFiniteMagnitude) }
        }

        let ioTable: InputOutputTable
        do {
            ioTable = try InputOutputTable(
                sectors: names, intermediate: z, output: output, finalDemand: try optionalColumn("final_demand"),
                valueAdded: try optionalColumn("value_added"), compensation: try optionalColumn("compensation"),
                employment: try optionalColumn("jobs", 0...Double.greatestFiniteMagnitude))
        } catch let error as EconomyError {
            throw ParameterLoadError(file: sectorTable.file, line: nil, path: "output", message: error.description)
        }

        // Zone shares: rows are zones 1…Z, columns sectors; each sector's column is normalised.
        let sharesTable = try table(try reader.string("zone_shares"))
        try sharesTable.checkColumns(known: ["zone"] + names)
        guard sharesTable.rows.count == zoneCount else {
            throw ParameterLoadError(file: sharesTable.file, line: nil, path: "zone", message: "\(sharesTable.rows.count) zones, the model has \(zoneCount)")
        }
        var shares = Matrix(rows: names.count, columns: zoneCount)
        for r in sharesTable.rows.indices {
            let zone = try sharesTable.double(r, "zone")
            guard zone == Double(r + 1) else { throw sharesTable.error(row: r, column: "zone", "zones must be listed 1…\(zoneCount) in order; found \(zone)") }
            for (s, sector) in names.enumerated() { shares[s, r] = try sharesTable.double(r, sector, in: 0...Double.greatestFiniteMagnitude) }
        }
        for (s, sector) in names.enumerated() {
            let total = shares.row(s).reduce(0, +)
            guard total > 0 else { throw ParameterLoadError(file: sharesTable.file, line: nil, path: sector, message: "all zone weights are zero") }
            for zIndex in 0..<zoneCount { shares[s, zIndex] /= total }
        }

        func sectorIndex(_ r: inout ParameterReader, _ key: String) throws -> Int {
            let name = try r.string(key)
            guard let index = names.firstIndex(of: name) else {
                throw r.error(key, "unknown sector `\(name)`" + (closestKey(to: name, among: names).map { " (did you mean `\($0)`?)" } ?? ""))
            }
            return index
        }

        var parameters = EconomyParameters(
            table: ioTable, currency: currency, zoneShares: shares,
            householdShare: try optionalColumn("household_share", 0...1),
            finalDemandGrowth: try reader.double("final_demand_growth", default: 0, in: -0.2...0.3))
        parameters.productivityGrowth = try reader.double("productivity_growth", default: 0, in: -0.1...0.2)
        if var growth = try reader.child("sector_growth") {
            for name in names where growth.has(name) {
                parameters.sectorGrowth[names.firstIndex(of: name)!] = try growth.double(name, in: -0.5...0.5)
            }
            try growth.finish()
        }
        for item in try reader.list("shocks") {
            var r = try ParameterReader(item, file: file, path: "economy.shocks")
            parameters.shocks.append(FinalDemandShock(
                sector: try sectorIndex(&r, "sector"), from: try r.int("from"),
                until: r.has("until") ? try r.int("until") : nil, change: try r.double("change", in: -1...10)))
            try r.finish()
        }
        for item in try reader.list("investments") {
            var r = try ParameterReader(item, file: file, path: "economy.investments")
            parameters.investments.append(Investment(sector: try sectorIndex(&r, "sector"), year: try r.int("year"), amount: try r.double("amount")))
            try r.finish()
        }
        for item in try reader.list("coefficient_changes") {
            var r = try ParameterReader(item, file: file, path: "economy.coefficient_changes")
            parameters.coefficientChanges.append(CoefficientChange(
                supplier: try sectorIndex(&r, "supplier"), buyer: try sectorIndex(&r, "buyer"),
                year: try r.int("from"), value: try r.double("value", in: 0...1)))
            try r.finish()
        }
        try reader.finish(known: sectionKeys)
        return parameters
    }
}
