import ArgumentParser
import CityTwinCore
import Scenario

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario and its model without running them.",
        discussion: "Exit status 0 when valid; otherwise every problem is listed as file:line: error, and the status is 1. "
            + "Combinations of ramps and triggered interventions that would be refused if they met are listed as file:line: warning."
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    func run() throws {
        let plan = try reportingInputErrors { try ScenarioLoader.loadPlan(scenario) }
        let problem = plan.problem
        // What may fail at run time, depending on when triggers fire (the status stays 0).
        for warning in plan.warnings { StandardError.line(warning) }
        let files = problem.model.inputs.count + 1
        print(
            "\(scenario): valid — scenario `\(problem.scenario.name)`, model `\(problem.model.name)` "
                + "(\(problem.model.zones.count) zones, \(files) files), \(problem.scenario.startYear)–\(problem.scenario.endYear)")
    }
}
