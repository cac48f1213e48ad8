import CityTwinCore
import Foundation
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

    @Test("external levers: station counts grow by year and scale by traffic.external_scale; trucks by traffic.truck_share")
    func externalLevers() throws {
        var model = Self.model()
        // Two stations of one road, 10 000 vehicles a day each, half through, growing 2 % a year.
        model.parameters.externalTraffic = try ExternalTraffic(stations: [
            ExternalStation(name: "north", zone: 0, dailyVehicles: 10_000, throughShare: 0.5, annualGrowth: 0.02),
            ExternalStation(name: "south", zone: 12, dailyVehicles: 10_000, throughShare: 0.5, annualGrowth: 0.02),
        ])
        var module = try TrafficModule(model, basePopulation: Self.population, jobs: Self.jobs)
        #expect(module.parameterValues("traffic.external_scale") == [1, 1])
        #expect(module.parameterValues("traffic.truck_share") == [0])
        var simulation = try Simulation(
            clock: Clock(startYear: 2020, endYear: 2022), modules: [GrowingPopulation(base: Self.population), module], seed: 1)
        try simulation.run()
        // The samples: the base year, then the ticks starting 2020 (0 years after the base) and 2021 (1 year after).
        // Every vehicle crossing a station: Σ_s V_s (1.02)^t × 0.0864 = 2 · through + external–internal.
        let external = simulation.recording.series("traffic.external_trips").map(\.value)
        let through = simulation.recording.series("traffic.through_trips").map(\.value)
        for (k, years) in [(0, 0.0), (1, 0.0), (2, 1.0)] {
            let crossing = 2 * 10_000 * pow(1.02, years) * 0.0864
            #expect(abs(external[k] + through[k] - crossing) <= 1e-9 * crossing, "sample \(k)")
        }
        // Doubling the north station and setting 10 % trucks: the levers act from the first tick (the base year keeps
        // the model file's values).
        module.setParameterValues("traffic.external_scale", [2, 1])
        module.setParameterValues("traffic.truck_share", [0.1])
        #expect(module.parameterValues("traffic.external_scale") == [2, 1])
        var scaled = try Simulation(
            clock: Clock(startYear: 2020, endYear: 2021), modules: [GrowingPopulation(base: Self.population), module], seed: 1)
        try scaled.run()
        let external2 = scaled.recording.series("traffic.external_trips").map(\.value)
        let through2 = scaled.recording.series("traffic.through_trips").map(\.value)
        // Through vehicles pair the two stations: 2500 each way at the counts, × √(2 · 1) with the north one doubled (the
        // geometric mean keeps the table balanced); external–internal ones scale with their own station: 10 000 + 5000.
        #expect(abs(through2[1] - 2 * 2500 * 2.0.squareRoot() * 0.0864) <= 1e-9)
        let crossing = (2 * 2 * 2500 * 2.0.squareRoot() + 15_000) * 0.0864
        #expect(abs(external2[1] + through2[1] - crossing) <= 1e-9 * crossing)
        // Trucks: 10 % of the internal vehicles, one per nine resident car trips.
        let trucks = scaled.recording.series("traffic.truck_trips").map(\.value)
        let assigned = scaled.recording.series("traffic.car_trips").map(\.value)
        #expect(trucks[0] == 0)
        #expect(abs(trucks[1] - (assigned[1] - external2[1] - trucks[1]) / 9) <= 1e-9 * trucks[1])
    }
}
