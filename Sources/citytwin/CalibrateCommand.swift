import ArgumentParser
import CityTwinCore
import Forecast
import Foundation
import LinearAlgebra
import Research

struct CalibrateCommand: DistributedCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit model parameters to observed data (Levenberg–Marquardt, Nelder–Mead or ABC-SMC).",
        discussion: """
            Reads a calibration file (scenario, parameters with bounds, observations CSV region,variable,year,value[,sd], \
            method, options) and writes <out>/<name>/: parameters.csv, correlation.csv or posterior.csv, residuals.csv, \
            summary.json, fit.html (observed versus fitted) and the calibrated model (model/ and calibrated.yaml).
            """
    )

    @Argument(help: "The calibration file (YAML).")
    var file: String

    @Option(name: .long, help: "The folder that receives the output folder.")
    var out: String = "calibrations"

    @Option(name: .long, help: "Threads for model runs (overrides options.threads).")
    var threads: Int?

    @Flag(name: .long, help: "No progress lines.")
    var quiet = false

    func run() throws {
        var study = try reportingInputErrors { try CalibrationStudy.load(file) }
        if let threads { study.threads = max(1, threads) }
        let destination = URL(fileURLWithPath: out).appendingPathComponent(study.name)
        try RunFolderWriter.prepare(destination)
        BLASInfo.setThreadCount(1)
        if !quiet {
            StandardError.line(
                "\(study.name): \(study.method.rawValue) on \(study.evaluator.parameters.count) parameters, "
                    + "\(study.objective.observations.count) observations, \(study.threads) threads")
        }
        let quiet = self.quiet
        let evaluation = Cluster.group.map { DistributedEvaluation(group: $0) as any BatchEvaluation }
        let result = try study.run(
            progress: { line in if !quiet { StandardError.line(line) } }, evaluation: evaluation ?? LocalBatchEvaluation())
        try CalibrationReport.write(result, to: destination)
        for (i, parameter) in study.evaluator.parameters.enumerated() {
            let se = result.standardErrors.map { String(format: " ± %.4g", $0[i]) } ?? ""
            StandardError.line("  \(parameter.name) = \(String(format: "%.6g", result.estimate[i]))\(se)")
        }
        StandardError.line(
            "\(study.name): \(result.status); S = \(String(format: "%.6g", result.sumOfSquares)) after "
                + "\(result.evaluations) model runs; wrote \(destination.relativePath)/")
    }
}

extension CalibrateCommand {
    /// A worker rank loads the same study at once and computes the residuals at the points it is dealt.
    func workerHandlers(group: any ProcessGroup) -> [WorkerOrder: ([Int], [Double], String) throws -> Void] {
        let (file, threadsOption) = (self.file, self.threads)
        let model = StudyModel<CalibrationStudy> {
            var study = try CalibrationStudy.load(file)
            if let threadsOption { study.threads = max(1, threadsOption) }
            return study
        }
        return model.evaluationHandlers(group: group, threads: \.threads, model: { study in { study.residuals($0) } })
    }
}
