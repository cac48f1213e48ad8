import Foundation
import LinearAlgebra
import TestSupport
import Testing
import Traffic

@Suite("Demand: gravity, mode choice, four-step model")
struct DemandTests {
    @Test(
        "Furness reproduces both margins to 1e-9 for each deterrence form",
        arguments: [
            Deterrence.exponential(beta: 0.1), .power(alpha: 2), .combined(alpha: 0.5, beta: 0.05),
        ])
    func gravityMargins(deterrence: Deterrence) throws {
        for seed in UInt64(1)...5 {
            var rng = SeededGenerator(seed: seed)
            let z = 30
            let productions = (0..<z).map { _ in 1000 * rng.nextUnit() }
            var attractions = (0..<z).map { _ in 1000 * rng.nextUnit() }
            let scale = productions.reduce(0, +) / attractions.reduce(0, +)
            attractions = attractions.map { $0 * scale }
            var costs = Matrix(rows: z, columns: z)
            for j in 0..<z { for i in 0..<z { costs[i, j] = i == j ? 2 : 5 + 60 * rng.nextUnit() } }
            let result = try Gravity.distribute(
                productions: productions, attractions: attractions, costs: costs, deterrence: deterrence)
            let rows = result.trips.rowSums, columns = result.trips.columnSums
            for i in 0..<z {
                // The 1e-9, relative to each margin.
                #expect(abs(rows[i] - productions[i]) <= 1e-9 * productions[i], "seed \(seed), row \(i)")
                #expect(abs(columns[i] - attractions[i]) <= 1e-9 * attractions[i], "seed \(seed), column \(i)")
            }
            // T_ij / (F_ij) = r_i s_j: a rank-one pattern, i.e. cross-ratios of T/F equal 1.
            let f = { (i: Int, j: Int) in deterrence.value(costs[i, j]) }
            let t = result.trips
            let cross = (t[0, 0] / f(0, 0)) * (t[1, 1] / f(1, 1)) / ((t[0, 1] / f(0, 1)) * (t[1, 0] / f(1, 0)))
            #expect(abs(cross - 1) <= 1e-9)
        }
    }

