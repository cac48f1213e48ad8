public import CityTwinCore
import Foundation
import LinearAlgebra

/// The state fields the traffic module writes.
public enum TrafficFields {
    /// Peak-hour vehicles per link in force (1 × L).
    public static let linkVolume: FieldKey = "traffic.link_volume"
    /// Volume / capacity per link (1 × L).
    public static let volumeCapacity: FieldKey = "traffic.vc"
    /// Congested travel time per link, minutes (1 × L).
    public static let linkTime: FieldKey = "traffic.link_time"
    /// Peak-hour vehicles assigned by origin and destination zone (Z × Z): residents' cars, trucks and external traffic.
    public static let carDemand: FieldKey = "traffic.car_demand"
    /// Jobs reachable within the threshold in generalized minutes of car travel, by zone (1 × Z).
    public static let jobAccessibility: FieldKey = "traffic.job_accessibility"
    /// Jobs reachable within the threshold in minutes of congested car time, by zone (1 × Z).
    public static let jobAccessibilityByTime: FieldKey = "traffic.job_accessibility_time"
    /// Trip-length distributions (2 × bands of ``TripLengthBands/nhtsShortTrips``): row 0 the shares of the peak-hour
    /// car vehicle trips, row 1 those of the day's person trips of all modes.
    public static let tripLengthShares: FieldKey = "traffic.trip_length_shares"
    /// City totals (1 × 11), see ``TrafficSummary``.
    public static let summary: FieldKey = "traffic.summary"
    /// Vehicle-km per year (1 × 1): what energy and emissions follow.
    public static let vkt: FieldKey = "traffic.vkt"
}

/// The columns of ``TrafficFields/summary``: peak-hour totals and the assignment's convergence.
enum TrafficSummary: Int, CaseIterable {
    case vehicleKilometres, vehicleHours, carTrips, meanTripTime, tollRevenue, relativeGap, converged, feedbackSkimChange
    case maxVolumeCapacity
    case meanTripLength, meanDoorToDoorTime
    case externalTrips, throughTrips, truckTrips
}

/// The four-step traffic model on the engine's clock.
///
/// The base year (``FourStepModel/calibrate(population:jobs:)``: demand from trip rates on free-flow skims, the mode
/// constants fitted to the car share, feedback to congested skims) runs when a run initialises the module, on the
/// initial state's population and jobs; it is computed once for all members with the same base-year inputs — never
/// when a model is only validated or described. Each step then reads `population.by_zone` and the jobs, runs
/// generation → distribution → mode choice → peak-hour car vehicles → assignment with MSA skim feedback
/// (``FourStepModel/run(population:jobs:)``, warm-started from the previous tick's bushes), and writes the
/// ``TrafficFields``. Jobs by zone are the economy's in every year, the base year included, when the run has an
/// economy; otherwise the zone table's.
///
/// Indicators (`traffic.*`), city-wide: `vkt` (vehicle-km per year), `vht` (vehicle-hours per year), `car_trips`
/// (car vehicle trips in the peak hour), `mean_trip_time` (60 · VHT / trips, min), `mean_door_to_door_time` (plus the
/// terminal time per trip, min), `mean_trip_length` (VKT / trips, km), `toll_revenue` (money per year),
/// `relative_gap` and `converged` (1 when the assignment met its gap target, else 0), `max_vc` (the most loaded
/// link's volume / capacity); by zone, `job_accessibility`
/// (within the threshold in generalized minutes) and `job_accessibility_time` (in minutes of time); per link in force,
/// `link_volume[from-to]`, `vc[from-to]`, `link_time[from-to]`; per distance band (``TripLengthBands``),
/// `trip_length_share[band]` (peak-hour car vehicle trips) and `person_trip_length_share[band]` (the day's person
/// trips of all modes). Annual figures are peak-hour figures × the model's
/// `peak_hour_to_annual`. The network is fixed for a run (levers are model parameters, applied when the module is
/// built).
public struct TrafficModule: ParameterizedModule {
    public let name = "traffic"
    public var model: FourStepModel
    /// The zone table's jobs, used when no economy provides jobs by zone.
    public let jobs: [Double]
    /// The base-year population by zone the module was built with (for validation of levers).
    public let basePopulation: [Double]
    /// Where jobs by zone are read (the economy's), or nil to keep the zone table's.
    public let jobsField: FieldKey?
    /// The model data with the levers currently in force.
    public internal(set) var traffic: TrafficModel
    var needsRebuild = false
    /// The base years computed so far, shared by every copy of this module.
    let calibration: SharedCalibration
    var linkNames: [String]

