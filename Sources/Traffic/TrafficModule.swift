public import CityTwinCore
public import LinearAlgebra

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
}

/// The four-step traffic model on the engine's clock.
///
/// Construction runs the calibration year (``FourStepModel/calibrate(population:jobs:)``: the observed car matrix is
/// assigned and the model's own base matrix M₀ computed from base-year population and jobs). Each step then reads
/// `population.by_zone`, runs generation → gravity → mode choice → peak-hour car vehicles → assignment with MSA skim
/// feedback (``FourStepModel/run(population:jobs:)``, warm-started from the previous tick's bushes), and writes the
/// ``TrafficFields``. Jobs by zone come from the model's zone table until an economy module provides them.
///
/// Indicators (`traffic.*`): `vkt` (vehicle × length unit per peak hour), `vht` (vehicle-hours per peak hour),
/// `mean_trip_time` (minutes), `relative_gap`, `car_trips` (peak-hour vehicles), city-wide; `job_accessibility` by zone;
/// and per link in force, `link_volume[from-to]`, `vc[from-to]`, `link_time[from-to]`.
/// The network is fixed for a run (levers are model parameters, applied when the module is built).
public struct TrafficModule: SimulationModule {
    public let name = "traffic"
    public var model: FourStepModel
    public let jobs: [Double]
    let calibration: FourStepOutcome
    let linkNames: [String]

    public var reads: Set<FieldKey> { ["population.by_zone"] }
    public var writes: Set<FieldKey> {
        [TrafficFields.linkVolume, TrafficFields.volumeCapacity, TrafficFields.linkTime, TrafficFields.carDemand,
         TrafficFields.jobAccessibility, TrafficFields.summary]
    }

    /// Builds the module and runs the calibration year. `basePopulation` and `jobs` are by zone (the network's zones).
    public init(_ traffic: TrafficModel, basePopulation: [Double], jobs: [Double]) throws {
        let network = try traffic.makeNetwork()
        guard basePopulation.count == network.zoneCount, jobs.count == network.zoneCount else {
            throw TrafficError.invalidDemand(
                "the city has \(basePopulation.count) zones but the traffic network has \(network.zoneCount)")
        }
        var model = FourStepModel(network: network, baseCarDemand: traffic.baseDemand, parameters: traffic.parameters)
        calibration = try model.calibrate(population: basePopulation, jobs: jobs)
        self.model = model
        self.jobs = jobs
        linkNames = network.links.map { "\($0.from)-\($0.to)" }
    }

    public func initialize(_ state: inout CityState) throws {
        let l = model.network.linkCount, z = model.network.zoneCount
        let linkDimension = Dimension("link", l), zoneDimension = Dimension("zone", z)
        state.add(TrafficFields.linkVolume, Field(rows: .one, columns: linkDimension, unit: "vehicles/h"))
        state.add(TrafficFields.volumeCapacity, Field(rows: .one, columns: linkDimension, unit: "ratio"))
        state.add(TrafficFields.linkTime, Field(rows: .one, columns: linkDimension, unit: "min"))
        state.add(TrafficFields.carDemand, Field(rows: zoneDimension, columns: zoneDimension, unit: "vehicles/h"))
        state.add(TrafficFields.jobAccessibility, Field(rows: .one, columns: zoneDimension, unit: "jobs"))
        state.add(TrafficFields.summary, Field(rows: .one, columns: Dimension("summary", 5), unit: "mixed"))
        write(calibration, to: &state)
    }

    public mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let population = state["population.by_zone"].storage
        let outcome = try model.run(population: population, jobs: jobs)
        write(outcome, to: &state)
    }

    func write(_ outcome: FourStepOutcome, to state: inout CityState) {
        let i = outcome.indicators
        state[TrafficFields.linkVolume].storage = i.linkVolume
        state[TrafficFields.volumeCapacity].storage = i.volumeCapacityRatio
        state[TrafficFields.linkTime].storage = i.linkTime
        state[TrafficFields.carDemand] = outcome.carVehicles
        state[TrafficFields.jobAccessibility].storage = i.jobAccessibility
        state[TrafficFields.summary].storage = [
            i.vehicleKilometres, i.vehicleHours, i.meanTripTime, outcome.assignment.relativeGap,
            outcome.feedbackSkimChange,
        ]
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
