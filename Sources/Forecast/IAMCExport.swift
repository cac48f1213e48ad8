import Foundation

/// A run's forecast in the IAMC long format that pyam (and the IIASA scenario explorer) reads:
/// `model, scenario, region, variable, unit, year, statistic, value`, with `statistic` as an extra
/// column (pyam keeps unknown columns as `extra_cols`).
///
/// Variable names become IAMC `|`-levels: the module and each word of the name capitalised
/// (`population.total` → `Population|Total`, `water.reserve_days` → `Water|Reserve Days`), and an
/// element selector a further level (`traffic.vc[9-10]` → `Traffic|Vc|9-10`,
/// `population.by_age_sex[30-34,female]` → `Population|By Age Sex|30-34|female`). City rows keep the
/// model's name as region; zone rows become `<model>|Zone <id>`.
public enum IAMCExport {
    public static func variable(_ path: String) -> String {
        var base = path
        var elements: [String] = []
        if let open = path.firstIndex(of: "["), path.hasSuffix("]") {
            base = String(path[..<open])
            elements = path[path.index(after: open)..<path.index(before: path.endIndex)].split(separator: ",").map(String.init)
        }
        let levels = base.split(separator: ".").map { part in
            part.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        }
        return (levels + elements).joined(separator: "|")
    }

    /// Writes the CSV to `path`, streaming the archive's rows (atomically: temporary file, then rename).
    public static func write(_ archive: RunArchive, run id: String, to path: String) throws -> Int {
        guard let summary = try archive.summary(id) else { throw RunArchive.ArchiveError.unknownRun(id) }
        let manifest = try JSONSerialization.jsonObject(with: archive.manifest(id)) as? [String: Any]
        let scenario = (manifest?["scenario"] as? [String: Any])?["name"] as? String ?? summary.name
        var text = "model,scenario,region,variable,unit,year,statistic,value\n"
        let prefix = ForecastTable.quoted("citytwin \(summary.model)") + "," + ForecastTable.quoted(scenario) + ","
        var names: [String: String] = [:]
        var count = 0
        try archive.eachForecastRow(id) { row in
            let name = names[row.variable] ?? variable(row.variable)
            names[row.variable] = name
            let region = row.region == summary.model ? row.region : "\(summary.model)|Zone \(row.region)"
            text +=
                prefix
                + [
                    ForecastTable.quoted(region), ForecastTable.quoted(name), ForecastTable.quoted(row.unit),
                    ForecastTable.format(year: row.year), row.statistic, ForecastTable.format(row.value),
                ].joined(separator: ",") + "\n"
            count += 1
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return count
    }
}
