import CityTwinCore
public import Foundation
import Scenario

/// The files a calibration writes into its output folder:
///
/// - `parameters.csv` — estimates with standard errors and 95 % intervals (least squares), or posterior
///   means, standard deviations, medians and credible intervals (ABC-SMC);
/// - `correlation.csv` — the parameters' correlation matrix (Levenberg–Marquardt);
/// - `posterior.csv` — the ABC particles with their weights and distances;
/// - `residuals.csv` — every observation with the fitted value and its weighted residual;
/// - `summary.json` — method, status, iterations, model runs, S, log-likelihood and AIC (when every
///   observation has its sd), R² per series;
/// - `fit.html` — observed (points, ±sd) versus fitted (the model's path over the horizon) per series,
///   inline SVG, opens offline;
/// - `model/` and `calibrated.yaml` — the calibrated model. The model folder is copied unchanged and
///   the calibrated values are a scenario overlay: `calibrated.yaml` extends the calibrated scenario,
///   points `model:` at the copy and sets the fitted values under `parameters:` (settings from the start
///   year, the same mechanism every scenario uses). `citytwin run <out>/calibrated.yaml` runs it; other
///   scenarios can `extends:` it. Model files are never edited: the provenance of every number stays
///   in the model's own sources, and the calibration's in this folder.
public enum CalibrationReport {
    public static func files(_ result: CalibrationResult, destination: URL) throws -> [(name: String, contents: Data)] {
        var files: [(String, Data)] = [
            ("parameters.csv", Data(result.parametersCSV.utf8)),
            ("residuals.csv", Data(result.residualsCSV.utf8)),
            (
                "summary.json",
                try JSONSerialization.data(withJSONObject: result.summary, options: [.prettyPrinted, .sortedKeys])
            ),
            ("fit.html", Data(try fitPage(result).utf8)),
            ("calibrated.yaml", Data(calibratedScenario(result, destination: destination).utf8)),
        ]
        if let correlation = result.correlationCSV { files.append(("correlation.csv", Data(correlation.utf8))) }
        if let posterior = result.posteriorCSV { files.append(("posterior.csv", Data(posterior.utf8))) }
        return files
    }

    /// Writes the folder: the files above and a copy of the model.
    public static func write(_ result: CalibrationResult, to destination: URL) throws {
        let model = URL(fileURLWithPath: result.study.evaluator.problem.scenario.modelPath)
        try StudyFolder.write(files(result, destination: destination), copying: [(model, "model")], to: destination)
    }

    /// The overlay scenario with the calibrated values.
    static func calibratedScenario(_ result: CalibrationResult, destination: URL) -> String {
        let study = result.study
        let scenario = study.evaluator.problem.scenario
        let base = StudyFile.relativePath(of: scenario.file, from: destination.path)
        var text = """
            # Calibrated by `citytwin calibrate \(study.file)` (\(study.method.rawValue), \(result.status)).
            # The model folder beside this file is an unchanged copy; the calibrated values are the settings below.
            name: \(scenario.name)-calibrated
            extends: \(base)
            model: model
            parameters:

            """
        for (parameter, value) in zip(study.evaluator.parameters, result.estimate) {
            text += "  \(parameter.name): \(value)\n"
        }
        return text
    }

    /// Observed versus fitted, one chart per series.
    static func fitPage(_ result: CalibrationResult) throws -> String {
        let study = result.study
        let observations = study.objective.observations
        // The model's path at every instant up to the last observation, for each observed series.
        var seriesOrder: [String] = []
        var slotOf: [String: Int] = [:]
        for observation in observations where slotOf[observation.series] == nil {
            seriesOrder.append(observation.series)
            slotOf[observation.series] = observation.slot
        }
        let plan = try study.evaluator.problem.with(study.evaluator.overrides(result.estimate)).plan()
        let last = observations.map(\.year).max() ?? Double(plan.problem.scenario.endYear)
        let instants = plan.labelledYears.filter { $0 <= last + 1e-6 }
        let requests = seriesOrder.flatMap { series in instants.map { (slot: slotOf[series]!, year: $0) } }
        let path = try ModelEvaluator.run(plan, requests: requests)
        var body =
            "<p>\(SVGChart.escape(study.method.rawValue)) — \(SVGChart.escape(result.status)); \(result.evaluations) model runs; "
            + "S = \(String(format: "%.6g", result.sumOfSquares)) over \(observations.count) observations.</p>\n"
        body += SVGChart.table(
            ["parameter", "estimate", result.posterior == nil ? "standard error" : "posterior sd"],
            zip(study.evaluator.parameters, result.estimate).enumerated().map { i, pair in
                [
                    pair.0.name, String(format: "%.6g", pair.1),
                    result.standardErrors.map { String(format: "%.3g", $0[i]) } ?? "—",
                ]
            })
        let rSquared = Dictionary(
            study.objective.rSquared(model: result.fitted).map { ($0.series, $0.rSquared) },
            uniquingKeysWith: { a, _ in a })
        for (k, series) in seriesOrder.enumerated() {
            let line = instants.enumerated().compactMap { j, year -> (x: Double, y: Double)? in
                let value = path[k * instants.count + j]
                return value.isFinite ? (year, value) : nil
            }
            let points = observations.filter { $0.series == series }.map {
                (x: $0.year, y: $0.value, sd: $0.standardDeviation)
            }
            let r2 = rSquared[series].flatMap { $0 }.map { String(format: " (R² = %.4f)", $0) } ?? ""
            body += SVGChart.lineAndPoints(
                title: series + r2, line: line, points: points, lineLabel: "fitted", pointLabel: "observed")
        }
        return SVGChart.page(title: "Calibration \(study.name)", body: body)
    }
}
