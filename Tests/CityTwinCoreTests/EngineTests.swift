import CityTwinCore
import LinearAlgebra
import Testing

/// A module that grows a stock by a fixed share each tick, with optional noise and substeps.
struct GrowthModule: SimulationModule {
    let name: String
    let stock: FieldKey
    let rate: Double
    var noise = 0.0
    var substeps = 1
    var reads: Set<FieldKey> { [stock] }
    var writes: Set<FieldKey> { [stock] }

    func initialize(_ state: inout CityState) throws {
        state.add(stock, Field(rows: .one, columns: .one, unit: "units", values: Matrix([[100]])))
    }

    mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let shock = noise == 0 ? 0 : noise * context.random.standardNormal()
        state.modify(stock) { $0[0, 0] *= 1 + rate * context.length + shock }
    }

    var indicatorDescriptors: [IndicatorDescriptor] {
        [IndicatorDescriptor("\(name).stock", unit: "units", .stock, description: "the stock")]
    }
    func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] {
        [IndicatorSample("\(name).stock", unit: "units", value: state[stock][0, 0])]
    }
}

/// A module that copies one field into another (to test ordering and lags).
struct CopyModule: SimulationModule {
    let name: String
    let from: FieldKey
    let to: FieldKey
    var reads: Set<FieldKey> { [from] }
    var writes: Set<FieldKey> { [to] }

    func initialize(_ state: inout CityState) throws {
        state.add(to, Field(rows: .one, columns: .one, unit: "units"))
    }

    mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        state[to] = state[from]
    }

    var indicatorDescriptors: [IndicatorDescriptor] { [] }
    func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] { [] }
}

@Suite("Simulation engine")
struct EngineTests {
    let clock = Clock(startYear: 2020, endYear: 2030)

    @Test func clockCountsTicks() {
        #expect(clock.tickCount == 10)
        #expect(Clock(startYear: 2020, endYear: 2021, tick: .months(1)).tickCount == 12)
        #expect(Clock(startYear: 2020, endYear: 2021, tick: .months(1)).time(after: 6) == 2020.5)
        #expect(!Clock.isWholeNumberOfTicks(startYear: 2020, endYear: 2023, tick: .years(2)))
    }

    @Test func stepByStepEqualsSolve() throws {
        let modules: [any SimulationModule] = [GrowthModule(name: "a", stock: "a.stock", rate: 0.1, noise: 0.02)]
        var simulation = try Simulation(clock: clock, modules: modules, seed: 9)
        var ticks = 0
        while case .running = try simulation.step() { ticks += 1 }
        #expect(ticks + 1 == clock.tickCount)
        let solved = try Simulation.solve(clock: clock, modules: modules, seed: 9)
        #expect(simulation.recording == solved)
        #expect(solved.observations.count == 11)
        #expect(throws: SimulationError.alreadyFinished) { try simulation.step() }
    }

    @Test func sameSeedSameRunOtherSeedOtherRun() throws {
        let modules: [any SimulationModule] = [GrowthModule(name: "a", stock: "a.stock", rate: 0.1, noise: 0.05)]
        let first = try Simulation.solve(clock: clock, modules: modules, seed: 1)
        #expect(first == (try Simulation.solve(clock: clock, modules: modules, seed: 1)))
        #expect(first != (try Simulation.solve(clock: clock, modules: modules, seed: 2)))
    }

    @Test func substepsCompoundWithinTheTick() throws {
        // 10 % a year in 12 monthly substeps: 100·(1 + 0.1/12)^12 after one year.
        let module = GrowthModule(name: "a", stock: "a.stock", rate: 0.1, substeps: 12)
        let recording = try Simulation.solve(clock: Clock(startYear: 2020, endYear: 2021), modules: [module], seed: 0)
        let expected = 100 * Double.pow(1 + 0.1 / 12, 12)
        #expect(abs(recording.series("a.stock").last!.value - expected) < 1e-10)
    }

