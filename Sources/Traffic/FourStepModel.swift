public import LinearAlgebra

/// Settings of the four-step model (the model's `traffic:` section).
public struct FourStepParameters: Sendable, Hashable {
    public var rates = TripRates()
    /// Deterrence on the logsum composite cost (minutes). Default: combined, α 0.5, β 0.04; calibrate to the observed
    /// trip-length distribution. (A steeper β makes the demand–congestion feedback oscillate on Sioux Falls.)
    public var deterrence = Deterrence.combined(alpha: 0.5, beta: 0.04)
    public var costFloor = 1.0
    public var modeChoice = ModeChoiceParameters()
    /// Share of daily car person trips in the assigned (peak) hour, and persons per car.
    public var peakHourFactor = 0.1
    public var carOccupancy = 1.2
    /// Car running cost, money per minute driven (fuel, wear), on top of tolls in the network.
    public var carCostPerMinute = 0.1
    /// Transit: in-vehicle time = factor × free-flow car time, plus wait and access, and a fare.
    public var transitTimeFactor = 1.6
    public var transitWaitMinutes = 10.0
    public var transitFare = 2.0
    /// Walking and cycling: time = factor × free-flow car time; unavailable above `activeMaxMinutes`.
    public var activeTimeFactor = 4.0
    public var activeMaxMinutes = 60.0
    /// Feedback loops of skims to distribution (method of successive averages over skims).
    public var feedbackLoops = 4
    /// Demand scale lever on car vehicles (1 = as modelled).
    public var demandScale = 1.0
    public var assignment = AssignmentSettings()
    /// Jobs count as accessible within this many minutes of congested car time.
    public var accessibilityMinutes = 30.0

    public init() {}
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
    /// Peak-hour car vehicles assigned (zones × zones).
    public var carVehicles: Matrix
    /// Daily person trips by mode (indexed by ``Mode/rawValue``); empty in the calibration run.
    public var personTrips: [Matrix]
    /// Congested car travel time (not generalized cost) between zones, minutes.
    public var carTimeSkim: Matrix
    public var indicators: TrafficIndicators
    /// Relative change of the car skim between the last two feedback loops (0 with one loop).
    public var feedbackSkimChange: Double
}

/// The four-step travel-demand model (Ortúzar & Willumsen, *Modelling Transport*, 4th ed., 2011) on a road network,
/// pivoted on an observed base-year car matrix.
///
/// 1. Generation: ``TripGeneration`` from population and jobs by zone.
/// 2. Distribution: doubly-constrained ``Gravity`` on the logsum composite cost of the modes.
/// 3. Mode choice: ``ModeChoice`` (car, transit, active) on generalized cost; car person trips × peak-hour factor ÷
///    occupancy = peak-hour car vehicles M.
/// 4. Assignment: user equilibrium (``Assignment``), warm-started from the previous run's bushes.
///
/// **Pivot.** The calibration year's car demand is the observed matrix B (for Sioux Falls, the TNTP OD table). The
/// model's own base-year matrix M₀ is computed once (``calibrate(population:jobs:)``) from the skims of B's equilibrium;
/// afterwards the assigned demand is `B_ij · M_ij / M₀_ij` where M₀_ij > 0 and `M_ij` elsewhere (the pivot-point
/// method, Daly, Fox & Tuinenga 2005), so the model forecasts *changes* and the base year reproduces B exactly.
///
/// **Feedback.** Distribution and mode choice need congested skims that depend on the assignment. Loop n uses the
/// average skim S̄ and then updates it with its own assignment's skim S_n: S̄ ← S̄ + (S_n − S̄) / (n + 1) (method of
/// successive averages over skims; Boyce, Zhang & Lupa 1994), for a set number of loops; the relative change of the
/// last update is reported.
public struct FourStepModel: Sendable {
    public var network: Network
    public let baseCarDemand: Matrix
    public var parameters: FourStepParameters
    /// M₀, set by ``calibrate(population:jobs:)``.
    public private(set) var modelBaseDemand: Matrix?
    /// Bushes of the last assignment (warm start).
    public var bushes: BushState?
    /// The MSA-averaged car skim (generalized minutes) carried from year to year.
    public var averageSkim: Matrix?

    public init(network: Network, baseCarDemand: Matrix, parameters: FourStepParameters = FourStepParameters()) {
        precondition(baseCarDemand.rows == network.zoneCount && baseCarDemand.columns == network.zoneCount)
        self.network = network
        self.baseCarDemand = baseCarDemand
        self.parameters = parameters
    }

    func options(for network: Network) -> AssignmentOptions {
        let s = parameters.assignment
        let warm = bushes.flatMap { $0.linkCount == network.linkCount ? $0 : nil }
        return AssignmentOptions(
            algorithm: s.algorithm, relativeGap: s.relativeGap, maxIterations: s.maxIterations, threads: s.threads,
            warmStartBushes: s.algorithm == .algorithmB ? warm : nil)
    }

    /// The calibration year: assigns the observed matrix B and computes the model's own base matrix M₀.
    public mutating func calibrate(population: [Double], jobs: [Double]) throws -> FourStepOutcome {
        let demand = scaled(baseCarDemand)
        let result = try Assignment.solve(network, demand: demand, options: options(for: network))
        bushes = result.bushes
        let skim = ShortestPaths.skim(network, costs: result.costs, threads: parameters.assignment.threads)
        averageSkim = skim
        let (m0, _) = try modelCarVehicles(population: population, jobs: jobs, carSkim: skim)
        modelBaseDemand = m0
        return outcome(result, carVehicles: demand, personTrips: [], skimChange: 0, jobs: jobs)
    }

