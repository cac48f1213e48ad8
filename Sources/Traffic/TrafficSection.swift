public import CityTwinCore
import Foundation
import LinearAlgebra

/// The `traffic:` section of model.yaml (every key optional except `network`, `time_unit` and `length_unit`):
///
/// ```yaml
/// traffic:
///   network: network/SiouxFalls_net.tntp     # TNTP network; its zones are the model's zones, in order
///   time_unit: 0.01 h                        # the file's free-flow time unit (converted to minutes at load)
///   length_unit: 0.6 km                      # the file's length unit (converted to km at load)
///   candidate_links: new_links.tntp          # optional TNTP network file (same units) of links closed until opened
///   value_of_time: 15                        # money per hour; a toll X weighs 60 X / value_of_time minutes
///   car_cost_per_km: 0.12                    # running cost, money per km, in route and mode choice alike
///   time_coefficient: -0.05                  # logit utility per generalized minute
///   transit_constant: -1.5                   # logit constants (car = 0); shifted together to meet car_share
///   active_constant: -1.0
///   person_trips_per_resident: 3.37          # daily person trips, all modes
///   car_share: 0.82                          # base-year share of person trips by car (calibrates the constants)
///   car_occupancy: 1.62                      # persons per car
///   peak_hour_share: 0.0864                  # share of a day's car trips in the assigned peak hour
///   peak_hour_to_annual: 4225                # peak hours per year for annual totals (default 365 / peak_hour_share)
///   attractions_per_job: 1.0
///   attractions_per_resident: 0.3
///   deterrence: combined                     # exponential | power | combined
///   deterrence_alpha: 0.5
///   deterrence_beta: 0.04
///   feedback_loops: 4                        # skim feedback loops (the base year's; a forecast year's most)
///   feedback_tolerance: 1e-3                 # a forecast year stops when the skims change by at most this
///   algorithm: bush                          # fw | cfw | bfw | bush
///   relative_gap: 1e-6
///   max_iterations: 500
///   accessibility_minutes: 30
///   terminal_minutes: 4                      # access, egress and parking per car trip (both ends), door-to-door time
///   truck_share: 0.06                        # share of the internal trips' vehicles that are trucks
///   external_stations: external_stations.csv # roads crossing the cordon: station, zone, daily_vehicles (two-way),
///                                            # through_share, annual_growth; optional year (of the count, carried to the
///                                            # base year at the growth rate), source, note
/// ```
///
/// Jobs by zone come from the economy when the run has one (in every year, the base year included), else from the
/// zone table's `jobs` column.
public struct TrafficComponent: DomainComponent {
    public init() {}
    public var key: String { "traffic" }

    public func load(_ section: YAMLMapping, context: ModelLoadingContext, _ diagnostics: inout Diagnostics) -> (any DomainSection)? {
        TrafficSection.load(section, context: context, &diagnostics).map(TrafficSection.init)
    }
}

/// The loaded `traffic:` section and the module it builds.
public struct TrafficSection: DomainSection {
    public var model: TrafficModel

    public init(model: TrafficModel) { self.model = model }

    public var key: String { "traffic" }
    public var provides: Set<FieldKey> { [SharedFields.vkt] }

    /// The four-step module, calibrated on the base-year population and jobs; jobs by zone are the economy's in
    /// every year (the base year included) when the run has an economy, else the zone table's.
    public func makeModules(_ assembly: ModuleAssembly) throws -> [any SimulationModule] {
        let population = assembly.baseYearValues[SharedFields.populationByZone] ?? assembly.zones.map { _ in 0 }
        let jobsField = assembly.available.contains(SharedFields.jobsByZone) ? SharedFields.jobsByZone : nil
        return [try TrafficModule(model, basePopulation: population, jobs: assembly.zones.map(\.jobs), jobsField: jobsField)]
    }
}

extension CityModel {
    /// The traffic section, if the model has one.
    public var traffic: TrafficModel? { section(TrafficSection.self)?.model }
}

extension TrafficSection {
    static let sectionKeys = [
        "network", "time_unit", "length_unit", "candidate_links", "value_of_time", "car_cost_per_km", "time_coefficient",
        "transit_constant", "active_constant", "person_trips_per_resident", "car_share", "car_occupancy", "peak_hour_share",
        "peak_hour_to_annual", "attractions_per_job", "attractions_per_resident", "deterrence", "deterrence_alpha",
        "deterrence_beta", "feedback_loops", "feedback_tolerance", "algorithm", "relative_gap", "max_iterations", "accessibility_minutes",
        "terminal_minutes", "external_stations", "truck_share",
    ]