    public var reads: Set<FieldKey> { jobsField.map { [SharedFields.populationByZone, $0] } ?? [SharedFields.populationByZone] }
    public var writes: Set<FieldKey> {
        [
            TrafficFields.linkVolume, TrafficFields.volumeCapacity, TrafficFields.linkTime, TrafficFields.carDemand,
            TrafficFields.jobAccessibility, TrafficFields.jobAccessibilityByTime, TrafficFields.summary, TrafficFields.vkt,
            TrafficFields.tripLengthShares,
        ]
    }

    /// Builds the module; the base year runs when a run first initialises it. `basePopulation` and `jobs` (the
    /// zone table's) are by zone (the network's zones).
    public init(_ traffic: TrafficModel, basePopulation: [Double], jobs: [Double], jobsField: FieldKey? = nil) throws {
        let network = try traffic.makeNetwork()
        guard basePopulation.count == network.zoneCount, jobs.count == network.zoneCount else {
            throw TrafficError.invalidDemand(
                "the city has \(basePopulation.count) zones but the traffic network has \(network.zoneCount)")
        }
        let model = FourStepModel(network: network, parameters: traffic.parameters)
        calibration = SharedCalibration(model: model)
        self.model = model
        self.jobs = jobs
        self.basePopulation = basePopulation
        self.jobsField = jobsField
        self.traffic = traffic
        linkNames = network.links.map { "\($0.from)-\($0.to)" }
    }

    public var indicatorDescriptors: [IndicatorDescriptor] {
        let links = IndicatorDescriptor.Elements("link", linkNames)
        let bands = IndicatorDescriptor.Elements("band", TripLengthBands.nhtsShortTrips.names)
        return [
            IndicatorDescriptor(
                "traffic.vkt", unit: "km/yr", .flow,
                description: "vehicle-km driven on the modelled network in a year (its links and intrazonal trips; streets outside it "
                    + "are not counted): residents' car trips, trucks and external traffic "
                    + "(peak hour × peak_hour_to_annual)"),
            IndicatorDescriptor(
                "traffic.vht", unit: "veh*h/yr", .flow,
                description: "vehicle-hours on the modelled network in a year: residents' car trips, trucks and external traffic "
                    + "(peak hour × peak_hour_to_annual)", better: .lower),
            IndicatorDescriptor(
                "traffic.mean_trip_time", unit: "min", .flow,
                description: "mean car trip time in the peak hour, 60 · VHT / car trips", aggregation: .none, better: .lower),
            IndicatorDescriptor(
                "traffic.mean_door_to_door_time", unit: "min", .flow,
                description: "the residents' mean car trip time in the peak hour (time skim at the assigned flows) plus the "
                    + "terminal time per trip (terminal_minutes: access, egress and parking at both ends)",
                aggregation: .none, better: .lower),
            IndicatorDescriptor(
                "traffic.mean_trip_length", unit: "km", .flow,
                description: "mean car trip length in the peak hour, VKT / car trips", aggregation: .none),
            IndicatorDescriptor(
                "traffic.trip_length_share", unit: "1", .flow,
                description: "share of the residents' peak-hour car vehicle trips in the distance band (miles; length of the distance skim "
                    + "at the assigned flows, intrazonal trips half the distance to the nearest zone)",
                hasCityValue: false, aggregation: .none, elements: bands),
            IndicatorDescriptor(
                "traffic.person_trip_length_share", unit: "1", .flow,
                description: "share of the day's person trips of all modes in the distance band (miles; car distance skim at "
                    + "the assigned flows, intrazonal trips half the distance to the nearest zone)",
                hasCityValue: false, aggregation: .none, elements: bands),
            IndicatorDescriptor(
                "traffic.toll_revenue", unit: "USD/yr", .flow,
                description: "tolls paid in a year, Σ link volume × toll (peak hour × peak_hour_to_annual)"),
            IndicatorDescriptor(
                "traffic.relative_gap", unit: "1", .flow, description: "relative gap of the year's last assignment",
                aggregation: .none, better: .lower),
            IndicatorDescriptor(
                "traffic.converged", unit: "1", .flow,
                description: "1 when the year's last assignment met its relative-gap target, 0 when it stopped at the iteration limit",
                aggregation: .none, better: .higher),
            IndicatorDescriptor(
                "traffic.max_vc", unit: "1", .flow,
                description: "the highest volume / capacity of any link in force in the peak hour (max over links of traffic.vc)",
                aggregation: .none, better: .lower),
            IndicatorDescriptor(
                "traffic.car_trips", unit: "veh/h", .flow,
                description: "vehicle trips in the peak hour: the residents' car trips (intrazonal included), trucks on internal "
                    + "trips and external traffic"),
            IndicatorDescriptor(
                "traffic.external_trips", unit: "veh/h", .flow,
                description: "vehicles crossing the city's boundary in the peak hour, through and external-internal trips "
                    + "(external_stations: daily counts x peak_hour_share, grown by year)"),
            IndicatorDescriptor(
                "traffic.through_trips", unit: "veh/h", .flow,
                description: "through vehicles in the peak hour, entering by one external station and leaving by another"),
            IndicatorDescriptor(
                "traffic.truck_trips", unit: "veh/h", .flow,
                description: "trucks on the city's internal trips in the peak hour (truck_share of the internal vehicles; "
                    + "trucks crossing the cordon are in external_trips)"),
            IndicatorDescriptor(
                "traffic.job_accessibility", unit: "jobs", .flow,
                description: "jobs reachable by car within the accessibility threshold in generalized minutes (time, tolls, running cost)",
                hasCityValue: false, byZone: true, aggregation: .populationWeightedMean, better: .higher),
            IndicatorDescriptor(
                "traffic.job_accessibility_time", unit: "jobs", .flow,
                description: "jobs reachable by car within the accessibility threshold in minutes of congested time",
                hasCityValue: false, byZone: true, aggregation: .populationWeightedMean, better: .higher),
            IndicatorDescriptor(
                "traffic.link_volume", unit: "veh/h", .flow, description: "peak-hour vehicles on the link",
                hasCityValue: false, aggregation: .none, elements: links),
            IndicatorDescriptor(
                "traffic.vc", unit: "1", .flow, description: "volume / capacity of the link in the peak hour",
                hasCityValue: false, aggregation: .maximum, elements: links, better: .lower),
            IndicatorDescriptor(
                "traffic.link_time", unit: "min", .flow, description: "congested travel time on the link in the peak hour",
                hasCityValue: false, aggregation: .none, elements: links, better: .lower),
        ]
    }