    /// A forecast year: generation, distribution, mode choice and assignment with skim feedback, pivoted on B.
    ///
    /// The skim carried from the previous year (the calibration equilibrium's in the first) is the first term of the
    /// average; loop n then averages in the skim of its own assignment with weight 1 / (n + 1). Carrying the average,
    /// not the last skim, damps the demand–congestion oscillation that a strongly congested network (Sioux Falls runs
    /// at v/c up to 2) otherwise shows from year to year.
    public mutating func run(population: [Double], jobs: [Double]) throws -> FourStepOutcome {
        guard let m0 = modelBaseDemand, var average = averageSkim else {
            return try calibrate(population: population, jobs: jobs)
        }
        var change = 0.0
        var last: (AssignmentResult, Matrix, [Matrix])? = nil
        for n in 1...max(1, parameters.feedbackLoops) {
            let (m, trips) = try modelCarVehicles(population: population, jobs: jobs, carSkim: average)
            let demand = scaled(FourStepModel.pivot(base: baseCarDemand, modelBase: m0, model: m))
            let result = try Assignment.solve(network, demand: demand, options: options(for: network))
            bushes = result.bushes
            let skim = ShortestPaths.skim(network, costs: result.costs, threads: parameters.assignment.threads)
            var num = 0.0, den = 0.0
            for k in 0..<average.storage.count where skim.storage[k].isFinite && average.storage[k].isFinite {
                let step = (skim.storage[k] - average.storage[k]) / Double(n + 1)
                num += step * step
                den += average.storage[k] * average.storage[k]
                average.storage[k] += step
            }
            change = den > 0 ? (num / den).squareRoot() : 0
            last = (result, demand, trips)
        }
        averageSkim = average
        let (result, demand, trips) = last!
        return outcome(result, carVehicles: demand, personTrips: trips, skimChange: change, jobs: jobs)
    }

    func scaled(_ m: Matrix) -> Matrix {
        var out = m
        if parameters.demandScale != 1 { out.scale(by: parameters.demandScale) }
        return out
    }

    /// Pivot-point demand: `B · M / M₀` where M₀ > 0, else M (Daly, Fox & Tuinenga 2005).
    public static func pivot(base: Matrix, modelBase: Matrix, model: Matrix) -> Matrix {
        var out = model
        for k in 0..<out.storage.count where modelBase.storage[k] > 0 {
            out.storage[k] = base.storage[k] * model.storage[k] / modelBase.storage[k]
        }
        return out
    }

    /// Generation → distribution → mode choice on the given car skim: peak-hour car vehicles and daily trips by mode.
    func modelCarVehicles(population: [Double], jobs: [Double], carSkim: Matrix) throws -> (Matrix, [Matrix]) {
        let p = parameters
        let z = network.zoneCount
        precondition(population.count == z && jobs.count == z, "population and jobs need one value per zone")
        let freeFlow = freeFlowSkim
        var time = [Matrix](repeating: Matrix(rows: z, columns: z), count: 3)
        var money = [Matrix](repeating: Matrix(rows: z, columns: z), count: 3)
        for j in 0..<z {
            for i in 0..<z {
                let ff = freeFlow[i, j]
                time[Mode.car.rawValue][i, j] = carSkim[i, j]
                money[Mode.car.rawValue][i, j] = p.carCostPerMinute * carSkim[i, j]
                time[Mode.transit.rawValue][i, j] = p.transitTimeFactor * ff + p.transitWaitMinutes
                money[Mode.transit.rawValue][i, j] = p.transitFare
                let walk = p.activeTimeFactor * ff
                time[Mode.active.rawValue][i, j] = walk <= p.activeMaxMinutes ? walk : .infinity
            }
        }
        // The composite cost depends on skims only: split a unit matrix to get it.
        let unit = ModeChoice.split(
            trips: Matrix(rows: z, columns: z, repeating: 1), time: time, money: money, parameters: p.modeChoice)
        let (productions, attractions) = TripGeneration.generate(population: population, jobs: jobs, rates: p.rates)
        let distribution = try Gravity.distribute(
            productions: productions, attractions: attractions, costs: unit.compositeCost, deterrence: p.deterrence,
            costFloor: p.costFloor)
        let split = ModeChoice.split(trips: distribution.trips, time: time, money: money, parameters: p.modeChoice)
        var car = split.trips[Mode.car.rawValue]
        car.scale(by: p.peakHourFactor / p.carOccupancy)
        return (car, split.trips)
    }

    /// Free-flow generalized-cost skim (the basis of the transit and active skims).
    var freeFlowSkim: Matrix {
        ShortestPaths.skim(
            network, costs: (0..<network.linkCount).map { network.delay.time($0, 0) }, threads: parameters.assignment.threads)
    }

    func outcome(_ result: AssignmentResult, carVehicles: Matrix, personTrips: [Matrix], skimChange: Double, jobs: [Double])
        -> FourStepOutcome
    {
        let times = (0..<network.linkCount).map { network.delay.time($0, result.flows[$0]) }
        let timeSkim = ShortestPaths.skim(network, costs: times, threads: parameters.assignment.threads)
        let indicators = TrafficIndicators(
            network: network, flows: result.flows, carVehicles: carVehicles, timeSkim: timeSkim, jobs: jobs,
            accessibilityMinutes: parameters.accessibilityMinutes)
        return FourStepOutcome(
            assignment: result, carVehicles: carVehicles, personTrips: personTrips, carTimeSkim: timeSkim,
            indicators: indicators, feedbackSkimChange: skimChange)
    }
}
