import Calibration
import CityTwinCore
import Foundation
import Scenario

/// Global sensitivity analysis methods a sensitivity file may name.
public enum SensitivityMethod: String, Sendable, CaseIterable {
    /// Sobol' first-order and total indices, Saltelli's design, bootstrap intervals.
    case sobol
    /// Morris elementary effects (μ*, μ, σ).
    case morris
}

/// A sensitivity analysis as its YAML file describes it.
///
/// ```yaml
/// name: sample-city
/// scenario: ../scenarios/baseline-uncertain.yaml   # plus optional end: and without: (``StudyFile``)
/// method: sobol                                    # or morris
/// parameters:                                      # [lower, upper], {lower:, upper:}, or `registry`
///   population.fertility_scale: [0.9, 1.1]
/// indicators: [population.total, water.reserve_days@3]   # variable, or variable@region (zone id)
/// years: [2050]
/// options:
///   base_samples: 256        # Sobol N (N·(d + 2) runs)
///   trajectories: 20         # Morris r (r·(d + 1) runs)
///   levels: 4
///   bootstrap: 500
///   seed: 1991
///   threads: 2
/// ```
///
/// Without `parameters:`, the scenario's uncertain parameters are analysed over their declared (registry)
/// ranges. An output that does not vary over the box (or that a run cannot give) gets NaN indices.
/// Each model run is the scenario's deterministic member 0 with the parameters set from the start
/// (``ModelEvaluator``); all indicators and years come from the same runs.
public struct SensitivityStudy: Sendable {
    public let name: String
    public let file: String
    public let method: SensitivityMethod
    public let evaluator: ModelEvaluator
    /// The outputs analysed: `variable@region year`.
    public let outputs: [String]
    public var baseSamples: Int
    public var trajectories: Int
    public var levels: Int
    public var bootstrap: Int
    public var seed: UInt64
    public var threads: Int

    static let keys = StudyFile.scenarioKeys + ["name", "method", "parameters", "indicators", "years", "options"]
    static let optionKeys = ["base_samples", "trajectories", "levels", "bootstrap", "seed", "threads"]

    public init(
        name: String, file: String, method: SensitivityMethod, evaluator: ModelEvaluator, outputs: [String],
        baseSamples: Int = 256, trajectories: Int = 20, levels: Int = 4, bootstrap: Int = 500, seed: UInt64 = 1991,
        threads: Int = 1
    ) {
        self.name = name
        self.file = file
        self.method = method
        self.evaluator = evaluator
        self.outputs = outputs
        self.baseSamples = baseSamples
        self.trajectories = trajectories
        self.levels = levels
        self.bootstrap = bootstrap
        self.seed = seed
        self.threads = threads
    }

