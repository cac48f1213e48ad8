public import CityTwinCore

/// What to simulate: a model and a scenario. Pure, `Sendable` data, so it can be sent to worker threads, and varied (`with(parameters:)`) for sweeps and calibration.
public struct SimulationProblem: Sendable {
    public let scenario: ScenarioSpec
    public let model: CityModel
    /// The scenario file and the files it extends, nearest first, with their hashes.
    public let scenarioFiles: [InputFile]

    public init(scenario: ScenarioSpec, model: CityModel, scenarioFiles: [InputFile]) {
        self.scenario = scenario
        self.model = model
        self.scenarioFiles = scenarioFiles
    }

    /// The scenario file itself.
    public var scenarioFile: InputFile { scenarioFiles[0] }

    /// A copy with parameters set from the start (typed overrides, applied after the scenario's own
    /// settings and replacing earlier overrides of the same path). Cheap enough to call thousands of
    /// times in a calibration: nothing is parsed.
    public func with(_ overrides: [ParameterOverride]) -> SimulationProblem {
        var spec = scenario
        let paths = Set(overrides.map(\.path))
        spec.overrides.removeAll { paths.contains($0.path) }
        spec.overrides += overrides
        return SimulationProblem(scenario: spec, model: model, scenarioFiles: scenarioFiles)
    }

    /// A copy with scalar parameters set from the start, by path.
    public func with(parameters values: [String: Double]) -> SimulationProblem {
        with(values.sorted { $0.key < $1.key }.map { ParameterOverride($0.key, $0.value) })
    }

    /// The run's clock: it simulates every year `start…end` inclusive (see ``YearLabel``).
    public var clock: Clock { Clock.covering(firstYear: scenario.startYear, lastYear: scenario.endYear, tick: scenario.tick) }

    /// The modules of the model, in the order given to the scheduler (which orders them by what they
    /// read and write). A scenario may leave parts of the model out (`without: [traffic]`): the rest
    /// runs on its own figures, as if the model had no such section.
    public func makeModules() throws -> [any SimulationModule] {
        try model.makeModules(leaving: Set(scenario.without))
    }

    /// The scenario compiled against the model: catalogs, settings, interventions, alerts.
    public func plan() throws -> ScenarioPlan { try ScenarioPlan(self) }

    /// A single deterministic run (member 0) with every setting and intervention, to the end year.
    public func solve(progress: ((Int, Int) -> Void)? = nil) throws -> Recording {
        var run = try MemberRun(plan: plan(), member: 0, keepsHistory: true)
        while run.simulation.status == .running {
            try run.step()
            progress?(run.simulation.completedTicks, clock.tickCount)
        }
        return run.simulation.recording
    }
}
