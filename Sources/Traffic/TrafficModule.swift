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
    /// Peak-hour car vehicles by origin and destination zone (Z × Z).
    public static let carDemand: FieldKey = "traffic.car_demand"
    /// Jobs reachable within the threshold by congested car, by zone (1 × Z).
    public static let jobAccessibility: FieldKey = "traffic.job_accessibility"
    /// City totals (1 × 5): VKT, VHT, mean trip time, relative gap, feedback skim change.
    public static let summary: FieldKey = "traffic.summary"
    /// Vehicle × length units driven in the peak hour (1 × 1): what energy and emissions follow.
    public static let vkt: FieldKey = "traffic.vkt"
}

/// The four-step traffic model on the engine's clock.
///
/// The calibration year (``FourStepModel/calibrate(population:jobs:)``: the observed car matrix is assigned and the
/// model's own base matrix M₀ computed from base-year population and jobs) runs when a run first sets the module up,
/// once for all the members that share this module's construction — never when a model is only validated or
/// described. Each step then reads
/// `population.by_zone`, runs generation → gravity → mode choice → peak-hour car vehicles → assignment with MSA skim
/// feedback (``FourStepModel/run(population:jobs:)``, warm-started from the previous tick's bushes), and writes the
/// ``TrafficFields``. Jobs by zone come from the model's zone table until an economy module provides them.
///
/// Indicators (`traffic.*`): `vkt` (vehicle × length unit per peak hour), `vht` (vehicle-hours per peak hour),
/// `mean_trip_time` (minutes), `relative_gap`, `car_trips` (peak-hour vehicles), city-wide; `job_accessibility` by zone;
/// and per link in force, `link_volume[from-to]`, `vc[from-to]`, `link_time[from-to]`.
/// The network is fixed for a run (levers are model parameters, applied when the module is built).
public struct TrafficModule: ParameterizedModule {
    public let name = "traffic"
    public var model: FourStepModel
    public let jobs: [Double]
    /// Where jobs by zone are read each tick (the economy's), or nil to keep the zone table's.
    public let jobsField: FieldKey?
    /// The model data with the levers currently in force.
    public private(set) var traffic: TrafficModel
    var needsRebuild = false
    /// The calibrated model and outcome, computed once and shared by every copy of this module.
    let calibration: SharedCalibration
    var isCalibrated = false
    var linkNames: [String]

    public var reads: Set<FieldKey> { jobsField.map { [SharedFields.populationByZone, $0] } ?? [SharedFields.populationByZone] }
    public var writes: Set<FieldKey> {
        [
            TrafficFields.linkVolume, TrafficFields.volumeCapacity, TrafficFields.linkTime, TrafficFields.carDemand,
            TrafficFields.jobAccessibility, TrafficFields.summary, TrafficFields.vkt,
        ]
    }

    /// Builds the module; the calibration year runs when a run first initialises it. `basePopulation` and `jobs`
    /// are by zone (the network's zones).
    public init(_ traffic: TrafficModel, basePopulation: [Double], jobs: [Double], jobsField: FieldKey? = nil) throws {
        let network = try traffic.makeNetwork()
        guard basePopulation.count == network.zoneCount, jobs.count == network.zoneCount else {
            throw TrafficError.invalidDemand(
                "the city has \(basePopulation.count) zones but the traffic network has \(network.zoneCount)")
        }
        let model = FourStepModel(network: network, baseCarDemand: traffic.baseDemand, parameters: traffic.parameters)
        calibration = SharedCalibration(model: model, population: basePopulation, jobs: jobs)
        self.model = model
        self.jobs = jobs
        self.jobsField = jobsField
        self.traffic = traffic
        linkNames = network.links.map { "\($0.from)-\($0.to)" }
    }

    public var indicatorDescriptors: [IndicatorDescriptor] {
        let links = IndicatorDescriptor.Elements("link", linkNames)
        return [
            IndicatorDescriptor("traffic.vkt", unit: "vehicle·length/h", .flow, description: "vehicle × length units in the peak hour"),
            IndicatorDescriptor(
                "traffic.vht", unit: "vehicle·h/h", .flow, description: "vehicle-hours in the peak hour",
                better: .lower),
            IndicatorDescriptor(
                "traffic.mean_trip_time", unit: "min", .flow, description: "demand-weighted mean car trip time",
                aggregation: .none, better: .lower),
            IndicatorDescriptor(
                "traffic.relative_gap", unit: "ratio", .flow, description: "relative gap of the last assignment",
                aggregation: .none, better: .lower),
            IndicatorDescriptor("traffic.car_trips", unit: "vehicles/h", .flow, description: "car vehicles in the peak hour"),
            IndicatorDescriptor(
                "traffic.job_accessibility", unit: "jobs", .flow,
                description: "jobs reachable by car within the accessibility threshold", hasCityValue: false,
                byZone: true, aggregation: .populationWeightedMean, better: .higher),
            IndicatorDescriptor(
                "traffic.link_volume", unit: "vehicles/h", .flow, description: "peak-hour vehicles on the link",
                hasCityValue: false, aggregation: .none, elements: links),
            IndicatorDescriptor(
                "traffic.vc", unit: "ratio", .flow, description: "volume / capacity of the link",
                hasCityValue: false, aggregation: .maximum, elements: links, better: .lower),
            IndicatorDescriptor(
                "traffic.link_time", unit: "min", .flow, description: "congested travel time on the link",
                hasCityValue: false, aggregation: .none, elements: links, better: .lower),
        ]
    }

