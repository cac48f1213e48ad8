import Foundation
public import LinearAlgebra

/// Settings of the four-step model (the model's `traffic:` section). Times are minutes, lengths km, money the value of
/// time's currency (USD for the sample city).
public struct FourStepParameters: Sendable, Hashable {
    public var rates = TripRates()
    /// Deterrence on the logsum composite cost (minutes). Default: combined, α 0.5, β 0.04; calibrate to the observed
    /// trip-length distribution.
    public var deterrence = Deterrence.combined(alpha: 0.5, beta: 0.04)
    public var costFloor = 1.0
    public var modeChoice = ModeChoiceParameters()
    /// The city-wide share of daily person trips made by car that the base year reproduces: the mode constants are
    /// shifted until the model's share equals it (nil: the constants are used as given).
    public var carShare: Double? = nil
    /// Persons per car (vehicle trips = car person trips / occupancy).
    public var carOccupancy = 1.2
    /// Share of a day's car vehicle trips made in the assigned peak hour.
    public var peakHourShare = 0.1
    /// Hours of peak-hour traffic per year: annual totals = peak-hour totals × this factor.
    public var peakHourToAnnual = 365 / 0.1
    /// Car running cost, money per km driven (fuel, wear), charged in route and mode choice alike.
    public var carCostPerKm = 0.0
    /// Transit: in-vehicle time = factor × free-flow car time, plus wait and access, and a fare.
    public var transitTimeFactor = 1.6
    public var transitWaitMinutes = 10.0
    public var transitFare = 2.0
    /// Walking and cycling: time = factor × free-flow car time; unavailable above `activeMaxMinutes`.
    public var activeTimeFactor = 4.0
    public var activeMaxMinutes = 60.0
    /// Feedback loops of skims to distribution (method of successive averages over skims): the number in the base
    /// year, and the most in a forecast year.
    public var feedbackLoops = 4
    /// A forecast year's feedback stops after the first loop whose relative skim change ‖ΔS̄‖ / ‖S̄‖ is at most this
    /// (nil: always `feedbackLoops` loops).
    public var feedbackTolerance: Double? = nil
    /// Share of the vehicles on the city's internal trips that are trucks (single-unit and combination): the model adds
    /// truckShare / (1 − truckShare) trucks per resident car trip, on the same origins and destinations (0: none).
    public var truckShare = 0.0
    /// Traffic crossing the city's boundary (through and external–internal), from counts at external stations; none by
    /// default.
    public var externalTraffic = ExternalTraffic()
    /// Demand scale lever on the vehicles assigned, residents' and external (1 = as modelled).
    public var demandScale = 1.0
    public var assignment = AssignmentSettings()
    /// Jobs count as accessible within this many minutes (generalized minutes, or minutes of time).
    public var accessibilityMinutes = 30.0
    /// Terminal time per car trip, minutes: walking to and from the car and parking at both ends, which the network
    /// does not carry; added to the mean trip time for the door-to-door time (0: network time only).
    public var terminalMinutes = 0.0

    public init() {}

    /// Minutes of generalized cost per unit of money: 60 / value of time.
    public var minutesPerMoney: Double { 60 / modeChoice.valueOfTime }
}

/// Assignment settings used inside the model (a Sendable, hashable subset of ``AssignmentOptions``).
public struct AssignmentSettings: Sendable, Hashable {
    public var algorithm = AssignmentAlgorithm.algorithmB
    public var relativeGap = 1e-6
    public var maxIterations = 500
    public var threads: Int? = nil
    public init() {}
}

/// Everything one run of the four-step model produced.
public struct FourStepOutcome: Sendable {
    public var assignment: AssignmentResult
    /// Peak-hour vehicles assigned: residents' car trips, trucks on internal trips and external traffic (zones × zones;
    /// the diagonal is intrazonal trips, which use no link).
    public var assignedVehicles: Matrix
    /// The residents' share of ``assignedVehicles``: peak-hour car vehicles from the city's own person trips.
    public var residentVehicles: Matrix
    /// Trucks on the city's internal trips in the peak hour (``FourStepParameters/truckShare``).
    public var truckVehicles: Matrix
    /// The external share of ``assignedVehicles`` (through and external–internal).
    public var external: ExternalDemand
    /// Daily person trips by mode (indexed by ``Mode/rawValue``).
    public var personTrips: [Matrix]
    /// Congested car skims at the assigned flows.
    public var carSkims: CarSkims
    public var indicators: TrafficIndicators
    /// Relative change of the averaged generalized car skim in the last feedback loop.
    public var feedbackSkimChange: Double
    /// Feedback loops run (fewer than ``FourStepParameters/feedbackLoops`` when the skims settled first).
    public var feedbackLoops: Int
}

