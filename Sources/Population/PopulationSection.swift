public import CityTwinCore
import LinearAlgebra

/// The population domain: the `population:` section of `model.yaml` (required in every model).
///
/// ```yaml
/// population:
///   age_interval: 1               # years per age group (1 or 5); the tick must equal it
///   open_age: 100                 # start of the open age group
///   initial: population.csv       # zone,age,female,male
///   life_table: life_table.csv    # age,female_Lx,male_Lx (person-years; T_x in the open group)
///   life_table_radix: 100000      # l_0
///   fertility: fertility.csv      # age,rate (births per woman per year)
///   sex_ratio_at_birth: 1.05
///   migration: migration.csv      # from,<zone ids>: one-step transition probabilities, rows sum to 1
///   net_migration: net_migration.csv  # zone,age,female,male: external net migrants per year
///   net_migration_timing: split   # start | end | split
///   job_attraction: 0.5           # elasticity of internal migrants' destinations to job growth
/// ```
public struct PopulationComponent: DomainComponent {
    public init() {}
    public var key: String { "population" }
    public var isRequired: Bool { true }

    public func load(_ section: YAMLMapping, context: ModelLoadingContext, _ diagnostics: inout Diagnostics) -> (any DomainSection)? {
        guard let parameters = diagnostics.collect(at: section.start, { try PopulationSection.loadParameters(section, context: context) })
        else { return nil }
        return PopulationSection(parameters: parameters)
    }
}

/// The loaded `population:` section and the module it builds.
public struct PopulationSection: DomainSection {
    public var parameters: PopulationParameters

    public init(parameters: PopulationParameters) { self.parameters = parameters }

    public var key: String { "population" }
    public var provides: Set<FieldKey> { [SharedFields.populationByZone] }
    public var requiredTickYears: Int? { parameters.ages.interval }
    public var baseYearValues: [FieldKey: [Double]] { [SharedFields.populationByZone: parameters.initial.columnSums] }

    /// The cohort-component module; internal migrants follow job growth when the run has jobs by zone.
    public func makeModules(_ assembly: ModuleAssembly) throws -> [any SimulationModule] {
        let jobs = assembly.available.contains(SharedFields.jobsByZone) ? SharedFields.jobsByZone : nil
        return [PopulationModule(parameters, baseYear: assembly.baseYear, jobsField: jobs, zoneIDs: assembly.zones.map(\.id))]
    }
}

extension CityModel {
    /// The population section (every loaded model has one).
    public var population: PopulationParameters {
        guard let section = section(PopulationSection.self) else { preconditionFailure("a loaded model always has a population section") }
        return section.parameters
    }
}

extension PopulationSection {
    /// Keys of the `population:` section.
    static let sectionKeys = [
        "age_interval", "open_age", "initial", "life_table", "life_table_radix", "fertility", "sex_ratio_at_birth",
        "migration", "net_migration", "net_migration_timing", "job_attraction",
    ]
    /// Tolerance on the row sums of a migration matrix: files written with 15+ significant digits meet it easily.
    static let rowSumTolerance = 1e-9

    static func loadParameters(_ yaml: YAMLMapping, context: ModelLoadingContext) throws -> PopulationParameters {
        let zones = context.zones
        var diagnostics = Diagnostics()
        yaml.rejectUnknownKeys(allowing: sectionKeys, &diagnostics)
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
        func table(_ key: String) -> CSVTable? { context.table(key, in: yaml, &diagnostics) }
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
        diagnostics.collect(at: yaml.start) {
            if let t = initialTable {
                initial = try zoneAgeSexTable(t, ages: ages, zones: zoneIndex, allowNegative: false, what: "population")
            }
        }
        diagnostics.collect(at: yaml.start) {
            if let t = netMigrationTable {
                netMigration = try zoneAgeSexTable(t, ages: ages, zones: zoneIndex, allowNegative: true, what: "net migration")
            }
        }
        diagnostics.collect(at: yaml.start) { if let t = lifeTable { survival = try survivalRatios(t, ages: ages, radix: radix) } }
        diagnostics.collect(at: yaml.start) { if let t = fertilityTable { fertility = try fertilityRates(t, ages: ages) } }
        diagnostics.collect(at: yaml.start) { if let t = migrationTable { migration = try migrationMatrix(t, zones: zones) } }
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
            let location = table.location(row)
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
                diagnostics.error(table.location(row), "age \(age) is not the start of an age group")
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
            let location = table.location(row)
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
