import CityTwinCore
import Economy
import Foundation
import LinearAlgebra
import Resources
import Testing

/// A population stand-in that reads jobs back (migration attractiveness), closing a cycle with an
/// economy whose final demand follows population.
struct AttractedPopulation: SimulationModule {
    let name = "population"
    var reads: Set<FieldKey> { ["economy.jobs_by_zone"] }
    var writes: Set<FieldKey> { ["population.by_zone"] }
    func initialize(_ state: inout CityState) throws {
        state.add(
            "population.by_zone",
            Field(
                rows: .one, columns: Dimension("zone", 2), unit: "persons",
                values: Matrix(rows: 1, columns: 2, columnMajor: [1000, 1000])))
    }
    mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let jobs = state["economy.jobs_by_zone"].storage
        state.modify("population.by_zone") { p in for z in 0..<2 { p[0, z] += 0.01 * jobs[z] } }
    }
    var indicatorDescriptors: [IndicatorDescriptor] { [] }
    func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] { [] }
}

/// A module that reads a field it never declared.
struct Sneaky: SimulationModule {
    let name = "sneaky"
    var reads: Set<FieldKey> { [] }
    var writes: Set<FieldKey> { ["sneaky.x"] }
    func initialize(_ state: inout CityState) throws { state.add("sneaky.x", Field(rows: .one, columns: .one, unit: "1")) }
    mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let p = state["population.by_zone"].sum
        state["sneaky.x"] = Matrix(rows: 1, columns: 1, repeating: p)
    }
    var indicatorDescriptors: [IndicatorDescriptor] { [] }
    func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] { [] }
}

func twoSectorEconomy() throws -> EconomyParameters {
    let table = try InputOutputTable(
        sectors: ["a", "b"], intermediate: Matrix([[150, 500], [200, 100]]), output: [1000, 2000],
        employment: [300, 500])
    return EconomyParameters(table: table, currency: "USD", zoneCount: 2)
}

extension EconomyParameters {
    init(table: InputOutputTable, currency: String, zoneCount: Int) {
        self.init(table: table, currency: currency, zoneShares: Matrix([[0.75, 0.25], [0.5, 0.5]]), householdShare: [1, 0.5])
    }
}

@Suite("Coupling on one clock")
struct CouplingTests {
    /// Population ↔ economy is a cycle; the schedule breaks it with a one-tick lag and records it.
    @Test func cycleIsBrokenByAOneTickLag() throws {
        let economy = try EconomyModule(parameters: twoSectorEconomy())
        #expect(economy.reads == ["population.by_zone"])
        let schedule = try ModuleSchedule([economy, AttractedPopulation()])
        #expect(schedule.laggedReads.count == 1)
        #expect(schedule.laggedReads.first?.reader == "economy")
        let graph = try CouplingGraph([economy, AttractedPopulation()])
        #expect(graph.markdown(title: "t").contains("-. \"population.by_zone\" .-> economy"))
        // And the run works: final demand follows the growing population, household share 1 for sector a.
        var simulation = try Simulation(clock: Clock(startYear: 2020, endYear: 2023), modules: [economy, AttractedPopulation()], seed: 1)
        try simulation.run()
        let f = simulation.state[EconomyModule.finalDemand].storage
        #expect(f[0] > 350)
    }

    /// Final demand grows at the lever rate; shocks and investments apply in their years; the model
    /// factors once unless coefficients change.
    @Test func finalDemandLevers() throws {
        var parameters = try twoSectorEconomy()
        parameters.householdShare = nil
        parameters.finalDemandGrowth = 0.03
        parameters.shocks = [FinalDemandShock(sector: 1, from: 2021, until: 2021, change: -0.5)]
        parameters.investments = [Investment(sector: 0, year: 2022, amount: 100)]
        let module = try EconomyModule(parameters: parameters)
        #expect(module.reads.isEmpty)
        #expect(module.finalDemand(year: 2020, elapsed: 1, populationRatio: 1) == [350 * 1.03, 1700 * 1.03])
        #expect(abs(module.finalDemand(year: 2021, elapsed: 2, populationRatio: 1)[1] - 1700 * 1.03 * 1.03 * 0.5) < 1e-9)
        #expect(abs(module.finalDemand(year: 2022, elapsed: 3, populationRatio: 1)[0] - (350 * pow(1.03, 3) + 100)) < 1e-9)
        parameters.coefficientChanges = [CoefficientChange(supplier: 0, buyer: 1, year: 2022, value: 0.3)]
        var simulation = try Simulation(
            clock: Clock(startYear: 2020, endYear: 2025), modules: [try EconomyModule(parameters: parameters)], seed: 1)
        try simulation.run()
        // x after the change solves (I − A') x = f for the new A.
        let x = simulation.state[EconomyModule.output].storage
        let f = simulation.state[EconomyModule.finalDemand].storage
        #expect(abs(x[0] - 0.15 * x[0] - 0.3 * x[1] - f[0]) <= 1e-9 * x[0])
    }

    /// Energy reads traffic.vkt only when a traffic module is in the run.
    @Test func energyUsesTrafficVKTWhenProvided() throws {
        let city = try SampleCity()
        let without = ResourceModules.make(parameters: city.resources, zoneCount: 24, provided: ["population.by_zone"])
        #expect(!without[1].reads.contains("traffic.vkt"))
        let with = ResourceModules.make(parameters: city.resources, zoneCount: 24, provided: ["population.by_zone", "traffic.vkt"])
        #expect(with[1].reads.contains("traffic.vkt"))
    }

    /// Reading an undeclared field is refused (the process traps with the module's and field's names).
    @Test func undeclaredReadIsRefused() async {
        await #expect(processExitsWith: .failure) {
            var simulation = try Simulation(
                clock: Clock(startYear: 2020, endYear: 2021),
                modules: [StubPopulation(initial: [1, 2], growth: 0), Sneaky()], seed: 1)
            try simulation.step()
        }
    }
}