    public static func load(_ path: String) throws -> SensitivityStudy {
        var diagnostics = Diagnostics()
        let reader = InputFiles()
        let yaml = try YAMLMapping.document(text: reader.text(at: path), file: path)
        yaml.rejectUnknownKeys(allowing: keys, &diagnostics)
        let name =
            yaml.string("name", required: false, &diagnostics)
            ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let method = yaml.choice("method", as: SensitivityMethod.self, required: true, &diagnostics)
        let options = StudyFile.options(yaml, allowed: optionKeys, &diagnostics)
        let baseSamples = options?.double("base_samples", in: 8...1_000_000, default: 256, &diagnostics) ?? 256
        let trajectories = options?.double("trajectories", in: 2...100_000, default: 20, &diagnostics) ?? 20
        let levels = options?.double("levels", in: 2...64, default: 4, &diagnostics) ?? 4
        if Int(levels) % 2 != 0 { diagnostics.error(yaml.location(ofKey: "options"), "`options.levels` must be even") }
        let bootstrap = options?.double("bootstrap", in: 0...100_000, default: 500, &diagnostics) ?? 500
        let seed = options?.double("seed", in: 0...1e15, default: 1991, &diagnostics) ?? 1991
        let threads = options?.double("threads", in: 1...1024, default: 1, &diagnostics) ?? 1
        let indicators = yaml.stringList("indicators", &diagnostics) ?? []
        if !yaml.has("indicators") {
            diagnostics.error(SourceLocation(file: path, line: 1), "missing key `indicators`")
        }
        let years = (yaml.stringList("years", &diagnostics) ?? []).compactMap { text -> Double? in
            guard let year = CSVTable.parseNumber(text) else {
                diagnostics.error(yaml.location(yaml.node("years")), "`years` has `\(text)`, not a year")
                return nil
            }
            return year
        }
        if !yaml.has("years") { diagnostics.error(SourceLocation(file: path, line: 1), "missing key `years`") }

        guard let problem = try StudyFile.problem(yaml, &diagnostics) else {
            try diagnostics.throwIfAny()
            preconditionFailure("no scenario and no error")
        }
        let deterministic = ModelEvaluator.deterministic(problem)
        let plan = try deterministic.plan()
        var parameters: [FreeParameter]
        if yaml.has("parameters") {
            parameters = StudyFile.parameters(yaml, catalog: plan.parameters, registryRanges: true, &diagnostics)
        } else {
            parameters = problem.scenario.ensemble.uncertain.compactMap { uncertain in
                guard let index = plan.parameters.index(of: uncertain.path) else { return nil }
                let range = plan.parameters.descriptors[index].range
                return FreeParameter(
                    name: uncertain.path, path: uncertain.path, element: nil, lower: range.lowerBound,
                    upper: range.upperBound, start: nil)
            }
            if parameters.isEmpty {
                diagnostics.error(
                    SourceLocation(file: path, line: 1), "no `parameters`, and the scenario has no uncertain parameters"
                )
            }
        }
        if method == .sobol, 2 * parameters.count > SobolSequence.maximumDimensions {
            diagnostics.error(
                yaml.location(ofKey: "parameters"),
                "the Sobol design supports at most \(SobolSequence.maximumDimensions / 2) parameters; this file has \(parameters.count)",
                hint: "screen them with `method: morris` first")
        }
        // Indicators: `variable` (the city) or `variable@zone`.
        let model = problem.model
        var requests: [(slot: Int, year: Double)] = []
        var outputs: [String] = []
        let location = yaml.location(yaml.node("indicators"))
        for item in indicators {
            let parts = item.split(separator: "@", maxSplits: 1).map(String.init)
            let variable = parts[0]
            let regionName = parts.count > 1 ? parts[1] : model.name
            let region: Region? =
                regionName == model.name ? .city : model.zones.firstIndex { $0.id == regionName }.map(Region.zone)
            guard plan.indicators.hasVariable(variable) else {
                diagnostics.error(
                    location, "unknown indicator `\(variable)`",
                    hint: Suggestion.hint(for: variable, in: plan.indicators.variables))
                continue
            }
            guard let region, let slot = plan.indicators.slot(variable, region) else {
                diagnostics.error(
                    location, "`\(item)`: no such region for `\(variable)`",
                    hint: "write `variable` for the city or `variable@<zone id>`")
                continue
            }
            for year in years {
                guard plan.instant(of: slot, labelled: year) != nil else {
                    diagnostics.error(
                        yaml.location(yaml.node("years")),
                        "year \(ForecastYear.text(year)) is not a year of the run \(deterministic.scenario.startYear)–\(deterministic.scenario.endYear)"
                    )
                    continue
                }
                requests.append((slot, year))
                outputs.append("\(item) \(ForecastYear.text(year))")
            }
        }
        try diagnostics.throwIfAny()
        let evaluator = try ModelEvaluator(problem: problem, parameters: parameters, requests: requests)
        return SensitivityStudy(
            name: name, file: path, method: method!, evaluator: evaluator, outputs: outputs,
            baseSamples: Int(baseSamples), trajectories: Int(trajectories), levels: Int(levels),
            bootstrap: Int(bootstrap), seed: UInt64(seed), threads: Int(threads))
    }

    /// Model runs the analysis takes.
    public var runs: Int {
        let d = evaluator.parameters.count
        return method == .sobol ? baseSamples * (d + 2) : trajectories * (d + 1)
    }