    @Test("a zone that produces trips but reaches no destination is an error, not a hang")
    func gravityInfeasible() {
        var costs = Matrix(rows: 2, columns: 2, repeating: 10)
        costs[0, 1] = .infinity
        costs[0, 0] = .infinity
        #expect(throws: TrafficError.self) {
            try Gravity.distribute(productions: [1, 1], attractions: [1, 1], costs: costs, deterrence: .exponential(beta: 0.1))
        }
    }

    @Test("logit shares sum to one, order by utility, and drop unavailable modes")
    func logit() {
        var rng = SeededGenerator(seed: 42)
        let parameters = ModeChoiceParameters(valueOfTime: 12, timeCoefficient: -0.07, constants: [0, -0.8, -1.4])
        for _ in 0..<200 {
            let g = (0..<3).map { _ in rng.nextUnit() < 0.1 ? Double.infinity : 200 * rng.nextUnit() }
            let p = ModeChoice.shares(generalizedCosts: g, parameters: parameters)
            if g.allSatisfy({ !$0.isFinite }) {
                #expect(p == [0, 0, 0])
                continue
            }
            #expect(abs(p.reduce(0, +) - 1) <= 1e-15 * 3)  // three roundings of terms ≤ 1
            for m in 0..<3 where !g[m].isFinite { #expect(p[m] == 0) }
            // ratio of probabilities = exp(utility difference) (independence from irrelevant alternatives)
            if g[0].isFinite && g[1].isFinite {
                let expected = exp((parameters.constants[0] - 0.07 * g[0]) - (parameters.constants[1] - 0.07 * g[1]))
                #expect(abs(p[0] / p[1] - expected) <= 1e-12 * expected)
            }
        }
        // Extreme utilities neither overflow nor lose the sum.
        let p = ModeChoice.shares(generalizedCosts: [1e5, 2e5, 3], parameters: parameters)
        #expect(abs(p.reduce(0, +) - 1) <= 1e-15)
        // Money counts through the value of time: 6 money at 12 per hour = 30 minutes.
        var time = [Matrix](repeating: Matrix(rows: 1, columns: 1, repeating: 10), count: 3)
        time[2][0, 0] = .infinity
        var money = [Matrix](repeating: Matrix(rows: 1, columns: 1), count: 3)
        money[0][0, 0] = 6
        let split = ModeChoice.split(
            trips: Matrix(rows: 1, columns: 1, repeating: 100), time: time, money: money,
            parameters: ModeChoiceParameters(valueOfTime: 12, timeCoefficient: -0.1, constants: [0, 0, 0]))
        let carShare = 1 / (1 + exp(-0.1 * 10 + 0.1 * 40))
        #expect(abs(split.trips[0][0, 0] - 100 * carShare) <= 1e-10)
        #expect(abs(split.trips[0][0, 0] + split.trips[1][0, 0] - 100) <= 1e-12)
    }

    @Test("the fused mode-choice pass gives exactly the per-pair shares and logsum, unavailable modes included")
    func fusedModeChoice() {
        var rng = SeededGenerator(seed: 7)
        let parameters = ModeChoiceParameters(valueOfTime: 15, timeCoefficient: -0.05, constants: [0, -1.7, -0.4])
        let z = 9
        func skim(_ unavailable: Double) -> Matrix {
            Matrix(
                rows: z, columns: z, columnMajor: (0..<(z * z)).map { _ in rng.nextUnit() < unavailable ? .infinity : 90 * rng.nextUnit() })
        }
        let time = [skim(0), skim(0.1), skim(0.5)]
        var money = [skim(0), skim(0), skim(0)]
        money[2] = Matrix(rows: z, columns: z)
        // Pairs with no mode at all keep no shares and an infinite composite cost.
        for k in stride(from: 0, to: z * z, by: 11) {
            for m in 0..<3 { money[m].storage[k] = .infinity }
        }
        let trips = Matrix(rows: z, columns: z, columnMajor: (0..<(z * z)).map { _ in 100 * rng.nextUnit() })
        let split = ModeChoice.split(trips: trips, time: time, money: money, parameters: parameters)
        for k in 0..<(z * z) {
            let g = (0..<3).map { time[$0].storage[k] + 60 * money[$0].storage[k] / parameters.valueOfTime }
            let p = ModeChoice.shares(generalizedCosts: g, parameters: parameters)
            #expect(split.compositeCost.storage[k] == ModeChoice.compositeCost(generalizedCosts: g, parameters: parameters))
            for m in 0..<3 { #expect(split.trips[m].storage[k] == trips.storage[k] * p[m]) }
        }
        #expect((0..<(z * z)).contains { !split.compositeCost.storage[$0].isFinite })
    }

    @Test("feedback stops once the skims settle: fewer loops in a forecast year, indicators within 1e-4 of all loops")
    func feedbackTolerance() throws {
        var parameters = Self.sampleParameters()
        parameters.feedbackLoops = 4
        let network = try Self.sampleNetwork(parameters)
        let population = Self.samplePopulation
        let jobs = Self.sampleJobs
        var full = FourStepModel(network: network, parameters: parameters)
        let base = try full.calibrate(population: population, jobs: jobs)
        #expect(base.feedbackLoops == 4)
        var settling = full
        settling.parameters.feedbackTolerance = 1e-4
        let grown = (population.map { $0 * 1.02 }, jobs.map { $0 * 1.02 })
        let all = try full.run(population: grown.0, jobs: grown.1)
        let early = try settling.run(population: grown.0, jobs: grown.1)
        #expect(all.feedbackLoops == 4)
        #expect(early.feedbackLoops < 4)
        #expect(early.feedbackSkimChange <= 1e-4)
        #expect(all.feedbackSkimChange < early.feedbackSkimChange)
        for (a, b) in [
            (all.indicators.vehicleKilometres, early.indicators.vehicleKilometres),
            (all.indicators.vehicleHours, early.indicators.vehicleHours),
            (all.indicators.meanTripTime, early.indicators.meanTripTime),
        ] {
            #expect(abs(a - b) <= 1e-4 * a, "\(a) against \(b)")
        }
        // The base year ignores the tolerance (its loops also fit the mode constants).
        var fresh = FourStepModel(network: network, parameters: parameters)
        fresh.parameters.feedbackTolerance = 1
        #expect(try fresh.calibrate(population: population, jobs: jobs).feedbackLoops == 4)
    }

    /// The sample city's rates (models/sioux-falls/model.yaml) on the Sioux Falls network in minutes and km.
    static func sampleParameters() -> FourStepParameters {
        var parameters = FourStepParameters()
        parameters.assignment.relativeGap = 1e-6
        parameters.rates.personTripsPerResident = 3.37
        parameters.carShare = 0.82
        parameters.carOccupancy = 1.62
        parameters.peakHourShare = 0.0864
        parameters.carCostPerKm = 0.12
        return parameters
    }

    static let units = NetworkUnits(minutesPerTimeUnit: 0.6, kilometresPerLengthUnit: 0.6)

    /// The Sioux Falls network in minutes and km, levers from `parameters`.
    static func sampleNetwork(_ parameters: FourStepParameters) throws -> Network {
        try TrafficModel(network: units.converted(SiouxFalls.netFile), parameters: parameters).makeNetwork()
    }

    /// Residents and jobs by zone for the 24-zone tests: uneven, so distribution and mode choice have work to do.
    static let samplePopulation = (0..<24).map { 6000 + 500 * Double($0 % 7) }
    static let sampleJobs = (0..<24).map { 4000 + 900 * Double($0 % 5) }

    @Test("demand from trip rates: person trips = 3.37 × population, car share 0.82, peak-hour vehicles = rate × share × 0.0864 / 1.62")
    func tripRates() throws {
        let parameters = Self.sampleParameters()
        let network = try Self.sampleNetwork(parameters)
        var model = FourStepModel(network: network, parameters: parameters)
        let population = Self.samplePopulation
        let jobs = Self.sampleJobs
        let residents = population.reduce(0, +)
        let base = try model.calibrate(population: population, jobs: jobs)
        let personTrips = base.personTrips.map(\.sum).reduce(0, +)
        #expect(abs(personTrips - 3.37 * residents) <= 1e-9 * 3.37 * residents)
        let carShare = base.personTrips[Mode.car.rawValue].sum / personTrips
        #expect(abs(carShare - 0.82) <= 1e-9)
        let vehicles = 3.37 * residents * 0.82 * 0.0864 / 1.62
        #expect(abs(base.assignedVehicles.sum - vehicles) <= 1e-8 * vehicles)
        #expect(abs(base.indicators.carTrips - vehicles) <= 1e-8 * vehicles)
        // The fitted constants are kept: a later year with 20 % more people and jobs has about the same car share
        // (not exactly: congestion changes the skims) and 20 % more person trips exactly.
        let grown = try model.run(population: population.map { $0 * 1.2 }, jobs: jobs.map { $0 * 1.2 })
        let grownTrips = grown.personTrips.map(\.sum).reduce(0, +)
        #expect(abs(grownTrips - 1.2 * 3.37 * residents) <= 1e-9 * grownTrips)
        #expect(abs(grown.personTrips[Mode.car.rawValue].sum / grownTrips - 0.82) <= 0.01)
        #expect(grown.assignment.status == .converged)
        #expect(grown.indicators.vehicleHours > base.indicators.vehicleHours)
        #expect(worstImbalance(network, grown.assignment.flows, offDiagonal(grown.assignedVehicles)) <= 1e-6 * grown.assignedVehicles.sum)
    }

    @Test("a toll X adds exactly 60 X / value of time minutes to the route cost and to the car's mode-choice cost")
    func tollCountedOnce() throws {
        var parameters = FourStepParameters()
        parameters.modeChoice.valueOfTime = 12
        parameters.carCostPerKm = 0.1
        // Two zones, one road each way: 10 min and 5 km; a toll of 3 on 1 → 2.
        let file = TNTPNetworkFile(
            zoneCount: 2, nodeCount: 2, firstThroughNode: 1,
            links: [
                Link(from: 1, to: 2, capacity: 1000, length: 5, freeFlowTime: 10),
                Link(from: 2, to: 1, capacity: 1000, length: 5, freeFlowTime: 10),
            ])
        let free = TrafficModel(network: file, parameters: parameters)
        var tolled = free
        tolled.levers.tolls[0] = 3
        let a = CarSkims.at(try free.makeNetwork(), flows: [0, 0], threads: 1)
        let b = CarSkims.at(try tolled.makeNetwork(), flows: [0, 0], threads: 1)
        // Route: 10 + 60 · 0.1 · 5 / 12 = 12.5 minutes, and 15 minutes more with the toll (60 · 3 / 12).
        #expect(abs(a.generalized[0, 1] - 12.5) <= 1e-12)
        #expect(abs((b.generalized[0, 1] - a.generalized[0, 1]) - 15) <= 1e-12)
        // Mode choice: time + 60 · (toll + running cost) / value of time from the separate skims.
        func carCost(_ s: CarSkims) -> Double {
            s.time[0, 1] + 60 * (s.toll[0, 1] + parameters.carCostPerKm * s.distance[0, 1]) / parameters.modeChoice.valueOfTime
        }
        #expect(abs((carCost(b) - carCost(a)) - 15) <= 1e-12)
        #expect(abs(carCost(b) - b.generalized[0, 1]) <= 1e-12)
        #expect(b.toll[0, 1] == 3 && b.time[0, 1] == 10 && b.distance[0, 1] == 5)
        // And in the logit: the car's share against a 20-minute alternative, at −0.1 per generalized minute.
        var time = [Matrix](repeating: Matrix(rows: 1, columns: 1, repeating: 20), count: 3)
        time[0][0, 0] = b.time[0, 1]
        time[2][0, 0] = .infinity
        var money = [Matrix](repeating: Matrix(rows: 1, columns: 1), count: 3)
        money[0][0, 0] = b.toll[0, 1] + parameters.carCostPerKm * b.distance[0, 1]
        let choice = ModeChoiceParameters(valueOfTime: 12, timeCoefficient: -0.1, constants: [0, 0, 0])
        let split = ModeChoice.split(trips: Matrix(rows: 1, columns: 1, repeating: 1), time: time, money: money, parameters: choice)
        let expected = 1 / (1 + exp(-0.1 * 20 + 0.1 * 27.5))
        #expect(abs(split.trips[0][0, 0] - expected) <= 1e-12)
    }

    @Test("under a cordon toll the mean trip time is 60 · VHT / trips, VHT summed from link flows and intrazonal trips")
    func meanTripTimeUnderToll() throws {
        var parameters = Self.sampleParameters()
        parameters.assignment.relativeGap = 1e-8
        var model = TrafficModel(network: Self.units.converted(SiouxFalls.netFile), parameters: parameters)
        // The downtown charge of scenarios/downtown-charge.yaml: 3 USD on the links into nodes 10, 11, 15, 16.
        for (from, to) in [(9, 10), (17, 10), (4, 11), (12, 11), (14, 11), (14, 15), (19, 15), (22, 15), (8, 16), (17, 16), (18, 16)] {
            model.levers.tolls[try #require(model.linkIndex(from: from, to: to))] = 3
        }
        let network = try model.makeNetwork()
        var fourStep = FourStepModel(network: network, parameters: parameters)
        let population = Self.samplePopulation
        let jobs = Self.sampleJobs
        let outcome = try fourStep.calibrate(population: population, jobs: jobs)
        let flows = outcome.assignment.flows
        var minutes = 0.0
        for a in 0..<network.linkCount { minutes += flows[a] * network.delay.time(a, flows[a]) }
        for i in 0..<24 { minutes += outcome.assignedVehicles[i, i] * outcome.carSkims.time[i, i] }
        let trips = outcome.assignedVehicles.sum
        let i = outcome.indicators
        #expect(abs(i.vehicleHours - minutes / 60) <= 1e-9 * i.vehicleHours)
        #expect(abs(i.meanTripTime - minutes / trips) <= 1e-9 * i.meanTripTime)
        // The charge is paid: revenue = Σ volume × 3 over the tolled links, and some trips pay it.
        var revenue = 0.0
        for a in 0..<network.linkCount where network.links[a].toll > 0 { revenue += 3 * flows[a] }
        #expect(revenue > 0)
        #expect(abs(i.tollRevenue - revenue) <= 1e-9 * revenue)
    }
}

/// The demand without its diagonal (intrazonal trips use no link).
func offDiagonal(_ m: Matrix) -> Matrix {
    var out = m
    for i in 0..<m.rows { out[i, i] = 0 }
    return out
}
