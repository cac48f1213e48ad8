public import CityTwinCore
import LinearAlgebra

/// The `traffic:` section of model.yaml (every key optional except `network` and `trips`):
///
/// ```yaml
/// traffic:
///   network: network/SiouxFalls_net.tntp     # TNTP network; its zones are the model's zones, in order
///   trips: network/SiouxFalls_trips.tntp     # calibration-year peak-hour car vehicles (TNTP trips)
///   candidate_links: new_links.tntp          # optional TNTP network file of links closed until a lever opens them
///   distance_factor: 0                       # generalized minutes per length unit
///   value_of_time: 15                        # money per hour; tolls cost 60 / value_of_time minutes per unit
///   time_coefficient: -0.05                  # logit utility per generalized minute
///   transit_constant: -1.5                   # logit constants (car = 0)
///   active_constant: -1.0
///   productions_per_resident: 1.3            # daily person trips
///   attractions_per_job: 1.0
///   attractions_per_resident: 0.3
///   deterrence: combined                     # exponential | power | combined
///   deterrence_alpha: 0.5
///   deterrence_beta: 0.04
///   peak_hour_factor: 0.1
///   car_occupancy: 1.2
///   feedback_loops: 4
///   algorithm: bush                          # fw | cfw | bfw | bush
///   relative_gap: 1e-6
///   max_iterations: 500
///   accessibility_minutes: 30
/// ```
///
/// Jobs by zone come from the economy when the run has one, else from the zone table's `jobs` column.
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

    /// The four-step module, calibrated on the base population; attractions follow the economy's jobs
    /// by zone when the run has an economy, else the zone table's jobs.
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
        "network", "trips", "candidate_links", "distance_factor", "value_of_time", "time_coefficient",
        "transit_constant", "active_constant", "productions_per_resident", "attractions_per_job",
        "attractions_per_resident", "deterrence", "deterrence_alpha", "deterrence_beta", "peak_hour_factor",
        "car_occupancy", "feedback_loops", "algorithm", "relative_gap", "max_iterations", "accessibility_minutes",
    ]

    static func load(_ yaml: YAMLMapping, context: ModelLoadingContext, _ diagnostics: inout Diagnostics) -> TrafficModel? {
        let before = diagnostics.errors.count
        let zones = context.zones
        yaml.rejectUnknownKeys(allowing: sectionKeys, &diagnostics)
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
        let trips = tntp("trips", required: true) { try TNTPReader.parseTrips($0, file: $1) }
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
        if let v = number("time_coefficient", -10...(-1e-6)) { p.modeChoice.timeCoefficient = v }
        if let v = number("transit_constant", -50...50) { p.modeChoice.constants[Mode.transit.rawValue] = v }
        if let v = number("active_constant", -50...50) { p.modeChoice.constants[Mode.active.rawValue] = v }
        if let v = number("productions_per_resident", 0...100) { p.rates.productionsPerResident = v }
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
        if let v = number("peak_hour_factor", 0...1) { p.peakHourFactor = v }
        if let v = number("car_occupancy", 1...10) { p.carOccupancy = v }
        if let v = yaml.integer("feedback_loops", required: false, &diagnostics) { p.feedbackLoops = max(1, v) }
        if let algorithm = yaml.choice("algorithm", as: AssignmentAlgorithm.self, &diagnostics) { p.assignment.algorithm = algorithm }
        if let v = number("relative_gap", 1e-14...1) { p.assignment.relativeGap = v }
        if let v = yaml.integer("max_iterations", required: false, &diagnostics) { p.assignment.maxIterations = max(1, v) }
        if let v = number("accessibility_minutes", 0...1440) { p.accessibilityMinutes = v }
        let distanceFactor = number("distance_factor", 0...1000) ?? 0
        if let network, let trips {
            if network.zoneCount != zones.count || trips.zoneCount != zones.count {
                diagnostics.error(
                    yaml.location(ofKey: "network"),
                    "the network has \(network.zoneCount) zones and the trips \(trips.zoneCount); the model has \(zones.count)")
            }
        }
        guard diagnostics.errors.count == before, let network, let trips else { return nil }
        return TrafficModel(
            network: network, baseDemand: trips.od, parameters: p, candidateLinks: candidates?.links ?? [],
            distanceFactor: distanceFactor)
    }
}