    public func initialize(_ state: inout CityState) throws {
        let l = linkNames.count, z = model.network.zoneCount
        let linkDimension = Dimension("link", l), zoneDimension = Dimension("zone", z)
        state.add(TrafficFields.linkVolume, Field(rows: .one, columns: linkDimension, unit: "veh/h"))
        state.add(TrafficFields.volumeCapacity, Field(rows: .one, columns: linkDimension, unit: "1"))
        state.add(TrafficFields.linkTime, Field(rows: .one, columns: linkDimension, unit: "min"))
        state.add(TrafficFields.carDemand, Field(rows: zoneDimension, columns: zoneDimension, unit: "veh/h"))
        state.add(TrafficFields.jobAccessibility, Field(rows: .one, columns: zoneDimension, unit: "jobs"))
        state.add(TrafficFields.jobAccessibilityByTime, Field(rows: .one, columns: zoneDimension, unit: "jobs"))
        state.add(TrafficFields.summary, Field(rows: .one, columns: Dimension("summary", TrafficSummary.allCases.count), unit: "mixed"))
        state.add(TrafficFields.vkt, Field(rows: .one, columns: .one, unit: "km/yr"))
        state.add(
            TrafficFields.tripLengthShares,
            Field(rows: Dimension("trips", 2), columns: Dimension("band", TripLengthBands.nhtsShortTrips.names.count), unit: "1"))
        let (population, zoneJobs) = inputs(state)
        write(try calibration.result(population: population, jobs: zoneJobs).outcome, to: &state)
    }

    /// Population and jobs by zone from the state (jobs: the economy's when the run has one).
    func inputs(_ state: CityState) -> (population: [Double], jobs: [Double]) {
        let population =
            state.contains(SharedFields.populationByZone) ? state[SharedFields.populationByZone].storage : basePopulation
        let zoneJobs = jobsField.flatMap { state.contains($0) ? state[$0].storage : nil } ?? jobs
        return (population, zoneJobs)
    }

