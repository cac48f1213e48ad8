import Foundation
import CityTwinCore
import Economy
import LinearAlgebra
import Population
import Resources
import Traffic

/// Loads and validates a model folder (`model.yaml` plus CSV tables) into a `CityModel`.
///
/// Everything is checked before any simulation starts: unknown keys, missing columns, wrong shapes,
/// negative populations, rates outside [0, 1], survival ratios above one, migration rows that do not
/// sum to one. All problems found are thrown together as `InputErrors`, each with file and line.
public enum CityModelLoader {
    /// Keys of `model.yaml`.
    static let modelKeys = ["name", "description", "base_year", "zones", "population", "economy", "resources", "traffic"]
    /// Keys of the `population:` section.
    static let populationKeys = [
        "age_interval", "open_age", "initial", "life_table", "life_table_radix", "fertility", "sex_ratio_at_birth",
        "migration", "net_migration", "net_migration_timing", "job_attraction",
    ]
    /// Tolerance on the row sums of a migration matrix: files written with 15+ significant digits meet it easily.
    static let rowSumTolerance = 1e-9

    /// Loads the model in `path` (a folder holding model.yaml, or the YAML file itself).
    public static func load(_ path: String) throws -> CityModel {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let yamlPath = exists && isDirectory.boolValue ? resolve("model.yaml", relativeTo: path) : path
        let directory = (yamlPath as NSString).deletingLastPathComponent
        var reader = InputReader()
        let yaml = try YAMLMapping.document(text: reader.text(at: yamlPath), file: yamlPath)
        var diagnostics = Diagnostics()
        yaml.rejectUnknownKeys(allowing: modelKeys, &diagnostics)
        let name = yaml.string("name", &diagnostics) ?? "city"
        let description = yaml.string("description", required: false, &diagnostics) ?? ""
        let baseYear = yaml.integer("base_year", &diagnostics) ?? 0

        var zones: [Zone] = []
        if let file = yaml.string("zones", &diagnostics) {
            collect(&diagnostics) {
                zones = try loadZones(try reader.table(at: resolve(file, relativeTo: directory),
                                                       referencedFrom: yaml.location(ofKey: "zones")))
            }
        }
        var population: PopulationParameters?
        if let section = yaml.submapping("population", &diagnostics), !zones.isEmpty {
            collect(&diagnostics) {
                population = try loadPopulation(section, zones: zones, directory: directory, reader: &reader)
            }
        }
        var economy: EconomyParameters?
        var resources: ResourcesParameters?
        func table(_ file: String) throws -> ParameterTable {
            let path = resolve(file, relativeTo: directory)
            return try ParameterTable(csv: reader.text(at: path), file: path)
        }
        if let section = yaml.node("economy"), !zones.isEmpty {
            collect(&diagnostics) {
                economy = try parameterErrors {
                    try EconomyParameters.load(section: yaml.parameterNode(section), file: yamlPath, zoneCount: zones.count, table: table)
                }
            }
        }
        if let section = yaml.node("resources"), !zones.isEmpty {
            collect(&diagnostics) {
                resources = try parameterErrors {
                    try ResourcesParameters.load(section: yaml.parameterNode(section), file: yamlPath,
                                                 sectors: economy?.table.sectors ?? [], table: table)
                }
            }
        }
        var traffic: TrafficModel?
        if let section = yaml.submapping("traffic", required: false, &diagnostics), !zones.isEmpty {
            collect(&diagnostics) {
                traffic = try loadTraffic(section, zones: zones, directory: directory, reader: &reader)
            }
        }
        try diagnostics.throwIfAny()
        return CityModel(name: name, description: description, baseYear: baseYear, directory: directory, zones: zones,
                         population: population!, economy: economy, resources: resources, traffic: traffic, inputs: reader.files)
    }