/// The four-step travel-demand model (Ortúzar & Willumsen, *Modelling Transport*, 4th ed., 2011) on a road network,
/// its demand generated from the population with trip rates.
///
/// 1. Generation: ``TripGeneration`` — daily person trips `ρ · population` by zone, attracted by jobs and residents.
/// 2. Distribution: doubly-constrained ``Gravity`` on the logsum composite cost of the modes.
/// 3. Mode choice: ``ModeChoice`` (car, transit, active). The car's time is the time skim and its money the toll skim
///    plus running cost × distance skim (``CarSkims``), so a toll is counted once, as on the route. Peak-hour car
///    vehicles M = car person trips × peak-hour share ÷ occupancy.
/// 4. Assignment: user equilibrium (``Assignment``) of M's off-diagonal part plus the external traffic
///    (``ExternalTraffic``: through and external–internal vehicles from counts at the cordon, grown by year),
///    warm-started from the previous bushes.
///
/// **Base year.** ``calibrate(population:jobs:)`` runs the base year from free-flow skims; with a target car share
/// (``FourStepParameters/carShare``) each loop first shifts the non-car constants by
/// δ = ln(s*/s) − ln((1 − s*)/(1 − s)) until the model's city-wide car share s equals s* (the constant-adjustment
/// method, Train, *Discrete Choice Methods with Simulation*, 2nd ed., 2009, §2.8). The constants found are kept
/// for every later year.
///
/// **Feedback.** Distribution and mode choice need congested skims that depend on the assignment. Loop n uses the
/// average skims S̄ and then updates them with its own assignment's skims S_n: S̄ ← S̄ + (S_n − S̄) / (n + 1) (method of
/// successive averages over skims; Boyce, Zhang & Lupa 1994), for a set number of loops; the relative change of the
/// last update is reported.
///
/// The free-flow time skim (the basis of the transit and active times) depends on the network only and is computed
/// when the network is set, not per loop.
public struct FourStepModel: Sendable {
    public var network: Network {
        didSet { freeFlowTimeSkim = FourStepModel.freeFlowTimes(network, threads: parameters.assignment.threads) }
    }
    public var parameters: FourStepParameters
    /// Free-flow car time between zones (minutes, intrazonal entries filled), for the transit and active times.
    public private(set) var freeFlowTimeSkim: Matrix
    /// The mode constants found in the base year (nil before ``calibrate(population:jobs:)``).
    public private(set) var calibratedConstants: [Double]?
    /// Bushes of the last assignment (warm start).
    public var bushes: BushState?
    /// The MSA-averaged car skims carried from year to year.
    public var averageSkims: CarSkims?

    public init(network: Network, parameters: FourStepParameters = FourStepParameters()) {
        self.network = network
        self.parameters = parameters
        freeFlowTimeSkim = FourStepModel.freeFlowTimes(network, threads: parameters.assignment.threads)
    }

    func options(for network: Network) -> AssignmentOptions {
        let s = parameters.assignment
        let warm = bushes.flatMap { $0.linkCount == network.linkCount ? $0 : nil }
        return AssignmentOptions(
            algorithm: s.algorithm, relativeGap: s.relativeGap, maxIterations: s.maxIterations, threads: s.threads,
            warmStartBushes: s.algorithm == .algorithmB ? warm : nil)
    }

    /// The base year: feedback from free-flow skims, the car share calibrated in every loop when a target is set.
    public mutating func calibrate(population: [Double], jobs: [Double]) throws -> FourStepOutcome {
        let start = CarSkims.at(network, flows: [Double](repeating: 0, count: network.linkCount), threads: parameters.assignment.threads)
        let outcome = try feedback(population: population, jobs: jobs, yearsAfterBase: 0, from: start, calibrating: parameters.carShare)
        calibratedConstants = parameters.modeChoice.constants
        return outcome
    }