    public mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let (population, zoneJobs) = inputs(state)
        if model.calibratedConstants == nil {
            // The base year of this member's initial state (computed in initialize, shared between members).
            model = try calibration.result(population: population, jobs: zoneJobs).model
            model.network = try traffic.makeNetwork()
            model.parameters.assignment = traffic.parameters.assignment
        }
        if needsRebuild {
            // Levers changed: the network in force and the settings, from this step on (the base year's mode
            // constants are kept). The link fields keep the calibration network's links (a closed link reads 0; an
            // opened candidate is not a column).
            model.network = try traffic.makeNetwork()
            let constants = model.parameters.modeChoice.constants
            model.parameters = traffic.parameters
            model.parameters.modeChoice.constants = constants
            needsRebuild = false
        }
        // Shortest paths run over origins on the threads the run allows (results do not depend on it).
        model.parameters.assignment.threads = context.threads
        // The tick counts years from the base year (annual ticks): external traffic grows by it.
        let outcome = try model.run(population: population, jobs: zoneJobs, yearsAfterBase: Double(context.tick) * context.length)
        write(outcome, to: &state)
    }

    // MARK: Levers

    /// All links a lever can name: the file's, then the candidates, as `from-to`.
    var leverLinkNames: [String] {
        (traffic.network.links + traffic.candidateLinks).map { "\($0.from)-\($0.to)" }
    }

    /// `traffic.value_of_time` and `traffic.demand_scale` (scalars); per link of the file and candidates, named
    /// `from-to`: `traffic.capacity_scale`, `traffic.toll` (money; minutes through the value of time) and
    /// `traffic.link_open` (1 open, 0 closed; the file's links start open, candidates closed).
    public var parameterDescriptors: [ParameterDescriptor] {
        let names = leverLinkNames
        let links = Dimension("link", names.count)
        return [
            ParameterDescriptor(
                path: "traffic.value_of_time", unit: "money/h",
                description: "value of travel time; converts tolls, fares and car costs to minutes",
                range: 0.01...10_000),
            ParameterDescriptor(
                path: "traffic.demand_scale", unit: "factor",
                description: "multiplies the car vehicles assigned (demand management)", range: 0...10),
            ParameterDescriptor(
                path: "traffic.capacity_scale", unit: "factor", description: "multiplies link capacity",
                dimension: links, elementNames: names, range: 0.01...100),
            ParameterDescriptor(
                path: "traffic.toll", unit: "money", description: "toll per vehicle on the link",
                dimension: links, elementNames: names, range: 0...10_000),
            ParameterDescriptor(
                path: "traffic.link_open", unit: "0/1", description: "1 opens the link, 0 closes it",
                dimension: links, elementNames: names, range: 0...1),
        ] + externalParameterDescriptors + calibrationParameterDescriptors
    }

    public func parameterValues(_ path: String) -> [Double] {
        let fileLinks = traffic.network.links.count
        let all = fileLinks + traffic.candidateLinks.count
        switch path {
        case "traffic.value_of_time": return [traffic.parameters.modeChoice.valueOfTime]
        case "traffic.demand_scale": return [traffic.parameters.demandScale]
        case "traffic.capacity_scale": return (0..<all).map { traffic.levers.capacityScale[$0] ?? 1 }
        case "traffic.toll":
            return (0..<all).map { a in
                traffic.levers.tolls[a] ?? (a < fileLinks ? traffic.network.links[a].toll : traffic.candidateLinks[a - fileLinks].toll)
            }
        case "traffic.link_open":
            return (0..<all).map { a in
                a < fileLinks
                    ? (traffic.levers.closedLinks.contains(a) ? 0 : 1)
                    : (traffic.levers.openedCandidates.contains(a - fileLinks) ? 1 : 0)
            }
        default: return externalParameterValues(path) ?? [calibrationParameterValue(path)]
        }
    }

    public mutating func setParameterValues(_ path: String, _ values: [Double]) {
        let fileLinks = traffic.network.links.count
        switch path {
        case "traffic.value_of_time": traffic.parameters.modeChoice.valueOfTime = values[0]
        case "traffic.demand_scale": traffic.parameters.demandScale = values[0]
        case "traffic.capacity_scale":
            for (a, v) in values.enumerated() { traffic.levers.capacityScale[a] = v == 1 ? nil : v }
        case "traffic.toll":
            for (a, v) in values.enumerated() { traffic.levers.tolls[a] = v }
        case "traffic.link_open":
            for (a, v) in values.enumerated() {
                if a < fileLinks {
                    if v >= 0.5 { traffic.levers.closedLinks.remove(a) } else { traffic.levers.closedLinks.insert(a) }
                } else if v >= 0.5 {
                    traffic.levers.openedCandidates.insert(a - fileLinks)
                } else {
                    traffic.levers.openedCandidates.remove(a - fileLinks)
                }
            }
        default:
            if !setExternalParameterValues(path, values) { traffic = Self.setting(path, values[0], in: traffic) }
        }
        needsRebuild = true
    }

    /// Closed links (and opened candidates) must leave every origin–destination pair with demand connected: a zone
    /// with residents sends trips to every zone with residents or jobs.
    public func problem(withValues values: [String: [Double]]) -> String? {
        var copy = self
        for (path, v) in values.sorted(by: { $0.key < $1.key }) { copy.setParameterValues(path, v) }
        let network: Network
        do { network = try copy.traffic.makeNetwork() } catch { return "\(error)" }
        let z = network.zoneCount
        let times = (0..<network.linkCount).map { network.delay.time($0, 0) }
        let skim = ShortestPaths.skim(network, costs: times, threads: 1)
        for o in 0..<z where basePopulation[o] > 0 {
            for d in 0..<z where d != o && (basePopulation[d] > 0 || jobs[d] > 0) && !skim[o, d].isFinite {
                return "zone \(o + 1) cannot reach zone \(d + 1) with these links closed, yet it sends it trips"
                    + " (\(Int(basePopulation[o].rounded())) residents); keep a path open between them"
            }
        }
        return nil
    }

    func write(_ outcome: FourStepOutcome, to state: inout CityState) {
        let i = outcome.indicators
        // Link fields follow the calibration network's links; after closures or openings, map by `from-to`.
        var volume = [Double](repeating: 0, count: linkNames.count)
        var vc = volume, time = volume
        var column: [String: Int] = [:]
        for (k, name) in linkNames.enumerated() where column[name] == nil { column[name] = k }
        for (a, link) in model.network.links.enumerated() {
            guard let k = column["\(link.from)-\(link.to)"] else { continue }
            volume[k] += i.linkVolume[a]
            vc[k] = i.volumeCapacityRatio[a]
            time[k] = i.linkTime[a]
        }
        state[TrafficFields.linkVolume].storage = volume
        state[TrafficFields.volumeCapacity].storage = vc
        state[TrafficFields.linkTime].storage = time
        state[TrafficFields.carDemand] = outcome.assignedVehicles
        state[TrafficFields.jobAccessibility].storage = i.jobAccessibility
        state[TrafficFields.jobAccessibilityByTime].storage = i.jobAccessibilityByTime
        var summary = [Double](repeating: 0, count: TrafficSummary.allCases.count)
        summary[TrafficSummary.vehicleKilometres.rawValue] = i.vehicleKilometres
        summary[TrafficSummary.vehicleHours.rawValue] = i.vehicleHours
        summary[TrafficSummary.carTrips.rawValue] = i.carTrips
        summary[TrafficSummary.meanTripTime.rawValue] = i.meanTripTime
        summary[TrafficSummary.tollRevenue.rawValue] = i.tollRevenue
        summary[TrafficSummary.relativeGap.rawValue] = outcome.assignment.relativeGap
        summary[TrafficSummary.converged.rawValue] = outcome.assignment.status == .converged ? 1 : 0
        summary[TrafficSummary.feedbackSkimChange.rawValue] = outcome.feedbackSkimChange
        // Over the links in force, opened candidates included (the link fields hold only the file's links).
        summary[TrafficSummary.maxVolumeCapacity.rawValue] = i.volumeCapacityRatio.max() ?? 0
        summary[TrafficSummary.meanTripLength.rawValue] = i.meanTripLength
        summary[TrafficSummary.meanDoorToDoorTime.rawValue] = i.meanDoorToDoorTime
        summary[TrafficSummary.externalTrips.rawValue] = i.externalTrips
        summary[TrafficSummary.throughTrips.rawValue] = i.throughTrips
        summary[TrafficSummary.truckTrips.rawValue] = i.truckTrips
        var shares = Matrix(rows: 2, columns: i.tripLengthShares.count)
        for (band, share) in i.tripLengthShares.enumerated() { shares[0, band] = share }
        for (band, share) in i.personTripLengthShares.enumerated() { shares[1, band] = share }
        state[TrafficFields.tripLengthShares] = shares
        state[TrafficFields.summary].storage = summary
        state[TrafficFields.vkt].storage = [i.vehicleKilometres * model.parameters.peakHourToAnnual]
    }

    public func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] {
        let s = state[TrafficFields.summary].storage
        let annual = model.parameters.peakHourToAnnual
        func value(_ column: TrafficSummary) -> Double { s[column.rawValue] }
        var samples = [
            IndicatorSample("traffic.vkt", unit: "km/yr", value: value(.vehicleKilometres) * annual),
            IndicatorSample("traffic.vht", unit: "veh*h/yr", value: value(.vehicleHours) * annual),
            IndicatorSample("traffic.mean_trip_time", unit: "min", value: value(.meanTripTime)),
            IndicatorSample("traffic.mean_door_to_door_time", unit: "min", value: value(.meanDoorToDoorTime)),
            IndicatorSample("traffic.mean_trip_length", unit: "km", value: value(.meanTripLength)),
            IndicatorSample("traffic.toll_revenue", unit: "USD/yr", value: value(.tollRevenue) * annual),
            IndicatorSample("traffic.relative_gap", unit: "1", value: value(.relativeGap)),
            IndicatorSample("traffic.converged", unit: "1", value: value(.converged)),
            IndicatorSample("traffic.car_trips", unit: "veh/h", value: value(.carTrips)),
            IndicatorSample("traffic.external_trips", unit: "veh/h", value: value(.externalTrips)),
            IndicatorSample("traffic.through_trips", unit: "veh/h", value: value(.throughTrips)),
            IndicatorSample("traffic.truck_trips", unit: "veh/h", value: value(.truckTrips)),
            IndicatorSample("traffic.max_vc", unit: "1", value: value(.maxVolumeCapacity)),
        ]
        for (zone, value) in state[TrafficFields.jobAccessibility].storage.enumerated() {
            samples.append(IndicatorSample("traffic.job_accessibility", unit: "jobs", region: .zone(zone), value: value))
        }
        for (zone, value) in state[TrafficFields.jobAccessibilityByTime].storage.enumerated() {
            samples.append(IndicatorSample("traffic.job_accessibility_time", unit: "jobs", region: .zone(zone), value: value))
        }
        let shares = state[TrafficFields.tripLengthShares]
        for (band, name) in TripLengthBands.nhtsShortTrips.names.enumerated() {
            samples.append(IndicatorSample("traffic.trip_length_share[\(name)]", unit: "1", value: shares[0, band]))
            samples.append(IndicatorSample("traffic.person_trip_length_share[\(name)]", unit: "1", value: shares[1, band]))
        }
        let volume = state[TrafficFields.linkVolume].storage
        let vc = state[TrafficFields.volumeCapacity].storage
        let time = state[TrafficFields.linkTime].storage
        for (a, link) in linkNames.enumerated() {
            samples.append(IndicatorSample("traffic.link_volume[\(link)]", unit: "veh/h", value: volume[a]))
            samples.append(IndicatorSample("traffic.vc[\(link)]", unit: "1", value: vc[a]))
            samples.append(IndicatorSample("traffic.link_time[\(link)]", unit: "min", value: time[a]))
        }
        return samples
    }
}

/// The base year of a traffic module, run once per distinct base-year input however many members copy the module.
///
/// The base year is the expensive part of building the traffic model (assignments to tight gap and the fit of the
/// mode constants), so it is deferred until a run needs it — validating or describing a model never does — and
/// shared by reference. It is keyed by its inputs (population and jobs by zone), so every member gets the base
/// year of its own initial state whatever order members start in.
final class SharedCalibration: @unchecked Sendable {
    private let lock = NSLock()
    private let model: FourStepModel
    private var cached: [[Double]: Result<(model: FourStepModel, outcome: FourStepOutcome), any Error>] = [:]

    init(model: FourStepModel) { self.model = model }

    /// The calibrated model and the base year's outcome for these inputs (computed on first use; a failure is kept).
    func result(population: [Double], jobs: [Double]) throws -> (model: FourStepModel, outcome: FourStepOutcome) {
        lock.lock()
        defer { lock.unlock() }
        let key = population + jobs
        if let known = cached[key] { return try known.get() }
        var model = self.model
        let result = Result { () throws -> (model: FourStepModel, outcome: FourStepOutcome) in
            let outcome = try model.calibrate(population: population, jobs: jobs)
            return (model, outcome)
        }
        cached[key] = result
        return try result.get()
    }
}
