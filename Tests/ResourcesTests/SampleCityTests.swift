import CityTwinCore
import Economy
import Foundation
import LinearAlgebra
import Resources
import Scenario
import TestSupport
import Testing

struct SampleCity {
    var economy: EconomyParameters
    var resources: ResourcesParameters
    /// 2022 population by the 24 TNTP zones: the city planning estimate 202 600 spread by trips produced.
    let population: [Double]

    init() throws {
        // Loaded through the same path as the command line.
        let model = try SampleCityFixture.load()
        economy = try #require(model.economy)
        resources = try #require(model.resources)
        let produced: [Double] = [
            8800, 4000, 2800, 11600, 6100, 7600, 12100, 16700, 16200, 45200, 22300, 13900, 14600, 14100,
            21400, 26100, 23400, 4800, 12800, 18500, 11000, 24400, 14500, 7700,
        ]
        let total = produced.reduce(0, +)
        population = produced.map { 202_600 * $0 / total }
    }

    func modules(populationGrowth: Double = 0.011) throws -> [any SimulationModule] {
        let economyModule = try EconomyModule(parameters: economy, readsPopulation: false)
        let stub = StubPopulation(initial: population, growth: populationGrowth)
        let provided = economyModule.writes.union(stub.writes)
        return [stub, economyModule] + ResourceModules.make(parameters: resources, zoneCount: 24, provided: provided)
    }
}

@Suite("Sioux Falls sample city")
struct SampleCityTests {
    /// The calibration year reproduces the city's 22.4 MGD average day (84 793 m³/day of system input)
    /// within 1 %: per-job demand was calibrated to it to about three significant figures.
    @Test func reproducesTheCitysWaterUse() throws {
        var city = try SampleCity()
        city.economy.finalDemandGrowth = 0  // the base year as tabulated
        let recording = try Simulation.solve(
            clock: Clock(startYear: 2022, endYear: 2023), modules: city.modules(populationGrowth: 0), seed: 1)
        let systemInput = try #require(recording.series("water.system_input_demand").last).value
        #expect(abs(systemInput / 84_793 - 1) < 0.01, "system input \(systemInput) m³/day")
        // Supply split close to 2022: aquifers 41 %, Lewis & Clark 56 % (within 3 points; the model dispatches by order).
        let aquifer = try #require(recording.series("water.supply[big_sioux_aquifer]").last).value
        let supply = try #require(recording.series("water.supply").last).value
        #expect(abs(aquifer / supply - 0.41) < 0.03)
    }

    /// Twenty years of the coupled city: every indicator finite, jobs placed in zones add up, emissions
    /// equal the energy module's VKT and generation times the factors.
    @Test func coupledRunIsConsistent() throws {
        let city = try SampleCity()
        var simulation = try Simulation(clock: Clock(startYear: 2022, endYear: 2042), modules: city.modules(), seed: 3)
        try simulation.run()
        for observation in simulation.recording.observations {
            for sample in observation.samples where !sample.variable.hasSuffix("years_left") && !sample.variable.hasSuffix("reserve_days") {
                #expect(sample.value.isFinite, "\(sample.variable) at \(observation.time)")
            }
        }
        let state = simulation.state
        #expect(
            abs(state[EconomyModule.jobsByZone].sum - state[EconomyModule.jobsBySector].sum) <= 1e-9 * state[EconomyModule.jobsBySector].sum
        )
        let vkt = state[EnergyModule.vktByFuel].storage
        let generation = state[EnergyModule.generationBySource].storage
        let road = (vkt[1] * 249 + vkt[2] * 300) / 1e6
        // Electricity consumed: own generation less exports (at the own mix's average factor) plus imports at the grid's.
        let grid = try #require(city.resources.energy.grid)
        let imports = state[EnergyModule.grid][0, 0], exports = state[EnergyModule.grid][1, 0]
        let generated = generation.reduce(0, +)
        let electricity =
            zip(generation, city.resources.energy.sources).reduce(0) { $0 + $1.0 * $1.1.co2PerMWh } * (generated - exports) / generated
            + imports * grid.emissionFactor
        #expect(abs(state[EmissionsModule.co2][0, 0] - road) <= 1e-9 * road)
        #expect(abs(state[EmissionsModule.co2][1, 0] - electricity) <= 1e-9 * electricity)
        // Own sources make their average availability, sized to the base year's demand; with demand growth the
        // grid supplies the rest before 2042, within the import limit, so nothing is unmet.
        #expect(abs(generated - city.resources.energy.sources.reduce(0) { $0 + $1.capacity * $1.capacityFactor * 8766 }) < 1e-6 * generated)
        #expect(imports > 0)
        #expect(try #require(simulation.recording.series("energy.unmet").last).value == 0)
    }

    /// Levers act in the expected direction: more EVs → less road CO₂, more electricity demand.
    @Test func evShareLever() throws {
        var city = try SampleCity()
        func run(_ city: SampleCity) throws -> Recording {
            try Simulation.solve(clock: Clock(startYear: 2022, endYear: 2030), modules: city.modules(), seed: 5)
        }
        let base = try run(city)
        var resources = city.resources
        resources.energy.evShare = 0.3
        city = SampleCity(economy: city.economy, resources: resources, population: city.population)
        let policy = try run(city)
        #expect(policy.series("emissions.co2[road]").last!.value < base.series("emissions.co2[road]").last!.value * 0.75)
        #expect(policy.series("energy.demand[transport]").last!.value > base.series("energy.demand[transport]").last!.value * 20)
    }

    @Test func loaderErrorsNameFileLineColumnAndKey() throws {
        let folder = SampleCityFixture.folder.path
        let text = try String(contentsOfFile: folder + "/model.yaml", encoding: .utf8)
        let broken = text.replacingOccurrences(of: "    leakage:", with: "    leakge:")
            .replacingOccurrences(of: "    recycling_rate:", with: "    recycling_rate: 1.5\n    old_recycling_rate:")
        #expect(broken != text)
        let root = try YAMLMapping.document(text: broken, file: "model.yaml")
        var diagnostics = Diagnostics()
        let section = try #require(root.submapping("resources", &diagnostics))
        let model = try CityModelLoader.load(folder)
        let context = ModelLoadingContext(
            directory: folder, file: "model.yaml", baseYear: model.baseYear, zones: model.zones,
            files: InputFiles(), loaded: ["economy": try #require(model.section(EconomySection.self))])
        #expect(ResourcesParameters.load(section, context: context, sectors: model.economy!.table.sectors, &diagnostics) == nil)
        let messages = diagnostics.errors.map(\.description)
        let line = broken.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("leakge") }! + 1
        #expect(
            messages.contains {
                $0.hasPrefix("model.yaml:\(line):5: error: unknown key `leakge` in resources.water")
                    && $0.contains("did you mean `leakage`?")
            },
            "\(messages)")
        // Every problem of the section at once: the misspelt key, the missing one, and the next subsection's.
        #expect(messages.contains { $0.contains("missing key `leakage`") }, "\(messages)")
        #expect(messages.contains { $0.contains("recycling_rate` is 1.5, outside 0.0…1.0") }, "\(messages)")
        #expect(messages.contains { $0.contains("unknown key `old_recycling_rate` in resources.waste") }, "\(messages)")
    }
}

extension SampleCity {
    init(economy: EconomyParameters, resources: ResourcesParameters, population: [Double]) {
        self.economy = economy
        self.resources = resources
        self.population = population
    }
}