    /// Runs the analysis: every output from the same model runs (each point run once and remembered).
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) -> SensitivityResult {
        let cache = OutputCache()
        let evaluator = self.evaluator
        let total = runs
        let counter = EvaluationCounter()
        let bounds = ParameterBounds(lower: evaluator.parameters.map(\.lower), upper: evaluator.parameters.map(\.upper))
        let started = Date()
        func model(_ k: Int) -> @Sendable ([Double]) -> Double {
            { x in
                cache.outputs(x) {
                    let values = (try? evaluator.evaluate(x)) ?? Array(repeating: .nan, count: evaluator.requests.count)
                    counter.record(0, progress: nil)
                    let done = counter.count
                    if done % 50 == 0 || done == total { progress?(done, total) }
                    return values
                }[k]
            }
        }
        var rows: [SensitivityResult.Row] = []
        var degenerate = Set<Int>()
        if method == .sobol {
            // A first pass runs every design point once (in parallel), with a stand-in output that always
            // varies; then an output that does not vary, or that a run could not give, is reported as
            // undefined instead of being divided by a zero variance.
            var design = SobolSensitivity()
            design.baseSamples = baseSamples
            design.bootstrapResamples = 1
            design.threads = threads
            let everything = model(0)
            _ = design.analyze(
                { x in
                    _ = everything(x)
                    return x[0]
                }, over: bounds)
            for k in outputs.indices {
                let values = cache.allOutputs.map { $0[k] }
                let mean = values.reduce(0, +) / Double(max(values.count, 1))
                if values.contains(where: { !$0.isFinite })
                    || values.allSatisfy({ abs($0 - mean) <= 1e-12 * max(abs(mean), 1) })
                {
                    degenerate.insert(k)
                }
            }
        }
        for (k, output) in outputs.enumerated() {
            if degenerate.contains(k) {
                for parameter in evaluator.parameters {
                    rows.append(
                        .init(
                            output: output, parameter: parameter.name, measures: [("S1", .nan, nil), ("ST", .nan, nil)])
                    )
                }
                continue
            }
            switch method {
            case .sobol:
                var sobol = SobolSensitivity()
                sobol.baseSamples = baseSamples
                sobol.bootstrapResamples = bootstrap
                sobol.bootstrapSeed = seed
                sobol.threads = threads
                let indices = sobol.analyze(model(k), over: bounds)
                for (i, parameter) in evaluator.parameters.enumerated() {
                    rows.append(
                        .init(
                            output: output, parameter: parameter.name,
                            measures: [
                                ("S1", indices.firstOrder[i], indices.firstOrderInterval[i]),
                                ("ST", indices.total[i], indices.totalInterval[i]),
                            ]))
                }
            case .morris:
                var morris = MorrisScreening()
                morris.trajectories = trajectories
                morris.levels = levels
                morris.seed = seed
                morris.threads = threads
                let measures = morris.analyze(model(k), over: bounds)
                for (i, parameter) in evaluator.parameters.enumerated() {
                    rows.append(
                        .init(
                            output: output, parameter: parameter.name,
                            measures: [
                                ("mu_star", measures.meanAbsolute[i], nil), ("mu", measures.mean[i], nil),
                                ("sigma", measures.standardDeviation[i], nil),
                            ]))
                }
            }
        }
        return SensitivityResult(
            study: self, rows: rows, modelRuns: cache.count, seconds: Date().timeIntervalSince(started))
    }
}

/// The indices of a sensitivity analysis, one row per (output, parameter).
public struct SensitivityResult: Sendable {
    public struct Row: Sendable {
        public let output: String
        public let parameter: String
        /// (name, value, bootstrap interval).
        public let measures: [(name: String, value: Double, interval: ClosedRange<Double>?)]

        public func value(_ name: String) -> Double? { measures.first { $0.name == name }?.value }
    }

    public let study: SensitivityStudy
    public let rows: [Row]
    /// Distinct model runs.
    public let modelRuns: Int
    public let seconds: Double

    /// indices.csv: output,parameter,index,value,lower,upper.
    public var csv: String {
        var text = "output,parameter,index,value,lower,upper\n"
        for row in rows {
            for measure in row.measures {
                text +=
                    "\(row.output),\(row.parameter),\(measure.name),\(measure.value),"
                    + "\(measure.interval.map { "\($0.lowerBound),\($0.upperBound)" } ?? ",")\n"
            }
        }
        return text
    }

    /// A page with one bar chart per output.
    public var html: String {
        let study = self.study
        var body =
            "<p>\(study.method.rawValue): \(modelRuns) model runs"
            + (study.method == .sobol
                ? " (N = \(study.baseSamples) base samples, d = \(study.evaluator.parameters.count); intervals: \(study.bootstrap) bootstrap resamples, 95 %)"
                : " (r = \(study.trajectories) trajectories, \(study.levels) levels)")
            + ", \(String(format: "%.1f", seconds)) s.</p>\n"
        body += SVGChart.table(
            ["parameter", "lower", "upper"], study.evaluator.parameters.map { [$0.name, "\($0.lower)", "\($0.upper)"] })
        for output in study.outputs {
            let group = rows.filter { $0.output == output }
            let names = group.first?.measures.map(\.name) ?? []
            let colours = ["#1f77b4", "#ff7f0e", "#2ca02c"]
            let measures = names.prefix(study.method == .sobol ? 2 : 1).enumerated().map { j, name in
                (
                    name: name, colour: colours[j], values: group.map { $0.value(name) ?? 0 },
                    intervals: group.map { row in row.measures.first { $0.name == name }?.interval }
                )
            }
            body += SVGChart.bars(title: output, labels: group.map(\.parameter), measures: Array(measures))
        }
        return SVGChart.page(title: "Sensitivity \(study.name)", body: body)
    }
}