    /// A forecast year `yearsAfterBase` years after the base year (external traffic grows with it): generation,
    /// distribution, mode choice and assignment with skim feedback, starting from the skims carried from the previous
    /// year (the base year's in the first).
    public mutating func run(population: [Double], jobs: [Double], yearsAfterBase: Double = 0) throws -> FourStepOutcome {
        guard let constants = calibratedConstants, let average = averageSkims else {
            return try calibrate(population: population, jobs: jobs)
        }
        parameters.modeChoice.constants = constants
        return try feedback(population: population, jobs: jobs, yearsAfterBase: yearsAfterBase, from: average, calibrating: nil)
    }

    /// Takes back what one forecast year hands to the next — the base year's mode constants, the MSA-averaged skims
    /// and the bushes — as an earlier run of the same model saved them (a continued run; see ``TrafficModule``'s
    /// memory).
    mutating func resume(constants: [Double], averageSkims: CarSkims, bushes: BushState?) {
        calibratedConstants = constants
        parameters.modeChoice.constants = constants
        self.averageSkims = averageSkims
        self.bushes = bushes
    }

    /// Loops of demand → assignment → skims, averaging the skims (MSA); returns the last loop's outcome. The base
    /// year (`target` set) runs every loop; a forecast year stops early once the skims have settled
    /// (``FourStepParameters/feedbackTolerance``).
    mutating func feedback(
        population: [Double], jobs: [Double], yearsAfterBase: Double, from start: CarSkims, calibrating target: Double?
    ) throws -> FourStepOutcome {
        var average = start
        var change = 0.0
        var last: (result: AssignmentResult, demand: PeakHourDemand, trips: [Matrix], skims: CarSkims)? = nil
        var loops = 0
        for n in 1...max(1, parameters.feedbackLoops) {
            loops = n
            if let target { try calibrateCarShare(target, population: population, jobs: jobs, skims: average) }
            let (residents, trips) = try modelCarVehicles(population: population, jobs: jobs, skims: average)
            let demand = try peakHourDemand(
                residents: residents, population: population, jobs: jobs, yearsAfterBase: yearsAfterBase, skims: average)
            let result = try Assignment.solve(network, demand: demand.assigned, options: options(for: network))
            bushes = result.bushes
            let skims = CarSkims.at(network, flows: result.flows, threads: parameters.assignment.threads)
            change = average.average(toward: skims, weight: 1 / Double(n + 1))
            last = (result, demand, trips, skims)
            if target == nil, let tolerance = parameters.feedbackTolerance, change <= tolerance { break }
        }
        averageSkims = average
        let (result, demand, trips, skims) = last!
        return outcome(result, skims: skims, demand: demand, personTrips: trips, skimChange: change, loops: loops, jobs: jobs)
    }

    /// The vehicles of one feedback loop: the residents' peak-hour car vehicles, the trucks on internal trips and the
    /// external traffic on the same skims, each scaled by the demand lever.
    struct PeakHourDemand {
        var residents: Matrix
        var trucks: Matrix
        var external: ExternalDemand
        /// What is assigned: residents, trucks and external traffic.
        var assigned: Matrix {
            var sum = residents
            let outside = external.total
            for k in sum.storage.indices { sum.storage[k] += trucks.storage[k] + outside.storage[k] }
            return sum
        }
    }

    func peakHourDemand(residents: Matrix, population: [Double], jobs: [Double], yearsAfterBase: Double, skims: CarSkims) throws
        -> PeakHourDemand
    {
        let p = parameters
        let z = network.zoneCount
        var external = ExternalDemand(through: Matrix(rows: z, columns: z), externalInternal: Matrix(rows: z, columns: z))
        if !p.externalTraffic.isEmpty {
            let attractions = TripGeneration.generate(population: population, jobs: jobs, rates: p.rates).attractions
            external = try p.externalTraffic.peakHourVehicles(
                yearsAfterBase: yearsAfterBase, attractions: attractions, generalizedCost: skims.generalized,
                deterrence: p.deterrence, costFloor: p.costFloor, peakHourShare: p.peakHourShare)
        }
        var trucks = residents
        trucks.scale(by: p.truckShare / (1 - p.truckShare))
        var demand = PeakHourDemand(residents: residents, trucks: trucks, external: external)
        if p.demandScale != 1 {
            demand.residents.scale(by: p.demandScale)
            demand.trucks.scale(by: p.demandScale)
            demand.external.through.scale(by: p.demandScale)
            demand.external.externalInternal.scale(by: p.demandScale)
        }
        return demand
    }

