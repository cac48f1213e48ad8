public import Calibration
import CityTwinCore
import Foundation
import LinearAlgebra
import Scenario

/// The fitting methods a calibration file may name.
public enum CalibrationMethod: String, Sendable, CaseIterable {
    case levenbergMarquardt = "levenberg-marquardt"
    case nelderMead = "nelder-mead"
    case abcSMC = "abc-smc"
}

/// A calibration as its YAML file describes it: the scenario, the free parameters with their boxes, the
/// observations, the objective and the method.
///
/// ```yaml
/// name: fertility-fit                    # names the output folder (default: the file's name)
/// scenario: ../scenarios/baseline.yaml   # plus optional end: and without: (``StudyFile``)
/// observations: observed.csv             # region,variable,year,value[,sd]
/// method: levenberg-marquardt            # nelder-mead | abc-smc
/// objective: least-squares               # or likelihood (every observation then needs its sd)
/// log: [population.total]                # series fitted on the log scale (variable or variable@region)
/// parameters:                            # a registry path, or one element: path[dimension name]
///   population.fertility_scale: {lower: 0.5, upper: 1.5, start: 1.0}
///   population.net_migration_scale: [0.0, 2.0]
/// options:
///   threads: 2                           # model runs in parallel (results do not depend on it)
///   max_iterations: 100                  # Levenberg–Marquardt iterations; Nelder–Mead evaluations
///   particles: 200                       # ABC-SMC
///   generations: 6
///   seed: 2009
///   level: 0.9                           # ABC credible intervals
/// ```
///
/// The bounds are the box a least-squares method stays in and, for ABC-SMC, the uniform prior (the only
/// prior the ABC sampler supports).
public struct CalibrationStudy: Sendable {
    public let name: String
    public let file: String
    public let method: CalibrationMethod
    public let objective: Objective
    public let evaluator: ModelEvaluator
    public let observations: ObservationSet
    public var threads: Int
    public var maximumIterations: Int
    public var particles: Int
    public var generations: Int
    public var seed: UInt64
    public var level: Double
    /// The scenario's own files (for the calibrated scenario's `extends:`).
    public var scenarioFile: String { evaluator.problem.scenario.file }

    static let keys =
        StudyFile.scenarioKeys + ["name", "observations", "method", "objective", "log", "parameters", "options"]
    static let optionKeys = ["threads", "max_iterations", "particles", "generations", "seed", "level"]

    public init(
        name: String, file: String, method: CalibrationMethod, objective: Objective, evaluator: ModelEvaluator,
        observations: ObservationSet, threads: Int = 1, maximumIterations: Int = 100, particles: Int = 200,
        generations: Int = 6, seed: UInt64 = 2009, level: Double = 0.9
    ) {
        self.name = name
        self.file = file
        self.method = method
        self.objective = objective
        self.evaluator = evaluator
        self.observations = observations
        self.threads = threads
        self.maximumIterations = maximumIterations
        self.particles = particles
        self.generations = generations
        self.seed = seed
        self.level = level
    }

