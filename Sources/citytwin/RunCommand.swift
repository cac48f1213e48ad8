import ArgumentParser
import CityTwinCore
import Forecast
import Foundation
import Scenario

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its forecast.",
        discussion: """
            Writes <out>/<scenario name>/forecast.csv (one long table: model, scenario, region, variable, unit, \
            year, statistic, value) and manifest.json (provenance). Nothing is written unless the run completes.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(name: .long, help: "The folder that receives the run folder.")
    var out: String = "runs"

    @Flag(name: .long, help: "No progress line.")
    var quiet = false

    func run() throws {
        let started = Date()
        let problem = try reportingInputErrors { try ScenarioLoader.load(scenario) }
        let name = problem.scenario.name
        let recording = try problem.solve { completed, total in
            if !quiet {
                let year = problem.clock.time(after: completed)
                StandardError.progress("\(name) \(Int(year))", completed: completed, total: total)
            }
        }
        let table = ForecastTable(recording: recording, problem: problem)
        let finished = Date()
        let manifest = RunManifest(problem: problem, startedAt: started, finishedAt: finished, forecastRows: table.rows.count)
        let destination = URL(fileURLWithPath: out).appendingPathComponent(name)
        try RunFolderWriter.write(
            [("forecast.csv", Data(table.csv.utf8)), ("manifest.json", try manifest.json())], to: destination)
        if let total = recording.series("population.total").last {
            StandardError.line("\(name): population \(Int(total.value.rounded())) in \(Int(total.time)); "
                + "wrote \(table.rows.count) rows to \(destination.relativePath)/forecast.csv")
        }
    }
}
