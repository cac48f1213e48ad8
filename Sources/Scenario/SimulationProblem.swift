public import CityTwinCore
public import Population

/// What to simulate: a model and a scenario, with the overrides applied. Pure data.
///
/// Two problems are equal when their inputs are; `provenance` hashes name them in a run's manifest.
public struct SimulationProblem: Sendable, Hashable {
    public let scenario: ScenarioSpec
    /// The model with the scenario's parameter overrides applied.
    public let model: CityModel
    /// The model as loaded, before overrides.
    public let baseModel: CityModel
    public let scenarioFile: InputFile

    public init(scenario: ScenarioSpec, model: CityModel, scenarioFile: InputFile) {
        self.scenario = scenario
        self.baseModel = model
        var applied = model
        for override in scenario.overrides {
            ParameterRegistry.definition(override.path)!.write(&applied, override.value)
        }
        self.model = applied
        self.scenarioFile = scenarioFile
    }

    /// A copy with different parameter values (for sweeps and calibration), by registry path.
    public func with(parameters values: [String: Double]) -> SimulationProblem {
        var spec = scenario
        spec.overrides.removeAll { values[$0.path] != nil }
        for (path, value) in values.sorted(by: { $0.key < $1.key }) {
            precondition(ParameterRegistry.definition(path) != nil, "unknown parameter \(path)")
            spec.overrides.append(ParameterOverride(path: path, value: value, location: SourceLocation(file: "<with>")))
        }
        return SimulationProblem(scenario: spec, model: baseModel, scenarioFile: scenarioFile)
    }

    public var clock: Clock { Clock(startYear: scenario.startYear, endYear: scenario.endYear, tick: scenario.tick) }

    /// The modules of the model, in the order given to the scheduler.
    public func makeModules() -> [any SimulationModule] {
        [PopulationModule(model.population, baseYear: model.baseYear)]
    }

    /// A simulation of this problem, set up at the start year.
    public func makeSimulation(member: Int = 0) throws -> Simulation {
        try Simulation(clock: clock, modules: makeModules(), seed: scenario.seed, member: member)
    }

    /// Runs the problem to the end year.
    public func solve(progress: ((Int, Int) -> Void)? = nil) throws -> Recording {
        var simulation = try makeSimulation()
        try simulation.run(progress: progress)
        return simulation.recording
    }
}
