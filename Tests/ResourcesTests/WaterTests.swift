import CityTwinCore
import LinearAlgebra
import Resources
import Testing

@Suite("Water balance")
struct WaterTests {
    /// The reservoir stock balances exactly every tick: ΔS = inflow − withdrawals − spill − evaporation.
    /// Random capacities, stocks, inflows (lognormal, cv up to 1.5) and populations; tolerance 1e-9 of the
    /// largest term, the rounding of a dozen monthly additions of numbers up to ~1e7.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func stockBalancesExactlyOnRandomInputs(seed: UInt64) throws {
        var rng = RandomStream(seed: seed, member: 0, module: "test", tick: 0)
        let capacity = 1e5 + rng.uniform() * 1e7
        let parameters = tinyWater(
            inflow: .lognormal(mean: 1e5 + rng.uniform() * 5e6, cv: rng.uniform() * 1.5),
            capacity: capacity, initial: rng.uniform() * capacity,
            droughts: [Drought(from: 2027, until: 2028, factor: rng.uniform())])
        let population = (0..<3).map { _ in 1_000 + rng.uniform() * 40_000 }
        var simulation = try Simulation(
            clock: Clock(startYear: 2025, endYear: 2035),
            modules: [
                StubPopulation(initial: population, growth: 0.02), WaterModule(parameters: parameters, zoneCount: 3, readsJobs: false),
            ],
            seed: seed)
        var previous = simulation.state[WaterModule.reservoirStock][0, 0]
        repeat {
            try simulation.step()
            let b = simulation.state[WaterModule.balance].storage
            let stock = simulation.state[WaterModule.reservoirStock][0, 0]
            let scale = max(1, b.map(abs).max()!, stock)
            #expect(abs((stock - previous) - (b[0] - b[1] - b[2] - b[3])) <= 1e-9 * scale, "seed \(seed)")
            #expect(abs((stock - previous) - b[4]) <= 1e-9 * scale, "seed \(seed)")
            #expect(stock >= 0 && stock <= capacity * (1 + 1e-12), "seed \(seed): stock \(stock) outside [0, \(capacity)]")
            previous = stock
        } while simulation.status == .running
    }

    /// Supply + deficit·(1/(1−λ)) = system input demand, and the deficit lands where demand is.
    @Test func deficitClosesTheDemandBalance() throws {
        // No inflow and an almost empty reservoir: the wells (4000 m³/d) cannot meet ~ 60 000 people.
        let parameters = tinyWater(inflow: .series(years: [2025], values: [0]), initial: 1_000)
        let recording = try Simulation.solve(
            clock: Clock(startYear: 2025, endYear: 2027),
            modules: [
                StubPopulation(initial: [10_000, 20_000, 30_000], growth: 0),
                WaterModule(parameters: parameters, zoneCount: 3, readsJobs: false),
            ],
            seed: 1)
        let demand = recording.series("water.demand").last!.value
        let supply = recording.series("water.supply").last!.value
        let deficit = recording.series("water.deficit").last!.value
        #expect(abs(demand - 60_000 * 0.2) <= 1e-9 * demand)  // 200 L/person/day
        #expect(abs(supply + deficit / 0.85 - demand / 0.85) <= 1e-9 * demand)
        #expect(supply <= 4_000 + 1e-9)
        let byZone = (0..<3).map { recording.series("water.deficit", region: .zone($0)).last!.value }
        #expect(abs(byZone[2] / byZone[0] - 3) <= 1e-12)
        #expect(recording.series("water.reserve_days").last!.value == 0)
    }

    /// A drought lowers the reservoir relative to the same run without one (common random numbers).
    @Test func droughtDrawsTheReservoirDown() throws {
        func level(_ droughts: [Drought]) throws -> Double {
            let p = tinyWater(inflow: .lognormal(mean: 3e6, cv: 0.3), droughts: droughts)
            let r = try Simulation.solve(
                clock: Clock(startYear: 2025, endYear: 2032),
                modules: [
                    StubPopulation(initial: [10_000, 20_000, 30_000], growth: 0.01),
                    WaterModule(parameters: p, zoneCount: 3, readsJobs: false),
                ], seed: 42)
            return r.series("water.reservoir_stock").last!.value
        }
        #expect(try level([Drought(from: 2027, until: 2031, factor: 0.2)]) < level([]))
    }

    /// Same seed, same numbers; different seed, different inflows.
    @Test func stochasticInflowIsReproducible() throws {
        func run(_ seed: UInt64) throws -> [Double] {
            let p = tinyWater(inflow: .lognormal(mean: 3e6, cv: 0.5))
            return try Simulation.solve(
                clock: Clock(startYear: 2025, endYear: 2030),
                modules: [
                    StubPopulation(initial: [1, 2, 3].map { $0 * 1e4 }, growth: 0),
                    WaterModule(parameters: p, zoneCount: 3, readsJobs: false),
                ], seed: seed
            )
            .series("water.reservoir_inflow").map(\.value)
        }
        #expect(try run(7) == run(7))
        #expect(try run(7) != run(8))
    }
}

