public import CityTwinCore
import LinearAlgebra

/// The population domain: the `population:` section of `model.yaml` (required in every model).
///
/// ```yaml
/// population:
///   age_interval: 1               # years per age group (1 or 5); the tick must equal it
///   open_age: 100                 # start of the open age group
///   initial: population.csv       # zone,age,female,male
///   life_table: life_table.csv    # age,female_Lx,male_Lx[,female_lx,male_lx] (person-years; T_x in the
///                                 #   table's open group) or age,female_mx,male_mx (central death rates);
///                                 #   a zone column gives each zone its own table
///   life_table_radix: 100000      # l_0
///   fertility: fertility.csv      # age,rate (births per woman per year), or zone,age,rate by zone
///   sex_ratio_at_birth: 1.05      # or a year,ratio file
///   migration: migration.csv      # from,<zone ids>: one-step transition probabilities, rows sum to 1;
///                                 #   or by age band: [{ages: 0-17, file: a.csv}, {ages: 18+, file: b.csv}]
///   net_migration: net_migration.csv  # zone,age,female,male: external net migrants per year; or
///                                 #   {total: 2340, female_share: 0.5, rogers_castro: {a1, alpha1, a2, alpha2, mu2, lambda2, c}}
///   net_migration_kind: counts    # counts | rates (per person at risk per year)
///   net_migration_timing: split   # start | end | split
///   schedule_interpolation: hold  # hold | linear, between the years of schedule files
///   job_attraction: 0.5           # elasticity of internal migrants' destinations to job growth
/// ```
///
/// Every schedule file (fertility, life table, net migration, sex ratio at birth) may carry a `year`
/// column, the start of the period its rows apply to: the schedule then changes over the run (held
/// between given years, or interpolated linearly), and must start no later than the base year (the
/// error names the missing years). After the last given year its schedule holds. Without a `year`
/// column one schedule holds for the whole run. A repeated key (age, or zone–age, with its year), a
/// value outside its range (negative fertility, person-years that rise with age, L_x outside
/// n·l_{x+n} … n·l_x, a net migration rate below −1/n) is an error at its file, line and column.
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
        "migration", "net_migration", "net_migration_timing", "net_migration_kind", "schedule_interpolation", "job_attraction",
    ]
    /// Tolerance on the row sums of a migration matrix: files written with 15+ significant digits meet it easily.
    static let rowSumTolerance = 1e-9
    /// The most persons one cell of a population or net-migration table may hold: more than any city has (Tokyo's
    /// metropolitan area has about 3.7e7), so a larger count is a typo or a unit error, refused at its cell.
    static let maximumPersons = 1e9
    static let tooManyPersons = "more persons than any city holds in one cell: check the units and the digits"

    static func loadParameters(_ yaml: YAMLMapping, context: ModelLoadingContext) throws -> PopulationParameters {
        let zones = context.zones
        var diagnostics = Diagnostics()
        yaml.rejectUnknownKeys(allowing: sectionKeys, &diagnostics)
        let interval = yaml.integer("age_interval", &diagnostics) ?? 1
        let openAge = yaml.integer("open_age", &diagnostics) ?? 100
        guard interval > 0, openAge > 0, openAge % interval == 0 else {
            diagnostics.error(
                yaml.location(ofKey: "open_age"),
                "open_age \(openAge) must be a positive multiple of age_interval \(interval)")
            throw InputErrors(diagnostics.errors)
        }
        let ages = AgeGroups(interval: interval, openAge: openAge)
        let radix = yaml.double("life_table_radix", &diagnostics) ?? 100_000
        let jobAttraction = yaml.double("job_attraction", required: false, &diagnostics) ?? 0
        if !(0...5).contains(jobAttraction) {
            diagnostics.error(yaml.location(ofKey: "job_attraction"), "job_attraction is \(jobAttraction); expected an elasticity in 0…5")
        }
        let timing = yaml.choice("net_migration_timing", as: MigrationTiming.self, &diagnostics) ?? .split
        let kind = yaml.choice("net_migration_kind", as: NetMigrationKind.self, &diagnostics) ?? .counts
        var schedules = PopulationSchedules()
        schedules.interpolation = yaml.choice("schedule_interpolation", as: ScheduleInterpolation.self, &diagnostics) ?? .hold
        schedules.radix = radix
        let baseYear = context.baseYear
        let zoneIndex = context.zoneIndex
        func table(_ key: String) -> CSVTable? { context.table(key, in: yaml, &diagnostics) }

        // The sex ratio at birth: a number, or a `year,ratio` file.
        var sexRatio = 1.05
        if let text = yaml.node("sex_ratio_at_birth")?.scalar, CSVTable.parseNumber(text) == nil, let t = table("sex_ratio_at_birth") {
            diagnostics.collect(at: yaml.start) {
                let (fixed, schedule) = try sexRatioSchedule(t, baseYear: baseYear)
                sexRatio = fixed
                schedules.sexRatioAtBirth = schedule
            }
        } else {
            sexRatio = yaml.double("sex_ratio_at_birth", &diagnostics) ?? 1.05
            if sexRatio <= 0 || sexRatio > 2 {
                diagnostics.error(
                    yaml.location(ofKey: "sex_ratio_at_birth"),
                    "sex_ratio_at_birth is \(sexRatio); expected male births per female birth, about 1.05")
            }
        }
        let initialTable = table("initial")
        let lifeTable = table("life_table")
        let fertilityTable = table("fertility")

        var initial = Matrix(rows: 2 * ages.count, columns: zones.count)
        var netMigration = initial
        var survival: (SurvivalRatios, SurvivalRatios)?
        var survivalByZone: (female: [SurvivalRatios], male: [SurvivalRatios])?
        var fertility: [Double] = []
        var bands: [MigrationBand] = []
        diagnostics.collect(at: yaml.start) {
            if let t = initialTable {
                initial = try zoneAgeSexTable(
                    t, ages: ages, zones: zoneIndex, range: 0...Self.maximumPersons,
                    baseYear: baseYear, what: "population", outsideHint: Self.tooManyPersons, allowsYears: false
                ).fixed
            }
        }
        diagnostics.collect(at: yaml.start) {
            if let t = lifeTable {
                let loaded = try lifeTableSchedules(t, ages: ages, radix: radix, baseYear: baseYear, zones: zoneIndex)
                survival = loaded.city
                survivalByZone = loaded.byZone
                (schedules.lifeTableFemale, schedules.lifeTableMale) = (loaded.female, loaded.male)
                schedules.lifeTablesByZone = loaded.byZone != nil
            }
        }
        diagnostics.collect(at: yaml.start) {
            if let t = fertilityTable {
                (fertility, schedules.fertility) = try fertilitySchedule(t, ages: ages, baseYear: baseYear, zones: zoneIndex)
            }
        }
        try diagnostics.throwIfAny()
        // External net migration: a zone,age,female,male[,year] file, or a total spread by Rogers–Castro.
        if let spec = yaml.node("net_migration"), spec.mapping != nil, let mapping = yaml.submapping("net_migration", &diagnostics) {
            if let spread = rogersCastroMigration(mapping, ages: ages, initial: initial, kind: kind, &diagnostics) {
                netMigration = spread
            }
        } else if let t = table("net_migration") {
            diagnostics.collect(at: yaml.start) {
                let h = Double(interval)
                let range = kind == .rates ? (-1 / h)...(1 / h) : -Self.maximumPersons...Self.maximumPersons
                let loaded = try zoneAgeSexTable(
                    t, ages: ages, zones: zoneIndex, range: range, baseYear: baseYear,
                    what: kind == .rates ? "net migration rate" : "net migration",
                    outsideHint: kind == .rates
                        ? "a net migration rate below −1/n would take more people than the cohort has" : Self.tooManyPersons)
                netMigration = loaded.fixed
                schedules.netMigration = loaded.schedule
            }
        }
        // Internal migration: one matrix for every age, or a list of age bands.
        if let node = yaml.node("migration") {
            if node.scalar != nil {
                if let t = table("migration") {
                    diagnostics.collect(at: yaml.start) {
                        bands = [MigrationBand(ageGroups: 0..<ages.count, matrix: try migrationMatrix(t, zones: zones))]
                    }
                }
            } else {
                bands = migrationBands(yaml, ages: ages, context: context, &diagnostics)
            }
        }
        try diagnostics.throwIfAny()
        var fertilityByZone: Matrix?
        if fertility.count == ages.count * zones.count, zones.count > 1 {
            var byZone = Matrix(rows: ages.count, columns: zones.count)
            byZone.storage = fertility
            fertilityByZone = byZone
            fertility = Array(fertility[0..<ages.count])
        }
        var parameters = PopulationParameters(
            ages: ages, zoneCount: zones.count, initial: initial, survivalFemale: survival!.0, survivalMale: survival!.1,
            fertility: fertility, sexRatioAtBirth: sexRatio, migration: bands, netMigration: netMigration,
            netMigrationTiming: timing)
        parameters.jobAttraction = jobAttraction
        parameters.netMigrationKind = kind
        parameters.fertilityByZone = fertilityByZone
        (parameters.survivalFemaleByZone, parameters.survivalMaleByZone) = (survivalByZone?.female, survivalByZone?.male)
        parameters.schedules = schedules
        return parameters
    }

    // MARK: Schedules by year

    /// The rows of one year's group by zone, in model order (`zone` column values are zone ids); an unknown
    /// zone, and a zone without rows, are errors (`what`: what the zone lacks, e.g. "life table").
    static func rowsByZone(
        _ table: CSVTable, _ rows: [CSVTable.Row], zoneColumn: Int, zones: [String: Int], year: Int?, what: String,
        hint: String, _ diagnostics: inout Diagnostics
    ) -> [[CSVTable.Row]] {
        var byZone: [Int: [CSVTable.Row]] = [:]
        for row in rows {
            guard let zone = zones[row.cells[zoneColumn]] else {
                diagnostics.error(
                    table.location(row, zoneColumn), "unknown zone `\(row.cells[zoneColumn])`",
                    hint: Suggestion.hint(for: row.cells[zoneColumn], in: zones.keys.sorted()))
                continue
            }
            byZone[zone, default: []].append(row)
        }
        let groups = (0..<zones.count).map { byZone[$0] ?? [] }
        for (zone, zoneRows) in groups.enumerated() where zoneRows.isEmpty {
            let name = zones.first { $0.value == zone }?.key ?? "\(zone + 1)"
            diagnostics.error(table.headerLocation, "no \(what) for zone \(name)\(year.map { " in \($0)" } ?? "")", hint: hint)
        }
        return groups
    }

    /// The rows of a table by year (the `year` column, the start of the period a row applies to), in
    /// ascending order; one group with year nil when the table has no `year` column.
    static func yearGroups(_ table: CSVTable, _ diagnostics: inout Diagnostics) -> [(year: Int?, rows: [CSVTable.Row])] {
        guard let column = table.header.firstIndex(of: "year") else { return [(nil, table.rows)] }
        var groups: [Int: [CSVTable.Row]] = [:]
        for row in table.rows {
            let year = table.integer(row, column, diagnostics: &diagnostics)
            if year >= 0 { groups[year, default: []].append(row) }
        }
        return groups.keys.sorted().map { ($0, groups[$0]!) }
    }

    /// Per-year values as a schedule (nil without a `year` column) and the value in force in the base
    /// year; an error naming the years before the first given one.
    static func schedule(
        _ table: CSVTable, _ values: [(year: Int?, values: [Double])], baseYear: Int, what: String,
        _ diagnostics: inout Diagnostics
    ) -> (fixed: [Double], schedule: YearlySchedule?) {
        guard let first = values.first else { return ([], nil) }
        guard first.year != nil else { return (first.values, nil) }
        let schedule = YearlySchedule(years: values.map { $0.year! }, values: values.map(\.values))
        if let missing = schedule.missingYears(from: baseYear) {
            let years = missing.count == 1 ? "\(missing.lowerBound)" : "\(missing.lowerBound)–\(missing.upperBound)"
            diagnostics.error(
                table.headerLocation, "the \(what) schedule does not cover \(years): its first year is \(schedule.years[0])",
                hint: "give rows for the base year \(baseYear) (a `year` is the start of the period it applies to)")
        }
        return (schedule.value(at: Double(baseYear), .hold), schedule)
    }

    /// The oldest age a table may give: no life table goes past it (the oldest verified human lived 122 years).
    static let oldestAge = 150

    /// Values of `valueColumns` by age group, for one year's rows: every age 0, n, … once, up to the open
    /// age (or, with `beyondOpenAge`, up to the table's own last age, at least the open age).
    static func ageValues(
        _ table: CSVTable, rows: [CSVTable.Row], ageColumn: Int, valueColumns: [Int],
        ranges: [ClosedRange<Double>], ages: AgeGroups, beyondOpenAge: Bool, year: Int?,
        _ diagnostics: inout Diagnostics
    ) -> (values: [[Double]], rows: [CSVTable.Row])? {
        var byGroup: [Int: CSVTable.Row] = [:]
        let inYear = year.map { " in \($0)" } ?? ""
        var ok = true
        for row in rows {
            let age = table.integer(row, ageColumn, diagnostics: &diagnostics)
            if age < 0 {
                // `integer` reported text that is not a whole number; a negative number is reported here.
                if Int(row.cells[ageColumn]) != nil {
                    diagnostics.error(
                        table.location(row, ageColumn), "age \(age) is negative", hint: "ages run 0, \(ages.interval), … \(ages.openAge)")
                }
                ok = false
                continue
            }
            if age > Self.oldestAge {
                diagnostics.error(
                    table.location(row, ageColumn), "age \(age) is beyond \(Self.oldestAge) years",
                    hint:
                        "ages run 0, \(ages.interval), … \(ages.openAge) (the open group); a life table may go on, up to \(Self.oldestAge)")
                ok = false
                continue
            }
            guard age % ages.interval == 0, beyondOpenAge || age <= ages.openAge else {
                diagnostics.error(
                    table.location(row, ageColumn), "age \(age) is not the start of an age group",
                    hint: "ages run 0, \(ages.interval), … \(ages.openAge) (the open group)")
                ok = false
                continue
            }
            if byGroup[age / ages.interval] == nil { byGroup[age / ages.interval] = row }  // repeats: rejectDuplicateKeys
        }
        guard ok else { return nil }
        let count = max(ages.count, (byGroup.keys.max() ?? 0) + 1)
        guard let missing = (0..<count).first(where: { byGroup[$0] == nil }) else {
            let ordered = (0..<count).map { byGroup[$0]! }
            let values = valueColumns.indices.map { k in
                ordered.map { table.number($0, valueColumns[k], in: ranges[k], diagnostics: &diagnostics) }
            }
            return (values, ordered)
        }
        diagnostics.error(
            table.headerLocation, "no row for age \(missing * ages.interval)\(inYear)",
            hint: "give every age group from 0 to \(ages.openAge) once")
        return nil
    }

    /// Fertility: `age,rate` (city-wide) or `zone,age,rate` (by zone: every zone and age once), optionally
    /// by `year`. Returns the base year's rates (city-wide: A values; by zone: A·Z, column-major) and the
    /// schedule when the file has years.
    static func fertilitySchedule(_ table: CSVTable, ages: AgeGroups, baseYear: Int, zones: [String: Int] = [:]) throws
        -> ([Double], YearlySchedule?)
    {
        var diagnostics = Diagnostics()
        table.rejectUnknownColumns(known: ["zone", "age", "rate", "year"], &diagnostics)
        guard let c = table.columns(["age", "rate"], &diagnostics) else { throw InputErrors(diagnostics.errors) }
        let zoneColumn = table.header.firstIndex(of: "zone")
        table.rejectDuplicateKeys([zoneColumn, c[0], table.header.firstIndex(of: "year")].compactMap { $0 }, &diagnostics)
        var perYear: [(year: Int?, values: [Double])] = []
        for (year, rows) in yearGroups(table, &diagnostics) {
            // One group of rows per zone (one group, the whole city, without a zone column).
            var groups: [(zone: Int, rows: [CSVTable.Row])] = [(0, rows)]
            if let zoneColumn {
                groups = Array(
                    rowsByZone(
                        table, rows, zoneColumn: zoneColumn, zones: zones, year: year, what: "fertility rates",
                        hint: "with a zone column, give every zone's rates", &diagnostics
                    ).enumerated().map { ($0.offset, $0.element) })
            }
            var values: [Double] = []
            for (_, zoneRows) in groups where !zoneRows.isEmpty {
                guard
                    let loaded = ageValues(
                        table, rows: zoneRows, ageColumn: c[0], valueColumns: [c[1]],
                        ranges: [-Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude],
                        ages: ages, beyondOpenAge: false, year: year, &diagnostics)
                else { continue }
                for (x, rate) in loaded.values[0].enumerated() where !(0...1).contains(rate) {
                    diagnostics.error(
                        table.location(loaded.rows[x], c[1]),
                        "fertility rate at age \(ages.startAge(x))\(year.map { " in \($0)" } ?? "") is \(rate), outside [0, 1]",
                        hint: "rates are births per woman per year, e.g. 0.09")
                }
                values += loaded.values[0]
            }
            perYear.append((year, values))
        }
        try diagnostics.throwIfAny()
        let result = schedule(table, perYear, baseYear: baseYear, what: "fertility", &diagnostics)
        try diagnostics.throwIfAny()
        return result
    }

    static func sexRatioSchedule(_ table: CSVTable, baseYear: Int) throws -> (Double, YearlySchedule?) {
        var diagnostics = Diagnostics()
        table.rejectUnknownColumns(known: ["year", "ratio"], &diagnostics)
        guard let c = table.columns(["year", "ratio"], &diagnostics) else { throw InputErrors(diagnostics.errors) }
        table.rejectDuplicateKeys([c[0]], &diagnostics)
        var perYear: [(year: Int?, values: [Double])] = []
        for (year, rows) in yearGroups(table, &diagnostics) {
            perYear.append((year, [table.number(rows[0], c[1], in: 0.8...1.3, diagnostics: &diagnostics)]))
        }
        try diagnostics.throwIfAny()
        let result = schedule(table, perYear, baseYear: baseYear, what: "sex ratio at birth", &diagnostics)
        try diagnostics.throwIfAny()
        return (result.fixed[0], result.schedule)
    }

    /// The life tables of a model: the city's (fixed) or each zone's, and their schedules by year.
    struct LoadedLifeTables {
        var city: (SurvivalRatios, SurvivalRatios)
        /// With a zone column: each zone's ratios in the base year.
        var byZone: (female: [SurvivalRatios], male: [SurvivalRatios])?
        var female: YearlySchedule?
        var male: YearlySchedule?
    }

    /// A life table by sex: `age,female_Lx,male_Lx` (person-years, the open group's T last; optional
    /// `female_lx,male_lx` survivors, checked against them) or `age,female_mx,male_mx` (central death
    /// rates; the life table is built from them, `LifeTableBuilder`), optionally by `year` and by `zone`
    /// (every zone then has its own table). Ages may go beyond the projection's open age (then the open
    /// group gets separate entering and staying ratios).
    static func lifeTableSchedules(_ table: CSVTable, ages: AgeGroups, radix: Double, baseYear: Int, zones: [String: Int] = [:]) throws
        -> LoadedLifeTables
    {
        var diagnostics = Diagnostics()
        table.rejectUnknownColumns(
            known: ["zone", "age", "year", "female_Lx", "male_Lx", "female_lx", "male_lx", "female_mx", "male_mx"],
            &diagnostics)
        let fromRates = table.header.contains("female_mx") || table.header.contains("male_mx")
        let valueNames = fromRates ? ["female_mx", "male_mx"] : ["female_Lx", "male_Lx"]
        guard let c = table.columns(["age"] + valueNames, &diagnostics) else { throw InputErrors(diagnostics.errors) }
        let survivors = fromRates || !table.header.contains("female_lx") ? nil : table.columns(["female_lx", "male_lx"], &diagnostics)
        let zoneColumn = table.header.firstIndex(of: "zone")
        table.rejectDuplicateKeys([zoneColumn, c[0], table.header.firstIndex(of: "year")].compactMap { $0 }, &diagnostics)
        let n = Double(ages.interval)
        var perYear: [[(year: Int?, values: [Double])]] = [[], []]
        var groupCount: Int?
        for (year, rows) in yearGroups(table, &diagnostics) {
            var groups: [[CSVTable.Row]] = [rows]
            if let zoneColumn {
                groups = rowsByZone(
                    table, rows, zoneColumn: zoneColumn, zones: zones, year: year, what: "life table",
                    hint: "with a zone column, give every zone's life table", &diagnostics)
            }
            var values: [[Double]] = [[], []]
            for zoneRows in groups where !zoneRows.isEmpty {
                let columns = [c[1], c[2]] + (survivors ?? [])
                let ranges =
                    Array(repeating: 0...Double.greatestFiniteMagnitude, count: 2)
                    + Array(repeating: 0...radix, count: survivors == nil ? 0 : 2)
                guard
                    let loaded = ageValues(
                        table, rows: zoneRows, ageColumn: c[0], valueColumns: columns, ranges: ranges,
                        ages: ages, beyondOpenAge: true, year: year, &diagnostics)
                else { continue }
                let k = loaded.rows.count
                if let groupCount, groupCount != k {
                    diagnostics.error(
                        table.location(loaded.rows[k - 1]), "this life table has \(k) age groups, the others \(groupCount)",
                        hint: "give every year and zone the same ages")
                }
                groupCount = k
                for (sex, name) in ["female", "male"].enumerated() {
                    var lx = loaded.values[sex]
                    if fromRates {
                        lx = LifeTableBuilder.personYears(rates: lx, interval: ages.interval, radix: radix, female: sex == 0)
                    } else {
                        checkPersonYears(
                            table, loaded.rows, lx, survivors: survivors == nil ? nil : loaded.values[2 + sex],
                            column: c[1 + sex], name: "\(name)_Lx", n: n, radix: radix, &diagnostics)
                    }
                    values[sex] += lx
                }
            }
            for sex in 0..<2 { perYear[sex].append((year, values[sex])) }
        }
        try diagnostics.throwIfAny()
        let female = schedule(table, perYear[0], baseYear: baseYear, what: "life table", &diagnostics)
        var repeated = Diagnostics()  // the same years as the female schedule: reported once
        let male = schedule(table, perYear[1], baseYear: baseYear, what: "life table", &repeated)
        try diagnostics.throwIfAny()
        func ratios(_ values: [Double]) -> SurvivalRatios {
            SurvivalRatios(personYears: values, radix: radix, interval: ages.interval, groups: ages.count)
        }
        let k = groupCount ?? ages.count
        func byZone(_ values: [Double]) -> [SurvivalRatios] {
            (0..<(values.count / k)).map { ratios(Array(values[($0 * k)..<(($0 + 1) * k)])) }
        }
        if zoneColumn != nil, zones.count > 1 {
            let (f, m) = (byZone(female.fixed), byZone(male.fixed))
            return LoadedLifeTables(city: (f[0], m[0]), byZone: (f, m), female: female.schedule, male: male.schedule)
        }
        return LoadedLifeTables(city: (ratios(female.fixed), ratios(male.fixed)), byZone: nil, female: female.schedule, male: male.schedule)
    }

    /// Person-years must be positive, must not rise with age (a survival ratio above 1), L₀ ≤ n·l₀, and
    /// lie between the survivors at the end and at the start of their interval: n·l_{x+n} ≤ L_x ≤ n·l_x,
    /// within n persons (published tables round l_x and L_x to whole persons).
    static func checkPersonYears(
        _ table: CSVTable, _ rows: [CSVTable.Row], _ lx: [Double], survivors: [Double]?, column: Int,
        name: String, n: Double, radix: Double, _ diagnostics: inout Diagnostics
    ) {
        let last = lx.count - 1
        for x in 0...last {
            let place = table.location(rows[x], column)
            if !(lx[x] > 0) {
                diagnostics.error(place, "`\(name)` is \(lx[x]); person-years must be positive")
                continue
            }
            if x == 0, lx[0] > n * radix * (1 + 1e-12) {
                diagnostics.error(
                    place, "`\(name)` at age 0 is \(lx[0]), more than n·l₀ = \(n * radix): infant survival above 1",
                    hint: "check life_table_radix (l₀) against the L_x column")
            }
            if x > 0, x < last, lx[x] > lx[x - 1] * (1 + 1e-12) {
                diagnostics.error(
                    place, "`\(name)` rises from \(lx[x - 1]) to \(lx[x]): a survival ratio above 1",
                    hint: "person-years L_x must not increase with age (the open group holds T_x)")
            }
            if let l = survivors, x < last {
                let (low, high) = (n * l[x + 1] - n, n * l[x] + n)
                if lx[x] < low || lx[x] > high {
                    diagnostics.error(
                        place,
                        "`\(name)` is \(lx[x]), inconsistent with l_x: expected n·l_{x+n} ≤ L_x ≤ n·l_x, \(n * l[x + 1])…\(n * l[x])",
                        hint: "L_x and l_x must come from the same life table")
                }
            }
        }
    }

    /// A `zone,age,female,male[,year]` table as a (2A × Z) matrix per year: every zone and age once a year
    /// (the base population has no `year` column: `allowsYears` false).
    static func zoneAgeSexTable(
        _ table: CSVTable, ages: AgeGroups, zones: [String: Int], range: ClosedRange<Double>,
        baseYear: Int, what: String, outsideHint: String? = nil, allowsYears: Bool = true
    ) throws -> (fixed: Matrix, schedule: YearlySchedule?) {
        var diagnostics = Diagnostics()
        table.rejectUnknownColumns(known: ["zone", "age", "female", "male"] + (allowsYears ? ["year"] : []), &diagnostics)
        guard let c = table.columns(["zone", "age", "female", "male"], &diagnostics) else { throw InputErrors(diagnostics.errors) }
        table.rejectDuplicateKeys([c[0], c[1]] + [table.header.firstIndex(of: "year")].compactMap { $0 }, &diagnostics)
        let a = ages.count
        var perYear: [(year: Int?, values: [Double])] = []
        for (year, rows) in yearGroups(table, &diagnostics) {
            var values = Matrix(rows: 2 * a, columns: zones.count)
            var seen = Set<[Int]>()
            for row in rows {
                let location = table.location(row)
                guard let zone = zones[row.cells[c[0]]] else {
                    diagnostics.error(
                        table.location(row, c[0]), "unknown zone `\(row.cells[c[0]])`",
                        hint: Suggestion.hint(for: row.cells[c[0]], in: zones.keys.sorted()).map { "zones come from zones.csv; \($0)" })
                    continue
                }
                let age = table.integer(row, c[1], diagnostics: &diagnostics)
                guard age >= 0, age <= ages.openAge, age % ages.interval == 0 else {
                    if age >= 0 {
                        diagnostics.error(
                            location, "age \(age) is not the start of an age group",
                            hint: "ages run 0, \(ages.interval), … \(ages.openAge) (the open group)")
                    }
                    continue
                }
                let group = age / ages.interval
                seen.insert([zone, group])
                for (k, offset) in [(c[2], 0), (c[3], a)] {
                    let value = table.number(row, k, diagnostics: &diagnostics)
                    values[offset + group, zone] = value
                    if value < range.lowerBound, range.lowerBound == 0 {
                        diagnostics.error(
                            table.location(row, k), "negative \(what) (\(value))", hint: "\(what) counts must be zero or more")
                    } else if !range.contains(value) {
                        diagnostics.error(
                            table.location(row, k), "\(what) \(value) is outside \(range.lowerBound)…\(range.upperBound)",
                            hint: outsideHint)
                    }
                }
            }
            let expected = a * zones.count
            if diagnostics.isEmpty, seen.count != expected {
                let inYear = year.map { " for \($0)" } ?? ""
                diagnostics.error(
                    SourceLocation(file: table.file), "the table has \(seen.count) zone–age rows\(inYear), expected \(expected)",
                    hint: "give every zone (\(zones.count)) and every age group (\(a)) exactly once")
            }
            perYear.append((year, values.storage))
        }
        try diagnostics.throwIfAny()
        let result = schedule(table, perYear, baseYear: baseYear, what: what, &diagnostics)
        try diagnostics.throwIfAny()
        var fixed = Matrix(rows: 2 * a, columns: zones.count)
        fixed.storage = result.fixed
        return (fixed, result.schedule)
    }

    /// `net_migration: {total: N, female_share: 0.5, rogers_castro: {a1, alpha1, a2, alpha2, mu2, lambda2, c}}`:
    /// N net migrants per year spread over ages by the Rogers–Castro shares, over sexes by `female_share`
    /// and over zones by their base-year population.
    static func rogersCastroMigration(
        _ yaml: YAMLMapping, ages: AgeGroups, initial: Matrix, kind: NetMigrationKind,
        _ diagnostics: inout Diagnostics
    ) -> Matrix? {
        yaml.rejectUnknownKeys(allowing: ["total", "female_share", "rogers_castro"], &diagnostics)
        if kind == .rates {
            diagnostics.error(yaml.start, "a Rogers–Castro total is a count of migrants", hint: "set net_migration_kind: counts")
        }
        let total = yaml.double("total", &diagnostics)
        let femaleShare = yaml.double("female_share", in: 0...1, default: 0.5, &diagnostics)
        guard let rc = yaml.submapping("rogers_castro", &diagnostics) else { return nil }
        let names = ["a1", "alpha1", "a2", "alpha2", "mu2", "lambda2", "c"]
        rc.rejectUnknownKeys(allowing: names, &diagnostics)
        let p = names.map { rc.double($0, in: 0...1000, &diagnostics) }
        guard let total, let femaleShare, p.allSatisfy({ $0 != nil }) else { return nil }
        let schedule = RogersCastro(a1: p[0]!, alpha1: p[1]!, a2: p[2]!, alpha2: p[3]!, mu2: p[4]!, lambda2: p[5]!, c: p[6]!)
        let shares = schedule.shares(ages)
        let zonePopulation = initial.columnSums
        let city = zonePopulation.reduce(0, +)
        let a = ages.count
        var m = Matrix(rows: 2 * a, columns: initial.columns)
        for z in 0..<initial.columns {
            let zoneShare = city > 0 ? zonePopulation[z] / city : 1 / Double(initial.columns)
            for x in 0..<a {
                m[x, z] = total * femaleShare * shares[x] * zoneShare
                m[a + x, z] = total * (1 - femaleShare) * shares[x] * zoneShare
            }
        }
        return m
    }

    /// `migration: [{ages: 0-17, file: children.csv}, {ages: 18+, file: adults.csv}]`: one zone × zone
    /// matrix per age band (ages in no band do not move between zones).
    static func migrationBands(
        _ yaml: YAMLMapping, ages: AgeGroups, context: ModelLoadingContext,
        _ diagnostics: inout Diagnostics
    ) -> [MigrationBand] {
        var bands: [MigrationBand] = []
        var covered = Array(repeating: false, count: ages.count)
        for item in yaml.sequenceOfMappings("migration", &diagnostics) {
            item.rejectUnknownKeys(allowing: ["ages", "file"], &diagnostics)
            guard let text = item.string("ages", &diagnostics), let file = item.string("file", &diagnostics) else { continue }
            guard let range = ageBand(text, ages) else {
                diagnostics.error(
                    item.location(ofKey: "ages"), "ages `\(text)` is not a band of whole age groups",
                    hint: "write `first-last` (e.g. 0-17 with single years, 15-64 with five-year groups) or `65+`")
                continue
            }
            if range.contains(where: { covered[$0] }) {
                diagnostics.error(item.location(ofKey: "ages"), "ages `\(text)` overlap an earlier band")
                continue
            }
            for x in range { covered[x] = true }
            guard let t = context.table(file: file, referencedFrom: item.location(ofKey: "file"), &diagnostics) else { continue }
            diagnostics.collect(at: item.start) {
                bands.append(MigrationBand(ageGroups: range, matrix: try migrationMatrix(t, zones: context.zones)))
            }
        }
        return bands
    }

    /// `a-b` (inclusive) or `a+` as a range of age groups, when both ends fall on group boundaries.
    static func ageBand(_ text: String, _ ages: AgeGroups) -> Range<Int>? {
        let n = ages.interval
        if text.hasSuffix("+"), let first = Int(text.dropLast()), first >= 0, first <= ages.openAge, first % n == 0 {
            return (first / n)..<ages.count
        }
        let parts = text.split(separator: "-").map { Int($0.trimmingWhitespace) }
        guard parts.count == 2, let first = parts[0], let last = parts[1], first >= 0, first <= last, first % n == 0 else { return nil }
        if last >= ages.openAge { return last == ages.openAge && first <= last ? (first / n)..<ages.count : nil }
        guard (last + 1) % n == 0 else { return nil }
        return (first / n)..<((last + 1) / n)
    }

    /// A square zone × zone matrix: header `from,<zone ids in any order>`, one row per origin zone.
    static func migrationMatrix(_ table: CSVTable, zones: [Zone]) throws -> Matrix {
        _ = try table.columns(["from"])
        var diagnostics = Diagnostics()
        let index = Dictionary(uniqueKeysWithValues: zones.enumerated().map { ($1.id, $0) })
        var columnZone: [Int: Int] = [:]
        for (k, name) in table.header.enumerated() where name != "from" {
            if let zone = index[name] {
                columnZone[k] = zone
            } else {
                diagnostics.error(
                    SourceLocation(file: table.file, line: 1), "column `\(name)` is not a zone",
                    hint: Suggestion.hint(for: name, in: index.keys.sorted()))
            }
        }
        if diagnostics.isEmpty, columnZone.count != zones.count {
            diagnostics.error(
                SourceLocation(file: table.file, line: 1), "the matrix has \(columnZone.count) zone columns, the model \(zones.count) zones"
            )
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
                    diagnostics.error(
                        location, "probability \(p) from zone \(row.cells[fromColumn]) to zone \(table.header[k]) is outside [0, 1]")
                }
                m[origin, destination] = p
                sum += p
            }
            if abs(sum - 1) > rowSumTolerance {
                diagnostics.error(
                    location, "the row for zone \(row.cells[fromColumn]) sums to \(sum), not 1",
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
