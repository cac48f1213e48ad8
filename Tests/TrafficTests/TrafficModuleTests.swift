import CityTwinCore
import LinearAlgebra
import Testing
import Traffic

/// A population source for the test: 24 zones growing 3 % a year, written to `population.by_zone`.
struct GrowingPopulation: SimulationModule {
    let name = "population"
    let base: [Double]
    var reads: Set<FieldKey> { [] }
    var writes: Set<FieldKey> { ["population.by_zone"] }
    func initialize(_ state: inout CityState) throws {
        state.add(
            "population.by_zone",
            Field(
                rows: .one, columns: Dimension("zone", base.count), unit: "persons",
                values: Matrix(rows: 1, columns: base.count, columnMajor: base)))
    }
    mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        state.modify("population.by_zone") { $0.scale(by: 1.03) }
    }
    var indicatorDescriptors: [IndicatorDescriptor] { [] }
    func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] { [] }
}

/// An economy stand-in: jobs by zone, constant, in the economy's shared field.
struct FixedJobs: SimulationModule {
    let name = "economy"
    let jobs: [Double]
    var reads: Set<FieldKey> { [] }
    var writes: Set<FieldKey> { [SharedFields.jobsByZone] }
    func initialize(_ state: inout CityState) throws {
        state.add(
            SharedFields.jobsByZone,
            Field(
                rows: .one, columns: Dimension("zone", jobs.count), unit: "jobs",
                values: Matrix(rows: 1, columns: jobs.count, columnMajor: jobs)))
    }
    mutating func step(_ state: inout CityState, context: inout TickContext) throws {}
    var indicatorDescriptors: [IndicatorDescriptor] { [] }
    func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] { [] }
}

@Suite("Traffic module on the engine's clock")
struct TrafficModuleTests {
    static let population = (0..<24).map { 4000 + 300 * Double($0 % 5) }
    static let jobs = (0..<24).map { 2000 + 500 * Double($0 % 3) }

    static func model(_ levers: TrafficLevers = TrafficLevers()) -> TrafficModel {
        var parameters = DemandTests.sampleParameters()
        parameters.assignment.relativeGap = 1e-5
        return TrafficModel(
            network: DemandTests.units.converted(SiouxFalls.netFile), parameters: parameters,
            candidateLinks: [Link(from: 1, to: 24, capacity: 20000, length: 8, freeFlowTime: 8)], levers: levers)
    }

