import ArgumentParser
import CityTwinCore
import Scenario

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print a model's coupling graph (Markdown with a Mermaid chart), generated from its modules' declarations."
    )

    @Argument(help: "The model folder (or its model.yaml).")
    var model: String

    func run() throws {
        let problem = try reportingInputErrors { SimulationProblem.exploring(try CityModelLoader.load(model)) }
        print(try CouplingGraph(problem.makeModules()).markdown(title: "Coupling graph: \(problem.model.name)"), terminator: "")
    }
}