    @Test func modulesRunInDependencyOrder() throws {
        // Given reader first, the schedule still runs the writer first: no lag.
        let modules: [any SimulationModule] = [
            CopyModule(name: "reader", from: "w.stock", to: "r.copy"),
            GrowthModule(name: "w", stock: "w.stock", rate: 1),
        ]
        let schedule = try ModuleSchedule(modules)
        #expect(schedule.order == [1, 0])
        #expect(schedule.laggedReads.isEmpty)
        var simulation = try Simulation(clock: clock, modules: modules, seed: 0)
        try simulation.step()
        #expect(simulation.state["r.copy"][0, 0] == 200)
    }

    @Test func cycleIsBrokenByAOneTickLag() throws {
        let modules: [any SimulationModule] = [
            CopyModule(name: "x", from: "y.value", to: "x.value"),
            CopyModule(name: "y", from: "x.value", to: "y.value"),
        ]
        let schedule = try ModuleSchedule(modules)
        #expect(schedule.order == [0, 1])
        #expect(schedule.laggedReads == [.init(reader: "x", field: "y.value", writer: "y")])
    }

    @Test func twoWritersOfOneFieldAreRejected() {
        let modules: [any SimulationModule] = [
            GrowthModule(name: "a", stock: "s", rate: 0), GrowthModule(name: "b", stock: "s", rate: 0),
        ]
        #expect(throws: SimulationError.conflictingWriters(field: "s", first: "a", second: "b")) {
            try ModuleSchedule(modules)
        }
    }

    @Test func readOfAFieldNobodyWritesIsRejected() {
        let modules: [any SimulationModule] = [CopyModule(name: "r", from: "missing.field", to: "r.copy")]
        #expect(throws: SimulationError.missingInput(module: "r", field: "missing.field")) {
            try Simulation(clock: clock, modules: modules, seed: 0)
        }
    }
}

@Suite("Keyed random streams")
struct RandomStreamTests {
    @Test func streamsDependOnlyOnTheirKey() {
        var a = RandomStream(seed: 7, member: 3, module: "water", tick: 5)
        var b = RandomStream(seed: 7, member: 3, module: "water", tick: 5)
        let drawsA = (0..<100).map { _ in a.next() }
        #expect(drawsA == (0..<100).map { _ in b.next() })
        for other in [
            RandomStream(seed: 8, member: 3, module: "water", tick: 5),
            RandomStream(seed: 7, member: 4, module: "water", tick: 5),
            RandomStream(seed: 7, member: 3, module: "traffic", tick: 5),
            RandomStream(seed: 7, member: 3, module: "water", tick: 6),
        ] {
            var o = other
            #expect((0..<100).map { _ in o.next() } != drawsA)
        }
    }

    @Test func normalDrawsHaveUnitMomentsAndStableValues() {
        var r = RandomStream(seed: 1, member: 0, module: "test", tick: 0)
        let n = 200_000
        let x = (0..<n).map { _ in r.standardNormal() }
        let mean = x.reduce(0, +) / Double(n)
        let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        // Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance; 5 SE bounds.
        #expect(abs(mean) < 0.011)
        #expect(abs(variance - 1) < 0.016)
        let u = (0..<n).map { _ in r.uniform() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
    }
}

extension Double {
    static func pow(_ x: Double, _ n: Int) -> Double { (0..<n).reduce(1) { r, _ in r * x } }
}

@Suite("Module schedule")
struct ScheduleTests {
    @Test func onlyModulesOnACycleAreLagged() throws {
        // "downstream" (given first) reads the cycle's output; the cycle is x ⇄ y. Breaking the cycle must
        // lag x, not downstream, which simply runs after both.
        let modules: [any SimulationModule] = [
            CopyModule(name: "downstream", from: "y.value", to: "d.value"),
            CopyModule(name: "x", from: "y.value", to: "x.value"),
            CopyModule(name: "y", from: "x.value", to: "y.value"),
        ]
        let schedule = try ModuleSchedule(modules)
        #expect(schedule.order == [1, 2, 0])
        #expect(schedule.laggedReads == [.init(reader: "x", field: "y.value", writer: "y")])
    }
}