    /// The columns of `external_stations`: required, then optional (documentation only).
    static let stationColumns = ["station", "zone", "daily_vehicles", "through_share", "annual_growth"]
    static let stationNoteColumns = ["year", "source", "note"]

    /// The external traffic of the `external_stations` table; every problem is reported at its line and column, and
    /// through shares that cannot be balanced at the table's header.
    static func externalTraffic(_ yaml: YAMLMapping, context: ModelLoadingContext, _ diagnostics: inout Diagnostics)
        -> ExternalTraffic
    {
        guard let table = context.table("external_stations", in: yaml, required: false, &diagnostics),
            let c = table.columns(stationColumns, &diagnostics)
        else { return ExternalTraffic() }
        let before = diagnostics.errors.count
        table.rejectUnknownColumns(known: stationColumns + stationNoteColumns, &diagnostics)
        table.rejectDuplicateKeys([c[0]], &diagnostics)
        let zoneIndex = context.zoneIndex
        let yearColumn = table.header.firstIndex(of: "year")
        var stations: [ExternalStation] = []
        for row in table.rows {
            // Scenario selectors name a station by its id (`traffic.external_scale[station i29_south]`).
            let id = row.cells[c[0]]
            if id.isEmpty || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
                diagnostics.error(
                    table.location(row, c[0]), "external station id `\(id)` has a character other than a letter, digit, `_` or `-`",
                    hint: "scenarios name stations by id, e.g. `i29_south`; describe the road in the `note` column")
            }
            let zoneID = row.cells[c[1]]
            guard let zone = zoneIndex[zoneID] else {
                diagnostics.error(
                    table.location(row, c[1]), "external station `\(row.cells[c[0]])`: zone `\(zoneID)` is not in the zone table",
                    hint: "name the zone whose centroid the road enters the network at"
                        + (Suggestion.hint(for: zoneID, in: context.zones.map(\.id)).map { "; \($0)" } ?? ""))
                continue
            }
            let count = table.number(row, c[2], in: 0...10_000_000, diagnostics: &diagnostics)
            let growth = table.number(row, c[4], in: -0.5...0.5, diagnostics: &diagnostics)
            // A count of another year is carried to the base year at the station's growth rate.
            let year = yearColumn.flatMap { table.optionalNumber(row, $0, in: 1900...2200, diagnostics: &diagnostics) }
            stations.append(
                ExternalStation(
                    name: row.cells[c[0]], zone: zone,
                    dailyVehicles: count * pow(1 + growth, Double(context.baseYear) - (year ?? Double(context.baseYear))),
                    throughShare: table.number(row, c[3], in: 0...1, diagnostics: &diagnostics), annualGrowth: growth))
        }
        guard diagnostics.errors.count == before else { return ExternalTraffic() }
        do {
            return try ExternalTraffic(stations: stations)
        } catch {
            diagnostics.error(
                table.headerLocation, "\(error)",
                hint: "lower that station's through_share or add the station its through traffic leaves by")
            return ExternalTraffic()
        }
    }

    static func load(_ yaml: YAMLMapping, context: ModelLoadingContext, _ diagnostics: inout Diagnostics) -> TrafficModel? {
        let before = diagnostics.errors.count
        let zones = context.zones
        yaml.rejectUnknownKeys(allowing: sectionKeys, &diagnostics)
        func unit(_ key: String, _ table: [String: Double], example: String) -> Double? {
            guard let text = yaml.string(key, &diagnostics) else { return nil }
            switch NetworkUnits.parse(text, units: table) {
            case .success(let factor): return factor
            case .failure(let error):
                diagnostics.error(yaml.location(ofKey: key), "`traffic.\(key)`: \(error.message)", hint: "e.g. `\(key): \(example)`")
                return nil
            }
        }
        let minutes = unit("time_unit", NetworkUnits.timeUnits, example: "0.01 h")
        let kilometres = unit("length_unit", NetworkUnits.lengthUnits, example: "0.6 km")
        let units = NetworkUnits(minutesPerTimeUnit: minutes ?? 1, kilometresPerLengthUnit: kilometres ?? 1)
        func tntp<T>(_ key: String, required: Bool, _ parse: (String, String) throws -> T) -> T? {
            guard let file = yaml.string(key, required: required, &diagnostics) else { return nil }
            let path = context.path(file)
            do {
                return try parse(try context.files.text(at: path, referencedFrom: yaml.location(ofKey: key)), path)
            } catch let error as TNTPError {
                diagnostics.error(SourceLocation(file: error.file, line: error.line > 0 ? error.line : nil), error.message)
            } catch let errors as InputErrors {
                diagnostics.append(contentsOf: errors.errors)
            } catch {
                diagnostics.error(yaml.location(ofKey: key), "\(error)")
            }
            return nil
        }
        let network = tntp("network", required: true) { try TNTPReader.parseNetwork($0, file: $1) }
        let candidates = tntp("candidate_links", required: false) { try TNTPReader.parseNetwork($0, file: $1) }
        var p = FourStepParameters()
        func number(_ key: String, _ range: ClosedRange<Double>) -> Double? {
            guard let v = yaml.double(key, required: false, &diagnostics) else { return nil }
            guard range.contains(v) else {
                diagnostics.error(yaml.location(ofKey: key), "`traffic.\(key)` = \(v) is outside \(range.lowerBound)…\(range.upperBound)")
                return nil
            }
            return v
        }
        if let v = number("value_of_time", 0.01...10_000) { p.modeChoice.valueOfTime = v }
        if let v = number("car_cost_per_km", 0...100) { p.carCostPerKm = v }
        if let v = number("time_coefficient", -10...(-1e-6)) { p.modeChoice.timeCoefficient = v }
        if let v = number("transit_constant", -50...50) { p.modeChoice.constants[Mode.transit.rawValue] = v }
        if let v = number("active_constant", -50...50) { p.modeChoice.constants[Mode.active.rawValue] = v }
        if let v = number("person_trips_per_resident", 0...100) { p.rates.personTripsPerResident = v }
        if let v = number("car_share", 1e-6...(1 - 1e-6)) { p.carShare = v }
        if let v = number("car_occupancy", 1...10) { p.carOccupancy = v }
        if let v = number("truck_share", 0...0.9) { p.truckShare = v }
        if let v = number("peak_hour_share", 1e-6...1) { p.peakHourShare = v }
        p.peakHourToAnnual = number("peak_hour_to_annual", 1...8784) ?? 365 / p.peakHourShare
        if let v = number("attractions_per_job", 0...100) { p.rates.attractionsPerJob = v }
        if let v = number("attractions_per_resident", 0...100) { p.rates.attractionsPerResident = v }
        let alpha = number("deterrence_alpha", 0...20) ?? 0.5
        let beta = number("deterrence_beta", 0...20) ?? 0.04
        switch yaml.string("deterrence", required: false, &diagnostics) ?? "combined" {
        case "exponential": p.deterrence = .exponential(beta: beta)
        case "power": p.deterrence = .power(alpha: alpha)
        case "combined": p.deterrence = .combined(alpha: alpha, beta: beta)
        case let other:
            diagnostics.error(
                yaml.location(ofKey: "deterrence"), "unknown deterrence `\(other)`",
                hint: "use exponential, power or combined")
        }
        if let v = yaml.integer("feedback_loops", required: false, &diagnostics) { p.feedbackLoops = max(1, v) }
        if let v = number("feedback_tolerance", 0...1) { p.feedbackTolerance = v }
        if let algorithm = yaml.choice("algorithm", as: AssignmentAlgorithm.self, &diagnostics) { p.assignment.algorithm = algorithm }
        if let v = number("relative_gap", 1e-14...1) { p.assignment.relativeGap = v }
        if let v = yaml.integer("max_iterations", required: false, &diagnostics) { p.assignment.maxIterations = max(1, v) }
        if let v = number("accessibility_minutes", 0...1440) { p.accessibilityMinutes = v }
        if let v = number("terminal_minutes", 0...120) { p.terminalMinutes = v }
        p.externalTraffic = externalTraffic(yaml, context: context, &diagnostics)
        if let network, network.zoneCount != zones.count {
            diagnostics.error(
                yaml.location(ofKey: "network"), "the network has \(network.zoneCount) zones; the model has \(zones.count)")
        }
        guard diagnostics.errors.count == before, let network else { return nil }
        return TrafficModel(
            network: units.converted(network), parameters: p, candidateLinks: candidates.map { units.converted($0).links } ?? [])
    }
}