    @Test("the base year's car trips follow the trip rates; growth raises VHT every year; indicators are recorded in real units")
    func run() throws {
        let module = try TrafficModule(Self.model(), basePopulation: Self.population, jobs: Self.jobs)
        var simulation = try Simulation(
            clock: Clock(startYear: 2020, endYear: 2023), modules: [GrowingPopulation(base: Self.population), module],
            seed: 1)
        let residents = Self.population.reduce(0, +)
        let expected = 3.37 * residents * 0.82 * 0.0864 / 1.62
        #expect(abs(simulation.state[TrafficFields.carDemand].sum - expected) <= 1e-8 * expected)
        try simulation.run()
        let vht = simulation.recording.series("traffic.vht").map(\.value)
        #expect(vht.count == 4)
        for (a, b) in zip(vht, vht.dropFirst()) { #expect(b > a, "VHT \(vht)") }
        // Population grows 3 % a year; car trips by about as much (the car share moves only with the skims).
        let trips = simulation.recording.series("traffic.car_trips").map(\.value)
        #expect(abs(trips[0] - expected) <= 1e-8 * expected)
        for (a, b) in zip(trips, trips.dropFirst()) { #expect(b > 1.02 * a && b < 1.04 * a, "car trips \(trips)") }
        // Annual figures are peak-hour figures × 365 / 0.0864; the mean trip time is 60 · VHT / trips.
        let annual = Self.model().parameters.peakHourToAnnual
        let time = simulation.recording.series("traffic.mean_trip_time").map(\.value)
        for k in 0..<4 { #expect(abs(time[k] - 60 * vht[k] / (annual * trips[k])) <= 1e-9 * time[k]) }
        #expect(simulation.state[TrafficFields.vkt].sum == simulation.recording.series("traffic.vkt").last!.value)
        // The MSA skim update of the last loop is small: the feedback has settled (4 loops).
        #expect(simulation.state[TrafficFields.summary].storage[7] < 0.05)
        #expect(simulation.recording.series("traffic.job_accessibility", region: .zone(0)).count == 4)
        #expect(simulation.recording.series("traffic.job_accessibility_time", region: .zone(0)).count == 4)
        #expect(simulation.recording.series("traffic.link_volume[1-2]").count == 4)
        for gap in simulation.recording.series("traffic.relative_gap").map(\.value) { #expect(gap <= 1e-5) }
        for flag in simulation.recording.series("traffic.converged").map(\.value) { #expect(flag == 1) }
    }

    @Test("one jobs source in every year: with an economy, the base year counts the economy's jobs, not the zone table's")
    func economyJobsInTheBaseYear() throws {
        // The economy's jobs are ten times the zone table's: every zone's own jobs count in its accessibility.
        let economyJobs = Self.jobs.map { 10 * $0 }
        let module = try TrafficModule(
            Self.model(), basePopulation: Self.population, jobs: Self.jobs, jobsField: SharedFields.jobsByZone)
        let simulation = try Simulation(
            clock: Clock(startYear: 2020, endYear: 2021),
            modules: [GrowingPopulation(base: Self.population), FixedJobs(jobs: economyJobs), module], seed: 1)
        let tableTotal = Self.jobs.reduce(0, +)
        for zone in 0..<24 {
            let reachable = simulation.state[TrafficFields.jobAccessibilityByTime].storage[zone]
            #expect(reachable >= economyJobs[zone])
            #expect(reachable > tableTotal, "zone \(zone + 1): \(reachable) jobs reachable")
        }
    }

    @Test("a non-converged assignment is recorded: converged = 0 and its gap above the target")
    func nonConvergence() throws {
        var model = Self.model()
        // One Frank–Wolfe step cannot reach 1e-12 (Algorithm B reaches machine precision on this light demand).
        model.parameters.assignment.algorithm = .frankWolfe
        model.parameters.assignment.maxIterations = 1
        model.parameters.assignment.relativeGap = 1e-12
        let module = try TrafficModule(model, basePopulation: Self.population, jobs: Self.jobs)
        var simulation = try Simulation(
            clock: Clock(startYear: 2020, endYear: 2021), modules: [GrowingPopulation(base: Self.population), module],
            seed: 1)
        try simulation.run()
        let converged = simulation.recording.series("traffic.converged").map(\.value)
        #expect(converged == Array(repeating: 0, count: converged.count) && !converged.isEmpty)
        for gap in simulation.recording.series("traffic.relative_gap").map(\.value) { #expect(gap > 1e-12) }
    }

    @Test("closing every link out of zone 1 is refused, naming the zones; closing one of them is not")
    func disconnection() throws {
        let module = try TrafficModule(Self.model(), basePopulation: Self.population, jobs: Self.jobs)
        let model = Self.model()
        var open = module.parameterValues("traffic.link_open")
        open[try #require(model.linkIndex(from: 1, to: 2))] = 0
        #expect(module.problem(withValues: ["traffic.link_open": open]) == nil)
        open[try #require(model.linkIndex(from: 1, to: 3))] = 0
        let message = try #require(module.problem(withValues: ["traffic.link_open": open]))
        #expect(message.contains("zone 1 cannot reach zone 2"), "\(message)")
    }

    @Test("levers: a closed link carries nothing, a toll diverts traffic, a new link is used")
    func levers() throws {
        let base = try TrafficModule(Self.model(), basePopulation: Self.population, jobs: Self.jobs)
        let volume = { (m: TrafficModule, from: Int, to: Int) -> Double in
            var state = CityState()
            try m.initialize(&state)
            let index = m.model.network.links.firstIndex { $0.from == from && $0.to == to }!
            return state[TrafficFields.linkVolume].storage[index]
        }
        let before = try volume(base, 10, 15)
        var tolled = TrafficLevers()
        tolled.tolls[Self.model().linkIndex(from: 10, to: 15)!] = 5
        let withToll = try TrafficModule(Self.model(tolled), basePopulation: Self.population, jobs: Self.jobs)
        #expect(try volume(withToll, 10, 15) < before * 0.95)
        var closed = TrafficLevers()
        closed.closedLinks.insert(Self.model().linkIndex(from: 10, to: 15)!)
        let withClosure = try TrafficModule(Self.model(closed), basePopulation: Self.population, jobs: Self.jobs)
        #expect(withClosure.model.network.linkCount == 75)
        #expect(!withClosure.model.network.links.contains { $0.from == 10 && $0.to == 15 })
        var opened = TrafficLevers()
        opened.openedCandidates.insert(0)
        let withBridge = try TrafficModule(Self.model(opened), basePopulation: Self.population, jobs: Self.jobs)
        #expect(try volume(withBridge, 1, 24) > 0)
    }
}