    /// Reads a calibration file strictly: unknown keys (with "did you mean"), unknown parameters,
    /// indicators and regions, and bad values are all reported at once with their lines.
    public static func load(_ path: String) throws -> CalibrationStudy {
        var diagnostics = Diagnostics()
        let reader = InputFiles()
        let yaml = try YAMLMapping.document(text: reader.text(at: path), file: path)
        yaml.rejectUnknownKeys(allowing: keys, &diagnostics)
        let name =
            yaml.string("name", required: false, &diagnostics)
            ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let method = yaml.choice("method", as: CalibrationMethod.self, required: true, &diagnostics)
        let kind = yaml.choice("objective", as: ObjectiveKind.self, &diagnostics) ?? .leastSquares
        let logSeries = yaml.stringList("log", &diagnostics) ?? []
        let options = StudyFile.options(yaml, allowed: optionKeys, &diagnostics)
        let threads = options?.double("threads", in: 1...1024, default: 1, &diagnostics) ?? 1
        let iterations = options?.double("max_iterations", in: 1...1_000_000, default: 100, &diagnostics) ?? 100
        let particles = options?.double("particles", in: 4...1_000_000, default: 200, &diagnostics) ?? 200
        let generations = options?.double("generations", in: 1...100, default: 6, &diagnostics) ?? 6
        let seed = options?.double("seed", in: 0...1e15, default: 2009, &diagnostics) ?? 2009
        let level = options?.double("level", in: 0.5...0.999, default: 0.9, &diagnostics) ?? 0.9
        let observationsPath = yaml.string("observations", &diagnostics)

        let problem = try StudyFile.problem(yaml, &diagnostics)
        guard let problem else {
            try diagnostics.throwIfAny()
            preconditionFailure("no scenario and no error")
        }
        let plan = try ModelEvaluator.deterministic(problem).plan()
        let parameters = StudyFile.parameters(yaml, catalog: plan.parameters, registryRanges: false, &diagnostics)
        var observations: ObservationSet?
        if let observationsPath {
            let resolved = resolve(observationsPath, relativeTo: directory(of: path))
            observations = diagnostics.collect(at: yaml.location(yaml.node("observations"))) {
                try ObservationSet.load(
                    resolved, plan: plan, reader: reader, referencedFrom: yaml.location(yaml.node("observations")))
            }
        }
        if let observations {
            for series in logSeries
            where !observations.observations.contains(where: { $0.variable == series || $0.series == series }) {
                diagnostics.error(
                    yaml.location(yaml.node("log")), "`log` names `\(series)`, which is not observed",
                    hint: Suggestion.hint(
                        for: series, in: observations.series + observations.observations.map(\.variable)))
            }
            let logged = Set(logSeries)
            for observation in observations.observations
            where logged.contains(observation.variable) || logged.contains(observation.series) {
                if observation.value <= 0 {
                    diagnostics.error(
                        observation.location,
                        "`\(observation.series)` is fitted on the log scale, so its values must be positive")
                }
            }
            if kind == .likelihood,
                let missing = observations.observations.first(where: { $0.standardDeviation == nil })
            {
                diagnostics.error(
                    missing.location, "the likelihood needs every observation's `sd`; this one has none",
                    hint: "give `sd`, or use `objective: least-squares`")
            }
            if observations.observations.count <= parameters.count, method != .abcSMC {
                diagnostics.error(
                    yaml.location(yaml.node("observations")),
                    "\(observations.observations.count) observations cannot fit \(parameters.count) parameters")
            }
        }
        try diagnostics.throwIfAny()
        guard let method, let observations else { preconditionFailure("checked above") }
        let requests = observations.observations.map { (slot: $0.slot, year: $0.year) }
        let evaluator = try ModelEvaluator(problem: problem, parameters: parameters, requests: requests)
        return CalibrationStudy(
            name: name, file: path, method: method,
            objective: Objective(observations: observations.observations, logSeries: Set(logSeries), kind: kind),
            evaluator: evaluator, observations: observations, threads: Int(threads), maximumIterations: Int(iterations),
            particles: Int(particles), generations: Int(generations), seed: UInt64(seed), level: level)
    }

    public var bounds: ParameterBounds {
        ParameterBounds(lower: evaluator.parameters.map(\.lower), upper: evaluator.parameters.map(\.upper))
    }

    /// Where an optimiser starts: each parameter's `start`, else the model's value (kept inside the box).
    public var start: [Double] {
        bounds.project(zip(evaluator.parameters, evaluator.modelValues).map { $0.start ?? $1 })
    }

    /// The model's values at the observations for θ (NaN for a θ the model refuses).
    public func modelValues(_ theta: [Double]) -> [Double] {
        (try? evaluator.evaluate(theta)) ?? Array(repeating: .nan, count: objective.observations.count)
    }

    /// Runs the method on this process's threads. `progress` receives a line now and then (evaluations,
    /// best objective).
    public func run(progress: (@Sendable (String) -> Void)? = nil) -> CalibrationResult {
        // Runs on this process's threads cannot fail: a θ the model refuses gives NaN values.
        try! run(progress: progress, evaluation: LocalBatchEvaluation())
    }

    /// The weighted residuals at θ: what every rank of a distributed fit computes for the points it is dealt.
    public func residuals(_ theta: [Double]) -> [Double] { objective.residuals(model: modelValues(theta)) }

