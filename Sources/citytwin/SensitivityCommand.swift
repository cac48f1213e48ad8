import ArgumentParser
import CityTwinCore
import Forecast
import Foundation
import LinearAlgebra
import Research

struct SensitivityCommand: DistributedCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Global sensitivity of indicators to parameters (Sobol–Saltelli or Morris).",
        discussion: """
            Reads a sensitivity file (scenario, parameters with ranges, indicators, years, method, options) and writes \
            <out>/<name>/indices.csv (output,parameter,index,value,lower,upper) and indices.html (bar charts with \
            bootstrap intervals).
            """
    )

    @Argument(help: "The sensitivity file (YAML).")
    var file: String

    @Option(name: .long, help: "The folder that receives the output folder.")
    var out: String = "sensitivity-runs"

    @Option(name: .long, help: "Threads for model runs (overrides options.threads).")
    var threads: Int?

    @Flag(name: .long, help: "No progress line.")
    var quiet = false

    func run() throws {
        var study = try reportingInputErrors { try SensitivityStudy.load(file) }
        if let threads { study.threads = max(1, threads) }
        let destination = URL(fileURLWithPath: out).appendingPathComponent(study.name)
        try RunFolderWriter.prepare(destination)
        BLASInfo.setThreadCount(1)
        if !quiet {
            StandardError.line(
                "\(study.name): \(study.method.rawValue), \(study.evaluator.parameters.count) parameters, "
                    + "\(study.outputs.count) outputs, \(study.runs) model runs on \(study.threads) threads")
        }
        let quiet = self.quiet
        let name = study.name
        let evaluation = Cluster.group.map { DistributedEvaluation(group: $0) }
        let result = try study.run(
            progress: { done, total in
                if !quiet, evaluation == nil { StandardError.progress("\(name) runs", completed: done, total: total) }
            }, evaluation: evaluation ?? LocalBatchEvaluation())
        try StudyFolder.write(
            [("indices.csv", Data(result.csv.utf8)), ("indices.html", Data(result.html.utf8))], to: destination)
        for row in result.rows {
            let text = row.measures.map { m in
                String(format: "%@ %.3f", m.name, m.value)
                    + (m.interval.map { String(format: " [%.3f, %.3f]", $0.lowerBound, $0.upperBound) } ?? "")
            }.joined(separator: "  ")
            StandardError.line("  \(row.output)  \(row.parameter): \(text)")
        }
        if let balance = evaluation?.balance { StandardError.line("\(name): \(balance.summary)") }
        StandardError.line(
            "\(name): \(result.modelRuns) model runs in \(String(format: "%.1f", result.seconds)) s "
                + "(\(String(format: "%.1f", Double(result.modelRuns) / max(result.seconds, 1e-9))) runs/s); wrote \(destination.relativePath)/"
        )
    }
}

extension SensitivityCommand {
    /// A worker rank loads the same study at once and runs the points it is dealt.
    func workerHandlers(group: any ProcessGroup) -> [WorkerOrder: ([Int], [Double], String) throws -> Void] {
        let (file, threadsOption) = (self.file, self.threads)
        let model = StudyModel<SensitivityStudy> {
            var study = try SensitivityStudy.load(file)
            if let threadsOption { study.threads = max(1, threadsOption) }
            return study
        }
        return model.evaluationHandlers(group: group, threads: \.threads, model: { SensitivityStudy.outputs($0.evaluator) })
    }
}