    public func initialize(_ state: inout CityState) throws {
        let l = linkNames.count, z = model.network.zoneCount
        let linkDimension = Dimension("link", l), zoneDimension = Dimension("zone", z)
        state.add(TrafficFields.linkVolume, Field(rows: .one, columns: linkDimension, unit: "vehicles/h"))
        state.add(TrafficFields.volumeCapacity, Field(rows: .one, columns: linkDimension, unit: "ratio"))
        state.add(TrafficFields.linkTime, Field(rows: .one, columns: linkDimension, unit: "min"))
        state.add(TrafficFields.carDemand, Field(rows: zoneDimension, columns: zoneDimension, unit: "vehicles/h"))
        state.add(TrafficFields.jobAccessibility, Field(rows: .one, columns: zoneDimension, unit: "jobs"))
        state.add(TrafficFields.summary, Field(rows: .one, columns: Dimension("summary", 5), unit: "mixed"))
        state.add(TrafficFields.vkt, Field(rows: .one, columns: .one, unit: "vehicle·length/h"))
        write(try calibration.result().outcome, to: &state)
    }

    public mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        if !isCalibrated {
            model = try calibration.result().model
            isCalibrated = true
        }
        if needsRebuild {
            // Levers changed: the network in force and the settings, from this step on. The link fields keep the
            // calibration network's links (a closed link reads 0; an opened candidate is not a column).
            model.network = try traffic.makeNetwork()
            model.parameters = traffic.parameters
            needsRebuild = false
        }
        // Shortest paths run over origins on the threads the run allows (results do not depend on it).
        model.parameters.assignment.threads = context.threads
        let population = state["population.by_zone"].storage
        let zoneJobs = jobsField.map { state[$0].storage } ?? jobs
        let outcome = try model.run(population: population, jobs: zoneJobs)
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
        ] + calibrationParameterDescriptors
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
        default: return [calibrationParameterValue(path)]
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
        default: traffic = Self.setting(path, values[0], in: traffic)
        }
        needsRebuild = true
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
        state[TrafficFields.carDemand] = outcome.carVehicles
        state[TrafficFields.jobAccessibility].storage = i.jobAccessibility
        state[TrafficFields.summary].storage = [
            i.vehicleKilometres, i.vehicleHours, i.meanTripTime, outcome.assignment.relativeGap,
            outcome.feedbackSkimChange,
        ]
        state[TrafficFields.vkt].storage = [i.vehicleKilometres]
    }

    public func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] {
        let s = state[TrafficFields.summary].storage
        var samples = [
            IndicatorSample("traffic.vkt", unit: "vehicle·length/h", value: s[0]),
            IndicatorSample("traffic.vht", unit: "vehicle·h/h", value: s[1]),
            IndicatorSample("traffic.mean_trip_time", unit: "min", value: s[2]),
            IndicatorSample("traffic.relative_gap", unit: "ratio", value: s[3]),
            IndicatorSample("traffic.car_trips", unit: "vehicles/h", value: state[TrafficFields.carDemand].sum),
        ]
        for (zone, value) in state[TrafficFields.jobAccessibility].storage.enumerated() {
            samples.append(IndicatorSample("traffic.job_accessibility", unit: "jobs", region: .zone(zone), value: value))
        }
        let volume = state[TrafficFields.linkVolume].storage
        let vc = state[TrafficFields.volumeCapacity].storage
        let time = state[TrafficFields.linkTime].storage
        for (a, link) in linkNames.enumerated() {
            samples.append(IndicatorSample("traffic.link_volume[\(link)]", unit: "vehicles/h", value: volume[a]))
            samples.append(IndicatorSample("traffic.vc[\(link)]", unit: "ratio", value: vc[a]))
            samples.append(IndicatorSample("traffic.link_time[\(link)]", unit: "min", value: time[a]))
        }
        return samples
    }
}

/// The calibration year of a traffic module, run at most once however many members copy the module.
///
/// Calibration is the expensive part of building the traffic model (an assignment to tight gap), so it is
/// deferred until a run needs it — validating or describing a model never does — and shared by reference.
final class SharedCalibration: @unchecked Sendable {
    private let lock = NSLock()
    private var model: FourStepModel
    private let population: [Double]
    private let jobs: [Double]
    private var cached: Result<(model: FourStepModel, outcome: FourStepOutcome), any Error>?

    init(model: FourStepModel, population: [Double], jobs: [Double]) {
        self.model = model
        self.population = population
        self.jobs = jobs
    }

    /// The calibrated model and the calibration year's outcome (computed on first use; a failure is kept too).
    func result() throws -> (model: FourStepModel, outcome: FourStepOutcome) {
        lock.lock()
        defer { lock.unlock() }
        if cached == nil {
            cached = Result {
                let outcome = try model.calibrate(population: population, jobs: jobs)
                return (model, outcome)
            }
        }
        return try cached!.get()
    }
}
