public import CityTwinCore
import Foundation

/// Loads and validates a model folder (`model.yaml` plus CSV tables) into a `CityModel`.
///
/// The loader owns the top-level keys (name, base year, zones) and hands each domain's section to the
/// domain's component (``DomainRegistry``); every problem any of them finds — unknown keys, missing
/// columns, wrong shapes, values outside their ranges — is thrown together as `InputErrors`, each
/// with file, line and column.
public enum CityModelLoader {
    /// The top-level keys of `model.yaml` that are not domain sections.
    static let modelKeys = ["name", "description", "base_year", "zones"]

    /// Loads the model in `path` (a folder holding model.yaml, or the YAML file itself).
    public static func load(_ path: String) throws -> CityModel {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let yamlPath = exists && isDirectory.boolValue ? resolve("model.yaml", relativeTo: path) : path
        let directory = CityTwinCore.directory(of: yamlPath)
        let files = InputFiles()
        let yaml = try YAMLMapping.document(text: files.text(at: yamlPath), file: yamlPath)
        var diagnostics = Diagnostics()
        yaml.rejectUnknownKeys(allowing: modelKeys + DomainRegistry.keys, &diagnostics)
        let name = yaml.string("name", &diagnostics) ?? "city"
        let description = yaml.string("description", required: false, &diagnostics) ?? ""
        let baseYear = yaml.year("base_year", &diagnostics) ?? YAMLMapping.calendarYears.lowerBound

        var zones: [Zone] = []
        if let file = yaml.string("zones", &diagnostics) {
            let location = yaml.location(ofKey: "zones")
            zones =
                diagnostics.collect(at: location) {
                    try loadZones(try files.table(at: resolve(file, relativeTo: directory), referencedFrom: location))
                } ?? []
        }
        var sections: [any DomainSection] = []
        var loaded: [String: any DomainSection] = [:]
        for component in DomainRegistry.components {
            let present = yaml.has(component.key)
            guard present || component.isRequired else { continue }
            guard let section = yaml.submapping(component.key, &diagnostics), !zones.isEmpty else { continue }
            let context = ModelLoadingContext(
                directory: directory, file: yamlPath, baseYear: baseYear, zones: zones,
                files: files, loaded: loaded)
            if let result = component.load(section, context: context, &diagnostics) {
                sections.append(result)
                loaded[component.key] = result
            }
        }
        try diagnostics.throwIfAny()
        return CityModel(
            name: name, description: description, baseYear: baseYear, directory: directory, zones: zones,
            sections: sections, inputs: files.files)
    }

    static func loadZones(_ table: CSVTable) throws -> [Zone] {
        // Zones are listed once each; ids are names (they may be numbers, but are not positions).
        let c = try table.columns(["zone", "x", "y", "population_share", "jobs"])
        let districtColumn = table.header.firstIndex(of: "district")
        var diagnostics = Diagnostics()
        var zones: [Zone] = []
        var seen: Set<String> = []
        for row in table.rows {
            let id = row.cells[c[0]]
            if !seen.insert(id).inserted {
                diagnostics.error(table.location(row), "zone `\(id)` appears twice")
            }
            let share = table.number(row, c[3], diagnostics: &diagnostics)
            let jobs = table.number(row, c[4], diagnostics: &diagnostics)
            if share < 0 || jobs < 0 {
                diagnostics.error(table.location(row), "zone `\(id)` has a negative share or job count")
            }
            // Optional `district` column: the level between zone and city (every zone names one).
            var district: String?
            if let d = districtColumn {
                district = row.cells[d].trimmingCharacters(in: .whitespaces)
                if district!.isEmpty { diagnostics.error(table.location(row, d), "zone `\(id)` names no district") }
            }
            zones.append(
                Zone(
                    id: id, x: table.number(row, c[1], diagnostics: &diagnostics),
                    y: table.number(row, c[2], diagnostics: &diagnostics), populationShare: share, jobs: jobs,
                    district: district))
        }
        if zones.isEmpty { diagnostics.error(SourceLocation(file: table.file, line: 1), "the model has no zones") }
        let total = zones.reduce(0) { $0 + $1.populationShare }
        if !zones.isEmpty, abs(total - 1) > 1e-6 {
            diagnostics.error(
                SourceLocation(file: table.file, line: 1), "population shares sum to \(total), not 1",
                hint: "each share is the zone's fraction of the city's residents")
        }
        try diagnostics.throwIfAny()
        return zones
    }
}
