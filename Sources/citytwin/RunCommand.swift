import ArgumentParser
import CityTwinCore
import Forecast
import LinearAlgebra
import Foundation
import Scenario

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its forecast.",
        discussion: """
            Writes <out>/<scenario name>/forecast.csv (one long table: model, scenario, region, variable, unit, \
            year, statistic, value), manifest.json (provenance) and, when the scenario has alerts, alerts.json. \
            Nothing is written unless the run completes. The output is byte-identical for any --threads.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(name: .long, help: "The folder that receives the run folder.")
    var out: String = "runs"

    @Option(name: .long, help: "Threads for ensemble members (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Also write every member's values (statistic `member N`).")
    var memberOutput = false

    @Flag(name: .long, help: "No progress line.")
    var quiet = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let started = Date()
        let plan = try reportingInputErrors { try ScenarioLoader.loadPlan(scenario) }
        let problem = plan.problem
        let name = problem.scenario.name
        // Everything that could stop the run after its computation is checked before it.
        let destination = URL(fileURLWithPath: out).appendingPathComponent(name)
        let estimate = try RunEstimate(plan: plan, memberOutput: memberOutput)
        try estimate.check(members: plan.members)
        try RunFolderWriter.prepare(destination, expectedBytes: estimate.outputBytes)
        if !quiet, plan.members > 1 {
            StandardError.line("\(name): \(plan.members) members on \(min(threads, plan.members)) threads "
                + "(about \(estimate.memoryBytes / 1_000_000) MB of memory, \(estimate.outputBytes / 1_000_000) MB of output)")
        }
        // An ensemble's parallelism is its members: each member's small BLAS calls stay on its own
        // thread (OpenBLAS's own threads would only wake, spin and yield on matrices this small).
        if plan.members > 1 { BLASInfo.setThreadCount(1) }
        let result = try EnsembleRunner.run(plan, threads: threads, memberOutput: memberOutput) { completed, total in
            if !quiet {
                StandardError.progress("\(name) \(Int(problem.clock.time(after: completed)))", completed: completed, total: total)
            }
        }
        let manifest = RunManifest(problem: problem, startedAt: started, finishedAt: Date(),
                                   forecastRows: result.table.rows.count, threads: threads)
        var files = [("forecast.csv", Data(result.table.csv.utf8)), ("manifest.json", try manifest.json())]
        if !result.alerts.isEmpty { files.append(("alerts.json", try AlertReport.json(result.alerts))) }
        try RunFolderWriter.write(files, to: destination)
        if !quiet {
            for event in result.events { StandardError.line("  \(Int(event.year)): \(event.name) — \(event.action)") }
        }
        for alert in result.alerts { StandardError.line(alert.summary) }
        let statistic = plan.isDeterministic ? "value" : "p50"
        let last = Double(problem.scenario.endYear)
        if let total = result.table.value("population.total", region: problem.model.name, year: last, statistic: statistic) {
            let label = plan.isDeterministic ? "" : " (median of \(plan.members) members)"
            StandardError.line("\(name): population \(Int(total.rounded())) in \(Int(last))\(label); "
                + "wrote \(result.table.rows.count) rows to \(destination.relativePath)/forecast.csv")
        }
    }
}