    /// Runs a section loader of another module, turning its typed loading errors into input errors.
    static func parameterErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ParameterLoadError {
            let message = error.path.isEmpty ? error.message : "\(error.path): \(error.message)"
            throw InputErrors([InputError(SourceLocation(file: error.file, line: error.line), message)])
        } catch let error as InputErrors {
            throw error
        } catch {
            throw InputErrors([InputError(SourceLocation(file: "model"), "\(error)")])
        }
    }

    /// Runs a loading step, moving its thrown input errors into `diagnostics` so loading can go on.
    static func collect(_ diagnostics: inout Diagnostics, _ body: () throws -> Void) {
        do { try body() } catch let errors as InputErrors {
            diagnostics.append(contentsOf: errors.errors)
        } catch {
            diagnostics.error(SourceLocation(file: "?"), "\(error)")
        }
    }

    static func loadZones(_ table: CSVTable) throws -> [Zone] {
        let c = try table.columns(["zone", "x", "y", "population_share", "jobs"])
        var diagnostics = Diagnostics()
        var zones: [Zone] = []
        var seen: Set<String> = []
        for row in table.rows {
            let id = row.cells[c[0]]
            if !seen.insert(id).inserted {
                diagnostics.error(SourceLocation(file: table.file, line: row.line), "zone `\(id)` appears twice")
            }
            let share = table.number(row, c[3], diagnostics: &diagnostics)
            let jobs = table.number(row, c[4], diagnostics: &diagnostics)
            if share < 0 || jobs < 0 {
                diagnostics.error(SourceLocation(file: table.file, line: row.line), "zone `\(id)` has a negative share or job count")
            }
            zones.append(Zone(id: id, x: table.number(row, c[1], diagnostics: &diagnostics),
                              y: table.number(row, c[2], diagnostics: &diagnostics), populationShare: share, jobs: jobs))
        }
        if zones.isEmpty { diagnostics.error(SourceLocation(file: table.file, line: 1), "the model has no zones") }
        let total = zones.reduce(0) { $0 + $1.populationShare }
        if !zones.isEmpty, abs(total - 1) > 1e-6 {
            diagnostics.error(SourceLocation(file: table.file, line: 1), "population shares sum to \(total), not 1",
                              hint: "each share is the zone's fraction of the city's residents")
        }
        try diagnostics.throwIfAny()
        return zones
    }

    static func loadPopulation(_ yaml: YAMLMapping, zones: [Zone], directory: String, reader: inout InputReader)
        throws -> PopulationParameters
    {
        var diagnostics = Diagnostics()
        yaml.rejectUnknownKeys(allowing: populationKeys, &diagnostics)
        let interval = yaml.integer("age_interval", &diagnostics) ?? 1
        let openAge = yaml.integer("open_age", &diagnostics) ?? 100
        guard interval > 0, openAge > 0, openAge % interval == 0 else {
            diagnostics.error(yaml.location(ofKey: "open_age"),
                              "open_age \(openAge) must be a positive multiple of age_interval \(interval)")
            throw InputErrors(diagnostics.errors)
        }
        let ages = AgeGroups(interval: interval, openAge: openAge)
        let radix = yaml.double("life_table_radix", &diagnostics) ?? 100_000
        let sexRatio = yaml.double("sex_ratio_at_birth", &diagnostics) ?? 1.05
        let jobAttraction = yaml.double("job_attraction", required: false, &diagnostics) ?? 0
        if !(0...5).contains(jobAttraction) {
            diagnostics.error(yaml.location(ofKey: "job_attraction"), "job_attraction is \(jobAttraction); expected an elasticity in 0…5")
        }
        if sexRatio <= 0 || sexRatio > 2 {
            diagnostics.error(yaml.location(ofKey: "sex_ratio_at_birth"),
                              "sex_ratio_at_birth is \(sexRatio); expected male births per female birth, about 1.05")
        }
        var timing = MigrationTiming.split
        if let text = yaml.string("net_migration_timing", required: false, &diagnostics) {
            if let value = MigrationTiming(rawValue: text) {
                timing = value
            } else {
                diagnostics.error(yaml.location(yaml.node("net_migration_timing")), "unknown net_migration_timing `\(text)`",
                                  hint: Suggestion.hint(for: text, in: MigrationTiming.allCases.map(\.rawValue)))
            }
        }
        let zoneIndex = Dictionary(uniqueKeysWithValues: zones.enumerated().map { ($1.id, $0) })
        func table(_ key: String) -> CSVTable? {
            guard let file = yaml.string(key, &diagnostics) else { return nil }
            var result: CSVTable?
            collect(&diagnostics) {
                result = try reader.table(at: resolve(file, relativeTo: directory), referencedFrom: yaml.location(ofKey: key))
            }
            return result
        }
        let initialTable = table("initial")
        let lifeTable = table("life_table")
        let fertilityTable = table("fertility")
        let migrationTable = table("migration")
        let netMigrationTable = table("net_migration")

        var initial = Matrix(rows: 2 * ages.count, columns: zones.count)
        var netMigration = initial
        var survival: (SurvivalRatios, SurvivalRatios)?
        var fertility: [Double] = []
        var migration: Matrix?
        collect(&diagnostics) {
            if let t = initialTable {
                initial = try zoneAgeSexTable(t, ages: ages, zones: zoneIndex, allowNegative: false, what: "population")
            }
        }
        collect(&diagnostics) {
            if let t = netMigrationTable {
                netMigration = try zoneAgeSexTable(t, ages: ages, zones: zoneIndex, allowNegative: true, what: "net migration")
            }
        }
        collect(&diagnostics) { if let t = lifeTable { survival = try survivalRatios(t, ages: ages, radix: radix) } }
        collect(&diagnostics) { if let t = fertilityTable { fertility = try fertilityRates(t, ages: ages) } }
        collect(&diagnostics) { if let t = migrationTable { migration = try migrationMatrix(t, zones: zones) } }
        try diagnostics.throwIfAny()
        let bands = migration.map { [MigrationBand(ageGroups: 0..<ages.count, matrix: $0)] } ?? []
        var parameters = PopulationParameters(
            ages: ages, zoneCount: zones.count, initial: initial, survivalFemale: survival!.0, survivalMale: survival!.1,
            fertility: fertility, sexRatioAtBirth: sexRatio, migration: bands, netMigration: netMigration,
            netMigrationTiming: timing)
        parameters.jobAttraction = jobAttraction
        return parameters
    }

    /// A `zone,age,female,male` table as a (2A × Z) matrix; every zone and age exactly once.
    static func zoneAgeSexTable(_ table: CSVTable, ages: AgeGroups, zones: [String: Int], allowNegative: Bool,
                                what: String) throws -> Matrix {
        let c = try table.columns(["zone", "age", "female", "male"])
        var diagnostics = Diagnostics()
        let a = ages.count
        var values = Matrix(rows: 2 * a, columns: zones.count)
        var seen = Set<[Int]>()
        for row in table.rows {
            let location = SourceLocation(file: table.file, line: row.line)
            guard let zone = zones[row.cells[c[0]]] else {
                diagnostics.error(location, "unknown zone `\(row.cells[c[0]])`",
                                  hint: Suggestion.hint(for: row.cells[c[0]], in: zones.keys.sorted()).map { "zones come from zones.csv; \($0)" })
                continue
            }
            let age = table.integer(row, c[1], diagnostics: &diagnostics)
            guard age >= 0, age <= ages.openAge, age % ages.interval == 0 else {
                diagnostics.error(location, "age \(age) is not the start of an age group",
                                  hint: "ages run 0, \(ages.interval), … \(ages.openAge) (the open group)")
                continue
            }
            let group = age / ages.interval
            if !seen.insert([zone, group]).inserted {
                diagnostics.error(location, "zone \(row.cells[c[0]]), age \(age) appears twice")
            }
            let female = table.number(row, c[2], diagnostics: &diagnostics)
            let male = table.number(row, c[3], diagnostics: &diagnostics)
            if !allowNegative, female < 0 || male < 0 {
                diagnostics.error(location, "negative \(what) (\(female < 0 ? female : male))",
                                  hint: "\(what) counts must be zero or more")
            }
            values[group, zone] = female
            values[a + group, zone] = male
        }
        let expected = a * zones.count
        if diagnostics.isEmpty, seen.count != expected {
            diagnostics.error(SourceLocation(file: table.file), "the table has \(seen.count) zone–age rows, expected \(expected)",
                              hint: "give every zone (\(zones.count)) and every age group (\(a)) exactly once")
        }
        try diagnostics.throwIfAny()
        return values
    }

    static func ageColumn(_ table: CSVTable, _ valueColumns: [String], ages: AgeGroups) throws -> [[Double]] {
        let c = try table.columns(["age"] + valueColumns)
        var diagnostics = Diagnostics()
        var values = Array(repeating: [Double](repeating: .nan, count: ages.count), count: valueColumns.count)
        for row in table.rows {
            let age = table.integer(row, c[0], diagnostics: &diagnostics)
            guard age >= 0, age <= ages.openAge, age % ages.interval == 0 else {
                diagnostics.error(SourceLocation(file: table.file, line: row.line), "age \(age) is not the start of an age group")
                continue
            }
            for k in valueColumns.indices { values[k][age / ages.interval] = table.number(row, c[k + 1], diagnostics: &diagnostics) }
        }
        if diagnostics.isEmpty, let missing = values[0].firstIndex(where: \.isNaN) {
            diagnostics.error(SourceLocation(file: table.file), "no row for age \(ages.startAge(missing))",
                              hint: "give every age group from 0 to \(ages.openAge)")
        }
        try diagnostics.throwIfAny()
        return values
    }

    static func survivalRatios(_ table: CSVTable, ages: AgeGroups, radix: Double) throws -> (SurvivalRatios, SurvivalRatios) {
        let columns = try ageColumn(table, ["female_Lx", "male_Lx"], ages: ages)
        var diagnostics = Diagnostics()
        var result: [SurvivalRatios] = []
        for (k, sex) in ["female_Lx", "male_Lx"].enumerated() {
            let lx = columns[k]
            if let bad = lx.firstIndex(where: { $0 <= 0 }) {
                diagnostics.error(SourceLocation(file: table.file), "\(sex) at age \(ages.startAge(bad)) is not positive")
                continue
            }
            let ratios = SurvivalRatios(personYears: lx, radix: radix, interval: ages.interval)
            if !(0...1).contains(ratios.birth) {
                diagnostics.error(SourceLocation(file: table.file), "\(sex): L_0 / (n·l_0) = \(ratios.birth) is outside [0, 1]",
                                  hint: "check life_table_radix (l_0) against the L_x column")
            }
            for x in 1..<lx.count where !(0...1).contains(ratios.ratios[x]) {
                diagnostics.error(SourceLocation(file: table.file), "\(sex): survival into age \(ages.startAge(x)) is \(ratios.ratios[x]), above 1",
                                  hint: "person-years L_x must not increase with age (the open group holds T_x)")
            }
            result.append(ratios)
        }
        try diagnostics.throwIfAny()
        return (result[0], result[1])
    }

    static func fertilityRates(_ table: CSVTable, ages: AgeGroups) throws -> [Double] {
        let rates = try ageColumn(table, ["rate"], ages: ages)[0]
        var diagnostics = Diagnostics()
        for (x, rate) in rates.enumerated() where !(0...1).contains(rate) {
            diagnostics.error(SourceLocation(file: table.file), "fertility rate at age \(ages.startAge(x)) is \(rate), outside [0, 1]",
                              hint: "rates are births per woman per year, e.g. 0.09")
        }
        try diagnostics.throwIfAny()
        return rates
    }

    /// A square zone × zone matrix: header `from,<zone ids in any order>`, one row per origin zone.
    static func migrationMatrix(_ table: CSVTable, zones: [Zone]) throws -> Matrix {
        _ = try table.columns(["from"])
        var diagnostics = Diagnostics()
        let index = Dictionary(uniqueKeysWithValues: zones.enumerated().map { ($1.id, $0) })
        var columnZone: [Int: Int] = [:]
        for (k, name) in table.header.enumerated() where name != "from" {
            if let zone = index[name] { columnZone[k] = zone } else {
                diagnostics.error(SourceLocation(file: table.file, line: 1), "column `\(name)` is not a zone",
                                  hint: Suggestion.hint(for: name, in: index.keys.sorted()))
            }
        }
        if diagnostics.isEmpty, columnZone.count != zones.count {
            diagnostics.error(SourceLocation(file: table.file, line: 1), "the matrix has \(columnZone.count) zone columns, the model \(zones.count) zones")
        }
        try diagnostics.throwIfAny()
        let fromColumn = table.header.firstIndex(of: "from")!
        var m = Matrix(rows: zones.count, columns: zones.count)
        var seen = Set<Int>()
        for row in table.rows {
            let location = SourceLocation(file: table.file, line: row.line)
            guard let origin = index[row.cells[fromColumn]] else {
                diagnostics.error(location, "unknown zone `\(row.cells[fromColumn])`")
                continue
            }
            if !seen.insert(origin).inserted { diagnostics.error(location, "zone \(row.cells[fromColumn]) has two rows") }
            var sum = 0.0
            for (k, destination) in columnZone.sorted(by: { $0.key < $1.key }) {
                let p = table.number(row, k, diagnostics: &diagnostics)
                if !(0...1).contains(p) {
                    diagnostics.error(location, "probability \(p) from zone \(row.cells[fromColumn]) to zone \(table.header[k]) is outside [0, 1]")
                }
                m[origin, destination] = p
                sum += p
            }
            if abs(sum - 1) > rowSumTolerance {
                diagnostics.error(location, "the row for zone \(row.cells[fromColumn]) sums to \(sum), not 1",
                                  hint: "row i is where zone i's residents live one step later (staying included), so it must sum to 1")
            }
        }
        if diagnostics.isEmpty, seen.count != zones.count {
            diagnostics.error(SourceLocation(file: table.file), "the matrix has \(seen.count) rows, the model \(zones.count) zones")
        }
        try diagnostics.throwIfAny()
        return m
    }
}