    /// Runs the method with the Levenberg–Marquardt Jacobian's 2p runs, and each ABC-SMC batch's in-prior
    /// proposals (generation 0's prior sample included), made by `evaluation` (this process, or the ranks of
    /// an MPI job). Nelder–Mead is sequential, so it stays on this process's threads.
    /// - Throws: a rank's failure, from a distributed evaluation.
    public func run(
        progress: (@Sendable (String) -> Void)? = nil, evaluation: any BatchEvaluation
    ) throws -> CalibrationResult {
        let counter = EvaluationCounter()
        let study = self
        let residuals: @Sendable ([Double]) -> [Double] = { theta in
            let r = study.residuals(theta)
            counter.record(r.reduce(0) { $0 + $1 * $1 }, progress: progress)
            return r
        }
        let m = objective.observations.count
        let p = evaluator.parameters.count
        switch method {
        case .levenbergMarquardt:
            var lm = LevenbergMarquardt()
            lm.maximumIterations = maximumIterations
            lm.geodesicAcceleration = false
            // Model outputs carry about 12–14 digits; tighter tolerances only spend runs.
            lm.relativeReductionTolerance = 1e-10
            lm.stepTolerance = 1e-8
            lm.gradientTolerance = 1e-10
            let threads = self.threads
            let bounds = self.bounds
            let failure = FailureBox()
            let problem = LeastSquaresProblem(
                parameterCount: p, residualCount: m, bounds: bounds, residuals: residuals,
                jacobian: { theta in
                    do {
                        // The batch runs the pure residuals (on whichever rank); each run is counted here.
                        let jacobian = try CentralDifferences.jacobian(
                            of: study.residuals, at: theta, bounds: bounds, threads: threads, evaluation: evaluation
                        ) { r in counter.record(r.reduce(0) { $0 + $1 * $1 }, progress: progress) }
                        return jacobian
                    } catch {
                        // Stops the fit (a non-finite Jacobian); the failure is thrown below.
                        failure.record(error)
                        return Matrix(rows: m, columns: p, repeating: .nan)
                    }
                })
            let fit = lm.minimize(problem, from: start)
            if let error = failure.error { throw error }
            return CalibrationResult(
                study: self, estimate: fit.parameters, status: fit.status.description,
                iterations: fit.iterations, evaluations: counter.count, fit: fit, posterior: nil)
        case .nelderMead:
            var nm = NelderMead()
            nm.maximumEvaluations = max(maximumIterations, 10 * (p + 1))
            nm.functionTolerance = 1e-10
            nm.parameterTolerance = 1e-8
            let result = nm.minimize(
                { theta in
                    let values = study.modelValues(theta)
                    let value = study.objective.value(model: values)
                    counter.record(study.objective.sumOfSquares(model: values), progress: progress)
                    return value
                }, from: start, bounds: bounds)
            return CalibrationResult(
                study: self, estimate: result.parameters, status: result.status.description,
                iterations: result.iterations, evaluations: counter.count, fit: nil, posterior: nil)
        case .abcSMC:
            var abc = ABCSMC()
            abc.particles = particles
            abc.maximumGenerations = generations
            abc.seed = seed
            abc.threads = threads
            // ρ = ‖r‖₂, the weighted residuals' norm. The model is deterministic, so each batch's residual
            // vectors are made by `evaluation` (this process, or the ranks) and the distances here.
            let posterior = try abc.run(prior: bounds) { points in
                try evaluation.evaluate(points, threads: study.threads, model: study.residuals).map { r in
                    let sumOfSquares = r.reduce(0) { $0 + $1 * $1 }
                    counter.record(sumOfSquares, progress: progress)
                    return sumOfSquares.squareRoot()
                }
            }
            let estimate = (0..<p).map { posterior.mean($0) }
            return CalibrationResult(
                study: self, estimate: estimate, status: "\(posterior.status)",
                iterations: posterior.generations.count - 1, evaluations: counter.count, fit: nil,
                posterior: posterior)
        }
    }
}

/// Counts model runs (from several threads) and reports progress every 25 runs.
final class EvaluationCounter: @unchecked Sendable {
    private var runs = 0
    private var best = Double.infinity
    private let lock = NSLockLike()

    var count: Int { lock.withLock { runs } }

    func record(_ sumOfSquares: Double, progress: (@Sendable (String) -> Void)?) {
        let line: String? = lock.withLock {
            runs += 1
            if sumOfSquares < best { best = sumOfSquares }
            return runs % 25 == 0 ? "calibrate: \(runs) model runs, best S = \(best)" : nil
        }
        if let line { progress?(line) }
    }
}

/// The central-difference Jacobian with its 2p model runs in parallel (same result for any thread count).
///
///     Jᵢⱼ ≈ (rᵢ(θ + hⱼeⱼ) − rᵢ(θ − hⱼeⱼ)) / (2hⱼ),   hⱼ = ε^{1/3}·max(|θⱼ|, 1)
///
/// one-sided at a bound, so the model is never run outside the box (Nocedal & Wright 2006, §8.1).
enum CentralDifferences {
    static func jacobian(
        of residuals: @escaping @Sendable ([Double]) -> [Double], at theta: [Double],
        bounds: ParameterBounds, threads: Int, evaluation: any BatchEvaluation = LocalBatchEvaluation(),
        record: ([Double]) -> Void = { _ in }
    ) throws -> Matrix {
        let p = theta.count
        let h = (0..<p).map { pow(Double.ulpOfOne, 1.0 / 3.0) * max(abs(theta[$0]), 1) }
        let points: [[Double]] = (0..<(2 * p)).map { k in
            var x = theta
            let j = k / 2
            x[j] = k % 2 == 0 ? min(theta[j] + h[j], bounds.upper[j]) : max(theta[j] - h[j], bounds.lower[j])
            return x
        }
        let values = try evaluation.evaluate(points, threads: threads, model: residuals)
        values.forEach(record)
        let m = values[0].count
        var jac = Matrix(rows: m, columns: p)
        for j in 0..<p {
            let width = points[2 * j][j] - points[2 * j + 1][j]
            for i in 0..<m { jac[i, j] = (values[2 * j][i] - values[2 * j + 1][i]) / width }
        }
        return jac
    }
}

/// The first error thrown inside a callback that cannot throw (an optimiser's Jacobian).
final class FailureBox: @unchecked Sendable {
    private var first: (any Error)?
    private let lock = NSLockLike()

    func record(_ error: any Error) { lock.withLock { if first == nil { first = error } } }

    var error: (any Error)? { lock.withLock { first } }
}