/// Energy on a grid: the city's own sources make their average availability, what they do not make is
/// imported up to the limit, what they make beyond demand is exported, and demand is unmet only beyond the
/// import limit.
@Suite("Energy on a grid")
struct GridTests {
    func run(importLimit: Double, householdDemand: Double = 5000, evShare: Double = 0) throws -> (
        demand: Double, generated: Double, imports: Double, exports: Double, unmet: Double, co2: Double, locationBased: Double
    ) {
        let sources = [
            EnergySource(name: "wind", capacity: 10, capacityFactor: 0.3, capacityCredit: 0.1, co2PerMWh: 0, renewable: true),
            EnergySource(name: "gas", capacity: 5, capacityFactor: 0.5, capacityCredit: 0.9, co2PerMWh: 0.4, renewable: false),
        ]
        var energy = EnergyParameters(
            householdDemand: householdDemand, sectorIntensity: [], evShare: evShare, dieselShare: 0, evConsumption: 0.2,
            vktPerCapita: 10_000, loadFactor: 0.6, sources: sources)
        energy.grid = GridConnection(importLimit: importLimit, importPrice: 50, emissionFactor: 0.5)
        var emissions = EmissionsParameters(co2PerKm: [0, 0, 0], pm25PerKm: [0, 0, 0], electricityFactors: sources.map(\.co2PerMWh))
        emissions.gridFactor = 0.5
        let modules: [any SimulationModule] = [
            StubPopulation(initial: [10_000, 20_000], growth: 0),
            EnergyModule(parameters: energy, zoneCount: 2, readsEconomy: false, readsTraffic: false),
            EmissionsModule(parameters: emissions),
        ]
        var simulation = try Simulation(clock: Clock(startYear: 2020, endYear: 2021, tick: .years(1)), modules: modules, seed: 1)
        try simulation.step()
        func value(_ name: String) -> Double { simulation.latest.samples.first { $0.variable == name && $0.region == .city }!.value }
        return (
            value("energy.demand"), value("energy.generation"), value("energy.imports"), value("energy.exports"),
            value("energy.unmet"), value("emissions.co2[electricity]"), value("emissions.co2_electricity_location_based")
        )
    }

    @Test func importsBalanceDemandUpToTheLimit() throws {
        // 30,000 people × 5 MWh = 150,000 MWh; wind 10 MW × 0.3 × 8766 h = 26,298; gas 5 × 0.5 × 8766 = 21,915.
        let open = try run(importLimit: 100)
        #expect(abs(open.demand - 150_000) < 1e-6)
        #expect(abs(open.generated - (26_298 + 21_915)) < 1e-6)
        #expect(abs(open.generated + open.imports - open.exports - open.demand) < 1e-6, "supply balances demand")
        #expect(open.unmet == 0)
        // CO₂ of electricity consumed: gas 21,915 × 0.4 + imports × 0.5; location-based, all 150,000 MWh at 0.5.
        #expect(abs(open.co2 - (21_915 * 0.4 + open.imports * 0.5)) < 1e-6)
        #expect(abs(open.locationBased - 150_000 * 0.5) < 1e-6)
        // A 5 MW limit imports 43,830 MWh at most; the rest is unmet.
        let tight = try run(importLimit: 5)
        #expect(abs(tight.imports - 5 * 8766) < 1e-6)
        #expect(abs(tight.unmet - (150_000 - 26_298 - 21_915 - 43_830)) < 1e-6)
    }

    /// Own sources beyond demand: 30,000 people × 1 MWh = 30,000 MWh against 48,213 MWh made; 18,213 MWh are
    /// exported and carry the own mix's average factor (21,915 × 0.4 / 48,213 t/MWh) away.
    @Test func exportsCarryTheOwnMixAway() throws {
        let surplus = try run(importLimit: 100, householdDemand: 1000)
        #expect(abs(surplus.generated - 48_213) < 1e-6 && surplus.imports == 0 && surplus.unmet == 0)
        #expect(abs(surplus.exports - 18_213) < 1e-6)
        #expect(abs(surplus.co2 - 21_915 * 0.4 * 30_000 / 48_213) < 1e-6)
        // Location-based: the 30,000 MWh consumed at the grid's 0.5 t/MWh, however clean the own mix.
        #expect(abs(surplus.locationBased - 30_000 * 0.5) < 1e-6)
    }

    /// Electric vehicles add their electricity's CO₂ whether the city has a surplus or imports: 30,000 people ×
    /// 10,000 km × 50 % electric × 0.2 kWh/km = 30,000 MWh more.
    @Test func evLoadAddsItsElectricityEmissions() throws {
        for household in [1000.0, 5000] {
            let base = try run(importLimit: 100, householdDemand: household)
            let ev = try run(importLimit: 100, householdDemand: household, evShare: 0.5)
            #expect(abs(ev.demand - base.demand - 30_000) < 1e-6)
            #expect(ev.co2 > base.co2 + 30_000 * 0.18, "household \(household): \(ev.co2) vs \(base.co2)")
        }
        // Importing (5 MWh per person): the extra 30,000 MWh are imports at the grid's 0.5 t/MWh.
        let base = try run(importLimit: 100), ev = try run(importLimit: 100, evShare: 0.5)
        #expect(abs(ev.co2 - base.co2 - 30_000 * 0.5) < 1e-6)
    }
}
