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

    @Test("four-step on Sioux Falls: the calibration year assigns the TNTP table; growth adds traffic; feedback runs")
    func fourStep() throws {
        var parameters = FourStepParameters()
        parameters.assignment.relativeGap = 1e-5
        var model = FourStepModel(network: SiouxFalls.network, baseCarDemand: SiouxFalls.trips.od, parameters: parameters)
        let population = (0..<24).map { 3000 + 250 * Double($0 % 7) }
        let jobs = (0..<24).map { 1500 + 400 * Double($0 % 5) }
        let base = try model.calibrate(population: population, jobs: jobs)
        #expect(base.carVehicles == SiouxFalls.trips.od)
        // The calibration-year flows are Sioux Falls' equilibrium (gap 1e-5: 1e-2 relative L2 is generous).
        #expect(relativeL2(base.assignment.flows, SiouxFalls.bestFlows.map(\.volume)) <= 1e-2)
        // Same population and jobs next year: the pivot gives back the base table up to feedback effects.
        let same = try model.run(population: population, jobs: jobs)
        #expect(abs(same.carVehicles.sum - 360_600) <= 1e-3 * 360_600)
        // 20 % more people and jobs: more car trips (less than 20 % more: congested skims push trips to shorter pairs
        // and other modes; the model gives about +9 %), more VHT, and accessibility no better than jobs × 1.2.
        let grown = try model.run(population: population.map { $0 * 1.2 }, jobs: jobs.map { $0 * 1.2 })
        #expect(grown.carVehicles.sum > same.carVehicles.sum * 1.05)
        #expect(grown.carVehicles.sum < same.carVehicles.sum * 1.2)
        #expect(grown.indicators.vehicleHours > same.indicators.vehicleHours)
        #expect(grown.indicators.meanTripTime > same.indicators.meanTripTime)
        for i in 0..<24 {
            #expect(grown.indicators.jobAccessibility[i] <= 1.2 * same.indicators.jobAccessibility[i] + 1e-9)
        }
        #expect(grown.assignment.status == .converged)
        #expect(worstImbalance(SiouxFalls.network, grown.assignment.flows, grown.carVehicles) <= 1e-6 * grown.carVehicles.sum)
        // Person trips by mode add up to the generated productions.
        let generated = population.map { $0 * 1.2 * parameters.rates.productionsPerResident }.reduce(0, +)
        let byMode = grown.personTrips.map(\.sum).reduce(0, +)
        #expect(abs(byMode - generated) <= 1e-9 * generated)
    }
}