    /// Shifts the transit and active constants together until the city-wide car share of person trips is `target`
    /// on the given skims (at most 100 steps, to |s − s*| ≤ 1e-10).
    mutating func calibrateCarShare(_ target: Double, population: [Double], jobs: [Double], skims: CarSkims) throws {
        for _ in 0..<100 {
            let (_, trips) = try modelCarVehicles(population: population, jobs: jobs, skims: skims)
            let total = trips.reduce(0) { $0 + $1.sum }
            guard total > 0 else { return }
            let share = trips[Mode.car.rawValue].sum / total
            if abs(share - target) <= 1e-10 || share <= 0 || share >= 1 { return }
            let delta = log(target / share) - log((1 - target) / (1 - share))
            for m in Mode.allCases where m != .car { parameters.modeChoice.constants[m.rawValue] -= delta }
        }
    }

    /// Generation → distribution → mode choice on the given car skims: peak-hour car vehicles and daily trips by mode.
    func modelCarVehicles(population: [Double], jobs: [Double], skims: CarSkims) throws -> (Matrix, [Matrix]) {
        let p = parameters
        let z = network.zoneCount
        precondition(population.count == z && jobs.count == z, "population and jobs need one value per zone")
        var time = [Matrix](repeating: Matrix(rows: z, columns: z), count: 3)
        var money = [Matrix](repeating: Matrix(rows: z, columns: z), count: 3)
        for j in 0..<z {
            for i in 0..<z {
                let ff = freeFlowTimeSkim[i, j]
                time[Mode.car.rawValue][i, j] = skims.time[i, j]
                money[Mode.car.rawValue][i, j] = skims.toll[i, j] + p.carCostPerKm * skims.distance[i, j]
                time[Mode.transit.rawValue][i, j] = p.transitTimeFactor * ff + p.transitWaitMinutes
                money[Mode.transit.rawValue][i, j] = p.transitFare
                let walk = p.activeTimeFactor * ff
                time[Mode.active.rawValue][i, j] = walk <= p.activeMaxMinutes ? walk : .infinity
            }
        }
        // Shares and the composite cost depend on the skims only.
        let choice = ModeChoice.probabilities(time: time, money: money, parameters: p.modeChoice)
        let (productions, attractions) = TripGeneration.generate(population: population, jobs: jobs, rates: p.rates)
        let distribution = try Gravity.distribute(
            productions: productions, attractions: attractions, costs: choice.compositeCost, deterrence: p.deterrence,
            costFloor: p.costFloor)
        let split = ModeChoice.split(trips: distribution.trips, shares: choice.shares, compositeCost: choice.compositeCost)
        var car = split.trips[Mode.car.rawValue]
        car.scale(by: p.peakHourShare / p.carOccupancy)
        return (car, split.trips)
    }

    /// Least free-flow time between zones (minutes), intrazonal entries half the nearest neighbour's.
    static func freeFlowTimes(_ network: Network, threads: Int?) -> Matrix {
        let times = (0..<network.linkCount).map { network.delay.time($0, 0) }
        var skim = ShortestPaths.skim(network, costs: times, threads: threads)
        let z = network.zoneCount
        for i in 0..<z {
            let nearest = (0..<z).filter { $0 != i && skim[i, $0].isFinite }.map { skim[i, $0] }.min()
            skim[i, i] = nearest.map { 0.5 * $0 } ?? 0
        }
        return skim
    }

    /// The outcome of an assignment whose congested skims `skims` are already computed (at `result.flows`).
    func outcome(
        _ result: AssignmentResult, skims: CarSkims, demand: PeakHourDemand, personTrips: [Matrix], skimChange: Double, loops: Int,
        jobs: [Double]
    ) -> FourStepOutcome {
        var allModes = Matrix(rows: demand.residents.rows, columns: demand.residents.columns)
        for trips in personTrips {
            for k in allModes.storage.indices { allModes.storage[k] += trips.storage[k] }
        }
        let assigned = demand.assigned
        let indicators = TrafficIndicators(
            network: network, flows: result.flows, vehicles: assigned, skims: skims, jobs: jobs,
            accessibilityMinutes: parameters.accessibilityMinutes, personTrips: allModes,
            terminalMinutes: parameters.terminalMinutes, residentVehicles: demand.residents, truckTrips: demand.trucks.sum,
            external: demand.external)
        return FourStepOutcome(
            assignment: result, assignedVehicles: assigned, residentVehicles: demand.residents, truckVehicles: demand.trucks,
            external: demand.external,
            personTrips: personTrips, carSkims: skims, indicators: indicators, feedbackSkimChange: skimChange,
            feedbackLoops: loops)
    }
}
