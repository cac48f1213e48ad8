import ArgumentParser
import CityTwinCore
import Forecast
import Foundation
import LinearAlgebra
import Scenario

struct RunCommand: DistributedCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its forecast.",
        discussion: """
            Archives the run in <out>/archive.sqlite and writes <out>/<scenario name>/forecast.csv (one long table: \
            model, scenario, region, variable, unit, year, statistic, value), manifest.json (provenance, run id), \
            alerts.json when the scenario has alerts and events.csv when interventions acted. Nothing is written \
            unless the run completes. The output is byte-identical for any --threads. A scenario whose inputs \
            (resolved scenario, model files, engine version, seed) are already archived is reused, not re-run. \
            Every run folder holds end-state.json (each member's end state); --from <run folder> continues it: the \
            scenario then starts in the year the saved run ended (same model files, seed, members, uncertain \
            parameters and interventions), and the forecast rows equal those of one uninterrupted run.
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

    @Option(name: .customLong("archive"), help: "The run archive (default: <out>/archive.sqlite).")
    var archivePath: String?

    @Option(name: .long, help: "Continue from the end state of an earlier run (its run folder, or its end-state.json).")
    var from: String?

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let (plan, saved) = try reportingInputErrors {
            let saved = try from.map { try RunEndState.load($0) }
            let plan = try ScenarioLoader.loadPlan(scenario, continuing: saved?.continuationYear)
            try saved?.check(plan)
            return (plan, saved)
        }
        let problem = plan.problem
        for warning in plan.warnings { StandardError.line(warning) }
        let name = problem.scenario.name
        // Everything that could stop the run after its computation is checked before it.
        let destination = URL(fileURLWithPath: out).appendingPathComponent(name)
        let estimate = try RunEstimate(plan: plan, memberOutput: memberOutput)
        try estimate.check(members: plan.members)
        try RunFolderWriter.prepare(destination, expectedBytes: estimate.outputBytes)
        let archive = try RunArchive(path: archivePath ?? RunArchive.defaultPath(out: out))
        let ranks = Cluster.group.map { " on each of \($0.size) ranks" } ?? ""
        if !quiet, plan.members > 1 {
            StandardError.line(
                "\(name): \(plan.members) members on \(min(threads, plan.members)) threads\(ranks) "
                    + "(about \(estimate.memoryBytes / 1_000_000) MB of memory, \(estimate.outputBytes / 1_000_000) MB of output)")
        }
        // An ensemble's parallelism is its members: each member's small BLAS calls stay on its own
        // thread (OpenBLAS's own threads would only wake, spin and yield on matrices this small).
        if plan.members > 1 { BLASInfo.setThreadCount(1) }
        let quiet = self.quiet
        let outcome = try ArchivedRun.run(
            plan, archive: archive, out: out, threads: threads, memberOutput: memberOutput, from: saved,
            execution: Cluster.group.map { DistributedEnsemble(group: $0) as any EnsembleExecution } ?? LocalEnsemble(),
            progress: { completed, total in
                if !quiet {
                    StandardError.progress("\(name) \(Int(problem.clock.time(after: completed)))", completed: completed, total: total)
                }
            },
            archiveProgress: { written, total in
                if !quiet, total >= 20_000 { StandardError.progress("archiving \(name)", completed: written, total: total) }
            })
        if outcome.reused {
            StandardError.line(
                "\(name): run \(outcome.id) (version \(outcome.version)) is already in \(archive.path) — same scenario, "
                    + "model files, engine and seed, so it is reused, not re-run; folder \(outcome.folder.relativePath)")
            return
        }
        if !outcome.earlier.isEmpty {
            StandardError.line(
                "\(name): inputs changed, so this is version \(outcome.version) (run \(outcome.id)); earlier versions kept: "
                    + outcome.earlier.map { "v\($0.version) \($0.id)" }.joined(separator: ", ")
                    + (outcome.keptFolder.map { "; the previous folder is now \($0.relativePath)" } ?? ""))
        }
        guard let result = outcome.result else { return }
        if !quiet, plan.isDeterministic {
            for event in result.events { StandardError.line("  \(Int(event.year)): \(event.intervention) — \(event.action)") }
        }
        for trigger in result.triggers { StandardError.line(trigger.summary) }
        for alert in result.alerts { StandardError.line(alert.summary) }
        for warning in ConvergenceWarnings.messages(result.table) { StandardError.line("\(name): warning: \(warning)") }
        if let balance = result.balance { StandardError.line("\(name): \(balance.summary)") }
        let statistic = plan.isDeterministic ? "value" : "p50"
        let last = Double(problem.scenario.endYear)
        if let total = result.table.value("population.total", region: problem.model.name, year: last, statistic: statistic) {
            let label = plan.isDeterministic ? "" : " (median of \(plan.members) members)"
            StandardError.line(
                "\(name): population \(String(format: "%.0f", total)) in \(Int(last))\(label); "
                    + "wrote \(result.table.rows.count) rows to \(outcome.folder.relativePath)/forecast.csv; run \(outcome.id) archived")
        }
    }
}

extension RunCommand {
    /// A worker rank makes the same plan as the root and runs the members it is dealt.
    func workerHandlers(group: any ProcessGroup) -> [WorkerOrder: ([Int], [Double], String) throws -> Void] {
        // Made at once, while rank 0 makes its own, so that every rank is ready when the dealing starts.
        let plan = Result { try ScenarioLoader.loadPlan(scenario) }
        let threads = self.threads
        return [
            .ensemble: { _, _, _ in
                BLASInfo.setThreadCount(1)
                try DistributedEnsemble.work(group: group, threads: threads) { try plan.get() }
            }
        ]
    }
}
