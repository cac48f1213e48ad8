import ArgumentParser
import Calibration
import CityTwinCore
import Forecast
import Foundation
import LinearAlgebra
import Research
import Scenario

struct AssimilateCommand: ParsableCommand {
    enum Filter: String, ExpressibleByArgument, CaseIterable {
        case stochastic, etkf
    }

    static let configuration = CommandConfiguration(
        commandName: "assimilate",
        abstract: "Run a scenario's ensemble, updating it with observations by an ensemble Kalman filter.",
        discussion: """
            At each observation year the members' uncertain parameters and residents by zone are updated (EnKF with \
            perturbed observations, or ETKF). Writes <out>/<scenario name>-assimilated/: forecast.csv (the analysis \
            forecast: mean, p5 … p95), assimilation.csv (parameters before and after each analysis), manifest.json \
            and end-state.json (the members after the last analysis). --from <run folder> continues such a run (or \
            one of `run`) when the next observations arrive: the scenario starts in the year the saved run ended, \
            and the saved year is not assimilated again.
            """
    )

    @Argument(help: "The scenario file (YAML), with an ensemble and uncertain parameters.")
    var scenario: String

    @Option(name: .long, help: "Observations CSV: region,variable,year,value,sd.")
    var observations: String

    @Option(name: .long, help: "The analysis: stochastic (perturbed observations) or etkf (square root).")
    var filter: Filter = .etkf

    @Option(name: .long, help: "Multiplicative inflation of the analysis anomalies (1 = none).")
    var inflation: Double = 1.0

    @Flag(name: .long, help: "Update only the parameters, not residents by zone.")
    var parametersOnly = false

    @Option(name: .long, help: "Continue from the end state of an earlier run (its run folder, or its end-state.json).")
    var from: String?

    @Option(name: .long, help: "The folder that receives the run folder.")
    var out: String = "runs"

    @Option(name: .long, help: "Threads for ensemble members.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "No progress line.")
    var quiet = false

    func validate() throws {
        guard inflation > 0, inflation.isFinite else { throw ValidationError("--inflation must be positive") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let started = Date()
        let (plan, observed, saved) = try reportingInputErrors {
            let saved = try from.map { try RunEndState.load($0) }
            let plan = try ScenarioLoader.loadPlan(scenario, continuing: saved?.continuationYear)
            try saved?.check(plan)
            let observed = try ObservationSet.load(observations, plan: plan)
            try Assimilation.check(plan: plan, observations: observed)
            return (plan, observed, saved)
        }
        let problem = plan.problem
        let name = "\(problem.scenario.name)-assimilated"
        let destination = URL(fileURLWithPath: out).appendingPathComponent(name)
        try RunFolderWriter.prepare(destination)
        BLASInfo.setThreadCount(1)
        let assimilation = Assimilation(
            plan: plan, observations: observed,
            filter: EnsembleKalmanFilter(method: filter == .etkf ? .squareRoot : .stochastic, inflation: inflation),
            updatesPopulation: !parametersOnly)
        let quiet = self.quiet
        let result = try assimilation.run(threads: threads, from: saved) { completed, total in
            if !quiet {
                StandardError.progress(
                    "\(name) \(Int(problem.clock.time(after: completed)))", completed: completed, total: total)
            }
        }
        let manifest = RunManifest(
            problem: problem, startedAt: started, finishedAt: Date(), forecastRows: result.table.rows.count,
            threads: threads)
        try RunFolderWriter.write(
            [
                ("forecast.csv", Data(result.table.csv.utf8)), ("manifest.json", try manifest.json()),
                ("assimilation.csv", Data(result.csv.utf8)), (RunEndState.fileName, try result.endState.json()),
            ], to: destination)
        for analysis in result.analyses {
            let text = analysis.parameters.map {
                String(
                    format: "%@ %.4g±%.2g → %.4g±%.2g", $0.path, $0.forecastMean, $0.forecastSD, $0.analysisMean,
                    $0.analysisSD)
            }.joined(separator: "; ")
            StandardError.line("  \(Int(analysis.year)): \(analysis.observations) observations; \(text)")
        }
        StandardError.line(
            "\(name): \(result.analyses.count) analyses; wrote \(result.table.rows.count) rows to \(destination.relativePath)/forecast.csv"
        )
    }
}
