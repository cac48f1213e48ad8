public import CityTwinCore
import Population

extension SimulationProblem {
    /// A problem that runs a model as it is for one tick: for describing its parameters and indicators.
    public static func exploring(_ model: CityModel) -> SimulationProblem {
        let interval = model.population.ages.interval
        let spec = ScenarioSpec(
            name: "describe", description: "", files: [model.directory], modelPath: model.directory,
            startYear: model.baseYear, endYear: model.baseYear + interval, tick: .years(interval), seed: 0,
            parameters: [], interventions: [], ensemble: .single, alerts: [], record: nil)
        return SimulationProblem(scenario: spec, model: model, scenarioFiles: [InputFile(path: model.directory, sha256: "")])
    }
}
