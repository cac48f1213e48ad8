import Benchmark
import CityTwinCore
import Economy
import LinearAlgebra
import Resources

/// A random productive A: non-negative entries, column sums 0.5 (strictly diagonally dominant I − A),
/// from a fixed seed so that Swift and numpy (Benchmarks/reference/io_solve.py) solve comparable systems.
func randomProductive(_ n: Int, seed: UInt64) -> Matrix {
    var rng = RandomStream(seed: seed, member: 0, module: "bench", tick: n)
    var a = Matrix(rows: n, columns: n)
    for j in 0..<n {
        var column = (0..<n).map { _ in rng.uniform() }
        let total = column.reduce(0, +)
        for i in 0..<n { column[i] *= 0.5 / total }
        a.setColumn(j, to: column)
    }
    return a
}

/// A small coupled city (24 zones, 7 sectors): population stand-in, economy, water (monthly), energy, waste, emissions.
struct BenchPopulation: SimulationModule {
    let name = "population"
    var reads: Set<FieldKey> { [] }
    var writes: Set<FieldKey> { ["population.by_zone"] }
    func initialize(_ state: inout CityState) throws {
        state.add("population.by_zone", Field(rows: .one, columns: Dimension("zone", 24), unit: "persons",
                                              values: Matrix(rows: 1, columns: 24, repeating: 8_400)))
    }
    mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        state.modify("population.by_zone") { $0.scale(by: 1.011) }
    }
    func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] { [] }
}

func coupledModules() throws -> [any SimulationModule] {
    let s = 7
    let a = randomProductive(s, seed: 7)
    let x = Array(repeating: 4_000.0, count: s)
    var z = a
    for j in 0..<s { for i in 0..<s { z[i, j] *= x[j] } }
    let table = try InputOutputTable(sectors: (0..<s).map { "s\($0)" }, intermediate: z, output: x,
                                     valueAdded: x.map { $0 * 0.5 }, compensation: x.map { $0 * 0.3 }, employment: x.map { $0 * 6 })
    let economy = try EconomyModule(parameters: EconomyParameters(
        table: table, currency: "million USD", zoneShares: Matrix(rows: s, columns: 24, repeating: 1.0 / 24), finalDemandGrowth: 0.025))
    let water = WaterParameters(perCapitaDemand: 189, perJobDemand: [230], leakage: 0.12,
                                sources: [WaterSource(name: "aquifer", capacity: 35_300, fromReservoir: true),
                                          WaterSource(name: "pipeline", capacity: 95_400, fromReservoir: false)],
                                treatmentCapacity: 283_906,
                                reservoir: Reservoir(capacity: 3e7, initialStock: 2.4e7, inflow: .lognormal(mean: 1.4e7, cv: 0.35)))
    let energy = EnergyParameters(householdDemand: 4_530, sectorIntensity: Array(repeating: 60_000, count: s), evShare: 0.01,
                                  dieselShare: 0.05, evConsumption: 0.2, vktPerCapita: 15_450, loadFactor: 0.6,
                                  sources: [EnergySource(name: "wind", capacity: 260, capacityFactor: 0.35, capacityCredit: 0.15, co2PerMWh: 0, renewable: true),
                                            EnergySource(name: "gas", capacity: 400, capacityFactor: 0.6, capacityCredit: 0.95, co2PerMWh: 0.37, renewable: false)])
    let resources = ResourcesParameters(
        water: water, energy: energy,
        waste: WasteParameters(perCapita: 1.33, perJob: 1.87, recyclingRate: 0.32, landfillCapacity: 5e6),
        emissions: EmissionsParameters(co2PerKm: [0, 249, 300], pm25PerKm: [0.008, 0.011, 0.03], electricityFactors: [0, 0.37]))
    let population = BenchPopulation()
    return [population, economy] + ResourceModules.make(parameters: resources, zoneCount: 24,
                                                        provided: population.writes.union(economy.writes))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], maxDuration: .seconds(2))

    for n in [50, 500] {
        let a = randomProductive(n, seed: 1)
        let f = Array(repeating: 1.0, count: n)
        // The full solve the numpy reference does: factor I − A and solve one right-hand side.
        Benchmark("io_factor_and_solve_\(n)") { benchmark in
            for _ in benchmark.scaledIterations {
                var iMinusA = Matrix.identity(n)
                iMinusA.add(a, scaledBy: -1)
                blackHole(try LUFactorization(iMinusA).solve(f))
            }
        }
        // The per-tick cost once factored.
        let model = try! LeontiefModel(coefficients: a)
        Benchmark("io_solve_factored_\(n)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(model.output(for: f)) }
        }
    }

    Benchmark("coupled_tick_sample_city") { benchmark in
        var simulation = try Simulation(clock: Clock(startYear: 2022, endYear: 2122), modules: try coupledModules(), seed: 1)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { try simulation.step() }
        benchmark.stopMeasurement()
    }
}
